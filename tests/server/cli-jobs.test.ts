import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCoursewright } from '../cli/run-cli.js';
import { describeOnBothDatabases } from './support/databases.js';

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));

function startServerProcess(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'server', 'start', '--port', '0', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

const stopped = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('coursewright server start --cors-origin: refused before anything starts', () => {
  it.each(['learn.example.org', 'https://learn.example.org/player', 'ftp://learn.example.org'])('"%s" is not an origin: exit 2 with an example of one', async (origin) => {
    const result = await runCoursewright(['server', 'start', '--cors-origin', origin, '--database', 'postgres://nobody@127.0.0.1:1/none']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--cors-origin (or CORS_ORIGIN) takes origins like https://learn.example.org`);
    expect(result.stderr).toContain(`not "${origin}"`);
  });
});

describeOnBothDatabases('coursewright server start: background jobs and CORS in the real process', (target) => {
  let url: string;
  beforeAll(async () => {
    if (target.kind === 'postgres') url = ((await target.freshLocation()) as { url: string }).url;
  }, 300_000);

  // The flag's wiring does not depend on the database, and starting the embedded one in a child
  // process is already covered (and paid for) by cli.test.ts.
  it.skipIf(target.kind === 'pglite')('(PostgreSQL) starts pg-boss with the server (the start-up cleanup shows in /metrics), answers CORS for the configured origin only, and stops on SIGTERM', async () => {
    const tenant = await runCoursewright(['--json', 'server', 'tenant', 'create', 'Jobs CLI Academy', '--database', url]);
    expect(tenant.code, tenant.stderr).toBe(0);
    const admin = await runCoursewright(['--json', 'server', 'key', 'create', '--tenant', tenant.json().id, '--role', 'admin', '--database', url]);
    const adminKey = admin.json().key as string;

    const server = await startServerProcess(['--database', url, '--cors-origin', 'https://learn.example.org'], { CORS_ORIGIN: 'https://ignored.example.org' });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const fromLearn = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://learn.example.org' } });
      expect(fromLearn.headers.get('access-control-allow-origin')).toBe('https://learn.example.org');
      // The flag wins over the environment: the origin only CORS_ORIGIN named gets nothing.
      expect((await fetch(`${server.url}/healthz`, { headers: { origin: 'https://ignored.example.org' } })).headers.get('access-control-allow-origin')).toBeNull();

      let metrics = '';
      for (let attempt = 0; attempt < 100 && !/^coursewright_jobs\{queue="cleanup-expired",state="completed"/m.test(metrics); attempt++) {
        metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } })).text();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(metrics).toMatch(/^coursewright_jobs\{queue="cleanup-expired",state="completed",database="postgres"\} 1$/m);
    } finally {
      const exit = stopped(server.child);
      server.child.kill('SIGTERM');
      expect(await exit).toBe(0);
    }

    // CORS_ORIGIN alone configures it too.
    const again = await startServerProcess(['--database', url], { CORS_ORIGIN: 'https://learn.example.org' });
    try {
      expect((await fetch(`${again.url}/healthz`, { headers: { origin: 'https://learn.example.org' } })).headers.get('access-control-allow-origin')).toBe('https://learn.example.org');
    } finally {
      const exit = stopped(again.child);
      again.child.kill('SIGTERM');
      expect(await exit).toBe(0);
    }
  }, 300_000);
});
