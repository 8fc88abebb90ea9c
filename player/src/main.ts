import { markdownInlineHtml, markdownToHtml } from '../../core/export/markdown.js';
import { api, PlayerError, purchaseKeys, type AttemptResult, type Course, type CourseSummary, type Learner, type Lesson, type Progress } from './api.js';
import { formatPrice, h, languageAttributes, prose } from './dom.js';
import { createEventQueue, outcomeOfStatus, type EventQueue, type LearnerEventType } from './event-queue.js';

/**
 * The learner player: sign in, catalogue, course page, lesson reader with its quiz. Screens are
 * addressed by the URL's hash (#/course/ID/lesson/N), so a reload opens the screen the learner
 * was on and the server only ever serves one page. Every screen change moves focus to the new
 * screen's heading and names the screen in the document title.
 */

const FLUSH_EVERY_MS = 4_000;
const HEARTBEAT_EVERY_MS = 30_000;
const TENANT_KEY = 'coursewright.player.tenant';

const header = document.getElementById('site-header')!;
const main = document.getElementById('main')!;

let learner: Learner | null = null;
let events: EventQueue | null = null;
let keys: ReturnType<typeof purchaseKeys> | null = null;
/** Undoes what the open screen started (timers, the lesson's time report) before the next one opens. */
let leaveScreen: (() => void) | null = null;
/** Increases with every screen change, so an answer that arrives after the learner moved on is ignored. */
let screenNumber = 0;
/** Progress reports go one after another, so the server sees lessons in the order the learner opened them. */
let progressChain: Promise<unknown> = Promise.resolve();

type Route = { screen: 'catalogue' } | { screen: 'course'; courseId: string } | { screen: 'lesson'; courseId: string; index: number };

function currentRoute(): Route {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (parts[0] === 'course' && parts[1]) {
    if (parts[2] === 'lesson' && /^[1-9]\d*$/.test(parts[3] ?? '')) return { screen: 'lesson', courseId: parts[1], index: Number(parts[3]) - 1 };
    return { screen: 'course', courseId: parts[1] };
  }
  return { screen: 'catalogue' };
}

const courseHref = (courseId: string) => `#/course/${encodeURIComponent(courseId)}`;
const lessonHref = (courseId: string, index: number) => `${courseHref(courseId)}/lesson/${index + 1}`;

function record(type: LearnerEventType, courseId: string, details?: { lessonIndex?: number; data?: Record<string, unknown> }) {
  events?.record(type, courseId, details);
}

function reportProgress(courseId: string, lessonIndex: number, completed: boolean, seconds: number) {
  const report = progressChain.then(() => api.reportProgress(courseId, lessonIndex, completed, Math.min(86_400, Math.max(0, Math.round(seconds)))));
  progressChain = report.catch(() => undefined);
  return report;
}

/** Puts a screen in place: its nodes, its title, and focus on its heading (or on `focus` when given). */
function show(title: string, nodes: Node[], focus?: HTMLElement | null) {
  main.removeAttribute('aria-busy');
  main.replaceChildren(...nodes);
  document.title = `${title} · Coursewright`;
  const target = focus ?? main.querySelector<HTMLElement>('h1');
  if (target) {
    if (target.tagName === 'H1') target.tabIndex = -1;
    target.focus();
  }
}

function showLoading() {
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
}

function showFailure(error: unknown) {
  if (error instanceof PlayerError && error.status === 401) {
    signedOut('Your session has ended. Sign in again to continue.');
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  show('Something went wrong', [
    h('h1', {}, 'This page could not be opened'),
    h('p', { class: 'error-text' }, message),
    h('p', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: () => render() }, 'Try again'), h('a', { class: 'button secondary', href: '#/' }, 'All courses')),
  ]);
}

// ── Header ───────────────────────────────────────────────────────────────────────────────────

function renderHeader() {
  const brand = h('a', { class: 'brand', href: '#/' }, 'Coursewright ', h('span', { class: 'brand-sub' }, 'Learn'));
  if (!learner) {
    header.replaceChildren(h('div', { class: 'header-inner' }, brand));
    return;
  }
  const signOut = h('button', { type: 'button', class: 'button secondary small', onclick: () => void signOutNow() }, 'Sign out');
  header.replaceChildren(
    h('div', { class: 'header-inner' }, brand, h('nav', { 'aria-label': 'Account' }, h('a', { href: '#/' }, 'All courses'), h('span', { class: 'who' }, h('span', { class: 'visually-hidden' }, 'Signed in as '), learner.email), signOut)),
  );
}

// ── Signing in ───────────────────────────────────────────────────────────────────────────────

function field(id: string, label: string, input: HTMLInputElement, hint?: string) {
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  input.id = id;
  input.name = id;
  input.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
  return {
    element: h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null, input, error),
    input,
    setError(message: string | null) {
      error.hidden = message === null;
      error.textContent = message ?? '';
      if (message === null) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
    },
  };
}

function signInScreen(mode: 'signin' | 'signup', notice?: string) {
  const signingUp = mode === 'signup';
  const tenant = field('tenant', 'Institution ID', h('input', { type: 'text', autocomplete: 'organization', required: true, spellcheck: 'false', value: localStorage.getItem(TENANT_KEY) ?? '' }), 'The tenant ID your institution gave you.');
  const email = field('email', 'Email', h('input', { type: 'email', autocomplete: 'email', required: true, spellcheck: 'false' }));
  const password = field('password', 'Password', h('input', { type: 'password', autocomplete: signingUp ? 'new-password' : 'current-password', required: true, ...(signingUp ? { minlength: 10 } : {}) }), signingUp ? 'At least 10 characters.' : undefined);
  const fields = { tenant, email, password };
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, signingUp ? 'Create account' : 'Sign in');
  const form = h('form', { class: 'card auth-form', novalidate: true }, tenant.element, email.element, password.element, formError, h('p', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      formError.textContent = '';
      const values = { tenant: tenant.input.value.trim(), email: email.input.value.trim(), password: password.input.value };
      const problems: Partial<Record<keyof typeof fields, string>> = {};
      if (!values.tenant) problems.tenant = 'Enter the institution ID your institution gave you.';
      if (!values.email) problems.email = 'Enter your email address.';
      else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) problems.email = 'Enter an email address like ana@example.org.';
      if (!values.password) problems.password = 'Enter your password.';
      else if (signingUp && values.password.length < 10) problems.password = `Use at least 10 characters; this password has ${values.password.length}.`;
      for (const [name, entry] of Object.entries(fields)) entry.setError(problems[name as keyof typeof fields] ?? null);
      const firstProblem = (Object.keys(fields) as (keyof typeof fields)[]).find((name) => problems[name]);
      if (firstProblem) {
        fields[firstProblem].input.focus();
        return;
      }
      submit.disabled = true;
      try {
        await (signingUp ? api.signUp : api.signIn)(values.tenant, values.email, values.password);
        localStorage.setItem(TENANT_KEY, values.tenant);
        await signedIn(await api.me());
      } catch (error) {
        submit.disabled = false;
        const fieldErrors = error instanceof PlayerError ? error.fields : {};
        let focused = false;
        for (const [name, entry] of Object.entries(fields)) {
          const message = fieldErrors[name];
          entry.setError(message ? `${message[0]!.toUpperCase()}${message.slice(1)}.` : null);
          if (message && !focused) {
            entry.input.focus();
            focused = true;
          }
        }
        if (!focused) {
          // A refusal about one field is shown beside it; anything else above the button.
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof PlayerError && error.code === 'NOT_FOUND') {
            tenant.setError(message);
            tenant.input.focus();
          } else if (error instanceof PlayerError && error.code === 'CONFLICT') {
            email.setError(message);
            email.input.focus();
          } else {
            formError.textContent = message;
            password.input.focus();
          }
        }
      }
    })();
  });
  const switcher = h('button', { type: 'button', class: 'link-button', onclick: () => signInScreen(signingUp ? 'signin' : 'signup') }, signingUp ? 'Sign in instead' : 'Create an account');
  show(signingUp ? 'Create your account' : 'Sign in', [
    h('h1', {}, signingUp ? 'Create your account' : 'Sign in to your courses'),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    form,
    h('p', { class: 'switch' }, signingUp ? 'Already have an account? ' : 'New here? ', switcher),
  ].filter((node) => node !== null));
}

async function signedIn(me: Learner) {
  learner = me;
  keys = purchaseKeys(localStorage, `${me.tenantId}.${me.userId}`);
  events = createEventQueue({
    storage: localStorage,
    key: `coursewright.player.events.${me.tenantId}.${me.userId}`,
    async send(batch, { keepalive }) {
      const response = await fetch('/api/analytics/event', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }), keepalive, credentials: 'same-origin' });
      return outcomeOfStatus(response.status);
    },
  });
  void events.flush();
  renderHeader();
  render();
}

function signedOut(notice?: string) {
  leaveScreen?.();
  leaveScreen = null;
  learner = null;
  events = null;
  keys = null;
  renderHeader();
  signInScreen('signin', notice);
}

async function signOutNow() {
  await events?.flush().catch(() => false);
  await api.signOut().catch(() => undefined);
  signedOut('You are signed out.');
}

// ── Catalogue ────────────────────────────────────────────────────────────────────────────────

const durationText = (minutes: number) => (minutes >= 90 ? `about ${Math.round(minutes / 60)} hours` : `about ${minutes} minutes`);

async function catalogueScreen(focusCourse?: { courseId: string; message: string }) {
  const number = screenNumber;
  const courses = await api.courses();
  if (number !== screenNumber) return;
  const list = h('ul', { class: 'course-list' });
  let focus: HTMLElement | null = null;
  for (const course of courses) {
    const card = courseCard(course, focusCourse?.courseId === course.courseId ? focusCourse.message : undefined);
    list.append(card.element);
    if (focusCourse?.courseId === course.courseId) focus = card.action;
  }
  show('Courses', [h('h1', {}, 'Courses'), courses.length === 0 ? h('p', {}, 'No courses are available yet. Your institution publishes them here.') : list], focus);
}

function courseCard(course: CourseSummary, message?: string) {
  const titleId = `course-title-${course.courseId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const status = h('p', { class: 'card-status', role: 'status' }, message ?? '');
  let action: HTMLElement | null = null;
  const enrolButton = () =>
    h('button', { type: 'button', class: 'button primary', 'aria-describedby': titleId, onclick: (event: Event) => void enrol(course, event.currentTarget as HTMLButtonElement, status) }, 'Enrol');
  switch (course.access) {
    case 'enrolled':
      action = h('a', { class: 'button primary', href: courseHref(course.courseId), 'aria-describedby': titleId }, 'Open course');
      break;
    case 'free':
      action = enrolButton();
      break;
    case 'owned':
      action = enrolButton();
      if (!message) status.textContent = 'You own this course.';
      break;
    case 'for_sale':
      action = h('button', { type: 'button', class: 'button primary', 'aria-describedby': titleId, onclick: (event: Event) => void buy(course, event.currentTarget as HTMLButtonElement, status) }, `Buy for ${formatPrice(course.product!.priceCents, course.product!.currency)}`);
      break;
    case 'not_for_sale':
      status.textContent = 'Not available at the moment. Ask your institution for access.';
      break;
  }
  const language = languageAttributes(course.language);
  const element = h(
    'li',
    { class: 'card course-card' },
    h('div', { lang: language.lang, dir: language.dir }, h('h2', { id: titleId }, course.title), prose('div', markdownToHtml(course.summary), { class: 'summary' })),
    h('p', { class: 'meta' }, `${course.lessonCount} lessons · ${durationText(course.totalEstimatedMinutes)} · ${course.level}`),
    h('div', { class: 'card-actions' }, action, status),
  );
  return { element, action };
}

async function enrol(course: CourseSummary, button: HTMLButtonElement, status: HTMLElement) {
  button.disabled = true;
  status.textContent = 'Enrolling…';
  try {
    await api.enrol(course.courseId);
    location.hash = courseHref(course.courseId);
  } catch (error) {
    button.disabled = false;
    status.textContent = (error as Error).message;
  }
}

async function buy(course: CourseSummary, button: HTMLButtonElement, status: HTMLElement) {
  if (!keys || !course.product) return;
  const { productId } = course.product;
  const key = keys.keyFor(productId);
  button.disabled = true;
  status.textContent = 'Paying…';
  try {
    const purchase = await api.purchase(productId, key);
    keys.answered(productId);
    screenNumber++;
    await catalogueScreen({ courseId: course.courseId, message: `Bought for ${formatPrice(purchase.amountCents, purchase.currency)}. Enrol to start.` });
  } catch (error) {
    button.disabled = false;
    const unanswered = error instanceof PlayerError && error.unanswered;
    // Only an answer ends this purchase; after a lost one, the same key goes again so nothing is charged twice.
    if (!unanswered) keys.answered(productId);
    status.textContent = unanswered ? `${(error as Error).message} Press Buy again to retry; you will not be charged twice.` : (error as Error).message;
  }
}

// ── Course page ──────────────────────────────────────────────────────────────────────────────

function notEnrolled(error: unknown): boolean {
  return error instanceof PlayerError && (error.status === 403 || error.status === 404);
}

function notEnrolledScreen(error: PlayerError) {
  show('Course not open', [h('h1', {}, 'This course is not open to you'), h('p', {}, error.message), h('p', { class: 'actions' }, h('a', { class: 'button', href: '#/' }, 'See all courses'))]);
}

async function courseScreen(courseId: string) {
  const number = screenNumber;
  let course: Course;
  let progress: Progress;
  try {
    [course, progress] = await Promise.all([api.course(courseId), api.progress(courseId)]);
  } catch (error) {
    if (number === screenNumber && notEnrolled(error)) return notEnrolledScreen(error as PlayerError);
    throw error;
  }
  if (number !== screenNumber) return;
  record('course_viewed', courseId);
  const language = languageAttributes(course.language);
  const completed = new Set(progress.lessons.filter((lesson) => lesson.completed).map((lesson) => lesson.lessonIndex));
  const lessons = course.modules.flatMap((module) => module.lessons);
  const resumeIndex = progress.resume?.lessonIndex ?? 0;
  const resumeLesson = lessons[resumeIndex];
  const allDone = progress.completedCount === progress.lessonCount && progress.lessonCount > 0;
  const resume = resumeLesson
    ? h('a', { class: 'button primary resume', href: lessonHref(courseId, resumeIndex) }, `${progress.resume ? `Resume lesson ${resumeIndex + 1}` : 'Start lesson 1'}: ${resumeLesson.title}`)
    : null;
  const outline = course.modules.map((module) =>
    h(
      'section',
      { class: 'module', 'aria-labelledby': `module-${module.moduleIndex}` },
      h('h2', { id: `module-${module.moduleIndex}` }, `Module ${module.moduleIndex + 1}: ${module.title}`),
      h(
        'ol',
        { class: 'lesson-list' },
        module.lessons.map((lesson) =>
          h(
            'li',
            { class: completed.has(lesson.lessonIndex) ? 'done' : '' },
            h('span', { class: 'tick', 'aria-hidden': 'true' }, completed.has(lesson.lessonIndex) ? '✓' : ''),
            h('a', { href: lessonHref(courseId, lesson.lessonIndex) }, `${lesson.lessonIndex + 1}. ${lesson.title}`),
            completed.has(lesson.lessonIndex) ? h('span', { class: 'visually-hidden' }, ' (completed)') : null,
            h('span', { class: 'minutes' }, `${lesson.estimatedMinutes} min`),
          ),
        ),
      ),
      module.project ? h('details', { class: 'project' }, h('summary', {}, /^project\b/i.test(module.project.title) ? module.project.title : `Project: ${module.project.title}`), prose('div', markdownToHtml(module.project.problemStatement, { headingLevel: 4 }))) : null,
    ),
  );
  show(course.title, [
    h(
      'article',
      { class: 'course', lang: language.lang, dir: language.dir },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/' }, 'All courses')),
      h('h1', {}, course.title),
      prose('div', markdownToHtml(course.summary), { class: 'summary' }),
      h(
        'section',
        { class: 'card progress-card', 'aria-labelledby': 'progress-heading' },
        h('h2', { id: 'progress-heading' }, 'Your progress'),
        h('progress', { max: progress.lessonCount, value: progress.completedCount, 'aria-labelledby': 'progress-text' }),
        h('p', { id: 'progress-text' }, allDone ? `All ${progress.lessonCount} lessons complete.` : `${progress.completedCount} of ${progress.lessonCount} lessons complete.`),
        resume,
      ),
      ...outline,
    ),
  ]);
}

// ── Lesson reader and quiz ───────────────────────────────────────────────────────────────────

function section(title: string, ...children: (Node | null)[]) {
  return h('section', { class: 'lesson-section' }, h('h2', {}, title), ...children);
}

function inlineOrBlock(text: string, tag: 'span' | 'div' = 'span') {
  const inline = markdownInlineHtml(text);
  return inline === undefined ? prose('div', markdownToHtml(text, { headingLevel: 4 }), { class: 'prose' }) : prose(tag, inline);
}

async function lessonScreen(courseId: string, index: number) {
  const number = screenNumber;
  let lesson: Lesson;
  let progress: Progress;
  let course: Course;
  try {
    [lesson, progress, course] = await Promise.all([api.lesson(courseId, index), api.progress(courseId), api.course(courseId)]);
  } catch (error) {
    if (number === screenNumber && notEnrolled(error)) return notEnrolledScreen(error as PlayerError);
    throw error;
  }
  if (number !== screenNumber) return;
  record('lesson_viewed', courseId, { lessonIndex: index });
  void reportProgress(courseId, index, false, 0).catch(() => undefined);

  // Time on the lesson is reported when the learner leaves it (or completes it, or the page goes away).
  let since = Date.now();
  const takeSeconds = () => {
    const seconds = (Date.now() - since) / 1000;
    since = Date.now();
    return seconds;
  };
  const onPageHide = () => {
    const seconds = Math.round(takeSeconds());
    if (seconds < 1) return;
    void fetch('/api/learn/progress', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ courseId, lessonIndex: index, completed: false, timeSpentSeconds: Math.min(86_400, seconds) }), keepalive: true, credentials: 'same-origin' }).catch(() => undefined);
  };
  const heartbeat = window.setInterval(() => {
    if (document.visibilityState === 'visible') record('heartbeat', courseId, { lessonIndex: index });
  }, HEARTBEAT_EVERY_MS);
  window.addEventListener('pagehide', onPageHide);
  leaveScreen = () => {
    window.clearInterval(heartbeat);
    window.removeEventListener('pagehide', onPageHide);
    const seconds = takeSeconds();
    if (seconds >= 1) void reportProgress(courseId, index, false, seconds).catch(() => undefined);
  };

  const language = languageAttributes(course.language);
  const completed = progress.lessons[index]?.completed ?? false;
  const isLast = index + 1 >= lesson.lessonCount;
  const nav = h('nav', { class: 'lesson-nav', 'aria-label': 'Lessons' });
  const completionStatus = h('p', { class: 'completion', role: 'status' }, completed ? '✓ You completed this lesson.' : '');
  const fillNav = (done: boolean) => {
    nav.replaceChildren(
      index > 0 ? h('a', { class: 'button secondary', href: lessonHref(courseId, index - 1) }, 'Previous lesson') : h('span'),
      done
        ? h('a', { class: 'button primary', href: isLast ? courseHref(courseId) : lessonHref(courseId, index + 1) }, isLast ? 'Back to the course' : 'Next lesson')
        : h('button', { type: 'button', class: 'button primary', onclick: (event: Event) => void markComplete(event.currentTarget as HTMLButtonElement) }, isLast ? 'Mark complete' : 'Mark complete and continue'),
    );
  };
  const markComplete = async (button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await reportProgress(courseId, index, true, takeSeconds());
      record('lesson_completed', courseId, { lessonIndex: index });
      if (isLast) {
        completionStatus.textContent = '✓ You completed this lesson, the last of the course.';
        fillNav(true);
        (nav.querySelector('a.primary') as HTMLElement | null)?.focus();
      } else location.hash = lessonHref(courseId, index + 1);
    } catch (error) {
      button.disabled = false;
      completionStatus.textContent = (error as Error).message;
    }
  };
  fillNav(completed);

  show(lesson.title, [
    h(
      'article',
      { class: 'lesson', lang: language.lang, dir: language.dir },
      h('p', { class: 'breadcrumb' }, h('a', { href: courseHref(courseId) }, course.title), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', {}, lesson.moduleTitle)),
      h('h1', {}, lesson.title),
      h('p', { class: 'meta' }, `Lesson ${index + 1} of ${lesson.lessonCount} · ${lesson.estimatedMinutes} minutes`),
      lesson.objectives.length ? section('What you will learn', h('ul', {}, lesson.objectives.map((objective) => h('li', {}, inlineOrBlock(objective))))) : null,
      section('Overview', prose('div', markdownToHtml(lesson.body.overview), { class: 'prose' })),
      ...lesson.body.concepts.map((concept) =>
        section(concept.title, prose('div', markdownToHtml(concept.text), { class: 'prose' }), concept.example ? h('aside', { class: 'example' }, h('p', { class: 'example-label' }, 'Example'), prose('div', markdownToHtml(concept.example), { class: 'prose' })) : null),
      ),
      lesson.keyTakeaways.length ? section('Key takeaways', h('ul', {}, lesson.keyTakeaways.map((takeaway) => h('li', {}, inlineOrBlock(takeaway))))) : null,
      section('Practice', prose('div', markdownToHtml(lesson.practice.prompt), { class: 'prose' }), h('details', {}, h('summary', {}, 'What a good answer looks like'), prose('div', markdownToHtml(lesson.practice.expectedOutcome), { class: 'prose' }))),
      lesson.quiz.questions.length ? quizSection(courseId, index, lesson) : null,
      completionStatus,
      nav,
    ),
  ]);
}

function quizSection(courseId: string, index: number, lesson: Lesson) {
  const form = h('form', { class: 'quiz', novalidate: true, 'aria-labelledby': 'quiz-heading' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const results = h('div', { class: 'quiz-results' });
  const fieldsets = lesson.quiz.questions.map((question) => {
    const name = `question-${question.questionIndex}`;
    const inline = markdownInlineHtml(question.prompt);
    const legend = h('legend', {}, h('span', { class: 'question-number' }, `Question ${question.questionIndex + 1}`), inline === undefined ? null : prose('span', inline, { class: 'question-prompt' }));
    return h(
      'fieldset',
      { class: 'question', 'data-question': question.questionIndex },
      legend,
      inline === undefined ? prose('div', markdownToHtml(question.prompt, { headingLevel: 4 }), { class: 'prose' }) : null,
      h(
        'div',
        { class: 'options' },
        question.options.map((option, optionIndex) => {
          const id = `${name}-option-${optionIndex}`;
          return h('div', { class: 'option' }, h('input', { type: 'radio', id, name, value: optionIndex }), h('label', { for: id }, inlineOrBlock(option)));
        }),
      ),
      h('div', { class: 'feedback', hidden: true }),
    );
  });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Check answers');
  const retry = h('button', { type: 'button', class: 'button secondary', hidden: true }, 'Try again');
  form.append(...fieldsets, error, h('p', { class: 'actions' }, submit, retry));

  const chosen = () => fieldsets.map((fieldset) => fieldset.querySelector<HTMLInputElement>('input:checked'));
  const setLocked = (locked: boolean) => {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[type=radio]'))) input.disabled = locked;
    submit.hidden = locked;
    retry.hidden = !locked;
  };
  const showResult = (result: AttemptResult) => {
    const percent = Math.round(result.score * 100);
    const heading = h('h3', { id: 'quiz-result-heading', tabindex: -1 }, result.passed ? 'Passed' : 'Not passed yet');
    results.replaceChildren(
      h(
        'section',
        { class: `result ${result.passed ? 'passed' : 'failed'}`, 'aria-labelledby': 'quiz-result-heading' },
        heading,
        h('p', { class: 'score' }, `You answered ${result.correctCount} of ${result.questionCount} correctly (${percent}%). The pass mark is ${Math.round(result.passMark * 100)}%.`),
      ),
    );
    for (const outcome of result.questions) {
      const fieldset = fieldsets[outcome.questionIndex]!;
      fieldset.classList.toggle('correct', outcome.correct);
      fieldset.classList.toggle('incorrect', !outcome.correct);
      const feedback = fieldset.querySelector<HTMLElement>('.feedback')!;
      feedback.hidden = false;
      feedback.replaceChildren(h('p', { class: 'verdict' }, outcome.correct ? '✓ Correct' : '✗ Not correct'), prose('div', markdownToHtml(outcome.explanation, { headingLevel: 4 }), { class: 'prose explanation' }));
    }
    setLocked(true);
    heading.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      error.textContent = '';
      const answers = chosen();
      const missing = answers.findIndex((answer) => answer === null);
      if (missing >= 0) {
        error.textContent = `Answer question ${missing + 1} before checking your answers.`;
        fieldsets[missing]!.querySelector<HTMLInputElement>('input')!.focus();
        return;
      }
      submit.disabled = true;
      try {
        const result = await api.attemptQuiz(courseId, index, answers.map((answer) => Number(answer!.value)));
        record('quiz_attempted', courseId, { lessonIndex: index, data: { attemptId: result.attemptId, score: result.score, correctCount: result.correctCount, questionCount: result.questionCount } });
        if (result.passed) record('quiz_passed', courseId, { lessonIndex: index, data: { attemptId: result.attemptId, score: result.score } });
        showResult(result);
      } catch (failure) {
        error.textContent = (failure as Error).message;
      } finally {
        submit.disabled = false;
      }
    })();
  });
  retry.addEventListener('click', () => {
    form.reset();
    results.replaceChildren();
    for (const fieldset of fieldsets) {
      fieldset.classList.remove('correct', 'incorrect');
      const feedback = fieldset.querySelector<HTMLElement>('.feedback')!;
      feedback.hidden = true;
      feedback.replaceChildren();
    }
    setLocked(false);
    fieldsets[0]?.querySelector<HTMLInputElement>('input')?.focus();
  });
  return h('section', { class: 'lesson-section quiz-section' }, h('h2', { id: 'quiz-heading' }, lesson.quiz.title), h('p', { class: 'hint' }, 'Choose one answer for each question. The server checks your answers and then shows the explanations.'), form, results);
}

// ── Routing ──────────────────────────────────────────────────────────────────────────────────

async function render() {
  leaveScreen?.();
  leaveScreen = null;
  screenNumber++;
  if (!learner) return signInScreen('signin');
  const route = currentRoute();
  showLoading();
  try {
    if (route.screen === 'catalogue') {
      await catalogueScreen();
    } else if (route.screen === 'course') {
      await courseScreen(route.courseId);
    } else {
      await lessonScreen(route.courseId, route.index);
    }
  } catch (error) {
    showFailure(error);
  }
}

async function start() {
  renderHeader();
  window.addEventListener('hashchange', () => void render());
  window.setInterval(() => void events?.flush(), FLUSH_EVERY_MS);
  window.addEventListener('online', () => void events?.flush());
  // As the page goes away: one keepalive request with what is queued; anything it does not carry
  // (or whose answer never arrives) stays in storage and goes with the next page load.
  window.addEventListener('pagehide', () => void events?.flush({ keepalive: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void events?.flush({ keepalive: true });
  });
  try {
    await signedIn(await api.me());
  } catch (error) {
    if (error instanceof PlayerError && error.status === 401) signedOut();
    else showFailure(error);
  }
}

void start();
