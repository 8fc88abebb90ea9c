/**
 * Migration 10: learner analytics pulled from hosted servers.
 *
 * What the studio pulls from a hosted server's analytics change feed (core/analytics-sync), per
 * server so two servers' numbers never mix. A course's day is one row (the server counts one
 * version per course and day) holding its funnel, lessons, quizzes and items, replaced whole,
 * with that day's signals, when the server recomputes the day.
 * Suggestions are insert-only except their status (invariant 6): a decided one never changes
 * again. analytics_decisions is the outbox of decisions made here: what was decided, by whom and
 * why is written once; only its delivery to the server moves.
 */
export const analyticsMigrationSql = `
CREATE TABLE analytics_days (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  server_url TEXT NOT NULL,
  course_id TEXT NOT NULL,
  package_version INTEGER NOT NULL,
  package_content_hash TEXT NOT NULL,
  day TEXT NOT NULL,
  funnel_json TEXT NOT NULL,
  lessons_json TEXT NOT NULL,
  quizzes_json TEXT NOT NULL,
  items_json TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  CONSTRAINT analytics_days_course_day_unique UNIQUE (server_url, course_id, day)
) STRICT;

CREATE TABLE analytics_signals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  server_url TEXT NOT NULL,
  signal_id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  package_version INTEGER NOT NULL,
  type TEXT NOT NULL,
  severity TEXT NOT NULL,
  target_json TEXT NOT NULL,
  evidence_json TEXT NOT NULL,
  day TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT analytics_signals_server_signal_unique UNIQUE (server_url, signal_id)
) STRICT;

CREATE INDEX analytics_signals_course_day_idx ON analytics_signals (server_url, course_id, day);

CREATE TABLE analytics_suggestions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  server_url TEXT NOT NULL,
  suggestion_id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  signal_id TEXT NOT NULL,
  signal_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_json TEXT NOT NULL,
  rationale TEXT NOT NULL,
  draft_instruction TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  dismiss_reason TEXT,
  created_at TEXT NOT NULL,
  CONSTRAINT analytics_suggestions_server_suggestion_unique UNIQUE (server_url, suggestion_id),
  CONSTRAINT analytics_suggestions_status_check CHECK (status IN ('OPEN', 'ACCEPTED', 'DISMISSED'))
) STRICT;

CREATE INDEX analytics_suggestions_course_idx ON analytics_suggestions (course_id, status);

CREATE TRIGGER analytics_suggestions_decided_no_update
BEFORE UPDATE ON analytics_suggestions
WHEN OLD.status <> 'OPEN'
BEGIN
  SELECT RAISE(ABORT, 'a decided suggestion is immutable');
END;

CREATE TRIGGER analytics_suggestions_written_once
BEFORE UPDATE ON analytics_suggestions
WHEN NEW.id IS NOT OLD.id OR NEW.server_url IS NOT OLD.server_url OR NEW.suggestion_id IS NOT OLD.suggestion_id
  OR NEW.course_id IS NOT OLD.course_id OR NEW.signal_id IS NOT OLD.signal_id OR NEW.signal_type IS NOT OLD.signal_type
  OR NEW.kind IS NOT OLD.kind OR NEW.target_json IS NOT OLD.target_json OR NEW.rationale IS NOT OLD.rationale
  OR NEW.draft_instruction IS NOT OLD.draft_instruction OR NEW.created_at IS NOT OLD.created_at
BEGIN
  SELECT RAISE(ABORT, 'a suggestion is written once; only its status changes (OPEN to ACCEPTED or DISMISSED)');
END;

CREATE TRIGGER analytics_suggestions_no_delete
BEFORE DELETE ON analytics_suggestions
BEGIN
  SELECT RAISE(ABORT, 'suggestions cannot be deleted; dismiss one with a reason instead');
END;

CREATE TABLE analytics_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  server_url TEXT NOT NULL,
  suggestion_id TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until TEXT,
  last_error TEXT,
  last_error_code TEXT,
  delivered_at TEXT,
  CONSTRAINT analytics_decisions_server_suggestion_unique UNIQUE (server_url, suggestion_id),
  CONSTRAINT analytics_decisions_decision_check CHECK (decision IN ('accept', 'dismiss')),
  CONSTRAINT analytics_decisions_reason_check CHECK (decision = 'accept' OR length(trim(coalesce(reason, ''))) > 0),
  CONSTRAINT analytics_decisions_state_check CHECK (state IN ('queued', 'delivered', 'refused'))
) STRICT;

CREATE INDEX analytics_decisions_due_idx ON analytics_decisions (state, next_attempt_at);

CREATE TRIGGER analytics_decisions_written_once
BEFORE UPDATE ON analytics_decisions
WHEN NEW.id IS NOT OLD.id OR NEW.server_url IS NOT OLD.server_url OR NEW.suggestion_id IS NOT OLD.suggestion_id
  OR NEW.decision IS NOT OLD.decision OR NEW.reason IS NOT OLD.reason OR NEW.decided_by IS NOT OLD.decided_by
  OR NEW.decided_at IS NOT OLD.decided_at
BEGIN
  SELECT RAISE(ABORT, 'a suggestion decision is written once; only its delivery to the server changes');
END;

CREATE TRIGGER analytics_decisions_no_delete
BEFORE DELETE ON analytics_decisions
BEGIN
  SELECT RAISE(ABORT, 'suggestion decisions cannot be deleted; they are the record of what was decided');
END;

CREATE TABLE analytics_sync_cursors (
  server_url TEXT PRIMARY KEY NOT NULL,
  cursor TEXT NOT NULL,
  synced_at TEXT NOT NULL
) STRICT;
`;
