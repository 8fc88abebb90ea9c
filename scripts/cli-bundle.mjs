// Builds and loads dist/cli/coursewright.cjs, one esbuild bundle of the CLI's TypeScript, so the
// command starts in a fraction of the time a TypeScript loader (or a few hundred separate ES
// modules) takes. Plain JavaScript: it runs before any loader.
//
// What keeps start-up fast (tests/bench/cli-startup.ts measures it against a bare `node`):
// - The small pure-JavaScript packages every command needs (zod, drizzle, commander, …) are
//   bundled in, so Node reads and compiles one file instead of resolving hundreds of modules.
//   Everything else stays an ordinary package import: the native SQLite driver, and the heavy
//   packages only some commands use (fastify, pdfkit, openai, yazl, vite), which the sources
//   import dynamically at the point of use.
// - CommonJS, not ESM: esbuild then keeps each module reached only through a dynamic import
//   (the served studio, the exporters) behind a lazy initialiser, so `course list` never
//   evaluates them; and Node 20 can reuse V8's compiled code for a script (below), not for an ES
//   module.
// - Source freshness is checked only in a git checkout, where someone may be editing the
//   sources (see ensureCliBundle).
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDirs = ['cli', 'core', 'db', 'host', 'node-common', 'schemas', 'resources', 'server'];
const bundleDir = path.join(root, 'dist', 'cli');
export const bundleFile = path.join(bundleDir, 'coursewright.cjs');
// host/threads.ts starts the host's threads from bundles beside the CLI's, with its extension.
const threadEntries = { 'engine-worker': 'host/engine-worker.ts', 'export-worker': 'host/export-worker.ts' };
// Bundled in because every command loads them; any other bare import stays external.
const bundledPackages = ['zod', 'drizzle-orm', 'commander', 'jsonrepair', 'env-paths', '@noble/hashes', 'saxes', 'xmlchars'];
const codeCacheSuffix = '.v8cache';
// The CLI bundle's own name for `import()` of a package; see buildCliBundle.
const importParameter = '__coursewrightImport';

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

/**
 * A git checkout is where sources get edited, so there every start compares the sources' newest
 * modification time with the bundle's (a walk over some 150 files, a few milliseconds) and a
 * developer always runs what they wrote. An installed copy (no .git) never looks at its sources:
 * its sources do not change, so the bundle it has (built on its first start, or shipped with it)
 * stays right.
 */
const isGitCheckout = () => fs.existsSync(path.join(root, '.git'));

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Builds the CLI bundle and its thread bundles; returns false when esbuild is not installed. */
export async function buildCliBundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  // Parallel invocations may race to rebuild: each builds into its own folder, then renames each
  // file into place atomically, the CLI last, so a fresh CLI never starts beside stale threads.
  const temporary = path.join(bundleDir, `.build-${process.pid}`);
  const dynamicallyImported = new Set();
  await esbuild.build({
    entryPoints: { ...Object.fromEntries(Object.entries(threadEntries).map(([name, file]) => [name, path.join(root, file)])), coursewright: path.join(root, 'cli', 'main.ts') },
    outdir: temporary,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Less to read and evaluate at every start. Nothing relies on function or class names: errors
    // name themselves (CoursewrightError sets its name) and the CLI prints messages, not stacks.
    minify: true,
    // CommonJS has no import.meta: modules that locate files from their own URL get the bundle's.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      {
        // zod's namespace of 48 translated error maps (`z.locales`) is a third of zod and costs
        // about a fifth of a start to evaluate; Coursewright's messages are English, which zod
        // registers from its English module directly. Only English stays in the bundle, so a
        // `z.config(z.locales.xx())` would work from the sources but not here: don't add one.
        name: 'zod-english-only',
        setup(build) {
          build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
            /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(args.resolveDir, path.dirname(args.path), 'en.js'), namespace: 'zod-english-only' } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path) }));
        },
      },
      {
        name: 'external-unless-listed',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (bundledPackages.includes(packageName(args.path))) return undefined;
            if (args.kind === 'dynamic-import') dynamicallyImported.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
    logLevel: 'error',
  });
  // Node 20 drops a script's dynamic-import hook when V8 accepts its code cache ("A dynamic import
  // callback was not specified"), so the CLI bundle, which loadCommonJsBundle runs with a code
  // cache, imports packages at the point of use through a function its loader passes in. Only the
  // exact `import("package")` calls esbuild emitted for external packages are rewritten.
  const cliFile = path.join(temporary, 'coursewright.cjs');
  let cli = fs.readFileSync(cliFile, 'utf8');
  for (const specifier of dynamicallyImported) cli = cli.replaceAll(`import(${JSON.stringify(specifier)})`, `${importParameter}(${JSON.stringify(specifier)})`);
  fs.writeFileSync(cliFile, cli);
  const built = [...Object.keys(threadEntries), 'coursewright'].map((name) => `${name}.cjs`);
  for (const name of built) fs.renameSync(path.join(temporary, name), path.join(bundleDir, name));
  fs.rmSync(temporary, { recursive: true, force: true });
  // Compiled code of an older bundle is useless now; V8 would reject most of it anyway.
  for (const name of fs.readdirSync(bundleDir)) if (name.endsWith(codeCacheSuffix)) fs.rmSync(path.join(bundleDir, name), { force: true });
  return true;
}

/** Returns the bundle's path, rebuilt first when a checkout's sources are newer; null when there is no bundle and esbuild is not installed. */
export async function ensureCliBundle() {
  const present = fs.existsSync(bundleFile);
  if (present && (!isGitCheckout() || cliBundleIsFresh())) return bundleFile;
  return (await buildCliBundle()) ? bundleFile : null;
}

/**
 * Loads a CommonJS bundle with V8's code cache: the first run saves the compiled code of every
 * function it ran beside the bundle; later runs skip compiling them. The cache's name carries
 * the bundle's size, modification time and V8's version, because V8's own check of a cache
 * against its source is only a length check. Returns the bundle's exports and a function that
 * saves the cache, to call after the command ran (so it covers the functions the command used).
 */
export function loadCommonJsBundle(file) {
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const cacheFile = `${file}.${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.versions.v8}${codeCacheSuffix}`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname, ${importParameter}) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const bundleModule = new Module(file);
  bundleModule.filename = file;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(file));
  // Packages resolve from the bundle's folder up, as for this file: both sit in the same checkout.
  const importPackage = (specifier) => import(specifier);
  script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(file), bundleModule, file, path.dirname(file), importPackage);
  bundleModule.loaded = true;
  const saveCodeCache = () => {
    if (cachedData && !script.cachedDataRejected) return;
    // A read-only install cannot keep a cache; it then compiles on every start, as without one.
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  };
  return { exports: bundleModule.exports, saveCodeCache };
}
