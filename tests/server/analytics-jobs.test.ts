import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANALYTICS_SCHEDULE, analyticsQueues } from '../../server/analytics/jobs.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually, startTestServerWithJobs, type TestServerWithJobs } from './support/jobs.js';
import { learner, progress, todayUtc, clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES } from './support/analytics.js';
import { asCourse, publishLive } from './support/learning.js';

const pkg = samplePackage();

describeOnBothDatabases('learner analytics: the nightly pg-boss job, one aggregation per tenant, course and day', (target) => {
  let server: TestServerWithJobs;
  let tenant: Awaited<ReturnType<TestServerWithJobs['tenantWithKeys']>>;
  const nightly = async (day: string) => {
    const id = await server.jobs.enqueueNightlyAnalytics(day);
    return eventually('the nightly analytics job to complete', async () => {
      const job = await server.jobs.jobState(analyticsQueues.nightly, id);
      if (job?.state === 'failed') throw new Error(`nightly job failed: ${JSON.stringify(job.output)}`);
      return job?.state === 'completed' ? (job.output as { day: string; queued: number; alreadyQueued: number }) : undefined;
    });
  };

  beforeAll(async () => {
    await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
    server = await startTestServerWithJobs(await target.freshLocation());
    tenant = await server.tenantWithKeys('Nightly Academy');
    await publishLive(server, tenant.keys.author, pkg);
    await publishLive(server, tenant.keys.author, await asCourse(pkg, 'course-second', 'A second course'));
    const other = await server.tenantWithKeys('Nightly Academy B');
    await publishLive(server, other.keys.author, pkg);
    for (const email of ['n1@nightly.example', 'n2@nightly.example']) {
      const who = await learner(server, tenant.id, email, pkg.document.course.id);
      await progress(who, pkg.document.course.id, 0, false, 60);
    }
  }, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);
  afterAll(() => server?.app.close());

  it('is scheduled daily in the database (one schedule for every instance)', async () => {
    expect(await server.database.query("SELECT name, cron FROM pgboss.schedule WHERE name = 'analytics-nightly'")).toEqual([{ name: 'analytics-nightly', cron: ANALYTICS_SCHEDULE }]);
    expect(ANALYTICS_SCHEDULE).toBe('15 0 * * *');
  });

  it('queues one job per tenant and live course, which computes the day; queuing the same day again (a second instance) adds no job', async () => {
    const day = todayUtc();
    expect(await nightly(day)).toEqual({ day, queued: 3, alreadyQueued: 0 });
    const days = await eventually('three course days to be computed', async () => {
      const rows = await server.database.query<{ tenant_id: string; course_id: string }>('SELECT tenant_id, course_id FROM analytics_days ORDER BY tenant_id, course_id');
      return rows.length === 3 ? rows : undefined;
    });
    expect(days.filter((row) => row.tenant_id === tenant.id).map((row) => row.course_id)).toEqual(['course-sample', 'course-second']);
    expect(await nightly(day)).toEqual({ day, queued: 0, alreadyQueued: 3 });
    expect(await server.database.query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'analytics-aggregate'")).toEqual([{ n: 3 }]);
    // The job used the server's default window of 7 days: learners active today have not dropped off.
    const course = await server.app.inject({ method: 'GET', url: '/api/admin/analytics/course/course-sample', headers: bearer(tenant.keys.analyst) });
    expect(course.json()).toMatchObject({ funnel: { enrolled: 2, started: 2 }, lessons: expect.arrayContaining([expect.objectContaining({ lessonIndex: 0, views: 2, dropOff: 0 })]) });
  }, 300_000);
});
