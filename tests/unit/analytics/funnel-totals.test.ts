import { describe, expect, it } from 'vitest';
import { funnelTotals } from '../../../core/analytics-sync/views.js';
import type { SyncedAnalyticsDay } from '../../../core/analytics-sync/ports.js';

/** One synced day with the funnel numbers given; the server's own rate for that day is `dayRate`. */
const day = (date: string, funnel: { viewed: number; enrolled: number; started: number; completed: number; dayRate: number; purchased?: number | null }): SyncedAnalyticsDay => ({
  serverUrl: 'http://127.0.0.1:9',
  courseId: 'course-1',
  packageVersion: 1,
  packageContentHash: 'a'.repeat(64),
  day: date,
  funnel: { day: date, packageVersion: 1, courseViewed: funnel.viewed, enrolled: funnel.enrolled, purchased: funnel.purchased ?? null, started: funnel.started, completed: funnel.completed, completionRate: funnel.dayRate, activeLearners: 10 },
  lessons: [],
  quizzes: [],
  items: [],
  syncedAt: '2026-11-22T02:00:00.000Z',
});

describe("the studio's funnel over a range: the completion rate agrees with the totals shown beside it", () => {
  it('90 + 60 started and 20 + 40 completed give 60 of 150 = 40%, not the latest day\'s 66.7%', () => {
    const totals = funnelTotals([
      day('2026-11-20', { viewed: 250, enrolled: 110, started: 90, completed: 20, dayRate: 0.22 }),
      day('2026-11-21', { viewed: 150, enrolled: 70, started: 60, completed: 40, dayRate: 0.667 }),
    ]);
    expect(totals).toEqual({ courseViewed: 400, enrolled: 180, purchased: null, started: 150, completed: 60, completionRate: 0.4 });
  });

  it('one day: its own counts, 3 of 12 = 25%; purchases are added up where the course is paid', () => {
    expect(funnelTotals([day('2026-11-21', { viewed: 30, enrolled: 14, started: 12, completed: 3, dayRate: 0.9, purchased: 14 })])).toEqual({ courseViewed: 30, enrolled: 14, purchased: 14, started: 12, completed: 3, completionRate: 0.25 });
  });

  it('nobody started: a rate of 0, not a division by zero', () => {
    expect(funnelTotals([day('2026-11-21', { viewed: 5, enrolled: 0, started: 0, completed: 0, dayRate: 0 })]).completionRate).toBe(0);
    expect(funnelTotals([]).completionRate).toBe(0);
  });

  it('more completions than starts in the range (learners who started before it) reads as 100%, never more', () => {
    expect(funnelTotals([day('2026-11-21', { viewed: 0, enrolled: 0, started: 2, completed: 5, dayRate: 0.5 })]).completionRate).toBe(1);
  });
});
