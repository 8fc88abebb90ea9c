import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase } from '../../server/db/connection.js';
import { createBackgroundJobs } from '../../server/jobs/background-jobs.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually, startTestServerWithJobs, type TestServerWithJobs } from './support/jobs.js';
import { asCourse, asLearner, publishLive, signUpLearner } from './support/learning.js';

const pkg = samplePackage();
const hasTool = (tool: string) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined;
const unzipMissing = !hasTool('unzip');
const pdftotextMissing = !hasTool('pdftotext');

function withTempFile<T>(name: string, bytes: Buffer, use: (file: string) => T): T {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-export-test-'));
  try {
    const file = path.join(folder, name);
    fs.writeFileSync(file, bytes);
    return use(file);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describeOnBothDatabases('export jobs: queued, run in the background, downloaded; tenant-scoped; rate-limited', (target) => {
  let server: TestServerWithJobs;
  let a: Awaited<ReturnType<TestServerWithJobs['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServerWithJobs['tenantWithKeys']>>;
  const as = (key: string) => ({
    requestExport: (format: string, courseId = 'course-sample', version = 1) => server.app.inject({ method: 'POST', url: `/api/courses/${courseId}/versions/${version}/exports`, headers: bearer(key), payload: { format } }),
    status: (jobId: string) => server.app.inject({ method: 'GET', url: `/api/exports/${jobId}`, headers: bearer(key) }),
    file: (jobId: string) => server.app.inject({ method: 'GET', url: `/api/exports/${jobId}/file`, headers: bearer(key) }),
  });
  const finished = (key: string, jobId: string) =>
    eventually(`export ${jobId} to finish`, async () => {
      const body = (await as(key).status(jobId)).json();
      return body.state === 'completed' || body.state === 'failed' ? body : undefined;
    });

  beforeAll(async () => {
    server = await startTestServerWithJobs(await target.freshLocation());
    a = await server.tenantWithKeys('Export Academy A');
    b = await server.tenantWithKeys('Export Academy B');
    await publishLive(server, a.keys.author, pkg);
    await publishLive(server, b.keys.author, await asCourse(pkg, 'course-b', 'A course of tenant B'));
  }, 300_000);
  afterAll(() => server?.app.close());

  it('a PDF export is queued (202 created), runs to completed, and downloads as a PDF with the course in it', async () => {
    const queued = await as(a.keys.author).requestExport('pdf');
    expect(queued.statusCode).toBe(202);
    const { jobId, state } = queued.json();
    expect(state).toBe('created');
    expect(queued.headers.location).toBe(`/api/exports/${jobId}`);

    const done = await finished(a.keys.author, jobId);
    expect(done).toMatchObject({ jobId, state: 'completed', courseId: 'course-sample', version: 1, contentHash: pkg.contentHash, format: 'pdf', error: null });
    expect(done.file).toMatchObject({ mediaType: 'application/pdf', url: `/api/exports/${jobId}/file` });
    expect(done.file.fileName).toMatch(/-v1\.pdf$/);

    const download = await as(a.keys.author).file(jobId);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`filename="${done.file.fileName}"`);
    expect(download.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.rawPayload.length).toBe(done.file.sizeBytes);

    // Audited: who asked, and the file that was made.
    const audit = await server.database.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE entity_type = 'export' AND entity_id = $1 ORDER BY id", [jobId]);
    expect(audit).toEqual([
      { action: 'package.export_requested', actor: `key:${a.keyIds.author}` },
      { action: 'package.exported', actor: `key:${a.keyIds.author}` },
    ]);

    if (pdftotextMissing) return;
    const text = withTempFile('course.pdf', download.rawPayload, (file) => spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout);
    expect(text).toContain(pkg.document.course.title);
  }, 300_000);

  it.skipIf(unzipMissing)('an HTML export downloads as a zip that unzip can list, with the site\'s index page', async () => {
    const key = await freshAuthorKeyOfA();
    const { jobId } = (await as(key).requestExport('html')).json();
    expect((await finished(key, jobId)).state).toBe('completed');
    const download = await as(key).file(jobId);
    expect(download.headers['content-type']).toBe('application/zip');
    const listing = withTempFile('site.zip', download.rawPayload, (file) => spawnSync('unzip', ['-l', file], { encoding: 'utf8' }));
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/\sindex\.html\n/);
  }, 300_000);

  it('SCORM 1.2 and 2004 and Common Cartridge exports complete as zips', async () => {
    const key = await freshAuthorKeyOfA();
    for (const format of ['scorm12', 'scorm2004', 'imscc']) {
      const { jobId } = (await as(key).requestExport(format)).json();
      const done = await finished(key, jobId);
      expect(done.state, done.error).toBe('completed');
      expect((await as(key).file(jobId)).rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    }
  }, 300_000);

  it('refuses what cannot be exported: an unknown format (400, naming the formats), a version or course that is not there (404); nothing is queued', async () => {
    const key = await freshAuthorKeyOfA();
    const before = (await server.database.query<{ n: number }>('SELECT count(*)::int AS n FROM export_jobs'))[0]!.n;
    const badFormat = await as(key).requestExport('docx');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.details).toEqual([expect.objectContaining({ path: 'body.format' })]);
    expect((await as(key).requestExport('pdf', 'course-sample', 9)).statusCode).toBe(404);
    expect((await as(key).requestExport('pdf', 'no-such-course')).statusCode).toBe(404);
    expect((await as(key).status('not-a-job-id')).statusCode).toBe(400);
    expect((await as(key).status('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await server.database.query<{ n: number }>('SELECT count(*)::int AS n FROM export_jobs'))[0]!.n).toBe(before);
  });

  describe('who may export and see exports', () => {
    it("another tenant's keys get 404 for a job, its file, and an export of the course; same-tenant authors and admins see it", async () => {
      const { jobId } = (await as(a.keys.admin).requestExport('html')).json();
      await finished(a.keys.admin, jobId);
      for (const key of [b.keys.author, b.keys.admin]) {
        const status = await as(key).status(jobId);
        expect(status.statusCode).toBe(404);
        expect(status.json().error.message).toBe(`Export job ${jobId} was not found.`);
        expect((await as(key).file(jobId)).statusCode).toBe(404);
        expect((await as(key).requestExport('pdf', 'course-sample')).statusCode).toBe(404);
      }
      // B exports its own course fine: the 404s above are about A's things, not B's rights.
      expect((await as(b.keys.author).requestExport('html', 'course-b')).statusCode).toBe(202);
      expect((await as(a.keys.author).status(jobId)).json().state).toBe('completed');
      expect((await as(a.keys.author).file(jobId)).statusCode).toBe(200);
    }, 300_000);

    it('analyst keys and learners may not export (403); without credentials 401', async () => {
      expect((await as(a.keys.analyst).requestExport('pdf')).statusCode).toBe(403);
      const learner = asLearner(server, (await signUpLearner(server, a.id, 'lena@export.example')).token);
      expect((await learner.post('/api/courses/course-sample/versions/1/exports', { format: 'pdf' })).statusCode).toBe(403);
      expect((await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', payload: { format: 'pdf' } })).statusCode).toBe(401);
    });
  });

  describe('rate limit: 3 exports per 10 minutes per key, counted in the database', () => {
    it('the 4th export in 10 minutes is refused with 429 and Retry-After; another key of the tenant may still export', async () => {
      const key = await freshAuthorKeyOfA();
      for (let i = 0; i < 3; i++) expect((await as(key).requestExport('html')).statusCode).toBe(202);
      const fourth = await as(key).requestExport('html');
      expect(fourth.statusCode).toBe(429);
      const retryAfter = Number(fourth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(fourth.json().error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter } });
      expect(fourth.json().error.message).toContain('You have started 3 exports in the last 10 minutes');
      expect((await as(await freshAuthorKeyOfA()).requestExport('html')).statusCode).toBe(202);
    });

    it('a slot frees once the oldest export in the window is 10 minutes old', async () => {
      const key = await freshAuthorKeyOfA();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await as(key).requestExport('html')).json().jobId);
      expect((await as(key).requestExport('html')).statusCode).toBe(429);
      await server.database.query("UPDATE export_jobs SET created_at = now() - interval '10 minutes 1 second' WHERE id = $1", [ids[0]]);
      expect((await as(key).requestExport('html')).statusCode).toBe(202);
      expect((await as(key).requestExport('html')).statusCode).toBe(429);
    });

    it('five requests at once from one key: exactly three are accepted', async () => {
      const key = await freshAuthorKeyOfA();
      const statuses = (await Promise.all(Array.from({ length: 5 }, () => as(key).requestExport('html')))).map((response) => response.statusCode).sort();
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
    });

    it.skipIf(target.kind === 'pglite')('(PostgreSQL: PGlite is one process) two instances on one database share the count', async () => {
      const second = await openServerDatabase({ kind: 'postgres', url: (server.database.jobQueueConnection as { url: string }).url });
      const jobs = createBackgroundJobs(second, { pollingIntervalSeconds: 0.5 });
      const other = await buildServerApp({ database: second, jobs });
      await jobs.start(other.log);
      try {
        const key = await freshAuthorKeyOfA();
        const via = (app: typeof other) => app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', headers: bearer(key), payload: { format: 'html' } });
        expect((await via(server.app)).statusCode).toBe(202);
        expect((await via(other)).statusCode).toBe(202);
        expect((await via(server.app)).statusCode).toBe(202);
        expect((await via(other)).statusCode).toBe(429);
        expect((await via(server.app)).statusCode).toBe(429);
      } finally {
        await other.close();
      }
    }, 300_000);
  });

  /** A new author key of tenant A: the rate limit counts per key, so each test that counts starts at zero. */
  async function freshAuthorKeyOfA(): Promise<string> {
    const { createApiKey } = await import('../../server/store/admin-store.js');
    return (await createApiKey(server.database.db, a.id, 'author', 'cli:test')).key;
  }
});
