import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, unique } from 'drizzle-orm/sqlite-core';

/**
 * Migration 10's tables as drizzle sees them (db/analytics-migration.ts is the database itself;
 * tests/integration/db/schema-agreement.test.ts fails when the two disagree). JSON columns are
 * TEXT, serialised and parsed by db/analytics-store.ts.
 */

/** One day of one course version from one server: funnel, lessons, quizzes and items, replaced whole. */
export const analyticsDays = sqliteTable(
  'analytics_days',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverUrl: text('server_url').notNull(),
    courseId: text('course_id').notNull(),
    packageVersion: integer('package_version').notNull(),
    packageContentHash: text('package_content_hash').notNull(),
    day: text('day').notNull(),
    funnelJson: text('funnel_json').notNull(),
    lessonsJson: text('lessons_json').notNull(),
    quizzesJson: text('quizzes_json').notNull(),
    itemsJson: text('items_json').notNull(),
    syncedAt: text('synced_at').notNull(),
  },
  (t) => [unique('analytics_days_course_day_unique').on(t.serverUrl, t.courseId, t.day)],
);

export const analyticsSignals = sqliteTable(
  'analytics_signals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverUrl: text('server_url').notNull(),
    signalId: text('signal_id').notNull(),
    courseId: text('course_id').notNull(),
    packageVersion: integer('package_version').notNull(),
    type: text('type').notNull(),
    severity: text('severity').notNull(),
    targetJson: text('target_json').notNull(),
    evidenceJson: text('evidence_json').notNull(),
    day: text('day').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [unique('analytics_signals_server_signal_unique').on(t.serverUrl, t.signalId), index('analytics_signals_course_day_idx').on(t.serverUrl, t.courseId, t.day)],
);

export const analyticsSuggestions = sqliteTable(
  'analytics_suggestions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverUrl: text('server_url').notNull(),
    suggestionId: text('suggestion_id').notNull(),
    courseId: text('course_id').notNull(),
    signalId: text('signal_id').notNull(),
    signalType: text('signal_type').notNull(),
    kind: text('kind').notNull(),
    targetJson: text('target_json').notNull(),
    rationale: text('rationale').notNull(),
    draftInstruction: text('draft_instruction').notNull(),
    status: text('status', { enum: ['OPEN', 'ACCEPTED', 'DISMISSED'] }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    dismissReason: text('dismiss_reason'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    unique('analytics_suggestions_server_suggestion_unique').on(t.serverUrl, t.suggestionId),
    check('analytics_suggestions_status_check', sql`${t.status} IN ('OPEN', 'ACCEPTED', 'DISMISSED')`),
    index('analytics_suggestions_course_idx').on(t.courseId, t.status),
  ],
);

/** Decisions made in this studio on their way to the server (the decisions outbox). */
export const analyticsDecisions = sqliteTable(
  'analytics_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverUrl: text('server_url').notNull(),
    suggestionId: text('suggestion_id').notNull(),
    decision: text('decision', { enum: ['accept', 'dismiss'] }).notNull(),
    reason: text('reason'),
    decidedBy: text('decided_by').notNull(),
    decidedAt: text('decided_at').notNull(),
    state: text('state', { enum: ['queued', 'delivered', 'refused'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    claimedUntil: text('claimed_until'),
    lastError: text('last_error'),
    lastErrorCode: text('last_error_code'),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    unique('analytics_decisions_server_suggestion_unique').on(t.serverUrl, t.suggestionId),
    check('analytics_decisions_decision_check', sql`${t.decision} IN ('accept', 'dismiss')`),
    check('analytics_decisions_reason_check', sql`${t.decision} = 'accept' OR length(trim(coalesce(${t.reason}, ''))) > 0`),
    check('analytics_decisions_state_check', sql`${t.state} IN ('queued', 'delivered', 'refused')`),
    index('analytics_decisions_due_idx').on(t.state, t.nextAttemptAt),
  ],
);

/** Where the last pull from each server's analytics change feed ended. */
export const analyticsSyncCursors = sqliteTable('analytics_sync_cursors', {
  serverUrl: text('server_url').primaryKey().notNull(),
  cursor: text('cursor').notNull(),
  syncedAt: text('synced_at').notNull(),
});

export const analyticsTables = { analyticsDays, analyticsSignals, analyticsSuggestions, analyticsDecisions, analyticsSyncCursors };
