/**
 * Regeneration jobs, their outputs and retry intents (core/regeneration). Invariant 5 lives here,
 * below every code path, so a bug or a hand-run statement cannot break it:
 * - a job is written once; only its status, trigger, lease/heartbeat, output, error and finish
 *   time change, and its status moves only PENDING → TRIGGERED → RUNNING → COMPLETED | FAILED
 *   (cancelling ends an active job FAILED); COMPLETED and FAILED are final;
 * - a job's output is one row, written while the job runs and never changed;
 * - a retry intent is written once and decided once (PENDING → CONSUMED | REJECTED), and at most
 *   one job carries its id;
 * - a target has at most one active (PENDING, TRIGGERED, RUNNING) job.
 * The trigger conditions do not overlap, so each refusal carries its own trigger's sentence.
 */
/** The status moves a job may make; the other job triggers judge only updates that make one of these (or none). */
const legalMove = `(NEW.status IS OLD.status
  OR (OLD.status = 'PENDING' AND NEW.status IN ('TRIGGERED', 'FAILED'))
  OR (OLD.status = 'TRIGGERED' AND NEW.status IN ('RUNNING', 'FAILED'))
  OR (OLD.status = 'RUNNING' AND NEW.status IN ('COMPLETED', 'FAILED')))`;

export const regenerationMigrationSql = `
CREATE TABLE regeneration_jobs (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  target_kind TEXT NOT NULL,
  target_item_id TEXT NOT NULL REFERENCES content_items (id),
  target_ref TEXT NOT NULL,
  instruction TEXT NOT NULL,
  source_json TEXT NOT NULL,
  model_json TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retry_of_job_id TEXT REFERENCES regeneration_jobs (id),
  original_job_id TEXT NOT NULL,
  retry_intent_id TEXT REFERENCES retry_intents (id),
  status TEXT NOT NULL,
  triggered_by TEXT,
  triggered_at TEXT,
  worker_id TEXT,
  lease_expires_at TEXT,
  heartbeat_at TEXT,
  started_at TEXT,
  output_item_id TEXT,
  error TEXT,
  finished_at TEXT,
  CONSTRAINT regeneration_jobs_retry_intent_unique UNIQUE (retry_intent_id),
  CONSTRAINT regeneration_jobs_kind_check CHECK (target_kind IN ('lesson', 'quiz', 'project')),
  CONSTRAINT regeneration_jobs_status_check CHECK (status IN ('PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED')),
  CONSTRAINT regeneration_jobs_retry_check CHECK ((retry_of_job_id IS NULL) = (retry_intent_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX regeneration_jobs_one_active_per_target ON regeneration_jobs (course_id, target_kind, target_ref) WHERE status IN ('PENDING', 'TRIGGERED', 'RUNNING');
CREATE INDEX regeneration_jobs_status_idx ON regeneration_jobs (status, triggered_at);
CREATE INDEX regeneration_jobs_course_idx ON regeneration_jobs (course_id, created_at);
CREATE INDEX regeneration_jobs_chain_idx ON regeneration_jobs (original_job_id);

CREATE TABLE regeneration_job_outputs (
  job_id TEXT PRIMARY KEY NOT NULL REFERENCES regeneration_jobs (id),
  output_kind TEXT NOT NULL,
  output_id TEXT NOT NULL REFERENCES content_items (id),
  created_at TEXT NOT NULL,
  CONSTRAINT regeneration_job_outputs_output_unique UNIQUE (output_id)
) STRICT;

CREATE TABLE retry_intents (
  id TEXT PRIMARY KEY NOT NULL,
  job_id TEXT NOT NULL REFERENCES regeneration_jobs (id),
  original_job_id TEXT NOT NULL REFERENCES regeneration_jobs (id),
  reason_code TEXT NOT NULL,
  reason_text TEXT NOT NULL,
  instruction TEXT,
  model_json TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  new_job_id TEXT,
  rejection_reason TEXT,
  CONSTRAINT retry_intents_status_check CHECK (status IN ('PENDING', 'CONSUMED', 'REJECTED'))
) STRICT;

CREATE INDEX retry_intents_job_idx ON retry_intents (job_id);
CREATE INDEX retry_intents_original_idx ON retry_intents (original_job_id);

CREATE TRIGGER regeneration_jobs_start_pending
BEFORE INSERT ON regeneration_jobs
WHEN NEW.status <> 'PENDING' OR NEW.triggered_by IS NOT NULL OR NEW.triggered_at IS NOT NULL OR NEW.worker_id IS NOT NULL
  OR NEW.lease_expires_at IS NOT NULL OR NEW.heartbeat_at IS NOT NULL OR NEW.started_at IS NOT NULL
  OR NEW.output_item_id IS NOT NULL OR NEW.error IS NOT NULL OR NEW.finished_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a regeneration job starts PENDING with no trigger, lease, output or error; those are written as it moves');
END;

CREATE TRIGGER regeneration_jobs_final
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status IN ('COMPLETED', 'FAILED')
BEGIN
  SELECT RAISE(ABORT, 'completed and failed regeneration jobs are final and never run again; a retry is a new job created from a retry intent');
END;

CREATE TRIGGER regeneration_jobs_written_once
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND NOT (
  NEW.id IS OLD.id AND NEW.course_id IS OLD.course_id AND NEW.target_kind IS OLD.target_kind AND NEW.target_item_id IS OLD.target_item_id
  AND NEW.target_ref IS OLD.target_ref AND NEW.instruction IS OLD.instruction AND NEW.source_json IS OLD.source_json
  AND NEW.model_json IS OLD.model_json AND NEW.created_by IS OLD.created_by AND NEW.created_at IS OLD.created_at
  AND NEW.retry_of_job_id IS OLD.retry_of_job_id AND NEW.original_job_id IS OLD.original_job_id AND NEW.retry_intent_id IS OLD.retry_intent_id
)
BEGIN
  SELECT RAISE(ABORT, 'a regeneration job is written once; only its status, trigger, lease, heartbeat, output, error and finish time change');
END;

CREATE TRIGGER regeneration_jobs_status_flow
BEFORE UPDATE OF status ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND NOT ${legalMove}
BEGIN
  SELECT RAISE(ABORT, 'regeneration jobs move only PENDING → TRIGGERED → RUNNING → COMPLETED or FAILED (cancelling ends an active job FAILED)');
END;

CREATE TRIGGER regeneration_jobs_trigger_recorded
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND ${legalMove} AND (
  (NEW.status = 'TRIGGERED' AND (NEW.triggered_by IS NULL OR NEW.triggered_at IS NULL))
  OR ((NEW.triggered_by IS NOT OLD.triggered_by OR NEW.triggered_at IS NOT OLD.triggered_at) AND NOT (OLD.status = 'PENDING' AND NEW.status = 'TRIGGERED'))
)
BEGIN
  SELECT RAISE(ABORT, 'who triggered a job and when is written once, when it moves from PENDING to TRIGGERED');
END;

CREATE TRIGGER regeneration_jobs_lease_held
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND ${legalMove} AND (
  (NEW.status = 'RUNNING' AND (NEW.worker_id IS NULL OR NEW.lease_expires_at IS NULL OR NEW.heartbeat_at IS NULL OR NEW.started_at IS NULL))
  OR ((NEW.worker_id IS NOT OLD.worker_id OR NEW.started_at IS NOT OLD.started_at) AND NOT (OLD.status = 'TRIGGERED' AND NEW.status = 'RUNNING'))
  OR ((NEW.lease_expires_at IS NOT OLD.lease_expires_at OR NEW.heartbeat_at IS NOT OLD.heartbeat_at) AND NOT (OLD.status IN ('TRIGGERED', 'RUNNING') AND NEW.status = 'RUNNING'))
)
BEGIN
  SELECT RAISE(ABORT, 'a job is leased once, by the worker that claims it; only that running job''s lease and heartbeat are renewed');
END;

CREATE TRIGGER regeneration_jobs_output_once
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND ${legalMove} AND (
  (NEW.output_item_id IS NOT OLD.output_item_id AND NOT (OLD.status = 'RUNNING' AND NEW.status = 'COMPLETED'))
  OR (NEW.status = 'COMPLETED' AND (NEW.output_item_id IS NULL OR NEW.finished_at IS NULL
    OR NOT EXISTS (SELECT 1 FROM regeneration_job_outputs o WHERE o.job_id = NEW.id AND o.output_id = NEW.output_item_id)))
)
BEGIN
  SELECT RAISE(ABORT, 'a job''s output is written once, when the job completes, and must be the draft version recorded for it');
END;

CREATE TRIGGER regeneration_jobs_end_recorded
BEFORE UPDATE ON regeneration_jobs
WHEN OLD.status NOT IN ('COMPLETED', 'FAILED') AND ${legalMove} AND (
  (NEW.status = 'FAILED' AND (NEW.error IS NULL OR NEW.finished_at IS NULL))
  OR ((NEW.error IS NOT OLD.error) AND NEW.status <> 'FAILED')
  OR ((NEW.finished_at IS NOT OLD.finished_at) AND NEW.status NOT IN ('COMPLETED', 'FAILED'))
)
BEGIN
  SELECT RAISE(ABORT, 'a job''s error and finish time are written once, when it ends (FAILED with the reason)');
END;

CREATE TRIGGER regeneration_jobs_no_delete
BEFORE DELETE ON regeneration_jobs
BEGIN
  SELECT RAISE(ABORT, 'regeneration jobs cannot be deleted; they are the record of what was asked and what ran');
END;

CREATE TRIGGER regeneration_job_outputs_while_running
BEFORE INSERT ON regeneration_job_outputs
WHEN (SELECT status FROM regeneration_jobs WHERE id = NEW.job_id) IS NOT 'RUNNING'
BEGIN
  SELECT RAISE(ABORT, 'a job output is written only while its job is RUNNING, by the worker that runs it');
END;

CREATE TRIGGER regeneration_job_outputs_no_update
BEFORE UPDATE ON regeneration_job_outputs
BEGIN
  SELECT RAISE(ABORT, 'job outputs are insert-only; a job has the one output it completed with');
END;

CREATE TRIGGER regeneration_job_outputs_no_delete
BEFORE DELETE ON regeneration_job_outputs
BEGIN
  SELECT RAISE(ABORT, 'job outputs cannot be deleted; they link each version to the job that wrote it');
END;

CREATE TRIGGER retry_intents_start_pending
BEFORE INSERT ON retry_intents
WHEN NEW.status <> 'PENDING' OR NEW.decided_by IS NOT NULL OR NEW.decided_at IS NOT NULL OR NEW.new_job_id IS NOT NULL OR NEW.rejection_reason IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a retry intent starts PENDING; executing or rejecting it is a later decision');
END;

CREATE TRIGGER retry_intents_decided_once
BEFORE UPDATE ON retry_intents
WHEN OLD.status <> 'PENDING'
BEGIN
  SELECT RAISE(ABORT, 'a retry intent is decided once; a consumed or rejected intent never changes');
END;

CREATE TRIGGER retry_intents_written_once
BEFORE UPDATE ON retry_intents
WHEN OLD.status = 'PENDING' AND NOT (
  NEW.id IS OLD.id AND NEW.job_id IS OLD.job_id AND NEW.original_job_id IS OLD.original_job_id AND NEW.reason_code IS OLD.reason_code
  AND NEW.reason_text IS OLD.reason_text AND NEW.instruction IS OLD.instruction AND NEW.model_json IS OLD.model_json
  AND NEW.created_by IS OLD.created_by AND NEW.created_at IS OLD.created_at
)
BEGIN
  SELECT RAISE(ABORT, 'a retry intent is written once; only its decision (CONSUMED or REJECTED) is recorded later');
END;

CREATE TRIGGER retry_intents_decision
BEFORE UPDATE ON retry_intents
WHEN OLD.status = 'PENDING'
  AND (NEW.status IS NOT OLD.status OR NEW.decided_by IS NOT OLD.decided_by OR NEW.decided_at IS NOT OLD.decided_at OR NEW.new_job_id IS NOT OLD.new_job_id OR NEW.rejection_reason IS NOT OLD.rejection_reason)
  AND NOT (
  (NEW.status = 'CONSUMED' AND NEW.decided_by IS NOT NULL AND NEW.decided_at IS NOT NULL AND NEW.new_job_id IS NOT NULL AND NEW.rejection_reason IS NULL)
  OR (NEW.status = 'REJECTED' AND NEW.decided_by IS NOT NULL AND NEW.decided_at IS NOT NULL AND NEW.new_job_id IS NULL AND NEW.rejection_reason IS NOT NULL)
)
BEGIN
  SELECT RAISE(ABORT, 'a retry intent moves once from PENDING to CONSUMED (with the new job) or REJECTED (with the reason), recording who and when');
END;

CREATE TRIGGER retry_intents_no_delete
BEFORE DELETE ON retry_intents
BEGIN
  SELECT RAISE(ABORT, 'retry intents cannot be deleted; they are the record of who asked for a retry and why');
END;
`;
