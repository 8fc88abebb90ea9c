// Keeps dist/cli/coursewright.mjs, an esbuild bundle of the CLI's TypeScript, in step with the
// sources, so the command starts in a fraction of the time a TypeScript loader takes. Dependencies
// stay external (resolved from node_modules as usual). Plain JavaScript: it runs before any loader.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDirs = ['cli', 'core', 'db', 'host', 'schemas', 'resources'];
export const bundleFile = path.join(root, 'dist', 'cli', 'coursewright.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function cliBundleIsFresh() {
  if (!fs.existsSync(bundleFile)) return false;
  const built = fs.statSync(bundleFile).mtimeMs;
  return sourceDirs.every((dir) => !fs.existsSync(path.join(root, dir)) || newestSource(path.join(root, dir)) <= built);
}

/** Returns the bundle's path, rebuilding it when stale; null when esbuild is not installed. */
export async function ensureCliBundle() {
  if (cliBundleIsFresh()) return bundleFile;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  // Parallel invocations may race to rebuild: each builds into its own folder, then renames each
  // file into place atomically, the CLI last, so a fresh CLI never starts beside stale threads.
  const temporary = path.join(path.dirname(bundleFile), `.build-${process.pid}`);
  await esbuild.build({
    // The host's threads (host/threads.ts) load their bundles from beside the CLI's.
    entryPoints: {
      'engine-worker': path.join(root, 'host', 'engine-worker.ts'),
      'export-worker': path.join(root, 'host', 'export-worker.ts'),
      coursewright: path.join(root, 'cli', 'main.ts'),
    },
    outdir: temporary,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  for (const name of ['engine-worker.mjs', 'export-worker.mjs', 'coursewright.mjs']) fs.renameSync(path.join(temporary, name), path.join(path.dirname(bundleFile), name));
  fs.rmSync(temporary, { recursive: true, force: true });
  return bundleFile;
}
