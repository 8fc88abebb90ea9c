import { samplePackage } from '../fixtures/sample-package.js';
import { percentile, runLearnerLoad } from '../server/support/learner-load.js';
import { seedEnrolledLearners } from '../server/support/server-process.js';
import type { BenchRow } from './measure.js';
import { serverBenchUnavailable, startBenchServer } from './server-fixture.js';
import { serverSideView } from './server-metrics.js';

// The target is for 200; fewer (COURSEWRIGHT_BENCH_LEARNERS=100) shows how much of a tail is this machine running every player too.
const LEARNERS = Number(process.env.COURSEWRIGHT_BENCH_LEARNERS ?? 200);
const DURATION_MS = Number(process.env.COURSEWRIGHT_BENCH_LOAD_MS ?? 30_000);

const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * 200 learners' players at once for 30 s against one server process on PostgreSQL, over loopback:
 * each opens the course on its own connection, then once a second fetches a lesson, reports
 * progress and sends 10 events. Reports errors (target none), the lesson fetch's p99 (target
 * < 50 ms) and, apart, the course open that sets each learner's connection up (see
 * runLearnerLoad for why it is apart). The generator's own event-loop delay is in the notes: the
 * players share the machine's two cores with the server and PostgreSQL, and time they wait for
 * their own process is in every latency measured.
 */
export async function benchServerLoad(): Promise<BenchRow[]> {
  if (serverBenchUnavailable) return [{ name: 'server load', value: 0, unit: '', note: `skipped: ${serverBenchUnavailable}` }];
  const pkg = samplePackage();
  const courseId = pkg.document.course.id;
  const lessonCount = pkg.document.modules.reduce((sum, module) => sum + module.lessons.length, 0);
  const bench = await startBenchServer('Load Bench Academy', pkg);
  try {
    const learners = await seedEnrolledLearners(bench.databaseUrl, bench.tenantId, courseId, LEARNERS, 'bench');
    const result = await runLearnerLoad({ baseUrl: bench.server.url, learners, courseId, lessonCount, durationMs: DURATION_MS, cycleMs: 1000, eventsPerBatch: 10, runId: 'bench' });
    const server = await serverSideView(bench.server.url, bench.databaseUrl, bench.tenantId, '/api/learn/courses/:courseId/lessons/:index');
    const { open, lesson, progress, events } = result.latencyMs;
    const seconds = result.elapsedMs / 1000;
    const generator = `the load generator used ${result.generatorCores.toFixed(2)} cores, its event-loop delay p99 ${ms(result.generatorDelayMs.p99)}, max ${ms(result.generatorDelayMs.max)}`;
    return [
      { name: `server load: ${LEARNERS} learners for ${(DURATION_MS / 1000).toFixed(0)} s, errors`, value: result.errorCount, unit: 'errors', target: '0', note: `${result.requests} requests, ${(result.requests / seconds).toFixed(0)} req/s; ${result.eventsStored} events stored${result.firstErrors.length ? `; first: ${result.firstErrors.join(' | ')}` : ''}` },
      {
        name: 'server load: course open p99 (first request, new connection)',
        value: percentile(open, 0.99),
        unit: 'ms',
        note: `p50 ${ms(percentile(open, 0.5))} over ${open.length} opens, which opened ${result.connections.atOpen} connections: includes the wait to be accepted (Node accepts one connection per event-loop turn, so a class arriving within a second at a busy server queues in the kernel)`,
      },
      { name: 'server load: lesson fetch p99', value: percentile(lesson, 0.99), unit: 'ms', target: '< 50 ms', note: `p50 ${ms(percentile(lesson, 0.5))} over ${lesson.length} fetches, ${result.connections.later} connections opened after the opens; ${generator}` },
      {
        name: 'server load: lesson fetches the server itself took > 50 ms',
        value: server.answered ? (100 * server.overMs[50]!) / server.answered : 0,
        unit: '%',
        note: `of ${server.answered} (over 25 ms: ${server.overMs[25]}, over 100 ms: ${server.overMs[100]}); the server's event-loop lag p99 ${ms(server.eventLoopLagP99Ms)}, max ${ms(server.eventLoopLagMaxMs)}; its garbage collection took ${Object.entries(server.gcSeconds).map(([kind, seconds]) => `${kind} ${(seconds * 1000).toFixed(0)} ms`).join(', ')}`,
      },
      { name: 'server load: progress report p99', value: percentile(progress, 0.99), unit: 'ms', note: `p50 ${ms(percentile(progress, 0.5))}` },
      { name: 'server load: event batch (10) p99', value: percentile(events, 0.99), unit: 'ms', note: `p50 ${ms(percentile(events, 0.5))}` },
    ];
  } finally {
    await bench.stop();
  }
}
