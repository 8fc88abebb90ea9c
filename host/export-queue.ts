import { CoursewrightError } from '../schemas/errors.js';

/**
 * How many exports one studio runs at once. An export holds its whole file in memory (a
 * 480-lesson PDF is hundreds of MB while it is laid out), so sixteen at once took 1.9 GB; two
 * keep a busy studio responsive and its memory bounded.
 */
export const defaultExportSlots = 2;

export interface QueuedRun {
  /** Called while the run waits: 1 means it starts next. Called again each time it moves up. */
  onQueued?: (position: number) => void;
  /** Aborting a waiting run takes it out of the line; it never starts. */
  signal?: AbortSignal;
}

export interface ExportQueue {
  /** Runs `work` when a slot is free, in arrival order; settles as `work` does. */
  run<T>(work: () => Promise<T>, options?: QueuedRun): Promise<T>;
  /** Runs holding a slot now, and runs waiting for one. */
  readonly counts: { running: number; waiting: number };
}

const cancelledWhileWaiting = () => new CoursewrightError('CANCELLED', 'Export cancelled while it waited in line; nothing was written.');

/**
 * A first-come, first-served line in front of the exporters. At most `slots` runs hold a slot;
 * the rest wait and are told their place whenever it changes. What must stay true: a slot is
 * released exactly once per started run (success or failure), and a run taken out of the line by
 * its signal is never started.
 */
export function createExportQueue(slots = defaultExportSlots): ExportQueue {
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`An export queue needs at least one slot, not ${slots}.`);
  interface Waiting {
    start: () => void;
    onQueued?: (position: number) => void;
  }
  const line: Waiting[] = [];
  let running = 0;

  const tellPositions = (from: number) => {
    for (let i = from; i < line.length; i++) line[i]!.onQueued?.(i + 1);
  };

  const release = () => {
    running--;
    const next = line.shift();
    if (next) {
      running++;
      next.start();
      tellPositions(0);
    }
  };

  return {
    get counts() {
      return { running, waiting: line.length };
    },
    run<T>(work: () => Promise<T>, options: QueuedRun = {}): Promise<T> {
      const { signal, onQueued } = options;
      if (signal?.aborted) return Promise.reject(cancelledWhileWaiting());
      const started = (): Promise<T> => {
        let result: Promise<T>;
        try {
          result = work();
        } catch (error) {
          result = Promise.reject(error);
        }
        return result.finally(release);
      };
      if (running < slots && line.length === 0) {
        running++;
        return started();
      }
      return new Promise<T>((resolve, reject) => {
        const entry: Waiting = {
          start: () => {
            signal?.removeEventListener('abort', leave);
            started().then(resolve, reject);
          },
          ...(onQueued ? { onQueued } : {}),
        };
        function leave() {
          const index = line.indexOf(entry);
          if (index < 0) return;
          line.splice(index, 1);
          reject(cancelledWhileWaiting());
          tellPositions(index);
        }
        signal?.addEventListener('abort', leave, { once: true });
        line.push(entry);
        onQueued?.(line.length);
      });
    },
  };
}
