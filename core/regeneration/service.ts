import { CoursewrightError } from '../../schemas/errors.js';
import {
  defaultRetryLimit,
  retryLimitSetting,
  type RegenerationJob,
  type RegenerationJobDetail,
  type RegenerationJobStatus,
  type RegenerationModelSettings,
  type RegenerationSource,
  type RetryIntent,
  type RetryReasonCode,
} from '../../schemas/regeneration.js';
import { createContentEngine } from '../content/engine.js';
import { randomIds, systemClock } from '../ids.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { createRegenerationTargets, describeJobTarget, type DraftRequest, type RegenerationOutput, type RegenerationTarget } from './targets.js';

/** The reasons a job ends FAILED without a generator error; people and tests read them as written. */
export const failureReasons = { workerStopped: 'worker stopped', cancelled: 'cancelled' } as const;

/** What the worker writes as the actor of its audit rows: the worker is not a person. */
export const workerActor = 'regeneration worker';

export interface CreateJobRequest {
  /** A lesson, quiz or project version, or a syllabus version. */
  targetItemId: string;
  /** One question of the quiz named by targetItemId: only that question is regenerated. */
  targetQuestionId?: string | undefined;
  instruction: string;
  actor: string;
  source?: Extract<RegenerationSource, { type: 'designer' | 'suggestion' }>;
  model?: RegenerationModelSettings;
}

export interface RegenerationServiceDeps {
  store: Store;
  clock?: Clock;
  ids?: IdGenerator;
}

const notFound = (id: string) => new CoursewrightError('NOT_FOUND', `No regeneration job "${id}". List jobs with \`coursewright jobs list\`.`, { jobId: id });

/**
 * The control plane of regeneration (invariant 5): people create, trigger and cancel jobs and
 * create, execute or reject retry intents; the worker (worker.ts) claims, runs, completes and
 * fails them through the lease functions here. Every change is a conditional update inside a
 * write transaction, with its audit row in the same transaction.
 */
export function createRegenerationService(deps: RegenerationServiceDeps) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const jobs = store.regeneration;
  const content = createContentEngine({ store, clock, ids });
  const targets = createRegenerationTargets({ store, content, clock, ids });
  const now = () => clock.now().toISOString();

  function requireJob(id: string): RegenerationJob {
    const job = jobs.getJob(id);
    if (!job) throw notFound(id);
    return job;
  }

  const describeTarget = describeJobTarget;

  /** One active job per target; a whole-quiz job and a job on one of its questions also exclude each other. The refusal names the other job. */
  function refuseSecondActiveJob(target: Pick<RegenerationTarget, 'courseId' | 'kind' | 'ref' | 'questionId'>): void {
    const active = jobs.activeJobForTarget(target.courseId, target.kind, target.ref, target.questionId);
    if (!active) return;
    const wanted = describeTarget({ targetKind: target.kind, targetRef: target.ref, targetQuestionId: target.questionId });
    const held = describeTarget(active);
    const why =
      held === wanted
        ? 'a target has one active job at a time'
        : active.targetKind === 'quiz'
          ? `job ${active.id} regenerates the whole quiz, ${held}, which includes that question`
          : `job ${active.id} regenerates ${held} of that quiz; a whole-quiz job waits until the question jobs end`;
    throw new CoursewrightError(
      'CONFLICT',
      `${wanted} already has an active regeneration job, ${active.id} (${active.status})${held === wanted ? '' : ` on ${held}`}; ${why}. Wait for it to end or cancel it: \`coursewright jobs cancel ${active.id}\`.`,
      { activeJobId: active.id },
    );
  }

  function auditJob(actor: string, action: 'job.created' | 'job.triggered' | 'job.locked' | 'job.started' | 'job.completed' | 'job.failed', job: RegenerationJob, metadata: Record<string, unknown> = {}) {
    store.audit.append({ actor, action, entityType: 'regeneration_job', entityId: job.id, metadata: { courseId: job.courseId, targetKind: job.targetKind, targetRef: job.targetRef, targetItemId: job.targetItemId, ...metadata } });
  }

  function insertJob(fields: Omit<Parameters<typeof jobs.insertJob>[0], 'id' | 'createdAt' | 'originalJobId'> & { originalJobId?: string }): RegenerationJob {
    const id = ids.newId('job');
    try {
      jobs.insertJob({ ...fields, id, createdAt: now(), originalJobId: fields.originalJobId ?? id });
    } catch (error) {
      // Two people asking at once: the partial unique index let one in; name the job that won.
      const target = { courseId: fields.courseId, kind: fields.targetKind, ref: fields.targetRef, questionId: fields.targetQuestionId };
      if (jobs.activeJobForTarget(target.courseId, target.kind, target.ref, target.questionId)) refuseSecondActiveJob(target);
      throw error;
    }
    const job = jobs.getJob(id)!;
    auditJob(fields.createdBy, 'job.created', job, { instruction: job.instruction, source: job.source, ...(job.retryOfJobId ? { retryOfJobId: job.retryOfJobId, retryIntentId: job.retryIntentId } : {}) });
    return job;
  }

  /** A PENDING job for one lesson, quiz or project version, one question of a quiz version, or the syllabus; nothing runs until someone triggers it. */
  function createJob(request: CreateJobRequest): RegenerationJob {
    // Empty only for interactive "Regenerate" without an instruction (a fresh answer to the same request); people asking for a job say what to change (the CLI and the contract require it).
    const instruction = request.instruction.trim();
    return store.transaction(() => {
      const target = targets.resolve(request.targetItemId, request.targetQuestionId);
      refuseSecondActiveJob(target);
      return insertJob({
        courseId: target.courseId,
        targetKind: target.kind,
        targetItemId: target.itemId,
        targetRef: target.ref,
        targetQuestionId: target.questionId,
        instruction,
        source: request.source ?? { type: 'designer' },
        model: request.model ?? {},
        createdBy: request.actor,
        retryOfJobId: null,
        retryIntentId: null,
      });
    });
  }

  function triggerOne(job: RegenerationJob, actor: string): RegenerationJob {
    if (!jobs.trigger(job.id, { by: actor, at: now() })) {
      const current = requireJob(job.id);
      throw new CoursewrightError('CONFLICT', `Job ${job.id} is ${current.status}, not PENDING: only a pending job can be triggered, and a job runs at most once.${current.status === 'FAILED' ? ` To run it again, create a retry intent: \`coursewright retry-intents create ${job.id} --reason CODE --text TEXT\`.` : ''}`, { jobId: job.id, status: current.status });
    }
    const triggered = requireJob(job.id);
    auditJob(actor, 'job.triggered', triggered);
    return triggered;
  }

  /** PENDING → TRIGGERED for every job named, or for none: one that is not pending refuses the whole request. */
  function triggerJobs(jobIds: string[], actor: string): RegenerationJob[] {
    if (jobIds.length === 0) throw new CoursewrightError('USAGE', 'Name at least one job to trigger.');
    return store.transaction(() => [...new Set(jobIds)].map((id) => triggerOne(requireJob(id), actor)));
  }

  /** Interactive "Regenerate…": a job created and triggered in one step, so it has the same lineage and audit as any other. */
  function createAndTrigger(request: CreateJobRequest): RegenerationJob {
    return store.transaction(() => triggerOne(createJob(request), request.actor));
  }

  /** Ends an active job FAILED "cancelled". A running job's worker finds out at its next heartbeat or when it tries to save, and saves nothing. */
  function cancelJob(jobId: string, actor: string): RegenerationJob {
    return store.transaction(() => {
      const before = requireJob(jobId);
      const cancelled = jobs.failActive(jobId, { error: failureReasons.cancelled, at: now() });
      if (!cancelled) throw new CoursewrightError('CONFLICT', `Job ${jobId} is ${before.status} and cannot be cancelled: it has already ended.`, { jobId, status: before.status });
      auditJob(actor, 'job.failed', cancelled, { reason: failureReasons.cancelled, from: before.status, cancelledBy: actor });
      return cancelled;
    });
  }

  function retryLimit(): number {
    const value = store.settings.get(retryLimitSetting);
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : defaultRetryLimit;
  }

  function retriesLeft(originalJobId: string): number {
    return Math.max(0, retryLimit() - (jobs.listChain(originalJobId).length - 1));
  }

  function showJob(jobId: string): RegenerationJobDetail {
    const job = requireJob(jobId);
    return { job, chain: jobs.listChain(job.originalJobId), retryIntents: jobs.listIntents({ originalJobId: job.originalJobId }), retriesLeft: retriesLeft(job.originalJobId) };
  }

  function listJobs(filter: { courseId?: string | undefined; status?: RegenerationJobStatus | undefined; limit?: number | undefined } = {}): RegenerationJob[] {
    if (filter.courseId && !store.courses.get(filter.courseId)) throw new CoursewrightError('NOT_FOUND', `No course "${filter.courseId}". List courses with \`coursewright course list\`.`);
    return jobs.listJobs(filter);
  }

  // ——— the worker's side ———

  /**
   * Asks the model for a job's new version (outside any transaction: the call takes a while) and
   * returns how to save it, which complete() runs inside the job's completion transaction.
   */
  async function draftOutput(job: RegenerationJob, request: DraftRequest): Promise<() => RegenerationOutput> {
    if (job.targetKind === 'question' || job.targetKind === 'syllabus') return targets.draft(job, request);
    const draft = await content.draftRegeneration(job.targetItemId, request);
    return () => {
      const saved = content.saveRegeneration(draft);
      return { kind: 'content', id: saved.id, version: saved.version };
    };
  }

  function leaseTerms(workerId: string, leaseMs: number) {
    const at = clock.now();
    return { workerId, now: at.toISOString(), leaseExpiresAt: new Date(at.getTime() + leaseMs).toISOString() };
  }

  /** Takes the oldest triggered job (or the one named) for this worker; undefined when another claimant won it or none is left. */
  function claim(workerId: string, leaseMs: number, jobId?: string): RegenerationJob | undefined {
    return store.transaction(() => {
      const terms = leaseTerms(workerId, leaseMs);
      const job = jobId ? jobs.claim(jobId, terms) : jobs.claimNext(terms);
      if (job) auditJob(workerActor, 'job.locked', job, { workerId, leaseExpiresAt: job.leaseExpiresAt });
      return job;
    });
  }

  function recordStarted(job: RegenerationJob, workerId: string): void {
    auditJob(workerActor, 'job.started', job, { workerId, instruction: job.instruction });
  }

  function heartbeat(jobId: string, workerId: string, leaseMs: number): boolean {
    return jobs.heartbeat(jobId, leaseTerms(workerId, leaseMs));
  }

  /**
   * Writes the job's output and ends it COMPLETED, all in one transaction, and only while the job
   * is still RUNNING under this worker's unexpired lease: a cancelled or expired job gets nothing,
   * so no output is ever written twice or after the job was given up. `save` writes the new
   * version; `beforeCommit` runs last inside the transaction (tests stop the process there).
   */
  function complete(jobId: string, workerId: string, save: () => RegenerationOutput, beforeCommit?: () => void): { job: RegenerationJob; output: RegenerationOutput } | { lost: RegenerationJob } {
    return store.transaction(() => {
      const at = now();
      const current = requireJob(jobId);
      if (current.status !== 'RUNNING' || current.workerId !== workerId || (current.leaseExpiresAt ?? '') < at) return { lost: current };
      const output = save();
      jobs.insertOutput({ jobId, outputKind: current.targetKind, outputId: output.id, at });
      beforeCommit?.();
      if (!jobs.complete(jobId, { workerId, now: at, outputItemId: output.id })) throw new CoursewrightError('CONFLICT', `Job ${jobId} stopped being this worker's before it could complete; nothing was saved.`);
      const job = requireJob(jobId);
      auditJob(workerActor, 'job.completed', job, { workerId, outputItemId: output.id, outputVersion: output.version });
      return { job, output };
    });
  }

  /** RUNNING → FAILED with the generator's error; false when the job had already ended (cancelled, or its lease expired). */
  function fail(jobId: string, workerId: string, error: string): boolean {
    return store.transaction(() => {
      if (!jobs.failRunning(jobId, { workerId, error, at: now() })) return false;
      auditJob(workerActor, 'job.failed', requireJob(jobId), { workerId, reason: error });
      return true;
    });
  }

  /** Running jobs whose worker stopped renewing its lease end FAILED "worker stopped"; they are never run again by themselves. */
  function sweepExpiredLeases(): RegenerationJob[] {
    // Looked at first without the write lock: most of the time nothing has expired.
    const at = now();
    if (!jobs.listJobs({ status: 'RUNNING' }).some((job) => (job.leaseExpiresAt ?? '') < at)) return [];
    return store.transaction(() => {
      const expired = jobs.expireLeases(now(), failureReasons.workerStopped);
      for (const job of expired) auditJob(workerActor, 'job.failed', job, { reason: failureReasons.workerStopped, workerId: job.workerId, leaseExpiredAt: job.leaseExpiresAt });
      return expired;
    });
  }

  // ——— retry intents ———

  function requireIntent(id: string): RetryIntent {
    const intent = jobs.getIntent(id);
    if (!intent) throw new CoursewrightError('NOT_FOUND', `No retry intent "${id}". List them with \`coursewright retry-intents list\`.`, { intentId: id });
    return intent;
  }

  function refuseBeyondLimit(job: RegenerationJob): void {
    const limit = retryLimit();
    const used = jobs.listChain(job.originalJobId).length - 1;
    if (used >= limit) {
      throw new CoursewrightError('CONFLICT', `Job ${job.originalJobId} has been retried ${used} time(s), the limit (setting ${retryLimitSetting}, ${limit}); no more retries. Create a new job for the item instead if it still needs regenerating.`, { originalJobId: job.originalJobId, used, limit });
    }
  }

  function refuseSecondRetryOf(job: RegenerationJob, exceptIntentId?: string): void {
    const other = jobs.listIntents({ jobId: job.id }).find((i) => i.id !== exceptIntentId && i.status !== 'REJECTED');
    if (other) {
      throw new CoursewrightError('CONFLICT', `Job ${job.id} already has retry intent ${other.id} (${other.status}); a failed job is retried once${other.status === 'CONSUMED' ? `, by job ${other.newJobId}: retry that job if it failed too` : `: execute or reject that intent first`}.`, { intentId: other.id });
    }
  }

  function createRetryIntent(request: { jobId: string; reasonCode: RetryReasonCode; reasonText: string; instruction?: string | undefined; model?: RegenerationModelSettings | undefined; actor: string }): RetryIntent {
    const reasonText = request.reasonText.trim();
    if (!reasonText) throw new CoursewrightError('INVALID_INPUT', 'A retry intent needs a reason a reviewer can read (--text TEXT).');
    const instruction = request.instruction?.trim();
    if (request.instruction !== undefined && !instruction) throw new CoursewrightError('INVALID_INPUT', 'A changed instruction cannot be empty; leave --instruction out to keep the failed job\'s.');
    return store.transaction(() => {
      const job = requireJob(request.jobId);
      if (job.status !== 'FAILED') {
        throw new CoursewrightError('CONFLICT', `Job ${job.id} is ${job.status}: only a FAILED job is retried.${job.status === 'COMPLETED' ? ` Its output ${job.outputItemId} is a draft: review it, or create a new job for it.` : ''}`, { jobId: job.id, status: job.status });
      }
      refuseSecondRetryOf(job);
      refuseBeyondLimit(job);
      const id = ids.newId('rti');
      jobs.insertIntent({ id, jobId: job.id, originalJobId: job.originalJobId, reasonCode: request.reasonCode, reasonText, instruction: instruction ?? null, model: request.model ?? null, createdBy: request.actor, createdAt: now() });
      store.audit.append({ actor: request.actor, action: 'retry_intent.created', entityType: 'retry_intent', entityId: id, metadata: { jobId: job.id, originalJobId: job.originalJobId, courseId: job.courseId, reasonCode: request.reasonCode, reasonText, ...(instruction ? { instruction } : {}) } });
      return jobs.getIntent(id)!;
    });
  }

  function refuseDecided(intent: RetryIntent): void {
    if (intent.status !== 'PENDING') {
      throw new CoursewrightError('CONFLICT', `Retry intent ${intent.id} was already ${intent.status === 'CONSUMED' ? `executed: it created job ${intent.newJobId}` : `rejected by ${intent.decidedBy}`}; an intent is decided once.`, { intentId: intent.id, status: intent.status });
    }
  }

  /** Consumes the intent once: a new job, TRIGGERED, pointing at the failed job it retries. The failed job is not touched. */
  function executeRetryIntent(intentId: string, actor: string): { intent: RetryIntent; job: RegenerationJob } {
    return store.transaction(() => {
      const intent = requireIntent(intentId);
      refuseDecided(intent);
      const failed = requireJob(intent.jobId);
      refuseSecondRetryOf(failed, intent.id);
      refuseBeyondLimit(failed);
      refuseSecondActiveJob(targets.resolve(failed.targetItemId, failed.targetQuestionId));
      const created = insertJob({
        courseId: failed.courseId,
        targetKind: failed.targetKind,
        targetItemId: failed.targetItemId,
        targetRef: failed.targetRef,
        targetQuestionId: failed.targetQuestionId,
        instruction: intent.instruction ?? failed.instruction,
        source: { type: 'retry', retryIntentId: intent.id, retryOfJobId: failed.id },
        model: intent.model ?? failed.model,
        createdBy: actor,
        retryOfJobId: failed.id,
        originalJobId: failed.originalJobId,
        retryIntentId: intent.id,
      });
      const job = triggerOne(created, actor);
      if (!jobs.decideIntent(intent.id, { status: 'CONSUMED', by: actor, at: now(), newJobId: job.id })) refuseDecided(requireIntent(intent.id));
      store.audit.append({ actor, action: 'retry_intent.consumed', entityType: 'retry_intent', entityId: intent.id, metadata: { jobId: failed.id, newJobId: job.id, originalJobId: failed.originalJobId, courseId: failed.courseId } });
      return { intent: requireIntent(intent.id), job };
    });
  }

  function rejectRetryIntent(intentId: string, actor: string, reason: string): RetryIntent {
    const why = reason.trim();
    if (!why) throw new CoursewrightError('INVALID_INPUT', 'Rejecting a retry intent needs a reason (--reason TEXT).');
    return store.transaction(() => {
      const intent = requireIntent(intentId);
      refuseDecided(intent);
      jobs.decideIntent(intent.id, { status: 'REJECTED', by: actor, at: now(), reason: why });
      store.audit.append({ actor, action: 'retry_intent.rejected', entityType: 'retry_intent', entityId: intent.id, metadata: { jobId: intent.jobId, originalJobId: intent.originalJobId, reason: why } });
      return requireIntent(intent.id);
    });
  }

  function listRetryIntents(filter: { jobId?: string | undefined } = {}): RetryIntent[] {
    if (filter.jobId) requireJob(filter.jobId);
    return jobs.listIntents(filter.jobId ? { jobId: filter.jobId } : {});
  }

  return {
    createJob,
    triggerJobs,
    createAndTrigger,
    cancelJob,
    listJobs,
    showJob,
    getJob: requireJob,
    retryLimit,
    hasTriggered: () => jobs.countTriggered() > 0,
    claim,
    recordStarted,
    draftOutput,
    heartbeat,
    complete,
    fail,
    sweepExpiredLeases,
    createRetryIntent,
    executeRetryIntent,
    rejectRetryIntent,
    listRetryIntents,
    content,
    describeTarget,
  };
}

export type RegenerationService = ReturnType<typeof createRegenerationService>;
