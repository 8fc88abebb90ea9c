import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCoursewright } from '../cli/run-cli.js';
import { describeOnBothDatabases } from './support/databases.js';

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));

/** Starts `coursewright server start` as a real process and waits for the address it prints. */
function startServerProcess(args: string[], startArgs: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, 'server', 'start', '--port', '0', ...startArgs], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve({ child, url: match[1]!, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

describeOnBothDatabases('coursewright server (the real command)', (target) => {
  let dataDir: string;
  let databaseArgs: string[];
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-server-cli-'));
    const location = await target.emptyLocation();
    if (location.kind === 'pglite') {
      // The embedded default lives in DATA/server/pglite; start it from an initialised folder.
      fs.cpSync(location.dataDir!, path.join(dataDir, 'server', 'pglite'), { recursive: true });
      databaseArgs = [];
    } else {
      databaseArgs = ['--database', location.url];
    }
  }, 300_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const cli = (args: string[]) => runCoursewright(['--data', dataDir, ...args, ...databaseArgs]);

  it('creates a tenant and a key, serves /readyz, refuses admin commands on a busy embedded database, and stops on SIGTERM', async () => {
    const tenant = await cli(['--json', 'server', 'tenant', 'create', 'CLI Academy']);
    expect(tenant.code, tenant.stderr).toBe(0);
    const tenantId = tenant.json().id;
    expect(tenantId).toMatch(/^ten_/);
    expect((await cli(['server', 'tenant', 'create', 'CLI Academy'])).code).toBe(5);

    const key = await cli(['--json', 'server', 'key', 'create', '--tenant', tenantId, '--role', 'author']);
    expect(key.code, key.stderr).toBe(0);
    const { key: secret, id: keyId } = key.json();
    expect(secret).toMatch(/^cwk_[A-Za-z0-9_-]{43}$/);
    expect((await cli(['server', 'key', 'create', '--tenant', tenantId, '--role', 'owner'])).code).toBe(2);
    expect((await cli(['server', 'key', 'create', '--tenant', 'ten_missing', '--role', 'author'])).code).toBe(4);

    const server = await startServerProcess(['--data', dataDir], databaseArgs, {});
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: target.kind });
      expect((await fetch(`${server.url}/api/courses`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);

      const whileServing = await cli(['server', 'key', 'revoke', keyId]);
      if (target.kind === 'pglite') {
        expect(whileServing.code).toBe(1);
        expect(whileServing.stderr).toContain(`in use by process ${server.child.pid}`);
        expect((await fetch(`${server.url}/api/courses`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
      } else {
        // PostgreSQL is shared: the revocation takes effect on the running server at once.
        expect(whileServing.code, whileServing.stderr).toBe(0);
        expect((await fetch(`${server.url}/api/courses`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
      }
    } finally {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(server.stderr()).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    if (target.kind === 'pglite') {
      const revoke = await cli(['server', 'key', 'revoke', keyId]);
      expect(revoke.code, revoke.stderr).toBe(0);
      expect(revoke.stdout).toContain(`Key ${keyId} revoked.`);
    }
    // Each command opens the embedded database anew, which takes PGlite seconds on a busy machine.
  }, 900_000);
});
