import { parentPort, workerData } from 'node:worker_threads';
import { openStudioHost } from '../host/studio-host.js';
import type { WorkerReply, WorkerRequest } from './worker-client.js';

/**
 * The engine's thread: its own database connection, model calls and every other long piece of
 * work, so the window's main process never waits on them. The key arrives from main, which
 * alone talks to the OS keychain.
 */
let apiKey: string | null = null;
const host = openStudioHost({
  dataDir: (workerData as { dataDir: string }).dataDir,
  keys: { kind: 'keychain', get: () => apiKey, set: (value) => void (apiKey = value) },
});
const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
host.events.subscribe((event) => post({ type: 'event', event }));
parentPort!.on('message', async (message: WorkerRequest) => {
  if (message.type === 'set-api-key') {
    apiKey = message.apiKey;
    return;
  }
  post({ type: 'result', id: message.id, result: await host.dispatch(message.name, message.input) });
});
