import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportPackage } from '../core/export/index.js';
import type { ExportProgress } from '../core/export/types.js';
import { createPackageEngine } from '../core/packaging/engine.js';
import type { AuditLog, Store } from '../core/ports.js';
import type { PackageExportPort } from '../core/studio/handlers.js';
import type { ExportRecord } from '../schemas/api.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { CoursePackage, ExportFormat, ScormScoMode } from '../schemas/package.js';
import { exportHost } from './export-assets.js';
import { exportedFile, exportsFolder } from './exports-folder.js';

export interface ExportJob {
  packageId: string;
  format: ExportFormat;
  scoMode?: ScormScoMode;
  /** Where to write; by default the data folder's `exports/` with the suggested file name. */
  out?: string;
  actor: string;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

/**
 * Exports a stored package to a file and records it in the audit log. The file is written next
 * to its destination and renamed into place, so a failed or cancelled export never leaves a
 * half-written file where a finished one is expected.
 */
export async function exportStoredPackage(deps: { getPackage: (id: string) => CoursePackage; audit: AuditLog; dataDir: string }, job: ExportJob): Promise<ExportRecord> {
  const pkg = deps.getPackage(job.packageId);
  const file = await exportPackage(pkg, { format: job.format, options: job.scoMode ? { scoMode: job.scoMode } : {}, onProgress: job.onProgress, signal: job.signal }, exportHost());
  const target = path.resolve(job.out ?? path.join(exportsFolder(deps.dataDir), file.fileName));
  const folder = path.dirname(target);
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new CoursewrightError('INVALID_INPUT', `Cannot create the folder ${folder}: ${(error as Error).message}. Choose another --out path.`);
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw new CoursewrightError('INVALID_INPUT', `${target} is a folder; give a file path, for example ${path.join(target, file.fileName)}.`);
  }
  const partial = `${target}.${process.pid}.partial`;
  try {
    fs.writeFileSync(partial, file.bytes);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new CoursewrightError('INVALID_INPUT', `Cannot write ${target}: ${(error as Error).message}.`);
  }
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

/** The studio's export port for a data folder: files go to its exports/ folder. */
export function packageExportPort(store: Store, dataDir: string): PackageExportPort {
  const { getPackage } = createPackageEngine({ store });
  return {
    run: (job) => exportStoredPackage({ getPackage, audit: store.audit, dataDir }, job),
    reveal: (fileName) => revealExport(dataDir, fileName),
  };
}
