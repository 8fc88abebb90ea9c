#!/usr/bin/env node
import { ensureCliBundle, loadCommonJsBundle } from '../scripts/cli-bundle.mjs';

// The bundle (scripts/cli-bundle.mjs) starts fast; without it and without esbuild, tsx runs the sources.
const bundle = await ensureCliBundle();
if (bundle) {
  const { exports, saveCodeCache } = loadCommonJsBundle(bundle);
  process.exitCode = await exports.runCli(process.argv.slice(2));
  saveCodeCache();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../cli/main.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
