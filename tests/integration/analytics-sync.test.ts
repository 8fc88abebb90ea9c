import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulate } from '../../cli/simulate-command.js';
import { createAnalyticsSync } from '../../core/analytics-sync/service.js';
import { createAnalyticsHandlers } from '../../core/studio/analytics-handlers.js';
import { OperationRegistry } from '../../core/studio/dispatch.js';
import { createMemoryKeyStore } from '../../core/studio/events.js';
import { serverUrlSetting } from '../../core/studio/sync-handlers.js';
import { createSyncService } from '../../core/sync/service.js';
import { openDatabase, type OpenedDatabase } from '../../db/open.js';
import { startSyncLoop } from '../../host/sync-loop.js';
import type { AnalyticsChanges, ContentSuggestion } from '../../schemas/analytics.js';
import type { PackageDocument } from '../../schemas/package.js';
import { samplePackage } from '../fixtures/sample-package.js';
import type { TestServer } from '../server/support/app.js';
import { getJson, runAggregation, startAnalyticsServer } from '../server/support/analytics.js';
import { describeOnBothDatabases } from '../server/support/databases.js';
import { asCourse, publishLive } from '../server/support/learning.js';
import { studioWithTwoPackages } from './sync/support.js';

/**
 * The studio's analytics sync against a real hosted server (its router, auth, aggregation and
 * database): learners simulated through the public API, the server's aggregation run, then the
 * studio pulls into its own SQLite file and sends decisions back with its author key.
 */
describeOnBothDatabases('learner analytics synced into the studio', (target) => {
  let server: TestServer;
  let serverUrl: string;
  let tenant: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let studio: Awaited<ReturnType<typeof studioWithTwoPackages>>;
  let opened: OpenedDatabase;
  let droppedLessonId: string;
  /** Every answer of the change feed the studio received, as the server sent it. */
  const feed: AnalyticsChanges[] = [];
  let offline = false;
  const studioFetch: typeof fetch = async (input, init) => {
    if (offline) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const response = await fetch(input, init);
    if (String(input).includes('/api/admin/analytics/changes') && response.ok) feed.push((await response.clone().json()) as AnalyticsChanges);
    return response;
  };
  const analyticsSync = () => createAnalyticsSync({ store: opened.store, keyFor: () => tenant.keys.author, actor: () => 'dana', fetch: studioFetch, random: () => 0 });
  const serverSuggestions = async (status?: string): Promise<ContentSuggestion[]> => getJson(server, tenant.keys.admin, `/api/admin/suggestions?courseId=${studio.courseId}${status ? `&status=${status}` : ''}`);

  beforeAll(async () => {
    studio = await studioWithTwoPackages('analytics-sync');
    opened = openDatabase(studio.file);
    server = await startAnalyticsServer(await target.freshLocation());
    tenant = await server.tenantWithKeys('Analytics Academy');
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    serverUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    // The studio publishes its course live; another course on the same tenant was never in this studio.
    const published = await createSyncService({ store: opened.store, outbox: opened.store.outbox, keyFor: () => tenant.keys.author, actor: () => 'dana' }).publish({ serverUrl, packageId: studio.first.id, release: true });
    expect(published.entry.state).toBe('live');
    await publishLive(server, tenant.keys.author, await asCourse(samplePackage() as unknown as { document: PackageDocument }, 'course-elsewhere', 'A course from another studio'));

    const document = opened.store.packages.get(studio.first.id)!.document as PackageDocument;
    droppedLessonId = document.modules[0]!.lessons[1]!.id;
    const quiet = () => {};
    await simulate({ server: serverUrl, tenant: tenant.id, courseId: studio.courseId, learners: 40, seed: 11, plants: [`dropoff:${droppedLessonId}`], concurrency: 6, progress: quiet });
    await simulate({ server: serverUrl, tenant: tenant.id, courseId: 'course-elsewhere', learners: 3, seed: 12, plants: [], concurrency: 3, progress: quiet });
    await runAggregation(server, tenant.keys.admin);
  }, 600_000);
  afterAll(async () => {
    opened?.close();
    await server?.app.close();
  });

  it("the first sync stores this studio's course (days, signals, suggestions) and skips the other; a second sync transfers nothing new", async () => {
    const first = await analyticsSync().pull(serverUrl);
    expect(feed).toHaveLength(1);
    const answer = feed[0]!;
    const ours = answer.days.filter((d) => d.courseId === studio.courseId);
    expect(ours.length).toBeGreaterThan(0);
    expect(answer.days.some((d) => d.courseId === 'course-elsewhere')).toBe(true);
    expect(answer.suggestions.length).toBeGreaterThan(0);

    const stored = opened.store.analytics.days(serverUrl, studio.courseId);
    expect(stored.map((d) => [d.day, d.packageVersion, d.funnel.started])).toEqual(ours.map((d) => [d.day, d.packageVersion, d.funnel.started]));
    expect(opened.store.analytics.days(serverUrl, 'course-elsewhere')).toEqual([]);
    expect(first.applied.skipped).toBeGreaterThan(0);
    expect(first.applied.days).toBe(ours.length);
    expect(opened.store.analytics.suggestions({ serverUrl }).map((s) => s.id).sort()).toEqual(answer.suggestions.filter((s) => s.target.courseId === studio.courseId).map((s) => s.id).sort());

    const second = await analyticsSync().pull(serverUrl);
    expect(feed).toHaveLength(2);
    expect(feed[1]).toEqual({ cursor: answer.cursor, days: [], signals: [], suggestions: [] });
    expect(second.received).toEqual({ days: 0, signals: 0, suggestions: 0 });
    expect(opened.store.audit.list().filter((a) => a.action === 'analytics.synced')).toHaveLength(1);
  });

  it('the Analytics view shows the funnel as the server counted it and flags the lesson where learners were made to stop', async () => {
    const handlers = createAnalyticsHandlers({ store: opened.store, serverKeys: createMemoryKeyStore(), actor: () => 'dana' });
    const view = await handlers['analytics.course']({ courseId: studio.courseId });
    const counted = await getJson(server, tenant.keys.analyst, `/api/admin/analytics/course/${studio.courseId}`);
    expect(view.packageVersion).toBe(counted.packageVersion);
    expect(view.funnel).toEqual(counted.funnel);
    expect(view.lessons.map((l) => [l.lessonId, l.dropOff])).toEqual(counted.lessons.map((l: { lessonId: string; dropOff: number }) => [l.lessonId, l.dropOff]));
    const dropped = view.lessons.find((l) => l.lessonId === droppedLessonId)!;
    expect(dropped.flags).toContain('high_dropoff');
    expect(dropped.link).toEqual({ lessonId: droppedLessonId, quizItemId: null, questionId: null });
    expect(view.lessons.filter((l) => l.lessonId !== droppedLessonId).every((l) => !l.flags.includes('high_dropoff'))).toBe(true);
  });

  it('a decision reaches the server at once; deciding twice is a conflict; dismissing without a reason is refused', async () => {
    opened.store.settings.set(serverUrlSetting, serverUrl);
    const keys = createMemoryKeyStore();
    keys.set(tenant.keys.author);
    const registry = new OperationRegistry();
    const handlers = createAnalyticsHandlers({ store: opened.store, serverKeys: keys, actor: () => 'dana', fetch: studioFetch });
    for (const [name, handler] of Object.entries(handlers)) registry.register(name as keyof typeof handlers, handler as never);

    const [toAccept, toDismiss] = await handlers['suggestions.list']({ courseId: studio.courseId, status: 'OPEN' });
    expect(toDismiss, 'the planted drop-off gives at least two suggestions').toBeDefined();
    const accepted = await handlers['suggestions.accept']({ id: toAccept!.id });
    expect(accepted).toMatchObject({ delivered: true, suggestion: { id: toAccept!.id, status: 'ACCEPTED', decidedBy: 'dana', delivery: { state: 'delivered' } } });
    expect((await serverSuggestions('ACCEPTED')).map((s) => s.id)).toEqual([toAccept!.id]);

    expect(await registry.dispatch('suggestions.accept', { id: toAccept!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already accepted by dana/) } });
    expect(await registry.dispatch('suggestions.dismiss', { id: toAccept!.id, reason: 'changed my mind' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await registry.dispatch('suggestions.dismiss', { id: toDismiss!.id, reason: '   ' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/reason/i) } });
    await expect(analyticsSync().decide({ serverUrl, suggestionId: toDismiss!.id, decision: 'dismiss', reason: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // The refusals left the other suggestion open on both sides.
    expect((await serverSuggestions('OPEN')).map((s) => s.id)).toContain(toDismiss!.id);
    expect(opened.store.analytics.decision(serverUrl, toDismiss!.id)).toBeUndefined();
    expect(opened.store.audit.list().filter((a) => a.entityId === toAccept!.id).map((a) => a.action)).toEqual(['suggestion.accepted', 'suggestion.delivered']);
  });

  it('offline, a dismissal waits in the outbox with its reason; the background sync delivers it once and pulls its status back', async () => {
    offline = true;
    const keys = createMemoryKeyStore();
    keys.set(tenant.keys.author);
    const handlers = createAnalyticsHandlers({ store: opened.store, serverKeys: keys, actor: () => 'rui', fetch: studioFetch });
    // The list counts this studio's own decisions at once: the one accepted before is no longer open.
    const [open] = await handlers['suggestions.list']({ courseId: studio.courseId, status: 'OPEN' });
    expect(opened.store.analytics.decision(serverUrl, open!.id)).toBeUndefined();
    const queued = await handlers['suggestions.dismiss']({ id: open!.id, reason: 'The lesson was split in v2 already' });
    expect(queued).toMatchObject({ delivered: false, suggestion: { status: 'DISMISSED', dismissReason: 'The lesson was split in v2 already', delivery: { state: 'queued', attempts: 1 } } });
    expect(queued.message).toMatch(/waits in the outbox/);
    expect((await serverSuggestions('OPEN')).map((s) => s.id)).toContain(open!.id);

    offline = false;
    const due = opened.store.analytics.decision(serverUrl, open!.id)!.nextAttemptAt;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(due) - Date.now()) + 50));
    const loop = startSyncLoop({ store: opened.store, serverKeys: keys, actor: () => 'rui', fetch: studioFetch, intervalMs: 3_600_000 });
    try {
      await loop.runNow();
    } finally {
      loop.stop();
    }
    const onServer = (await serverSuggestions()).find((s) => s.id === open!.id)!;
    expect(onServer).toMatchObject({ status: 'DISMISSED', dismissReason: 'The lesson was split in v2 already' });
    expect(opened.store.analytics.decision(serverUrl, open!.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    // The loop's pull brought the server's record of the decision into the studio's own table.
    expect(opened.store.analytics.suggestion(serverUrl, open!.id)).toMatchObject({ status: 'DISMISSED', dismissReason: 'The lesson was split in v2 already' });

    // Once delivered it is never sent again.
    const again = await analyticsSync().deliver({ serverUrl, due: false });
    expect(again).toMatchObject({ delivered: 0, refused: 0, queued: 0 });
  });
});
