import { samplePackage } from '../fixtures/sample-package.js';
import { percentile, runLearnerLoad } from '../server/support/learner-load.js';
import { seedEnrolledLearners } from '../server/support/server-process.js';
import type { BenchRow } from './measure.js';
import { serverBenchUnavailable, startBenchServer } from './server-fixture.js';

const LEARNERS = 200;
const DURATION_MS = Number(process.env.COURSEWRIGHT_BENCH_LOAD_MS ?? 30_000);

/**
 * 200 learners' players at once for 30 s against one server process on PostgreSQL, over loopback:
 * each, once a second, fetches a lesson, reports progress and sends 10 events. Reports errors
 * (target none) and the lesson fetch's p99 (target < 50 ms).
 */
export async function benchServerLoad(): Promise<BenchRow[]> {
  if (serverBenchUnavailable) return [{ name: 'server load', value: 0, unit: '', note: `skipped: ${serverBenchUnavailable}` }];
  const pkg = samplePackage();
  const courseId = pkg.document.course.id;
  const lessonCount = pkg.document.modules.reduce((sum, module) => sum + module.lessons.length, 0);
  const bench = await startBenchServer('Load Bench Academy', pkg);
  try {
    const learners = await seedEnrolledLearners(bench.databaseUrl, bench.tenantId, courseId, LEARNERS, 'bench');
    const result = await runLearnerLoad({ client: bench.client, baseUrl: bench.server.url, learners, courseId, lessonCount, durationMs: DURATION_MS, cycleMs: 1000, eventsPerBatch: 10, runId: 'bench' });
    const { lesson, progress, events } = result.latencyMs;
    const seconds = result.elapsedMs / 1000;
    return [
      { name: `server load: ${LEARNERS} learners for ${(DURATION_MS / 1000).toFixed(0)} s, errors`, value: result.errorCount, unit: 'errors', target: '0', note: `${result.requests} requests, ${(result.requests / seconds).toFixed(0)} req/s; ${result.eventsStored} events stored${result.firstErrors.length ? `; first: ${result.firstErrors.join(' | ')}` : ''}` },
      { name: 'server load: lesson fetch p99', value: percentile(lesson, 0.99), unit: 'ms', target: '< 50 ms', note: `p50 ${percentile(lesson, 0.5).toFixed(1)} ms over ${lesson.length} fetches` },
      { name: 'server load: progress report p99', value: percentile(progress, 0.99), unit: 'ms', note: `p50 ${percentile(progress, 0.5).toFixed(1)} ms` },
      { name: 'server load: event batch (10) p99', value: percentile(events, 0.99), unit: 'ms', note: `p50 ${percentile(events, 0.5).toFixed(1)} ms` },
    ];
  } finally {
    await bench.stop();
  }
}
