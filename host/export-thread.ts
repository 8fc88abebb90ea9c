import type { ExportedFile } from '../core/export/index.js';
import type { ExportablePackage, ExportProgress, ExportRequest } from '../core/export/types.js';
import { CoursewrightError, type ErrorEnvelope } from '../schemas/errors.js';
import { startHostThread } from './threads.js';

export type ExportThreadReply = { type: 'progress'; progress: ExportProgress } | { type: 'done'; file: ExportedFile } | { type: 'failed'; error: ErrorEnvelope };

/**
 * `exportPackage` run in its own thread: the same bytes, while the calling thread stays free to
 * answer other calls. Cancelling terminates the thread at once, wherever it is, and the export
 * ends CANCELLED; a thread that dies ends the export INTERNAL, never hanging.
 */
export function exportPackageInThread(pkg: ExportablePackage, request: ExportRequest): Promise<ExportedFile> {
  if (request.signal?.aborted) return Promise.reject(new CoursewrightError('CANCELLED', 'The export was cancelled; nothing was written.'));
  return new Promise((resolve, reject) => {
    const thread = startHostThread('export-worker', { pkg, format: request.format, options: request.options ?? {} });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      request.signal?.removeEventListener('abort', cancel);
      outcome();
    };
    const cancel = () => {
      settle(() => reject(new CoursewrightError('CANCELLED', 'The export was cancelled; nothing was written.')));
      void thread.terminate();
    };
    request.signal?.addEventListener('abort', cancel, { once: true });
    thread.on('message', (reply: ExportThreadReply) => {
      if (reply.type === 'progress') {
        if (!settled) request.onProgress?.(reply.progress);
      } else if (reply.type === 'done') {
        settle(() => resolve({ ...reply.file, bytes: new Uint8Array(reply.file.bytes) }));
      } else {
        settle(() => reject(new CoursewrightError(reply.error.code, reply.error.message, reply.error.details)));
      }
    });
    thread.on('error', (error) => settle(() => reject(new CoursewrightError('INTERNAL', `The export thread failed: ${error.message}`))));
    thread.on('exit', (code) => settle(() => reject(new CoursewrightError('INTERNAL', `The export thread stopped (exit code ${code}) before the file was written. Try again.`))));
  });
}
