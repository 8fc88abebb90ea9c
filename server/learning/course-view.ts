import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { MASTERY_SCALED } from '../../core/export/scorm.js';
import type { PackageDocument } from '../../schemas/package.js';
import { LearnerCourse, LearnerLesson } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { packages } from '../db/schema.js';
import { ImmutableCache } from './immutable-cache.js';

/** The share of questions a learner must get right to pass a quiz: the same bar the SCORM exports set. */
export const PASS_MARK = MASTERY_SCALED;

/** How the server scores one lesson's quiz; never sent to learners. */
export interface QuizKey {
  lessonId: string;
  quizItemId: string;
  quizContentHash: string;
  questions: { questionId: string; optionCount: number; correctIndex: number; explanation: string }[];
}

/**
 * One package as learners get it, built once per package: the outline, every lesson's learner
 * view, and the answer keys kept apart from both. Every learner-facing field is copied by name
 * (an allow-list), never by spreading package objects, so a field added to the package format
 * later stays private until someone decides learners may see it.
 */
export interface CourseView {
  contentHash: string;
  version: number;
  outline: z.output<typeof LearnerCourse>;
  lessons: z.output<typeof LearnerLesson>[];
  keys: QuizKey[];
}

export function buildCourseView(document: PackageDocument, contentHash: string, version: number): CourseView {
  const lessonCount = document.modules.reduce((sum, module) => sum + module.lessons.length, 0);
  const lessons: CourseView['lessons'] = [];
  const keys: QuizKey[] = [];
  const modules = document.modules.map((module, moduleIndex) => ({
    moduleIndex,
    title: module.title,
    summary: module.summary,
    estimatedMinutes: module.estimatedMinutes,
    lessons: module.lessons.map((entry) => {
      const lessonIndex = lessons.length;
      const lesson = entry.lesson.content;
      const quiz = entry.quiz.content;
      lessons.push({
        courseId: document.course.id,
        version,
        contentHash,
        lessonIndex,
        lessonCount,
        lessonId: entry.id,
        moduleIndex,
        moduleTitle: module.title,
        title: entry.title,
        estimatedMinutes: entry.estimatedMinutes,
        objectives: [...lesson.objectives],
        body: {
          overview: lesson.explanation.overview,
          concepts: lesson.explanation.concepts.map((concept) => ({ title: concept.title, text: concept.explanation, ...(concept.example === undefined ? {} : { example: concept.example }) })),
        },
        keyTakeaways: [...lesson.keyTakeaways],
        practice: { prompt: lesson.practice.prompt, expectedOutcome: lesson.practice.expectedOutcome },
        quiz: { title: quiz.title, questions: quiz.questions.map((question, questionIndex) => ({ questionIndex, questionId: question.id, prompt: question.prompt, options: [...question.options] })) },
      });
      keys.push({
        lessonId: entry.id,
        quizItemId: entry.quiz.itemId,
        quizContentHash: entry.quiz.contentHash,
        questions: quiz.questions.map((question) => ({ questionId: question.id, optionCount: question.options.length, correctIndex: question.correctIndex, explanation: question.explanation })),
      });
      return { lessonIndex, lessonId: entry.id, title: entry.title, estimatedMinutes: entry.estimatedMinutes, objectives: [...lesson.objectives], questionCount: quiz.questions.length };
    }),
    project: module.project
      ? {
          title: module.project.content.title,
          problemStatement: module.project.content.problemStatement,
          constraints: [...module.project.content.constraints],
          deliverables: [...module.project.content.deliverables],
          rubric: {
            totalPoints: module.project.content.rubric.totalPoints,
            criteria: module.project.content.rubric.criteria.map((criterion) => ({ title: criterion.title, levels: criterion.levels.map((level) => ({ label: level.label, descriptor: level.descriptor, points: level.points })) })),
          },
        }
      : null,
  }));
  const { course } = document;
  const outline = { courseId: course.id, version, contentHash, title: course.title, summary: course.summary, audience: course.audience, level: course.level, language: course.language, totalEstimatedMinutes: course.totalEstimatedMinutes, lessonCount, modules };
  // The learner shapes are strict: a key that is not in them fails here, before any learner sees it.
  return { contentHash, version, outline: LearnerCourse.parse(outline), lessons: lessons.map((lesson) => LearnerLesson.parse(lesson)), keys };
}

/**
 * Views of packages this process has built, by tenant and content hash. The tenant is part of the
 * key, not only the hash: the same content published by two tenants has a version number of each
 * tenant's own, and a view is only ever asked for after a query that named the learner's tenant
 * found that package live there (server/store/learning-store.ts), so a cached view never reaches
 * a learner whose tenant does not have the package.
 */
const views = new ImmutableCache<CourseView>(16);

export function courseView(db: ServerDb, tenantId: string, contentHash: string, version: number): Promise<CourseView> {
  return views.get(`${tenantId}\u0000${contentHash}`, async () => {
    const [row] = await db.select({ document: packages.document }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.contentHash, contentHash)));
    if (!row) throw new Error(`Package ${contentHash} is live but missing; packages are insert-only, so the database was changed outside the server.`);
    return buildCourseView(row.document as PackageDocument, contentHash, version);
  });
}

/** What the learners' catalogue shows of a package: a few fields, so thousands fit where views fit sixteen. */
export interface CatalogueEntry {
  title: string;
  summary: string;
  level: string;
  language: string;
  totalEstimatedMinutes: number;
  lessonCount: number;
}

const catalogueEntries = new ImmutableCache<CatalogueEntry>(4096);

/**
 * The catalogue entries of packages of one tenant, by content hash, in the order asked. Entries
 * this process has not seen yet are read in one query that takes only those fields out of the
 * documents; after that a catalogue request reads no package document at all. As with views, the
 * caller has already found these packages in the tenant's releases.
 */
export async function catalogueEntriesOf(db: ServerDb, tenantId: string, contentHashes: readonly string[]): Promise<CatalogueEntry[]> {
  const key = (hash: string) => `${tenantId}\u0000${hash}`;
  const missing = contentHashes.filter((hash) => !catalogueEntries.peek(key(hash)));
  const loaded =
    missing.length === 0
      ? null
      : db
          .select({
            contentHash: packages.contentHash,
            course: sql<{ title: string; summary: string; level: string; language: string; totalEstimatedMinutes: number }>`${packages.document}->'course'`,
            lessonCount: sql<number>`(select coalesce(sum(jsonb_array_length(m->'lessons')), 0)::int from jsonb_array_elements(${packages.document}->'modules') m)`,
          })
          .from(packages)
          .where(and(eq(packages.tenantId, tenantId), inArray(packages.contentHash, missing)))
          .then((rows) => new Map(rows.map((row) => [row.contentHash, row])));
  return Promise.all(
    contentHashes.map((hash) =>
      catalogueEntries.get(key(hash), async () => {
        const row = (await loaded!).get(hash);
        if (!row) throw new Error(`Package ${hash} is live but missing; packages are insert-only, so the database was changed outside the server.`);
        const { title, summary, level, language, totalEstimatedMinutes } = row.course;
        return { title, summary, level, language, totalEstimatedMinutes, lessonCount: row.lessonCount };
      }),
    ),
  );
}
