import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCoursewright } from './run-cli.js';
import { describeOnBothDatabases } from '../server/support/databases.js';
import { freePort, studioWithTwoPackages } from '../integration/sync/support.js';

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));

/** `coursewright server start` as a real process on a chosen port, once it says it listens. */
function startServer(args: string[], port: number, databaseArgs: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, 'server', 'start', '--port', String(port), ...databaseArgs], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/listening on http:\/\//.test(stdout)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

describeOnBothDatabases('coursewright publish and sync against a real server process', (target) => {
  let serverData: string;
  let databaseArgs: string[];
  let studio: Awaited<ReturnType<typeof studioWithTwoPackages>>;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    studio = await studioWithTwoPackages('cli-publish');
    serverData = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-sync-cli-'));
    const location = await target.freshLocation();
    if (location.kind === 'pglite') {
      fs.cpSync(location.dataDir!, path.join(serverData, 'server', 'pglite'), { recursive: true });
      databaseArgs = [];
    } else {
      databaseArgs = ['--database', location.url];
    }
  }, 300_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(serverData, { recursive: true, force: true });
  });

  it('queues while the server is down (exit 6), sync sends it once the server is up, publish --release makes a version live, the same content again is a no-op, refusals exit with their codes', async () => {
    const admin = (args: string[]) => runCoursewright(['--data', serverData, ...args, ...databaseArgs]);
    const tenant = await admin(['--json', 'server', 'tenant', 'create', 'Publishing CLI Academy']);
    expect(tenant.code, tenant.stderr).toBe(0);
    const key = await admin(['--json', 'server', 'key', 'create', '--tenant', tenant.json().id, '--role', 'author']);
    expect(key.code, key.stderr).toBe(0);
    const authorKey: string = key.json().key;

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const studioCli = (args: string[], env: Record<string, string> = { COURSEWRIGHT_SERVER_KEY: authorKey }) => runCoursewright(['--data', studio.dataDir, ...args], env);

    const noKey = await studioCli(['publish', studio.first.id, '--server', url], {});
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/Set COURSEWRIGHT_SERVER_KEY/);

    const offline = await studioCli(['publish', studio.first.id, '--server', url, '--release']);
    expect(offline.code, offline.stderr).toBe(6);
    expect(offline.stderr).toMatch(/could not be reached/);
    expect(offline.stderr).toMatch(/queued in the outbox: run `coursewright sync`/);

    server = await startServer(['--data', serverData], port, databaseArgs);
    const synced = await studioCli(['sync', '--server', url]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain(`live on server: package v1 of ${studio.courseId} (${studio.first.id}), server version 1`);
    expect(synced.stdout).toMatch(/1 sent \(1 live\), 0 still queued, 0 failed/);
    const again = await studioCli(['sync', '--server', url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Nothing to send/);

    const second = await studioCli(['--json', 'publish', studio.second.id, '--server', url, '--release']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json()).toMatchObject({ created: true, queued: false, entry: { state: 'live', serverVersion: 2 } });
    const repeat = await studioCli(['publish', studio.second.id, '--server', url]);
    expect(repeat.code, repeat.stderr).toBe(0);
    expect(repeat.stdout).toMatch(/live on server: package v2 .* \(the server already had it\), server version 2/);

    const onServer = await fetch(`${url}/api/courses/${studio.courseId}`, { headers: { authorization: `Bearer ${authorKey}` } });
    const versions = (await onServer.json()) as { liveHash: string; versions: Array<{ contentHash: string }> };
    expect(versions.versions.map((v) => v.contentHash)).toEqual([studio.second.contentHash, studio.first.contentHash]);
    expect(versions.liveHash).toBe(studio.second.contentHash);

    const wrongKey = await studioCli(['publish', studio.first.id, '--server', url], { COURSEWRIGHT_SERVER_KEY: `cwk_${'w'.repeat(43)}` });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/did not accept the author key/);
    const missing = await studioCli(['publish', 'pkg_missing', '--server', url]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/No package "pkg_missing"/);
  });
});
