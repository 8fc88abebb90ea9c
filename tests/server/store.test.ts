import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase } from '../../server/db/connection.js';
import type { PaymentProvider } from '../../server/payments/port.js';
import { createApiKey, createTenant } from '../../server/store/admin-store.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { asCourse, asLearner, publishLive, signUpLearner } from './support/learning.js';

const sample = samplePackage();

describeOnBothDatabases('store: products, idempotent purchases and grants', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let ana: ReturnType<typeof asLearner>;
  let cy: ReturnType<typeof asLearner>;
  let cyId: string;
  let learnerOfB: ReturnType<typeof asLearner>;
  let productId: string;
  const admin = (url: string, payload: object, key = a.keys.admin) => server.app.inject({ method: 'POST', url, headers: bearer(key), payload });
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Store Academy A');
    b = await server.tenantWithKeys('Store Academy B');
    await publishLive(server, a.keys.author, await asCourse(sample, 'course-paid', 'Statistics for ward managers'));
    await publishLive(server, a.keys.author, await asCourse(sample, 'course-retired', 'Old course'));
    const unreleased = await asCourse(sample, 'course-unreleased', 'Coming soon');
    expect((await server.app.inject({ method: 'PUT', url: `/api/packages/${unreleased.contentHash}`, headers: bearer(a.keys.author), payload: unreleased.document })).statusCode).toBe(201);
    ana = asLearner(server, (await signUpLearner(server, a.id, 'ana@a.example')).token);
    const cySignup = await signUpLearner(server, a.id, 'cy@a.example');
    cy = asLearner(server, cySignup.token);
    cyId = cySignup.userId;
    learnerOfB = asLearner(server, (await signUpLearner(server, b.id, 'lee@b.example')).token);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('an admin sets a price (201), changes it (200, same product); both are audited; other keys are refused', async () => {
    const created = await admin('/api/admin/products', { courseId: 'course-paid', priceCents: 2500, currency: 'eur', active: true });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ courseId: 'course-paid', courseTitle: 'Statistics for ward managers', priceCents: 2500, currency: 'EUR', active: true });
    productId = created.json().productId;
    const changed = await admin('/api/admin/products', { courseId: 'course-paid', priceCents: 4900, currency: 'EUR', active: true });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ productId, priceCents: 4900 });
    expect((await admin('/api/admin/products', { courseId: 'course-retired', priceCents: 1000, currency: 'USD', active: false })).statusCode).toBe(201);
    expect((await admin('/api/admin/products', { courseId: 'course-unreleased', priceCents: 1000, currency: 'USD', active: true })).statusCode).toBe(201);

    const audit = await server.database.query<{ action: string; metadata: { priceCents: number; before?: { priceCents: number } } }>("SELECT action, metadata FROM audit_log WHERE entity_id = $1 ORDER BY id", [productId]);
    expect(audit.map((row) => [row.action, row.metadata.priceCents, row.metadata.before?.priceCents])).toEqual([['product.created', 2500, undefined], ['product.updated', 4900, 2500]]);

    expect((await admin('/api/admin/products', { courseId: 'course-paid', priceCents: 1, currency: 'EUR', active: true }, a.keys.author)).statusCode).toBe(403);
    expect((await ana.post('/api/admin/products', { courseId: 'course-paid', priceCents: 1, currency: 'EUR', active: true })).statusCode).toBe(403);
    const badCurrency = await admin('/api/admin/products', { courseId: 'course-paid', priceCents: 100, currency: 'euros', active: true });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json().error.message).toContain('ISO 4217');
    expect((await admin('/api/admin/products', { courseId: 'course-nobody-published', priceCents: 100, currency: 'EUR', active: true })).statusCode).toBe(404);
  });

  it('learners see products on sale for live courses only; an admin sees every product', async () => {
    const forLearners = (await ana.get('/api/store/products')).json();
    expect(forLearners).toEqual([{ productId, courseId: 'course-paid', courseTitle: 'Statistics for ward managers', priceCents: 4900, currency: 'EUR', active: true }]);
    const forAdmin = (await server.app.inject({ method: 'GET', url: '/api/store/products', headers: bearer(a.keys.admin) })).json();
    expect(forAdmin.map((p: { courseId: string; active: boolean }) => [p.courseId, p.active])).toEqual([['course-paid', true], ['course-retired', false], ['course-unreleased', true]]);
  });

  it('a purchase needs an Idempotency-Key header (400 naming it)', async () => {
    const response = await ana.post('/api/store/purchase', { productId });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('Idempotency-Key');
    expect(await server.database.query('SELECT id FROM purchases')).toEqual([]);
  });

  it('the same key and body answer the same purchase again without a second charge; the same key with another body is 422', async () => {
    const first = await ana.post('/api/store/purchase', { productId }, { 'idempotency-key': 'ana-click-1' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ productId, courseId: 'course-paid', amountCents: 4900, currency: 'EUR', status: 'paid', provider: 'manual' });
    const retry = await ana.post('/api/store/purchase', { productId }, { 'idempotency-key': 'ana-click-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await server.database.query('SELECT amount_cents FROM purchases')).toEqual([{ amount_cents: 4900 }]);

    const otherBody = await ana.post('/api/store/purchase', { productId: 'prd_something_else' }, { 'idempotency-key': 'ana-click-1' });
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // A new key for a course already bought is refused instead of charging twice.
    const twice = await ana.post('/api/store/purchase', { productId }, { 'idempotency-key': 'ana-click-2' });
    expect(twice.statusCode).toBe(409);
    expect(await server.database.query('SELECT count(*)::int AS n FROM purchases')).toEqual([{ n: 1 }]);
    const audit = await server.database.query<{ action: string; entity_id: string }>("SELECT action, entity_id FROM audit_log WHERE action LIKE 'purchase.%'");
    expect(audit).toEqual([{ action: 'purchase.paid', entity_id: first.json().purchaseId }]);
  });

  it('two concurrent requests with one key make one purchase', async () => {
    const [one, two] = await Promise.all([cy.post('/api/store/purchase', { productId }, { 'idempotency-key': 'cy-double-click' }), cy.post('/api/store/purchase', { productId }, { 'idempotency-key': 'cy-double-click' })]);
    expect([one!.statusCode, two!.statusCode]).toEqual([201, 201]);
    expect(one!.json().purchaseId).toBe(two!.json().purchaseId);
    expect(await server.database.query('SELECT count(*)::int AS n FROM purchases WHERE user_id = $1', [cyId])).toEqual([{ n: 1 }]);
  });

  it('products off sale or of courses not live cannot be bought (404)', async () => {
    const products = (await server.app.inject({ method: 'GET', url: '/api/store/products', headers: bearer(a.keys.admin) })).json() as { productId: string; courseId: string }[];
    for (const courseId of ['course-retired', 'course-unreleased']) {
      const response = await ana.post('/api/store/purchase', { productId: products.find((p) => p.courseId === courseId)!.productId }, { 'idempotency-key': `ana-${courseId}` });
      expect(response.statusCode, courseId).toBe(404);
    }
  });

  it('a grant gives access without payment (by email or userId), once, audited; the learner then enrols via the grant', async () => {
    const dee = await signUpLearner(server, a.id, 'dee@a.example');
    const deeLearner = asLearner(server, dee.token);
    expect((await deeLearner.post('/api/learn/enroll', { courseId: 'course-retired' })).statusCode).toBe(403);
    const granted = await admin('/api/admin/grants', { email: ' Dee@A.example ', courseId: 'course-retired' });
    expect(granted.statusCode).toBe(201);
    expect(granted.json()).toMatchObject({ userId: dee.userId, courseId: 'course-retired', created: true });
    const again = await admin('/api/admin/grants', { userId: dee.userId, courseId: 'course-retired' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ grantId: granted.json().grantId, created: false });
    expect(await server.database.query("SELECT entity_id, metadata->>'userId' AS user_id FROM audit_log WHERE action = 'grant.created'")).toEqual([{ entity_id: granted.json().grantId, user_id: dee.userId }]);

    const enrolled = await deeLearner.post('/api/learn/enroll', { courseId: 'course-retired' });
    expect(enrolled.statusCode).toBe(201);
    expect(enrolled.json().via).toBe('grant');

    expect((await admin('/api/admin/grants', { email: 'nobody@a.example', courseId: 'course-paid' })).statusCode).toBe(404);
    expect((await admin('/api/admin/grants', { email: 'dee@a.example', courseId: 'course-nobody-published' })).statusCode).toBe(404);
    const both = await admin('/api/admin/grants', { email: 'dee@a.example', userId: dee.userId, courseId: 'course-paid' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toContain('by email or by userId');
    expect((await deeLearner.post('/api/admin/grants', { email: 'dee@a.example', courseId: 'course-paid' })).statusCode).toBe(403);
  });

  describe('tenant isolation', () => {
    it("tenant B's learner sees no products of A and cannot buy one (404)", async () => {
      expect((await learnerOfB.get('/api/store/products')).json()).toEqual([]);
      const response = await learnerOfB.post('/api/store/purchase', { productId }, { 'idempotency-key': 'b-tries-a' });
      expect(response.statusCode).toBe(404);
    });

    it("tenant B's admin cannot price A's course nor grant it to A's learners (404), and sees none of A's products", async () => {
      expect((await admin('/api/admin/products', { courseId: 'course-paid', priceCents: 0, currency: 'EUR', active: true }, b.keys.admin)).statusCode).toBe(404);
      expect((await admin('/api/admin/grants', { email: 'ana@a.example', courseId: 'course-paid' }, b.keys.admin)).statusCode).toBe(404);
      expect((await admin('/api/admin/grants', { userId: cyId, courseId: 'course-paid' }, b.keys.admin)).statusCode).toBe(404);
      expect((await server.app.inject({ method: 'GET', url: '/api/store/products', headers: bearer(b.keys.admin) })).json()).toEqual([]);
    });
  });
});

describeOnBothDatabases('store: a payment provider that declines', (target) => {
  let app: Awaited<ReturnType<typeof buildServerApp>>;
  let learner: { token: string };
  let productId: string;
  const charges: string[] = [];
  beforeAll(async () => {
    const decliningProvider: PaymentProvider = {
      name: 'test-declines',
      charge: async (request) => {
        charges.push(request.idempotencyReference);
        return { status: 'declined', reference: `declined:${charges.length}`, reason: 'the card was refused' };
      },
    };
    const database = await openServerDatabase(await target.freshLocation());
    app = await buildServerApp({ database, payments: decliningProvider });
    const tenant = await createTenant(database.db, 'Declining Academy', 'cli:test');
    const author = (await createApiKey(database.db, tenant.id, 'author', 'cli:test')).key;
    const adminKey = (await createApiKey(database.db, tenant.id, 'admin', 'cli:test')).key;
    const pkg = await asCourse(sample, 'course-paid', 'Paid course');
    await publishLive({ app } as TestServer, author, pkg);
    productId = (await app.inject({ method: 'POST', url: '/api/admin/products', headers: bearer(adminKey), payload: { courseId: 'course-paid', priceCents: 900, currency: 'GBP', active: true } })).json().productId;
    learner = await signUpLearner({ app } as TestServer, tenant.id, 'eve@d.example');
  }, 300_000);
  afterAll(() => app?.close());

  it('a declined payment is 402 with the reason; a retry with the same key answers the same without charging again; enrolment stays refused', async () => {
    const buy = () => app.inject({ method: 'POST', url: '/api/store/purchase', headers: { ...bearer(learner.token), 'idempotency-key': 'eve-1' }, payload: { productId } });
    const first = await buy();
    expect(first.statusCode).toBe(402);
    expect(first.json().error.message).toContain('the card was refused');
    const retry = await buy();
    expect(retry.statusCode).toBe(402);
    expect(retry.json()).toEqual(first.json());
    expect(charges).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: '/api/learn/enroll', headers: bearer(learner.token), payload: { courseId: 'course-paid' } })).statusCode).toBe(402);
  });
});
