import type { LessonContent, Project, Quiz } from '../../../schemas/content.js';
import type { PackageDocument, PackageLesson, PackageModule } from '../../../schemas/package.js';
import { markdownInlineHtml, markdownToHtml } from '../markdown.js';
import { MAYBE_FORBIDDEN_XML_CLASS, withoutForbiddenXmlCharacters } from '../xml.js';

/**
 * HTML fragments shared by every web export (static site, SCORM players, Common Cartridge pages),
 * so a lesson reads the same wherever a learner meets it. All text is escaped here: package
 * content is model-written and must never become markup; prose fields are Markdown, rendered by
 * ../markdown.ts with raw HTML off and only http, https and mailto links.
 */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const needsEscape = new RegExp(`[&<>"'${MAYBE_FORBIDDEN_XML_CLASS}]`);
/**
 * HTML text and attribute values. Characters XML forbids are dropped here too: in HTML they are
 * parse errors a browser shows as boxes or swallows, and packages frozen before text fields
 * refused them may still hold some.
 */
export const esc = (text: string | number): string => {
  const value = String(text);
  // Most text has nothing to escape; testing first skips building a new string for it.
  return needsEscape.test(value) ? withoutForbiddenXmlCharacters(value).replace(/[&<>"']/g, (c) => entities[c]!) : value;
};

const rtlLanguages = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);
export const textDirection = (language: string): 'rtl' | 'ltr' => (rtlLanguages.has(language.toLowerCase().split('-')[0]!) ? 'rtl' : 'ltr');

/**
 * A prose field (stored as Markdown) as HTML blocks. `headingLevel` is what a Markdown `#` becomes,
 * one below the heading the prose sits under, so the page's outline stays in order.
 */
function prose(text: string, headingLevel: number): string {
  return markdownToHtml(text, { headingLevel: Math.min(6, headingLevel) });
}

/** Prose led by a bold label: inside its first paragraph when it starts with one, as plain text did. */
function labelledProse(label: string, text: string, headingLevel: number): string {
  const html = prose(text, headingLevel);
  return html.startsWith('<p>') ? `<p><strong>${esc(label)}</strong> ${html.slice(3)}` : `<p><strong>${esc(label)}</strong></p>\n${html}`;
}

export const formatMinutes = (minutes: number): string => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
};

/** Ids in one page must be unique across every lesson it holds (SCORM players hold many). */
const domId = (...parts: string[]) => parts.join('--');

export function lessonArticle(lesson: LessonContent, headingLevel: 1 | 2 = 1): string {
  const h = headingLevel;
  const sub = h + 1;
  const concepts = lesson.explanation.concepts
    .map(
      (c) => `<section class="concept">
<h${sub + 1}>${esc(c.title)}</h${sub + 1}>
${prose(c.explanation, sub + 2)}
${c.example ? `<div class="example"><p class="example-label">Example</p>${prose(c.example, sub + 2)}</div>` : ''}
</section>`,
    )
    .join('\n');
  return `<article class="lesson" aria-labelledby="${domId(lesson.id, 'title')}">
<h${h} id="${domId(lesson.id, 'title')}">${esc(lesson.title)}</h${h}>
<p class="meta">${esc(formatMinutes(lesson.durationMinutes))}</p>
<section class="objectives" aria-labelledby="${domId(lesson.id, 'objectives')}">
<h${sub} id="${domId(lesson.id, 'objectives')}">What you will be able to do</h${sub}>
<ul>${lesson.objectives.map((o) => `<li>${esc(o)}</li>`).join('')}</ul>
</section>
<section class="explanation" aria-labelledby="${domId(lesson.id, 'explanation')}">
<h${sub} id="${domId(lesson.id, 'explanation')}">Explanation</h${sub}>
${prose(lesson.explanation.overview, sub + 1)}
${concepts}
</section>
<section class="takeaways" aria-labelledby="${domId(lesson.id, 'takeaways')}">
<h${sub} id="${domId(lesson.id, 'takeaways')}">Key takeaways</h${sub}>
<ul>${lesson.keyTakeaways.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>
</section>
<section class="practice" aria-labelledby="${domId(lesson.id, 'practice')}">
<h${sub} id="${domId(lesson.id, 'practice')}">Practice</h${sub}>
${prose(lesson.practice.prompt, sub + 1)}
<div class="expected">${labelledProse('What a good result looks like:', lesson.practice.expectedOutcome, sub + 1)}</div>
</section>
</article>`;
}

const optionLetter = (index: number) => String.fromCharCode(65 + index);

/**
 * An interactive quiz: the learner answers every question, then "Check answers" shows each
 * question's feedback and the score. The answer key travels in data attributes because static
 * exports have no server to check against; the runtime script reads it.
 */
export function quizSection(quiz: Quiz, lessonId: string, headingLevel: 2 | 3 = 2): string {
  const base = domId(lessonId, 'quiz');
  const questions = quiz.questions
    .map((q, qi) => {
      const name = domId(base, q.id);
      const options = q.options
        .map(
          (option, oi) => `<li><label for="${domId(name, String(oi))}"><input type="radio" id="${domId(name, String(oi))}" name="${name}" value="${oi}"> <span class="letter" aria-hidden="true">${optionLetter(oi)}.</span> ${esc(option)}</label></li>`,
        )
        .join('');
      // A legend holds only inline markup: a prompt of one paragraph goes in it as before; a longer
      // one (a list, a code block) follows it, and the legend keeps the question's number.
      const inlinePrompt = markdownInlineHtml(q.prompt);
      const prompt = inlinePrompt === undefined ? `<legend><span class="qnum">Question ${qi + 1} of ${quiz.questions.length}.</span></legend>\n<div class="prompt">${prose(q.prompt, headingLevel + 1)}</div>` : `<legend><span class="qnum">Question ${qi + 1} of ${quiz.questions.length}.</span> ${inlinePrompt}</legend>`;
      return `<fieldset class="question" data-question="${esc(q.id)}" data-correct="${q.correctIndex}">
${prompt}
<ol class="options" type="A">${options}</ol>
<div class="feedback" hidden><p class="verdict"></p><div class="why">${prose(q.explanation, headingLevel + 1)}</div></div>
</fieldset>`;
    })
    .join('\n');
  return `<section class="quiz" aria-labelledby="${domId(base, 'title')}" data-quiz="${esc(quiz.id)}" data-lesson="${esc(lessonId)}">
<h${headingLevel} id="${domId(base, 'title')}">${esc(quiz.title)}</h${headingLevel}>
<form class="quiz-form" novalidate>
${questions}
<div class="quiz-actions"><button type="submit">Check answers</button></div>
<p class="quiz-status" role="status" aria-live="polite"></p>
</form>
</section>`;
}

export function projectSection(project: Project, headingLevel: 1 | 2 = 1): string {
  const h = headingLevel;
  const sub = h + 1;
  const levelCount = Math.max(...project.rubric.criteria.map((c) => c.levels.length));
  const rows = project.rubric.criteria
    .map((c) => {
      const cells = Array.from({ length: levelCount }, (_, i) => {
        const level = c.levels[i];
        return level ? `<td><strong>${esc(level.label)}</strong> (${level.points} pts)<br>${esc(level.descriptor)}</td>` : '<td></td>';
      }).join('');
      return `<tr><th scope="row">${esc(c.title)}</th>${cells}<td>${Math.max(...c.levels.map((l) => l.points))}</td></tr>`;
    })
    .join('\n');
  const levelHeads = Array.from({ length: levelCount }, (_, i) => `<th scope="col">Level ${i + 1}</th>`).join('');
  return `<article class="project" aria-labelledby="${domId(project.id, 'project')}">
<h${h} id="${domId(project.id, 'project')}">${esc(project.title)}</h${h}>
<section aria-labelledby="${domId(project.id, 'problem')}"><h${sub} id="${domId(project.id, 'problem')}">The problem</h${sub}>${prose(project.problemStatement, sub + 1)}</section>
${project.constraints.length ? `<section aria-labelledby="${domId(project.id, 'constraints')}"><h${sub} id="${domId(project.id, 'constraints')}">Constraints</h${sub}><ul>${project.constraints.map((c) => `<li>${esc(c)}</li>`).join('')}</ul></section>` : ''}
<section aria-labelledby="${domId(project.id, 'deliverables')}"><h${sub} id="${domId(project.id, 'deliverables')}">Deliverables</h${sub}><ul>${project.deliverables.map((d) => `<li>${esc(d)}</li>`).join('')}</ul></section>
<section aria-labelledby="${domId(project.id, 'rubric')}"><h${sub} id="${domId(project.id, 'rubric')}">Rubric</h${sub}>
<div class="table-scroll" tabindex="0" role="region" aria-label="Rubric for ${esc(project.title)}">
<table class="rubric"><caption>Total: ${project.rubric.totalPoints} points</caption>
<thead><tr><th scope="col">Criterion</th>${levelHeads}<th scope="col">Max points</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>
</article>`;
}

export interface PageShell {
  language: string;
  title: string;
  /** Path prefix from the page to the export's root ("" or "../"). */
  root: string;
  courseTitle: string;
  homeHref: string;
  nav?: string;
  main: string;
  footer?: string;
  bodyAttributes?: Record<string, string>;
  scripts?: string[];
  /** 'player': navigation beside the content (SCORM players), instead of above it. */
  layout?: 'page' | 'player';
  /**
   * A page that must stand alone (the studio's preview, shown from one string): the stylesheet
   * and the script are written into the page instead of linked.
   */
  inline?: { css: string; script: string };
}

/** A complete accessible page: language and direction, skip link, banner, navigation, main. */
export function page(shell: PageShell): string {
  const attrs = Object.entries(shell.bodyAttributes ?? {})
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  const scripts = (shell.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${esc(shell.language)}" dir="${textDirection(shell.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(shell.title)}</title>
${shell.inline ? `<style>${shell.inline.css}</style>` : `<link rel="stylesheet" href="${shell.root}assets/course.css">`}
${scripts}
</head>
<body${attrs}>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a class="course-title" href="${esc(shell.homeHref)}">${esc(shell.courseTitle)}</a></header>
${shell.layout === 'player' ? '<div class="player">' : ''}
${shell.nav ?? ''}
<main id="main" tabindex="-1">
${shell.main}
</main>
${shell.layout === 'player' ? '</div>' : ''}
${shell.footer ? `<footer class="site-footer">${shell.footer}</footer>` : ''}${shell.inline ? `\n<script>${shell.inline.script}</script>` : ''}
</body>
</html>
`;
}

/** Lessons in course order, each with its module and its neighbours: what navigation walks. */
export function lessonSequence(document: PackageDocument): Array<{ module: PackageModule; lesson: PackageLesson }> {
  return document.modules.flatMap((module) => module.lessons.map((lesson) => ({ module, lesson })));
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function courseFacts(document: PackageDocument): string {
  const course = document.course;
  const lessons = document.modules.reduce((n, m) => n + m.lessons.length, 0);
  return `<dl class="facts">
<div><dt>Audience</dt><dd>${esc(course.audience)}</dd></div>
<div><dt>Level</dt><dd>${esc(course.level)}</dd></div>
<div><dt>Time</dt><dd>${esc(formatMinutes(course.totalEstimatedMinutes))}</dd></div>
<div><dt>Content</dt><dd>${plural(document.modules.length, 'module')}, ${plural(lessons, 'lesson')}</dd></div>
</dl>`;
}
