/**
 * The stylesheet and the one script every web export carries. They are plain text so exporters
 * stay pure functions; the end-to-end tests run them in Chromium (static site with axe-core,
 * SCORM players against an LMS runtime).
 */

/** Colours meet WCAG 2.1 AA contrast (4.5:1 for text) on their backgrounds; focus is always visible. */
export const courseCss = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans JP","Noto Sans Arabic",sans-serif;line-height:1.6;color:#1b1f24;background:#fff;-webkit-text-size-adjust:100%}
body{margin:0}
a{color:#0b5cad}
a:focus-visible,button:focus-visible,input:focus-visible,[tabindex]:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.skip-link{position:absolute;top:-4rem;inset-inline-start:1rem;background:#fff;padding:.5rem 1rem;z-index:10}
.skip-link:focus{top:.25rem}
.site-header{background:#0d3b66;padding:.75rem 1.25rem}
.site-header .course-title{color:#fff;font-weight:700;text-decoration:none;overflow-wrap:anywhere}
.site-header .course-title:hover{text-decoration:underline}
nav.breadcrumbs,nav.outline,main,.site-footer{max-width:48rem;margin:0 auto;padding:0 1.25rem}
nav.breadcrumbs{padding-top:.75rem;font-size:.95rem}
nav.breadcrumbs ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .5rem}
nav.breadcrumbs li+li::before{content:"/";margin-inline-end:.5rem;color:#555}
main{padding-top:1rem;padding-bottom:2rem;overflow-wrap:anywhere}
main:focus{outline:none}
p,li,dt,dd,legend,label,h1,h2,h3,h4,th,td,caption,a{unicode-bidi:plaintext}
h1{font-size:1.9rem;line-height:1.25;margin:.5rem 0 .75rem}
h2{font-size:1.4rem;margin:2rem 0 .5rem}
h3{font-size:1.15rem;margin:1.5rem 0 .4rem}
h4{font-size:1rem;margin:1.25rem 0 .3rem}
.meta{color:#4a5360;margin-top:0}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:1rem 0;padding:0}
.facts div{background:#f1f4f8;border-radius:6px;padding:.5rem .75rem}
.facts dt{font-size:.85rem;color:#4a5360}
.facts dd{margin:0;font-weight:600}
.module-list{list-style:none;padding:0}
.module-list>li{border-top:1px solid #d0d7de;padding:.75rem 0}
.module-list ol{padding-inline-start:1.5rem}
.module-list li li{margin:.3rem 0}
.progress-note{color:#1a6b33;font-weight:600;margin-inline-start:.5rem}
.concept{border-inline-start:4px solid #d0d7de;padding-inline-start:1rem}
.example{background:#f6f8fa;border-radius:6px;padding:.25rem 1rem;margin:.75rem 0}
.example-label{font-weight:700;margin-bottom:0}
.expected{background:#eef6ee;border-radius:6px;padding:.5rem 1rem}
.expected>:first-child,.example>:nth-child(2),.why>:first-child{margin-top:0}
.expected>:last-child,.why>:last-child{margin-bottom:0}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.92em}
:not(pre)>code{background:#eef1f5;border-radius:4px;padding:0 .25em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem}
blockquote{margin:.75rem 0;padding-inline-start:1rem;border-inline-start:4px solid #d0d7de;color:#3d4450}
table.prose-table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.75rem 0;overflow-wrap:anywhere}
table.prose-table th,table.prose-table td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:start;vertical-align:top}
table.prose-table thead th{background:#f1f4f8}
.preview-banner{background:#fff4d6;border:1px solid #b35900;border-radius:6px;padding:.5rem .75rem;margin:1rem 0 0;font-size:.95rem}
.preview-note{color:#4a5360;font-size:.9rem;margin:0}
.not-written{background:#f6f8fa;border:1px dashed #4a5360;border-radius:8px;padding:.5rem 1rem;margin-top:1rem}
.quiz{border:1px solid #d0d7de;border-radius:8px;padding:0 1rem 1rem;margin-top:2rem}
.question{border:0;margin:1rem 0;padding:0}
.question legend{font-weight:600;padding:0}
.options{list-style:none;padding:0;margin:.5rem 0}
.options li{margin:.25rem 0}
.options label{display:flex;gap:.5rem;align-items:flex-start;padding:.4rem .5rem;border-radius:6px;border:1px solid #d0d7de;cursor:pointer}
.options input{margin-top:.35rem;flex:none}
.options .letter{font-weight:700;flex:none}
.question.right .verdict{color:#1a6b33;font-weight:700}
.question.wrong .verdict{color:#a4161a;font-weight:700}
.feedback{background:#f6f8fa;border-radius:6px;padding:.25rem .75rem}
button{font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:6px;padding:.55rem 1.1rem;cursor:pointer}
button:hover{background:#084a8c}
button.secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad}
.quiz-status{font-weight:600;min-height:1.5rem}
.table-scroll{overflow-x:auto;max-width:100%}
table.rubric{border-collapse:collapse;min-width:100%;font-size:.95rem}
table.rubric caption{text-align:start;font-weight:600;padding:.25rem 0}
table.rubric th,table.rubric td{border:1px solid #d0d7de;padding:.5rem;vertical-align:top;text-align:start}
table.rubric thead th{background:#f1f4f8}
.pager{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;border-top:1px solid #d0d7de;margin-top:2rem;padding:1rem 0}
.player{display:grid;grid-template-columns:minmax(12rem,18rem) 1fr;gap:0 1rem;max-width:72rem;margin:0 auto}
.player nav.outline{padding-top:1rem;max-height:calc(100vh - 3.5rem);overflow:auto;position:sticky;top:0}
.player nav.outline ol{padding-inline-start:1.1rem}
.player nav.outline a[aria-current="page"]{font-weight:700}
.player .seen-mark{color:#1a6b33}
.player main{max-width:none;margin:0}
.player-status{font-weight:600}
@media (max-width:45rem){.player{grid-template-columns:1fr}.player nav.outline{position:static;max-height:none}h1{font-size:1.6rem}}
@media print{.skip-link,nav,.quiz-actions,.pager{display:none}}
`;

/**
 * The learner-side script. Quizzes score themselves and show feedback; progress goes to a tracker:
 * the browser's localStorage in the static site, the LMS through the SCORM API in SCORM players,
 * memory only in the studio's preview (a sandboxed frame with no storage and no LMS).
 * SCORM rules kept here: Initialize first and once, every value set through the API, Commit after
 * each change, Terminate last and once (on exit or when the page goes away).
 */
export const courseScript = `(function () {
  'use strict';
  var body = document.body;
  var mode = body.getAttribute('data-mode') || 'site';
  var all = function (root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); };
  var letter = function (i) { return String.fromCharCode(65 + i); };

  function chosen(fieldset) {
    var checked = fieldset.querySelector('input[type=radio]:checked');
    return checked ? Number(checked.value) : -1;
  }

  function showFeedback(form) {
    var correct = 0;
    all(form, 'fieldset.question').forEach(function (fieldset) {
      var right = Number(fieldset.getAttribute('data-correct'));
      var pick = chosen(fieldset);
      var feedback = fieldset.querySelector('.feedback');
      var options = all(fieldset, 'label');
      var answerText = options[right] ? options[right].textContent.replace(/^\\s*[A-Z]\\.\\s*/, '').trim() : '';
      feedback.hidden = false;
      fieldset.classList.toggle('right', pick === right);
      fieldset.classList.toggle('wrong', pick !== right);
      feedback.querySelector('.verdict').textContent = pick === right ? 'Correct.' : 'Not quite. The answer is ' + letter(right) + ': ' + answerText;
      if (pick === right) correct++;
    });
    return correct;
  }

  function wireQuizzes(tracker) {
    all(document, '.quiz').forEach(function (section) {
      var lessonId = section.getAttribute('data-lesson');
      var form = section.querySelector('form');
      var status = form.querySelector('.quiz-status');
      var questions = all(form, 'fieldset.question');
      var report = function (correct) {
        status.textContent = 'You scored ' + correct + ' of ' + questions.length + ' (' + Math.round((100 * correct) / questions.length) + '%).';
      };
      var saved = tracker.answers(lessonId);
      if (saved && saved.length === questions.length) {
        questions.forEach(function (fieldset, i) {
          var input = fieldset.querySelector('input[value="' + saved[i] + '"]');
          if (input) input.checked = true;
        });
        report(showFeedback(form));
      }
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var open = questions.filter(function (fieldset) { return chosen(fieldset) < 0; });
        if (open.length) {
          status.textContent = 'Answer every question first: ' + open.length + ' still open.';
          open[0].querySelector('input').focus();
          return;
        }
        var correct = showFeedback(form);
        report(correct);
        tracker.quizAnswered(lessonId, questions.map(chosen), correct, questions.length);
      });
    });
  }

  /* ---- static site: progress kept in this browser ---- */
  function siteTracker() {
    var key = 'coursewright:' + body.getAttribute('data-course-key');
    var state = { seen: {}, quizzes: {} };
    try { state = JSON.parse(localStorage.getItem(key) || '') || state; } catch (e) { /* no saved progress */ }
    var save = function () { try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage disabled: progress lasts for this page only */ } };
    return {
      state: state,
      lessonSeen: function (id) { if (!state.seen[id]) { state.seen[id] = true; save(); } },
      answers: function (id) { return state.quizzes[id] ? state.quizzes[id].picks : null; },
      quizAnswered: function (id, picks, correct, total) { state.quizzes[id] = { picks: picks, correct: correct, total: total }; save(); }
    };
  }

  function showSiteProgress(tracker) {
    var items = all(document, '[data-progress-lesson]');
    if (!items.length) return;
    var seen = 0;
    var correct = 0;
    var total = 0;
    items.forEach(function (item) {
      var id = item.getAttribute('data-progress-lesson');
      var quiz = tracker.state.quizzes[id];
      var notes = [];
      if (tracker.state.seen[id]) { seen++; notes.push('visited'); }
      if (quiz) { correct += quiz.correct; total += quiz.total; notes.push('quiz ' + quiz.correct + '/' + quiz.total); }
      item.textContent = notes.length ? '(' + notes.join(', ') + ')' : '';
    });
    var summary = document.getElementById('course-progress');
    if (summary) summary.textContent = 'Your progress in this browser: ' + seen + ' of ' + items.length + ' lessons visited' + (total ? ', quiz score ' + Math.round((100 * correct) / total) + '%' : '') + '.';
  }

  /* ---- SCORM players ---- */
  function findApi(name, start) {
    var win = start;
    for (var depth = 0; win && depth < 12; depth++) {
      try { if (win[name]) return win[name]; } catch (e) { /* a cross-origin frame: keep climbing */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function scormTracker() {
    var v12 = mode === 'scorm12';
    var apiName = v12 ? 'API' : 'API_1484_11';
    var api = findApi(apiName, window);
    if (!api) { try { if (window.top && window.top.opener) api = findApi(apiName, window.top.opener); } catch (e) { /* opener unreachable */ } }
    var lessons = all(document, 'section.player-lesson').map(function (s) { return s.getAttribute('data-lesson'); });
    var questionCounts = all(document, 'section.player-lesson').map(function (s) { return all(s, 'fieldset.question').length; });
    var mastery = Number(body.getAttribute('data-mastery') || '0.7');
    var seen = lessons.map(function () { return false; });
    var picks = lessons.map(function () { return ''; });
    var started = Date.now();
    var live = false;
    var status = document.getElementById('player-status');
    var call = function (method, a, b) { return api ? String(v12 ? api['LMS' + method](a, b) : api[method](a, b)) : 'false'; };
    var get = function (element) { return api ? String(v12 ? api.LMSGetValue(element) : api.GetValue(element)) : ''; };
    var set = function (element, value) { return api ? String(v12 ? api.LMSSetValue(element, String(value)) : api.SetValue(element, String(value))) : 'false'; };
    var el = v12
      ? { location: 'cmi.core.lesson_location', entry: 'cmi.core.entry', exit: 'cmi.core.exit', time: 'cmi.core.session_time' }
      : { location: 'cmi.location', entry: 'cmi.entry', exit: 'cmi.exit', time: 'cmi.session_time' };

    if (!api) {
      if (status) status.textContent = 'No learning management system found: your progress will not be recorded.';
    } else {
      live = call('Initialize', '') === 'true';
      if (!live && status) status.textContent = 'The learning management system did not start this session: your progress will not be recorded.';
    }

    /*
     * suspend_data holds what the LMS cannot: which lessons were seen and each quiz's answers.
     * "1|<seen bits>|<answers per lesson, dot-separated>" keeps a 480-lesson course within SCORM
     * 1.2's 4096 characters; a course too large even for that falls back to
     * "2|<seen bits>|<correct answers per quiz>", which keeps the score but not the choices shown.
     */
    var limit = v12 ? 4096 : 64000;
    var correctOf = function (i, answer) {
      var section = document.querySelector('section.player-lesson[data-lesson="' + lessons[i] + '"]');
      return all(section, 'fieldset.question').filter(function (fieldset, q) { return Number(answer.charAt(q)) === Number(fieldset.getAttribute('data-correct')); }).length;
    };
    var correctCounts = lessons.map(function () { return -1; });
    if (live && get(el.entry) === 'resume') {
      var data = get('cmi.suspend_data').split('|');
      if ((data[0] === '1' || data[0] === '2') && data.length === 3) {
        data[1].split('').forEach(function (bit, i) { if (i < seen.length) seen[i] = bit === '1'; });
        data[2].split('.').forEach(function (value, i) {
          if (i >= lessons.length || value === '') return;
          if (data[0] === '1') { picks[i] = value; correctCounts[i] = correctOf(i, value); } else correctCounts[i] = Number(value);
        });
      }
    }
    var bookmark = live ? get(el.location) : '';
    var encodeState = function () {
      var bits = seen.map(function (b) { return b ? '1' : '0'; }).join('');
      var full = '1|' + bits + '|' + picks.join('.');
      if (full.length <= limit) return full;
      return '2|' + bits + '|' + correctCounts.map(function (c) { return c < 0 ? '' : String(c); }).join('.');
    };

    var scoreParts = function () {
      var correct = 0, total = 0, answered = 0;
      lessons.forEach(function (id, i) {
        total += questionCounts[i];
        if (correctCounts[i] < 0) return;
        answered++;
        correct += correctCounts[i];
      });
      return { correct: correct, total: total, answered: answered };
    };

    var duration = function () {
      var seconds = Math.round((Date.now() - started) / 1000);
      var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
      var pad = function (n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; };
      return v12 ? pad(h, 4) + ':' + pad(m, 2) + ':' + pad(s, 2) : 'PT' + h + 'H' + m + 'M' + s + 'S';
    };

    var finished = function () {
      var score = scoreParts();
      return seen.every(Boolean) && score.answered === lessons.length;
    };

    var report = function (location) {
      if (!live) return;
      var seenCount = seen.filter(Boolean).length;
      var score = scoreParts();
      var complete = seenCount === lessons.length;
      var allAnswered = score.answered === lessons.length;
      var scaled = score.total ? score.correct / score.total : 0;
      if (location) set(el.location, location);
      set('cmi.suspend_data', encodeState());
      if (v12) {
        if (score.answered) { set('cmi.core.score.min', 0); set('cmi.core.score.max', 100); set('cmi.core.score.raw', Math.round(scaled * 100)); }
        set('cmi.core.lesson_status', !complete ? 'incomplete' : allAnswered ? (scaled >= mastery ? 'passed' : 'failed') : 'completed');
      } else {
        set('cmi.progress_measure', (seenCount / lessons.length).toFixed(4));
        set('cmi.completion_status', complete ? 'completed' : 'incomplete');
        if (score.answered) { set('cmi.score.min', 0); set('cmi.score.max', score.total); set('cmi.score.raw', score.correct); set('cmi.score.scaled', scaled.toFixed(4)); }
        set('cmi.success_status', allAnswered ? (scaled >= mastery ? 'passed' : 'failed') : 'unknown');
      }
      call('Commit', '');
      if (status) status.textContent = seenCount + ' of ' + lessons.length + ' lessons seen' + (score.answered ? '; score ' + Math.round(scaled * 100) + '%' : '') + '.';
    };

    var terminate = function () {
      if (!live) return;
      set(el.time, duration());
      set(el.exit, finished() ? (v12 ? '' : 'normal') : 'suspend');
      call('Commit', '');
      live = false;
      v12 ? call('Finish', '') : call('Terminate', '');
    };

    return {
      lessons: lessons,
      bookmark: bookmark,
      lessonSeen: function (id) { var i = lessons.indexOf(id); if (i >= 0) { seen[i] = true; report(id); } },
      answers: function (id) { var i = lessons.indexOf(id); return i >= 0 && picks[i] ? picks[i].split('').map(Number) : null; },
      quizAnswered: function (id, answerList, correct) { var i = lessons.indexOf(id); if (i >= 0) { picks[i] = answerList.join(''); correctCounts[i] = correct; report(''); } },
      terminate: terminate,
      isSeen: function (id) { return seen[lessons.indexOf(id)] === true; },
      isLive: function () { return live; }
    };
  }

  function runPlayer(tracker) {
    var pages = all(document, 'section.player-page');
    var pageId = function (s) { return s.getAttribute('data-lesson') || s.getAttribute('data-page'); };
    var pageIds = pages.map(pageId);
    var links = all(document, 'nav.outline a[data-target]');
    // A course SCO can hold hundreds of lessons: each move touches only what changes, so the
    // browser re-lays out one lesson and a few outline entries, not the whole course.
    var marked = {};
    var markSeen = function () {
      links.forEach(function (a) {
        var target = a.getAttribute('data-target');
        if (marked[target] || !tracker.isSeen(target)) return;
        var mark = a.parentNode.querySelector('.seen-mark');
        if (mark) mark.textContent = ' (seen)';
        marked[target] = true;
      });
    };
    var current = null;
    var currentLink = null;
    var show = function (id, moveFocus) {
      if (pageIds.indexOf(id) < 0) id = tracker.lessons[0];
      var index = pageIds.indexOf(id);
      if (current) current.hidden = true;
      current = pages[index];
      current.hidden = false;
      if (currentLink) currentLink.removeAttribute('aria-current');
      currentLink = links.filter(function (a) { return a.getAttribute('data-target') === id; })[0] || null;
      if (currentLink) currentLink.setAttribute('aria-current', 'page');
      tracker.lessonSeen(id);
      markSeen();
      if (moveFocus) {
        var heading = current.querySelector('h1, h2');
        if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
      }
    };
    /*
     * Lesson links are handled here rather than followed: changing the URL fragment makes the
     * browser save the state of every form control on the page for its history, which in a
     * course of hundreds of quizzes costs a fifth of a second per move.
     */
    document.addEventListener('click', function (event) {
      var link = event.target && event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (!link) return;
      var id = link.getAttribute('href').slice(1);
      if (pageIds.indexOf(id) < 0) return;
      event.preventDefault();
      show(id, true);
    });
    // Other fragments (the skip link's #main) are ordinary in-page jumps, not a move to another lesson.
    window.addEventListener('hashchange', function () { var id = location.hash.slice(1); if (pageIds.indexOf(id) >= 0) show(id, true); });
    var exit = document.getElementById('player-exit');
    if (exit) exit.addEventListener('click', function () {
      tracker.terminate();
      exit.disabled = true;
      var status = document.getElementById('player-status');
      if (status) status.textContent = 'Your progress is saved. You can close this window.';
    });
    window.addEventListener('pagehide', tracker.terminate);
    window.addEventListener('beforeunload', tracker.terminate);
    show(location.hash.slice(1) || tracker.bookmark || tracker.lessons[0], false);
  }

  /* ---- studio preview: progress kept for this viewing only, nothing stored or sent ---- */
  function previewTracker() {
    var lessons = all(document, 'section.player-lesson').map(function (s) { return s.getAttribute('data-lesson'); });
    var seen = {};
    var quizzes = {};
    var status = document.getElementById('player-status');
    var report = function () {
      var seenCount = lessons.filter(function (id) { return seen[id]; }).length;
      var correct = 0, total = 0;
      Object.keys(quizzes).forEach(function (id) { correct += quizzes[id].correct; total += quizzes[id].total; });
      if (status) status.textContent = seenCount + ' of ' + lessons.length + ' lessons seen' + (total ? '; quiz score ' + Math.round((100 * correct) / total) + '%' : '') + '.';
    };
    return {
      lessons: lessons,
      bookmark: body.getAttribute('data-start') || '',
      lessonSeen: function (id) { if (lessons.indexOf(id) >= 0) seen[id] = true; report(); },
      answers: function () { return null; },
      quizAnswered: function (id, picks, correct, total) { quizzes[id] = { correct: correct, total: total }; report(); },
      terminate: function () {},
      isSeen: function (id) { return seen[id] === true; }
    };
  }

  if (mode === 'preview') {
    var preview = previewTracker();
    wireQuizzes(preview);
    runPlayer(preview);
  } else if (mode === 'scorm12' || mode === 'scorm2004') {
    var player = scormTracker();
    wireQuizzes(player);
    runPlayer(player);
  } else {
    var site = siteTracker();
    var lessonId = body.getAttribute('data-lesson');
    if (lessonId) site.lessonSeen(lessonId);
    wireQuizzes(site);
    showSiteProgress(site);
  }
})();
`;
