import pg from 'pg';
import { samplePackage } from '../fixtures/sample-package.js';
import { percentile } from '../server/support/learner-load.js';
import { seedEnrolledLearners } from '../server/support/server-process.js';
import type { BenchRow } from './measure.js';
import { serverBenchUnavailable, startBenchServer } from './server-fixture.js';

const BATCH = 100;
const CONCURRENCY = 8;
const BATCHES_PER_ROUND = 120;
const ROUNDS = 3;

/**
 * Learner events through the server (POST /api/analytics/event, 100 events a batch, 8 players at
 * once) against the floor under it: the same rows as one multi-row INSERT each through `pg`,
 * 8 connections at once, into the same table of the same database. Rounds alternate between the
 * two, so a busy moment on the machine hits both alike; rates are over all rounds.
 */
export async function benchServerIngest(): Promise<BenchRow[]> {
  if (serverBenchUnavailable) return [{ name: 'server event ingestion', value: 0, unit: '', note: `skipped: ${serverBenchUnavailable}` }];
  const pkg = samplePackage();
  const courseId = pkg.document.course.id;
  const bench = await startBenchServer('Ingestion Bench Academy', pkg);
  const sql = new pg.Pool({ connectionString: bench.databaseUrl, max: CONCURRENCY });
  try {
    const tokens = await seedEnrolledLearners(bench.databaseUrl, bench.tenantId, courseId, CONCURRENCY, 'ingest');
    const [{ id: userId }] = (await sql.query<{ id: string }>("SELECT id FROM users WHERE email = 'ingest0@load.example'")).rows as [{ id: string }];
    const occurredAt = '2026-03-01T09:30:00.000Z';
    const eventsOf = (prefix: string) => Array.from({ length: BATCH }, (_, index) => ({ id: `${prefix}-${index}`, type: index === 0 ? 'lesson_viewed' : 'heartbeat', courseId, lessonIndex: index % 12, occurredAt, data: { seconds: 15 } }));

    const viaHttp = async (round: number, latencies: number[]) => {
      let next = 0;
      await Promise.all(
        tokens.map(async (token, player) => {
          while (next < BATCHES_PER_ROUND) {
            const batch = next++;
            const started = performance.now();
            const answer = await bench.client.post(`${bench.server.url}/api/analytics/event`, token, { events: eventsOf(`http-${round}-${player}-${batch}`) });
            latencies.push(performance.now() - started);
            if (answer.status !== 200 || answer.body.stored !== BATCH) throw new Error(`ingestion answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
          }
        }),
      );
    };
    const columns = 8;
    const placeholders = Array.from({ length: BATCH }, (_, row) => `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`).join(', ');
    const bare = async (round: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, player) => {
          while (next < BATCHES_PER_ROUND) {
            const batch = next++;
            const values = eventsOf(`bare-${round}-${player}-${batch}`).flatMap((event) => [bench.tenantId, event.id, userId, event.type, event.courseId, event.lessonIndex, event.occurredAt, JSON.stringify(event.data)]);
            await sql.query(`INSERT INTO analytics_events (tenant_id, id, user_id, type, course_id, lesson_index, occurred_at, data) VALUES ${placeholders}`, values);
          }
        }),
      );
    };

    // Warm both paths (connections, JIT, the server's caches) before timing anything.
    await viaHttp(-1, []);
    await bare(-1);
    let httpMs = 0;
    let bareMs = 0;
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      await bare(round);
      bareMs += performance.now() - started;
      started = performance.now();
      await viaHttp(round, latencies);
      httpMs += performance.now() - started;
    }
    const events = ROUNDS * BATCHES_PER_ROUND * BATCH;
    const httpRate = events / (httpMs / 1000);
    const bareRate = events / (bareMs / 1000);
    return [
      { name: 'server events: bare multi-row INSERT through pg (100 rows, 8 connections)', value: bareRate, unit: 'events/s', note: `${events} events in ${ROUNDS} rounds` },
      { name: 'server events: POST /api/analytics/event (batches of 100, 8 players)', value: httpRate, unit: 'events/s', note: `${events} events; p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms a batch` },
      { name: 'server events: HTTP ÷ bare INSERT', value: httpRate / bareRate, unit: '×', target: '≥ 0.5×' },
      { name: 'server events: HTTP batch p99 latency', value: percentile(latencies, 0.99), unit: 'ms', note: `${latencies.length} batches of 100` },
    ];
  } finally {
    await sql.end();
    await bench.stop();
  }
}
