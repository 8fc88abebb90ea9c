import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { courseDayJob } from '../../server/analytics/jobs.js';
import { ApiError } from '../../server/http/errors.js';
import { actorOf, allows, defineRoute, isAccess, openApiDocument, type Principal } from '../../server/http/routes.js';
import { accessOf, learnerOf, type CourseProduct } from '../../server/store/learning-store.js';

const learner: Principal = { role: 'learner', tenantId: 'ten_a', userId: 'usr_1', sessionId: 'ses_1', via: 'cookie' };
const analystKey: Principal = { role: 'analyst', tenantId: 'ten_a', keyId: 'key_9', via: 'bearer' };

describe('access rules of the hosted server routes', () => {
  it.each([
    ['public', true],
    ['learner', true],
    ['admin', true],
    ['author', true],
    ['analyst', true],
    [['author', 'admin'], true],
    [['learner'], true],
    ['everyone', false],
    ['', false],
    ['Admin', false],
    [[], false],
    [['author', 'owner'], false],
    [['public'], false],
    [undefined, false],
    [null, false],
    [{ role: 'admin' }, false],
  ] as const)('a route whose access is %j is %s', (access, valid) => {
    expect(isAccess(access)).toBe(valid);
  });

  it.each([
    ['analyst', 'analyst', true],
    ['analyst', 'author', false],
    ['learner', 'learner', true],
    ['learner', 'admin', false],
    [['author', 'admin'], 'admin', true],
    [['author', 'admin'], 'author', true],
    [['author', 'admin'], 'analyst', false],
    [['author', 'admin'], 'learner', false],
  ] as const)('access %j lets a %s in: %s', (access, role, allowed) => {
    expect(allows(access, role)).toBe(allowed);
  });

  it('the audit names the learner for a session and the key for an API key', () => {
    expect(actorOf(learner)).toBe('user:usr_1');
    expect(actorOf(analystKey)).toBe('key:key_9');
  });

  it('learner routes take a session and refuse an API key, saying why', () => {
    expect(learnerOf(learner)).toBe(learner);
    expect(() => learnerOf(analystKey)).toThrow(ApiError);
    try {
      learnerOf(analystKey);
    } catch (error) {
      expect((error as ApiError).code).toBe('FORBIDDEN');
      expect((error as ApiError).message).toBe('This is for signed-in learners; API keys cannot act as one.');
    }
  });
});

describe('who may enrol in a course', () => {
  const product = (priceCents: number, active: boolean): CourseProduct => ({ productId: 'prd_1', priceCents, currency: 'eur', active });
  it.each([
    ['no product', null, false, false, 'free'],
    ['an active product at price 0', product(0, true), false, false, 'free'],
    ['an inactive product at price 0', product(0, false), false, false, 'not_for_sale'],
    ['an active paid product', product(4900, true), false, false, 'for_sale'],
    ['an inactive paid product', product(4900, false), false, false, 'not_for_sale'],
    ['an inactive paid product the learner owns', product(4900, false), true, false, 'owned'],
    ['an active paid product the learner owns', product(4900, true), true, false, 'owned'],
    ['a paid product the learner is enrolled in', product(4900, true), true, true, 'enrolled'],
    ['a free course the learner is enrolled in', null, false, true, 'enrolled'],
  ] as const)('%s: %s', (_name, course, owned, enrolled, expected) => {
    expect(accessOf(course, owned, enrolled)).toBe(expected);
  });
});

describe('one aggregation job per tenant, course and day', () => {
  it('is a singleton for twelve hours, keyed by tenant, course and day', () => {
    expect(courseDayJob({ tenantId: 'ten_a', courseId: 'course-x', day: '2026-03-01' })).toEqual({
      data: { tenantId: 'ten_a', courseId: 'course-x', day: '2026-03-01' },
      options: { singletonKey: 'analytics/ten_a/course-x/2026-03-01', singletonSeconds: 43_200 },
    });
  });
});

describe('the OpenAPI document of the hosted server', () => {
  // Built inside each test (not when the file is collected), so a document that cannot be built fails a test.
  const routes = () => [
    defineRoute({ method: 'GET', url: '/healthz', access: 'public', summary: 'Health', tag: 'ops', success: { status: 200, schema: z.object({ status: z.string() }) }, handler: () => ({ status: 'ok' }) }),
    defineRoute({
      method: 'PUT',
      url: '/api/courses/:courseId/notes/:noteId',
      access: ['author', 'admin'],
      summary: 'Store a note',
      tag: 'notes',
      params: z.object({ courseId: z.string(), noteId: z.string() }),
      query: z.object({ draft: z.string(), lang: z.string().optional() }),
      // A default makes a field optional for the caller (the input side is what clients send); a date has no JSON Schema and is described as anything.
      body: z.object({ text: z.string(), format: z.string().default('plain'), sentAt: z.date().optional() }),
      success: { status: 201, schema: z.object({ id: z.string() }) },
      alsoSucceedsWith: { status: 200, description: 'The same note again' },
      errors: ['CONFLICT', 'HASH_MISMATCH', 'UNPROCESSABLE'],
      handler: () => ({ id: 'n1' }),
    }),
    // A path parameter is required even when its schema says optional: a path has no gaps.
    defineRoute({ method: 'DELETE', url: '/api/notes/:noteId', access: 'analyst', summary: 'Forget a note', tag: 'notes', params: z.object({ noteId: z.string().optional() }), success: { status: 204, schema: z.undefined() }, handler: () => undefined }),
    defineRoute({ method: 'GET', url: '/api/notes/:noteId', access: 'analyst', summary: 'Read a note', tag: 'notes', params: z.object({ noteId: z.string() }), success: { status: 200, schema: z.object({ text: z.string() }) }, handler: () => ({ text: '' }) }),
    defineRoute({ method: 'GET', url: '/api/search', access: 'analyst', summary: 'Search notes', tag: 'notes', query: z.object({ q: z.string() }), success: { status: 200, schema: z.object({ hits: z.number() }) }, handler: () => ({ hits: 0 }) }),
    defineRoute({ method: 'POST', url: '/api/feedback', access: 'learner', summary: 'Send feedback', tag: 'notes', body: z.object({ text: z.string() }), success: { status: 202, schema: z.object({ queued: z.boolean() }) }, handler: () => ({ queued: true }) }),
  ];
  type Operation = Record<string, unknown> & { responses: Record<string, Record<string, unknown>>; parameters?: unknown[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> } };
  const documentOf = () =>
    openApiDocument(routes(), { title: 'Test server', version: '9.9.9' }) as {
      openapi: string;
      info: unknown;
      security: unknown;
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties: Record<string, { properties: Record<string, unknown>; required: string[] }> }>; securitySchemes: unknown };
    };
  const envelope = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } };

  it('is OpenAPI 3.1 with the given info, bearer or session cookie security and the shared error envelope', () => {
    const doc = documentOf();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Test server', version: '9.9.9' });
    expect(doc.security).toEqual([{ bearer: [] }, { sessionCookie: [] }]);
    expect(doc.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: 'An API key (cwk_…) or a learner session token (cws_…)' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'cw_session' },
    });
    expect(Object.keys(doc.components.schemas)).toEqual(['ErrorEnvelope']);
    const error = doc.components.schemas.ErrorEnvelope!.properties.error!;
    expect(Object.keys(error.properties)).toEqual(['code', 'message', 'details']);
    expect(error.required).toEqual(['code', 'message']);
    expect((error.properties.code as { enum: string[] }).enum).toEqual(expect.arrayContaining(['INVALID_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'PAYMENT_REQUIRED']));
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/courses/{courseId}/notes/{noteId}', '/api/feedback', '/api/notes/{noteId}', '/api/search', '/healthz']);
  });

  it('a public route needs no security and lists no refusals', () => {
    const health = documentOf().paths['/healthz']!.get!;
    expect(health).toEqual({
      summary: 'Health',
      tags: ['ops'],
      'x-access': 'public',
      security: [],
      responses: { 200: { description: 'Success', content: { 'application/json': { schema: expect.objectContaining({ type: 'object', properties: { status: { type: 'string' } } }) } } } },
    });
  });

  it('a protected route states its access rule, parameters, body and every refusal, several codes of one status together', () => {
    const put = documentOf().paths['/api/courses/{courseId}/notes/{noteId}']!.put!;
    expect(put.summary).toBe('Store a note');
    expect(put.tags).toEqual(['notes']);
    expect(put['x-access']).toEqual(['author', 'admin']);
    expect(put).not.toHaveProperty('security');
    expect(put.parameters).toEqual([
      { name: 'courseId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'noteId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'draft', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'lang', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(put.requestBody).toMatchObject({ required: true });
    const body = put.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(['text', 'format', 'sentAt']);
    expect(body.properties.text).toEqual({ type: 'string' });
    expect(body.required).toEqual(['text']);
    expect(Object.keys(put.responses).sort()).toEqual(['200', '201', '400', '401', '403', '409', '422']);
    expect(put.responses['201']).toEqual({ description: 'Success', content: { 'application/json': { schema: expect.objectContaining({ properties: { id: { type: 'string' } } }) } } });
    expect(put.responses['200']).toEqual({ description: 'The same note again', content: { 'application/json': { schema: expect.objectContaining({ properties: { id: { type: 'string' } } }) } } });
    expect(put.responses['400']).toEqual({ description: 'INVALID_INPUT', content: envelope });
    expect(put.responses['401']).toEqual({ description: 'UNAUTHENTICATED', content: envelope });
    expect(put.responses['403']).toEqual({ description: 'FORBIDDEN', content: envelope });
    expect(put.responses['409']).toEqual({ description: 'CONFLICT', content: envelope });
    expect(put.responses['422']).toEqual({ description: 'HASH_MISMATCH, UNPROCESSABLE', content: envelope });
  });

  it('two routes on one path share it; a 204 answers with no body; path parameters are always required', () => {
    const notes = documentOf().paths['/api/notes/{noteId}']!;
    expect(Object.keys(notes).sort()).toEqual(['delete', 'get']);
    expect(notes.delete!.responses['204']).toEqual({ description: 'Done' });
    expect(notes.delete!['x-access']).toBe('analyst');
    expect(notes.delete!.parameters).toEqual([{ name: 'noteId', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(notes.get!.responses['200']).toEqual({ description: 'Success', content: { 'application/json': { schema: expect.objectContaining({ properties: { text: { type: 'string' } } }) } } });
  });

  it('INVALID_INPUT is listed for a route with path parameters, a query or a body alone, and for none without input', () => {
    const doc = documentOf();
    expect(Object.keys(doc.paths['/api/notes/{noteId}']!.get!.responses).sort()).toEqual(['200', '400', '401', '403']);
    expect(Object.keys(doc.paths['/api/search']!.get!.responses).sort()).toEqual(['200', '400', '401', '403']);
    expect(doc.paths['/api/search']!.get!.parameters).toEqual([{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }]);
    expect(Object.keys(doc.paths['/api/feedback']!.post!.responses).sort()).toEqual(['202', '400', '401', '403']);
    expect(doc.paths['/api/feedback']!.post!).not.toHaveProperty('parameters');
    const health = doc.paths['/healthz']!.get!;
    expect(health).not.toHaveProperty('parameters');
    expect(health).not.toHaveProperty('requestBody');
    expect(Object.keys(health.responses)).toEqual(['200']);
  });
});
