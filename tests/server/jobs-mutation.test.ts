import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyticsQueues } from '../../server/analytics/jobs.js';
import { runExportJob } from '../../server/exports/run-export.js';
import { createBackgroundJobs, jobQueues } from '../../server/jobs/background-jobs.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually, startTestServerWithJobs, type TestServerWithJobs } from './support/jobs.js';
import { publishLive } from './support/learning.js';

const pkg = samplePackage();

/**
 * Export jobs run directly (no pg-boss worker competing for the rows), so each run's effect on
 * the export row, its file and the audit is seen exactly: a job runs once, only for its own
 * tenant, and a failure is recorded with its reason.
 */
describeOnBothDatabases('an export job runs once, for its own tenant, and records how it ended', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  const brokenHash = 'f'.repeat(64);

  const queueExport = async (tenantId: string, contentHash: string, courseId: string, state = 'created') => {
    const id = randomUUID();
    await server.database.query('INSERT INTO export_jobs (tenant_id, id, requested_by, course_id, version, content_hash, format, state) VALUES ($1, $2, $3, $4, 1, $5, $6, $7)', [tenantId, id, 'key:requester', courseId, contentHash, 'html', state]);
    return id;
  };
  const row = async (id: string) => (await server.database.query<{ state: string; error: string | null; started: boolean; finished: boolean }>('SELECT state, error, started_at IS NOT NULL AS started, finished_at IS NOT NULL AS finished FROM export_jobs WHERE id = $1', [id]))[0];
  const files = (id: string) => server.database.query<{ file_name: string; media_type: string; size_bytes: number; sha256: string; bytes: Uint8Array }>('SELECT file_name, media_type, size_bytes, sha256, bytes FROM export_files WHERE export_id = $1', [id]);
  const audit = (id: string) => server.database.query<{ tenant_id: string; actor: string; action: string; entity_type: string; metadata: Record<string, unknown> }>("SELECT tenant_id, actor, action, entity_type, metadata FROM audit_log WHERE entity_type = 'export' AND entity_id = $1 ORDER BY id", [id]);

  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Export Runner A');
    b = await server.tenantWithKeys('Export Runner B');
    await publishLive(server, a.keys.author, pkg);
    // A stored package the exporters cannot read: its document has no course.
    await server.database.query("INSERT INTO packages (tenant_id, content_hash, course_id, version, title, document, size_bytes, published_by) VALUES ($1, $2, 'course-broken', 1, 'Broken', '{\"modules\": 3}'::jsonb, 14, 'key:test')", [a.id, brokenHash]);
  }, 300_000);
  afterAll(() => server?.app.close());

  it("a job named with another tenant's id does nothing to this tenant's export", async () => {
    const id = await queueExport(a.id, pkg.contentHash, 'course-sample');
    await runExportJob(server.database, { tenantId: b.id, exportId: id }, server.app.log);
    expect(await row(id)).toEqual({ state: 'created', error: null, started: false, finished: false });
    expect(await files(id)).toEqual([]);
    expect(await audit(id)).toEqual([]);
  }, 120_000);

  it('a created job completes: one file with its size and SHA-256, one audit row naming who asked; running it again changes nothing', async () => {
    const id = await queueExport(a.id, pkg.contentHash, 'course-sample');
    await runExportJob(server.database, { tenantId: a.id, exportId: id }, server.app.log);
    expect(await row(id)).toEqual({ state: 'completed', error: null, started: true, finished: true });
    const [file] = await files(id);
    const bytes = Buffer.from(file!.bytes);
    expect(file!.size_bytes).toBe(bytes.length);
    expect(file!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file!.media_type).toBe('application/zip');
    expect(await audit(id)).toEqual([{ tenant_id: a.id, actor: 'key:requester', action: 'package.exported', entity_type: 'export', metadata: { courseId: 'course-sample', version: 1, format: 'html', bytes: bytes.length, sha256: file!.sha256 } }]);

    // A redelivery (the instance died after committing) leaves the completed export as it was.
    await runExportJob(server.database, { tenantId: a.id, exportId: id }, server.app.log);
    expect(await row(id)).toEqual({ state: 'completed', error: null, started: true, finished: true });
    expect(await files(id)).toHaveLength(1);
    expect(await audit(id)).toHaveLength(1);
  }, 120_000);

  it('a job left active by an instance that died mid-export is run again to completion', async () => {
    const id = await queueExport(a.id, pkg.contentHash, 'course-sample', 'active');
    await runExportJob(server.database, { tenantId: a.id, exportId: id }, server.app.log);
    expect(await row(id)).toMatchObject({ state: 'completed', finished: true });
    expect(await files(id)).toHaveLength(1);
  }, 120_000);

  it('an export that cannot be made ends failed with its reason, no file and an audit row; run again it stays as it was', async () => {
    const id = await queueExport(a.id, brokenHash, 'course-broken');
    await runExportJob(server.database, { tenantId: a.id, exportId: id }, server.app.log);
    const failed = await row(id);
    expect(failed).toMatchObject({ state: 'failed', started: true, finished: true });
    expect(failed!.error).toMatch(/\S/);
    expect(await files(id)).toEqual([]);
    expect(await audit(id)).toEqual([{ tenant_id: a.id, actor: 'key:requester', action: 'package.export_failed', entity_type: 'export', metadata: { courseId: 'course-broken', version: 1, format: 'html', reason: failed!.error } }]);

    await runExportJob(server.database, { tenantId: a.id, exportId: id }, server.app.log);
    expect(await row(id)).toEqual(failed);
    expect(await audit(id)).toHaveLength(1);
  }, 120_000);
});

describeOnBothDatabases('background job queues: settings, schedules, the nightly day and shutdown', (target) => {
  let server: TestServerWithJobs;
  let tenant: Awaited<ReturnType<TestServerWithJobs['tenantWithKeys']>>;
  const finished = (queue: string, id: string, wanted: 'completed' | 'failed') =>
    eventually(`job ${id} of ${queue} to end ${wanted}`, async () => {
      const job = await server.jobs.jobState(queue, id);
      return job?.state === wanted ? job.output : undefined;
    });

  beforeAll(async () => {
    server = await startTestServerWithJobs(await target.freshLocation());
    tenant = await server.tenantWithKeys('Queue Academy');
    await publishLive(server, tenant.keys.author, pkg);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('each queue retries and expires as the server intends: exports twice within 15 minutes, cleanup once within 5, analytics twice', async () => {
    const queues = await server.database.query<{ name: string; retry_limit: number; retry_delay: number | null; expire_seconds: number }>("SELECT name, retry_limit, retry_delay, expire_seconds FROM pgboss.queue WHERE name IN ('package-exports', 'cleanup-expired', 'analytics-nightly', 'analytics-aggregate') ORDER BY name");
    expect(queues).toEqual([
      { name: 'analytics-aggregate', retry_limit: 2, retry_delay: 60, expire_seconds: 1800 },
      { name: 'analytics-nightly', retry_limit: 2, retry_delay: null, expire_seconds: 900 },
      { name: 'cleanup-expired', retry_limit: 1, retry_delay: null, expire_seconds: 300 },
      { name: 'package-exports', retry_limit: 2, retry_delay: null, expire_seconds: 900 },
    ]);
  });

  it('the nightly analytics run is scheduled at 00:15 UTC and the cleanup every hour', async () => {
    expect(await server.database.query("SELECT name, cron, timezone FROM pgboss.schedule WHERE name IN ('analytics-nightly', 'cleanup-expired') ORDER BY name")).toEqual([
      { name: 'analytics-nightly', cron: '15 0 * * *', timezone: 'UTC' },
      { name: 'cleanup-expired', cron: '0 * * * *', timezone: 'UTC' },
    ]);
  });

  it('an export request is queued under its export id and runs to completed', async () => {
    const requested = await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', headers: bearer(tenant.keys.author), payload: { format: 'html' } });
    expect(requested.statusCode).toBe(202);
    await finished(jobQueues.exports, requested.json().jobId, 'completed');
    expect((await server.app.inject({ method: 'GET', url: `/api/exports/${requested.json().jobId}`, headers: bearer(tenant.keys.author) })).json().state).toBe('completed');
  }, 300_000);

  it('the nightly job without a day computes the UTC day before; with a day that is not in the calendar it fails naming it', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const output = await finished(analyticsQueues.nightly, await server.jobs.enqueueNightlyAnalytics(), 'completed');
    expect(output).toEqual({ day: yesterday, queued: 1, alreadyQueued: 0 });
    const failed = (await finished(analyticsQueues.nightly, await server.jobs.enqueueNightlyAnalytics('2026-02-30'), 'failed')) as { message: string };
    expect(failed.message).toBe('The nightly analytics job was given 2026-02-30 is not a day of the calendar.');
  }, 300_000);

  it('jobs that were never started stop at once, and stopping twice is harmless', async () => {
    const idle = createBackgroundJobs(server.database);
    await expect(idle.stop()).resolves.toBeUndefined();
    await expect(idle.stop()).resolves.toBeUndefined();
  });
});
