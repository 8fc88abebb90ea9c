import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the main process, the engine worker and the preload into dist/electron/. The preload
 * must be one self-contained file: a sandboxed preload can require nothing but 'electron'.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildElectron(outdir = `${root}dist/electron`): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning' as const,
    absWorkingDir: root,
  };
  // CommonJS has no import.meta: modules that locate files from their own URL get the bundle's.
  // The sandboxed preload may require nothing but electron, so only main and the worker get this.
  const locatable = { define: { 'import.meta.url': '__bundleUrl' }, banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" } };
  await Promise.all([
    build({ ...common, ...locatable, entryPoints: { main: 'electron/main.ts' }, outdir, outExtension: { '.js': '.cjs' }, external: ['electron', 'better-sqlite3'] }),
    build({ ...common, ...locatable, entryPoints: { 'engine-worker': 'electron/engine-worker.ts' }, outdir, outExtension: { '.js': '.cjs' }, external: ['better-sqlite3', 'pdfkit', 'yazl'] }),
    // Each export runs in a thread of its own, started by the engine thread from beside its bundle.
    build({ ...common, ...locatable, entryPoints: { 'export-worker': 'host/export-worker.ts' }, outdir, outExtension: { '.js': '.cjs' }, external: ['pdfkit', 'yazl'] }),
    build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir, outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildElectron();
  console.log('built dist/electron/{main,engine-worker,export-worker,preload}.cjs');
}
