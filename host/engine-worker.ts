import { parentPort, workerData } from 'node:worker_threads';
import { openStudioHost } from './studio-host.js';
import type { WorkerReply, WorkerRequest } from './engine-client.js';

/**
 * The engine's thread: its own database connection, model calls and every other long piece of
 * work, so neither the desktop window's main process nor the served studio's HTTP thread ever
 * waits on a lock, a model or an export. The key arrives from the parent, which alone decides
 * where keys are kept (the OS keychain on the desktop, process memory when served).
 */
const { dataDir, keyStorage } = workerData as { dataDir: string; keyStorage?: 'keychain' | 'memory' };
let apiKey: string | null = null;
let serverKey: string | null = null;
const host = openStudioHost({
  dataDir,
  keys: { kind: keyStorage ?? 'keychain', get: () => apiKey, set: (value) => void (apiKey = value) },
  serverKeys: { kind: keyStorage ?? 'keychain', get: () => serverKey, set: (value) => void (serverKey = value) },
  exportsInThreads: true,
  backgroundSync: true,
  backgroundRegeneration: true,
});
const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
host.events.subscribe((event) => post({ type: 'event', event }));
parentPort!.on('message', async (message: WorkerRequest) => {
  if (message.type === 'set-api-key') {
    apiKey = message.apiKey;
    return;
  }
  if (message.type === 'set-server-key') {
    serverKey = message.serverKey;
    return;
  }
  post({ type: 'result', id: message.id, result: await host.dispatch(message.name, message.input) });
});
