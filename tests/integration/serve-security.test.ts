import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusFor, startStudioServer } from '../../cli/serve/server.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

type Served = Awaited<ReturnType<typeof startStudioServer>>;

/**
 * A request exactly as written: fetch and URL would normalise `/./`, `//` and backslashes away,
 * and those spellings are what an attacker sends.
 */
function rawRequest(server: Served, method: string, rawPath: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: server.port, method, path: rawPath, headers: { host: `127.0.0.1:${server.port}`, ...options.headers } }, (response) => {
      // An event stream that opened would never end: a few bytes decide.
      if (response.headers['content-type']?.startsWith('text/event-stream')) {
        response.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '<event stream>' });
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.setTimeout(20_000, () => request.destroy(new Error(`no answer to ${method} ${rawPath}`)));
    request.end(options.body);
  });
}

const json = { 'content-type': 'application/json' };

/** Spellings of `/api/<rest>` that a server reading the raw URL and a router decoding it disagree on. */
function spellingsOf(rest: string): string[] {
  return [
    `/%61pi/${rest}`,
    `/ap%69/${rest}`,
    `/%61%70%69/${rest}`,
    `/%41%50%49/${rest}`,
    `/%2561pi/${rest}`,
    `/%252561pi/${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `//api/${rest}`,
    `/./api/${rest}`,
    `/api/./${rest}`,
    `/x/../api/${rest}`,
    `/api/x/../${rest}`,
    `/api./${rest}`,
    `/api/${rest}.`,
    `/api\\${rest.replaceAll('/', '\\')}`,
    `/%5Capi/${rest}`,
    `/api%2F${rest.replaceAll('/', '%2F')}`,
    `/api/${rest.replace(/^(\w)/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
    `/api/${rest}?token=`,
    `/api/${rest}#token=x`,
  ];
}

describe('the served studio refuses every spelling of a token route without the token', () => {
  let server: Served;
  let dataDir: string;
  const exportedName = 'course-v1.pdf';

  beforeAll(async () => {
    dataDir = tempDataDir('serve-security');
    fs.mkdirSync(path.join(dataDir, 'exports'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'exports', exportedName), '%PDF-secret-export');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
  });
  afterAll(async () => server?.close());

  const families = [
    { family: 'call', method: 'POST', rest: 'call/settings.get', leaked: (body: string) => body.includes('keyStorage') },
    { family: 'events', method: 'GET', rest: 'events', leaked: (body: string) => body === '<event stream>' },
    { family: 'exports', method: 'GET', rest: `exports/${exportedName}`, leaked: (body: string) => body.includes('secret-export') },
  ] as const;

  for (const { family, method, rest, leaked } of families) {
    it(`${family}: the plain path needs the token, and gets in with it`, async () => {
      const body = method === 'POST' ? '{}' : undefined;
      const without = await rawRequest(server, method, `/api/${rest}`, { headers: json, ...(body ? { body } : {}) });
      expect(without.status).toBe(401);
      expect(JSON.parse(without.body)).toEqual({ ok: false, error: { code: 'USAGE', message: 'Missing or wrong studio token. Open the URL `coursewright serve` printed.' } });
      expect(leaked(without.body)).toBe(false);
      const wrongSameLength = 'x'.repeat(server.token.length);
      const wrong = await rawRequest(server, method, `/api/${rest}`, { headers: { ...json, authorization: `Bearer ${wrongSameLength}` }, ...(body ? { body } : {}) });
      expect(wrong.status).toBe(401);
      const empty = await rawRequest(server, method, `/api/${rest}`, { headers: { ...json, authorization: 'Bearer ' }, ...(body ? { body } : {}) });
      expect(empty.status).toBe(401);
      const withToken = await rawRequest(server, method, `/api/${rest}`, { headers: { ...json, authorization: `Bearer ${server.token}` }, ...(body ? { body } : {}) });
      expect(withToken.status).toBe(200);
      expect(leaked(withToken.body)).toBe(true);
    });

    it.each(spellingsOf(rest))(`${family}: %s is refused without the token`, async (spelling) => {
      const answer = await rawRequest(server, method, spelling, { headers: json, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect([400, 401, 404]).toContain(answer.status);
      expect(leaked(answer.body)).toBe(false);
    });
  }

  it('a percent-encoded spelling that routes to an operation still works with the token', async () => {
    const answer = await rawRequest(server, 'POST', '/%61pi/call/settings.get', { headers: { ...json, authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { keyStorage: 'memory' } });
  });

  it('takes the token as a bearer in any case, or as one ?token= value, and nothing else', async () => {
    const call = (pathAndQuery: string, authorization?: string) =>
      rawRequest(server, 'POST', pathAndQuery, { headers: { ...json, ...(authorization ? { authorization } : {}) }, body: '{}' });
    expect((await call('/api/call/courses.list', `bearer ${server.token}`)).status).toBe(200);
    expect((await call('/api/call/courses.list', `BEARER ${server.token}`)).status).toBe(200);
    expect((await call(`/api/call/courses.list?token=${server.token}`)).status).toBe(200);
    expect((await call('/api/call/courses.list', `Basic ${server.token}`)).status).toBe(401);
    expect((await call('/api/call/courses.list', server.token)).status).toBe(401);
    expect((await call(`/api/call/courses.list?token=${server.token}&token=${server.token}`)).status).toBe(401);
    expect((await call(`/api/call/courses.list?token=${server.token.slice(0, -1)}`)).status).toBe(401);
    expect((await call(`/api/call/courses.list?token=${server.token}x`)).status).toBe(401);
  });

  it('answers only under a loopback name, with its security headers', async () => {
    const withHost = (host: string) => rawRequest(server, 'POST', '/api/call/courses.list', { headers: { ...json, authorization: `Bearer ${server.token}`, host }, body: '{}' });
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, 'localhost']) {
      const answer = await withHost(host);
      expect(answer.status, host).toBe(200);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    }
    for (const host of ['evil.example', `127.0.0.1.evil.example:${server.port}`, `localhost.evil.example`, `evil.example:${server.port}`]) {
      const refused = await withHost(host);
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ ok: false, error: { code: 'USAGE', message: 'Coursewright serves only 127.0.0.1.' } });
    }
  });

  it('a path that does not decode is refused in the studio envelope', async () => {
    const answer = await rawRequest(server, 'POST', '/api/call/settings.get%E0%A4%A', { headers: { ...json, authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'The request path is not valid percent-encoded UTF-8.' } });
  });

  it('an unknown path is denied without the token and not found with it, in the studio envelope', async () => {
    expect((await rawRequest(server, 'GET', '/api/nothing-here')).status).toBe(401);
    const found = await rawRequest(server, 'GET', '/api/nothing-here', { headers: { authorization: `Bearer ${server.token}` } });
    expect(found.status).toBe(404);
    expect(JSON.parse(found.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the UI shell is the only public part', () => {
  let server: Served;
  beforeAll(async () => {
    const rendererDir = tempDataDir('serve-ui');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursewright</title>');
    fs.mkdirSync(path.join(rendererDir, 'assets'));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("studio")');
    fs.writeFileSync(path.join(rendererDir, '.env'), 'SECRET=1');
    server = await startStudioServer({ dataDir: tempDataDir('serve-ui-data'), rendererDir });
  });
  afterAll(async () => server?.close());

  it('serves the page and its assets without the token', async () => {
    const page = await rawRequest(server, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Coursewright</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await rawRequest(server, 'GET', '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.body).toContain('studio');
  });

  it('serves no dotfiles, nothing outside the build, and no API through the static route', async () => {
    expect((await rawRequest(server, 'GET', '/.env')).body).not.toContain('SECRET');
    expect((await rawRequest(server, 'GET', '/assets/../../../../etc/passwd')).body).not.toContain('root:');
    expect((await rawRequest(server, 'GET', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd')).body).not.toContain('root:');
    const api = await rawRequest(server, 'POST', '/%61pi/call/settings.get', { headers: json, body: '{}' });
    expect(api.status).toBe(401);
  });
});

describe("Fastify's own refusals and the data folder's path", () => {
  let server: Served;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDataDir('serve-errors');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
  });
  afterAll(async () => server?.close());

  const authorised = () => ({ authorization: `Bearer ${server.token}` });

  it.each([
    ['a body over the limit', 413, { ...json }, Buffer.alloc(17 * 1024 * 1024, 0x20)],
    ['a body that is not JSON', 415, { 'content-type': 'text/plain' }, '{}'],
    ['JSON that does not parse', 400, { ...json }, '{"intent": '],
    ['an empty JSON body', 400, { ...json }, ''],
  ] as const)('%s gets %i in the envelope every answer uses', async (_what, status, headers, body) => {
    const answer = await rawRequest(server, 'POST', '/api/call/courses.list', { headers: { ...headers, ...authorised() }, body });
    expect(answer.status).toBe(status);
    const parsed = JSON.parse(answer.body) as { ok: boolean; error: { code: string; message: string } };
    expect(parsed.ok).toBe(false);
    expect(parsed.error.code).toMatch(/^[A-Z_]+$/);
    expect(parsed.error.message.length).toBeGreaterThan(10);
    expect(answer.body).not.toContain('FST_');
  });

  it('a well-formed call still succeeds beside them', async () => {
    const answer = await rawRequest(server, 'POST', '/api/call/courses.list', { headers: { ...json, ...authorised() }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: [] });
  });

  it('a database locked by another process: the page still loads at once, and the error names the data folder, not its path', async () => {
    await server.dispatch('courses.list', {});
    const other = new Database(path.join(dataDir, 'coursewright.db'));
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO settings (key, value_json) VALUES ('held-by-test', 'true')").run();
    try {
      let writeAnswered = false;
      const write = rawRequest(server, 'POST', '/api/call/settings.update', { headers: { ...json, ...authorised() }, body: JSON.stringify({ model: 'other-model' }) }).then((answer) => {
        writeAnswered = true;
        return answer;
      });
      // The write waits on the lock in the engine thread; the HTTP thread answers meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const page = await rawRequest(server, 'GET', '/');
      expect(page.status).toBe(200);
      expect(writeAnswered).toBe(false);
      const locked = await write;
      expect(locked.status).toBe(503);
      const envelope = JSON.parse(locked.body) as { error: { code: string; message: string } };
      expect(envelope.error.code).toBe('STORAGE_LOCKED');
      expect(envelope.error.message).toContain('<data folder>');
      expect(locked.body).not.toContain(dataDir);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await rawRequest(server, 'POST', '/api/call/settings.update', { headers: { ...json, ...authorised() }, body: JSON.stringify({ model: 'other-model' }) });
    expect(after.status).toBe(200);
  });
});

/** An OpenAI-compatible endpoint that refuses every key, recording which key each call carried. */
async function keyRecordingEndpoint() {
  const seen: string[] = [];
  const endpoint = http.createServer((request, response) => {
    seen.push(request.headers.authorization ?? '');
    request.resume();
    response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error' } }));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const { port } = endpoint.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((resolve) => endpoint.close(() => resolve())) };
}

describe('the model endpoint is a sensitive setting: a stored key never goes to a new origin without being entered again', () => {
  let server: Served;
  let first: Awaited<ReturnType<typeof keyRecordingEndpoint>>;
  let second: Awaited<ReturnType<typeof keyRecordingEndpoint>>;
  let courseId: string;
  let run = 0;

  beforeAll(async () => {
    first = await keyRecordingEndpoint();
    second = await keyRecordingEndpoint();
    const dataDir = tempDataDir('serve-keys');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
    const created = await server.dispatch('courses.create', { intent: sampleIntent });
    courseId = (created as { value: { id: string } }).value.id;
  });
  afterAll(async () => {
    await server?.close();
    await first?.close();
    await second?.close();
  });

  const generate = () => server.dispatch('syllabus.generate', { courseId, runId: `run-${++run}`, maxRepairs: 0 });
  const settings = async () => ((await server.dispatch('settings.get', {})) as { value: Record<string, unknown> }).value;

  it('sends the key to the endpoint it was entered for', async () => {
    await server.dispatch('settings.update', { provider: 'openai', baseUrl: first.baseUrl });
    await server.dispatch('settings.setApiKey', { apiKey: 'sk-entered-for-first' });
    expect(await settings()).toMatchObject({ hasApiKey: true, apiKeyNeedsReentry: false });
    await generate();
    expect(first.seen).toContain('Bearer sk-entered-for-first');
  });

  it('refuses a key that is not text, naming the field, and keeps the stored one', async () => {
    const refused = await server.dispatch('settings.setApiKey', { apiKey: 42 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^apiKey: /) } });
    expect(await settings()).toMatchObject({ hasApiKey: true });
  });

  it('keeps it for another path on the same origin', async () => {
    await server.dispatch('settings.update', { baseUrl: `${first.baseUrl}/other` });
    expect(await settings()).toMatchObject({ hasApiKey: true, apiKeyNeedsReentry: false });
    await server.dispatch('settings.update', { baseUrl: first.baseUrl });
  });

  it('withholds it from a new origin until it is entered again', async () => {
    await server.dispatch('settings.update', { baseUrl: second.baseUrl });
    expect(await settings()).toMatchObject({ hasApiKey: false, apiKeyNeedsReentry: true });
    const refused = await generate();
    expect(refused).toMatchObject({ ok: false, error: { code: 'MISSING_API_KEY', message: expect.stringContaining('Enter the API key again in Settings') } });
    expect(second.seen).toEqual([]);

    await server.dispatch('settings.setApiKey', { apiKey: 'sk-entered-for-second' });
    expect(await settings()).toMatchObject({ hasApiKey: true, apiKeyNeedsReentry: false });
    await generate();
    expect(second.seen).toEqual(['Bearer sk-entered-for-second']);
  });

  it('a key given at start belongs to the endpoint in force then', async () => {
    const dataDir = tempDataDir('serve-env-key');
    const withEnvKey = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui'), apiKey: 'sk-from-env' });
    const current = async () => ((await withEnvKey.dispatch('settings.get', {})) as { value: unknown }).value;
    try {
      await withEnvKey.dispatch('settings.update', { provider: 'openai', model: 'another-model' });
      expect(await current()).toMatchObject({ hasApiKey: true, apiKeyNeedsReentry: false });
      await withEnvKey.dispatch('settings.update', { baseUrl: second.baseUrl });
      expect(await current()).toMatchObject({ hasApiKey: false, apiKeyNeedsReentry: true });
    } finally {
      await withEnvKey.close();
    }
  });
});

describe('the HTTP status of each error code', () => {
  it('is the one scripts rely on', () => {
    expect(httpStatusFor).toEqual({
      USAGE: 400,
      INVALID_INPUT: 400,
      MODEL_OUTPUT_INVALID: 422,
      NOT_FOUND: 404,
      CONFLICT: 409,
      MISSING_API_KEY: 400,
      MODEL_UNAVAILABLE: 502,
      CANCELLED: 409,
      STORAGE_LOCKED: 503,
      STORAGE_CORRUPT: 500,
      STORAGE_TOO_NEW: 500,
      SERVER_UNAVAILABLE: 502,
      UNAUTHORIZED: 400,
      INTERNAL: 500,
    });
  });
});
