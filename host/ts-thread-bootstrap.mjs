// A worker thread started from TypeScript sources (tests, `tsx`): Node 20 does not pass a
// parent's loader hooks to workers, so the thread registers tsx itself before loading its entry.
// Bundled builds never use this file: their workers are plain JavaScript beside the bundle.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.threadEntry);
