import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { runLearnerLoad } from './support/learner-load.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from './support/postgres.js';
import { enrolledLearner, httpClient, publishAndRelease, seedEnrolledLearners, startServerProcess, tenantWithAuthorKey, type HttpClient, type ServerProcess } from './support/server-process.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;
const lessonCount = pkg.document.modules.reduce((sum, module) => sum + module.lessons.length, 0);

const LEARNERS = 200;
// Shorter than the benchmark's 30 s run (tests/bench/server-load.ts), to keep the suite's time bounded.
const DURATION_MS = 10_000;

/**
 * 200 learners' players at once against one server process on PostgreSQL, over loopback:
 * lessons read, progress reported and event batches sent without a single refusal or dropped
 * connection, and every event the server said it stored is in the database.
 */
describe.skipIf(postgresUnavailable)(`200 concurrent learners against one server${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let cluster: PostgresCluster;
  let databaseUrl: string;
  let server: ServerProcess;
  let client: HttpClient;
  let learners: string[];
  let tenantId: string;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    databaseUrl = await cluster.createDatabase();
    server = await startServerProcess(databaseUrl);
    client = httpClient();
    const created = await tenantWithAuthorKey(databaseUrl, 'Load Academy');
    tenantId = created.tenantId;
    expect((await publishAndRelease(client, server.url, created.authorKey, pkg, null)).status).toBe(200);
    // Two learners sign up and enrol through the API as players do; the rest are seeded (see seedEnrolledLearners).
    learners = [await enrolledLearner(client, server.url, tenantId, 'first@load.example', courseId), await enrolledLearner(client, server.url, tenantId, 'second@load.example', courseId)];
    learners.push(...(await seedEnrolledLearners(databaseUrl, tenantId, courseId, LEARNERS - learners.length, 'learner')));
  }, 600_000);

  afterAll(async () => {
    client?.close();
    await server?.stop();
    cluster?.stop();
  });

  it('serves every request of 200 learners reading, reporting progress and sending event batches, with zero errors', async () => {
    const result = await runLearnerLoad({ baseUrl: server.url, learners, courseId, lessonCount, durationMs: DURATION_MS, cycleMs: 1000, eventsPerBatch: 10, runId: 'load' });
    expect(result.firstErrors).toEqual([]);
    expect(result.errorCount).toBe(0);
    // Every learner went round at least once; how many times depends on the machine, not on the server being right.
    expect(result.latencyMs.events.length).toBeGreaterThanOrEqual(LEARNERS);

    const sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    try {
      const stored = (await sql.query<{ n: number; learners: number }>('SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS learners FROM analytics_events WHERE tenant_id = $1', [tenantId])).rows[0]!;
      expect(stored).toEqual({ n: result.eventsStored, learners: LEARNERS });
      expect(result.eventsStored).toBe(result.latencyMs.events.length * 10);
      const progress = (await sql.query<{ learners: number }>('SELECT count(DISTINCT user_id)::int AS learners FROM lesson_progress WHERE tenant_id = $1', [tenantId])).rows[0]!;
      expect(progress.learners).toBe(LEARNERS);
    } finally {
      await sql.end();
    }
  }, 300_000);
});
