import { CoursewrightError } from '../../schemas/errors.js';
import type { RegenerationJobEvent } from '../../schemas/regeneration.js';
import type { ContentItem } from '../../schemas/content.js';
import type { ModelProvider } from '../ai/port.js';
import { BlocklistModeration } from '../ai/moderation.js';
import type { Clock, Store } from '../ports.js';
import { randomIds } from '../ids.js';
import { createRegenerationService } from './service.js';
import { createRegenerationWorker, type WorkerEvent } from './worker.js';

export interface RegenerationRuntimeOptions {
  store: Store;
  models: () => ModelProvider[];
  emit?: (event: RegenerationJobEvent) => void;
  clock?: Clock;
  /** Jobs the studio's background worker runs at once. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
}

function describe(event: WorkerEvent): string {
  switch (event.type) {
    case 'locked':
      return 'claimed by the worker';
    case 'started':
      return 'asking the model';
    case 'completed':
      return `new draft v${event.output.version} (${event.output.id})`;
    case 'failed':
      return event.error;
    case 'lost':
      return `ended ${event.job.status} while running (${event.job.error ?? ''}); nothing saved`;
  }
}

/**
 * Regeneration inside the studio process: the service the handlers call, and one worker for this
 * process. `startBackground` makes the worker run triggered jobs as they come (the studio's engine
 * thread does); without it, triggered jobs wait for a worker (`coursewright worker`), except
 * interactive regeneration, which runs its own job at once.
 */
export function createRegenerationRuntime(options: RegenerationRuntimeOptions) {
  const service = createRegenerationService({ store: options.store, ...(options.clock ? { clock: options.clock } : {}) });
  const worker = createRegenerationWorker({
    service,
    models: options.models,
    moderation: new BlocklistModeration(),
    workerId: randomIds.newId('studio-worker'),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onEvent: (event) => options.emit?.({ type: 'regeneration.job', jobId: event.job.id, courseId: event.job.courseId, status: event.job.status, stage: event.type, message: describe(event) }),
  });
  let background: Promise<unknown> | null = null;

  /**
   * Interactive "Regenerate…" on one item: a job created, triggered and claimed by this process's
   * worker in one transaction (no other worker can take it in between), then run now. The new
   * draft comes back; a failure comes back as the generator's own error, and the job records it.
   */
  async function regenerateNow(request: { itemId: string; instruction?: string | undefined; actor: string }): Promise<ContentItem> {
    // Interactive Regenerate is for a lesson, quiz or project; a syllabus is regenerated through a job (`jobs create`).
    if (!options.store.content.get(request.itemId)) throw new CoursewrightError('NOT_FOUND', `No content item "${request.itemId}". List a course's content with \`coursewright content list COURSE\`.`, { itemId: request.itemId });
    const claimed = options.store.transaction(() => {
      const job = service.createAndTrigger({ targetItemId: request.itemId, instruction: request.instruction ?? '', actor: request.actor });
      return service.claim(worker.workerId, worker.leaseMs, job.id)!;
    });
    const result = await worker.runJob(claimed);
    if (result.output) return result.output;
    if (result.failure) throw result.failure;
    throw new CoursewrightError('CANCELLED', `Regeneration job ${claimed.id} ended ${result.job.status} (${result.job.error ?? 'no reason recorded'}) before its draft was saved; nothing was saved.`, { jobId: claimed.id });
  }

  return {
    service,
    worker,
    regenerateNow,
    /** Starts the background worker once; it polls for triggered jobs and wakes on `worker.notify()`. */
    startBackground() {
      background ??= worker.run().catch((error: unknown) => console.error(`Coursewright's regeneration worker stopped: ${(error as Error).message}`));
    },
    stop() {
      worker.stop();
    },
  };
}

export type RegenerationRuntime = ReturnType<typeof createRegenerationRuntime>;
