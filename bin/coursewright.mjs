#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/cli-bundle.mjs';

// A bundle kept in step with the sources starts fast; without esbuild, tsx runs the sources.
const bundle = await ensureCliBundle();
let runCli;
if (bundle) {
  ({ runCli } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
