import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';

const pkg = samplePackage();

describeOnBothDatabases('deny by default, insert-only rows, health and the OpenAPI document', (target) => {
  let server: TestServer;
  let author: string;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    // Routes added the way a careless change would: no access rule, and a misspelt one.
    server.app.get('/api/unguarded', async () => ({ secret: 'must not leak' }));
    server.app.get('/api/misspelt', { config: { serverAccess: 'everyone' as never } }, async () => ({ secret: 'must not leak' }));
    author = (await server.tenantWithKeys('Guarded Academy')).keys.author;
    expect((await server.app.inject({ method: 'PUT', url: `/api/packages/${pkg.contentHash}`, headers: bearer(author), payload: pkg.document })).statusCode).toBe(201);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('a route without an access rule, or with an unknown one, is refused even with a valid key', async () => {
    for (const url of ['/api/unguarded', '/api/misspelt']) {
      for (const headers of [{}, bearer(author)]) {
        const response = await server.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode).toBe(403);
        expect(response.body).not.toContain('must not leak');
      }
    }
  });

  it('protected routes need credentials (401 in the envelope); public ones do not', async () => {
    const anonymous = await server.app.inject({ method: 'GET', url: '/api/courses' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    expect((await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer('cwk_not-a-real-key') })).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(author) })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('other spellings of a protected path reach no route and leak nothing, with or without a key', async () => {
    // Spellings that resolve to the same path (percent-encoded letters, dot segments) are the
    // same route, under the same rule: refused without a key, answered with one.
    for (const url of ['/api/%63ourses', '/api/x/%2e%2e/courses']) {
      expect((await server.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await server.app.inject({ method: 'GET', url, headers: bearer(author) })).statusCode, url).toBe(200);
    }
    for (const url of ['/API/courses', '/api//courses', '/api/courses/', '/api/courses/..%2fcourses']) {
      // Without a key every spelling is refused before any handler runs.
      const anonymous = await server.app.inject({ method: 'GET', url });
      expect([401, 404], `${url} answered ${anonymous.statusCode}`).toContain(anonymous.statusCode);
      // With a key a spelling either matches no route or the route it matches refuses its input
      // (/api/courses/ is /api/courses/:courseId with an empty id); none lists the courses.
      const withKey = await server.app.inject({ method: 'GET', url, headers: bearer(author) });
      expect([400, 404], `${url} answered ${withKey.statusCode}`).toContain(withKey.statusCode);
      expect(withKey.body).not.toContain(pkg.contentHash);
    }
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE of packages and audit rows; inserts still work', async () => {
    for (const statement of [
      "UPDATE packages SET title = 'changed'",
      'DELETE FROM packages',
      'TRUNCATE packages CASCADE',
      "UPDATE audit_log SET actor = 'someone else'",
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      await expect(server.database.query(statement), statement).rejects.toThrow(/insert-only/);
    }
    expect(await server.database.query('SELECT title FROM packages')).toEqual([{ title: pkg.document.course.title }]);
    await server.database.query("INSERT INTO audit_log (tenant_id, actor, action, entity_type, entity_id) VALUES ('t', 'test', 'test.inserted', 'test', 'x')");
    expect((await server.database.query<{ action: string }>("SELECT action FROM audit_log WHERE action = 'test.inserted'")).length).toBe(1);
  });

  it('readyz reports the database ready; security headers and a request id come with every answer', async () => {
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', database: target.kind });
    expect(ready.headers['x-content-type-options']).toBe('nosniff');
    expect(ready.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await server.app.inject({ method: 'GET', url: '/readyz', headers: { 'x-request-id': 'lb-trace-42' } })).headers['x-request-id']).toBe('lb-trace-42');
  });

  it('the OpenAPI document describes every route with its access rule, generated from the zod schemas', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/auth/signup', '/api/courses', '/api/courses/{courseId}', '/api/courses/{courseId}/releases', '/api/courses/{courseId}/{version}', '/api/openapi.json', '/api/packages/{contentHash}', '/healthz', '/readyz']));
    // Every operation states who may call it, as the server enforces it.
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { 'x-access'?: unknown }>>)) {
      for (const [method, operation] of Object.entries(operations)) expect(operation['x-access'], `${method} ${path}`).toBeDefined();
    }
    const put = doc.paths['/api/packages/{contentHash}'].put;
    expect(put['x-access']).toEqual(['author', 'admin']);
    expect(Object.keys(put.responses).sort()).toEqual(['200', '201', '400', '401', '403', '413', '422'].sort());
    expect(put.requestBody.content['application/json'].schema.properties.format).toEqual({ type: 'string', const: 'coursewright.course-package' });
    expect(doc.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema.required).toEqual(['tenant', 'email', 'password']);
  });
});
