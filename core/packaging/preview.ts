import type { ContentItem, LessonContent, Project, Quiz } from '../../schemas/content.js';
import type { Course } from '../../schemas/course.js';
import type { CoursePackage } from '../../schemas/package.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { notWrittenCount, previewHtml, type PreviewCourse, type PreviewItem } from '../export/html/preview.js';
import { requiredProjectModules } from '../lifecycle/course-lifecycle.js';
import type { Store } from '../ports.js';

/**
 * What a preview shows, assembled the way a package is (the syllabus's modules and lessons in
 * order, the same required projects, the same course facts) but from whatever exists now: the
 * latest version of every item whatever its status, and nothing where nothing was written.
 * Reading only: a preview never writes a package, an audit row or anything else.
 */
export function previewFromDrafts(course: Course, syllabusVersion: SyllabusVersion, content: ContentItem[]): PreviewCourse {
  const latest = new Map<string, ContentItem>();
  for (const item of content) {
    if (item.syllabusVersionId !== syllabusVersion.id) continue;
    const key = `${item.kind}:${item.targetId}`;
    const held = latest.get(key);
    if (!held || held.version < item.version) latest.set(key, item);
  }
  const itemOf = <T>(kind: ContentItem['kind'], targetId: string): PreviewItem<T> | null => {
    const item = latest.get(`${kind}:${targetId}`);
    return item ? { content: item.content as T, version: item.version, status: item.status } : null;
  };
  const syllabus = syllabusVersion.syllabus;
  const projectModules = new Set(requiredProjectModules(syllabus));
  return {
    course: { id: course.id, title: syllabus.title, summary: syllabus.summary, audience: syllabus.audience, level: syllabus.level, language: syllabus.language, totalEstimatedMinutes: syllabus.totalEstimatedMinutes },
    source: { kind: 'drafts', syllabusVersion: syllabusVersion.version, syllabusStatus: syllabusVersion.status },
    modules: syllabus.modules.map((module) => ({
      id: module.id,
      title: module.title,
      summary: module.summary,
      lessons: module.lessons.map((lesson) => ({
        id: lesson.id,
        title: lesson.title,
        estimatedMinutes: lesson.estimatedMinutes,
        lesson: itemOf<LessonContent>('lesson', lesson.id),
        quiz: itemOf<Quiz>('quiz', lesson.id),
      })),
      projectRequired: projectModules.has(module.id),
      // A project written for a module that no longer requires one is still shown: it exists.
      project: itemOf<Project>('project', module.id),
    })),
  };
}

/** A package as the preview shows it: every item present, exactly as frozen. */
export function previewFromPackage(pkg: CoursePackage): PreviewCourse {
  const doc = pkg.document;
  const frozen = <T>(item: { content: T; version: number }): PreviewItem<T> => ({ content: item.content, version: item.version, status: 'APPROVED' });
  return {
    course: doc.course,
    source: { kind: 'package', version: pkg.version, contentHash: pkg.contentHash },
    modules: doc.modules.map((module) => ({
      id: module.id,
      title: module.title,
      summary: module.summary,
      lessons: module.lessons.map((lesson) => ({ id: lesson.id, title: lesson.title, estimatedMinutes: lesson.estimatedMinutes, lesson: frozen(lesson.lesson), quiz: frozen(lesson.quiz) })),
      projectRequired: module.project !== null,
      project: module.project ? frozen(module.project) : null,
    })),
  };
}

export interface CoursePreview {
  /** One self-contained HTML document (stylesheet and script inside), for a sandboxed frame. */
  html: string;
  source: PreviewCourse['source'];
  /** Lessons, quizzes and required projects with no content yet, each shown as "Not written yet". */
  notWritten: number;
}

/**
 * The preview of a course: from a chosen package of that course, or else from the current drafts
 * against the latest approved syllabus (content is written only against an approved one); a course
 * with no approved syllabus yet previews its latest syllabus version, every lesson not written yet.
 */
export function coursePreview(store: Store, courseId: string, packageId?: string): CoursePreview {
  const course = store.courses.get(courseId);
  if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". Open a course from the course list.`, { courseId });
  let preview: PreviewCourse;
  if (packageId) {
    const pkg = store.packages.get(packageId);
    if (!pkg || pkg.courseId !== courseId) throw new CoursewrightError('NOT_FOUND', `No package "${packageId}" of this course. Choose one from the course's packages.`, { courseId, packageId });
    preview = previewFromPackage(pkg);
  } else {
    const versions = store.syllabi.listByCourse(courseId);
    const syllabusVersion = versions.filter((v) => v.status === 'APPROVED').at(-1) ?? versions.at(-1);
    if (!syllabusVersion) throw new CoursewrightError('CONFLICT', 'This course has no syllabus yet, so there is nothing to preview. Generate a syllabus in the syllabus workspace first.', { courseId });
    preview = previewFromDrafts(course, syllabusVersion, store.content.listBySyllabusVersion(syllabusVersion.id));
  }
  return { html: previewHtml(preview), source: preview.source, notWritten: notWrittenCount(preview) };
}
