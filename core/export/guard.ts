import { CoursewrightError } from '../../schemas/errors.js';
import { MAX_EXPORT_PACKAGE_BYTES } from '../../schemas/package.js';
import { canonicalJson } from '../hash.js';
import type { ExportablePackage } from './types.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Exports refuse very large packages up front rather than running out of memory half-way. */
export function assertExportableSize(pkg: ExportablePackage): void {
  const bytes = pkg.sizeBytes ?? new TextEncoder().encode(canonicalJson(pkg.document)).length;
  if (bytes > MAX_EXPORT_PACKAGE_BYTES) {
    throw new CoursewrightError(
      'INVALID_INPUT',
      `Package v${pkg.version} is ${mb(bytes)} of JSON; exports accept packages up to ${mb(MAX_EXPORT_PACKAGE_BYTES)}. Split the course into smaller courses, or shorten its lessons, then build a new package.`,
      { bytes, limit: MAX_EXPORT_PACKAGE_BYTES },
    );
  }
}

/** Exporters check this between units of work; a cancelled export leaves nothing behind. */
export function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CoursewrightError('CANCELLED', 'The export was cancelled; nothing was written.');
}
