import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The host's thread entries; each is bundled beside the CLI and the Electron main bundle. */
export type HostThread = 'engine-worker' | 'export-worker';

/**
 * Starts one of the host's threads wherever this module runs: from the TypeScript sources the
 * entry is `host/NAME.ts`, loaded through tsx; from a bundle (the CLI's or the desktop's)
 * it is the sibling bundle of the same extension (dist/cli/*.cjs, dist/electron/*.cjs), which the
 * bundlers build for every entry.
 */
export function startHostThread(name: HostThread, workerData: Record<string, unknown>): Worker {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  if (extension === '.ts') {
    const entry = pathToFileURL(path.join(path.dirname(here), `${name}.ts`)).href;
    return new Worker(new URL('./ts-thread-bootstrap.mjs', import.meta.url), { workerData: { ...workerData, threadEntry: entry } });
  }
  return new Worker(path.join(path.dirname(here), `${name}${extension}`), { workerData });
}
