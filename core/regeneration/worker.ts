import type { ModelProvider, ModerationHook } from '../ai/port.js';
import { asCoursewrightError } from '../failures.js';
import type { CoursewrightError } from '../../schemas/errors.js';
import type { ContentItem } from '../../schemas/content.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import type { RegenerationService } from './service.js';
import type { RegenerationOutput } from './targets.js';

/** Where a running job can be stopped from outside (tests kill the process at each). */
export type WorkerCheckpoint = 'before-model' | 'after-model' | 'in-output-transaction';

export type WorkerEvent =
  | { type: 'locked' | 'started'; job: RegenerationJob }
  | { type: 'completed'; job: RegenerationJob; output: RegenerationOutput }
  | { type: 'failed'; job: RegenerationJob; error: string }
  /** The job ended while it ran here (cancelled, or its lease expired): whatever it produced was not saved. */
  | { type: 'lost'; job: RegenerationJob };

export interface RegenerationWorkerOptions {
  service: RegenerationService;
  /** The models to ask, looked up for each job (settings may change between jobs). */
  models: () => ModelProvider[];
  moderation?: ModerationHook;
  /** Names this worker in leases and audit rows; unique per process. */
  workerId: string;
  /** Jobs run at once (1–32). */
  concurrency?: number;
  /** How long a claim holds without a heartbeat; heartbeats come every third of it. */
  leaseMs?: number;
  /** How often an idle worker looks for triggered jobs. */
  pollMs?: number;
  onEvent?: (event: WorkerEvent) => void;
  /**
   * Called at each checkpoint of a running job. The one inside the output transaction must be
   * synchronous: the transaction is open while it runs.
   */
  checkpoint?: (point: WorkerCheckpoint, job: RegenerationJob) => void | Promise<void>;
}

export interface WorkerRunSummary {
  completed: number;
  failed: number;
  lost: number;
  expired: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The execution plane (invariant 5): claims triggered jobs one conditional UPDATE at a time, runs
 * the generator for its target (content engine, one question, or the syllabus) through the validated-generation loop, and completes each job with its
 * new draft in one transaction. At most `concurrency` jobs run at once. A job whose lease this
 * worker loses (cancelled, or expired while the process was stalled) is dropped unsaved.
 */
export function createRegenerationWorker(options: RegenerationWorkerOptions) {
  const { service } = options;
  const concurrency = Math.max(1, Math.min(32, options.concurrency ?? 4));
  const leaseMs = Math.max(100, options.leaseMs ?? 30_000);
  const heartbeatMs = Math.max(50, Math.floor(leaseMs / 3));
  const pollMs = Math.max(10, options.pollMs ?? 1_000);
  const runningHere = new Map<string, AbortController>();
  const stop = new AbortController();
  let wake: AbortController = new AbortController();
  let lastSweep = 0;

  function sweep(summary: WorkerRunSummary): void {
    const at = Date.now();
    if (at - lastSweep < Math.min(1_000, heartbeatMs)) return;
    lastSweep = at;
    for (const job of service.sweepExpiredLeases()) {
      summary.expired++;
      options.onEvent?.({ type: 'failed', job, error: job.error ?? '' });
    }
  }

  /** Runs one claimed job to its end. Never throws: every outcome is recorded on the job; a generator's error is also returned. */
  async function execute(claimed: RegenerationJob, summary: WorkerRunSummary): Promise<CoursewrightError | undefined> {
    const abort = new AbortController();
    runningHere.set(claimed.id, abort);
    let leaseLost = false;
    const beat = setInterval(() => {
      try {
        if (!service.heartbeat(claimed.id, options.workerId, leaseMs)) {
          leaseLost = true;
          abort.abort();
        }
      } catch {
        // A busy database delays one heartbeat; the lease outlasts two more tries.
      }
    }, heartbeatMs);
    beat.unref?.();
    const lost = () => {
      summary.lost++;
      options.onEvent?.({ type: 'lost', job: service.getJob(claimed.id) });
    };
    try {
      options.onEvent?.({ type: 'locked', job: claimed });
      await options.checkpoint?.('before-model', claimed);
      service.recordStarted(claimed, options.workerId);
      options.onEvent?.({ type: 'started', job: claimed });
      const save = await service.draftOutput(claimed, {
        actor: claimed.createdBy,
        models: options.models(),
        instruction: claimed.instruction,
        signal: abort.signal,
        ...(options.moderation ? { moderation: options.moderation } : {}),
      });
      await options.checkpoint?.('after-model', claimed);
      const result = service.complete(claimed.id, options.workerId, save, () => void options.checkpoint?.('in-output-transaction', claimed));
      if ('lost' in result) return void lost();
      summary.completed++;
      options.onEvent?.({ type: 'completed', job: result.job, output: result.output });
      return undefined;
    } catch (error) {
      if (leaseLost) return void lost();
      const failure = asCoursewrightError(error);
      if (service.fail(claimed.id, options.workerId, failure.message)) {
        summary.failed++;
        options.onEvent?.({ type: 'failed', job: service.getJob(claimed.id), error: failure.message });
      } else lost();
      return failure;
    } finally {
      clearInterval(beat);
      runningHere.delete(claimed.id);
    }
  }

  /**
   * Runs until stopped, or with `untilIdle` until no triggered job is left. Each of the
   * `concurrency` slots claims, runs, and claims again; an idle slot polls (or wakes on notify()).
   */
  async function run(request: { untilIdle?: boolean } = {}): Promise<WorkerRunSummary> {
    const summary: WorkerRunSummary = { completed: 0, failed: 0, lost: 0, expired: 0 };
    const slot = async () => {
      while (!stop.signal.aborted) {
        let job: RegenerationJob | undefined;
        try {
          sweep(summary);
          // Claiming takes the write lock; an idle worker only reads.
          job = service.hasTriggered() ? service.claim(options.workerId, leaseMs) : undefined;
        } catch (error) {
          // A lock held too long by another process or a failing disk must not end the loop: try again at the next poll.
          if (request.untilIdle && asCoursewrightError(error).code !== 'STORAGE_LOCKED') throw error;
          await sleep(pollMs, stop.signal);
          continue;
        }
        if (job) {
          await execute(job, summary);
          continue;
        }
        if (request.untilIdle) return;
        await sleep(pollMs, AbortSignal.any([stop.signal, wake.signal]));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, slot));
    return summary;
  }

  /**
   * Runs this one job now (interactive regeneration): a job id is claimed first (undefined output
   * when another worker took it); a job the caller already claimed for this worker runs as it is.
   */
  async function runJob(job: string | RegenerationJob): Promise<{ job: RegenerationJob; output?: ContentItem; failure?: CoursewrightError }> {
    const summary: WorkerRunSummary = { completed: 0, failed: 0, lost: 0, expired: 0 };
    const claimed = typeof job === 'string' ? service.claim(options.workerId, leaseMs, job) : job;
    const jobId = typeof job === 'string' ? job : job.id;
    if (!claimed) return { job: service.getJob(jobId) };
    const failure = await execute(claimed, summary);
    const ended = service.getJob(jobId);
    // A syllabus job's output is a syllabus version, not a content item; callers asking for the new content get none.
    const output = ended.outputItemId && ended.targetKind !== 'syllabus' ? service.content.getContent(ended.outputItemId) : undefined;
    return { job: ended, ...(output ? { output } : {}), ...(failure ? { failure } : {}) };
  }

  return {
    workerId: options.workerId,
    leaseMs,
    run,
    runJob,
    /** Looks for triggered jobs now instead of at the next poll. */
    notify() {
      const previous = wake;
      wake = new AbortController();
      previous.abort();
    },
    /** Stops claiming; jobs already running finish (or are dropped if cancelled). */
    stop() {
      stop.abort();
    },
    /** Aborts the model call of a job running in this process (after it was cancelled). */
    abortLocal(jobId: string) {
      runningHere.get(jobId)?.abort();
    },
    runningJobs: () => [...runningHere.keys()],
  };
}

export type RegenerationWorker = ReturnType<typeof createRegenerationWorker>;
