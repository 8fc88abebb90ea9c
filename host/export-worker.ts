import { parentPort, workerData } from 'node:worker_threads';
import { exportPackage } from '../core/export/index.js';
import type { ExportablePackage } from '../core/export/types.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { ExportFormat, ExportOptions } from '../schemas/package.js';
import type { ExportThreadReply } from './export-thread.js';
import { exportHost } from './export-assets.js';

/**
 * One export, in a thread of its own: PDF layout and compression are long stretches of
 * synchronous work, and the engine thread must keep answering the studio meanwhile. The parent
 * cancels by terminating the thread, so nothing here needs to watch for it.
 */
const { pkg, format, options } = workerData as { pkg: ExportablePackage; format: ExportFormat; options: Partial<ExportOptions> };
const post = (reply: ExportThreadReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(reply, transfer);

// No top-level await: the desktop bundles this thread as CommonJS.
void exportPackage(pkg, { format, options, onProgress: (progress) => post({ type: 'progress', progress }) }, exportHost()).then(
  (file) => {
    // A view into a larger pooled buffer cannot be transferred whole; copy only then.
    const bytes = file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength ? file.bytes : file.bytes.slice();
    post({ type: 'done', file: { ...file, bytes } }, [bytes.buffer as ArrayBuffer]);
  },
  (error: unknown) => {
    const envelope = error instanceof CoursewrightError ? error.toEnvelope() : { code: 'INTERNAL' as const, message: `The export failed: ${(error as Error).message ?? String(error)}` };
    post({ type: 'failed', error: envelope });
  },
);
