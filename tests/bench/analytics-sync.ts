import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAnalyticsSync } from '../../core/analytics-sync/service.js';
import { openDatabase } from '../../db/open.js';
import type { FunnelDay, ItemStatistics, LessonStatistics, QuizStatistics } from '../../schemas/analytics.js';
import type { PackageDocument } from '../../schemas/package.js';
import { buildServerApp } from '../../server/app.js';
import { lockCourseDay, replaceDay, type DayAggregate } from '../../server/analytics/storage.js';
import { openServerDatabase } from '../../server/db/connection.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { tempDataDir } from '../helpers.js';
import { courseFixture } from '../integration/db/fixtures.js';
import { tenantWithKeys } from '../server/support/jobs.js';
import { asCourse, publishLive } from '../server/support/learning.js';
import { postgresUnavailable, startPostgresCluster } from '../server/support/postgres.js';
import type { BenchRow } from './measure.js';

const DAYS = 30;
const QUESTIONS_PER_QUIZ = 5;

/**
 * `coursewright sync` pulling one course's analytics from a server on PostgreSQL: a 480-lesson
 * course with 30 computed days (funnel, 480 lessons, 480 quizzes, 2,400 items a day), stored on
 * the server by its own storage function. The first pull transfers everything; an incremental
 * pull with nothing new transfers nothing; one after a single day was recomputed brings that day.
 */
export async function benchAnalyticsSync(): Promise<BenchRow[]> {
  if (postgresUnavailable) return [{ name: 'analytics sync', value: 0, unit: '', note: `skipped: ${postgresUnavailable}` }];
  const cluster = await startPostgresCluster();
  const database = await openServerDatabase({ kind: 'postgres', url: await cluster.createDatabase() });
  const app = await buildServerApp({ database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const serverUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const studio = openDatabase(path.join(tempDataDir('bench-analytics-sync'), 'coursewright.db'));
  try {
    const tenant = await tenantWithKeys(database, 'Analytics Sync Bench');
    const course = await asCourse(samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } }) as unknown as { document: PackageDocument }, 'course-bench-analytics', 'Analytics bench');
    await publishLive({ app, database, tenantWithKeys: (name) => tenantWithKeys(database, name) }, tenant.keys.author, course);
    studio.store.courses.insert(courseFixture('course-bench-analytics'));
    const lessonIds = course.document.modules.flatMap((m) => m.lessons.map((l) => l.id));

    const aggregateFor = (day: string, bump: number): DayAggregate => {
      const funnel: FunnelDay = { day, packageVersion: 1, courseViewed: 900 + bump, enrolled: 700, purchased: null, started: 650, completed: 120, completionRate: 120 / 650, activeLearners: 300 };
      const lessons: LessonStatistics[] = lessonIds.map((lessonId, lessonIndex) => ({ packageVersion: 1, lessonIndex, lessonId, title: `Lesson ${lessonIndex + 1}`, estimatedMinutes: 20, views: 600 - lessonIndex, completions: 550 - lessonIndex, dropOff: 2, dropOffRate: 0.004, medianMinutes: 18.5, p90Minutes: 31 }));
      const quizHash = course.contentHash;
      const quizzes: QuizStatistics[] = lessonIds.map((lessonId, i) => ({ packageVersion: 1, lessonId, quizItemId: `quiz-${i}`, quizContentHash: quizHash, questionCount: QUESTIONS_PER_QUIZ, n: 500, firstAttemptPassRate: 0.7, kr20: 0.72 }));
      const items: ItemStatistics[] = lessonIds.flatMap((lessonId, i) =>
        Array.from({ length: QUESTIONS_PER_QUIZ }, (_, q) => ({ packageVersion: 1, lessonId, quizItemId: `quiz-${i}`, quizContentHash: quizHash, questionId: `q${q + 1}`, questionIndex: q, keyIndex: q % 4, n: 500, facility: 0.65, discrimination: 0.35, optionShares: [0.65, 0.15, 0.12, 0.08], nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: false })),
      );
      return { courseId: 'course-bench-analytics', packageVersion: 1, packageContentHash: course.contentHash, day, inactiveAfterDays: 7, funnel, lessons, quizzes, items, signals: [] };
    };
    const store = async (aggregate: DayAggregate) =>
      database.db.transaction(async (tx) => {
        await lockCourseDay(tx as never, tenant.id, aggregate.courseId, aggregate.day);
        await replaceDay(tx as never, tenant.id, aggregate, []);
      });
    const days = Array.from({ length: DAYS }, (_, i) => new Date(Date.UTC(2025, 3, 1 + i)).toISOString().slice(0, 10));
    for (const day of days) await store(aggregateFor(day, 0));

    let bytes = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      bytes += Number((await response.clone().arrayBuffer()).byteLength);
      return response;
    };
    const sync = createAnalyticsSync({ store: studio.store, keyFor: () => tenant.keys.author, actor: () => 'bench', fetch: countingFetch, timeoutMs: 120_000 });
    const timed = async () => {
      bytes = 0;
      const started = performance.now();
      const pulled = await sync.pull(serverUrl);
      return { ms: performance.now() - started, bytes, days: pulled.received.days };
    };
    const first = await timed();
    const nothingNew = await timed();
    await store(aggregateFor(days.at(-1)!, 1));
    const oneDay = await timed();
    const rowsPerDay = 1 + lessonIds.length * 2 + lessonIds.length * QUESTIONS_PER_QUIZ;
    return [
      { name: 'analytics sync: first pull', value: first.ms, unit: 'ms', note: `${first.days} days × ${rowsPerDay} rows, ${(first.bytes / 1e6).toFixed(1)} MB` },
      { name: 'analytics sync: incremental, nothing new', value: nothingNew.ms, unit: 'ms', note: `${nothingNew.days} days, ${nothingNew.bytes} bytes; first pull is ${(first.ms / nothingNew.ms).toFixed(0)}× as long` },
      { name: 'analytics sync: incremental, one day recomputed', value: oneDay.ms, unit: 'ms', note: `${oneDay.days} day, ${(oneDay.bytes / 1e6).toFixed(2)} MB; first pull is ${(first.ms / oneDay.ms).toFixed(1)}× as long` },
    ];
  } finally {
    studio.close();
    await app.close();
    cluster.stop();
  }
}
