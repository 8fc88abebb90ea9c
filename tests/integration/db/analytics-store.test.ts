import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../../db/open.js';
import type { AnalyticsChanges, AnalyticsSignal, ContentSuggestion, FunnelDay, LessonStatistics } from '../../../schemas/analytics.js';
import { courseFixture, openFresh } from './fixtures.js';

/** The studio's analytics tables on a real SQLite file: what a pull stores, replaces and refuses. */

const server = 'https://learn.example.org';
const hashV1 = 'a'.repeat(64);
const hashV2 = 'b'.repeat(64);

const funnel = (day: string, packageVersion: number, started: number): FunnelDay => ({ day, packageVersion, courseViewed: 50, enrolled: 40, purchased: null, started, completed: 5, completionRate: 5 / started, activeLearners: 12 });
const lesson = (packageVersion: number, dropOff: number): LessonStatistics => ({ packageVersion, lessonIndex: 0, lessonId: 'lesson-1-1', title: 'Loops', estimatedMinutes: 20, views: 30, completions: 20, dropOff, dropOffRate: dropOff / 30, medianMinutes: 18, p90Minutes: 30 });
const target = (courseId: string, packageVersion: number, hash: string) => ({ kind: 'lesson' as const, courseId, packageVersion, packageContentHash: hash, lessonId: 'lesson-1-1', lessonIndex: 0, quizItemId: null, quizContentHash: null, questionId: null, optionIndex: null });
const signal = (id: string, day: string, courseId = 'crs-1', packageVersion = 1): AnalyticsSignal => ({ id, type: 'high_dropoff', severity: 'warning', target: target(courseId, packageVersion, hashV1), evidence: { n: 30, dropOffRate: 0.4 }, day, createdAt: `${day}T02:00:00.000Z` });
const suggestion = (id: string, status: ContentSuggestion['status'] = 'OPEN', courseId = 'crs-1'): ContentSuggestion => ({
  id,
  signalId: 'sig-1',
  signalType: 'high_dropoff',
  kind: 'split_lesson',
  target: target(courseId, 1, hashV1),
  rationale: '40% of learners who reached Loops stopped there.',
  draftInstruction: 'Split the lesson in two.',
  status,
  decidedBy: status === 'OPEN' ? null : 'ana',
  decidedAt: status === 'OPEN' ? null : '2025-05-03T10:00:00.000Z',
  dismissReason: status === 'DISMISSED' ? 'Already split' : null,
  createdAt: '2025-05-02T02:00:00.000Z',
});
const day = (courseId: string, dayText: string, packageVersion: number, started: number, dropOff = 3): AnalyticsChanges['days'][number] => ({
  courseId,
  packageVersion,
  packageContentHash: packageVersion === 1 ? hashV1 : hashV2,
  day: dayText,
  funnel: funnel(dayText, packageVersion, started),
  lessons: [lesson(packageVersion, dropOff)],
  quizzes: [],
  items: [],
});
const pull = (cursor: string, parts: Partial<Omit<AnalyticsChanges, 'cursor'>>): AnalyticsChanges => ({ cursor, days: [], signals: [], suggestions: [], ...parts });

let opened: OpenedDatabase;
beforeEach(() => {
  opened = openFresh('analytics-store');
  opened.store.courses.insert(courseFixture('crs-1'));
});
afterEach(() => opened.close());

describe('replacing a day', () => {
  it('a day that arrives again replaces the stored one whole, with its signals; other days stay', () => {
    const repo = opened.store.analytics;
    repo.applyPull(server, pull('5', { days: [day('crs-1', '2025-05-01', 1, 20), day('crs-1', '2025-05-02', 1, 25, 3)], signals: [signal('sig-a', '2025-05-02'), signal('sig-old', '2025-05-02')] }), '2025-05-02T03:00:00.000Z');
    const applied = repo.applyPull(server, pull('9', { days: [day('crs-1', '2025-05-02', 1, 26, 7)], signals: [signal('sig-a', '2025-05-02')] }), '2025-05-03T03:00:00.000Z');

    expect(applied).toEqual({ days: 1, signals: 1, suggestions: 0, skipped: 0 });
    const days = repo.days(server, 'crs-1');
    expect(days.map((d) => [d.day, d.funnel.started, d.lessons[0]!.dropOff])).toEqual([
      ['2025-05-01', 20, 3],
      ['2025-05-02', 26, 7],
    ]);
    // The recomputed day no longer has sig-old: its signals went with the day.
    expect(repo.signals(server, 'crs-1').map((s) => s.id)).toEqual(['sig-a']);
    expect(repo.cursor(server)).toEqual({ cursor: '9', syncedAt: '2025-05-03T03:00:00.000Z' });
  });

  it('a day recomputed under another package version replaces the earlier version\'s day (one version per course and day)', () => {
    const repo = opened.store.analytics;
    repo.applyPull(server, pull('1', { days: [day('crs-1', '2025-05-02', 1, 20)] }), '2025-05-02T03:00:00.000Z');
    repo.applyPull(server, pull('2', { days: [day('crs-1', '2025-05-02', 2, 4)] }), '2025-05-03T03:00:00.000Z');
    expect(repo.days(server, 'crs-1').map((d) => [d.day, d.packageVersion, d.packageContentHash])).toEqual([['2025-05-02', 2, hashV2]]);
  });

  it('rows of courses not in this studio are skipped and counted; the same pull from another server is kept apart', () => {
    const repo = opened.store.analytics;
    const applied = repo.applyPull(server, pull('3', { days: [day('crs-1', '2025-05-01', 1, 20), day('crs-other', '2025-05-01', 1, 9)], signals: [signal('sig-x', '2025-05-01', 'crs-other')], suggestions: [suggestion('sug-x', 'OPEN', 'crs-other')] }), '2025-05-02T00:00:00.000Z');
    expect(applied).toEqual({ days: 1, signals: 0, suggestions: 0, skipped: 3 });
    expect(repo.days(server, 'crs-other')).toEqual([]);
    expect(repo.days('https://other.example.org', 'crs-1')).toEqual([]);
  });

  it('a pull that fails part-way stores nothing and keeps the old cursor', () => {
    const repo = opened.store.analytics;
    repo.applyPull(server, pull('1', { days: [day('crs-1', '2025-05-01', 1, 20)] }), '2025-05-02T00:00:00.000Z');
    const broken = pull('2', { days: [day('crs-1', '2025-05-02', 1, 21)], suggestions: [{ ...suggestion('sug-broken'), status: 'MAYBE' as never }] });
    expect(() => repo.applyPull(server, broken, '2025-05-03T00:00:00.000Z')).toThrow();
    expect(repo.days(server, 'crs-1').map((d) => d.day)).toEqual(['2025-05-01']);
    expect(repo.cursor(server)?.cursor).toBe('1');
  });
});

describe('suggestions and decisions', () => {
  it("the server's decision moves an OPEN suggestion; a decided one never changes again, not even by the server", () => {
    const repo = opened.store.analytics;
    repo.applyPull(server, pull('1', { suggestions: [suggestion('sug-1')] }), '2025-05-02T00:00:00.000Z');
    expect(repo.applyPull(server, pull('2', { suggestions: [suggestion('sug-1', 'DISMISSED')] }), '2025-05-03T00:00:00.000Z').suggestions).toBe(1);
    expect(repo.suggestion(server, 'sug-1')).toMatchObject({ status: 'DISMISSED', decidedBy: 'ana', dismissReason: 'Already split' });
    expect(repo.applyPull(server, pull('3', { suggestions: [suggestion('sug-1', 'ACCEPTED')] }), '2025-05-04T00:00:00.000Z').suggestions).toBe(0);
    expect(repo.suggestion(server, 'sug-1')).toMatchObject({ status: 'DISMISSED' });
  });

  it('the database refuses changing a decided suggestion, rewriting one, or deleting any; an OPEN one may still be decided', () => {
    const repo = opened.store.analytics;
    repo.applyPull(server, pull('1', { suggestions: [suggestion('sug-open'), suggestion('sug-done', 'ACCEPTED')] }), '2025-05-02T00:00:00.000Z');
    const run = (sql: string) => () => opened.db.prepare(sql).run();
    expect(run("UPDATE analytics_suggestions SET status = 'OPEN' WHERE suggestion_id = 'sug-done'")).toThrow('a decided suggestion is immutable');
    expect(run("UPDATE analytics_suggestions SET rationale = 'forged' WHERE suggestion_id = 'sug-open'")).toThrow('a suggestion is written once; only its status changes (OPEN to ACCEPTED or DISMISSED)');
    expect(run("DELETE FROM analytics_suggestions WHERE suggestion_id = 'sug-open'")).toThrow('suggestions cannot be deleted; dismiss one with a reason instead');
    run("UPDATE analytics_suggestions SET status = 'ACCEPTED', decided_by = 'ana', decided_at = '2025-05-03T00:00:00.000Z' WHERE suggestion_id = 'sug-open'")();
    expect(repo.suggestion(server, 'sug-open')?.status).toBe('ACCEPTED');
  });

  it('a decision is recorded once: the second is a conflict naming the first; only its delivery moves; a dismissal needs a reason', () => {
    const repo = opened.store.analytics;
    const first = repo.recordDecision({ serverUrl: server, suggestionId: 'sug-1', decision: 'dismiss', reason: 'Already split', decidedBy: 'ana', decidedAt: '2025-05-03T00:00:00.000Z' });
    expect(first).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: '2025-05-03T00:00:00.000Z' });
    expect(() => repo.recordDecision({ serverUrl: server, suggestionId: 'sug-1', decision: 'accept', reason: null, decidedBy: 'rui', decidedAt: '2025-05-03T01:00:00.000Z' })).toThrow(/already dismissed by ana/);
    // The same suggestion id from another server is another suggestion.
    expect(repo.recordDecision({ serverUrl: 'https://other.example.org', suggestionId: 'sug-1', decision: 'accept', reason: null, decidedBy: 'rui', decidedAt: '2025-05-03T01:00:00.000Z' }).state).toBe('queued');

    expect(() => opened.db.prepare("UPDATE analytics_decisions SET reason = 'forged' WHERE id = ?").run(first.id)).toThrow('a suggestion decision is written once; only its delivery to the server changes');
    expect(() => opened.db.prepare('DELETE FROM analytics_decisions WHERE id = ?').run(first.id)).toThrow('suggestion decisions cannot be deleted; they are the record of what was decided');
    expect(() => repo.recordDecision({ serverUrl: server, suggestionId: 'sug-2', decision: 'dismiss', reason: ' ', decidedBy: 'ana', decidedAt: '2025-05-03T00:00:00.000Z' })).toThrow();

    const [claimed] = repo.claimDecisions({ serverUrl: server, dueBy: null, now: '2025-05-03T00:00:01.000Z', claimedUntil: '2025-05-03T00:02:00.000Z', limit: 5 });
    expect(claimed?.id).toBe(first.id);
    // Claimed: a second sender finds nothing until the claim runs out.
    expect(repo.claimDecisions({ serverUrl: server, dueBy: null, now: '2025-05-03T00:00:02.000Z', claimedUntil: '2025-05-03T00:02:00.000Z', limit: 5 })).toEqual([]);
    expect(repo.markDelivered(first.id, '2025-05-03T00:00:03.000Z')).toMatchObject({ state: 'delivered', attempts: 1, deliveredAt: '2025-05-03T00:00:03.000Z', reason: 'Already split' });
  });
});
