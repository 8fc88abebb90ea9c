import { and, asc, eq, sql } from 'drizzle-orm';
import { CourseParams, CourseProgress, Enrolment, EnrollRequest, LearnerCourse, LearnerCourseList, LearnerLesson, LessonParams, LessonProgress, ProgressUpdate, QuizAttemptRequest, QuizAttemptResult } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { attemptAnswers, attempts, enrolments, lessonProgress, packages, products, purchases, grants, releases } from '../db/schema.js';
import { newId } from '../auth/secrets.js';
import { catalogueEntriesOf, courseView, PASS_MARK, type CourseView } from '../learning/course-view.js';
import { ApiError } from '../http/errors.js';
import { defineRoute, type RouteDefinition } from '../http/routes.js';
import { accessOf, enrolledCourse, learnerOf, liveCourse, ownsCourseSql, productOfCourse } from '../store/learning-store.js';

const iso = (timestamp: string | null) => (timestamp === null ? null : new Date(timestamp).toISOString());

function lessonAt(view: CourseView, courseId: string, index: number) {
  const lesson = view.lessons[index];
  if (!lesson) throw new ApiError('NOT_FOUND', `Course "${courseId}" has ${view.lessons.length} lessons, numbered 0 to ${view.lessons.length - 1}; there is no lesson ${index}.`);
  return lesson;
}

/**
 * What signed-in learners do: find their tenant's live courses, enrol, read lessons, report
 * progress and take quizzes the server scores. Every query names the learner's tenant, so a
 * course of another tenant answers 404 exactly like one that does not exist.
 *
 * These routes keep no state in the process: enrolments, progress and attempts are rows, and
 * the only memory is the caches of immutable package views and catalogue entries
 * (server/learning/course-view.ts), so any number of instances behind a load balancer answer
 * alike. They have no rate limit of their own: each needs a session, and each request does a
 * bounded amount of work.
 */
export function learnerRoutes(db: ServerDb): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/learn/courses',
      access: 'learner',
      tag: 'learners',
      summary: "The live courses of the learner's tenant, with their price and where the learner stands with each",
      success: { status: 200, schema: LearnerCourseList },
      handler: async ({ principal }) => {
        const learner = learnerOf(principal);
        // The catalogue reads no package documents: the few fields it shows of each live package
        // come from the per-process cache of immutable catalogue entries (course-view.ts).
        const rows = await db
          .select({
            courseId: releases.courseId,
            liveHash: releases.liveHash,
            version: packages.version,
            productId: products.id,
            priceCents: products.priceCents,
            currency: products.currency,
            active: products.active,
            enrolledVia: enrolments.via,
            owned: ownsCourseSql(learner.tenantId, learner.userId, releases.courseId),
          })
          .from(releases)
          .innerJoin(packages, and(eq(packages.tenantId, releases.tenantId), eq(packages.contentHash, releases.liveHash)))
          .leftJoin(products, and(eq(products.tenantId, releases.tenantId), eq(products.courseId, releases.courseId)))
          .leftJoin(enrolments, and(eq(enrolments.tenantId, releases.tenantId), eq(enrolments.courseId, releases.courseId), eq(enrolments.userId, learner.userId)))
          .where(eq(releases.tenantId, learner.tenantId))
          .orderBy(asc(releases.courseId));
        const entries = await catalogueEntriesOf(db, learner.tenantId, rows.map((row) => row.liveHash));
        return rows.map((row, index) => {
          const entry = entries[index]!;
          const product = row.productId === null ? null : { productId: row.productId, priceCents: row.priceCents!, currency: row.currency!, active: row.active! };
          return {
            courseId: row.courseId,
            title: entry.title,
            summary: entry.summary,
            level: entry.level,
            language: entry.language,
            totalEstimatedMinutes: entry.totalEstimatedMinutes,
            lessonCount: entry.lessonCount,
            version: row.version,
            product: product?.active ? { productId: product.productId, priceCents: product.priceCents, currency: product.currency } : null,
            access: accessOf(product, row.owned, row.enrolledVia !== null),
          };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/learn/courses/:courseId',
      access: 'learner',
      tag: 'learners',
      summary: 'The live course for an enrolled learner: outline, lessons and projects, without any quiz answers',
      params: CourseParams,
      success: { status: 200, schema: LearnerCourse },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const learner = learnerOf(principal);
        const course = await enrolledCourse(db, learner, params.courseId);
        return (await courseView(db, learner.tenantId, course.liveHash, course.version)).outline;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/learn/courses/:courseId/lessons/:index',
      access: 'learner',
      tag: 'learners',
      summary: "One lesson of the live course (0-based over the course's lessons in order) with its quiz questions, without answers",
      params: LessonParams,
      success: { status: 200, schema: LearnerLesson },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const learner = learnerOf(principal);
        const course = await enrolledCourse(db, learner, params.courseId);
        return lessonAt(await courseView(db, learner.tenantId, course.liveHash, course.version), params.courseId, params.index);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/learn/enroll',
      access: 'learner',
      tag: 'learners',
      summary: 'Enrol in a live course: free ones at once, paid ones after a purchase or a grant (402 names the product). Idempotent: 201 enrolled now, 200 already enrolled',
      body: EnrollRequest,
      success: { status: 201, schema: Enrolment },
      errors: ['NOT_FOUND', 'PAYMENT_REQUIRED'],
      handler: async ({ body, principal, setStatus }) => {
        const learner = learnerOf(principal);
        const course = await liveCourse(db, learner, body.courseId);
        const existing = async () => {
          const [row] = await db.select({ via: enrolments.via, enrolledAt: enrolments.enrolledAt }).from(enrolments).where(and(eq(enrolments.tenantId, learner.tenantId), eq(enrolments.userId, learner.userId), eq(enrolments.courseId, body.courseId)));
          return row;
        };
        if (course.enrolledVia) {
          const row = (await existing())!;
          setStatus(200);
          return { courseId: body.courseId, via: row.via, enrolledAt: iso(row.enrolledAt)!, created: false };
        }
        const product = await productOfCourse(db, learner.tenantId, body.courseId);
        const [paid] = await db.select({ id: purchases.id }).from(purchases).where(and(eq(purchases.tenantId, learner.tenantId), eq(purchases.userId, learner.userId), eq(purchases.courseId, body.courseId), eq(purchases.status, 'paid'))).limit(1);
        const [granted] = paid ? [] : await db.select({ id: grants.id }).from(grants).where(and(eq(grants.tenantId, learner.tenantId), eq(grants.userId, learner.userId), eq(grants.courseId, body.courseId)));
        const access = accessOf(product, Boolean(paid || granted), false);
        if (access === 'for_sale') throw new ApiError('PAYMENT_REQUIRED', `Course "${body.courseId}" costs ${(product!.priceCents / 100).toFixed(2)} ${product!.currency}; buy it (POST /api/store/purchase with this productId), then enrol.`, { product: { productId: product!.productId, priceCents: product!.priceCents, currency: product!.currency } });
        if (access === 'not_for_sale') throw new ApiError('FORBIDDEN', `Course "${body.courseId}" is not on sale at the moment; ask your institution to give you access.`);
        const via = paid ? 'purchase' : granted ? 'grant' : 'free';
        const inserted = await db.insert(enrolments).values({ tenantId: learner.tenantId, userId: learner.userId, courseId: body.courseId, via }).onConflictDoNothing().returning({ via: enrolments.via, enrolledAt: enrolments.enrolledAt });
        // A second tab enrolling at the same moment: its row won, and this answer is the repeat.
        const row = inserted[0] ?? (await existing())!;
        if (!inserted[0]) setStatus(200);
        return { courseId: body.courseId, via: row.via, enrolledAt: iso(row.enrolledAt)!, created: inserted.length > 0 };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/learn/progress',
      access: 'learner',
      tag: 'learners',
      summary: 'Report time on a lesson and whether it is complete; time adds up, and a completed lesson stays completed',
      body: ProgressUpdate,
      success: { status: 200, schema: LessonProgress },
      errors: ['NOT_FOUND', 'UNPROCESSABLE'],
      handler: async ({ body, principal }) => {
        const learner = learnerOf(principal);
        const course = await enrolledCourse(db, learner, body.courseId);
        const view = await courseView(db, learner.tenantId, course.liveHash, course.version);
        if (body.lessonIndex >= view.lessons.length) throw new ApiError('UNPROCESSABLE', `Course "${body.courseId}" has ${view.lessons.length} lessons, numbered 0 to ${view.lessons.length - 1}; lessonIndex ${body.lessonIndex} is none of them.`);
        const [row] = await db
          .insert(lessonProgress)
          .values({ tenantId: learner.tenantId, userId: learner.userId, courseId: body.courseId, lessonIndex: body.lessonIndex, completed: body.completed, completedAt: body.completed ? sql`now()` : null, timeSpentSeconds: body.timeSpentSeconds, lastActivityAt: sql`now()` })
          .onConflictDoUpdate({
            target: [lessonProgress.tenantId, lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonIndex],
            // Completion never goes backwards: a late or replayed "not completed" keeps it complete.
            set: {
              completed: sql`${lessonProgress.completed} or excluded.completed`,
              completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`,
              timeSpentSeconds: sql`least(${lessonProgress.timeSpentSeconds}::bigint + excluded.time_spent_seconds, 2147483647)::int`,
              lastActivityAt: sql`now()`,
            },
          })
          .returning({ lessonIndex: lessonProgress.lessonIndex, completed: lessonProgress.completed, completedAt: lessonProgress.completedAt, timeSpentSeconds: lessonProgress.timeSpentSeconds, lastActivityAt: lessonProgress.lastActivityAt });
        return { ...row!, completedAt: iso(row!.completedAt), lastActivityAt: iso(row!.lastActivityAt) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/learn/progress/:courseId',
      access: 'learner',
      tag: 'learners',
      summary: "The learner's progress on every lesson of a course and where to resume",
      params: CourseParams,
      success: { status: 200, schema: CourseProgress },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const learner = learnerOf(principal);
        const course = await enrolledCourse(db, learner, params.courseId);
        const view = await courseView(db, learner.tenantId, course.liveHash, course.version);
        const rows = await db
          .select({ lessonIndex: lessonProgress.lessonIndex, completed: lessonProgress.completed, completedAt: lessonProgress.completedAt, timeSpentSeconds: lessonProgress.timeSpentSeconds, lastActivityAt: lessonProgress.lastActivityAt })
          .from(lessonProgress)
          .where(and(eq(lessonProgress.tenantId, learner.tenantId), eq(lessonProgress.userId, learner.userId), eq(lessonProgress.courseId, params.courseId)));
        const byIndex = new Map(rows.map((row) => [row.lessonIndex, row]));
        const lessons = view.lessons.map((_, lessonIndex) => {
          const row = byIndex.get(lessonIndex);
          return { lessonIndex, completed: row?.completed ?? false, completedAt: iso(row?.completedAt ?? null), timeSpentSeconds: row?.timeSpentSeconds ?? 0, lastActivityAt: iso(row?.lastActivityAt ?? null) };
        });
        // Progress of lessons a newer release no longer has is kept, but resuming points at lessons that exist.
        const touched = lessons.filter((lesson) => lesson.lastActivityAt !== null);
        let resume = null;
        if (touched.length > 0) {
          const last = touched.reduce((latest, lesson) => (Date.parse(lesson.lastActivityAt!) > Date.parse(latest.lastActivityAt!) || (lesson.lastActivityAt === latest.lastActivityAt && lesson.lessonIndex > latest.lessonIndex) ? lesson : latest));
          const furthest = touched.at(-1)!.lessonIndex;
          const next = last.completed && last.lessonIndex + 1 < lessons.length ? last.lessonIndex + 1 : last.lessonIndex;
          resume = { lessonIndex: next, lastLessonIndex: last.lessonIndex, furthestLessonIndex: furthest };
        }
        return { courseId: params.courseId, lessonCount: lessons.length, completedCount: lessons.filter((lesson) => lesson.completed).length, lessons, resume };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/learn/courses/:courseId/lessons/:index/quiz-attempts',
      access: 'learner',
      tag: 'learners',
      summary: "Answer a lesson's quiz: the server scores it and only now reveals each question's correctness and explanation; every attempt is kept",
      params: LessonParams,
      body: QuizAttemptRequest,
      success: { status: 201, schema: QuizAttemptResult },
      errors: ['NOT_FOUND', 'UNPROCESSABLE'],
      handler: async ({ params, body, principal }) => {
        const learner = learnerOf(principal);
        const course = await enrolledCourse(db, learner, params.courseId);
        const view = await courseView(db, learner.tenantId, course.liveHash, course.version);
        lessonAt(view, params.courseId, params.index);
        const key = view.keys[params.index]!;
        const questionCount = key.questions.length;
        if (body.answers.length !== questionCount) throw new ApiError('UNPROCESSABLE', `This quiz has ${questionCount} questions and the attempt has ${body.answers.length} answers; send one answer per question, in order.`, { expected: questionCount, received: body.answers.length });
        body.answers.forEach((chosen, questionIndex) => {
          const { optionCount } = key.questions[questionIndex]!;
          if (chosen >= optionCount) throw new ApiError('UNPROCESSABLE', `answers[${questionIndex}] is ${chosen}, but question ${questionIndex + 1} has options 0 to ${optionCount - 1}.`, { questionIndex });
        });
        const questions = key.questions.map((question, questionIndex) => ({ questionIndex, questionId: question.questionId, chosenIndex: body.answers[questionIndex]!, correct: body.answers[questionIndex] === question.correctIndex, explanation: question.explanation }));
        const correctCount = questions.filter((question) => question.correct).length;
        const score = correctCount / questionCount;
        const passed = score >= PASS_MARK;
        const attemptId = newId('att');
        await db.transaction(async (tx) => {
          await tx.insert(attempts).values({ tenantId: learner.tenantId, id: attemptId, userId: learner.userId, courseId: params.courseId, lessonIndex: params.index, lessonId: key.lessonId, quizItemId: key.quizItemId, quizContentHash: key.quizContentHash, packageContentHash: course.liveHash, packageVersion: course.version, questionCount, correctCount, passed });
          await tx.insert(attemptAnswers).values(questions.map((question) => ({ tenantId: learner.tenantId, attemptId, questionIndex: question.questionIndex, questionId: question.questionId, chosenIndex: question.chosenIndex, correct: question.correct })));
        });
        return { attemptId, courseId: params.courseId, lessonIndex: params.index, correctCount, questionCount, score, passMark: PASS_MARK, passed, questions };
      },
    }),
  ];
}
