import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { exportFileName, exportPackage, type ExportedFile } from '../core/export/index.js';
import type { ExportablePackage, ExportProgress, ExportRequest } from '../core/export/types.js';
import { createPackageEngine } from '../core/packaging/engine.js';
import type { AuditLog, Store } from '../core/ports.js';
import type { PackageExportPort } from '../core/studio/handlers.js';
import type { ExportRecord } from '../schemas/api.js';
import type { CoursePackage, ExportFormat, ScormScoMode } from '../schemas/package.js';
import { exportHost } from './export-assets.js';
import { exportPackageInThread } from './export-thread.js';
import { createExportQueue, type ExportQueue } from './export-queue.js';
import { abandonExportDestination, commitExportDestination, exportedFile, exportsFolder, reserveExportDestination } from './exports-folder.js';

export interface ExportJob {
  packageId: string;
  format: ExportFormat;
  scoMode?: ScormScoMode;
  /** Where to write: a file, or an existing folder for the suggested name; by default the data folder's `exports/`. */
  out?: string;
  actor: string;
  onProgress?: (progress: ExportProgress & { position?: number }) => void;
  signal?: AbortSignal;
}

/** Package → file bytes: in this thread, or in a thread of its own (`exportPackageInThread`). */
export type PackageExporter = (pkg: ExportablePackage, request: ExportRequest) => Promise<ExportedFile>;
const exportInThisThread: PackageExporter = (pkg, request) => exportPackage(pkg, request, exportHost());

/**
 * Exports a stored package to a file and records it in the audit log. The destination is checked
 * and a temporary file reserved beside it before any export work, so a bad --out fails at once;
 * the bytes are then written to that file and renamed into place, so a failed or cancelled export
 * never leaves a half-written file where a finished one is expected.
 */
export async function exportStoredPackage(
  deps: { getPackage: (id: string) => CoursePackage; audit: AuditLog; dataDir: string; exporter?: PackageExporter },
  job: ExportJob,
): Promise<ExportRecord> {
  const pkg = deps.getPackage(job.packageId);
  const destination = reserveExportDestination({ ...(job.out !== undefined ? { out: job.out } : {}), dataDir: deps.dataDir, fileName: exportFileName(pkg, job.format) });
  let file: ExportedFile;
  try {
    file = await (deps.exporter ?? exportInThisThread)(pkg, { format: job.format, options: job.scoMode ? { scoMode: job.scoMode } : {}, onProgress: job.onProgress, signal: job.signal });
  } catch (error) {
    abandonExportDestination(destination);
    throw error;
  }
  commitExportDestination(destination, file.bytes);
  const target = destination.target;
  const record: ExportRecord = {
    packageId: pkg.id,
    version: pkg.version,
    format: job.format,
    fileName: path.basename(target),
    path: target,
    bytes: file.bytes.length,
    sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'),
  };
  deps.audit.append({
    actor: job.actor,
    action: 'package.exported',
    entityType: 'course_package',
    entityId: pkg.id,
    metadata: { courseId: pkg.courseId, version: pkg.version, format: job.format, ...(job.scoMode ? { scoMode: job.scoMode } : {}), file: record.path, bytes: record.bytes, sha256: record.sha256 },
  });
  return record;
}

/**
 * Opens the exports folder in the system file manager with the file selected where the platform
 * allows it. Only names inside the exports folder are accepted: the request comes from the UI.
 */
export function revealExport(dataDir: string, fileName: string): string {
  const target = exportedFile(dataDir, fileName);
  const folder = exportsFolder(dataDir);
  const [command, args] =
    process.platform === 'darwin' ? ['open', ['-R', target]] : process.platform === 'win32' ? ['explorer', [`/select,${target}`]] : ['xdg-open', [folder]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => {
    // No file manager here (a server without a desktop): the UI shows the path instead.
  });
  child.unref();
  return target;
}

export interface PackageExportPortOptions {
  /** Each export in a thread of its own, so the calling thread keeps answering meanwhile. */
  inThreads?: boolean;
  /** The line exports wait in; one per studio, so its slots bound the whole studio's memory. */
  queue?: ExportQueue;
}

/**
 * The studio's export port for a data folder: files go to its exports/ folder, and at most the
 * queue's slots export at once; the rest report their place in line as `queued` progress.
 */
export function packageExportPort(store: Store, dataDir: string, options: PackageExportPortOptions = {}): PackageExportPort {
  const { getPackage } = createPackageEngine({ store });
  const queue = options.queue ?? createExportQueue();
  const exporter = options.inThreads ? exportPackageInThread : exportInThisThread;
  return {
    run: (job) => {
      let waited = false;
      return queue.run(
        async () => {
          // An export that waited says at once that its turn came, so the dialog stops showing its place in line.
          if (waited) job.onProgress({ phase: 'Starting', done: 0, total: 0 });
          const record = await exportStoredPackage({ getPackage, audit: store.audit, dataDir, exporter }, job);
          // The last word while the slot is still held: the file is in place.
          job.onProgress({ phase: 'Saved', done: 1, total: 1 });
          return record;
        },
        {
          signal: job.signal,
          onQueued: (position) => {
            waited = true;
            job.onProgress({ phase: 'queued', done: 0, total: 0, position });
          },
        },
      );
    },
    reveal: (fileName) => revealExport(dataDir, fileName),
  };
}
