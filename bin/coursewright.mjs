#!/usr/bin/env node
import fs from 'node:fs';
import { ensureCliBundle, loadCommonJsBundle } from '../scripts/cli-bundle.mjs';

const argv = process.argv.slice(2);
// `coursewright --version` alone is what scripts and install checks run; it needs only
// package.json, not the engine. Every other spelling (`--json -V`, …) goes through the command
// line parser, which prints the same version from the same file (cli/main.ts).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // The bundle (scripts/cli-bundle.mjs) starts fast; without it and without esbuild, tsx runs the sources.
  const bundle = await ensureCliBundle();
  if (bundle) {
    const { exports, saveCodeCache } = loadCommonJsBundle(bundle);
    process.exitCode = await exports.runCli(argv);
    saveCodeCache();
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    const { runCli } = await import('../cli/main.ts');
    process.exitCode = await runCli(argv);
  }
}
