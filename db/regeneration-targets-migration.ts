/**
 * Regeneration jobs on one quiz question and on the syllabus (migration 11). Migration 9 tied a
 * job's target and output to content_items and allowed only lesson, quiz and project; a question
 * job names its quiz version and one question id, and a syllabus job starts from a syllabus
 * version and writes a new one. SQLite changes CHECK and REFERENCES clauses only by rebuilding a
 * table, so regeneration_jobs and regeneration_job_outputs are rebuilt here with every row kept:
 * - foreign keys are deferred to the commit while the tables are swapped (retry intents point at
 *   jobs throughout; the commit fails if any row lost its parent);
 * - the target and the output must exist in the table their kind names (a trigger, since one
 *   REFERENCES clause cannot point at two tables);
 * - every trigger of migration 9 on these tables comes back with the same name and refusal, and
 *   a job's question id joins the fields written once;
 * - one active job per target still holds, now with questions: one per question, and a quiz has
 *   either an active whole-quiz job or active question jobs, never both.
 */
const legalMove = `(NEW.status IS OLD.status
  OR (OLD.status = 'PENDING' AND NEW.status IN ('TRIGGERED', 'FAILED'))
  OR (OLD.status = 'TRIGGERED' AND NEW.status IN ('RUNNING', 'FAILED'))
  OR (OLD.status = 'RUNNING' AND NEW.status IN ('COMPLETED', 'FAILED')))`;

export const regenerationTargetsMigrationSql = `
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE regeneration_jobs_before_targets AS SELECT * FROM main.regeneration_jobs;
CREATE TEMP TABLE regeneration_job_outputs_before_targets AS SELECT * FROM main.regeneration_job_outputs;
DROP TABLE main.regeneration_job_outputs;
DROP TABLE main.regeneration_jobs;

CREATE TABLE regeneration_jobs (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  target_kind TEXT NOT NULL,
  target_item_id TEXT NOT NULL,
  target_ref TEXT NOT NULL,
  target_question_id TEXT,
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
  CONSTRAINT regeneration_jobs_kind_check CHECK (target_kind IN ('lesson', 'quiz', 'project', 'question', 'syllabus')),
  CONSTRAINT regeneration_jobs_question_check CHECK ((target_kind = 'question') = (target_question_id IS NOT NULL)),
  CONSTRAINT regeneration_jobs_status_check CHECK (status IN ('PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED')),
  CONSTRAINT regeneration_jobs_retry_check CHECK ((retry_of_job_id IS NULL) = (retry_intent_id IS NULL))
) STRICT;

INSERT INTO regeneration_jobs (id, course_id, target_kind, target_item_id, target_ref, target_question_id, instruction, source_json, model_json, created_by, created_at,
  retry_of_job_id, original_job_id, retry_intent_id, status, triggered_by, triggered_at, worker_id, lease_expires_at, heartbeat_at, started_at, output_item_id, error, finished_at)
SELECT id, course_id, target_kind, target_item_id, target_ref, NULL, instruction, source_json, model_json, created_by, created_at,
  retry_of_job_id, original_job_id, retry_intent_id, status, triggered_by, triggered_at, worker_id, lease_expires_at, heartbeat_at, started_at, output_item_id, error, finished_at
FROM temp.regeneration_jobs_before_targets ORDER BY rowid;

CREATE UNIQUE INDEX regeneration_jobs_one_active_per_target ON regeneration_jobs (course_id, target_kind, target_ref) WHERE status IN ('PENDING', 'TRIGGERED', 'RUNNING') AND target_question_id IS NULL;
CREATE UNIQUE INDEX regeneration_jobs_one_active_per_question ON regeneration_jobs (course_id, target_ref, target_question_id) WHERE status IN ('PENDING', 'TRIGGERED', 'RUNNING') AND target_question_id IS NOT NULL;
CREATE INDEX regeneration_jobs_status_idx ON regeneration_jobs (status, triggered_at);
CREATE INDEX regeneration_jobs_course_idx ON regeneration_jobs (course_id, created_at);
CREATE INDEX regeneration_jobs_chain_idx ON regeneration_jobs (original_job_id);

CREATE TABLE regeneration_job_outputs (
  job_id TEXT PRIMARY KEY NOT NULL REFERENCES regeneration_jobs (id),
  output_kind TEXT NOT NULL,
  output_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT regeneration_job_outputs_output_unique UNIQUE (output_id)
) STRICT;

INSERT INTO regeneration_job_outputs (job_id, output_kind, output_id, created_at)
SELECT job_id, output_kind, output_id, created_at FROM temp.regeneration_job_outputs_before_targets ORDER BY rowid;

DROP TABLE temp.regeneration_jobs_before_targets;
DROP TABLE temp.regeneration_job_outputs_before_targets;

CREATE TRIGGER regeneration_jobs_target_exists
BEFORE INSERT ON regeneration_jobs
WHEN CASE NEW.target_kind
  WHEN 'syllabus' THEN NOT EXISTS (SELECT 1 FROM syllabus_versions s WHERE s.id = NEW.target_item_id AND s.course_id = NEW.course_id)
  WHEN 'question' THEN NOT EXISTS (SELECT 1 FROM content_items c WHERE c.id = NEW.target_item_id AND c.course_id = NEW.course_id AND c.kind = 'quiz')
  ELSE NOT EXISTS (SELECT 1 FROM content_items c WHERE c.id = NEW.target_item_id AND c.course_id = NEW.course_id AND c.kind = NEW.target_kind)
END
BEGIN
  SELECT RAISE(ABORT, 'a regeneration job starts from a version of its own course: a syllabus version for a syllabus job, a quiz for a question job, otherwise an item of the kind it names');
END;

CREATE TRIGGER regeneration_jobs_quiz_or_questions
BEFORE INSERT ON regeneration_jobs
WHEN (NEW.target_kind = 'question' AND EXISTS (SELECT 1 FROM regeneration_jobs j WHERE j.course_id = NEW.course_id AND j.target_ref = NEW.target_ref AND j.target_kind = 'quiz' AND j.status IN ('PENDING', 'TRIGGERED', 'RUNNING')))
  OR (NEW.target_kind = 'quiz' AND EXISTS (SELECT 1 FROM regeneration_jobs j WHERE j.course_id = NEW.course_id AND j.target_ref = NEW.target_ref AND j.target_kind = 'question' AND j.status IN ('PENDING', 'TRIGGERED', 'RUNNING')))
BEGIN
  SELECT RAISE(ABORT, 'a quiz has either one active whole-quiz job or active jobs on single questions, never both at once');
END;

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
  AND NEW.target_ref IS OLD.target_ref AND NEW.target_question_id IS OLD.target_question_id AND NEW.instruction IS OLD.instruction AND NEW.source_json IS OLD.source_json
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

CREATE TRIGGER regeneration_job_outputs_of_its_kind
BEFORE INSERT ON regeneration_job_outputs
WHEN NEW.output_kind IS NOT (SELECT target_kind FROM regeneration_jobs WHERE id = NEW.job_id)
  OR (NEW.output_kind = 'syllabus' AND NOT EXISTS (SELECT 1 FROM syllabus_versions s WHERE s.id = NEW.output_id))
  OR (NEW.output_kind <> 'syllabus' AND NOT EXISTS (SELECT 1 FROM content_items c WHERE c.id = NEW.output_id))
BEGIN
  SELECT RAISE(ABORT, 'a job output is a version of what its job regenerates: a syllabus version for a syllabus job, a content item otherwise');
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
`;
