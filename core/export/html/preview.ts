import type { LessonContent, Project, Quiz } from '../../../schemas/content.js';
import type { PackageDocument } from '../../../schemas/package.js';
import { courseCss, courseScript } from './assets.js';
import { esc, formatMinutes, lessonArticle, page, projectSection, quizSection } from './render.js';

/**
 * The course as a learner meets it, in one self-contained HTML document the studio shows in a
 * sandboxed frame: the SCORM player's layout and the very script every web export carries (lessons,
 * quizzes that score themselves with feedback, project pages, progress), with progress kept in
 * memory only. Unlike a package it may have holes: a lesson, quiz or project with no content yet
 * shows as "Not written yet" instead of stopping the preview.
 */

/** One item as the preview shows it: its content and which stored version it is. */
export interface PreviewItem<T> {
  content: T;
  version: number;
  /** Review status of that version (DRAFT, IN_REVIEW, APPROVED, …). */
  status: string;
}

export interface PreviewCourse {
  course: PackageDocument['course'];
  /** What the preview was made from, said on the page so nobody takes drafts for the published course. */
  source: { kind: 'drafts'; syllabusVersion: number; syllabusStatus: string } | { kind: 'package'; version: number; contentHash: string };
  modules: Array<{
    id: string;
    title: string;
    summary: string;
    lessons: Array<{ id: string; title: string; estimatedMinutes: number; lesson: PreviewItem<LessonContent> | null; quiz: PreviewItem<Quiz> | null }>;
    /** Whether the course requires a project for this module (then a missing one shows as not written). */
    projectRequired: boolean;
    project: PreviewItem<Project> | null;
  }>;
}

/** The page id of the course's home page inside the preview. */
export const previewHomeId = 'course-home';
const projectPageId = (moduleId: string) => `project-${moduleId}`;

const statusWords: Record<string, string> = { DRAFT: 'draft', IN_REVIEW: 'in review', APPROVED: 'approved', REJECTED: 'rejected', SUPERSEDED: 'superseded' };
const versionNote = (label: string, item: PreviewItem<unknown> | null) => (item ? `${label}: version ${item.version}, ${statusWords[item.status] ?? item.status.toLowerCase()}` : `${label}: not written yet`);

const notWritten = (what: string) => `<div class="not-written"><p><strong>Not written yet.</strong> This ${what} has no content yet: generate or write it in Content, then preview again.</p></div>`;

/** How many lessons, quizzes and required projects have no content yet. */
export function notWrittenCount(preview: PreviewCourse): number {
  return preview.modules.reduce((n, m) => n + m.lessons.reduce((k, l) => k + (l.lesson ? 0 : 1) + (l.quiz ? 0 : 1), 0) + (m.projectRequired && !m.project ? 1 : 0), 0);
}

export function previewHtml(preview: PreviewCourse): string {
  const course = preview.course;
  const drafts = preview.source.kind === 'drafts';
  const lessons = preview.modules.flatMap((m) => m.lessons);
  const hasProjectPage = (m: PreviewCourse['modules'][number]) => Boolean(m.project) || m.projectRequired;

  const banner =
    preview.source.kind === 'drafts'
      ? `Preview from the current drafts (syllabus version ${preview.source.syllabusVersion}, ${statusWords[preview.source.syllabusStatus] ?? preview.source.syllabusStatus.toLowerCase()}): the latest version of every lesson, quiz and project, whatever its review status. Learners see only approved content, once it is packaged.`
      : `Preview of package v${preview.source.version} (content ${preview.source.contentHash.slice(0, 12)}): exactly what its exports show learners.`;

  const outline = preview.modules
    .map(
      (module) => `<li><span class="module-name">${esc(module.title)}</span><ol>
${module.lessons.map((l) => `<li><a href="#${esc(l.id)}" data-target="${esc(l.id)}">${esc(l.lesson?.content.title ?? l.title)}</a><span class="seen-mark"></span>${l.lesson && l.quiz ? '' : ' <span class="preview-note">(not written yet)</span>'}</li>`).join('\n')}
${hasProjectPage(module) ? `<li><a href="#${esc(projectPageId(module.id))}" data-target="${esc(projectPageId(module.id))}">${esc(module.project?.content.title ?? `Project: ${module.title}`)}</a></li>` : ''}
</ol></li>`,
    )
    .join('\n');
  const nav = `<nav class="outline" aria-label="Lessons">
<p class="preview-banner">${esc(banner)}</p>
<p id="player-status" class="player-status" role="status"></p>
<ol>
<li><a href="#${previewHomeId}" data-target="${previewHomeId}">Course home</a></li>
${outline}
</ol>
</nav>`;

  const lessonCount = lessons.length;
  const first = lessons[0];
  const home = `<section class="player-page" data-page="${previewHomeId}" hidden>
<h1>${esc(course.title)}</h1>
<p>${esc(course.summary)}</p>
<dl class="facts">
<div><dt>Audience</dt><dd>${esc(course.audience)}</dd></div>
<div><dt>Level</dt><dd>${esc(course.level)}</dd></div>
<div><dt>Time</dt><dd>${esc(formatMinutes(course.totalEstimatedMinutes))}</dd></div>
<div><dt>Content</dt><dd>${preview.modules.length} module${preview.modules.length === 1 ? '' : 's'}, ${lessonCount} lesson${lessonCount === 1 ? '' : 's'}</dd></div>
</dl>
${first ? `<p><a href="#${esc(first.id)}">Start with the first lesson: ${esc(first.lesson?.content.title ?? first.title)}</a></p>` : ''}
</section>
`;

  const lessonPages = lessons.map((l, i) => {
    const previous = lessons[i - 1];
    const next = lessons[i + 1];
    const titleOf = (x: (typeof lessons)[number]) => esc(x.lesson?.content.title ?? x.title);
    const pager = `<nav class="pager" aria-label="Lesson navigation">${previous ? `<a href="#${esc(previous.id)}">Previous: ${titleOf(previous)}</a>` : '<span></span>'}${next ? `<a href="#${esc(next.id)}">Next: ${titleOf(next)}</a>` : '<span></span>'}</nav>`;
    const notes = drafts ? `<p class="preview-note">${esc(`${versionNote('Lesson', l.lesson)} · ${versionNote('Quiz', l.quiz)}`)}</p>\n` : '';
    const article = l.lesson
      ? lessonArticle(l.lesson.content, 1)
      : `<article class="lesson"><h1>${esc(l.title)}</h1>\n<p class="meta">${esc(formatMinutes(l.estimatedMinutes))}</p>\n${notWritten('lesson')}</article>`;
    const quiz = l.quiz ? quizSection(l.quiz.content, l.id, 2) : `<section class="quiz"><h2>Quiz</h2>\n${notWritten('quiz')}</section>`;
    return `<section class="player-page player-lesson" data-lesson="${esc(l.id)}" hidden>
${notes}${article}
${quiz}
${pager}
</section>
`;
  });

  const projectPages = preview.modules.filter(hasProjectPage).map((module) => {
    const notes = drafts ? `<p class="preview-note">${esc(versionNote('Project', module.project))}</p>\n` : '';
    const body = module.project ? projectSection(module.project.content, 1) : `<article class="project"><h1>${esc(`Project: ${module.title}`)}</h1>\n${notWritten('project')}</article>`;
    return `<section class="player-page" data-page="${esc(projectPageId(module.id))}" hidden>
${notes}${body}
</section>
`;
  });

  return page({
    language: course.language,
    title: `${course.title} · preview`,
    root: '',
    courseTitle: course.title,
    homeHref: `#${previewHomeId}`,
    layout: 'player',
    bodyAttributes: { 'data-mode': 'preview', 'data-start': previewHomeId },
    nav,
    main: `${home}${lessonPages.join('')}${projectPages.join('')}`,
    inline: { css: courseCss, script: courseScript },
  });
}
