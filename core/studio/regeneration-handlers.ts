import type { RegenerationRuntime } from '../regeneration/runtime.js';
import type { StudioHandlers } from './dispatch.js';

type RegenerationOperations = 'jobs.list' | 'jobs.show' | 'jobs.create' | 'jobs.trigger' | 'jobs.cancel' | 'retryIntents.create' | 'retryIntents.execute' | 'retryIntents.reject' | 'retryIntents.list';

/**
 * The studio's regeneration operations: the control plane only (invariant 5). Nothing here runs a
 * generator; triggering wakes this process's worker, which runs jobs when the host started it
 * in the background (the engine thread does), and otherwise they wait for `coursewright worker`.
 */
export function createRegenerationHandlers(context: { runtime: RegenerationRuntime; actor: () => string }): Pick<StudioHandlers, RegenerationOperations> {
  const { service, worker } = context.runtime;
  return {
    'jobs.list': ({ courseId, status, limit }) => {
      service.sweepExpiredLeases();
      return service.listJobs({ courseId, status, limit: limit ?? 1000 });
    },
    'jobs.show': ({ jobId }) => {
      service.sweepExpiredLeases();
      return service.showJob(jobId);
    },
    'jobs.create': ({ targetItemId, questionId, instruction, trigger }) => {
      const request = { targetItemId, targetQuestionId: questionId, instruction, actor: context.actor() };
      if (!trigger) return service.createJob(request);
      const job = service.createAndTrigger(request);
      worker.notify();
      return job;
    },
    'jobs.trigger': ({ jobIds }) => {
      const jobs = service.triggerJobs(jobIds, context.actor());
      worker.notify();
      return jobs;
    },
    'jobs.cancel': ({ jobId }) => {
      const job = service.cancelJob(jobId, context.actor());
      worker.abortLocal(jobId);
      return job;
    },
    'retryIntents.create': ({ jobId, reasonCode, reasonText, instruction }) => service.createRetryIntent({ jobId, reasonCode, reasonText, instruction, actor: context.actor() }),
    'retryIntents.execute': ({ intentId }) => {
      const result = service.executeRetryIntent(intentId, context.actor());
      worker.notify();
      return result;
    },
    'retryIntents.reject': ({ intentId, reason }) => service.rejectRetryIntent(intentId, context.actor(), reason),
    'retryIntents.list': ({ jobId }) => service.listRetryIntents({ jobId }),
  };
}
