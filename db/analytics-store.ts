import type BetterSqlite3 from 'better-sqlite3';
import type { AnalyticsChanges, AnalyticsSignal, ContentSuggestion } from '../schemas/analytics.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { AnalyticsRepository, AppliedPull, DecisionState, SuggestionDecision, SyncedAnalyticsDay } from '../core/analytics-sync/ports.js';
import { mapSqliteError } from './errors.js';

interface DayRow {
  server_url: string;
  course_id: string;
  package_version: number;
  package_content_hash: string;
  day: string;
  funnel_json: string;
  lessons_json: string;
  quizzes_json: string;
  items_json: string;
  synced_at: string;
}

interface SignalRow {
  signal_id: string;
  type: string;
  severity: string;
  target_json: string;
  evidence_json: string;
  day: string;
  created_at: string;
}

interface SuggestionRow {
  suggestion_id: string;
  course_id: string;
  signal_id: string;
  signal_type: string;
  kind: string;
  target_json: string;
  rationale: string;
  draft_instruction: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  dismiss_reason: string | null;
  created_at: string;
}

interface DecisionRow {
  id: number;
  server_url: string;
  suggestion_id: string;
  decision: 'accept' | 'dismiss';
  reason: string | null;
  decided_by: string;
  decided_at: string;
  state: DecisionState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  last_error_code: string | null;
  delivered_at: string | null;
}

const dayOf = (row: DayRow): SyncedAnalyticsDay => ({
  serverUrl: row.server_url,
  courseId: row.course_id,
  packageVersion: row.package_version,
  packageContentHash: row.package_content_hash,
  day: row.day,
  funnel: JSON.parse(row.funnel_json),
  lessons: JSON.parse(row.lessons_json),
  quizzes: JSON.parse(row.quizzes_json),
  items: JSON.parse(row.items_json),
  syncedAt: row.synced_at,
});

const signalOf = (row: SignalRow): AnalyticsSignal =>
  ({ id: row.signal_id, type: row.type, severity: row.severity, target: JSON.parse(row.target_json), evidence: JSON.parse(row.evidence_json), day: row.day, createdAt: row.created_at }) as AnalyticsSignal;

const suggestionOf = (row: SuggestionRow): ContentSuggestion & { courseId: string } =>
  ({
    id: row.suggestion_id,
    courseId: row.course_id,
    signalId: row.signal_id,
    signalType: row.signal_type,
    kind: row.kind,
    target: JSON.parse(row.target_json),
    rationale: row.rationale,
    draftInstruction: row.draft_instruction,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    dismissReason: row.dismiss_reason,
    createdAt: row.created_at,
  }) as ContentSuggestion & { courseId: string };

const decisionOf = (row: DecisionRow): SuggestionDecision => ({
  id: row.id,
  serverUrl: row.server_url,
  suggestionId: row.suggestion_id,
  decision: row.decision,
  reason: row.reason,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  lastErrorCode: row.last_error_code,
  deliveredAt: row.delivered_at,
});

const suggestionColumns = 'suggestion_id, course_id, signal_id, signal_type, kind, target_json, rationale, draft_instruction, status, decided_by, decided_at, dismiss_reason, created_at';
const decisionColumns = 'id, server_url, suggestion_id, decision, reason, decided_by, decided_at, state, attempts, next_attempt_at, last_error, last_error_code, delivered_at';

/** Learner analytics pulled from hosted servers, and decisions on their way back (migration 10). */
export function createAnalyticsRepository(db: BetterSqlite3.Database): AnalyticsRepository {
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };
  const statements = {
    courseKnown: db.prepare('SELECT 1 FROM courses WHERE id = ?').pluck(),
    deleteDay: db.prepare('DELETE FROM analytics_days WHERE server_url = ? AND course_id = ? AND day = ?'),
    deleteDaySignals: db.prepare('DELETE FROM analytics_signals WHERE server_url = ? AND course_id = ? AND day = ?'),
    insertDay: db.prepare(`INSERT INTO analytics_days (server_url, course_id, package_version, package_content_hash, day, funnel_json, lessons_json, quizzes_json, items_json, synced_at)
      VALUES (@serverUrl, @courseId, @packageVersion, @packageContentHash, @day, @funnel, @lessons, @quizzes, @items, @at)`),
    upsertSignal: db.prepare(`INSERT INTO analytics_signals (server_url, signal_id, course_id, package_version, type, severity, target_json, evidence_json, day, created_at)
      VALUES (@serverUrl, @id, @courseId, @packageVersion, @type, @severity, @target, @evidence, @day, @createdAt)
      ON CONFLICT (server_url, signal_id) DO UPDATE SET course_id = excluded.course_id, package_version = excluded.package_version, type = excluded.type, severity = excluded.severity,
        target_json = excluded.target_json, evidence_json = excluded.evidence_json, day = excluded.day, created_at = excluded.created_at`),
    // A suggestion is written once; the server's later answers can only decide an OPEN one.
    insertSuggestion: db.prepare(`INSERT INTO analytics_suggestions (server_url, suggestion_id, course_id, signal_id, signal_type, kind, target_json, rationale, draft_instruction, status, decided_by, decided_at, dismiss_reason, created_at)
      VALUES (@serverUrl, @id, @courseId, @signalId, @signalType, @kind, @target, @rationale, @draftInstruction, @status, @decidedBy, @decidedAt, @dismissReason, @createdAt)
      ON CONFLICT (server_url, suggestion_id) DO NOTHING`),
    decideSuggestion: db.prepare(`UPDATE analytics_suggestions SET status = @status, decided_by = @decidedBy, decided_at = @decidedAt, dismiss_reason = @dismissReason
      WHERE server_url = @serverUrl AND suggestion_id = @id AND status = 'OPEN' AND @status <> 'OPEN'`),
    upsertCursor: db.prepare(`INSERT INTO analytics_sync_cursors (server_url, cursor, synced_at) VALUES (?, ?, ?)
      ON CONFLICT (server_url) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at`),
    cursor: db.prepare('SELECT cursor, synced_at FROM analytics_sync_cursors WHERE server_url = ?'),
    servers: db.prepare('SELECT server_url FROM analytics_sync_cursors ORDER BY synced_at DESC, server_url').pluck(),
    days: db.prepare('SELECT * FROM analytics_days WHERE server_url = ? AND course_id = ? ORDER BY day'),
    signals: db.prepare('SELECT signal_id, type, severity, target_json, evidence_json, day, created_at FROM analytics_signals WHERE server_url = ? AND course_id = ? ORDER BY day, type, signal_id'),
    suggestion: db.prepare(`SELECT ${suggestionColumns} FROM analytics_suggestions WHERE server_url = ? AND suggestion_id = ?`),
    insertDecision: db.prepare(`INSERT INTO analytics_decisions (server_url, suggestion_id, decision, reason, decided_by, decided_at, state, attempts, next_attempt_at)
      VALUES (@serverUrl, @suggestionId, @decision, @reason, @decidedBy, @decidedAt, 'queued', 0, @decidedAt)
      ON CONFLICT (server_url, suggestion_id) DO NOTHING RETURNING ${decisionColumns}`),
    decision: db.prepare(`SELECT ${decisionColumns} FROM analytics_decisions WHERE server_url = ? AND suggestion_id = ?`),
    decisions: db.prepare(`SELECT ${decisionColumns} FROM analytics_decisions WHERE server_url = ? ORDER BY id`),
    delivered: db.prepare(`UPDATE analytics_decisions SET state = 'delivered', attempts = attempts + 1, delivered_at = @at, claimed_until = NULL, last_error = NULL, last_error_code = NULL WHERE id = @id RETURNING ${decisionColumns}`),
    retryLater: db.prepare(`UPDATE analytics_decisions SET state = 'queued', attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @error, last_error_code = @code, claimed_until = NULL WHERE id = @id RETURNING ${decisionColumns}`),
    refuse: db.prepare(`UPDATE analytics_decisions SET state = 'refused', attempts = attempts + 1, last_error = @error, last_error_code = @code, claimed_until = NULL WHERE id = @id RETURNING ${decisionColumns}`),
  };
  const returned = (row: unknown, id: number): SuggestionDecision => {
    if (!row) throw new CoursewrightError('NOT_FOUND', `Decision ${id} is not in the decisions outbox.`);
    return decisionOf(row as DecisionRow);
  };

  const applyPull = db.transaction((serverUrl: string, changes: AnalyticsChanges, at: string): AppliedPull => {
    const known = new Map<string, boolean>();
    const isKnown = (courseId: string) => {
      if (!known.has(courseId)) known.set(courseId, statements.courseKnown.get(courseId) !== undefined);
      return known.get(courseId)!;
    };
    const applied: AppliedPull = { days: 0, signals: 0, suggestions: 0, skipped: 0 };
    for (const day of changes.days) {
      if (!isKnown(day.courseId)) {
        applied.skipped++;
        continue;
      }
      // The server keeps one version per course and day: whatever the day held before goes, with its signals.
      statements.deleteDay.run(serverUrl, day.courseId, day.day);
      statements.deleteDaySignals.run(serverUrl, day.courseId, day.day);
      statements.insertDay.run({
        serverUrl,
        courseId: day.courseId,
        packageVersion: day.packageVersion,
        packageContentHash: day.packageContentHash,
        day: day.day,
        funnel: JSON.stringify(day.funnel),
        lessons: JSON.stringify(day.lessons),
        quizzes: JSON.stringify(day.quizzes),
        items: JSON.stringify(day.items),
        at,
      });
      applied.days++;
    }
    for (const signal of changes.signals) {
      if (!isKnown(signal.target.courseId)) {
        applied.skipped++;
        continue;
      }
      statements.upsertSignal.run({
        serverUrl,
        id: signal.id,
        courseId: signal.target.courseId,
        packageVersion: signal.target.packageVersion,
        type: signal.type,
        severity: signal.severity,
        target: JSON.stringify(signal.target),
        evidence: JSON.stringify(signal.evidence),
        day: signal.day,
        createdAt: signal.createdAt,
      });
      applied.signals++;
    }
    for (const suggestion of changes.suggestions) {
      if (!isKnown(suggestion.target.courseId)) {
        applied.skipped++;
        continue;
      }
      const row = {
        serverUrl,
        id: suggestion.id,
        courseId: suggestion.target.courseId,
        signalId: suggestion.signalId,
        signalType: suggestion.signalType,
        kind: suggestion.kind,
        target: JSON.stringify(suggestion.target),
        rationale: suggestion.rationale,
        draftInstruction: suggestion.draftInstruction,
        status: suggestion.status,
        decidedBy: suggestion.decidedBy,
        decidedAt: suggestion.decidedAt,
        dismissReason: suggestion.dismissReason,
        createdAt: suggestion.createdAt,
      };
      const inserted = statements.insertSuggestion.run(row).changes;
      const decided = inserted === 0 ? statements.decideSuggestion.run(row).changes : 0;
      applied.suggestions += inserted + decided;
    }
    statements.upsertCursor.run(serverUrl, changes.cursor, at);
    return applied;
  });

  return {
    applyPull: (serverUrl, changes, at) => guarded(() => applyPull.immediate(serverUrl, changes, at)),
    cursor(serverUrl) {
      const row = guarded(() => statements.cursor.get(serverUrl)) as { cursor: string; synced_at: string } | undefined;
      return row ? { cursor: row.cursor, syncedAt: row.synced_at } : undefined;
    },
    syncedServers: () => guarded(() => statements.servers.all()) as string[],
    days: (serverUrl, courseId) => (guarded(() => statements.days.all(serverUrl, courseId)) as DayRow[]).map(dayOf),
    signals: (serverUrl, courseId) => (guarded(() => statements.signals.all(serverUrl, courseId)) as SignalRow[]).map(signalOf),
    suggestions(filter) {
      const where = ['server_url = @serverUrl'];
      if (filter.courseId !== undefined) where.push('course_id = @courseId');
      if (filter.status !== undefined) where.push('status = @status');
      const sql = `SELECT ${suggestionColumns} FROM analytics_suggestions WHERE ${where.join(' AND ')} ORDER BY created_at, suggestion_id`;
      return (guarded(() => db.prepare(sql).all({ serverUrl: filter.serverUrl, courseId: filter.courseId ?? null, status: filter.status ?? null })) as SuggestionRow[]).map(suggestionOf);
    },
    suggestion(serverUrl, suggestionId) {
      const row = guarded(() => statements.suggestion.get(serverUrl, suggestionId)) as SuggestionRow | undefined;
      return row ? suggestionOf(row) : undefined;
    },
    recordDecision(decision) {
      const row = guarded(() => statements.insertDecision.get(decision)) as DecisionRow | undefined;
      if (!row) {
        const earlier = decisionOf(statements.decision.get(decision.serverUrl, decision.suggestionId) as DecisionRow);
        throw new CoursewrightError(
          'CONFLICT',
          `Suggestion ${decision.suggestionId} was already ${earlier.decision === 'accept' ? 'accepted' : 'dismissed'} by ${earlier.decidedBy} at ${earlier.decidedAt}; a decision is made once.`,
          { suggestionId: decision.suggestionId, decision: earlier.decision, decidedBy: earlier.decidedBy },
        );
      }
      return decisionOf(row);
    },
    decision(serverUrl, suggestionId) {
      const row = guarded(() => statements.decision.get(serverUrl, suggestionId)) as DecisionRow | undefined;
      return row ? decisionOf(row) : undefined;
    },
    decisions: (serverUrl) => (guarded(() => statements.decisions.all(serverUrl)) as DecisionRow[]).map(decisionOf),
    claimDecisions(filter) {
      const where = ["state = 'queued'", 'server_url = @serverUrl', '(claimed_until IS NULL OR claimed_until < @now)'];
      if (filter.dueBy !== null) where.push('next_attempt_at <= @dueBy');
      if (filter.id !== undefined) where.push('id = @id');
      const sql = `UPDATE analytics_decisions SET claimed_until = @claimedUntil WHERE id IN (SELECT id FROM analytics_decisions WHERE ${where.join(' AND ')} ORDER BY next_attempt_at, id LIMIT @limit) RETURNING ${decisionColumns}`;
      const rows = guarded(() => db.prepare(sql).all({ serverUrl: filter.serverUrl, now: filter.now, claimedUntil: filter.claimedUntil, limit: filter.limit, dueBy: filter.dueBy, id: filter.id ?? null })) as DecisionRow[];
      return rows.map(decisionOf).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id);
    },
    markDelivered: (id, at) => guarded(() => returned(statements.delivered.get({ id, at }), id)),
    retryDecisionLater: (id, outcome) => guarded(() => returned(statements.retryLater.get({ id, ...outcome }), id)),
    refuseDecision: (id, outcome) => guarded(() => returned(statements.refuse.get({ id, ...outcome }), id)),
  };
}
