import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../core/hash.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from './support/postgres.js';
import { enrolledLearner, httpClient, inBatches, publishAndRelease, startServerProcess, tenantWithAuthorKey, type HttpClient, type ServerProcess } from './support/server-process.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;
const lessonCount = pkg.document.modules.reduce((sum, module) => sum + module.lessons.length, 0);

const LEARNERS = 6;
const BATCHES_PER_LEARNER = 12;
const EVENTS_PER_BATCH = 25;

const eventBatch = (learner: number, batch: number) => ({
  events: Array.from({ length: EVENTS_PER_BATCH }, (_, index) => ({
    id: `mi-${learner}-${batch}-${index}`,
    type: index === 0 ? 'lesson_viewed' : 'heartbeat',
    courseId,
    lessonIndex: batch % lessonCount,
    occurredAt: new Date(Date.UTC(2026, 2, 1, 9, batch, index)).toISOString(),
  })),
});

/**
 * Two `coursewright server start` processes on one PostgreSQL, as behind a load balancer: every
 * learner's requests alternate between them. Whatever one instance takes, the other sees at once,
 * and nothing is stored twice or lost because two processes took part.
 */
describe.skipIf(postgresUnavailable)(`two server instances on one PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let cluster: PostgresCluster;
  let databaseUrl: string;
  let instances: [ServerProcess, ServerProcess];
  let client: HttpClient;
  let sql: pg.Pool;
  let tenantId: string;
  let authorKey: string;
  let learners: string[];
  const via = (n: number) => instances[n % 2]!.url;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    databaseUrl = await cluster.createDatabase();
    // Both start at once on an empty database: the migration lock lets one migrate while the other waits.
    instances = (await Promise.all([startServerProcess(databaseUrl), startServerProcess(databaseUrl)])) as [ServerProcess, ServerProcess];
    client = httpClient();
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    ({ tenantId, authorKey } = await tenantWithAuthorKey(databaseUrl, 'Two Instance Academy'));
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await sql?.end();
    if (instances) await Promise.all(instances.map((instance) => instance.stop()));
    cluster?.stop();
  });

  it('both instances started on the same empty database and migrated it once', async () => {
    for (const instance of instances) expect((await client.get(`${instance.url}/readyz`, null)).body).toEqual({ status: 'ready', database: 'postgres' });
    const versions = (await sql.query<{ version: number; n: number }>('SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version')).rows;
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((row) => row.n === 1)).toBe(true);
  });

  it('a publish and release through one instance is live through the other at once; a stale release through the other is refused', async () => {
    const released = await publishAndRelease(client, via(0), authorKey, pkg, null);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    const listed = await client.get(`${via(1)}/api/courses`, authorKey);
    expect(listed.body).toEqual([{ courseId, title: pkg.document.course.title, latestVersion: 1, liveHash: pkg.contentHash }]);

    // A learner who signed up through the first instance reads the course through the second.
    const reader = await enrolledLearner(client, via(0), tenantId, 'reader@two.example', courseId);
    const course = await client.get(`${via(1)}/api/learn/courses/${courseId}`, reader);
    expect(course.status).toBe(200);
    expect(course.body.contentHash).toBe(pkg.contentHash);

    // Version 2 through the second instance; the first serves it on its very next request.
    const second = structuredClone(pkg.document);
    second.course.title = `${pkg.document.course.title} (second edition)`;
    const v2 = { contentHash: contentHash(second), document: second };
    expect((await publishAndRelease(client, via(1), authorKey, v2, pkg.contentHash)).status).toBe(200);
    expect((await client.get(`${via(0)}/api/learn/courses/${courseId}`, reader)).body).toMatchObject({ contentHash: v2.contentHash, version: 2, title: second.course.title });
    expect((await client.get(`${via(0)}/api/courses`, authorKey)).body).toEqual([{ courseId, title: second.course.title, latestVersion: 2, liveHash: v2.contentHash }]);

    // The compare-and-swap is in the database, not in either process: the first instance still
    // refuses a release that expects version 1 to be live.
    const stale = await client.post(`${via(0)}/api/courses/${courseId}/releases`, authorKey, { contentHash: pkg.contentHash, expectedCurrent: pkg.contentHash });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ current: v2.contentHash });
    // Uploading version 1 again through the other instance is a no-op, not a version 3.
    expect((await client.put(`${via(1)}/api/packages/${pkg.contentHash}`, authorKey, pkg.document)).status).toBe(200);
    expect((await client.get(`${via(1)}/api/courses/${courseId}`, authorKey)).body.versions).toHaveLength(2);
  });

  it('learners signed up through either instance post events through both alternately: every event is stored exactly once, and a resend through the other instance stores nothing', async () => {
    learners = await inBatches(Array.from({ length: LEARNERS }, (_, n) => n), 3, (n) => enrolledLearner(client, via(n), tenantId, `learner${n}@two.example`, courseId));
    const before = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_events')).rows[0]!.n;
    expect(before).toBe(0);

    // All learners at once, each batch through the other instance than the one before.
    const firstAnswers = await Promise.all(
      learners.map(async (token, learner) => {
        const answers = [];
        for (let batch = 0; batch < BATCHES_PER_LEARNER; batch++) answers.push(await client.post(`${via(learner + batch)}/api/analytics/event`, token, eventBatch(learner, batch)));
        return answers;
      }),
    );
    for (const answer of firstAnswers.flat()) expect(answer).toEqual({ status: 200, body: { received: EVENTS_PER_BATCH, stored: EVENTS_PER_BATCH, duplicates: 0 } });

    const sent = LEARNERS * BATCHES_PER_LEARNER * EVENTS_PER_BATCH;
    const stored = await sql.query<{ id: string; user_id: string }>('SELECT id, user_id FROM analytics_events WHERE tenant_id = $1', [tenantId]);
    expect(stored.rows).toHaveLength(sent);
    const expectedIds = learners.flatMap((_, learner) => Array.from({ length: BATCHES_PER_LEARNER }, (_, batch) => eventBatch(learner, batch).events.map((event) => event.id)).flat());
    expect(stored.rows.map((row) => row.id).sort()).toEqual([...expectedIds].sort());
    // Each event belongs to the learner who sent it, whichever instance took it.
    const users = await Promise.all(learners.map(async (token) => (await client.get(`${via(1)}/api/auth/me`, token)).body.userId as string));
    for (const row of stored.rows) expect(row.user_id).toBe(users[Number(row.id.split('-')[1])]);

    // Every batch again, through the instance that did not take it the first time: nothing new.
    const resent = await Promise.all(
      learners.map(async (token, learner) => {
        const answers = [];
        for (let batch = 0; batch < BATCHES_PER_LEARNER; batch++) answers.push(await client.post(`${via(learner + batch + 1)}/api/analytics/event`, token, eventBatch(learner, batch)));
        return answers;
      }),
    );
    for (const answer of resent.flat()) expect(answer).toEqual({ status: 200, body: { received: EVENTS_PER_BATCH, stored: 0, duplicates: EVENTS_PER_BATCH } });
    expect((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_events WHERE tenant_id = $1', [tenantId])).rows[0]!.n).toBe(sent);

    // The same batch through both instances at the same moment: stored once between them.
    const [a, b] = await Promise.all([client.post(`${via(0)}/api/analytics/event`, learners[0]!, eventBatch(0, 99)), client.post(`${via(1)}/api/analytics/event`, learners[0]!, eventBatch(0, 99))]);
    expect(a.body.stored + b.body.stored).toBe(EVENTS_PER_BATCH);
    expect(a.body.duplicates + b.body.duplicates).toBe(EVENTS_PER_BATCH);
  });

  it('progress posted through both instances alternately adds up exactly, never goes backwards, and reads the same through either', async () => {
    const SECONDS = 7;
    await Promise.all(
      learners.map(async (token, learner) => {
        let completedSeen = 0;
        for (let lessonIndex = 0; lessonIndex < lessonCount; lessonIndex++) {
          // Three reports per lesson through alternating instances: time, completion, then a late
          // "not completed" that must not undo the completion.
          for (const [step, completed] of [false, true, false].entries()) {
            const answer = await client.post(`${via(learner + lessonIndex + step)}/api/learn/progress`, token, { courseId, lessonIndex, completed, timeSpentSeconds: SECONDS });
            expect(answer.status, JSON.stringify(answer.body)).toBe(200);
            expect(answer.body.completed).toBe(step > 0);
          }
          const progress = await client.get(`${via(learner + lessonIndex + 1)}/api/learn/progress/${courseId}`, token);
          expect(progress.body.completedCount).toBe(lessonIndex + 1);
          expect(progress.body.completedCount).toBeGreaterThan(completedSeen);
          completedSeen = progress.body.completedCount;
        }
      }),
    );
    for (const token of learners) {
      const [through0, through1] = await Promise.all([client.get(`${via(0)}/api/learn/progress/${courseId}`, token), client.get(`${via(1)}/api/learn/progress/${courseId}`, token)]);
      expect(through0.body).toEqual(through1.body);
      expect(through0.body.completedCount).toBe(lessonCount);
      // Three reports of 7 seconds each: a lost report shows as 14, a doubled one as 28.
      expect(through0.body.lessons.map((lesson: { timeSpentSeconds: number; completed: boolean }) => [lesson.completed, lesson.timeSpentSeconds])).toEqual(Array.from({ length: lessonCount }, () => [true, 3 * SECONDS]));
    }
    const rows = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM lesson_progress WHERE tenant_id = $1', [tenantId])).rows[0]!.n;
    expect(rows).toBe(LEARNERS * lessonCount);
  });
});
