import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase } from '../../server/db/connection.js';
import { describeOnBothDatabases } from './support/databases.js';

/** A built player as player/build.ts lays it out, plus files that must never be served. */
function builtPlayer(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-player-dist-'));
  fs.mkdirSync(path.join(directory, 'assets'));
  fs.mkdirSync(path.join(directory, 'api'));
  fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>Player</title><script type="module" src="/player/assets/player-ABC123.js"></script>');
  fs.writeFileSync(path.join(directory, 'assets', 'player-ABC123.js'), 'console.log("player")');
  fs.writeFileSync(path.join(directory, 'assets', 'notes.txt'), 'not an asset');
  fs.writeFileSync(path.join(directory, 'api', 'courses'), 'a file where an API route is');
  return directory;
}

describeOnBothDatabases('the learner player as public static files', (target) => {
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;
  let behindHttps: FastifyInstance;
  const folders: string[] = [];
  beforeAll(async () => {
    const directory = builtPlayer();
    const missing = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-player-missing-'));
    folders.push(directory, missing);
    built = await buildServerApp({ database: await openServerDatabase(await target.freshLocation()), playerDirectory: directory });
    unbuilt = await buildServerApp({ database: await openServerDatabase(await target.freshLocation()), playerDirectory: missing });
    behindHttps = await buildServerApp({ database: await openServerDatabase(await target.freshLocation()), playerDirectory: directory, secureCookie: true });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([built?.close(), unbuilt?.close(), behindHttps?.close()]);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('/ is the player page to anyone, under a policy of its own files only, never cached stale', async () => {
    const page = await built.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Player</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const policy = String(page.headers['content-security-policy']);
    expect(policy.split(';').map((directive) => directive.trim()).sort()).toEqual(
      ["base-uri 'none'", "connect-src 'self'", "default-src 'none'", "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "img-src 'self'", "manifest-src 'self'", "object-src 'none'", "script-src 'self'", "style-src 'self'"],
    );
    // Behind HTTPS, stray http:// requests are upgraded too; over plain HTTP (loopback) they are not.
    expect(String((await behindHttps.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('serves its hashed assets for good, and nothing else from the folder', async () => {
    const script = await built.inject({ method: 'GET', url: '/player/assets/player-ABC123.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toContain('immutable');
    for (const url of ['/player/assets/notes.txt', '/player/assets/..%2Findex.html', '/player/assets/%2E%2E%2Fapi%2Fcourses', '/player/index.html', '/index.html', '/player/assets/missing-1.js']) {
      const refused = await built.inject({ method: 'GET', url });
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().error.code, url).toBe('NOT_FOUND');
    }
  });

  it('never answers an /api/ path with a file: API routes stay API routes', async () => {
    const api = await built.inject({ method: 'GET', url: '/api/courses' });
    expect(api.statusCode).toBe(401);
    expect(api.body).not.toContain('a file where an API route is');
    expect(api.headers['content-security-policy']).not.toContain("default-src 'none'");
    expect((await built.inject({ method: 'GET', url: '/api/learn/nothing-here' })).json().error.code).toBe('NOT_FOUND');
  });

  it('without a build, / says how to build the player, and the API still works', async () => {
    const page = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('npm run build:player');
    expect((await unbuilt.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
