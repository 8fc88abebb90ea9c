import type { RegenerationJob, RegenerationJobStatus, RetryIntent } from '../../schemas/regeneration.js';

export type NewRegenerationJob = Pick<
  RegenerationJob,
  'id' | 'courseId' | 'targetKind' | 'targetItemId' | 'targetRef' | 'targetQuestionId' | 'instruction' | 'source' | 'model' | 'createdBy' | 'createdAt' | 'retryOfJobId' | 'originalJobId' | 'retryIntentId'
>;

export type NewRetryIntent = Pick<RetryIntent, 'id' | 'jobId' | 'originalJobId' | 'reasonCode' | 'reasonText' | 'instruction' | 'model' | 'createdBy' | 'createdAt'>;

export interface JobFilter {
  courseId?: string | undefined;
  status?: RegenerationJobStatus | undefined;
  limit?: number | undefined;
}

/** A worker's hold on a job: who holds it, and the lease it must renew to keep it. */
export interface LeaseTerms {
  workerId: string;
  now: string;
  leaseExpiresAt: string;
}

/**
 * Jobs and retry intents (db/regeneration-store.ts). Every status change is one conditional
 * UPDATE: the methods that move a job report whether this caller moved it, so two callers racing
 * for the same change learn which one won. Database triggers refuse anything else.
 */
export interface RegenerationRepository {
  insertJob(job: NewRegenerationJob): void;
  getJob(id: string): RegenerationJob | undefined;
  /** Newest first. */
  listJobs(filter?: JobFilter): RegenerationJob[];
  /**
   * The PENDING, TRIGGERED or RUNNING job standing in the way of a new job on this target, if any:
   * one on the same target (the same question, for a question), and across a quiz and its
   * questions, a whole-quiz job for a question job and any question job for a quiz job.
   */
  activeJobForTarget(courseId: string, targetKind: RegenerationJob['targetKind'], targetRef: string, questionId?: string | null): RegenerationJob | undefined;
  /** Every job of a retry chain, first job first. */
  listChain(originalJobId: string): RegenerationJob[];
  countTriggered(): number;

  /** PENDING → TRIGGERED; false when the job is not pending. */
  trigger(id: string, change: { by: string; at: string }): boolean;
  /** The oldest triggered job, now RUNNING under this lease; undefined when none is left (or another claimant won it). */
  claimNext(lease: LeaseTerms): RegenerationJob | undefined;
  /** This triggered job, now RUNNING under this lease; undefined when it is not TRIGGERED any more. */
  claim(id: string, lease: LeaseTerms): RegenerationJob | undefined;
  /** Renews the lease; false when the job is no longer RUNNING under this worker (cancelled or expired). */
  heartbeat(id: string, lease: LeaseTerms): boolean;
  /** RUNNING → COMPLETED with its output, only while this worker's lease holds. */
  complete(id: string, change: { workerId: string; now: string; outputItemId: string }): boolean;
  /** Records the job's output version (insert-only, one per job). */
  insertOutput(output: { jobId: string; outputKind: RegenerationJob['targetKind']; outputId: string; at: string }): void;
  /** RUNNING → FAILED, only while this worker holds the job. */
  failRunning(id: string, change: { workerId: string; error: string; at: string }): boolean;
  /** Any active job → FAILED with the reason (cancelling); false when it had already ended. */
  failActive(id: string, change: { error: string; at: string }): RegenerationJob | undefined;
  /** RUNNING jobs whose lease ran out before `now` → FAILED "worker stopped"; returns them. */
  expireLeases(now: string, error: string): RegenerationJob[];

  insertIntent(intent: NewRetryIntent): void;
  getIntent(id: string): RetryIntent | undefined;
  listIntents(filter?: { jobId?: string | undefined; originalJobId?: string | undefined }): RetryIntent[];
  /** PENDING → CONSUMED (with the job it created) or REJECTED (with the reason); false when already decided. */
  decideIntent(id: string, decision: { status: 'CONSUMED'; by: string; at: string; newJobId: string } | { status: 'REJECTED'; by: string; at: string; reason: string }): boolean;
}
