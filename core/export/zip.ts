import type { ExportFile } from './html/site.js';

/**
 * Writes a zip of the given files. Core builds the file list; the host supplies the archiver
 * (it compresses with the platform's native zlib, which core cannot import).
 *
 * What every implementation must keep true, so re-exports are byte-identical: entries in byte
 * order of their paths, every entry stamped with `modified` and nothing else time- or
 * machine-dependent (no time zone, no owner, no random data).
 */
export type ZipWriter = (files: ExportFile[], options: { modified: Date }) => Promise<Uint8Array>;

/** Entries sorted by path, byte order (not locale order, which differs between machines). */
export function sortedForZip(files: ExportFile[]): ExportFile[] {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`Two export files share the path ${file.path}.`);
    seen.add(file.path);
  }
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
