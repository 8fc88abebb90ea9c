import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson } from '../../core/hash.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { asCourse, asLearner, publishLive, signUpLearner } from './support/learning.js';

const pkg = samplePackage();

/**
 * The server keeps what it builds from stored packages in memory (learner views, catalogue
 * entries) and answers re-uploads from their bytes. Neither may let one tenant see another's
 * package, nor let a re-upload create anything.
 */
describeOnBothDatabases('immutable content held in memory stays per tenant; a re-publish changes nothing', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Cache Academy A');
    b = await server.tenantWithKeys('Cache Academy B');
  }, 300_000);
  afterAll(() => server?.app.close());

  const put = (key: string, hash: string, body: string) => server.app.inject({ method: 'PUT', url: `/api/packages/${hash}`, headers: { ...bearer(key), 'content-type': 'application/json' }, payload: body });
  const versionsOf = async (tenantId: string) => (await server.database.query<{ version: number }>('SELECT version FROM packages WHERE tenant_id = $1 ORDER BY version', [tenantId])).map((row) => row.version);
  const publishAudits = async (tenantId: string) => (await server.database.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'package.published'", [tenantId]))[0]!.n;

  it("a learner of tenant B gets 404 for tenant A's course while A's learners have its lesson in memory; B's own copy of the same content is B's version", async () => {
    // Tenant A: an older edition first, so the package learners get is A's version 2.
    await publishLive(server, a.keys.author, await asCourse(pkg, pkg.document.course.id, 'An older edition'));
    const older = (await server.database.query<{ content_hash: string }>('SELECT content_hash FROM packages WHERE tenant_id = $1', [a.id]))[0]!.content_hash;
    await publishLive(server, a.keys.author, pkg, older);
    const ana = asLearner(server, (await signUpLearner(server, a.id, 'ana@a.example')).token);
    expect((await ana.post('/api/learn/enroll', { courseId: 'course-sample' })).statusCode).toBe(201);
    const lessonOfA = await ana.get('/api/learn/courses/course-sample/lessons/0');
    expect(lessonOfA.statusCode).toBe(200);
    expect(lessonOfA.json()).toMatchObject({ courseId: 'course-sample', version: 2, contentHash: pkg.contentHash });
    expect((await ana.get('/api/learn/courses')).json().map((course: { courseId: string; version: number }) => [course.courseId, course.version])).toEqual([['course-sample', 2]]);

    // Tenant B has nothing released: the view built for A is not B's to see.
    const lee = asLearner(server, (await signUpLearner(server, b.id, 'lee@b.example')).token);
    for (const url of ['/api/learn/courses/course-sample/lessons/0', '/api/learn/courses/course-sample']) {
      const answer = await lee.get(url);
      expect(answer.statusCode, url).toBe(404);
      expect(answer.body).not.toContain(pkg.document.course.title);
    }
    expect((await lee.post('/api/learn/enroll', { courseId: 'course-sample' })).statusCode).toBe(404);
    expect((await lee.get('/api/learn/courses')).json()).toEqual([]);

    // B publishes the very same content: B's learners get B's package, numbered as B's first version.
    await publishLive(server, b.keys.author, pkg);
    expect((await lee.post('/api/learn/enroll', { courseId: 'course-sample' })).statusCode).toBe(201);
    expect((await lee.get('/api/learn/courses/course-sample/lessons/0')).json()).toMatchObject({ version: 1, contentHash: pkg.contentHash });
    expect((await lee.get('/api/learn/courses/course-sample')).json()).toMatchObject({ version: 1 });
    expect((await lee.get('/api/learn/courses')).json().map((course: { courseId: string; version: number }) => [course.courseId, course.version])).toEqual([['course-sample', 1]]);
    // And A's learners still get A's.
    expect((await ana.get('/api/learn/courses/course-sample/lessons/0')).json()).toMatchObject({ version: 2 });
  });

  it('re-publishing the same bytes answers 200 unchanged with the stored version, and stores and audits nothing', async () => {
    const other = await asCourse(pkg, 'course-republish', 'Republished course');
    const bytes = canonicalJson(other.document);
    const created = await put(a.keys.author, other.contentHash, bytes);
    expect(created.statusCode).toBe(201);
    const versions = await versionsOf(a.id);
    const audits = await publishAudits(a.id);

    const again = await put(a.keys.author, other.contentHash, bytes);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ contentHash: other.contentHash, courseId: 'course-republish', version: 1, created: false });
    // The same content spelled with other key order and spacing is the same package too.
    const respelled = await put(a.keys.author, other.contentHash, JSON.stringify(other.document, null, 2));
    expect(respelled.statusCode).toBe(200);
    expect(respelled.json()).toMatchObject({ version: 1, created: false });
    expect(await versionsOf(a.id)).toEqual(versions);
    expect(await publishAudits(a.id)).toBe(audits);
  });

  it('a stored address still refuses a document that is not its content, and another tenant uploading those bytes stores its own copy', async () => {
    const other = await asCourse(pkg, 'course-republish', 'Republished course');
    const edited = structuredClone(other.document);
    edited.course.summary = `${edited.course.summary} (edited after freezing)`;
    const mismatch = await put(a.keys.author, other.contentHash, canonicalJson(edited));
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.code).toBe('HASH_MISMATCH');

    const auditsOfB = await publishAudits(b.id);
    const forB = await put(b.keys.author, other.contentHash, canonicalJson(other.document));
    expect(forB.statusCode).toBe(201);
    expect(forB.json()).toEqual({ contentHash: other.contentHash, courseId: 'course-republish', version: 1, created: true });
    expect(await publishAudits(b.id)).toBe(auditsOfB + 1);
  });
});
