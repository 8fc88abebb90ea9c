#!/usr/bin/env node
// The command runs the TypeScript sources through tsx, so a checkout works without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
