import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';

const first = samplePackage();
const second = samplePackage({ intent: { title: 'Data literacy for nurses, second edition' } });

describeOnBothDatabases('publishing packages and releases', (target) => {
  let server: TestServer;
  let author: string;
  let analyst: string;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    const tenant = await server.tenantWithKeys('Publishing Academy');
    author = tenant.keys.author;
    analyst = tenant.keys.analyst;
  }, 300_000);
  afterAll(() => server?.app.close());

  const put = (hash: string, document: unknown, key = author) => server.app.inject({ method: 'PUT', url: `/api/packages/${hash}`, headers: bearer(key), payload: document as object });
  const release = (courseId: string, contentHash: string, expectedCurrent: string | null, key = author) => server.app.inject({ method: 'POST', url: `/api/courses/${courseId}/releases`, headers: bearer(key), payload: { contentHash, expectedCurrent } });

  it('stores a package under its hash once: 201 the first time, 200 with the same version after', async () => {
    const created = await put(first.contentHash, first.document);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ contentHash: first.contentHash, courseId: 'course-sample', version: 1, created: true });
    const again = await put(first.contentHash, first.document);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ contentHash: first.contentHash, courseId: 'course-sample', version: 1, created: false });
    expect(await server.database.query('SELECT version FROM packages')).toEqual([{ version: 1 }]);
  });

  it('refuses a document whose content does not hash to the address (422) and stores nothing', async () => {
    const edited = structuredClone(first.document);
    edited.course.summary = `${edited.course.summary} (edited after freezing)`;
    const response = await put(first.contentHash, edited);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('HASH_MISMATCH');
    expect(response.json().error.details.expected).toBe(first.contentHash);
    const wrongAddress = await put('0'.repeat(64), first.document);
    expect(wrongAddress.statusCode).toBe(422);
  });

  it('refuses a body over 5 MB with 413 and the envelope', async () => {
    const huge = structuredClone(first.document);
    huge.course.summary = 'x'.repeat(5 * 1024 * 1024);
    const response = await put('a'.repeat(64), huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a second content becomes version 2; lists and reads show both', async () => {
    expect((await put(second.contentHash, second.document)).json()).toMatchObject({ version: 2, created: true });
    const list = await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(analyst) });
    expect(list.json()).toEqual([{ courseId: 'course-sample', title: 'Data literacy for nurses, second edition', latestVersion: 2, liveHash: null }]);
    const versions = await server.app.inject({ method: 'GET', url: '/api/courses/course-sample', headers: bearer(analyst) });
    expect(versions.json().versions.map((v: { version: number; contentHash: string }) => [v.version, v.contentHash])).toEqual([[2, second.contentHash], [1, first.contentHash]]);
    const document = await server.app.inject({ method: 'GET', url: '/api/courses/course-sample/1', headers: bearer(analyst) });
    expect(document.json()).toEqual({ courseId: 'course-sample', version: 1, contentHash: first.contentHash, document: JSON.parse(JSON.stringify(first.document)) });
    expect((await server.app.inject({ method: 'GET', url: '/api/courses/course-sample/3', headers: bearer(analyst) })).statusCode).toBe(404);
  });

  it('an analyst key reads but cannot publish or release', async () => {
    expect((await put(first.contentHash, first.document, analyst)).statusCode).toBe(403);
    expect((await release('course-sample', first.contentHash, null, analyst)).statusCode).toBe(403);
  });

  it('release is a compare-and-swap: a stale expectedCurrent is 409 naming the live hash; rollback moves the pointer back', async () => {
    const firstRelease = await release('course-sample', second.contentHash, null);
    expect(firstRelease.statusCode).toBe(200);
    expect(firstRelease.json()).toEqual({ courseId: 'course-sample', liveHash: second.contentHash, previousHash: null, revision: 1, version: 2 });

    const stale = await release('course-sample', first.contentHash, null);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT', details: { current: second.contentHash } });
    const wrongExpectation = await release('course-sample', first.contentHash, first.contentHash);
    expect(wrongExpectation.statusCode).toBe(409);

    const rollback = await release('course-sample', first.contentHash, second.contentHash);
    expect(rollback.statusCode).toBe(200);
    expect(rollback.json()).toEqual({ courseId: 'course-sample', liveHash: first.contentHash, previousHash: second.contentHash, revision: 2, version: 1 });
    const list = await server.app.inject({ method: 'GET', url: '/api/courses', headers: bearer(author) });
    expect(list.json()[0].liveHash).toBe(first.contentHash);

    const audit = await server.database.query<{ action: string; entity_id: string }>("SELECT action, entity_id FROM audit_log WHERE action LIKE 'release.%' OR action LIKE 'package.%' ORDER BY id");
    expect(audit).toEqual([
      { action: 'package.published', entity_id: first.contentHash },
      { action: 'package.published', entity_id: second.contentHash },
      { action: 'release.made_live', entity_id: 'course-sample' },
      { action: 'release.rolled_back', entity_id: 'course-sample' },
    ]);
  });

  it('a release of a hash that is not a package of that course is 404', async () => {
    expect((await release('course-other', first.contentHash, null)).statusCode).toBe(404);
    expect((await release('course-sample', 'b'.repeat(64), first.contentHash)).statusCode).toBe(404);
  });
});
