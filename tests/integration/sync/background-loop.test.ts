import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryKeyStore } from '../../../core/studio/events.js';
import { serverUrlSetting } from '../../../core/studio/sync-handlers.js';
import { createSyncService } from '../../../core/sync/service.js';
import { openDatabase, type OpenedDatabase } from '../../../db/open.js';
import { startSyncLoop } from '../../../host/sync-loop.js';
import { startTestServer, type TestServer } from '../../server/support/app.js';
import { describeOnBothDatabases } from '../../server/support/databases.js';
import { freePort, studioWithTwoPackages } from './support.js';

async function until<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeOnBothDatabases("the studio's background sender", (target) => {
  let server: TestServer;
  let opened: OpenedDatabase;
  let serverUrl: string;
  let author: string;
  let studio: Awaited<ReturnType<typeof studioWithTwoPackages>>;
  beforeAll(async () => {
    studio = await studioWithTwoPackages('sync-loop');
    opened = openDatabase(studio.file);
    serverUrl = `http://127.0.0.1:${await freePort()}`;
    server = await startTestServer(await target.freshLocation());
    author = (await server.tenantWithKeys('Loop Academy')).keys.author;
  }, 300_000);
  afterAll(async () => {
    opened?.close();
    await server?.app.close();
  });

  it('keeps a queued package while the server is down, retries after the backoff, and sends it once the server is up', async () => {
    opened.store.settings.set(serverUrlSetting, serverUrl);
    const keys = createMemoryKeyStore(author);
    createSyncService({ store: opened.store, outbox: opened.store.outbox, keyFor: () => author, actor: () => 'dana' }).queue({ serverUrl, packageId: studio.second.id, release: true });

    const loop = startSyncLoop({ store: opened.store, serverKeys: keys, actor: () => 'dana', intervalMs: 100 });
    try {
      const waiting = await until(() => opened.store.outbox.get(serverUrl, studio.second.id)!, (e) => e.attempts >= 1);
      expect(waiting).toMatchObject({ state: 'pending', lastErrorCode: 'SERVER_UNAVAILABLE' });
      // Jittered exponential backoff: the first retry waits 2.5–5 s (base 5 s × 50–100 %), not the 100 ms tick.
      const wait = Date.parse(waiting.nextAttemptAt) - Date.parse(waiting.updatedAt);
      expect(wait).toBeGreaterThanOrEqual(2_500);
      expect(wait).toBeLessThanOrEqual(5_000);

      await server.app.listen({ port: Number(new URL(serverUrl).port), host: '127.0.0.1' });
      const sent = await until(() => opened.store.outbox.get(serverUrl, studio.second.id)!, (e) => e.state !== 'pending');
      expect(sent).toMatchObject({ state: 'live', serverVersion: 1, attempts: 2 });
      await loop.runNow();
      expect(await server.database.query('SELECT content_hash FROM packages')).toEqual([{ content_hash: studio.second.contentHash }]);
      const runs = opened.store.audit.list().filter((a) => a.action === 'sync.run' && a.metadata.trigger === 'background');
      expect(runs.map((a) => [a.metadata.live, a.metadata.retrying])).toEqual([
        [0, 1],
        [1, 0],
      ]);
    } finally {
      loop.stop();
    }
  }, 60_000);

  it('sends nothing without a key for the configured server, and says nothing about it every tick', async () => {
    createSyncService({ store: opened.store, outbox: opened.store.outbox, keyFor: () => author, actor: () => 'dana' }).queue({ serverUrl, packageId: studio.first.id, release: false });
    const before = opened.store.audit.list().length;
    const loop = startSyncLoop({ store: opened.store, serverKeys: createMemoryKeyStore(null), actor: () => 'dana', intervalMs: 50 });
    try {
      await loop.runNow();
      await loop.runNow();
      expect(opened.store.outbox.get(serverUrl, studio.first.id)).toMatchObject({ state: 'pending', attempts: 0 });
      expect(opened.store.audit.list().length).toBe(before);
    } finally {
      loop.stop();
    }
    // With the key the same row goes out.
    const withKey = startSyncLoop({ store: opened.store, serverKeys: createMemoryKeyStore(author), actor: () => 'dana', intervalMs: 60_000 });
    try {
      await withKey.runNow();
      expect(opened.store.outbox.get(serverUrl, studio.first.id)).toMatchObject({ state: 'sent' });
    } finally {
      withKey.stop();
    }
  });
});
