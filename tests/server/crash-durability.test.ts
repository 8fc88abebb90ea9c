import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from './support/postgres.js';
import { enrolledLearner, freePort, httpClient, inBatches, publishAndRelease, startServerProcess, tenantWithAuthorKey, type HttpClient, type ServerProcess } from './support/server-process.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;
const lessonCount = pkg.document.modules.reduce((sum, module) => sum + module.lessons.length, 0);

const LEARNERS = 8;
const EVENTS_PER_BATCH = 20;

interface Sent {
  /** Event batches, by whether the server acknowledged them with a 2xx. */
  ackedBatches: string[][];
  failedBatches: string[][];
  /** Per learner and lesson: seconds the server acknowledged, seconds sent at all, and whether an acknowledged report completed it. */
  progress: Map<string, { ackedSeconds: number; sentSeconds: number; ackedCompleted: boolean }>;
  failures: string[];
  ackedAfterRestart: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `kill -9` of the server while learners' players send events and progress without pause: the
 * process gets no chance to flush or finish anything. Whatever it acknowledged with a 2xx was
 * committed before the answer left, so it is in the database after the restart; a request that
 * failed may or may not have been stored, but resending it never stores anything twice.
 */
describe.skipIf(postgresUnavailable)(`kill -9 of the server under load${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let cluster: PostgresCluster;
  let databaseUrl: string;
  let port: number;
  let server: ServerProcess;
  let client: HttpClient;
  let sql: pg.Pool;
  let tenantId: string;
  let learners: string[];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    databaseUrl = await cluster.createDatabase();
    port = await freePort();
    server = await startServerProcess(databaseUrl, { port });
    client = httpClient();
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const created = await tenantWithAuthorKey(databaseUrl, 'Crash Academy');
    tenantId = created.tenantId;
    expect((await publishAndRelease(client, server.url, created.authorKey, pkg, null)).status).toBe(200);
    learners = await inBatches(Array.from({ length: LEARNERS }, (_, n) => n), 4, (n) => enrolledLearner(client, server.url, tenantId, `learner${n}@crash.example`, courseId));
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await sql?.end();
    await server?.stop();
    cluster?.stop();
  });

  /** Every learner sends an event batch, then a progress report, over and over until told to stop, recording what was acknowledged. */
  function sendContinuously(sent: Sent, state: { stop: boolean; restarted: boolean }) {
    return Promise.all(
      learners.map(async (token, learner) => {
        for (let seq = 0; !state.stop; seq++) {
          const ids = Array.from({ length: EVENTS_PER_BATCH }, (_, index) => `crash-${learner}-${seq}-${index}`);
          const events = ids.map((id, index) => ({ id, type: index === 0 ? 'lesson_viewed' : 'heartbeat', courseId, lessonIndex: seq % lessonCount, occurredAt: '2026-03-01T09:30:00Z' }));
          let failed = false;
          try {
            const answer = await client.post(`${server.url}/api/analytics/event`, token, { events });
            if (answer.status >= 200 && answer.status < 300) {
              sent.ackedBatches.push(ids);
              if (state.restarted) sent.ackedAfterRestart++;
            } else {
              sent.failedBatches.push(ids);
              sent.failures.push(`events ${answer.status}`);
              failed = true;
            }
          } catch (error) {
            sent.failedBatches.push(ids);
            sent.failures.push(`events ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
            failed = true;
          }

          const lessonIndex = seq % lessonCount;
          const seconds = 1 + (seq % 5);
          const completed = seq % 3 === 2;
          const key = `${learner}/${lessonIndex}`;
          const record = sent.progress.get(key) ?? { ackedSeconds: 0, sentSeconds: 0, ackedCompleted: false };
          sent.progress.set(key, record);
          record.sentSeconds += seconds;
          try {
            const answer = await client.post(`${server.url}/api/learn/progress`, token, { courseId, lessonIndex, completed, timeSpentSeconds: seconds });
            if (answer.status === 200) {
              record.ackedSeconds += seconds;
              record.ackedCompleted ||= completed;
              if (state.restarted) sent.ackedAfterRestart++;
            } else {
              sent.failures.push(`progress ${answer.status}`);
              failed = true;
            }
          } catch (error) {
            sent.failures.push(`progress ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
            failed = true;
          }
          // While the server is down a player waits a moment before trying again.
          if (failed) await sleep(200);
        }
      }),
    );
  }

  it('every acknowledged event and progress report is in the database after the restart; failed ones resent are stored once', async () => {
    const sent: Sent = { ackedBatches: [], failedBatches: [], progress: new Map(), failures: [], ackedAfterRestart: 0 };
    const state = { stop: false, restarted: false };
    const traffic = sendContinuously(sent, state);

    // Kill it mid-stream, once it has acknowledged a fair amount.
    while (sent.ackedBatches.length < 60) await sleep(50);
    await server.kill9();
    const ackedBeforeKill = sent.ackedBatches.length;
    await sleep(500);
    expect(sent.failures.length).toBeGreaterThan(0);

    server = await startServerProcess(databaseUrl, { port });
    state.restarted = true;
    while (sent.ackedAfterRestart < 40) await sleep(50);
    state.stop = true;
    await traffic;
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(60);

    // Straight from the database, not through the server that was killed.
    const storedIds = new Set((await sql.query<{ id: string }>('SELECT id FROM analytics_events WHERE tenant_id = $1', [tenantId])).rows.map((row) => row.id));
    const acked = sent.ackedBatches.flat();
    const missing = acked.filter((id) => !storedIds.has(id));
    expect(missing).toEqual([]);
    // Nothing is stored that was never sent, and every failed batch is either all there or not at all (one INSERT).
    const sentIds = new Set([...acked, ...sent.failedBatches.flat()]);
    expect([...storedIds].filter((id) => !sentIds.has(id))).toEqual([]);
    for (const batch of sent.failedBatches) expect([0, batch.length]).toContain(batch.filter((id) => storedIds.has(id)).length);

    const rows = (await sql.query<{ email: string; lesson_index: number; completed: boolean; time_spent_seconds: number }>('SELECT u.email, p.lesson_index, p.completed, p.time_spent_seconds FROM lesson_progress p JOIN users u ON u.id = p.user_id WHERE p.tenant_id = $1', [tenantId])).rows;
    const stored = new Map(rows.map((row) => [`${Number(/learner(\d+)@/.exec(row.email)![1])}/${row.lesson_index}`, row]));
    for (const [key, record] of sent.progress) {
      const row = stored.get(key);
      if (record.ackedSeconds === 0) continue;
      expect(row, `progress ${key}`).toBeDefined();
      // At least every acknowledged second, at most every second sent: a report applied twice would exceed it.
      expect(row!.time_spent_seconds, `progress ${key}`).toBeGreaterThanOrEqual(record.ackedSeconds);
      expect(row!.time_spent_seconds, `progress ${key}`).toBeLessThanOrEqual(record.sentSeconds);
      if (record.ackedCompleted) expect(row!.completed, `progress ${key}`).toBe(true);
    }

    // A player resends what failed: whatever the killed process had stored counts as a duplicate.
    const before = storedIds.size;
    let newlyStored = 0;
    await inBatches(sent.failedBatches, 8, async (batch) => {
      const learner = Number(batch[0]!.split('-')[1]);
      const answer = await client.post(`${server.url}/api/analytics/event`, learners[learner]!, { events: batch.map((id) => ({ id, type: 'heartbeat', courseId, occurredAt: '2026-03-01T09:30:00Z' })) });
      expect(answer.status).toBe(200);
      expect(answer.body.stored).toBe(batch.filter((id) => !storedIds.has(id)).length);
      newlyStored += answer.body.stored;
    });
    const after = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_events WHERE tenant_id = $1', [tenantId])).rows[0]!.n;
    expect(after).toBe(before + newlyStored);
    expect(after).toBe(sentIds.size);
  }, 300_000);
});
