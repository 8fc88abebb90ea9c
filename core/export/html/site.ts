import type { ExportablePackage } from '../types.js';
import { courseCss, courseScript } from './assets.js';
import type { PackageModule } from '../../../schemas/package.js';
import { courseFacts, esc, lessonArticle, lessonSequence, page, projectSection, quizSection, type PageShell } from './render.js';

/**
 * Text produced piece by piece while it is being compressed: a large page (a SCORM player holds
 * every lesson of the course) is rendered chunk by chunk as the zip writer asks for more, so
 * rendering and compression overlap instead of running one after the other.
 */
export interface StreamedText {
  chunks: () => Iterable<string>;
}

export interface ExportFile {
  path: string;
  data: string | Uint8Array | StreamedText;
}

/** A file's whole content, for consumers that need it at once (writing a folder, other zip libraries). */
export function wholeData(file: ExportFile): string | Uint8Array {
  return typeof file.data === 'string' || file.data instanceof Uint8Array ? file.data : [...file.data.chunks()].join('');
}

export const lessonHref = (lessonId: string) => `lessons/${lessonId}.html`;
export const projectHref = (moduleId: string) => `projects/${moduleId}.html`;

/** A small record of what the export was made from, so a file found later can be traced to its package. */
export function packageStamp(pkg: ExportablePackage, format: string): ExportFile {
  return {
    path: 'coursewright-package.json',
    data: `${JSON.stringify({ format, packageId: pkg.id, courseId: pkg.courseId, version: pkg.version, contentHash: pkg.contentHash, builtAt: pkg.createdAt }, null, 2)}\n`,
  };
}

/**
 * The static website: an index, one page per lesson (with its quiz) and per project, one
 * stylesheet and one script. Works from a folder on disk or any web server; progress stays in
 * the learner's browser.
 */
export function htmlSiteFiles(pkg: ExportablePackage, onLesson?: (done: number, total: number) => void): ExportFile[] {
  const doc = pkg.document;
  const course = doc.course;
  const courseKey = `${pkg.courseId}:${pkg.contentHash.slice(0, 16)}`;
  const sequence = lessonSequence(doc);
  const files: ExportFile[] = [
    { path: 'assets/course.css', data: courseCss },
    { path: 'assets/course.js', data: courseScript },
    packageStamp(pkg, 'html'),
  ];

  const modulesHtml = doc.modules
    .map(
      (module, mi) => `<li>
<h2 id="module-${esc(module.id)}">Module ${mi + 1}: ${esc(module.title)}</h2>
${module.summary ? `<p>${esc(module.summary)}</p>` : ''}
<ol>
${module.lessons.map((l) => `<li><a href="${lessonHref(l.id)}">${esc(l.lesson.content.title)}</a> <span class="progress-note" data-progress-lesson="${esc(l.id)}"></span></li>`).join('\n')}
${module.project ? `<li><a href="${projectHref(module.id)}">${esc(module.project.content.title)}</a></li>` : ''}
</ol>
</li>`,
    )
    .join('\n');
  files.push({
    path: 'index.html',
    data: page({
      language: course.language,
      title: course.title,
      root: '',
      courseTitle: course.title,
      homeHref: 'index.html',
      bodyAttributes: { 'data-mode': 'site', 'data-course-key': courseKey },
      scripts: ['assets/course.js'],
      main: `<h1>${esc(course.title)}</h1>
<p>${esc(course.summary)}</p>
${courseFacts(doc)}
<p id="course-progress" role="status"></p>
<nav aria-label="Course contents"><ol class="module-list">
${modulesHtml}
</ol></nav>`,
    }),
  });

  sequence.forEach(({ module, lesson }, i) => {
    const previous = sequence[i - 1];
    const next = sequence[i + 1];
    const pager = `<nav class="pager" aria-label="Lesson navigation">${previous ? `<a href="${previous.lesson.id}.html" rel="prev">Previous: ${esc(previous.lesson.lesson.content.title)}</a>` : '<span></span>'}${
      next ? `<a href="${next.lesson.id}.html" rel="next">Next: ${esc(next.lesson.lesson.content.title)}</a>` : `<a href="../index.html">Back to the course contents</a>`
    }</nav>`;
    files.push({
      path: lessonHref(lesson.id),
      data: page({
        language: course.language,
        title: `${lesson.lesson.content.title} · ${course.title}`,
        root: '../',
        courseTitle: course.title,
        homeHref: '../index.html',
        bodyAttributes: { 'data-mode': 'site', 'data-course-key': courseKey, 'data-lesson': lesson.id },
        scripts: ['../assets/course.js'],
        nav: breadcrumbs(module.title, module.id),
        main: `${lessonArticle(lesson.lesson.content, 1)}\n${quizSection(lesson.quiz.content, lesson.id, 2)}\n${pager}`,
      }),
    });
    onLesson?.(i + 1, sequence.length);
  });

  for (const module of doc.modules) {
    if (module.project) files.push(projectPageFile(pkg, module, { courseTitle: course.title, homeHref: '../index.html', nav: breadcrumbs(module.title, module.id), bodyAttributes: { 'data-mode': 'site', 'data-course-key': courseKey } }));
  }
  return files;
}

/** A module's project as a page of its own, one folder below the export's root. */
export function projectPageFile(pkg: ExportablePackage, module: PackageModule, shell: Pick<PageShell, 'courseTitle' | 'homeHref' | 'nav' | 'bodyAttributes'>): ExportFile {
  const course = pkg.document.course;
  return {
    path: projectHref(module.id),
    data: page({ ...shell, language: course.language, title: `${module.project!.content.title} · ${course.title}`, root: '../', main: projectSection(module.project!.content, 1) }),
  };
}

function breadcrumbs(moduleTitle: string, moduleId: string): string {
  return `<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="../index.html">Course contents</a></li><li><a href="../index.html#module-${esc(moduleId)}">${esc(moduleTitle)}</a></li></ol></nav>`;
}
