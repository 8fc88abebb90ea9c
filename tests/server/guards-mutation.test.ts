import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { actorOf, defineRoute, registerRoute } from '../../server/http/routes.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { asCourse, asLearner, publishLive, signUpLearner } from './support/learning.js';

/**
 * The hosted server's guards from both sides: who a credential makes you (and who it must not),
 * which role a route lets in (and which it refuses), how a route's input is refused, and that a
 * learner of one tenant never reaches another tenant's course. The probe routes below are
 * registered through the same registerRoute the real routes use, so they pass the real access hook.
 */
const whoAmI = z.object({ actor: z.string(), tenantId: z.string(), via: z.string() });
const probeRoutes = [
  defineRoute({ method: 'GET', url: '/api/probe/analyst', access: 'analyst', summary: 'Analysts only', tag: 'probe', success: { status: 200, schema: whoAmI }, handler: ({ principal }) => ({ actor: actorOf(principal), tenantId: principal.tenantId, via: principal.via }) }),
  defineRoute({ method: 'GET', url: '/api/probe/learner', access: 'learner', summary: 'Learners only', tag: 'probe', success: { status: 200, schema: whoAmI }, handler: ({ principal }) => ({ actor: actorOf(principal), tenantId: principal.tenantId, via: principal.via }) }),
  defineRoute({ method: 'POST', url: '/api/probe/learner-write', access: 'learner', summary: 'A learner write', tag: 'probe', success: { status: 200, schema: whoAmI }, handler: ({ principal }) => ({ actor: actorOf(principal), tenantId: principal.tenantId, via: principal.via }) }),
  defineRoute({
    method: 'POST',
    url: '/api/probe/notes/:noteId',
    access: ['author', 'admin'],
    summary: 'Store a note',
    tag: 'probe',
    params: z.object({ noteId: z.string().regex(/^n\d+$/) }),
    query: z.object({ mode: z.enum(['draft', 'final']).optional() }),
    body: z.object({ text: z.string().min(1) }),
    success: { status: 201, schema: z.object({ noteId: z.string(), text: z.string(), mode: z.string() }) },
    handler: ({ params, query, body, setStatus }) => {
      if (body.text === 'again') setStatus(200);
      return { noteId: params.noteId, text: body.text, mode: query.mode ?? 'none' };
    },
  }),
  defineRoute({ method: 'DELETE', url: '/api/probe/notes/:noteId', access: 'author', summary: 'Forget a note', tag: 'probe', params: z.object({ noteId: z.string() }), success: { status: 204, schema: z.null() }, handler: () => ({ forgotten: true }) as never }),
  defineRoute({
    method: 'PUT',
    url: '/api/probe/raw/:noteId',
    access: 'author',
    summary: 'Answered from the bytes when they carry no text',
    tag: 'probe',
    params: z.object({ noteId: z.string().regex(/^n\d+$/) }),
    body: z.object({ text: z.string() }),
    bodyLimit: 256,
    success: { status: 201, schema: z.object({ answeredBy: z.string(), noteId: z.string() }) },
    answerFromRawBody: async ({ params, raw }) => (raw.toString('utf8').includes('"text"') ? undefined : { status: 200, body: { answeredBy: 'bytes', noteId: params.noteId } }),
    handler: ({ params }) => ({ answeredBy: 'handler', noteId: params.noteId }),
  }),
];

const pkg = samplePackage();

describeOnBothDatabases('guards from both sides: credentials, roles, input and tenants', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let learnerA: { token: string; userId: string };
  let learnerB: { token: string; userId: string };
  const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    for (const route of probeRoutes) registerRoute(server.app, route);
    a = await server.tenantWithKeys('Guard Academy A');
    b = await server.tenantWithKeys('Guard Academy B');
    await publishLive(server, a.keys.author, pkg);
    learnerA = await signUpLearner(server, a.id, 'ana@a.example');
    learnerB = await signUpLearner(server, b.id, 'bo@b.example');
  }, 300_000);
  afterAll(() => server?.app.close());

  it('an API key as a bearer header makes you that key of its tenant, whatever the case of "Bearer" and the spaces around the key', async () => {
    for (const authorization of [`Bearer ${a.keys.analyst}`, `bearer ${a.keys.analyst}`, `BEARER   ${a.keys.analyst}  `, `Bearer\t${a.keys.analyst}`]) {
      const response = await get('/api/probe/analyst', { authorization });
      expect(response.statusCode, authorization).toBe(200);
      expect(response.json()).toEqual({ actor: `key:${a.keyIds.analyst}`, tenantId: a.id, via: 'bearer' });
    }
  });

  it('a header that is not exactly "Bearer <one credential>" authenticates nobody', async () => {
    for (const authorization of [`Basic ${a.keys.analyst}`, `XBearer ${a.keys.analyst}`, `Bearer ${a.keys.analyst} ${a.keys.analyst}`, `Bearer${a.keys.analyst}`, 'Bearer', a.keys.analyst]) {
      const response = await get('/api/probe/analyst', { authorization });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('a wrong key or token of the right length and prefix, or a credential of no known kind, is refused; no credential at all is refused', async () => {
    const forged = `cwk_${'A'.repeat(43)}`;
    const forgedSession = `cws_${'A'.repeat(43)}`;
    expect(a.keys.analyst.length).toBe(forged.length);
    for (const headers of <Record<string, string>[]>[bearer(forged), bearer(forgedSession), bearer(`xyz_${a.keys.analyst.slice(4)}`), { cookie: `cw_session=${forgedSession}` }, { cookie: `cw_session=plain-${learnerA.token}` }, {}]) {
      expect((await get('/api/probe/analyst', headers)).statusCode, JSON.stringify(headers)).toBe(401);
      expect((await get('/api/probe/learner', headers)).statusCode, JSON.stringify(headers)).toBe(401);
    }
  });

  it('a learner session works as a bearer header and as the cookie, and says which it came by', async () => {
    expect((await get('/api/probe/learner', bearer(learnerA.token))).json()).toEqual({ actor: `user:${learnerA.userId}`, tenantId: a.id, via: 'bearer' });
    expect((await get('/api/probe/learner', { cookie: `cw_session=${learnerA.token}` })).json()).toEqual({ actor: `user:${learnerA.userId}`, tenantId: a.id, via: 'cookie' });
  });

  it('an API key is never taken from the cookie; a bearer credential wins over the cookie', async () => {
    expect((await get('/api/probe/analyst', { cookie: `cw_session=${a.keys.analyst}` })).statusCode).toBe(401);
    // Key as bearer, a learner's cookie alongside: the request is the key's.
    expect((await get('/api/probe/analyst', { ...bearer(a.keys.analyst), cookie: `cw_session=${learnerA.token}` })).json()).toEqual({ actor: `key:${a.keyIds.analyst}`, tenantId: a.id, via: 'bearer' });
    // Learner B's session as bearer, learner A's as cookie: the request is B's.
    expect((await get('/api/probe/learner', { ...bearer(learnerB.token), cookie: `cw_session=${learnerA.token}` })).json()).toEqual({ actor: `user:${learnerB.userId}`, tenantId: b.id, via: 'bearer' });
  });

  it('a cross-site write is refused with the cookie and allowed with the same session as a bearer header', async () => {
    const crossSite = { origin: 'https://evil.example' };
    expect((await server.app.inject({ method: 'POST', url: '/api/probe/learner-write', headers: { cookie: `cw_session=${learnerA.token}`, ...crossSite } })).statusCode).toBe(403);
    const withBearer = await server.app.inject({ method: 'POST', url: '/api/probe/learner-write', headers: { ...bearer(learnerA.token), ...crossSite } });
    expect(withBearer.statusCode).toBe(200);
    expect(withBearer.json().via).toBe('bearer');
  });

  it('an expired session is refused; a live one of the same learner still works', async () => {
    const second = await signUpLearner(server, a.id, 'cy@a.example');
    const later = (await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { tenant: a.id, email: 'cy@a.example', password: 'a long enough password' } })).json().token as string;
    await server.database.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", [second.token]);
    expect((await get('/api/probe/learner', bearer(second.token))).statusCode).toBe(401);
    expect((await get('/api/probe/learner', { cookie: `cw_session=${second.token}` })).statusCode).toBe(401);
    expect((await get('/api/probe/learner', bearer(later))).json()).toEqual({ actor: `user:${second.userId}`, tenantId: a.id, via: 'bearer' });
  });

  it('a revoked key is refused at once; the same tenant\'s other keys still work', async () => {
    const { createApiKey, revokeApiKey } = await import('../../server/store/admin-store.js');
    const extra = await createApiKey(server.database.db, a.id, 'analyst', 'cli:test');
    expect((await get('/api/probe/analyst', bearer(extra.key))).statusCode).toBe(200);
    await revokeApiKey(server.database.db, extra.id, 'cli:test');
    expect((await get('/api/probe/analyst', bearer(extra.key))).statusCode).toBe(401);
    expect((await get('/api/probe/analyst', bearer(a.keys.analyst))).statusCode).toBe(200);
  });

  it('a route for one role lets that role in and refuses every other with 403', async () => {
    expect((await get('/api/probe/analyst', bearer(a.keys.analyst))).statusCode).toBe(200);
    for (const token of [a.keys.author, a.keys.admin, learnerA.token]) {
      const refused = await get('/api/probe/analyst', bearer(token));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
    }
    expect((await get('/api/probe/learner', bearer(learnerA.token))).statusCode).toBe(200);
    for (const token of [a.keys.author, a.keys.admin, a.keys.analyst]) expect((await get('/api/probe/learner', bearer(token))).statusCode).toBe(403);
  });

  it('a route for several roles lets each of them in and refuses the others', async () => {
    const note = (token: string) => server.app.inject({ method: 'POST', url: '/api/probe/notes/n1?mode=draft', headers: bearer(token), payload: { text: 'hello' } });
    for (const token of [a.keys.author, a.keys.admin]) {
      const stored = await note(token);
      expect(stored.statusCode).toBe(201);
      expect(stored.json()).toEqual({ noteId: 'n1', text: 'hello', mode: 'draft' });
    }
    for (const token of [a.keys.analyst, learnerA.token]) expect((await note(token)).statusCode).toBe(403);
  });

  it('a handler may answer with another success status; a 204 answers with no body', async () => {
    const again = await server.app.inject({ method: 'POST', url: '/api/probe/notes/n1', headers: bearer(a.keys.author), payload: { text: 'again' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ noteId: 'n1', text: 'again', mode: 'none' });
    const forgotten = await server.app.inject({ method: 'DELETE', url: '/api/probe/notes/n1', headers: bearer(a.keys.author) });
    expect(forgotten.statusCode).toBe(204);
    expect(forgotten.body).toBe('');
  });

  it('invalid input is refused with 400 naming each part and field; a missing body is judged as an empty object', async () => {
    const post = (url: string, payload?: object) => server.app.inject({ method: 'POST', url, headers: bearer(a.keys.author), ...(payload ? { payload } : {}) });
    const cases = [
      { url: '/api/probe/notes/x1', payload: { text: 'hello' }, part: 'path', path: 'path.noteId' },
      { url: '/api/probe/notes/n1?mode=other', payload: { text: 'hello' }, part: 'query', path: 'query.mode' },
      { url: '/api/probe/notes/n1', payload: { text: '' }, part: 'body', path: 'body.text' },
      { url: '/api/probe/notes/n1', payload: undefined, part: 'body', path: 'body.text' },
    ];
    for (const { url, payload, part, path } of cases) {
      const refused = await post(url, payload);
      expect(refused.statusCode, url).toBe(400);
      const { error } = refused.json();
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.details).toEqual([{ path, message: expect.any(String) }]);
      expect(error.message).toBe(`The request's ${part} is not valid: ${path}: ${error.details[0].message}.`);
    }
    // Two faults in one part are both named, separated by "; ".
    const two = await server.app.inject({ method: 'POST', url: '/api/probe/notes/n1', headers: bearer(a.keys.author), payload: { text: 5, extra: 1 } });
    expect(two.statusCode).toBe(400);
    expect(two.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.text']);
  });

  it('a route that answers from the raw body does so only after the access rule, with valid path parameters and a non-empty body', async () => {
    const put = (url: string, token: string, payload: string) => server.app.inject({ method: 'PUT', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload });
    expect((await put('/api/probe/raw/n7', a.keys.author, '{"other":1}')).json()).toEqual({ answeredBy: 'bytes', noteId: 'n7' });
    expect((await put('/api/probe/raw/n7', a.keys.author, '{"other":1}')).statusCode).toBe(200);
    const handled = await put('/api/probe/raw/n7', a.keys.author, '{"text":"x"}');
    expect(handled.statusCode).toBe(201);
    expect(handled.json()).toEqual({ answeredBy: 'handler', noteId: 'n7' });
    // Refused before any byte is looked at: wrong role, no credential.
    expect((await put('/api/probe/raw/n7', a.keys.analyst, '{"other":1}')).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'PUT', url: '/api/probe/raw/n7', headers: { 'content-type': 'application/json' }, payload: '{"other":1}' })).statusCode).toBe(401);
    // Invalid path parameters, an empty body, bytes that are not JSON: never answered from the bytes.
    expect((await put('/api/probe/raw/x7', a.keys.author, '{"other":1}')).statusCode).toBe(400);
    expect((await put('/api/probe/raw/n7', a.keys.author, '')).statusCode).toBe(400);
    expect((await put('/api/probe/raw/n7', a.keys.author, '{"text":')).statusCode).toBe(400);
    // Other routes keep the default JSON parser: prototype poisoning is refused there too.
    expect((await put('/api/probe/raw/n7', a.keys.author, '{"text":"x","__proto__":{"polluted":true}}')).statusCode).toBe(400);
    // The route's body limit holds for bytes it could answer from and for bytes it could not.
    expect((await put('/api/probe/raw/n7', a.keys.author, JSON.stringify({ other: 'x'.repeat(300) }))).statusCode).toBe(413);
    expect((await put('/api/probe/raw/n7', a.keys.author, JSON.stringify({ text: 'x'.repeat(300) }))).statusCode).toBe(413);
  });

  it("a learner of tenant B gets 404 for tenant A's live course; A's own learner finds it and must enrol before its lessons", async () => {
    const fromB = asLearner(server, learnerB.token);
    for (const url of [`/api/learn/courses/${pkg.document.course.id}`, `/api/learn/courses/${pkg.document.course.id}/lessons/0`]) {
      const refused = await fromB.get(url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().error).toEqual({ code: 'NOT_FOUND', message: `Course "${pkg.document.course.id}" was not found.` });
    }
    expect((await fromB.post('/api/learn/enroll', { courseId: pkg.document.course.id })).statusCode).toBe(404);

    const fromA = asLearner(server, learnerA.token);
    for (const url of [`/api/learn/courses/${pkg.document.course.id}`, `/api/learn/courses/${pkg.document.course.id}/lessons/0`]) {
      const notYet = await fromA.get(url);
      expect(notYet.statusCode, url).toBe(403);
      expect(notYet.json().error.message).toBe(`Enrol in course "${pkg.document.course.id}" first (POST /api/learn/enroll with its courseId).`);
    }
    expect((await fromA.post('/api/learn/enroll', { courseId: pkg.document.course.id })).statusCode).toBe(201);
    expect((await fromA.get(`/api/learn/courses/${pkg.document.course.id}`)).statusCode).toBe(200);
    expect((await fromA.get(`/api/learn/courses/${pkg.document.course.id}/lessons/0`)).statusCode).toBe(200);
    // Still nothing for B after A's learner enrolled.
    expect((await fromB.get(`/api/learn/courses/${pkg.document.course.id}/lessons/0`)).statusCode).toBe(404);
  });

  it('a paid course of the tenant answers 402 naming its product; a free one enrols at once', async () => {
    const paid = await asCourse(pkg, 'course-paid', 'A paid course');
    await publishLive(server, a.keys.author, paid);
    const product = await server.app.inject({ method: 'POST', url: '/api/admin/products', headers: bearer(a.keys.admin), payload: { courseId: 'course-paid', priceCents: 4900, currency: 'eur', active: true } });
    expect(product.statusCode).toBe(201);
    const buyer = await signUpLearner(server, a.id, 'dee@a.example');
    const refused = await asLearner(server, buyer.token).post('/api/learn/enroll', { courseId: 'course-paid' });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.code).toBe('PAYMENT_REQUIRED');
    expect(refused.json().error.details.product).toMatchObject({ productId: product.json().productId, priceCents: 4900 });
    expect((await asLearner(server, buyer.token).post('/api/learn/enroll', { courseId: pkg.document.course.id })).statusCode).toBe(201);
  });
});
