import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../server/http/errors.js';
import { defineRoute, registerRoute, type Principal } from '../../server/http/routes.js';

/**
 * How a route definition becomes a Fastify route: its input checked part by part, its success
 * status, and a raw-body answer that never bypasses validation. A bare Fastify instance (no
 * database): who is calling is set from a test header, as the server's access hook would set it.
 */
const author: Principal = { role: 'author', tenantId: 'ten_a', keyId: 'key_a', via: 'bearer' };

describe('routes registered from their definitions', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      request.principal = request.headers['x-test-caller'] === 'author' ? author : null;
    });
    // What the server's access hook reads: the route's access rule and its other config, as Fastify stored them.
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-route-config', JSON.stringify(request.routeOptions.config));
    });
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
      if (error instanceof ApiError) return reply.code(error.status).send({ error: { code: error.code, message: error.message, details: error.details } });
      return reply.code(error.statusCode ?? 500).send({ error: { code: error.code ?? 'INTERNAL', message: error.message } });
    });
    registerRoute(
      app,
      defineRoute({
        method: 'POST',
        url: '/notes/:noteId',
        access: 'author',
        summary: 'Store a note',
        tag: 'test',
        params: z.object({ noteId: z.string().regex(/^n\d+$/) }),
        query: z.object({ mode: z.enum(['draft', 'final']).optional() }),
        body: z.object({ text: z.string().min(1), tags: z.array(z.string()).optional() }),
        success: { status: 201, schema: z.object({ noteId: z.string(), text: z.string(), mode: z.string() }) },
        handler: ({ params, query, body, setStatus }) => {
          if (body.text === 'again') setStatus(200);
          return { noteId: params.noteId, text: body.text, mode: query.mode ?? 'none' };
        },
      }),
    );
    registerRoute(app, defineRoute({ method: 'POST', url: '/plain', access: 'author', summary: 'No input', tag: 'test', success: { status: 200, schema: z.object({ params: z.unknown(), query: z.unknown(), body: z.unknown() }) }, handler: ({ params, query, body }) => ({ params: params ?? 'none', query: query ?? 'none', body: body ?? 'none' }) }));
    registerRoute(app, defineRoute({ method: 'POST', url: '/small', access: ['author', 'admin'], summary: 'A small body', tag: 'test', config: { rateLimit: { max: 100 } }, bodyLimit: 64, body: z.object({ text: z.string() }), success: { status: 200, schema: z.object({ length: z.number() }) }, handler: ({ body }) => ({ length: body.text.length }) }));
    registerRoute(app, defineRoute({ method: 'DELETE', url: '/notes/:noteId', access: 'author', summary: 'Forget', tag: 'test', success: { status: 204, schema: z.null() }, handler: () => ({ forgotten: true }) as never }));
    registerRoute(
      app,
      defineRoute({
        method: 'PUT',
        url: '/raw/:noteId',
        access: 'author',
        summary: 'Answered from bytes without "text"',
        tag: 'test',
        params: z.object({ noteId: z.string().regex(/^n\d+$/) }),
        body: z.object({ text: z.string() }),
        bodyLimit: 256,
        success: { status: 201, schema: z.object({ answeredBy: z.string(), noteId: z.string(), caller: z.string() }) },
        answerFromRawBody: async ({ params, principal, raw }) => (raw.toString('utf8').includes('"text"') ? undefined : { status: 200, body: { answeredBy: 'bytes', noteId: params.noteId, caller: principal?.role ?? 'nobody' } }),
        handler: ({ params, principal }) => ({ answeredBy: 'handler', noteId: params.noteId, caller: principal.role }),
      }),
    );
    registerRoute(
      app,
      defineRoute({
        method: 'PUT',
        url: '/raw-anywhere',
        access: 'author',
        summary: 'No path parameters: answered from bytes without "text"',
        tag: 'test',
        body: z.object({ text: z.string() }),
        success: { status: 201, schema: z.object({ answeredBy: z.string() }) },
        answerFromRawBody: async ({ raw }) => (raw.toString('utf8').includes('"text"') ? undefined : { status: 200, body: { answeredBy: 'bytes' } }),
        handler: () => ({ answeredBy: 'handler' }),
      }),
    );
    await app.ready();
  });
  afterAll(() => app?.close());

  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: string | object) =>
    app.inject({ method, url, headers: { 'x-test-caller': 'author', ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}) }, ...(payload === undefined ? {} : { payload }) });

  it('valid input reaches the handler parsed; its answer goes out with the route\'s success status', async () => {
    const stored = await send('POST', '/notes/n1?mode=draft', { text: 'hello' });
    expect(stored.statusCode).toBe(201);
    expect(stored.json()).toEqual({ noteId: 'n1', text: 'hello', mode: 'draft' });
  });

  it('a handler may choose another success status; a 204 answers with an empty body', async () => {
    const again = await send('POST', '/notes/n1', { text: 'again' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ noteId: 'n1', text: 'again', mode: 'none' });
    const forgotten = await send('DELETE', '/notes/n1');
    expect(forgotten.statusCode).toBe(204);
    expect(forgotten.body).toBe('');
  });

  it('a route without schemas hands its handler no params, query or body', async () => {
    const plain = await send('POST', '/plain?x=1', { y: 2 });
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({ params: 'none', query: 'none', body: 'none' });
  });

  it.each([
    ['/notes/x1', { text: 'hello' }, 'path', 'path.noteId'],
    ['/notes/n1?mode=other', { text: 'hello' }, 'query', 'query.mode'],
    ['/notes/n1', { text: '' }, 'body', 'body.text'],
    ['/notes/n1', undefined, 'body', 'body.text'],
    ['/notes/n1', { text: 'hello', tags: ['ok', 7] }, 'body', 'body.tags.1'],
  ])('%s with %j is refused with 400 naming the %s field %s', async (url, payload, part, path) => {
    const refused = await send('POST', url, payload);
    expect(refused.statusCode).toBe(400);
    const { error } = refused.json();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toEqual([{ path, message: expect.stringMatching(/\S/) }]);
    expect(error.message).toBe(`The request's ${part} is not valid: ${path}: ${error.details[0].message}.`);
  });

  it('every fault of a part is named, separated by "; "', async () => {
    const refused = await send('POST', '/notes/n1', { text: '', tags: 'none' });
    const { error } = refused.json();
    expect(error.details.map((detail: { path: string }) => detail.path)).toEqual(['body.text', 'body.tags']);
    expect(error.message).toBe(`The request's body is not valid: body.text: ${error.details[0].message}; body.tags: ${error.details[1].message}.`);
  });

  it('a raw-body route answers from the bytes when it can, with the caller known, and leaves the rest to its handler', async () => {
    const answered = await send('PUT', '/raw/n7', '{"other":1}');
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toEqual({ answeredBy: 'bytes', noteId: 'n7', caller: 'author' });
    const handled = await send('PUT', '/raw/n7', '{"text":"x"}');
    expect(handled.statusCode).toBe(201);
    expect(handled.json()).toEqual({ answeredBy: 'handler', noteId: 'n7', caller: 'author' });
    const anywhere = await send('PUT', '/raw-anywhere', '{"other":1}');
    expect([anywhere.statusCode, anywhere.json()]).toEqual([200, { answeredBy: 'bytes' }]);
    expect((await send('PUT', '/raw-anywhere', '{"text":"x"}')).json()).toEqual({ answeredBy: 'handler' });
  });

  it('a raw-body route never answers for invalid path parameters or an empty body, and parses the rest as the default JSON parser does', async () => {
    expect((await send('PUT', '/raw/x7', '{"other":1}')).statusCode).toBe(400);
    expect((await send('PUT', '/raw/n7', '')).statusCode).toBe(400);
    expect((await send('PUT', '/raw/n7', '{"text":')).statusCode).toBe(400);
    expect((await send('PUT', '/raw/n7', '{"text":"x","__proto__":{"polluted":true}}')).statusCode).toBe(400);
    expect((await send('PUT', '/raw/n7', '{"text":"x","constructor":{"prototype":{"polluted":true}}}')).statusCode).toBe(400);
  });

  it("the route's body limit holds for bytes it could answer from and for bytes it could not; other routes keep theirs", async () => {
    expect((await send('PUT', '/raw/n7', JSON.stringify({ other: 'x'.repeat(300) }))).statusCode).toBe(413);
    expect((await send('PUT', '/raw/n7', JSON.stringify({ text: 'x'.repeat(300) }))).statusCode).toBe(413);
    expect((await send('PUT', '/raw/n7', JSON.stringify({ text: 'x'.repeat(200) }))).statusCode).toBe(201);
    expect((await send('POST', '/notes/n1', { text: 'x'.repeat(300) })).statusCode).toBe(201);
    expect((await send('PUT', '/raw-anywhere', JSON.stringify({ text: 'x'.repeat(300) }))).statusCode).toBe(201);
  });

  it("a route carries its access rule and its own config to the access hook, and its body limit without a raw-body answer too", async () => {
    expect(JSON.parse(String((await send('POST', '/notes/n1', { text: 'hello' })).headers['x-route-config']))).toEqual({ method: 'POST', url: '/notes/:noteId', serverAccess: 'author' });
    const small = await send('POST', '/small', { text: 'short' });
    expect([small.statusCode, small.json()]).toEqual([200, { length: 5 }]);
    expect(JSON.parse(String(small.headers['x-route-config']))).toEqual({ method: 'POST', url: '/small', rateLimit: { max: 100 }, serverAccess: ['author', 'admin'] });
    expect((await send('POST', '/small', { text: 'x'.repeat(100) })).statusCode).toBe(413);
  });
});
