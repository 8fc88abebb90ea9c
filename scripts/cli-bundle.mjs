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
  // Parallel invocations may race to rebuild: each writes its own file, then renames atomically.
  const temporary = `${bundleFile}.${process.pid}.tmp.mjs`;
  await esbuild.build({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  fs.renameSync(temporary, bundleFile);
  return bundleFile;
}
