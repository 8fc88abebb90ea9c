import { z } from 'zod';

/**
 * Governed regeneration (core/regeneration): a job asks for a new draft version of one item; a
 * person creates and triggers it, only a worker runs it, and it ends COMPLETED (with its output,
 * the new draft) or FAILED (with the reason). A failed job is retried only through a retry intent,
 * which creates a new job; the failed one never changes.
 */
export const RegenerationJobStatus = z.enum(['PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED']);
export type RegenerationJobStatus = z.infer<typeof RegenerationJobStatus>;

/** Jobs holding their target: a second job for the same target waits until these end. */
export const activeJobStatuses: readonly RegenerationJobStatus[] = ['PENDING', 'TRIGGERED', 'RUNNING'];

/**
 * What a job can regenerate: a lesson, a quiz or a project (a content item version), one question
 * of a quiz version (the rest of the quiz stays as it is), or the course's syllabus (from a
 * syllabus version, into a new syllabus draft).
 */
export const RegenerationTargetKind = z.enum(['lesson', 'quiz', 'project', 'question', 'syllabus']);
export type RegenerationTargetKind = z.infer<typeof RegenerationTargetKind>;

/** Where the request came from: a designer's own request, or an accepted suggestion on a learner signal. */
export const RegenerationSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('designer') }),
  z.object({ type: z.literal('suggestion'), suggestionId: z.string().min(1).max(80), signalId: z.string().min(1).max(80).nullable() }),
  z.object({ type: z.literal('retry'), retryIntentId: z.string(), retryOfJobId: z.string() }),
]);
export type RegenerationSource = z.infer<typeof RegenerationSource>;

/** The model a job asked for, recorded for lineage; the worker's configured models answer. */
export const RegenerationModelSettings = z.object({ provider: z.string().max(40).optional(), model: z.string().max(120).optional() }).strict();
export type RegenerationModelSettings = z.infer<typeof RegenerationModelSettings>;

export const RegenerationJob = z.object({
  id: z.string(),
  courseId: z.string(),
  targetKind: RegenerationTargetKind,
  /** The version the job starts from: a content item id (for a question, its quiz's), or a syllabus version id. */
  targetItemId: z.string(),
  /** The syllabus entry the item belongs to (lesson id, or module id for a project; "syllabus" for the syllabus): the target across versions. */
  targetRef: z.string(),
  /** The question of the quiz a question job rewrites; null for every other kind. */
  targetQuestionId: z.string().nullable(),
  instruction: z.string(),
  source: RegenerationSource,
  model: RegenerationModelSettings,
  createdBy: z.string(),
  createdAt: z.string(),
  /** The failed job this one retries, and the first job of that chain (its own id for a first job). */
  retryOfJobId: z.string().nullable(),
  originalJobId: z.string(),
  retryIntentId: z.string().nullable(),
  status: RegenerationJobStatus,
  triggeredBy: z.string().nullable(),
  triggeredAt: z.string().nullable(),
  /** The worker holding the job while it runs, and until when its lease holds unless renewed. */
  workerId: z.string().nullable(),
  leaseExpiresAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** The new draft version the job wrote (a content item, or a syllabus version for a syllabus job; set only when it completes). */
  outputItemId: z.string().nullable(),
  error: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RegenerationJob = z.infer<typeof RegenerationJob>;

/** Why a person asks for a failed job to be run again. */
export const RetryReasonCode = z.enum(['worker_stopped', 'model_unavailable', 'invalid_output', 'instruction_changed', 'cancelled_by_mistake', 'other']);
export type RetryReasonCode = z.infer<typeof RetryReasonCode>;

export const RetryIntentStatus = z.enum(['PENDING', 'CONSUMED', 'REJECTED']);
export type RetryIntentStatus = z.infer<typeof RetryIntentStatus>;

export const RetryIntent = z.object({
  id: z.string(),
  jobId: z.string(),
  originalJobId: z.string(),
  reasonCode: RetryReasonCode,
  reasonText: z.string(),
  /** A changed instruction for the new job; null keeps the failed job's. */
  instruction: z.string().nullable(),
  model: RegenerationModelSettings.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  status: RetryIntentStatus,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The job executing the intent created; null until consumed. */
  newJobId: z.string().nullable(),
  rejectionReason: z.string().nullable(),
});
export type RetryIntent = z.infer<typeof RetryIntent>;

/** One job with what a person needs to judge it: its retry chain and its audit trail. */
export const RegenerationJobDetail = z.object({
  job: RegenerationJob,
  /** Every job of the chain this job belongs to, first job first. */
  chain: z.array(RegenerationJob),
  retryIntents: z.array(RetryIntent),
  retriesLeft: z.number().int(),
});
export type RegenerationJobDetail = z.infer<typeof RegenerationJobDetail>;

/** The retries a first job may have, unless the setting says otherwise. */
export const defaultRetryLimit = 3;
export const retryLimitSetting = 'regenerationRetryLimit';

export const InstructionText = z.string().trim().min(1, 'an instruction says what to change').max(2000);
export const RetryReasonText = z.string().trim().min(1, 'a retry needs a reason a reviewer can read').max(2000);

/** Progress of regeneration jobs, pushed to the studio as they move (locked, started, completed, failed, dropped). */
export const RegenerationJobEvent = z.object({
  type: z.literal('regeneration.job'),
  jobId: z.string(),
  courseId: z.string(),
  status: RegenerationJobStatus,
  stage: z.enum(['locked', 'started', 'completed', 'failed', 'lost']),
  message: z.string(),
});
export type RegenerationJobEvent = z.infer<typeof RegenerationJobEvent>;
