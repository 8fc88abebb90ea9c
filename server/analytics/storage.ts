import { sql } from 'drizzle-orm';
import { canonicalJson, contentHash } from '../../core/hash.js';
import type { AnalyticsSignal, ContentSuggestion, FunnelDay, ItemStatistics, LessonStatistics, QuizStatistics } from '../../schemas/analytics.js';
import type { ServerDb } from '../db/connection.js';
import { rowsOf } from './gather.js';

/** Everything one aggregation run produces for one course and day: the rows it replaces. */
export interface DayAggregate {
  courseId: string;
  packageVersion: number;
  packageContentHash: string;
  day: string;
  inactiveAfterDays: number;
  funnel: FunnelDay;
  lessons: LessonStatistics[];
  quizzes: QuizStatistics[];
  items: ItemStatistics[];
  signals: AnalyticsSignal[];
}

export interface DayWritten {
  /** False when the stored rows were already exactly these (nothing was touched, the change feed stays quiet). */
  written: boolean;
  suggestionsCreated: number;
}

/** Serialises runs of one course and day, on every instance sharing the database, until the transaction ends. */
export async function lockCourseDay(tx: ServerDb, tenantId: string, courseId: string, day: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`analytics-day/${tenantId}/${courseId}/${day}`}, 0))`);
}

/**
 * Taken right before drawing change sequence numbers, held to commit: one tenant's writers commit
 * in the order of their numbers, so a reader that has seen number s has seen every committed
 * change of that tenant below s (see the changes route). Always taken after the day lock, never
 * before it, so two writers cannot wait on each other.
 */
export async function lockTenantChanges(tx: ServerDb, tenantId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`analytics-changes/${tenantId}`}, 0))`);
}

/**
 * What identifies a day's content: equal digests, equal rows. A signal's createdAt (when it was
 * computed) is left out, so computing the same evidence again is recognised as no change and the
 * stored rows, times included, stay exactly as they were.
 */
export function dayDigest(aggregate: DayAggregate): string {
  return contentHash(JSON.parse(canonicalJson({ ...aggregate, signals: aggregate.signals.map(({ createdAt: _computedAt, ...signal }) => signal) })));
}

const json = (value: unknown) => JSON.stringify(value);

/** One suggestion per kind and target (which names the exact package and content version). */
export function suggestionTargetKey(suggestion: Pick<ContentSuggestion, 'kind' | 'target'>): string {
  return contentHash({ kind: suggestion.kind, target: suggestion.target });
}

/**
 * Replaces the course's rows for the day with `aggregate`, inside the caller's transaction (which
 * holds the day lock), and inserts the suggestions not stored yet. When the stored day already has
 * this digest nothing is written: the rows would come out identical.
 */
export async function replaceDay(tx: ServerDb, tenantId: string, aggregate: DayAggregate, suggestions: readonly ContentSuggestion[]): Promise<DayWritten> {
  const digest = dayDigest(aggregate);
  const { courseId, day } = aggregate;
  const [stored] = await rowsOf<{ digest: string }>(tx, sql`SELECT digest FROM analytics_days WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND day = ${day}::date`);
  if (stored?.digest === digest) return { written: false, suggestionsCreated: 0 };

  await lockTenantChanges(tx, tenantId);
  // One version per course and day: whichever version the day had before goes, with all its rows (ON DELETE CASCADE).
  await tx.execute(sql`DELETE FROM analytics_days WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND day = ${day}::date`);
  const key = sql`${tenantId}::text, ${courseId}::text, ${aggregate.packageVersion}::int, ${day}::date`;
  await tx.execute(sql`INSERT INTO analytics_days (tenant_id, course_id, package_version, day, package_content_hash, inactive_after_days, digest, change_seq)
    VALUES (${key}, ${aggregate.packageContentHash}, ${aggregate.inactiveAfterDays}, ${digest}, nextval('analytics_change_seq'))`);
  const f = aggregate.funnel;
  await tx.execute(sql`INSERT INTO analytics_funnel_days (tenant_id, course_id, package_version, day, course_viewed, enrolled, purchased, started, completed, completion_rate, active_learners)
    VALUES (${key}, ${f.courseViewed}, ${f.enrolled}, ${f.purchased}, ${f.started}, ${f.completed}, ${f.completionRate}, ${f.activeLearners})`);
  // Many rows each travel as one JSON parameter the database unpacks (no limit on bound parameters, one round trip).
  if (aggregate.lessons.length) {
    await tx.execute(sql`INSERT INTO analytics_lesson_stats (tenant_id, course_id, package_version, day, lesson_index, lesson_id, title, estimated_minutes, views, completions, drop_off, drop_off_rate, median_minutes, p90_minutes)
      SELECT ${key}, r."lessonIndex", r."lessonId", r.title, r."estimatedMinutes", r.views, r.completions, r."dropOff", r."dropOffRate", r."medianMinutes", r."p90Minutes"
      FROM jsonb_to_recordset(${json(aggregate.lessons)}::jsonb) AS r("lessonIndex" int, "lessonId" text, title text, "estimatedMinutes" int, views int, completions int, "dropOff" int, "dropOffRate" float8, "medianMinutes" float8, "p90Minutes" float8)`);
  }
  if (aggregate.quizzes.length) {
    await tx.execute(sql`INSERT INTO analytics_quiz_stats (tenant_id, course_id, package_version, day, quiz_item_id, lesson_id, quiz_content_hash, question_count, n, first_attempt_pass_rate, kr20)
      SELECT ${key}, r."quizItemId", r."lessonId", r."quizContentHash", r."questionCount", r.n, r."firstAttemptPassRate", r.kr20
      FROM jsonb_to_recordset(${json(aggregate.quizzes)}::jsonb) AS r("quizItemId" text, "lessonId" text, "quizContentHash" text, "questionCount" int, n int, "firstAttemptPassRate" float8, kr20 float8)`);
  }
  if (aggregate.items.length) {
    await tx.execute(sql`INSERT INTO analytics_item_stats (tenant_id, course_id, package_version, day, quiz_item_id, question_index, question_id, lesson_id, quiz_content_hash, key_index, n, facility, discrimination, option_shares, non_functional_distractors, distractor_outdraws_key_in_top_third)
      SELECT ${key}, r."quizItemId", r."questionIndex", r."questionId", r."lessonId", r."quizContentHash", r."keyIndex", r.n, r.facility, r.discrimination, r."optionShares", r."nonFunctionalDistractors", r."distractorOutdrawsKeyInTopThird"
      FROM jsonb_to_recordset(${json(aggregate.items)}::jsonb) AS r("quizItemId" text, "questionIndex" int, "questionId" text, "lessonId" text, "quizContentHash" text, "keyIndex" int, n int, facility float8, discrimination float8, "optionShares" jsonb, "nonFunctionalDistractors" jsonb, "distractorOutdrawsKeyInTopThird" boolean)`);
  }
  if (aggregate.signals.length) {
    await tx.execute(sql`INSERT INTO analytics_signals (tenant_id, course_id, package_version, day, id, type, severity, target, evidence, created_at)
      SELECT ${key}, r.id, r.type, r.severity, r.target, r.evidence, r."createdAt"
      FROM jsonb_to_recordset(${json(aggregate.signals)}::jsonb) AS r(id text, type text, severity text, target jsonb, evidence jsonb, "createdAt" text)`);
  }
  let suggestionsCreated = 0;
  if (suggestions.length) {
    // Idempotent by suggestion id (stable per source signal and kind), and one suggestion per kind
    // and exact target: the same finding on the next day (a new signal id) asks nothing new, and a
    // suggestion already decided stays decided. A new package version is a new target.
    const [inserted] = await rowsOf<{ n: number }>(
      tx,
      sql`WITH inserted AS (
        INSERT INTO analytics_suggestions (tenant_id, id, course_id, package_version, signal_id, signal_type, kind, target, target_key, rationale, draft_instruction, status, created_at, change_seq)
        SELECT ${tenantId}::text, r.id, ${courseId}::text, (r.target->>'packageVersion')::int, r."signalId", r."signalType", r.kind, r.target, r."targetKey", r.rationale, r."draftInstruction", 'OPEN', r."createdAt", nextval('analytics_change_seq')
        FROM jsonb_to_recordset(${json(suggestions.map((suggestion) => ({ ...suggestion, targetKey: suggestionTargetKey(suggestion) })))}::jsonb) AS r(id text, "signalId" text, "signalType" text, kind text, target jsonb, "targetKey" text, rationale text, "draftInstruction" text, "createdAt" text)
        WHERE NOT EXISTS (SELECT 1 FROM analytics_suggestions s WHERE s.tenant_id = ${tenantId}::text AND (s.id = r.id OR s.target_key = r."targetKey"))
        ON CONFLICT DO NOTHING
        RETURNING 1)
      SELECT count(*)::int AS n FROM inserted`,
    );
    suggestionsCreated = Number(inserted?.n ?? 0);
  }
  return { written: true, suggestionsCreated };
}
