import { ModelError, type ModelProvider } from './port.js';

/** The setting that bounds a studio process's model calls in flight (content batches and the regeneration worker together). */
export const modelCallLimitSetting = 'modelCallLimit';
export const defaultModelCallLimit = 4;

/**
 * A bound on model calls in flight, shared by everything in one process that asks a model: a
 * call waits for a free slot and gives it back when it ends (answer, error or cancel), and
 * waiting callers get slots in the order they asked. A caller cancelled while waiting leaves the
 * line without taking a slot.
 */
export interface ModelCallLimit {
  readonly max: number;
  run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  inFlight(): number;
}

export function createModelCallLimit(max: number): ModelCallLimit {
  if (!Number.isInteger(max) || max < 1 || max > 64) throw new RangeError(`A model call limit is a whole number from 1 to 64, not ${max}.`);
  let inFlight = 0;
  const waiting: Array<{ start: () => void }> = [];

  function release(): void {
    const next = waiting.shift();
    if (next) next.start();
    else inFlight--;
  }

  function acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ModelError('cancelled', 'The model call was cancelled.'));
    if (inFlight < max) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      // A released slot passes straight to the next waiter, so the count stays as it is.
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        reject(new ModelError('cancelled', 'The model call was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  }

  return {
    max,
    async run(call, signal) {
      await acquire(signal);
      try {
        return await call();
      } finally {
        release();
      }
    },
    inFlight: () => inFlight,
  };
}

/** The provider with each of its calls taking a slot of the limit; name and model stay, so ledgers and drafts record the real provider. */
export function limitModelCalls(provider: ModelProvider, limit: ModelCallLimit): ModelProvider {
  return {
    name: provider.name,
    model: provider.model,
    complete: (request) => limit.run(() => provider.complete(request), request.signal),
  };
}

/** The limit a studio process uses: its host's flag when given, else the setting, else the default. */
export function modelCallLimitFrom(flag: number | undefined, setting: unknown): number {
  if (flag !== undefined) return flag;
  return typeof setting === 'number' && Number.isInteger(setting) && setting >= 1 && setting <= 64 ? setting : defaultModelCallLimit;
}
