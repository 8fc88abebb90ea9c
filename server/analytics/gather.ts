import { sql, type SQL } from 'drizzle-orm';
import type { ServerDb } from '../db/connection.js';

/**
 * The SQL that reads what learners did, for one (tenant, course, day). It returns counts and,
 * for the statistics core computes (item analysis, medians), the per-attempt and per-learner
 * numbers those need, anonymous: no learner id ever leaves these queries.
 *
 * "As of the day" means everything that happened before the end of that UTC day. Events,
 * attempts, enrolments and purchases carry their own times, so any past day can be computed
 * again with the same result. Lesson progress is one row per learner and lesson that keeps only
 * its latest activity, so a progress row touched after the day ends is left out of that day
 * (its earlier activity is not known any more); the nightly run computes the day that just ended,
 * when this hardly ever matters.
 */

export interface DayWindow {
  tenantId: string;
  courseId: string;
  /** Inclusive start and exclusive end of the UTC day, ISO 8601. */
  dayStart: string;
  dayEnd: string;
}

export async function rowsOf<Row>(db: ServerDb, query: SQL): Promise<Row[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: Row[] }).rows;
}

/**
 * The package live at the end of the day: the last release (or rollback) the audit log records
 * before the day ended, else the current release when it happened before the day ended. Null when
 * the course was not live by then.
 */
export async function versionLiveAtEndOfDay(db: ServerDb, window: DayWindow): Promise<{ version: number; contentHash: string; document: unknown } | null> {
  const [row] = await rowsOf<{ version: number; content_hash: string; document: unknown }>(
    db,
    sql`SELECT p.version, p.content_hash, p.document FROM packages p
        WHERE p.tenant_id = ${window.tenantId} AND p.course_id = ${window.courseId}
          AND p.content_hash = coalesce(
            (SELECT a.metadata->>'liveHash' FROM audit_log a
              WHERE a.tenant_id = ${window.tenantId} AND a.entity_type = 'course' AND a.entity_id = ${window.courseId}
                AND a.action IN ('release.made_live', 'release.rolled_back') AND a.at < ${window.dayEnd}::timestamptz
              ORDER BY a.at DESC, a.id DESC LIMIT 1),
            (SELECT r.live_hash FROM releases r WHERE r.tenant_id = ${window.tenantId} AND r.course_id = ${window.courseId} AND r.released_at < ${window.dayEnd}::timestamptz))`,
  );
  return row ? { version: row.version, contentHash: row.content_hash, document: row.document } : null;
}

/**
 * Every sign that a learner worked on a lesson before the day ended — lesson events, progress
 * reports and quiz attempts — reduced to one row per learner and lesson (first and last time),
 * and the lessons completed by then, in two temporary tables of the run's transaction: the funnel
 * and the lesson queries both read them, so each source is scanned and grouped once.
 */
export async function collectLessonActivity(db: ServerDb, window: DayWindow, lessonCount: number): Promise<void> {
  await db.execute(sql`DROP TABLE IF EXISTS pg_temp.lesson_activity`);
  await db.execute(sql`DROP TABLE IF EXISTS pg_temp.lesson_completions`);
  await db.execute(sql`CREATE TEMPORARY TABLE lesson_completions ON COMMIT DROP AS ${lessonCompletions(window, lessonCount)}`);
  await db.execute(sql`CREATE TEMPORARY TABLE lesson_activity ON COMMIT DROP AS
    SELECT user_id, lesson_index, min(at) AS first_at, max(at) AS last_at FROM (
      SELECT user_id, lesson_index, occurred_at AS at FROM analytics_events
        WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND lesson_index IS NOT NULL
          AND type IN ('lesson_viewed', 'lesson_completed', 'quiz_attempted', 'quiz_passed', 'heartbeat') AND occurred_at < ${window.dayEnd}::timestamptz
      UNION ALL
      SELECT user_id, lesson_index, last_activity_at FROM lesson_progress
        WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND last_activity_at < ${window.dayEnd}::timestamptz
      UNION ALL
      SELECT user_id, lesson_index, created_at FROM attempts
        WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND created_at < ${window.dayEnd}::timestamptz
    ) activity GROUP BY user_id, lesson_index`);
}

/** Lessons completed before the day ended, with the time the learner spent on each (progress reports and lesson_completed events). */
const lessonCompletions = (window: DayWindow, lessonCount: number) => sql`
  SELECT user_id, lesson_index, max(time_spent_seconds) AS seconds, min(completed_at) AS completed_at FROM (
    SELECT user_id, lesson_index, time_spent_seconds, completed_at FROM lesson_progress
      WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND completed AND completed_at < ${window.dayEnd}::timestamptz AND last_activity_at < ${window.dayEnd}::timestamptz
    UNION ALL
    SELECT user_id, lesson_index, NULL, occurred_at FROM analytics_events
      WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND type = 'lesson_completed' AND lesson_index IS NOT NULL AND occurred_at < ${window.dayEnd}::timestamptz
  ) c WHERE lesson_index < ${lessonCount}
  GROUP BY user_id, lesson_index`;

export interface FunnelCounts {
  courseViewed: number;
  enrolled: number;
  purchased: number | null;
  started: number;
  completed: number;
  startedByEnd: number;
  completedByEnd: number;
  activeLearners: number;
}

/** The day's funnel counts, and the learners who had started and completed by the day's end (after collectLessonActivity). */
export async function funnelCounts(db: ServerDb, window: DayWindow, lessonCount: number): Promise<FunnelCounts> {
  const { tenantId, courseId, dayStart, dayEnd } = window;
  const [row] = await rowsOf<Record<string, number | null>>(
    db,
    sql`WITH first_activity AS (SELECT user_id, min(first_at) AS at FROM lesson_activity GROUP BY user_id),
      finished AS (SELECT user_id, max(completed_at) AS at FROM lesson_completions GROUP BY user_id HAVING count(*) = ${lessonCount})
    SELECT
      (SELECT count(DISTINCT user_id) FROM analytics_events WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND type = 'course_viewed' AND occurred_at >= ${dayStart}::timestamptz AND occurred_at < ${dayEnd}::timestamptz)::int AS course_viewed,
      (SELECT count(*) FROM enrolments WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND enrolled_at >= ${dayStart}::timestamptz AND enrolled_at < ${dayEnd}::timestamptz)::int AS enrolled,
      CASE WHEN EXISTS (SELECT 1 FROM products WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND price_cents > 0)
        THEN (SELECT count(DISTINCT user_id) FROM purchases WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND status = 'paid' AND created_at >= ${dayStart}::timestamptz AND created_at < ${dayEnd}::timestamptz)::int
      END AS purchased,
      (SELECT count(*) FROM first_activity WHERE at >= ${dayStart}::timestamptz)::int AS started,
      (SELECT count(*) FROM first_activity)::int AS started_by_end,
      (SELECT count(*) FROM finished WHERE at >= ${dayStart}::timestamptz)::int AS completed,
      (SELECT count(*) FROM finished)::int AS completed_by_end,
      (SELECT count(DISTINCT user_id) FROM (
        SELECT user_id FROM lesson_activity WHERE last_at >= ${dayStart}::timestamptz
        UNION ALL SELECT user_id FROM analytics_events WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND occurred_at >= ${dayStart}::timestamptz AND occurred_at < ${dayEnd}::timestamptz
        UNION ALL SELECT user_id FROM enrolments WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND enrolled_at >= ${dayStart}::timestamptz AND enrolled_at < ${dayEnd}::timestamptz
      ) a)::int AS active_learners`,
  );
  const count = (name: string) => Number(row![name] ?? 0);
  return {
    courseViewed: count('course_viewed'),
    enrolled: count('enrolled'),
    purchased: row!.purchased === null ? null : count('purchased'),
    started: count('started'),
    completed: count('completed'),
    startedByEnd: count('started_by_end'),
    completedByEnd: count('completed_by_end'),
    activeLearners: count('active_learners'),
  };
}

export interface LessonCounts {
  lessonIndex: number;
  /** Learners who opened the lesson (any activity on it). */
  reached: number;
  completions: number;
  dropOff: number;
  /** Minutes each learner who completed the lesson spent on it. */
  minutesOfCompleters: number[];
}

/**
 * Per lesson, as of the day's end: who reached it, who completed it, and drop-off — learners whose
 * furthest lesson is this one, who have not completed the course, and whose last activity on the
 * course is at least `inactiveAfterDays` before the day's end (0: every such learner counts).
 * Reads the tables collectLessonActivity made.
 */
export async function lessonCounts(db: ServerDb, window: DayWindow, lessonCount: number, inactiveAfterDays: number): Promise<LessonCounts[]> {
  const rows = await rowsOf<{ lesson_index: number; reached: number; completions: number; drop_off: number; seconds: number[] | null }>(
    db,
    sql`WITH finished AS (SELECT user_id FROM lesson_completions GROUP BY user_id HAVING count(*) = ${lessonCount}),
      learners AS (SELECT user_id, max(lesson_index) AS furthest, max(last_at) AS last_at FROM lesson_activity GROUP BY user_id),
      dropped AS (
        SELECT furthest AS lesson_index, count(*)::int AS n FROM learners
        WHERE user_id NOT IN (SELECT user_id FROM finished)
          AND last_at <= ${window.dayEnd}::timestamptz - make_interval(days => ${inactiveAfterDays})
        GROUP BY furthest),
      reached AS (SELECT lesson_index, count(*)::int AS n FROM lesson_activity GROUP BY lesson_index),
      completed AS (SELECT lesson_index, count(*)::int AS n, array_agg(seconds ORDER BY seconds) FILTER (WHERE seconds IS NOT NULL) AS seconds FROM lesson_completions GROUP BY lesson_index)
    SELECT i AS lesson_index, coalesce(reached.n, 0) AS reached, coalesce(completed.n, 0) AS completions, coalesce(dropped.n, 0) AS drop_off, completed.seconds
    FROM generate_series(0, ${lessonCount - 1}) i
    LEFT JOIN reached ON reached.lesson_index = i
    LEFT JOIN completed ON completed.lesson_index = i
    LEFT JOIN dropped ON dropped.lesson_index = i
    ORDER BY i`,
  );
  return rows.map((row) => ({
    lessonIndex: Number(row.lesson_index),
    reached: Number(row.reached),
    completions: Number(row.completions),
    dropOff: Number(row.drop_off),
    minutesOfCompleters: (row.seconds ?? []).map((seconds) => Number(seconds) / 60),
  }));
}

/**
 * Each learner's FIRST attempt at each quiz of one package version made before the day ended (a
 * retry after reading the explanations says little about the question), as the options chosen in
 * question order. Attempts are in a fixed order (time, then id), so the statistics that depend
 * on order (ties in the top third) come out the same every time.
 */
export async function firstAttemptsByQuiz(db: ServerDb, window: DayWindow, packageVersion: number): Promise<Map<string, number[][]>> {
  // One row per quiz: each first attempt's choices as one character per question (option i is the
  // character 48 + i), attempts joined by commas in order. A few long strings instead of a row per
  // attempt: sending and parsing 270,000 small rows took longer than the whole item analysis.
  // Quiz before learner in DISTINCT ON: the order of the attempts_first_per_learner index (migration 5).
  const rows = await rowsOf<{ quiz_item_id: string; attempts: string }>(
    db,
    sql`WITH firsts AS (
        SELECT DISTINCT ON (quiz_item_id, user_id) id, quiz_item_id, created_at FROM attempts
        WHERE tenant_id = ${window.tenantId} AND course_id = ${window.courseId} AND package_version = ${packageVersion} AND created_at < ${window.dayEnd}::timestamptz
        ORDER BY quiz_item_id, user_id, created_at, id),
      choices AS (
        SELECT f.quiz_item_id, f.created_at, f.id, string_agg(chr(48 + a.chosen_index), '' ORDER BY a.question_index) AS chosen
        FROM firsts f JOIN attempt_answers a ON a.tenant_id = ${window.tenantId} AND a.attempt_id = f.id
        GROUP BY f.quiz_item_id, f.created_at, f.id)
      SELECT quiz_item_id, string_agg(chosen, ',' ORDER BY created_at, id) AS attempts FROM choices GROUP BY quiz_item_id`,
  );
  const byQuiz = new Map<string, number[][]>();
  for (const row of rows) {
    byQuiz.set(
      row.quiz_item_id,
      row.attempts.split(',').map((attempt) => Array.from(attempt, (character) => character.codePointAt(0)! - 48)),
    );
  }
  return byQuiz;
}

/** Tenants and courses that have a live version: what the nightly run goes through. */
export async function liveCourses(db: ServerDb, filter: { tenantId?: string; courseId?: string } = {}): Promise<{ tenantId: string; courseId: string }[]> {
  const rows = await rowsOf<{ tenant_id: string; course_id: string }>(
    db,
    sql`SELECT tenant_id, course_id FROM releases
        WHERE (${filter.tenantId ?? null}::text IS NULL OR tenant_id = ${filter.tenantId ?? null}::text)
          AND (${filter.courseId ?? null}::text IS NULL OR course_id = ${filter.courseId ?? null}::text)
        ORDER BY tenant_id, course_id`,
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, courseId: row.course_id }));
}
