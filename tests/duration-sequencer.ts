import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the longest test files first, so the two workers finish together instead of one running
 * a four-minute file alone at the end (longest-first is the classic fix for that tail).
 *
 * Vitest's own order cannot do this on this suite: it sorts failed files first whatever their
 * length, and when some files have a recorded duration and others not (every new file, or a
 * cache written by a partial run) its comparison falls back to file size for those pairs only,
 * which is not a consistent order, so a slow file can land anywhere. Here every file gets one
 * estimate and the files are sorted by it:
 * - its last recorded duration (Vitest writes them to node_modules/.vite/vitest/…/results.json
 *   after each run);
 * - else the mean recorded duration of the files in its folder (tests/e2e, tests/server, …);
 * - else, with no record at all (a fresh checkout in CI), a fixed guess per folder that follows
 *   what each kind of test starts: Chromium and a served studio, a database server, real CLI
 *   processes, real SQLite files, nothing. File size breaks ties, larger first.
 * Only the order changes: which files run, how, and with how many workers stays as configured.
 */
const secondsWithoutRecord: Record<string, number> = { e2e: 60, server: 35, cli: 30, integration: 15, bench: 10, unit: 1 };

const folderOf = (relativeFile: string) => relativeFile.split(/[\\/]/)[1] ?? '';

export default class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const described = files.map((spec) => {
      const relativeFile = path.relative(root, spec.moduleId);
      const key = `${spec.project.name}:${relativeFile}`;
      return { spec, folder: folderOf(relativeFile), recorded: cache.getFileTestResults(key)?.duration, size: cache.getFileStats(key)?.size ?? 0 };
    });
    const recordedByFolder = new Map<string, number[]>();
    for (const file of described) if (file.recorded !== undefined) recordedByFolder.set(file.folder, [...(recordedByFolder.get(file.folder) ?? []), file.recorded]);
    const estimate = (file: (typeof described)[number]) => {
      if (file.recorded !== undefined) return file.recorded;
      const folder = recordedByFolder.get(file.folder);
      if (folder?.length) return folder.reduce((sum, ms) => sum + ms, 0) / folder.length;
      return (secondsWithoutRecord[file.folder] ?? 10) * 1000;
    };
    const ordered = described.map((file) => ({ ...file, estimate: estimate(file) }));
    ordered.sort((a, b) => b.estimate - a.estimate || b.size - a.size || a.spec.moduleId.localeCompare(b.spec.moduleId));
    return ordered.map((file) => file.spec);
  }
}
