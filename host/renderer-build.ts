import fs from 'node:fs';
import path from 'node:path';
import { projectRoot as findProjectRoot } from './project-root.js';

export const projectRoot = findProjectRoot();
export const rendererSourceDir = path.join(projectRoot, 'renderer');
export const rendererBuildDir = path.join(projectRoot, 'dist', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/renderer is missing or older than any file the renderer is built from. */
export function rendererBuildIsStale(): boolean {
  const index = path.join(rendererBuildDir, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  const sources = [rendererSourceDir, path.join(projectRoot, 'schemas')].filter((d) => fs.existsSync(d));
  return sources.some((dir) => newestMtime(dir) > built);
}

/** Builds the studio UI with Vite (a development dependency; checkouts have it). */
export async function buildRenderer(log: (line: string) => void = () => {}): Promise<void> {
  const { build } = await import('vite');
  log('Building the studio UI…');
  // Always the production build: Vite and the React plugin follow an inherited NODE_ENV, and a
  // test runner sets it to 'test', which would ship React's development runtime (several times
  // slower on every keystroke) to whoever opens the studio next.
  const inherited = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(rendererSourceDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (inherited === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = inherited;
  }
  log('Studio UI built.');
}
