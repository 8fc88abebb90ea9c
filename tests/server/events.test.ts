import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { asCourse, asLearner, publishLive, signUpLearner } from './support/learning.js';

const pkg = samplePackage();

const event = (id: string, type = 'lesson_viewed', extra: Record<string, unknown> = {}) => ({ id, type, courseId: 'course-sample', lessonIndex: 2, occurredAt: '2026-03-01T09:30:00Z', ...extra });
const batchOf = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => event(`${prefix}-${index}`, 'heartbeat'));

describeOnBothDatabases('learner events: batches, idempotent by id, tenant-scoped', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let ana: ReturnType<typeof asLearner>;
  let anaId: string;
  let learnerOfB: ReturnType<typeof asLearner>;
  const count = async () => (await server.database.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_events'))[0]!.n;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Events Academy A');
    b = await server.tenantWithKeys('Events Academy B');
    await publishLive(server, a.keys.author, pkg);
    await publishLive(server, b.keys.author, await asCourse(pkg, 'course-b', 'A course of tenant B'));
    const signedUp = await signUpLearner(server, a.id, 'ana@a.example');
    ana = asLearner(server, signedUp.token);
    anaId = signedUp.userId;
    learnerOfB = asLearner(server, (await signUpLearner(server, b.id, 'lee@b.example')).token);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('stores a batch and says how many were new; the same batch again stores nothing (0 new)', async () => {
    const events = [event('e-1', 'course_viewed', { lessonIndex: undefined }), event('e-2'), event('e-3', 'lesson_completed'), event('e-4', 'quiz_attempted', { data: { score: 0.67 } }), event('e-5', 'quiz_passed')];
    const first = await ana.post('/api/analytics/event', { events });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 5, stored: 5, duplicates: 0 });
    const resent = await ana.post('/api/analytics/event', { events });
    expect(resent.json()).toEqual({ received: 5, stored: 0, duplicates: 5 });
    const overlapping = await ana.post('/api/analytics/event', { events: [event('e-5', 'quiz_passed'), event('e-6'), event('e-6')] });
    expect(overlapping.json()).toEqual({ received: 3, stored: 1, duplicates: 2 });
    expect(await count()).toBe(6);
    const rows = await server.database.query<{ id: string; user_id: string; type: string; lesson_index: number | null; data: unknown }>("SELECT id, user_id, type, lesson_index, data FROM analytics_events WHERE id IN ('e-1', 'e-4') ORDER BY id");
    expect(rows).toEqual([
      { id: 'e-1', user_id: anaId, type: 'course_viewed', lesson_index: null, data: null },
      { id: 'e-4', user_id: anaId, type: 'quiz_attempted', lesson_index: 2, data: { score: 0.67 } },
    ]);
  });

  it('an unknown type is refused naming the event by its index and the known types; nothing of the batch is stored', async () => {
    const before = await count();
    const events = [event('u-0'), event('u-1'), event('u-2'), event('u-3', 'video_played')];
    const response = await ana.post('/api/analytics/event', { events });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('events.3.type: unknown event type "video_played"; the types are course_viewed, lesson_viewed, lesson_completed, quiz_attempted, quiz_passed, heartbeat');
    expect(response.json().error.details).toEqual([expect.objectContaining({ path: 'body.events.3.type' })]);
    expect(await count()).toBe(before);
  });

  it('500 events in one batch are taken; 501 are refused with 413 saying the limit; an empty batch is refused', async () => {
    expect((await ana.post('/api/analytics/event', { events: batchOf(500, 'full') })).json()).toEqual({ received: 500, stored: 500, duplicates: 0 });
    const before = await count();
    const tooMany = await ana.post('/api/analytics/event', { events: batchOf(501, 'over') });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.message).toBe('A batch holds at most 500 events and this one has 501; send them in several batches.');
    expect(await count()).toBe(before);
    expect((await ana.post('/api/analytics/event', { events: [] })).statusCode).toBe(400);
  });

  it('bad fields are refused with the field named: a date that is not ISO 8601, a negative lesson, an id with spaces', async () => {
    for (const [bad, path] of [
      [event('d-1', 'heartbeat', { occurredAt: 'yesterday' }), 'body.events.0.occurredAt'],
      [event('d-2', 'heartbeat', { lessonIndex: -1 }), 'body.events.0.lessonIndex'],
      [event('has space'), 'body.events.0.id'],
    ] as const) {
      const response = await ana.post('/api/analytics/event', { events: [bad] });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });

  describe('tenant isolation', () => {
    it("a learner of tenant B sending events about A's course gets 404 naming the event, and nothing is stored", async () => {
      const before = await count();
      const response = await learnerOfB.post('/api/analytics/event', { events: [event('b-0', 'heartbeat', { courseId: 'course-b' }), event('b-1')] });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toBe('events[1].courseId: course "course-sample" was not found; nothing in this batch was stored.');
      expect(await count()).toBe(before);
    });

    it("event ids are per tenant: an id A already has is new in B (stored under B's learner), and a duplicate within A", async () => {
      const fromB = await learnerOfB.post('/api/analytics/event', { events: [event('e-1', 'course_viewed', { courseId: 'course-b' })] });
      expect(fromB.json()).toEqual({ received: 1, stored: 1, duplicates: 0 });
      expect(await server.database.query("SELECT tenant_id, course_id FROM analytics_events WHERE id = 'e-1' ORDER BY course_id")).toEqual([
        { tenant_id: b.id, course_id: 'course-b' },
        { tenant_id: a.id, course_id: 'course-sample' },
      ]);
      const other = await signUpLearner(server, a.id, 'bo@a.example');
      expect((await asLearner(server, other.token).post('/api/analytics/event', { events: [event('e-1', 'course_viewed')] })).json()).toEqual({ received: 1, stored: 0, duplicates: 1 });
    });

    it('only learners send events: API keys are refused (403), no credentials 401', async () => {
      expect((await server.app.inject({ method: 'POST', url: '/api/analytics/event', headers: bearer(a.keys.admin), payload: { events: [event('k-1')] } })).statusCode).toBe(403);
      expect((await server.app.inject({ method: 'POST', url: '/api/analytics/event', payload: { events: [event('k-1')] } })).statusCode).toBe(401);
    });
  });
});
