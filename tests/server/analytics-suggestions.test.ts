import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { answer, getJson, learner, runAggregation, startAnalyticsServer, todayUtc, clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES } from './support/analytics.js';
import { asCourse, publishLive } from './support/learning.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;
const lesson0 = pkg.document.modules[0]!.lessons[0]!;
const question1 = lesson0.quiz.content.questions[0]!;
/** Set once the suite is clear of midnight (see clearOfMidnightUtc). */
let tomorrow: string;

interface Suggestion {
  id: string;
  kind: string;
  signalType: string;
  status: string;
  rationale: string;
  decidedBy: string | null;
  dismissReason: string | null;
  target: { courseId: string; questionId: string | null; packageVersion: number };
}

describeOnBothDatabases('learner analytics: signals, suggestions decided once, the change feed, roles and tenants', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let learnerToken: string;
  const request = (method: 'GET' | 'POST', url: string, key: string | null, payload?: object) => server.app.inject({ method, url, headers: key ? bearer(key) : {}, ...(payload ? { payload } : {}) });
  const suggestions = async (key: string, query = `?courseId=${courseId}`) => (await getJson(server, key, `/api/admin/suggestions${query}`)) as Suggestion[];
  const keyOfQuestion1 = async () => (await suggestions(a.keys.author)).find((s) => s.kind === 'check_answer_key' && s.target.questionId === question1.id)!;

  beforeAll(async () => {
    await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
    tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    server = await startAnalyticsServer(await target.freshLocation());
    a = await server.tenantWithKeys('Signals Academy A');
    b = await server.tenantWithKeys('Signals Academy B');
    await publishLive(server, a.keys.author, pkg);
    // Tenant B runs the same course id with learners of its own.
    await publishLive(server, b.keys.author, await asCourse(pkg, courseId, 'The same course at B'));
    // 32 learners take lesson 0's quiz (keyed 0, 1, 2). A planted miskey on question 1: the 16
    // learners who get questions 2 and 3 right all choose option 1 on question 1; the 16 who get
    // those wrong choose the key, 0. The strongest learners reject the key: a suspect key.
    for (let i = 0; i < 32; i++) {
      const who = await learner(server, a.id, `s${i}@signals.example`, courseId);
      await answer(who, courseId, 0, i < 16 ? [1, 1, 2] : [0, 3, 3]);
      if (i === 0) learnerToken = who.token;
    }
    const atB = await learner(server, b.id, 'b1@signals.example', courseId);
    await answer(atB, courseId, 0, [0, 1, 2]);
    expect((await runAggregation(server, a.keys.admin, { courseId })).runs[0]).toMatchObject({ written: true });
    expect((await runAggregation(server, b.keys.admin, { courseId })).runs[0]).toMatchObject({ written: true, signals: 0, suggestionsCreated: 0 });
  }, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);
  afterAll(() => server?.app.close());

  it('the planted miskey is a critical item_suspect_key signal on that question, with its evidence and n', async () => {
    const signals = await getJson(server, a.keys.analyst, `/api/admin/signals?courseId=${courseId}`);
    const suspect = signals.find((signal: { type: string; target: { questionId: string } }) => signal.type === 'item_suspect_key' && signal.target.questionId === question1.id);
    expect(suspect).toMatchObject({ severity: 'critical', day: todayUtc(), target: { kind: 'question', courseId, packageVersion: 1, packageContentHash: pkg.contentHash, lessonId: lesson0.id, quizItemId: lesson0.quiz.itemId }, evidence: { n: 32, facility: 0.5, keyIndex: 0, keyShare: 0.5 } });
    // Below the minimum n (30) nothing fires: tenant B's single learner gives no signal at all.
    expect(await getJson(server, b.keys.analyst, `/api/admin/signals?courseId=${courseId}`)).toEqual([]);
  });

  it('the thresholds table lists one rule per signal type with its minimum n', async () => {
    const rules = await getJson(server, a.keys.admin, '/api/admin/signal-rules');
    expect(rules.map((rule: { type: string }) => rule.type).sort()).toEqual(['high_dropoff', 'item_poor_discrimination', 'item_suspect_key', 'item_too_easy', 'item_too_hard', 'low_completion', 'low_pass_rate', 'nonfunctional_distractor', 'time_over_estimate']);
    expect(rules.find((rule: { type: string }) => rule.type === 'item_too_hard')).toMatchObject({ minimumN: 30, threshold: 0.2 });
  });

  it('a suggestion to check the answer key, OPEN; computing again, or the same finding the next day, adds none', async () => {
    const open = await suggestions(a.keys.author, `?courseId=${courseId}&status=OPEN`);
    const check = open.find((s) => s.kind === 'check_answer_key' && s.target.questionId === question1.id);
    expect(check).toMatchObject({ status: 'OPEN', signalType: 'item_suspect_key', decidedBy: null, target: { courseId, packageVersion: 1 } });
    expect(check!.rationale).toMatch(/50%/);
    const count = (await suggestions(a.keys.author)).length;
    expect((await runAggregation(server, a.keys.admin, { courseId })).runs[0]).toMatchObject({ written: false, suggestionsCreated: 0 });
    const nextDay = await runAggregation(server, a.keys.admin, { courseId, date: tomorrow });
    expect(nextDay.runs[0]).toMatchObject({ written: true, suggestionsCreated: 0 });
    expect(nextDay.runs[0]!.signals).toBeGreaterThan(0);
    expect(await suggestions(a.keys.author)).toHaveLength(count);
  });

  it('accepting is for authors and admins (analysts, learners and no key are refused); deciding twice is 409 naming the first decision; both audited', async () => {
    const check = await keyOfQuestion1();
    expect((await request('POST', `/api/admin/suggestions/${check.id}/accept`, a.keys.analyst)).statusCode).toBe(403);
    expect((await request('POST', `/api/admin/suggestions/${check.id}/accept`, learnerToken)).statusCode).toBe(403);
    expect((await request('POST', `/api/admin/suggestions/${check.id}/accept`, null)).statusCode).toBe(401);
    const accepted = await request('POST', `/api/admin/suggestions/${check.id}/accept`, a.keys.author);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: check.id, status: 'ACCEPTED', decidedBy: `key:${a.keyIds.author}`, dismissReason: null });
    for (const [url, payload] of [[`/api/admin/suggestions/${check.id}/accept`, undefined], [`/api/admin/suggestions/${check.id}/dismiss`, { reason: 'changed my mind' }]] as const) {
      const again = await request('POST', url, a.keys.admin, payload);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain(`already accepted by key:${a.keyIds.author}`);
    }
    const other = (await suggestions(a.keys.author, `?courseId=${courseId}&status=OPEN`))[0]!;
    const dismissed = await request('POST', `/api/admin/suggestions/${other.id}/dismiss`, a.keys.admin, { reason: 'The distractor is meant to be rare' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json()).toMatchObject({ status: 'DISMISSED', decidedBy: `key:${a.keyIds.admin}`, dismissReason: 'The distractor is meant to be rare' });
    expect((await suggestions(a.keys.author, `?courseId=${courseId}&status=DISMISSED`)).map((s) => s.id)).toEqual([other.id]);
    const audit = await server.database.query<{ action: string; entity_id: string; actor: string }>("SELECT action, entity_id, actor FROM audit_log WHERE entity_type = 'suggestion' ORDER BY id");
    expect(audit).toEqual([
      { action: 'suggestion.accepted', entity_id: check.id, actor: `key:${a.keyIds.author}` },
      { action: 'suggestion.dismissed', entity_id: other.id, actor: `key:${a.keyIds.admin}` },
    ]);
  });

  it('dismissing needs a reason (400 without one, or a blank one), and the suggestion stays OPEN', async () => {
    const open = (await suggestions(a.keys.author, `?courseId=${courseId}&status=OPEN`))[0]!;
    for (const payload of [{}, { reason: '   ' }]) {
      const refused = await request('POST', `/api/admin/suggestions/${open.id}/dismiss`, a.keys.author, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toContain('reason');
    }
    expect((await suggestions(a.keys.author, `?courseId=${courseId}&status=OPEN`)).map((s) => s.id)).toContain(open.id);
  });

  it('the database refuses changing what a suggestion says, deleting it or deciding it again; deciding an OPEN one is allowed', async () => {
    const [open] = await server.database.query<{ id: string }>("SELECT id FROM analytics_suggestions WHERE tenant_id = $1 AND status = 'OPEN' ORDER BY id LIMIT 1", [a.id]);
    await expect(server.database.query("UPDATE analytics_suggestions SET rationale = 'rewritten' WHERE id = $1", [open!.id])).rejects.toThrow(/only its status, who decided, when and the dismissal reason may change/);
    // Not even together with a decision.
    await expect(server.database.query("UPDATE analytics_suggestions SET rationale = 'rewritten', status = 'ACCEPTED', decided_by = 'sql:test', decided_at = now() WHERE id = $1", [open!.id])).rejects.toThrow(/only its status/);
    await expect(server.database.query('DELETE FROM analytics_suggestions WHERE id = $1', [open!.id])).rejects.toThrow(/insert-only/);
    await server.database.query("UPDATE analytics_suggestions SET status = 'ACCEPTED', decided_by = 'sql:test', decided_at = now() WHERE id = $1", [open!.id]);
    expect(await server.database.query('SELECT status, rationale <> $2 AS unchanged FROM analytics_suggestions WHERE id = $1', [open!.id, 'rewritten'])).toEqual([{ status: 'ACCEPTED', unchanged: true }]);
    await expect(server.database.query("UPDATE analytics_suggestions SET status = 'DISMISSED', dismiss_reason = 'again' WHERE id = $1", [open!.id])).rejects.toThrow(/already decided/);
  });

  it('the change feed: everything the first time, nothing with the returned cursor, then only what changed', async () => {
    const first = await getJson(server, a.keys.author, '/api/admin/analytics/changes');
    expect(first.days.map((day: { day: string }) => day.day)).toEqual([todayUtc(), tomorrow]);
    expect(first.days[0]).toMatchObject({ courseId, packageVersion: 1, packageContentHash: pkg.contentHash, funnel: { day: todayUtc() } });
    expect(first.days[0].lessons).toHaveLength(18);
    expect(first.signals.length).toBeGreaterThan(0);
    expect(first.suggestions.length).toBe((await suggestions(a.keys.author)).length);
    const second = await getJson(server, a.keys.author, `/api/admin/analytics/changes?since=${first.cursor}`);
    expect(second).toEqual({ cursor: first.cursor, days: [], signals: [], suggestions: [] });

    const open = (await suggestions(a.keys.author, `?courseId=${courseId}&status=OPEN`))[0]!;
    expect((await request('POST', `/api/admin/suggestions/${open.id}/accept`, a.keys.admin)).statusCode).toBe(200);
    const third = await getJson(server, a.keys.analyst, `/api/admin/analytics/changes?since=${first.cursor}`);
    expect(third.days).toEqual([]);
    expect(third.suggestions.map((s: Suggestion) => [s.id, s.status])).toEqual([[open.id, 'ACCEPTED']]);
    expect(BigInt(third.cursor)).toBeGreaterThan(BigInt(first.cursor));
    expect(await getJson(server, a.keys.analyst, `/api/admin/analytics/changes?since=${third.cursor}`)).toEqual({ cursor: third.cursor, days: [], signals: [], suggestions: [] });
    expect((await request('GET', '/api/admin/analytics/changes?since=yesterday', a.keys.author)).statusCode).toBe(400);
  });

  it('roles on the reads: aggregates for analysts and admins only; signals, suggestions and the feed also for authors; the run for admins only', async () => {
    const cases: Array<[string, 'GET' | 'POST', Record<'admin' | 'author' | 'analyst' | 'learner' | 'none', number>, object?]> = [
      [`/api/admin/analytics/course/${courseId}`, 'GET', { admin: 200, analyst: 200, author: 403, learner: 403, none: 401 }],
      [`/api/admin/analytics/funnel/${courseId}`, 'GET', { admin: 200, analyst: 200, author: 403, learner: 403, none: 401 }],
      [`/api/admin/analytics/items/${courseId}`, 'GET', { admin: 200, analyst: 200, author: 403, learner: 403, none: 401 }],
      [`/api/admin/signals?courseId=${courseId}`, 'GET', { admin: 200, analyst: 200, author: 200, learner: 403, none: 401 }],
      ['/api/admin/signal-rules', 'GET', { admin: 200, analyst: 200, author: 200, learner: 403, none: 401 }],
      ['/api/admin/suggestions', 'GET', { admin: 200, analyst: 200, author: 200, learner: 403, none: 401 }],
      ['/api/admin/analytics/changes', 'GET', { admin: 200, analyst: 200, author: 200, learner: 403, none: 401 }],
      ['/api/admin/analytics/run', 'POST', { admin: 200, analyst: 403, author: 403, learner: 403, none: 401 }, { courseId }],
    ];
    for (const [url, method, expected, payload] of cases) {
      for (const [role, status] of Object.entries(expected)) {
        const key = role === 'none' ? null : role === 'learner' ? learnerToken : a.keys[role as 'admin' | 'author' | 'analyst'];
        expect((await request(method, url, key, payload)).statusCode, `${method} ${url} as ${role}`).toBe(status);
      }
    }
  });

  it("tenant isolation: B's keys see only B's numbers and never A's signals, suggestions or changes; A's suggestion is not found for B", async () => {
    const funnelOfB = await getJson(server, b.keys.analyst, `/api/admin/analytics/items/${courseId}`);
    expect(funnelOfB.quizzes.find((quiz: { lessonId: string }) => quiz.lessonId === lesson0.id)).toMatchObject({ n: 1 });
    const itemsOfA = await getJson(server, a.keys.analyst, `/api/admin/analytics/items/${courseId}`);
    expect(itemsOfA.quizzes.find((quiz: { lessonId: string }) => quiz.lessonId === lesson0.id)).toMatchObject({ n: 32 });
    expect(await getJson(server, b.keys.author, '/api/admin/suggestions')).toEqual([]);
    const changesOfB = await getJson(server, b.keys.author, '/api/admin/analytics/changes');
    expect(changesOfB.suggestions).toEqual([]);
    expect(changesOfB.signals).toEqual([]);
    expect(changesOfB.days.map((day: { packageContentHash: string }) => day.packageContentHash)).toEqual([(await asCourse(pkg, courseId, 'The same course at B')).contentHash]);
    const ofA = (await suggestions(a.keys.author))[0]!;
    for (const [url, payload] of [[`/api/admin/suggestions/${ofA.id}/accept`, undefined], [`/api/admin/suggestions/${ofA.id}/dismiss`, { reason: 'not ours' }]] as const) {
      const refused = await request('POST', url, b.keys.admin, payload);
      expect(refused.statusCode).toBe(404);
      expect(refused.body).not.toContain(ofA.rationale);
    }
    // A course only A has is "not found" for B, exactly like one nobody has.
    await publishLive(server, a.keys.author, await asCourse(pkg, 'course-only-a', 'Only at A'));
    for (const course of ['course-only-a', 'course-nobody-has']) {
      expect((await request('GET', `/api/admin/analytics/course/${course}`, b.keys.admin)).statusCode).toBe(404);
      expect((await request('POST', '/api/admin/analytics/run', b.keys.admin, { courseId: course })).statusCode).toBe(404);
    }
  });
});
