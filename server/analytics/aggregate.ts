import { analyseQuizFirstAttempts, median, percentile } from '../../core/analytics/item-analysis.js';
import type { ContentSuggestion, FunnelDay, ItemStatistics, LessonStatistics, QuizStatistics } from '../../schemas/analytics.js';
import type { PackageDocument } from '../../schemas/package.js';
import type { ServerDatabase, ServerDb } from '../db/connection.js';
import { buildCourseView, PASS_MARK } from '../learning/course-view.js';
import { collectLessonActivity, firstAttemptsByQuiz, funnelCounts, lessonCounts, liveCourses, versionLiveAtEndOfDay, type DayWindow } from './gather.js';
import { signalsOfDay, suggestionsOfSignals } from './signals.js';
import { lockCourseDay, replaceDay, type DayAggregate } from './storage.js';

/** A server setting: how long a learner must have been away before their furthest lesson counts as where they dropped off. */
export interface AggregationSettings {
  /** Days; 0 counts every learner's furthest lesson at once (for tests and demos). */
  inactiveAfterDays: number;
}
export const DEFAULT_INACTIVE_AFTER_DAYS = 7;
export const defaultAggregationSettings: AggregationSettings = { inactiveAfterDays: DEFAULT_INACTIVE_AFTER_DAYS };

/** A real calendar day written YYYY-MM-DD, or an error message saying what is wrong with it. */
export function checkDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return `"${day}" is not a day written YYYY-MM-DD, like 2026-03-01`;
  const parsed = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) return `${day} is not a day of the calendar`;
  return null;
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day before `at`'s: what the nightly run computes, once that day is over. */
export function previousUtcDay(at: Date): string {
  return utcDay(new Date(at.getTime() - 86_400_000));
}

function windowOf(tenantId: string, courseId: string, day: string): DayWindow {
  const start = new Date(`${day}T00:00:00.000Z`);
  return { tenantId, courseId, dayStart: start.toISOString(), dayEnd: new Date(start.getTime() + 86_400_000).toISOString() };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.min(1, part / whole));

/**
 * Computes one course's aggregates for one day, from inside the run's transaction. Null when the
 * course had no live version by the end of that day (nothing to attribute learners' activity to).
 */
export async function computeDay(tx: ServerDb, tenantId: string, courseId: string, day: string, settings: AggregationSettings, now: Date): Promise<DayAggregate | null> {
  const window = windowOf(tenantId, courseId, day);
  const live = await versionLiveAtEndOfDay(tx, window);
  if (!live) return null;
  const view = buildCourseView(live.document as PackageDocument, live.contentHash, live.version);
  const lessonCount = view.lessons.length;

  await collectLessonActivity(tx, window, lessonCount);
  const counts = await funnelCounts(tx, window, lessonCount);
  const funnel: FunnelDay = {
    day,
    packageVersion: live.version,
    courseViewed: counts.courseViewed,
    enrolled: counts.enrolled,
    purchased: counts.purchased,
    started: counts.started,
    completed: counts.completed,
    // Over everyone who had started by the day's end: a day's own completions may belong to learners who started earlier.
    completionRate: share(counts.completedByEnd, counts.startedByEnd),
    activeLearners: counts.activeLearners,
  };

  const perLesson = await lessonCounts(tx, window, lessonCount, settings.inactiveAfterDays);
  const lessons: LessonStatistics[] = view.lessons.map((lesson, lessonIndex) => {
    const row = perLesson[lessonIndex]!;
    return {
      packageVersion: live.version,
      lessonIndex,
      lessonId: lesson.lessonId,
      title: lesson.title,
      estimatedMinutes: lesson.estimatedMinutes,
      views: row.reached,
      completions: row.completions,
      dropOff: row.dropOff,
      dropOffRate: share(row.dropOff, row.reached),
      medianMinutes: median(row.minutesOfCompleters),
      p90Minutes: percentile(row.minutesOfCompleters, 0.9),
    };
  });

  const attempts = await firstAttemptsByQuiz(tx, window, live.version);
  const quizzes: QuizStatistics[] = [];
  const items: ItemStatistics[] = [];
  for (const key of view.keys) {
    if (key.questions.length === 0) continue;
    const analysed = analyseQuizFirstAttempts(
      {
        packageVersion: live.version,
        lessonId: key.lessonId,
        quizItemId: key.quizItemId,
        quizContentHash: key.quizContentHash,
        passThreshold: PASS_MARK,
        questions: key.questions.map((question) => ({ questionId: question.questionId, keyIndex: question.correctIndex, optionCount: question.optionCount })),
      },
      (attempts.get(key.quizItemId) ?? []).map((chosen) => ({ chosen })),
    );
    quizzes.push(analysed.quiz);
    items.push(...analysed.items);
  }

  const aggregate: DayAggregate = { courseId, packageVersion: live.version, packageContentHash: live.contentHash, day, inactiveAfterDays: settings.inactiveAfterDays, funnel, lessons, quizzes, items, signals: [] };
  aggregate.signals = signalsOfDay(aggregate, { started: counts.startedByEnd, completed: counts.completedByEnd }, now);
  return aggregate;
}

export interface AggregationOutcome {
  courseId: string;
  day: string;
  /** Null when the course was not live by the end of the day: nothing was computed. */
  packageVersion: number | null;
  /** False when the stored rows were already exactly these. */
  written: boolean;
  lessons: number;
  quizzes: number;
  items: number;
  signals: number;
  suggestionsCreated: number;
}

/**
 * One aggregation run of one course and day, in one transaction under the (tenant, course, day)
 * advisory lock: a second run at the same time (another instance, the admin's "run now") waits,
 * then computes the same rows and finds nothing to change. Runs therefore never double-count.
 */
export async function aggregateCourseDay(db: ServerDb, tenantId: string, courseId: string, day: string, settings: AggregationSettings, now: Date = new Date()): Promise<AggregationOutcome> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as ServerDb;
    await lockCourseDay(tx, tenantId, courseId, day);
    const aggregate = await computeDay(tx, tenantId, courseId, day, settings, now);
    if (!aggregate) return { courseId, day, packageVersion: null, written: false, lessons: 0, quizzes: 0, items: 0, signals: 0, suggestionsCreated: 0 };
    const suggestions: ContentSuggestion[] = suggestionsOfSignals(aggregate.signals, now);
    const written = await replaceDay(tx, tenantId, aggregate, suggestions);
    return { courseId, day, packageVersion: aggregate.packageVersion, written: written.written, lessons: aggregate.lessons.length, quizzes: aggregate.quizzes.length, items: aggregate.items.length, signals: aggregate.signals.length, suggestionsCreated: written.suggestionsCreated };
  });
}

/** Runs every live course of a tenant (or one course, or every tenant's) for a day, one after another. */
export async function aggregateDay(database: Pick<ServerDatabase, 'db'>, filter: { tenantId?: string; courseId?: string }, day: string, settings: AggregationSettings): Promise<Array<AggregationOutcome & { tenantId: string }>> {
  const outcomes: Array<AggregationOutcome & { tenantId: string }> = [];
  for (const course of await liveCourses(database.db, filter)) {
    outcomes.push({ tenantId: course.tenantId, ...(await aggregateCourseDay(database.db, course.tenantId, course.courseId, day, settings)) });
  }
  return outcomes;
}
