import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';

const pkg = samplePackage();

describeOnBothDatabases("one tenant never sees another's courses", (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let learnerOfB: string;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Tenant A');
    b = await server.tenantWithKeys('Tenant B');
    expect((await server.app.inject({ method: 'PUT', url: `/api/packages/${pkg.contentHash}`, headers: bearer(a.keys.author), payload: pkg.document })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/releases', headers: bearer(a.keys.author), payload: { contentHash: pkg.contentHash, expectedCurrent: null } })).statusCode).toBe(200);
    learnerOfB = (await server.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { tenant: b.id, email: 'lee@b.example', password: 'a long enough password' } })).json().token;
  }, 300_000);
  afterAll(() => server?.app.close());

  it("tenant A's keys read what A published", async () => {
    const list = await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(a.keys.analyst) });
    expect(list.json()).toHaveLength(1);
    expect((await server.app.inject({ method: 'GET', url: '/api/courses/course-sample', headers: bearer(a.keys.analyst) })).statusCode).toBe(200);
  });

  it("tenant B's keys get 404 (not 403) for A's course and versions, and an empty list", async () => {
    for (const key of [b.keys.admin, b.keys.author, b.keys.analyst]) {
      expect((await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(key) })).json()).toEqual([]);
      for (const url of ['/api/courses/course-sample', '/api/courses/course-sample/1']) {
        const response = await server.app.inject({ method: 'GET', url, headers: bearer(key) });
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('NOT_FOUND');
      }
    }
  });

  it("tenant B cannot release A's package (404) and A's live pointer stays", async () => {
    const attempt = await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/releases', headers: bearer(b.keys.author), payload: { contentHash: pkg.contentHash, expectedCurrent: null } });
    expect(attempt.statusCode).toBe(404);
    const list = await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(a.keys.author) });
    expect(list.json()[0].liveHash).toBe(pkg.contentHash);
  });

  it('tenant B publishing the same content gets its own copy (201), so nothing tells B that A has it', async () => {
    const response = await server.app.inject({ method: 'PUT', url: `/api/packages/${pkg.contentHash}`, headers: bearer(b.keys.author), payload: pkg.document });
    expect(response.statusCode).toBe(201);
    expect(response.json().version).toBe(1);
  });

  it("a learner of B is refused publishing routes (403 for the role), and B's learner session is no key", async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/courses/course-sample', headers: bearer(learnerOfB) })).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(learnerOfB) })).json().tenantId).toBe(b.id);
  });

  it('a revoked key stops working at once', async () => {
    const { revokeApiKey } = await import('../../server/store/admin-store.js');
    await revokeApiKey(server.database.db, b.keyIds.analyst, 'cli:test');
    expect((await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(b.keys.analyst) })).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(b.keys.author) })).statusCode).toBe(200);
  });
});
