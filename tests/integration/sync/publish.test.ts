import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryKeyStore } from '../../../core/studio/events.js';
import { createSyncHandlers } from '../../../core/studio/sync-handlers.js';
import { createServerClient, ServerCallError } from '../../../core/sync/client.js';
import { createSyncService } from '../../../core/sync/service.js';
import { contentHash } from '../../../core/hash.js';
import { openDatabase, type OpenedDatabase } from '../../../db/open.js';
import { startTestServer, type TestServer } from '../../server/support/app.js';
import { describeOnBothDatabases } from '../../server/support/databases.js';
import { freePort, studioWithTwoPackages } from './support.js';

/**
 * The studio's publishing against a real hosted server: the server app listening on a loopback
 * port (its real router, auth and database), the studio on a real SQLite file.
 */
describeOnBothDatabases('publishing from the studio to a hosted server', (target) => {
  let server: TestServer;
  let serverUrl: string;
  let author: string;
  let analyst: string;
  let studio: Awaited<ReturnType<typeof studioWithTwoPackages>>;
  let opened: OpenedDatabase;

  const serverPackageRows = async () => (await server.database.query('SELECT content_hash, version FROM packages ORDER BY version')) as Array<{ content_hash: string; version: number }>;
  const service = (key: string | null, store = opened.store, clock?: { now(): Date }) =>
    createSyncService({ store, outbox: store.outbox, keyFor: () => key, actor: () => 'dana', timeoutMs: 5_000, random: () => 0.5, backoff: { baseMs: 1_000, maxMs: 60_000 }, ...(clock ? { clock } : {}) });

  beforeAll(async () => {
    studio = await studioWithTwoPackages('sync-publish');
    opened = openDatabase(studio.file);
    const port = await freePort();
    serverUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer(await target.freshLocation());
    const tenant = await server.tenantWithKeys('Sync Academy');
    author = tenant.keys.author;
    analyst = tenant.keys.analyst;
  }, 300_000);
  afterAll(async () => {
    opened?.close();
    await server?.app.close();
  });

  it('while the server is down a publish is queued with the reason; once it is up `sync` sends it exactly once', async () => {
    // A clock that moves on 1 ms at every reading and nothing else: the retry time must come from
    // the same reading as the update time, and the retry stays 750 ms away however slow the machine.
    let reading = Date.now();
    const ticking = { now: () => new Date(reading++) };
    const outcome = await service(author, opened.store, ticking).publish({ serverUrl, packageId: studio.first.id, release: false });
    expect(outcome.queued).toBe(true);
    expect(outcome.entry).toMatchObject({ state: 'pending', attempts: 1, packageId: studio.first.id });
    expect(outcome.entry.lastError).toMatch(/could not be reached/);
    // Backoff: the first retry waits base × 2^0 × (0.5 + 0.5/2) = 750 ms.
    expect(Date.parse(outcome.entry.nextAttemptAt) - Date.parse(outcome.entry.updatedAt)).toBe(750);

    // A restart of the studio: the outbox is in the file, not in memory.
    opened.close();
    opened = openDatabase(studio.file);
    expect(opened.store.outbox.list().map((e) => [e.packageId, e.state])).toEqual([[studio.first.id, 'pending']]);

    // A background run before the retry time sends nothing; a person's sync ignores the schedule.
    await server.app.listen({ port: Number(new URL(serverUrl).port), host: '127.0.0.1' });
    const early = await service(author, opened.store, ticking).flush({ serverUrl, due: true, trigger: 'background' });
    expect(early.outcomes).toEqual([]);
    const run = await service(author).flush({ serverUrl, due: false, trigger: 'cli' });
    expect(run).toMatchObject({ sent: 1, live: 0, failed: 0, retrying: 0 });
    expect(run.outcomes[0]!.created).toBe(true);
    expect(await serverPackageRows()).toEqual([{ content_hash: studio.first.contentHash, version: 1 }]);

    const again = await service(author).flush({ serverUrl, due: false, trigger: 'cli' });
    expect(again.outcomes).toEqual([]);
    expect(await serverPackageRows()).toHaveLength(1);
    const runs = opened.store.audit.list().filter((a) => a.action === 'sync.run');
    expect(runs.map((a) => [a.metadata.trigger, a.metadata.sent, a.metadata.retrying])).toEqual([
      ['publish', 0, 1],
      ['cli', 1, 0],
    ]);
  });

  it('publishing the same package again is a no-op on both sides: the server answers "already there", the outbox keeps one row', async () => {
    const outcome = await service(author).publish({ serverUrl, packageId: studio.first.id, release: false });
    expect(outcome).toMatchObject({ queued: false, created: false });
    expect(outcome.entry.state).toBe('sent');
    expect(opened.store.outbox.list()).toHaveLength(1);
    expect(await serverPackageRows()).toHaveLength(1);
  });

  it('releases a package (live); a release against a stale live version is refused by the server in words', async () => {
    const live = await service(author).publish({ serverUrl, packageId: studio.first.id, release: true });
    expect(live.entry.state).toBe('live');
    const reader = createServerClient({ serverUrl, apiKey: analyst });
    expect((await reader.course(studio.courseId))!.liveHash).toBe(studio.first.contentHash);

    await service(author).publish({ serverUrl, packageId: studio.second.id, release: false });
    const stale = await createServerClient({ serverUrl, apiKey: author })
      .release(studio.courseId, studio.second.contentHash, null)
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(ServerCallError);
    expect(stale).toMatchObject({ code: 'CONFLICT', failure: 'conflict' });
    expect((stale as Error).message).toMatch(/is \w{64}, not none as this release expected; someone released since you looked/);
    expect((await reader.course(studio.courseId))!.liveHash).toBe(studio.first.contentHash);
  });

  it('when someone made the same package live meanwhile, the studio reports it live; when they made another one live, a conflict in words fails the row', async () => {
    const elsewhere = createServerClient({ serverUrl, apiKey: author });
    const racingWith = (race: () => Promise<unknown>): typeof fetch => {
      let raced = false;
      return async (input, init) => {
        if (init?.method === 'POST' && !raced) {
          raced = true;
          await race();
        }
        return fetch(input, init);
      };
    };
    const withFetch = (fetchImpl: typeof fetch) => createSyncService({ store: opened.store, outbox: opened.store.outbox, keyFor: () => author, actor: () => 'dana', fetch: fetchImpl });

    // The studio saw v1 live and releases v2; someone else released v2 just before.
    const same = await withFetch(racingWith(() => elsewhere.release(studio.courseId, studio.second.contentHash, studio.first.contentHash))).publish({ serverUrl, packageId: studio.second.id, release: true });
    expect(same.entry.state).toBe('live');

    // The studio saw v2 live and releases v1; someone else released a third version just before.
    const third = structuredClone(opened.store.packages.get(studio.second.id)!.document);
    third.course.summary = `${third.course.summary} A third edition, released from elsewhere.`;
    const thirdHash = contentHash(third);
    const refused = await withFetch(
      racingWith(async () => {
        await elsewhere.putPackage(thirdHash, third);
        await elsewhere.release(studio.courseId, thirdHash, studio.second.contentHash);
      }),
    )
      .publish({ serverUrl, packageId: studio.first.id, release: true })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect((refused as Error).message).toMatch(/Package v1 was uploaded, but not made live: someone released another version \(\w{12}…\) of this course/);
    const row = opened.store.outbox.get(serverUrl, studio.first.id)!;
    expect(row).toMatchObject({ state: 'failed', lastErrorCode: 'CONFLICT' });
    expect(row.lastError).toMatch(/Check what is live there, then publish again/);
    expect((await elsewhere.course(studio.courseId))!.liveHash).toBe(thirdHash);
    expect(await serverPackageRows()).toHaveLength(3);
    expect(opened.store.audit.list({ entityId: studio.first.id }).map((a) => a.action)).toContain('sync.failed');
  });

  it('a wrong key is a clear error and fails the row with the reason; an analyst key may read but not publish', async () => {
    const wrong = await service('cwk_' + 'x'.repeat(43)).publish({ serverUrl, packageId: studio.second.id, release: false }).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((wrong as Error).message).toMatch(/did not accept the author key/);
    expect(opened.store.outbox.get(serverUrl, studio.second.id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/did not accept the author key/) });

    const readOnly = await service(analyst).publish({ serverUrl, packageId: studio.second.id, release: false }).catch((error: unknown) => error);
    expect((readOnly as Error).message).toMatch(/Publishing needs an author or admin key/);

    // The same row goes back to work with the right key.
    const fixed = await service(author).publish({ serverUrl, packageId: studio.second.id, release: false });
    expect(fixed).toMatchObject({ created: false, entry: { state: 'sent' } });
    expect(opened.store.outbox.list({ serverUrl })).toHaveLength(2);
  });

  it('without a key nothing is queued; Settings → Servers tests the connection and the key is bound to the server it was entered for', async () => {
    await expect(service(null).publish({ serverUrl, packageId: studio.first.id, release: false })).rejects.toMatchObject({ code: 'MISSING_API_KEY' });
    const keys = createMemoryKeyStore();
    const handlers = createSyncHandlers({ store: opened.store, serverKeys: keys, actor: () => 'dana', emit: () => {} });
    await expect(Promise.resolve().then(() => handlers['sync.testConnection']({}))).rejects.toMatchObject({ code: 'USAGE' });
    handlers['sync.updateServer']({ serverUrl: `${serverUrl}/` });
    expect(handlers['sync.settings']({})).toEqual({ serverUrl, hasKey: false, keyNeedsReentry: false, keyStorage: 'memory' });
    expect(await handlers['sync.testConnection']({})).toMatchObject({ reachable: true, authenticated: false });
    handlers['sync.setServerKey']({ serverKey: author });
    expect(await handlers['sync.testConnection']({})).toMatchObject({ reachable: true, authenticated: true, courses: 1, message: expect.stringMatching(/the key is accepted; 1 course published there/) });
    expect(JSON.stringify(handlers['sync.settings']({}))).not.toContain(author);
    expect(JSON.stringify(opened.store.settings.all())).not.toContain(author);

    // Another origin: the key is not sent there until entered again.
    handlers['sync.updateServer']({ serverUrl: 'http://127.0.0.1:9' });
    expect(handlers['sync.settings']({})).toMatchObject({ hasKey: false, keyNeedsReentry: true });
    const elsewhere = await handlers['sync.testConnection']({});
    expect(elsewhere).toMatchObject({ reachable: false, authenticated: false });
    handlers['sync.updateServer']({ serverUrl });
    expect(handlers['sync.settings']({})).toMatchObject({ hasKey: true, keyNeedsReentry: false });
    const status = await handlers['sync.status']({ courseId: studio.courseId });
    expect(status.entries.map((e) => [e.packageVersion, e.state])).toEqual([
      [1, 'failed'],
      [2, 'sent'],
    ]);
  });

  it('refuses an address that is not a server before anything is queued', async () => {
    await expect(service(author).publish({ serverUrl: 'ftp://example.org', packageId: studio.first.id, release: false })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/starts with https:\/\//) });
    expect(((server.app.server.address() as AddressInfo).port)).toBe(Number(new URL(serverUrl).port));
  });
});
