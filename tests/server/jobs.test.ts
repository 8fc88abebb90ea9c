import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServerDatabase } from '../../server/db/connection.js';
import { CLEANUP_SCHEDULE, jobQueues } from '../../server/jobs/background-jobs.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually, startTestServerWithJobs, type TestServerWithJobs } from './support/jobs.js';
import { publishLive, signUpLearner } from './support/learning.js';

describeOnBothDatabases('background jobs (pg-boss): expired sessions cleanup, schedule, shutdown', (target) => {
  let server: TestServerWithJobs;
  let tenant: Awaited<ReturnType<TestServerWithJobs['tenantWithKeys']>>;
  const me = (token: string) => server.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
  const sessionIds = async () => (await server.database.query<{ id: string }>('SELECT id FROM sessions ORDER BY id')).map((row) => row.id);
  const runCleanup = async () => {
    const jobId = await server.jobs.enqueueCleanup();
    return eventually('the cleanup job to complete', async () => {
      const job = await server.jobs.jobState(jobQueues.cleanup, jobId);
      if (job?.state === 'failed') throw new Error(`cleanup failed: ${JSON.stringify(job.output)}`);
      return job?.state === 'completed' ? job.output : undefined;
    });
  };

  beforeAll(async () => {
    server = await startTestServerWithJobs(await target.freshLocation());
    tenant = await server.tenantWithKeys('Jobs Academy');
  }, 300_000);
  afterAll(() => server?.app.close());

  it('the cleanup job removes expired sessions (their tokens stop working) and keeps live ones', async () => {
    const expiring = await signUpLearner(server, tenant.id, 'old@jobs.example');
    const live = await signUpLearner(server, tenant.id, 'new@jobs.example');
    expect((await me(expiring.token)).statusCode).toBe(200);
    // One session ran out a minute ago, one ends in an hour: only the first is expired.
    await server.database.query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1", [expiring.userId]);
    await server.database.query("UPDATE sessions SET expires_at = now() + interval '1 hour' WHERE user_id = $1", [live.userId]);
    const [expiredSession] = await server.database.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1', [expiring.userId]);
    const [liveSession] = await server.database.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1', [live.userId]);

    const output = await runCleanup();
    expect(output).toMatchObject({ sessionsRemoved: 1 });
    const left = await sessionIds();
    expect(left).not.toContain(expiredSession!.id);
    expect(left).toContain(liveSession!.id);
    expect((await me(expiring.token)).statusCode).toBe(401);
    expect((await me(live.token)).statusCode).toBe(200);

    // Nothing more to remove: a second run finds nothing and keeps the live session.
    expect(await runCleanup()).toMatchObject({ sessionsRemoved: 0 });
    expect(await sessionIds()).toContain(liveSession!.id);
  }, 300_000);

  it('export files older than the 7-day retention are removed by the same job; newer ones stay downloadable', async () => {
    await publishLive(server, tenant.keys.author, samplePackage());
    const request = () => server.app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', headers: bearer(tenant.keys.author), payload: { format: 'html' } });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await request()).json().jobId);
    for (const id of ids) {
      await eventually(`export ${id} to complete`, async () => ((await server.app.inject({ method: 'GET', url: `/api/exports/${id}`, headers: bearer(tenant.keys.author) })).json().state === 'completed' ? true : undefined));
    }
    await server.database.query("UPDATE export_jobs SET created_at = now() - interval '8 days' WHERE id = $1", [ids[0]]);
    // The file row is insert-only, so its age is set the way it would have been: by deleting and inserting it 8 days older.
    await server.database.query("CREATE TEMP TABLE aged AS SELECT * FROM export_files WHERE export_id = $1", [ids[0]]);
    await server.database.query('DELETE FROM export_files WHERE export_id = $1', [ids[0]]);
    await server.database.query("INSERT INTO export_files SELECT tenant_id, export_id, file_name, media_type, size_bytes, sha256, bytes, now() - interval '8 days' FROM aged");
    await server.database.query('DROP TABLE aged');

    expect(await runCleanup()).toMatchObject({ exportFilesRemoved: 1 });
    const old = await server.app.inject({ method: 'GET', url: `/api/exports/${ids[0]}/file`, headers: bearer(tenant.keys.author) });
    expect(old.statusCode).toBe(404);
    expect(old.json().error.message).toContain('was removed 7 days after it was made; request a new export');
    expect((await server.app.inject({ method: 'GET', url: `/api/exports/${ids[1]}/file`, headers: bearer(tenant.keys.author) })).statusCode).toBe(200);
  }, 300_000);

  it('the cleanup is scheduled hourly in the database (every instance sees one schedule) and ran once at start', async () => {
    const schedules = await server.database.query<{ name: string; cron: string }>("SELECT name, cron FROM pgboss.schedule WHERE name = 'cleanup-expired'");
    expect(schedules).toEqual([{ name: 'cleanup-expired', cron: '0 * * * *' }]);
    expect(CLEANUP_SCHEDULE).toBe('0 * * * *');
    const startRuns = await server.database.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'cleanup-expired'");
    // At least the start-up run plus the runs this suite asked for (3); pg-boss keeps completed jobs for a while.
    expect(startRuns[0]!.n).toBeGreaterThanOrEqual(4);
  });
});

describeOnBothDatabases('background jobs stop with the server', (target) => {
  it('closing the app lets a running export finish before the database closes: no export is left half done', async () => {
    const location = await target.freshLocation();
    const server = await startTestServerWithJobs(location);
    const tenant = await server.tenantWithKeys('Shutdown Academy');
    await publishLive(server, tenant.keys.author, samplePackage());
    const queued = await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', headers: bearer(tenant.keys.author), payload: { format: 'pdf' } });
    expect(queued.statusCode).toBe(202);
    await eventually('the export to start', async () => ((await server.database.query<{ state: string }>('SELECT state FROM export_jobs'))[0]!.state === 'created' ? undefined : true));
    await server.app.close();

    const reopened = await openServerDatabase(location);
    try {
      const [row] = await reopened.query<{ state: string; files: number }>('SELECT state, (SELECT count(*)::int FROM export_files) AS files FROM export_jobs');
      expect(row).toEqual({ state: 'completed', files: 1 });
    } finally {
      await reopened.close();
    }
  }, 300_000);
});
