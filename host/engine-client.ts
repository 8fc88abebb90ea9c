import type { OperationName, Result, StudioEvent } from '../schemas/api.js';

export type WorkerRequest = { type: 'call'; id: number; name: OperationName; input: unknown } | { type: 'set-api-key'; apiKey: string | null } | { type: 'set-server-key'; serverKey: string | null };
export type WorkerReply = { type: 'result'; id: number; result: Result<unknown> } | { type: 'event'; event: StudioEvent };

export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  on(event: 'message', listener: (message: WorkerReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
}

/**
 * Main's side of the engine worker. A call never hangs: if the worker dies, every pending call
 * resolves to an INTERNAL error and a fresh worker takes the next one.
 */
export function createWorkerClient(spawn: () => WorkerLike, onEvent: (event: StudioEvent) => void) {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let apiKey: string | null = null;
  let serverKey: string | null = null;
  let worker = start();

  function start(): WorkerLike {
    const w = spawn();
    w.on('message', (message) => {
      if (message.type === 'event') onEvent(message.event);
      else {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      }
    });
    const fail = (why: string) => {
      if (worker !== w) return;
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message: `The engine worker stopped (${why}); the operation did not finish. Try again.` } });
      pending.clear();
      worker = start();
      if (apiKey !== null) worker.postMessage({ type: 'set-api-key', apiKey });
      if (serverKey !== null) worker.postMessage({ type: 'set-server-key', serverKey });
    };
    w.on('error', (error) => fail(error.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  }

  return {
    call(name: OperationName, input: unknown): Promise<Result<unknown>> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ type: 'call', id, name, input });
      });
    },
    setApiKey(key: string | null) {
      apiKey = key;
      worker.postMessage({ type: 'set-api-key', apiKey: key });
    },
    /** The hosted server's author key: kept here too, so a restarted engine thread gets it back. */
    setServerKey(key: string | null) {
      serverKey = key;
      worker.postMessage({ type: 'set-server-key', serverKey: key });
    },
    async close() {
      const w = worker;
      worker = undefined as unknown as WorkerLike;
      await w.terminate();
    },
  };
}
