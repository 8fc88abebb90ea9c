import { sql } from 'drizzle-orm';
import type { AnalyticsChanges, AnalyticsSignal, ContentSuggestion, CourseAnalytics, FunnelAnalytics, FunnelDay, ItemAnalytics, ItemStatistics, LessonStatistics, QuizStatistics, SuggestionStatus } from '../../schemas/analytics.js';
import type { ServerDb } from '../db/connection.js';
import { ApiError, notFound } from '../http/errors.js';
import { rowsOf } from './gather.js';
import { utcDay } from './aggregate.js';

/**
 * The analytics read models, from the stored aggregates only: counts, shares and statistics per
 * course version, never an event or a learner. Every query names the caller's tenant; a course of
 * another tenant is "not found" exactly like one that does not exist.
 */

export interface VersionChoice {
  version: number;
  contentHash: string;
}

/** The version asked for, or the live one; 404 for a course or version the tenant does not have. */
export async function chooseVersion(db: ServerDb, tenantId: string, courseId: string, version: number | undefined): Promise<VersionChoice> {
  if (version !== undefined) {
    const [row] = await rowsOf<{ content_hash: string }>(db, sql`SELECT content_hash FROM packages WHERE tenant_id = ${tenantId} AND course_id = ${courseId} AND version = ${version}`);
    if (!row) throw notFound(`Version ${version} of course "${courseId}"`);
    return { version, contentHash: row.content_hash };
  }
  const [row] = await rowsOf<{ version: number; content_hash: string }>(
    db,
    sql`SELECT p.version, p.content_hash FROM releases r JOIN packages p ON p.tenant_id = r.tenant_id AND p.content_hash = r.live_hash WHERE r.tenant_id = ${tenantId} AND r.course_id = ${courseId}`,
  );
  if (row) return { version: row.version, contentHash: row.content_hash };
  const [known] = await rowsOf<{ one: number }>(db, sql`SELECT 1 AS one FROM packages WHERE tenant_id = ${tenantId} AND course_id = ${courseId} LIMIT 1`);
  if (!known) throw notFound(`Course "${courseId}"`);
  throw new ApiError('NOT_FOUND', `Course "${courseId}" has no live version; name one with ?version=N.`);
}

export interface DayRange {
  from?: string;
  to?: string;
}

const dayKey = (tenantId: string, courseId: string, version: number) => sql`tenant_id = ${tenantId} AND course_id = ${courseId} AND package_version = ${version}`;

/** The computed days of a version inside the range; with no days computed, today alone (and empty aggregates). */
async function computedDays(db: ServerDb, tenantId: string, courseId: string, version: number, range: DayRange): Promise<{ from: string; to: string; last: string | null }> {
  const [row] = await rowsOf<{ first: string | null; last: string | null }>(
    db,
    sql`SELECT min(day)::text AS first, max(day)::text AS last FROM analytics_days
        WHERE ${dayKey(tenantId, courseId, version)}
          AND (${range.from ?? null}::date IS NULL OR day >= ${range.from ?? null}::date)
          AND (${range.to ?? null}::date IS NULL OR day <= ${range.to ?? null}::date)`,
  );
  const today = utcDay(new Date());
  return { from: range.from ?? row?.first ?? range.to ?? today, to: range.to ?? row?.last ?? range.from ?? today, last: row?.last ?? null };
}

interface FunnelRow {
  day: string;
  package_version: number;
  course_viewed: number;
  enrolled: number;
  purchased: number | null;
  started: number;
  completed: number;
  completion_rate: number;
  active_learners: number;
}
const funnelOf = (row: FunnelRow): FunnelDay => ({
  day: row.day,
  packageVersion: row.package_version,
  courseViewed: row.course_viewed,
  enrolled: row.enrolled,
  purchased: row.purchased,
  started: row.started,
  completed: row.completed,
  completionRate: Number(row.completion_rate),
  activeLearners: row.active_learners,
});
const funnelColumns = sql`day::text AS day, package_version, course_viewed, enrolled, purchased, started, completed, completion_rate, active_learners`;

const lessonColumns = sql`package_version, lesson_index, lesson_id, title, estimated_minutes, views, completions, drop_off, drop_off_rate, median_minutes, p90_minutes`;
const lessonOf = (row: Record<string, unknown>): LessonStatistics => ({
  packageVersion: Number(row.package_version),
  lessonIndex: Number(row.lesson_index),
  lessonId: String(row.lesson_id),
  title: String(row.title),
  estimatedMinutes: Number(row.estimated_minutes),
  views: Number(row.views),
  completions: Number(row.completions),
  dropOff: Number(row.drop_off),
  dropOffRate: Number(row.drop_off_rate),
  medianMinutes: row.median_minutes === null ? null : Number(row.median_minutes),
  p90Minutes: row.p90_minutes === null ? null : Number(row.p90_minutes),
});

const quizColumns = sql`package_version, lesson_id, quiz_item_id, quiz_content_hash, question_count, n, first_attempt_pass_rate, kr20`;
const quizOf = (row: Record<string, unknown>): QuizStatistics => ({
  packageVersion: Number(row.package_version),
  lessonId: String(row.lesson_id),
  quizItemId: String(row.quiz_item_id),
  quizContentHash: String(row.quiz_content_hash),
  questionCount: Number(row.question_count),
  n: Number(row.n),
  firstAttemptPassRate: Number(row.first_attempt_pass_rate),
  kr20: row.kr20 === null ? null : Number(row.kr20),
});

const itemColumns = sql`package_version, lesson_id, quiz_item_id, quiz_content_hash, question_id, question_index, key_index, n, facility, discrimination, option_shares, non_functional_distractors, distractor_outdraws_key_in_top_third`;
const itemOf = (row: Record<string, unknown>): ItemStatistics => ({
  packageVersion: Number(row.package_version),
  lessonId: String(row.lesson_id),
  quizItemId: String(row.quiz_item_id),
  quizContentHash: String(row.quiz_content_hash),
  questionId: String(row.question_id),
  questionIndex: Number(row.question_index),
  keyIndex: Number(row.key_index),
  n: Number(row.n),
  facility: Number(row.facility),
  discrimination: row.discrimination === null ? null : Number(row.discrimination),
  optionShares: (row.option_shares as number[]).map(Number),
  nonFunctionalDistractors: (row.non_functional_distractors as number[]).map(Number),
  distractorOutdrawsKeyInTopThird: Boolean(row.distractor_outdraws_key_in_top_third),
});

const signalOf = (row: Record<string, unknown>): AnalyticsSignal =>
  ({ id: String(row.id), type: row.type, severity: row.severity, target: row.target, evidence: row.evidence, day: String(row.day), createdAt: String(row.created_at) }) as AnalyticsSignal;
const signalColumns = sql`id, type, severity, target, evidence, day::text AS day, created_at`;

const suggestionOf = (row: Record<string, unknown>): ContentSuggestion =>
  ({
    id: String(row.id),
    signalId: String(row.signal_id),
    signalType: row.signal_type,
    kind: row.kind,
    target: row.target,
    rationale: String(row.rationale),
    draftInstruction: String(row.draft_instruction),
    status: row.status,
    decidedBy: (row.decided_by as string | null) ?? null,
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at as string).toISOString(),
    dismissReason: (row.dismiss_reason as string | null) ?? null,
    createdAt: String(row.created_at),
  }) as ContentSuggestion;
export const suggestionColumns = sql`id, signal_id, signal_type, kind, target, rationale, draft_instruction, status, decided_by, decided_at, dismiss_reason, created_at`;

/** Funnel totals over the range, learners over time, and the lessons as of the range's last computed day. */
export async function courseAnalytics(db: ServerDb, tenantId: string, courseId: string, choice: VersionChoice, range: DayRange): Promise<CourseAnalytics> {
  const { from, to } = await computedDays(db, tenantId, courseId, choice.version, range);
  const days = (await rowsOf<FunnelRow>(db, sql`SELECT ${funnelColumns} FROM analytics_funnel_days WHERE ${dayKey(tenantId, courseId, choice.version)} AND day BETWEEN ${from}::date AND ${to}::date ORDER BY day`)).map(funnelOf);
  const total = (pick: (day: FunnelDay) => number) => days.reduce((sum, day) => sum + pick(day), 0);
  const lastDay = days.at(-1)?.day ?? null;
  const lessons = lastDay
    ? (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${lessonColumns} FROM analytics_lesson_stats WHERE ${dayKey(tenantId, courseId, choice.version)} AND day = ${lastDay}::date ORDER BY lesson_index`)).map(lessonOf)
    : [];
  return {
    courseId,
    packageVersion: choice.version,
    packageContentHash: choice.contentHash,
    from,
    to,
    funnel: {
      courseViewed: total((day) => day.courseViewed),
      enrolled: total((day) => day.enrolled),
      purchased: days.some((day) => day.purchased !== null) ? total((day) => day.purchased ?? 0) : null,
      started: total((day) => day.started),
      completed: total((day) => day.completed),
      // The rate as of the range's end (completed ÷ started by then), not a ratio of the range's daily counts.
      completionRate: days.at(-1)?.completionRate ?? 0,
    },
    activeLearnersByDay: days.map((day) => ({ day: day.day, activeLearners: day.activeLearners })),
    lessons,
  };
}

export async function funnelAnalytics(db: ServerDb, tenantId: string, courseId: string, choice: VersionChoice, range: DayRange): Promise<FunnelAnalytics> {
  const { from, to } = await computedDays(db, tenantId, courseId, choice.version, range);
  const days = (await rowsOf<FunnelRow>(db, sql`SELECT ${funnelColumns} FROM analytics_funnel_days WHERE ${dayKey(tenantId, courseId, choice.version)} AND day BETWEEN ${from}::date AND ${to}::date ORDER BY day`)).map(funnelOf);
  return { courseId, packageVersion: choice.version, from, to, days };
}

/** Item analysis is cumulative (every first attempt so far): the range's last computed day holds it. */
export async function itemAnalytics(db: ServerDb, tenantId: string, courseId: string, choice: VersionChoice, range: DayRange): Promise<ItemAnalytics> {
  const { last } = await computedDays(db, tenantId, courseId, choice.version, range);
  if (!last) return { courseId, packageVersion: choice.version, quizzes: [], items: [] };
  const quizzes = (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${quizColumns} FROM analytics_quiz_stats WHERE ${dayKey(tenantId, courseId, choice.version)} AND day = ${last}::date ORDER BY lesson_id, quiz_item_id`)).map(quizOf);
  const items = (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${itemColumns} FROM analytics_item_stats WHERE ${dayKey(tenantId, courseId, choice.version)} AND day = ${last}::date ORDER BY lesson_id, quiz_item_id, question_index`)).map(itemOf);
  const order = new Map(quizzes.map((quiz, index) => [quiz.quizItemId, index]));
  return { courseId, packageVersion: choice.version, quizzes, items: items.sort((a, b) => order.get(a.quizItemId)! - order.get(b.quizItemId)! || a.questionIndex - b.questionIndex) };
}

/** The current signals: those of each course's latest computed day (a later day's evidence supersedes an earlier one's). */
export async function currentSignals(db: ServerDb, tenantId: string, courseId: string | undefined): Promise<AnalyticsSignal[]> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT ${signalColumns} FROM analytics_signals s
        WHERE s.tenant_id = ${tenantId} AND (${courseId ?? null}::text IS NULL OR s.course_id = ${courseId ?? null}::text)
          AND s.day = (SELECT max(d.day) FROM analytics_days d WHERE d.tenant_id = s.tenant_id AND d.course_id = s.course_id)
        ORDER BY s.course_id, s.type, s.id`,
  );
  return rows.map(signalOf);
}

export async function listSuggestions(db: ServerDb, tenantId: string, filter: { courseId?: string; status?: SuggestionStatus }): Promise<ContentSuggestion[]> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT ${suggestionColumns} FROM analytics_suggestions
        WHERE tenant_id = ${tenantId} AND (${filter.courseId ?? null}::text IS NULL OR course_id = ${filter.courseId ?? null}::text) AND (${filter.status ?? null}::text IS NULL OR status = ${filter.status ?? null}::text)
        ORDER BY created_at, id`,
  );
  return rows.map(suggestionOf);
}

export async function suggestionById(db: ServerDb, tenantId: string, id: string): Promise<ContentSuggestion | null> {
  const [row] = await rowsOf<Record<string, unknown>>(db, sql`SELECT ${suggestionColumns} FROM analytics_suggestions WHERE tenant_id = ${tenantId} AND id = ${id}`);
  return row ? suggestionOf(row) : null;
}

export { suggestionOf };

/** Days, signals and suggestions written after `since` (changes of one tenant commit in sequence order, see storage.ts). */
export async function analyticsChanges(db: ServerDb, tenantId: string, since: string | undefined): Promise<AnalyticsChanges> {
  const after = since ?? '0';
  const heads = await rowsOf<{ course_id: string; package_version: number; package_content_hash: string; day: string; change_seq: string }>(
    db,
    sql`SELECT course_id, package_version, package_content_hash, day::text AS day, change_seq::text AS change_seq FROM analytics_days WHERE tenant_id = ${tenantId} AND change_seq > ${after}::bigint ORDER BY change_seq`,
  );
  const suggestionRows = await rowsOf<Record<string, unknown>>(db, sql`SELECT ${suggestionColumns}, change_seq::text AS change_seq FROM analytics_suggestions WHERE tenant_id = ${tenantId} AND change_seq > ${after}::bigint ORDER BY change_seq`);
  let cursor = BigInt(after);
  const days: AnalyticsChanges['days'] = [];
  const signals: AnalyticsSignal[] = [];
  for (const head of heads) {
    const key = dayKey(tenantId, head.course_id, head.package_version);
    const on = sql`${key} AND day = ${head.day}::date`;
    const [funnel] = await rowsOf<FunnelRow>(db, sql`SELECT ${funnelColumns} FROM analytics_funnel_days WHERE ${on}`);
    const lessons = (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${lessonColumns} FROM analytics_lesson_stats WHERE ${on} ORDER BY lesson_index`)).map(lessonOf);
    const quizzes = (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${quizColumns} FROM analytics_quiz_stats WHERE ${on} ORDER BY lesson_id, quiz_item_id`)).map(quizOf);
    const items = (await rowsOf<Record<string, unknown>>(db, sql`SELECT ${itemColumns} FROM analytics_item_stats WHERE ${on} ORDER BY lesson_id, quiz_item_id, question_index`)).map(itemOf);
    signals.push(...(await rowsOf<Record<string, unknown>>(db, sql`SELECT ${signalColumns} FROM analytics_signals WHERE ${on} ORDER BY type, id`)).map(signalOf));
    if (funnel) days.push({ courseId: head.course_id, packageVersion: head.package_version, packageContentHash: head.package_content_hash, day: head.day, funnel: funnelOf(funnel), lessons, quizzes, items });
    if (BigInt(head.change_seq) > cursor) cursor = BigInt(head.change_seq);
  }
  for (const row of suggestionRows) if (BigInt(row.change_seq as string) > cursor) cursor = BigInt(row.change_seq as string);
  return { cursor: cursor.toString(), days, signals, suggestions: suggestionRows.map(suggestionOf) };
}
