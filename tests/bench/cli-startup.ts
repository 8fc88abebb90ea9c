import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDataDir } from '../helpers.js';
import { median, type BenchRow } from './measure.js';

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));
const runs = 15;

/** Wall-clock milliseconds from spawning `node ARGS` to its exit, as a shell user waits for it. */
function timeProcess(args: string[], dataDir: string): Promise<{ ms: number; code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', COURSEWRIGHT_DATA: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code: code ?? -1, stdout }));
  });
}

/**
 * How long the common commands take to start and answer, as a ratio to a bare `node -e 0` on the
 * same machine in the same minute (target ≤ 2.5×). Runs are interleaved, so a busy machine slows
 * both sides alike. The data folder holds the demo course, so the lists have something to list.
 */
export async function benchCliStartup(): Promise<BenchRow[]> {
  const dataDir = tempDataDir('bench-cli-startup');
  const demo = await timeProcess([bin, 'demo'], dataDir);
  if (demo.code !== 0) throw new Error(`coursewright demo failed (exit ${demo.code}); cannot measure start-up.`);
  const courseId = (JSON.parse((await timeProcess([bin, 'course', 'list', '--json'], dataDir)).stdout) as Array<{ id: string }>)[0]!.id;

  const commands: Array<[string, string[]]> = [
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['course list', ['course', 'list']],
    ['syllabus list', ['syllabus', 'list', courseId]],
    ['content list', ['content', 'list', courseId]],
  ];
  // The first start after a build compiles the bundle and saves V8's code cache; a user meets
  // that once, not on every command.
  for (const [, args] of commands) await timeProcess([bin, ...args], dataDir);

  const bare: number[] = [];
  const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
  for (let run = 0; run < runs; run++) {
    bare.push((await timeProcess(['-e', '0'], dataDir)).ms);
    for (const [name, args] of commands) {
      const result = await timeProcess([bin, ...args], dataDir);
      if (result.code !== 0) throw new Error(`coursewright ${args.join(' ')} exited ${result.code}.`);
      times.get(name)!.push(result.ms);
    }
  }
  const node = median(bare);
  return [
    { name: 'CLI start-up: bare `node -e 0`', value: node, unit: 'ms', note: `median of ${runs}` },
    ...commands.map(([name]): BenchRow => {
      const command = median(times.get(name)!);
      return { name: `CLI start-up: coursewright ${name} / node`, value: command / node, unit: '×', target: '≤ 2.5×', note: `median ${command.toFixed(0)} ms vs ${node.toFixed(0)} ms` };
    }),
  ];
}
