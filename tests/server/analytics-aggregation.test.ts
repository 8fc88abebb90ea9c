import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import type { TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { answer, getJson, learner, progress, runAggregation, sendEvents, startAnalyticsServer, storedAnalytics, todayUtc, type Learner, clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES } from './support/analytics.js';
import { publishLive } from './support/learning.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;
// The sample course: 18 lessons; lesson 0's quiz has 3 questions of 4 options keyed 0, 1, 2; passing takes 3 of 3 (pass mark 0.7).

describeOnBothDatabases('learner analytics: the aggregation job counts what learners did, once, per course version', (target) => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let learners: Learner[];
  let day: string;

  beforeAll(async () => {
    await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
    day = todayUtc();
    server = await startAnalyticsServer(await target.freshLocation());
    tenant = await server.tenantWithKeys('Analytics Academy');
    await publishLive(server, tenant.keys.author, pkg);
    // Five learners enrol; a sixth only looks at the course page.
    learners = [];
    for (let i = 1; i <= 5; i++) learners.push(await learner(server, tenant.id, `l${i}@analytics.example`, courseId));
    const [l1, l2, l3, l4] = learners as [Learner, Learner, Learner, Learner, Learner];
    const l6 = await learner(server, tenant.id, 'l6@analytics.example');
    for (const who of [...learners, l6]) await sendEvents(who, [{ type: 'course_viewed', courseId }]);
    // L1 completes the whole course, 10 minutes a lesson.
    for (let lesson = 0; lesson < 18; lesson++) await progress(l1, courseId, lesson, true, 600);
    // L2 completes lessons 0 and 1 (20 minutes each) and opens lesson 2.
    await progress(l2, courseId, 0, true, 1200);
    await progress(l2, courseId, 1, true, 1200);
    await progress(l2, courseId, 2, false, 60);
    // L3 completes lesson 0 in 30 minutes; L4 opens lesson 0 only (a lesson_viewed event, no progress); L5 does nothing.
    await progress(l3, courseId, 0, true, 1800);
    await sendEvents(l4, [{ type: 'lesson_viewed', courseId, lessonIndex: 0 }]);
    // Lesson 0's quiz: L1 right on all three, then a worse retry that must not count; L2 misses question 3; L3 misses question 1.
    await answer(l1, courseId, 0, [0, 1, 2]);
    await answer(l1, courseId, 0, [3, 3, 3]);
    await answer(l2, courseId, 0, [0, 1, 3]);
    await answer(l3, courseId, 0, [1, 1, 2]);
  }, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);
  afterAll(() => server?.app.close());

  it('the funnel: 6 viewed, 5 enrolled, 4 started, 1 completed; no purchases for a free course; 6 active', async () => {
    const run = await runAggregation(server, tenant.keys.admin, { courseId });
    expect(run).toMatchObject({ day, inactiveAfterDays: 0, runs: [{ courseId, packageVersion: 1, written: true, lessons: 18, quizzes: 18, items: 54 }] });
    const funnel = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/funnel/${courseId}`);
    expect(funnel).toEqual({
      courseId,
      packageVersion: 1,
      from: day,
      to: day,
      days: [{ day, packageVersion: 1, courseViewed: 6, enrolled: 5, purchased: null, started: 4, completed: 1, completionRate: 0.25, activeLearners: 6 }],
    });
    const course = await getJson(server, tenant.keys.admin, `/api/admin/analytics/course/${courseId}`);
    expect(course).toMatchObject({ courseId, packageVersion: 1, packageContentHash: pkg.contentHash, from: day, to: day, funnel: { courseViewed: 6, enrolled: 5, purchased: null, started: 4, completed: 1, completionRate: 0.25 }, activeLearnersByDay: [{ day, activeLearners: 6 }] });
  });

  it('per lesson: views, completions, drop-off at each learner\'s furthest lesson (window 0) and median/p90 minutes of those who completed', async () => {
    const { lessons } = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/course/${courseId}`);
    expect(lessons).toHaveLength(18);
    // Lesson 0: reached by L1–L4, completed by L1–L3 in 10, 20 and 30 minutes; L3 and L4 stopped there.
    expect(lessons[0]).toEqual({ packageVersion: 1, lessonIndex: 0, lessonId: pkg.document.modules[0]!.lessons[0]!.id, title: pkg.document.modules[0]!.lessons[0]!.title, estimatedMinutes: 20, views: 4, completions: 3, dropOff: 2, dropOffRate: 0.5, medianMinutes: 20, p90Minutes: 28 });
    // Lesson 1: L1 (10 min) and L2 (20 min) completed it; nobody stopped there.
    expect(lessons[1]).toMatchObject({ views: 2, completions: 2, dropOff: 0, dropOffRate: 0, medianMinutes: 15, p90Minutes: 19 });
    // Lesson 2: L2 opened it and stopped; L1 finished the course, so the last lesson is nobody's drop-off.
    expect(lessons[2]).toMatchObject({ views: 2, completions: 1, dropOff: 1, dropOffRate: 0.5 });
    expect(lessons[17]).toMatchObject({ views: 1, completions: 1, dropOff: 0, medianMinutes: 10, p90Minutes: 10 });
  });

  it('item analysis counts first attempts only: n 3, facility 2/3, 1, 2/3; first-attempt pass rate 1/3', async () => {
    const items = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/items/${courseId}`);
    const quiz = items.quizzes.find((q: { lessonId: string }) => q.lessonId === pkg.document.modules[0]!.lessons[0]!.id);
    expect(quiz).toMatchObject({ packageVersion: 1, questionCount: 3, n: 3, firstAttemptPassRate: 1 / 3 });
    const questions = items.items.filter((item: { quizItemId: string }) => item.quizItemId === quiz.quizItemId);
    expect(questions.map((q: { n: number; facility: number; keyIndex: number }) => [q.n, q.facility, q.keyIndex])).toEqual([
      [3, 2 / 3, 0],
      [3, 1, 1],
      [3, 2 / 3, 2],
    ]);
    // Question 1: two chose the key (0), one chose option 1; options 2 and 3 drew nobody.
    expect(questions[0].optionShares).toEqual([2 / 3, 1 / 3, 0, 0]);
    expect(questions[0].nonFunctionalDistractors).toEqual([2, 3]);
    // A quiz nobody took is listed with n 0.
    expect(items.quizzes.filter((q: { n: number }) => q.n === 0)).toHaveLength(17);
  });

  it('aggregates carry no learner id, email or event id', async () => {
    const bodies = [
      JSON.stringify(await getJson(server, tenant.keys.analyst, `/api/admin/analytics/course/${courseId}`)),
      JSON.stringify(await getJson(server, tenant.keys.analyst, `/api/admin/analytics/funnel/${courseId}`)),
      JSON.stringify(await getJson(server, tenant.keys.analyst, `/api/admin/analytics/items/${courseId}`)),
      JSON.stringify(await getJson(server, tenant.keys.author, '/api/admin/analytics/changes')),
    ];
    const eventIds = (await server.database.query<{ id: string }>('SELECT id FROM analytics_events')).map((row) => row.id);
    expect(eventIds.length).toBeGreaterThan(0);
    for (const body of bodies) {
      for (const who of learners) expect(body).not.toContain(who.userId);
      expect(body).not.toMatch(/@analytics\.example|userId|user_id/);
      for (const id of eventIds) expect(body).not.toContain(id);
    }
  });

  it('recomputing the day gives the same rows and writes nothing; new activity changes the day on the next run', async () => {
    const before = await storedAnalytics(server, tenant.id);
    expect(before.analytics_lesson_stats).toHaveLength(18);
    const again = await runAggregation(server, tenant.keys.admin, { courseId, date: day });
    expect(again.runs[0]).toMatchObject({ written: false });
    expect(await storedAnalytics(server, tenant.id)).toEqual(before);

    await sendEvents(learners[4]!, [{ type: 'lesson_viewed', courseId, lessonIndex: 5 }]);
    const changed = await runAggregation(server, tenant.keys.admin, { courseId, date: day });
    expect(changed.runs[0]).toMatchObject({ written: true });
    const { funnel, lessons } = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/course/${courseId}`);
    expect(funnel).toMatchObject({ started: 5, completed: 1, completionRate: 0.2 });
    expect(lessons[5]).toMatchObject({ views: 2, dropOff: 1 });
    // Still one row per lesson: the day was replaced, not added to.
    expect((await storedAnalytics(server, tenant.id)).analytics_lesson_stats).toHaveLength(18);
  });

  it('two runs at once never double-count: one day, one set of rows, the same numbers', async () => {
    const [one, two] = await Promise.all([runAggregation(server, tenant.keys.admin, { courseId }), runAggregation(server, tenant.keys.admin, {})]);
    expect(one.runs).toHaveLength(1);
    expect(two.runs).toHaveLength(1);
    const stored = await storedAnalytics(server, tenant.id);
    expect(stored.analytics_days).toHaveLength(1);
    expect(stored.analytics_funnel_days).toHaveLength(1);
    expect(stored.analytics_lesson_stats).toHaveLength(18);
    expect(stored.analytics_item_stats).toHaveLength(54);
    const funnel = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/funnel/${courseId}`);
    expect(funnel.days).toEqual([expect.objectContaining({ courseViewed: 6, enrolled: 5, started: 5, completed: 1 })]);
  });

  it('a day before the course was live computes nothing; a malformed or impossible date is refused with 400', async () => {
    const early = await runAggregation(server, tenant.keys.admin, { courseId, date: '2020-01-01' });
    expect(early.runs).toEqual([{ courseId, packageVersion: null, written: false, lessons: 0, quizzes: 0, items: 0, signals: 0, suggestionsCreated: 0 }]);
    for (const date of ['2026-02-30', '01/03/2026']) {
      const refused = await server.app.inject({ method: 'POST', url: '/api/admin/analytics/run', headers: { authorization: `Bearer ${tenant.keys.admin}` }, payload: { date } });
      expect(refused.statusCode, date).toBe(400);
      expect(refused.json().error.message).toMatch(/date/);
    }
  });

  it('?version= picks a version (unknown → 404), ?from/&to narrow the days (reversed → 400)', async () => {
    expect((await server.app.inject({ method: 'GET', url: `/api/admin/analytics/course/${courseId}?version=9`, headers: { authorization: `Bearer ${tenant.keys.analyst}` } })).statusCode).toBe(404);
    expect(await getJson(server, tenant.keys.analyst, `/api/admin/analytics/funnel/${courseId}?version=1&from=${day}&to=${day}`)).toMatchObject({ packageVersion: 1, days: [{ day }] });
    expect(await getJson(server, tenant.keys.analyst, `/api/admin/analytics/funnel/${courseId}?to=2020-01-31`)).toMatchObject({ to: '2020-01-31', days: [] });
    const reversed = await server.app.inject({ method: 'GET', url: `/api/admin/analytics/funnel/${courseId}?from=2026-03-02&to=2026-03-01`, headers: { authorization: `Bearer ${tenant.keys.analyst}` } });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.message).toContain('from must be on or before to');
  });
});
