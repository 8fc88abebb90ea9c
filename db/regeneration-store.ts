import type BetterSqlite3 from 'better-sqlite3';
import type { JobFilter, LeaseTerms, NewRegenerationJob, NewRetryIntent, RegenerationRepository } from '../core/regeneration/ports.js';
import type { RegenerationJob, RetryIntent } from '../schemas/regeneration.js';
import { mapSqliteError } from './errors.js';

interface JobRow {
  id: string;
  course_id: string;
  target_kind: RegenerationJob['targetKind'];
  target_item_id: string;
  target_ref: string;
  target_question_id: string | null;
  instruction: string;
  source_json: string;
  model_json: string;
  created_by: string;
  created_at: string;
  retry_of_job_id: string | null;
  original_job_id: string;
  retry_intent_id: string | null;
  status: RegenerationJob['status'];
  triggered_by: string | null;
  triggered_at: string | null;
  worker_id: string | null;
  lease_expires_at: string | null;
  heartbeat_at: string | null;
  started_at: string | null;
  output_item_id: string | null;
  error: string | null;
  finished_at: string | null;
}

interface IntentRow {
  id: string;
  job_id: string;
  original_job_id: string;
  reason_code: RetryIntent['reasonCode'];
  reason_text: string;
  instruction: string | null;
  model_json: string | null;
  created_by: string;
  created_at: string;
  status: RetryIntent['status'];
  decided_by: string | null;
  decided_at: string | null;
  new_job_id: string | null;
  rejection_reason: string | null;
}

function jobFromRow(row: JobRow): RegenerationJob {
  return {
    id: row.id,
    courseId: row.course_id,
    targetKind: row.target_kind,
    targetItemId: row.target_item_id,
    targetRef: row.target_ref,
    targetQuestionId: row.target_question_id,
    instruction: row.instruction,
    source: JSON.parse(row.source_json) as RegenerationJob['source'],
    model: JSON.parse(row.model_json) as RegenerationJob['model'],
    createdBy: row.created_by,
    createdAt: row.created_at,
    retryOfJobId: row.retry_of_job_id,
    originalJobId: row.original_job_id,
    retryIntentId: row.retry_intent_id,
    status: row.status,
    triggeredBy: row.triggered_by,
    triggeredAt: row.triggered_at,
    workerId: row.worker_id,
    leaseExpiresAt: row.lease_expires_at,
    heartbeatAt: row.heartbeat_at,
    startedAt: row.started_at,
    outputItemId: row.output_item_id,
    error: row.error,
    finishedAt: row.finished_at,
  };
}

function intentFromRow(row: IntentRow): RetryIntent {
  return {
    id: row.id,
    jobId: row.job_id,
    originalJobId: row.original_job_id,
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
    instruction: row.instruction,
    model: row.model_json === null ? null : (JSON.parse(row.model_json) as RetryIntent['model']),
    createdBy: row.created_by,
    createdAt: row.created_at,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    newJobId: row.new_job_id,
    rejectionReason: row.rejection_reason,
  };
}

const NO_LIMIT = -1;

/** Jobs, outputs and retry intents (migration 9). Every move is one conditional statement; see core/regeneration/ports.ts. */
export function createRegenerationRepository(db: BetterSqlite3.Database): RegenerationRepository {
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };
  const s = {
    insertJob: db.prepare(`
INSERT INTO regeneration_jobs (id, course_id, target_kind, target_item_id, target_ref, target_question_id, instruction, source_json, model_json, created_by, created_at, retry_of_job_id, original_job_id, retry_intent_id, status)
VALUES (@id, @courseId, @targetKind, @targetItemId, @targetRef, @targetQuestionId, @instruction, @sourceJson, @modelJson, @createdBy, @createdAt, @retryOfJobId, @originalJobId, @retryIntentId, 'PENDING')`),
    getJob: db.prepare('SELECT * FROM regeneration_jobs WHERE id = ?'),
    listJobs: db.prepare(`
SELECT * FROM regeneration_jobs
WHERE (@courseId IS NULL OR course_id = @courseId) AND (@status IS NULL OR status = @status)
ORDER BY created_at DESC, rowid DESC LIMIT @limit`),
    // The same target, and across a quiz and its questions: a whole-quiz job and a job on one of its questions exclude each other.
    activeForTarget: db.prepare(`
SELECT * FROM regeneration_jobs
WHERE course_id = @courseId AND target_ref = @targetRef AND status IN ('PENDING', 'TRIGGERED', 'RUNNING') AND (
  (target_kind = @targetKind AND target_question_id IS @questionId)
  OR (@targetKind = 'question' AND target_kind = 'quiz')
  OR (@targetKind = 'quiz' AND target_kind = 'question'))
ORDER BY created_at, rowid LIMIT 1`),
    chain: db.prepare('SELECT * FROM regeneration_jobs WHERE original_job_id = ? ORDER BY created_at, rowid'),
    countTriggered: db.prepare(`SELECT count(*) FROM regeneration_jobs WHERE status = 'TRIGGERED'`).pluck(),
    trigger: db.prepare(`UPDATE regeneration_jobs SET status = 'TRIGGERED', triggered_by = @by, triggered_at = @at WHERE id = @id AND status = 'PENDING'`),
    // One statement decides the claim: of several workers running it at once, only the one whose
    // UPDATE still finds the row TRIGGERED changes it; the others get no row back.
    claimNext: db.prepare(`
UPDATE regeneration_jobs
SET status = 'RUNNING', worker_id = @workerId, lease_expires_at = @leaseExpiresAt, heartbeat_at = @now, started_at = @now
WHERE status = 'TRIGGERED' AND id = (SELECT id FROM regeneration_jobs WHERE status = 'TRIGGERED' ORDER BY triggered_at, rowid LIMIT 1)
RETURNING *`),
    claim: db.prepare(`
UPDATE regeneration_jobs
SET status = 'RUNNING', worker_id = @workerId, lease_expires_at = @leaseExpiresAt, heartbeat_at = @now, started_at = @now
WHERE status = 'TRIGGERED' AND id = @id
RETURNING *`),
    heartbeat: db.prepare(`
UPDATE regeneration_jobs SET lease_expires_at = @leaseExpiresAt, heartbeat_at = @now
WHERE id = @id AND status = 'RUNNING' AND worker_id = @workerId AND lease_expires_at >= @now`),
    complete: db.prepare(`
UPDATE regeneration_jobs SET status = 'COMPLETED', output_item_id = @outputItemId, finished_at = @now
WHERE id = @id AND status = 'RUNNING' AND worker_id = @workerId AND lease_expires_at >= @now`),
    insertOutput: db.prepare('INSERT INTO regeneration_job_outputs (job_id, output_kind, output_id, created_at) VALUES (@jobId, @outputKind, @outputId, @at)'),
    failRunning: db.prepare(`UPDATE regeneration_jobs SET status = 'FAILED', error = @error, finished_at = @at WHERE id = @id AND status = 'RUNNING' AND worker_id = @workerId`),
    failActive: db.prepare(`UPDATE regeneration_jobs SET status = 'FAILED', error = @error, finished_at = @at WHERE id = @id AND status IN ('PENDING', 'TRIGGERED', 'RUNNING') RETURNING *`),
    expire: db.prepare(`UPDATE regeneration_jobs SET status = 'FAILED', error = @error, finished_at = @now WHERE status = 'RUNNING' AND lease_expires_at < @now RETURNING *`),
    insertIntent: db.prepare(`
INSERT INTO retry_intents (id, job_id, original_job_id, reason_code, reason_text, instruction, model_json, created_by, created_at, status)
VALUES (@id, @jobId, @originalJobId, @reasonCode, @reasonText, @instruction, @modelJson, @createdBy, @createdAt, 'PENDING')`),
    getIntent: db.prepare('SELECT * FROM retry_intents WHERE id = ?'),
    listIntents: db.prepare(`
SELECT * FROM retry_intents WHERE (@jobId IS NULL OR job_id = @jobId) AND (@originalJobId IS NULL OR original_job_id = @originalJobId)
ORDER BY created_at, rowid`),
    consumeIntent: db.prepare(`UPDATE retry_intents SET status = 'CONSUMED', decided_by = @by, decided_at = @at, new_job_id = @newJobId WHERE id = @id AND status = 'PENDING'`),
    rejectIntent: db.prepare(`UPDATE retry_intents SET status = 'REJECTED', decided_by = @by, decided_at = @at, rejection_reason = @reason WHERE id = @id AND status = 'PENDING'`),
  };
  const lease = (terms: LeaseTerms) => ({ workerId: terms.workerId, now: terms.now, leaseExpiresAt: terms.leaseExpiresAt });

  return {
    insertJob(job: NewRegenerationJob) {
      guarded(() =>
        s.insertJob.run({
          id: job.id,
          courseId: job.courseId,
          targetKind: job.targetKind,
          targetItemId: job.targetItemId,
          targetRef: job.targetRef,
          targetQuestionId: job.targetQuestionId,
          instruction: job.instruction,
          sourceJson: JSON.stringify(job.source),
          modelJson: JSON.stringify(job.model),
          createdBy: job.createdBy,
          createdAt: job.createdAt,
          retryOfJobId: job.retryOfJobId,
          originalJobId: job.originalJobId,
          retryIntentId: job.retryIntentId,
        }),
      );
    },
    getJob(id) {
      const row = guarded(() => s.getJob.get(id)) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    },
    listJobs(filter: JobFilter = {}) {
      const rows = guarded(() => s.listJobs.all({ courseId: filter.courseId ?? null, status: filter.status ?? null, limit: filter.limit ?? NO_LIMIT })) as JobRow[];
      return rows.map(jobFromRow);
    },
    activeJobForTarget(courseId, targetKind, targetRef, questionId = null) {
      const row = guarded(() => s.activeForTarget.get({ courseId, targetKind, targetRef, questionId })) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    },
    listChain(originalJobId) {
      return (guarded(() => s.chain.all(originalJobId)) as JobRow[]).map(jobFromRow);
    },
    countTriggered() {
      return guarded(() => s.countTriggered.get()) as number;
    },
    trigger(id, change) {
      return guarded(() => s.trigger.run({ id, by: change.by, at: change.at })).changes === 1;
    },
    claimNext(terms) {
      const row = guarded(() => s.claimNext.get(lease(terms))) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    },
    claim(id, terms) {
      const row = guarded(() => s.claim.get({ id, ...lease(terms) })) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    },
    heartbeat(id, terms) {
      return guarded(() => s.heartbeat.run({ id, ...lease(terms) })).changes === 1;
    },
    complete(id, change) {
      return guarded(() => s.complete.run({ id, workerId: change.workerId, now: change.now, outputItemId: change.outputItemId })).changes === 1;
    },
    insertOutput(output) {
      guarded(() => s.insertOutput.run(output));
    },
    failRunning(id, change) {
      return guarded(() => s.failRunning.run({ id, workerId: change.workerId, error: change.error, at: change.at })).changes === 1;
    },
    failActive(id, change) {
      const row = guarded(() => s.failActive.get({ id, error: change.error, at: change.at })) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    },
    expireLeases(now, error) {
      return (guarded(() => s.expire.all({ now, error })) as JobRow[]).map(jobFromRow);
    },
    insertIntent(intent: NewRetryIntent) {
      guarded(() =>
        s.insertIntent.run({
          id: intent.id,
          jobId: intent.jobId,
          originalJobId: intent.originalJobId,
          reasonCode: intent.reasonCode,
          reasonText: intent.reasonText,
          instruction: intent.instruction,
          modelJson: intent.model === null ? null : JSON.stringify(intent.model),
          createdBy: intent.createdBy,
          createdAt: intent.createdAt,
        }),
      );
    },
    getIntent(id) {
      const row = guarded(() => s.getIntent.get(id)) as IntentRow | undefined;
      return row ? intentFromRow(row) : undefined;
    },
    listIntents(filter = {}) {
      return (guarded(() => s.listIntents.all({ jobId: filter.jobId ?? null, originalJobId: filter.originalJobId ?? null })) as IntentRow[]).map(intentFromRow);
    },
    decideIntent(id, decision) {
      const result = guarded(() =>
        decision.status === 'CONSUMED'
          ? s.consumeIntent.run({ id, by: decision.by, at: decision.at, newJobId: decision.newJobId })
          : s.rejectIntent.run({ id, by: decision.by, at: decision.at, reason: decision.reason }),
      );
      return result.changes === 1;
    },
  };
}
