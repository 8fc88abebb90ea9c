import type { ContentItem, LessonContent, Project, Quiz } from '../../schemas/content.js';
import type { Course } from '../../schemas/course.js';
import type { z } from 'zod';
import { CoursewrightError, describeZodIssues } from '../../schemas/errors.js';
import { PackageDocument, type PackageItemHash } from '../../schemas/package.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { findMissingPieces, requiredProjectModules, type MissingPiece } from '../lifecycle/readiness.js';

export type { MissingPiece };

export interface ApprovedSyllabusVersion {
  id: string;
  version: number;
  contentHash: string;
  syllabus: Syllabus;
}

/**
 * Freezes a course's approved syllabus and approved content into one package document.
 * Only APPROVED items go in; if any lesson, quiz or required project lacks an approved version
 * the build is refused with every missing piece listed, so the designer sees the whole gap at once.
 * The document depends only on the approved content, so assembling it twice gives the same hash.
 */
export function assemblePackageDocument(course: Course, approved: ApprovedSyllabusVersion, content: ContentItem[]): { document: PackageDocument; itemHashes: PackageItemHash[] } {
  const ofSyllabus = content.filter((c) => c.syllabusVersionId === approved.id);
  const { missing, approved: latestApproved } = findMissingPieces(approved.syllabus, ofSyllabus);
  const need = (kind: MissingPiece['kind'], targetId: string): ContentItem | undefined => latestApproved.get(`${kind}:${targetId}`);
  const frozen = <T>(item: ContentItem) => ({ itemId: item.id, version: item.version, contentHash: item.review.contentHash, content: item.content as T });
  const projectModules = new Set(requiredProjectModules(approved.syllabus));
  const modules = approved.syllabus.modules.map((module) => {
    const lessons = module.lessons.map((lesson) => {
      const lessonItem = need('lesson', lesson.id);
      const quizItem = need('quiz', lesson.id);
      return lessonItem && quizItem
        ? { id: lesson.id, index: lesson.index, title: lesson.title, estimatedMinutes: lesson.estimatedMinutes, lesson: frozen<LessonContent>(lessonItem), quiz: frozen<Quiz>(quizItem) }
        : undefined;
    });
    const projectItem = projectModules.has(module.id) ? need('project', module.id) : undefined;
    return {
      id: module.id,
      index: module.index,
      title: module.title,
      summary: module.summary,
      estimatedMinutes: module.estimatedMinutes,
      lessons,
      project: projectItem ? frozen<Project>(projectItem) : null,
    };
  });

  if (missing.length > 0) {
    const lines = missing.map((m) => `${m.kind} ${m.targetId} (${m.title}): ${m.state === 'missing' ? 'no content yet' : 'not approved yet'}`);
    throw new CoursewrightError(
      'CONFLICT',
      `The package needs every lesson, quiz and required project approved; ${missing.length} ${missing.length === 1 ? 'piece is' : 'pieces are'} missing:\n  ${lines.slice(0, 25).join('\n  ')}${lines.length > 25 ? `\n  …and ${lines.length - 25} more` : ''}\nGenerate and approve them, then build again.`,
      { missing: missing.map(({ kind, targetId, title, state }) => ({ kind, targetId, title, state })) },
    );
  }

  const syllabus = approved.syllabus;
  const checked = PackageDocument.safeParse({
    format: 'coursewright.course-package',
    formatVersion: 1,
    course: {
      id: course.id,
      title: syllabus.title,
      summary: syllabus.summary,
      audience: syllabus.audience,
      level: syllabus.level,
      language: syllabus.language,
      totalEstimatedMinutes: syllabus.totalEstimatedMinutes,
    },
    syllabus: { versionId: approved.id, version: approved.version, contentHash: approved.contentHash },
    modules,
  });
  if (!checked.success) throw unpackageableContent(checked.error, syllabus.modules);
  return { document: checked.data, itemHashes: itemHashesOf(checked.data) };
}

/**
 * Approved content that today's rules refuse (text approved before characters XML cannot carry
 * were refused at the door): approved versions never change, so the way out is a new version of
 * each item named here.
 */
function unpackageableContent(error: z.ZodError, modules: Array<{ title: string; lessons: Array<{ title: string }> }>): CoursewrightError {
  const places = error.issues.slice(0, 10).map((issue) => {
    const [top, moduleIndex, part, lessonIndex, kind] = issue.path;
    const module = top === 'modules' && typeof moduleIndex === 'number' ? modules[moduleIndex] : undefined;
    const lesson = module && part === 'lessons' && typeof lessonIndex === 'number' ? module.lessons[lessonIndex] : undefined;
    const item = lesson ? `the ${String(kind)} of lesson "${lesson.title}"` : module && part === 'project' ? `the project of module "${module.title}"` : 'the course';
    return `${item}: ${issue.message}`;
  });
  return new CoursewrightError(
    'CONFLICT',
    `Approved content cannot go into a package as it is:\n  ${places.join('\n  ')}\nApproved versions never change: make a new version of each item named (edit or regenerate it), approve it, then build again.`,
    { issues: describeZodIssues(error, 50) },
  );
}

/** Every frozen item and its approval hash, syllabus first, in course order. */
export function itemHashesOf(document: PackageDocument): PackageItemHash[] {
  const hashes: PackageItemHash[] = [{ kind: 'syllabus', targetId: document.course.id, itemId: document.syllabus.versionId, version: document.syllabus.version, contentHash: document.syllabus.contentHash }];
  for (const module of document.modules) {
    for (const lesson of module.lessons) {
      hashes.push({ kind: 'lesson', targetId: lesson.id, itemId: lesson.lesson.itemId, version: lesson.lesson.version, contentHash: lesson.lesson.contentHash });
      hashes.push({ kind: 'quiz', targetId: lesson.id, itemId: lesson.quiz.itemId, version: lesson.quiz.version, contentHash: lesson.quiz.contentHash });
    }
    if (module.project) hashes.push({ kind: 'project', targetId: module.id, itemId: module.project.itemId, version: module.project.version, contentHash: module.project.contentHash });
  }
  return hashes;
}
