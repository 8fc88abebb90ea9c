import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot as findProjectRoot } from '../host/project-root.js';

/**
 * Builds the learner player into dist/player with esbuild: one script and one stylesheet named by
 * their content hash (so the server may let browsers keep them), and index.html pointing at both.
 * The player has no inline script or style, so the server's policy can be `script-src 'self'`.
 */

const root = findProjectRoot(fileURLToPath(import.meta.url));
export const playerSourceDir = path.join(root, 'player');
export const playerBuildDir = path.join(root, 'dist', 'player');
/** Everything outside player/ the bundle is built from: a change there makes the build stale too. */
const sharedSources = ['core/export/markdown.ts', 'core/export/xml.ts', 'schemas/text.ts', 'server/contract.ts'].map((file) => path.join(root, file));

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** True when dist/player is missing or older than a file it is built from. */
export function playerBuildIsStale(): boolean {
  const index = path.join(playerBuildDir, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return [playerSourceDir, ...sharedSources].some((source) => fs.existsSync(source) && newestMtime(source) > built);
}

export async function buildPlayer(log: (line: string) => void = () => {}): Promise<void> {
  const { build } = await import('esbuild');
  log('Building the learner player…');
  fs.rmSync(playerBuildDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { player: path.join(playerSourceDir, 'src', 'main.ts'), styles: path.join(playerSourceDir, 'src', 'player.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari15.4'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    outdir: path.join(playerBuildDir, 'assets'),
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const named = (entry: string) => {
    const found = outputs.find(([, output]) => output.entryPoint && path.resolve(root, output.entryPoint) === path.join(playerSourceDir, 'src', entry));
    if (!found) throw new Error(`esbuild produced no output for player/src/${entry}.`);
    return path.relative(path.join(playerBuildDir), path.resolve(root, found[0])).split(path.sep).join('/');
  };
  const html = fs.readFileSync(path.join(playerSourceDir, 'index.html'), 'utf8').replace('%PLAYER_JS%', named('main.ts')).replace('%PLAYER_CSS%', named('player.css'));
  fs.writeFileSync(path.join(playerBuildDir, 'index.html'), html);
  log('Learner player built.');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPlayer((line) => console.log(line));
}
