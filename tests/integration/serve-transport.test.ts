import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStudioServer } from '../../cli/serve/server.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

/**
 * The served studio's transport, over real HTTP against a real served studio: the UI shell's
 * static files, Fastify's own refusals in the studio's envelope, downloads of exports, the event
 * stream, and the model key across an engine thread that stops.
 */

// Every engine thread the served studio starts, so a test can stop one the way a crash would.
const engineThreads = vi.hoisted(() => [] as Worker[]);
vi.mock('../../host/threads.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../host/threads.js')>();
  return {
    ...actual,
    startHostThread: (...args: Parameters<typeof actual.startHostThread>) => {
      const thread = actual.startHostThread(...args);
      engineThreads.push(thread);
      return thread;
    },
  };
});

type Served = Awaited<ReturnType<typeof startStudioServer>>;
type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request exactly as written (fetch would normalise paths), read to the end. */
function request(server: Served, method: string, rawPath: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port: server.port, method, path: rawPath, headers: { host: `127.0.0.1:${server.port}`, ...options.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const withToken = (server: Served) => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
const call = (server: Served, name: string, input: unknown) => request(server, 'POST', `/api/call/${name}`, { headers: withToken(server), body: JSON.stringify(input) });

/** An open event stream: its status, headers and everything received so far, until closed. */
function openEventStream(server: Served) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; received: () => string; until: (text: string) => Promise<void>; close: () => void }>((resolve, reject) => {
    const outgoing = http.get({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}`, headers: { host: `127.0.0.1:${server.port}` } }, (response) => {
      let received = '';
      const waiting: Array<{ text: string; done: () => void }> = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        for (const wait of waiting.filter((w) => received.includes(w.text))) {
          waiting.splice(waiting.indexOf(wait), 1);
          wait.done();
        }
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => received,
        until: (text) => (received.includes(text) ? Promise.resolve() : new Promise<void>((done) => waiting.push({ text, done }))),
        close: () => response.destroy(),
      });
    });
    outgoing.on('error', reject);
  });
}

/** How many times `part` occurs in `text`. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the UI shell: only the build, never a dotfile, never the /api/ namespace', () => {
  let server: Served;
  let rendererDir: string;

  beforeAll(async () => {
    rendererDir = tempDataDir('serve-transport-ui');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursewright</title>');
    fs.writeFileSync(path.join(rendererDir, '.env'), 'SECRET=1');
    fs.mkdirSync(path.join(rendererDir, 'assets'));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("studio")');
    fs.mkdirSync(path.join(rendererDir, 'api'));
    fs.writeFileSync(path.join(rendererDir, 'api', 'notes.txt'), 'not part of the API');
    fs.symlinkSync('looping-link', path.join(rendererDir, 'looping-link'));
    // Given relative to the working directory, as a person typing a path would.
    server = await startStudioServer({ dataDir: tempDataDir('serve-transport-ui-data'), rendererDir: path.relative(process.cwd(), rendererDir) });
  });
  afterAll(async () => server?.close());

  it('a renderer folder given as a relative path is served', async () => {
    const page = await request(server, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe('<!doctype html><title>Coursewright</title>');
    expect((await request(server, 'GET', '/assets/app.js')).body).toBe('console.log("studio")');
  });

  it('a dotfile is forbidden, in the envelope every answer uses', async () => {
    const dotfile = await request(server, 'GET', '/.env');
    expect(dotfile.status).toBe(403);
    expect(JSON.parse(dotfile.body)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'The request was refused: Forbidden' } });
  });

  it('a file the build holds under api/ is not served: that namespace belongs to the token routes', async () => {
    const shadow = await request(server, 'GET', '/api/notes.txt');
    expect(shadow.status).toBe(404);
    expect(JSON.parse(shadow.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No route GET /api/notes.txt.' } });
  });

  it('a file the server fails to read answers 500 in the envelope, without the failure text that names its path', async () => {
    const failed = await request(server, 'GET', '/looping-link');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'The studio server failed to answer this request; the operation may not have run. Try again.' },
    });
    expect(failed.body).not.toContain(rendererDir);
    expect((await request(server, 'GET', '/')).status).toBe(200);
  });
});

describe('refusals before routing, and bodies the router never parses', () => {
  let server: Served;
  beforeAll(async () => {
    const dataDir = tempDataDir('serve-transport-router');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
  });
  afterAll(async () => server?.close());

  it('an operation name longer than the router takes is refused with 414 in the envelope; one of 100 characters reaches the engine', async () => {
    const longest = 'x'.repeat(100);
    const reached = await call(server, longest, {});
    expect(reached.status).toBe(400);
    expect(JSON.parse(reached.body)).toEqual({ ok: false, error: { code: 'USAGE', message: `Unknown operation "${longest}".` } });

    const tooLong = `${longest}x`;
    const refused = await call(server, tooLong, {});
    expect(refused.status).toBe(414);
    expect(JSON.parse(refused.body)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: `The request was refused: '/api/call/${tooLong}' is exceeding the max param length` } });
  });

  it.each([
    ['a body over the limit', 413, { 'content-type': 'application/json' }, ' '.repeat(17 * 1024 * 1024), 'The request body is larger than the studio accepts (16 MB).'],
    ['a body that is not JSON', 415, { 'content-type': 'text/plain' }, '{}', 'Send the request body as JSON (Content-Type: application/json).'],
    ['an empty JSON body', 400, { 'content-type': 'application/json' }, '', 'The request body is empty; send a JSON object ({} when the operation takes no input).'],
    ['JSON that does not parse', 400, { 'content-type': 'application/json' }, '{"intent": ', 'The request body is not valid JSON.'],
  ] as const)('%s is answered %i, saying what to send instead', async (_what, status, headers, body, message) => {
    const answer = await request(server, 'POST', '/api/call/courses.list', { headers: { ...headers, authorization: `Bearer ${server.token}` }, body });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message } });
  });

  it('a call with no body is a call with no input', async () => {
    const noBody = await request(server, 'POST', '/api/call/courses.list', { headers: { authorization: `Bearer ${server.token}` } });
    expect(noBody.status).toBe(200);
    expect(JSON.parse(noBody.body)).toEqual({ ok: true, value: [] });
    // settings.setApiKey is checked before the engine: no body is a missing key, named as such.
    const noKey = await request(server, 'POST', '/api/call/settings.setApiKey', { headers: { authorization: `Bearer ${server.token}` } });
    expect(noKey.status).toBe(400);
    expect(JSON.parse(noKey.body)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'apiKey: Invalid input: expected string, received undefined' } });
  });

  it('a key refused for two reasons names both, separated', async () => {
    const refused = await call(server, 'settings.setApiKey', { apiKey: 42, remember: true });
    expect(refused.status).toBe(400);
    const message = (JSON.parse(refused.body) as { error: { message: string } }).error.message;
    expect(message.split('; ')).toEqual([expect.stringMatching(/^apiKey: /), expect.stringContaining('remember')]);
  });
});

describe('downloading an export: a file swapped after the check is never followed', () => {
  let server: Served;
  let dataDir: string;
  let exportsDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir('serve-transport-exports');
    exportsDir = path.join(dataDir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true });
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
    // The database exists once the engine has answered a call.
    await server.dispatch('courses.list', {});
  });
  afterAll(async () => server?.close());
  afterEach(() => vi.restoreAllMocks());

  const download = (fileName: string) => request(server, 'GET', `/api/exports/${encodeURIComponent(fileName)}`, { headers: { authorization: `Bearer ${server.token}` } });

  /** Replaces the export right after the server checked it, as another local process racing it would. */
  function swapAfterCheck(fileName: string, swap: (target: string) => void) {
    const lstat = fs.lstatSync;
    const spy = vi.spyOn(fs, 'lstatSync').mockImplementation(((target: fs.PathLike, options?: fs.StatSyncOptions) => {
      const checked = lstat(target, options);
      if (path.basename(String(target)) === fileName) {
        spy.mockRestore();
        swap(String(target));
      }
      return checked;
    }) as typeof fs.lstatSync);
  }

  it('a finished export downloads as an attachment under its own name', async () => {
    fs.writeFileSync(path.join(exportsDir, 'data visualisation-v1.pdf'), '%PDF-export');
    const answer = await download('data visualisation-v1.pdf');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('%PDF-export');
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['content-disposition']).toBe("attachment; filename*=UTF-8''data%20visualisation-v1.pdf");
  });

  it('an export replaced by a link to the database after the check: refused, the database is not sent', async () => {
    fs.writeFileSync(path.join(exportsDir, 'linked-v1.pdf'), '%PDF-export');
    swapAfterCheck('linked-v1.pdf', (target) => {
      fs.rmSync(target);
      fs.symlinkSync(path.join(dataDir, 'coursewright.db'), target);
    });
    const answer = await download('linked-v1.pdf');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(answer.body).not.toContain('SQLite format');
    expect(answer.body).not.toContain(dataDir);
  });

  it('an export replaced by a folder after the check: refused, naming the file', async () => {
    fs.writeFileSync(path.join(exportsDir, 'folder-v1.pdf'), '%PDF-export');
    swapAfterCheck('folder-v1.pdf', (target) => {
      fs.rmSync(target);
      fs.mkdirSync(target);
    });
    const answer = await download('folder-v1.pdf');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'folder-v1.pdf is not an exported file.' } });
  });
});

describe('the event stream', () => {
  let server: Served;
  beforeAll(async () => {
    const dataDir = tempDataDir('serve-transport-events');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui') });
  });
  afterAll(async () => server?.close());
  afterEach(() => vi.useRealTimers());

  it('opens at once as an uncached event stream, before any event happens', async () => {
    const stream = await openEventStream(server);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(stream.headers['cache-control']).toBe('no-store');
      expect(stream.headers.connection).toBe('keep-alive');
      await stream.until('\n\n');
      expect(stream.received()).toBe(': connected\n\n');
    } finally {
      stream.close();
    }
  });

  it('an idle stream gets a comment line every 15 seconds, so nothing between drops it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const stream = await openEventStream(server);
    try {
      await stream.until(': connected\n\n');
      vi.advanceTimersByTime(15_000);
      await stream.until(': heartbeat\n\n');
      vi.advanceTimersByTime(15_000);
      await vi.waitFor(() => expect(occurrences(stream.received(), ': heartbeat\n\n')).toBe(2));
      expect(stream.received()).toBe(': connected\n\n: heartbeat\n\n: heartbeat\n\n');
    } finally {
      stream.close();
    }
  });

  it('a tab that leaves stops its heartbeat; another tab still gets every event', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const leaving = await openEventStream(server);
    const staying = await openEventStream(server);
    try {
      await leaving.until(': connected\n\n');
      await staying.until(': connected\n\n');
      expect(vi.getTimerCount()).toBe(2);
      leaving.close();
      await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));

      const course = JSON.parse((await call(server, 'courses.create', { intent: sampleIntent })).body) as { value: { id: string } };
      const generated = await call(server, 'syllabus.generate', { courseId: course.value.id, runId: 'run-after-a-tab-left' });
      expect(generated.status).toBe(200);
      await staying.until('"stage":"done"');
      expect(staying.received()).toContain('"runId":"run-after-a-tab-left"');
    } finally {
      staying.close();
    }
  });
});

/** An OpenAI-compatible endpoint that refuses every key, recording which key each call carried. */
async function keyRecordingEndpoint() {
  const seen: string[] = [];
  const endpoint = http.createServer((incoming, response) => {
    seen.push(incoming.headers.authorization ?? '');
    incoming.resume();
    response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error' } }));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const { port } = endpoint.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((resolve) => endpoint.close(() => resolve())) };
}

describe('the model key: trimmed, a blank one is none, and it outlives an engine thread that stops', () => {
  let endpoint: Awaited<ReturnType<typeof keyRecordingEndpoint>>;
  /** A data folder whose settings point at the recording endpoint, with a course in it; each test works on a copy. */
  let prepared: string;
  let courseId: string;

  beforeAll(async () => {
    endpoint = await keyRecordingEndpoint();
    prepared = tempDataDir('serve-transport-keys');
    const setup = await startStudioServer({ dataDir: prepared, rendererDir: path.join(prepared, 'no-ui') });
    await setup.dispatch('settings.update', { provider: 'openai', baseUrl: endpoint.baseUrl });
    courseId = ((await setup.dispatch('courses.create', { intent: sampleIntent })) as { value: { id: string } }).value.id;
    await setup.close();
  });
  afterAll(async () => endpoint?.close());

  async function studioAt(apiKey?: string) {
    const dataDir = tempDataDir('serve-transport-keys-copy');
    fs.cpSync(prepared, dataDir, { recursive: true });
    const server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui'), ...(apiKey === undefined ? {} : { apiKey }) });
    let run = 0;
    return {
      server,
      hasApiKey: async () => (JSON.parse((await call(server, 'settings.get', {})).body) as { value: { hasApiKey: boolean } }).value.hasApiKey,
      generate: async () => JSON.parse((await call(server, 'syllabus.generate', { courseId, runId: `run-${++run}`, maxRepairs: 0 })).body) as { ok: boolean; error?: { code: string } },
      /** Stops the served studio's engine thread as a crash would; the next call gets a fresh one. */
      stopEngineThread: async () => {
        const thread = engineThreads.at(-1)!;
        await thread.terminate();
      },
    };
  }

  it('a key given at start is sent without the spaces around it', async () => {
    const studio = await studioAt('  sk-from-start  ');
    try {
      expect(await studio.hasApiKey()).toBe(true);
      endpoint.seen.length = 0;
      await studio.generate();
      expect(endpoint.seen).toContain('Bearer sk-from-start');
      expect(endpoint.seen.every((authorization) => authorization === 'Bearer sk-from-start')).toBe(true);
    } finally {
      await studio.server.close();
    }
  });

  it('a blank key given at start is no key: generation asks for one and nothing is sent', async () => {
    const studio = await studioAt('   ');
    try {
      expect(await studio.hasApiKey()).toBe(false);
      endpoint.seen.length = 0;
      expect(await studio.generate()).toMatchObject({ ok: false, error: { code: 'MISSING_API_KEY' } });
      expect(endpoint.seen).toEqual([]);
    } finally {
      await studio.server.close();
    }
  });

  it('a key entered in the studio, trimmed, is still used after the engine thread stops and restarts', async () => {
    const studio = await studioAt();
    try {
      expect((await call(studio.server, 'settings.setApiKey', { apiKey: '  sk-entered  ' })).status).toBe(200);
      await studio.stopEngineThread();
      expect(await studio.hasApiKey()).toBe(true);
      endpoint.seen.length = 0;
      await studio.generate();
      expect(endpoint.seen).toContain('Bearer sk-entered');
      expect(endpoint.seen.every((authorization) => authorization === 'Bearer sk-entered')).toBe(true);
    } finally {
      await studio.server.close();
    }
  });

  it('a key cleared by entering a blank one stays cleared after the engine thread restarts', async () => {
    const studio = await studioAt('sk-from-start');
    try {
      expect((await call(studio.server, 'settings.setApiKey', { apiKey: '   ' })).status).toBe(200);
      expect(await studio.hasApiKey()).toBe(false);
      await studio.stopEngineThread();
      expect(await studio.hasApiKey()).toBe(false);
      endpoint.seen.length = 0;
      expect(await studio.generate()).toMatchObject({ ok: false, error: { code: 'MISSING_API_KEY' } });
      expect(endpoint.seen).toEqual([]);
    } finally {
      await studio.server.close();
    }
  });

  it('the hosted server\'s author key, trimmed, is still held after the engine thread restarts; one refused is not kept; a cleared one stays cleared', async () => {
    const studio = await studioAt();
    const serverSettings = async () => (JSON.parse((await call(studio.server, 'sync.settings', {})).body) as { value: { hasKey: boolean } }).value;
    try {
      // No server set yet: the key is refused and must not be remembered for a later engine thread.
      expect(JSON.parse((await call(studio.server, 'sync.setServerKey', { serverKey: 'cwk_refused_before_a_server_0123456789' })).body)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      expect((await call(studio.server, 'sync.updateServer', { serverUrl: 'http://127.0.0.1:9' })).status).toBe(200);
      await studio.stopEngineThread();
      expect(await serverSettings()).toMatchObject({ hasKey: false });

      expect(JSON.parse((await call(studio.server, 'sync.setServerKey', { serverKey: '  cwk_kept_across_restarts_0123456789  ' })).body)).toMatchObject({ ok: true, value: { hasKey: true } });
      await studio.stopEngineThread();
      expect(await serverSettings()).toMatchObject({ hasKey: true });

      expect(JSON.parse((await call(studio.server, 'sync.setServerKey', { serverKey: '   ' })).body)).toMatchObject({ ok: true, value: { hasKey: false } });
      await studio.stopEngineThread();
      expect(await serverSettings()).toMatchObject({ hasKey: false });
    } finally {
      await studio.server.close();
    }
  });
});

describe('where the served studio listens, and its page when the UI is not built', () => {
  let server: Served;
  let askedPort: number;
  beforeAll(async () => {
    askedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const dataDir = tempDataDir('serve-transport-listen');
    server = await startStudioServer({ dataDir, rendererDir: path.join(dataDir, 'no-ui'), port: askedPort });
  });
  afterAll(async () => server?.close());

  it('listens on the port asked for, on the loopback address only', async () => {
    expect(server.port).toBe(askedPort);
    expect(server.url).toBe(`http://127.0.0.1:${askedPort}/`);
    // Another address of this machine must not reach the studio: it holds an unlocked model key.
    const otherAddress = Object.values(os.networkInterfaces()).flat().find((nic) => nic && nic.family === 'IPv4' && !nic.internal)?.address;
    if (otherAddress) {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: otherAddress, port: askedPort }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });

  it('without a UI build, / says how to build it, as HTML, without the token', async () => {
    const page = await request(server, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('The studio UI is not built. Run <code>npm run build:renderer</code>');
  });
});
