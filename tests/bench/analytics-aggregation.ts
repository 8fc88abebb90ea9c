import { canonicalJson } from '../../core/hash.js';
import { aggregateCourseDay } from '../../server/analytics/aggregate.js';
import { openServerDatabase } from '../../server/db/connection.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { postgresUnavailable, startPostgresCluster } from '../server/support/postgres.js';
import type { BenchRow } from './measure.js';

const LEARNERS = 15_000;
/** Learners 0 … RETRIERS-1 answer every quiz twice; only their first attempt may count. */
const RETRIERS = 3_519;
const EVENTS = 200_000;

/**
 * The nightly aggregation of one course and day on PostgreSQL over 1,000,000 stored answers
 * (18 quizzes of 3 questions; 15,000 learners, a quarter of them with a second attempt at every
 * quiz) and 200,000 events, against the floor under it: one hand-written SQL GROUP BY computing
 * the facility index of every question over the same first attempts. The aggregation computes
 * far more (funnel, drop-off, times, point-biserials, option shares, KR-20, signals) and writes
 * its rows; the ratio says what that costs over the bare query. The facilities of both must agree.
 */
export async function benchAnalyticsAggregation(): Promise<BenchRow[]> {
  if (postgresUnavailable) return [{ name: 'analytics aggregation', value: 0, unit: '', note: `skipped: ${postgresUnavailable}` }];
  const cluster = await startPostgresCluster();
  const database = await openServerDatabase({ kind: 'postgres', url: await cluster.createDatabase() });
  try {
    const pkg = samplePackage();
    const courseId = pkg.document.course.id;
    const lessons = pkg.document.modules.flatMap((module) => module.lessons);
    const quizzes = lessons.map((lesson, lessonIndex) => ({ lessonIndex, lessonId: lesson.id, quizItemId: lesson.quiz.itemId, quizContentHash: lesson.quiz.contentHash, questions: lesson.quiz.content.questions.map((q) => ({ id: q.id, key: q.correctIndex })) }));
    const tenantId = 'ten_bench';
    const q = (text: string, params: unknown[] = []) => database.query(text, params);
    await q("INSERT INTO tenants (id, name) VALUES ($1, 'Aggregation Bench Academy')", [tenantId]);
    await q("INSERT INTO packages (tenant_id, content_hash, course_id, version, title, document, size_bytes, published_by) VALUES ($1, $2, $3, 1, 'bench', $4::jsonb, 1, 'bench')", [tenantId, pkg.contentHash, courseId, canonicalJson(pkg.document)]);
    await q("INSERT INTO releases (tenant_id, course_id, live_hash, revision, released_by, released_at) VALUES ($1, $2, $3, 1, 'bench', now() - interval '2 hours')", [tenantId, courseId, pkg.contentHash]);
    await q("INSERT INTO users (id, tenant_id, email, password_hash) SELECT 'u' || i, $1, 'u' || i || '@bench.example', 'x' FROM generate_series(0, $2 - 1) i", [tenantId, LEARNERS]);
    await q("INSERT INTO enrolments (tenant_id, user_id, course_id, via, enrolled_at) SELECT $1, 'u' || i, $2, 'free', now() - interval '1 hour' FROM generate_series(0, $3 - 1) i", [tenantId, courseId, LEARNERS]);
    // Learner i has worked through lessons 0 … i mod 18, completing all but the last of them.
    await q(
      `INSERT INTO lesson_progress (tenant_id, user_id, course_id, lesson_index, completed, completed_at, time_spent_seconds, last_activity_at)
       SELECT $1, 'u' || i, $2, l, l < i % 18, CASE WHEN l < i % 18 THEN now() - interval '30 minutes' END, 300 + (i * 7 + l * 13) % 1500, now() - interval '30 minutes'
       FROM generate_series(0, $3 - 1) i, generate_series(0, 17) l WHERE l <= i % 18`,
      [tenantId, courseId, LEARNERS],
    );
    // Every learner attempts every quiz once; the retriers a second time, later.
    const quizJson = JSON.stringify(quizzes.map((quiz) => ({ lesson_index: quiz.lessonIndex, lesson_id: quiz.lessonId, quiz_item_id: quiz.quizItemId, quiz_content_hash: quiz.quizContentHash })));
    await q(
      `INSERT INTO attempts (tenant_id, id, user_id, course_id, lesson_index, lesson_id, quiz_item_id, quiz_content_hash, package_content_hash, package_version, question_count, correct_count, passed, created_at)
       SELECT $1, 'a' || t || '-' || i || '-' || z.lesson_index, 'u' || i, $2, z.lesson_index, z.lesson_id, z.quiz_item_id, z.quiz_content_hash, $3, 1, 3, 0, false, now() - interval '20 minutes' + t * interval '1 minute'
       FROM generate_series(0, 1) t, generate_series(0, $4 - 1) i, jsonb_to_recordset($5::jsonb) AS z(lesson_index int, lesson_id text, quiz_item_id text, quiz_content_hash text)
       WHERE t = 0 OR i < $6`,
      [tenantId, courseId, pkg.contentHash, LEARNERS, quizJson, RETRIERS],
    );
    // Chosen options: mostly the key for stronger learners, spread over the options otherwise.
    const keyJson = JSON.stringify(quizzes.flatMap((quiz) => quiz.questions.map((question, questionIndex) => ({ lesson_index: quiz.lessonIndex, question_index: questionIndex, question_id: question.id, key: question.key }))));
    await q(
      `INSERT INTO attempt_answers (tenant_id, attempt_id, question_index, question_id, chosen_index, correct)
       SELECT $1, a.id, k.question_index, k.question_id, c.chosen, c.chosen = k.key
       FROM attempts a JOIN jsonb_to_recordset($2::jsonb) AS k(lesson_index int, question_index int, question_id text, key int) ON k.lesson_index = a.lesson_index,
       LATERAL (SELECT CASE WHEN (hashtext(a.id || k.question_index) & 1023) < 400 + (substr(a.user_id, 2)::int % 500) THEN k.key ELSE abs(hashtext(a.id || k.question_id)) % 4 END AS chosen) c
       WHERE a.tenant_id = $1`,
      [tenantId, keyJson],
    );
    await q(
      `INSERT INTO analytics_events (tenant_id, id, user_id, type, course_id, lesson_index, occurred_at)
       SELECT $1, 'e' || e, 'u' || (e % $3), CASE WHEN e % 5 = 0 THEN 'lesson_viewed' WHEN e % 97 = 0 THEN 'course_viewed' ELSE 'heartbeat' END, $2, CASE WHEN e % 97 = 0 THEN NULL ELSE e % 18 END, now() - interval '40 minutes'
       FROM generate_series(0, $4 - 1) e`,
      [tenantId, courseId, LEARNERS, EVENTS],
    );
    // As a live server holds them: autovacuum has seen the inserted rows (their visibility map is set).
    await q('VACUUM ANALYZE');
    const [{ answers }] = (await q('SELECT count(*)::int AS answers FROM attempt_answers')) as [{ answers: number }];
    const [{ events }] = (await q('SELECT count(*)::int AS events FROM analytics_events')) as [{ events: number }];

    const day = new Date().toISOString().slice(0, 10);
    const groupBy = `WITH firsts AS (
        SELECT DISTINCT ON (user_id, quiz_item_id) id, quiz_item_id FROM attempts WHERE tenant_id = $1 AND course_id = $2 AND package_version = 1
        ORDER BY user_id, quiz_item_id, created_at, id)
      SELECT f.quiz_item_id, a.question_index, avg(a.correct::int)::float8 AS facility FROM firsts f JOIN attempt_answers a ON a.tenant_id = $1 AND a.attempt_id = f.id GROUP BY f.quiz_item_id, a.question_index`;
    // Warm the caches once for both, then time each (the aggregation's first timed run writes the day).
    await q(groupBy, [tenantId, courseId]);
    let started = performance.now();
    const facilities = (await q(groupBy, [tenantId, courseId])) as Array<{ quiz_item_id: string; question_index: number; facility: number }>;
    const groupByMs = performance.now() - started;
    started = performance.now();
    const outcome = await aggregateCourseDay(database.db, tenantId, courseId, day, { inactiveAfterDays: 0 });
    const aggregationMs = performance.now() - started;
    if (!outcome.written || outcome.items !== 54) throw new Error(`The aggregation did not write the day as expected: ${JSON.stringify(outcome)}`);
    const stored = (await q('SELECT quiz_item_id, question_index, facility, n FROM analytics_item_stats')) as Array<{ quiz_item_id: string; question_index: number; facility: number; n: number }>;
    for (const row of facilities) {
      const mine = stored.find((item) => item.quiz_item_id === row.quiz_item_id && item.question_index === row.question_index);
      if (!mine || Math.abs(mine.facility - row.facility) > 1e-12 || mine.n !== LEARNERS) throw new Error(`Facility of ${row.quiz_item_id} question ${row.question_index}: GROUP BY ${row.facility}, aggregation ${JSON.stringify(mine)}`);
    }
    const rows = answers + events;
    return [
      { name: 'analytics: aggregation of one course day (funnel, lessons, item analysis, signals, write)', value: aggregationMs / 1000, unit: 's', target: '< 10 s', note: `${answers} answers, ${events} events, ${outcome.signals} signals` },
      { name: 'analytics: aggregation throughput', value: rows / (aggregationMs / 1000), unit: 'rows/s', note: 'answers + events read' },
      { name: 'analytics: one SQL GROUP BY of the facility index (first attempts)', value: groupByMs / 1000, unit: 's', note: `${facilities.length} questions; the aggregation's facilities equal these` },
      { name: 'analytics: aggregation ÷ bare GROUP BY', value: aggregationMs / groupByMs, unit: '×' },
    ];
  } finally {
    await database.close();
    cluster.stop();
  }
}
