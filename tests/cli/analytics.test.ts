import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import type { AnalyticsChanges, AnalyticsTarget, ContentSuggestion } from '../../schemas/analytics.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';
import { freePort } from '../integration/sync/support.js';
import { runCoursewright } from './run-cli.js';

/**
 * `coursewright analytics show` and `coursewright suggestions …` as a real process on a studio
 * data folder holding what a sync stored (written through the studio's own store, as a pull does).
 * No server answers here: decisions are queued, which is what a studio offline does.
 */

const hash = 'c'.repeat(64);
let dataDir: string;
let courseId: string;
let lessonIds: string[];
let serverUrl: string;

const target = (kind: AnalyticsTarget['kind'], extra: Partial<AnalyticsTarget> = {}): AnalyticsTarget => ({ kind, courseId, packageVersion: 1, packageContentHash: hash, lessonId: lessonIds[1]!, lessonIndex: 1, quizItemId: null, quizContentHash: null, questionId: null, optionIndex: null, ...extra });
const suggestion = (id: string, kind: ContentSuggestion['kind'], rationale: string): ContentSuggestion => ({
  id,
  signalId: `sig-${id}`,
  signalType: kind === 'split_lesson' ? 'high_dropoff' : 'item_suspect_key',
  kind,
  target: kind === 'split_lesson' ? target('lesson') : target('question', { quizItemId: 'quiz-1', quizContentHash: hash, questionId: 'q2' }),
  rationale,
  draftInstruction: 'Rework it.',
  status: 'OPEN',
  decidedBy: null,
  decidedAt: null,
  dismissReason: null,
  createdAt: '2025-05-02T02:00:00.000Z',
});

beforeAll(async () => {
  dataDir = tempDataDir('cli-analytics');
  serverUrl = `http://127.0.0.1:${await freePort()}`;
  const opened = openDatabase(`${dataDir}/coursewright.db`);
  const { course, approved } = await createCourseWithApprovedSyllabus(createEngine({ store: opened.store }));
  courseId = course.id;
  lessonIds = approved.syllabus.modules[0]!.lessons.map((l) => l.id);
  const lessons = lessonIds.slice(0, 3).map((lessonId, lessonIndex) => ({
    packageVersion: 1,
    lessonIndex,
    lessonId,
    title: `Lesson ${lessonIndex + 1}`,
    estimatedMinutes: 20,
    views: 40 - lessonIndex * 10,
    completions: 30 - lessonIndex * 10,
    dropOff: lessonIndex === 1 ? 12 : 1,
    dropOffRate: lessonIndex === 1 ? 0.4 : 0.03,
    medianMinutes: lessonIndex === 2 ? 50 : 18,
    p90Minutes: 60,
  }));
  const changes: AnalyticsChanges = {
    cursor: '42',
    days: ['2025-05-01', '2025-05-02'].map((day, i) => ({
      courseId,
      packageVersion: 1,
      packageContentHash: hash,
      day,
      funnel: { day, packageVersion: 1, courseViewed: 60 + i, enrolled: 45, purchased: null, started: 40, completed: 10 + i, completionRate: 0.25 + i * 0.05, activeLearners: 30 + i },
      lessons,
      quizzes: [],
      items: [
        { packageVersion: 1, lessonId: lessonIds[1]!, quizItemId: 'quiz-1', quizContentHash: hash, questionId: 'q2', questionIndex: 1, keyIndex: 0, n: 36, facility: 0.22, discrimination: -0.18, optionShares: [0.22, 0.7, 0.08, 0], nonFunctionalDistractors: [3], distractorOutdrawsKeyInTopThird: true },
        { packageVersion: 1, lessonId: lessonIds[1]!, quizItemId: 'quiz-1', quizContentHash: hash, questionId: 'q1', questionIndex: 0, keyIndex: 1, n: 36, facility: 0.6, discrimination: 0.4, optionShares: [0.2, 0.6, 0.1, 0.1], nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: false },
      ],
    })),
    signals: [
      { id: 'sig-drop', type: 'high_dropoff', severity: 'warning', target: target('lesson'), evidence: { n: 40, dropOffRate: 0.4 }, day: '2025-05-02', createdAt: '2025-05-02T02:00:00.000Z' },
      { id: 'sig-key', type: 'item_suspect_key', severity: 'critical', target: target('question', { quizItemId: 'quiz-1', quizContentHash: hash, questionId: 'q2' }), evidence: { n: 36, discrimination: -0.18 }, day: '2025-05-02', createdAt: '2025-05-02T02:00:00.000Z' },
    ],
    suggestions: [suggestion('sug-split', 'split_lesson', '40% of the learners who reached Lesson 2 stopped there.'), suggestion('sug-key', 'check_answer_key', 'Strong learners pick option B over the key.')],
  };
  opened.store.analytics.applyPull(serverUrl, changes, '2025-05-02T03:00:00.000Z');
  opened.close();
}, 120_000);

const cli = (args: string[], env: Record<string, string> = {}) => runCoursewright(['--data', dataDir, ...args], env);

describe('coursewright analytics show', () => {
  it('prints the funnel, lessons with drop-off and time against the estimate, and the flagged question', async () => {
    const shown = await cli(['analytics', 'show', courseId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Package v1, 2025-05-01 to 2025-05-02');
    expect(shown.stdout).toContain('viewed 121 → enrolled 90 → started 80 → completed 21 (completion 30%)');
    expect(shown.stdout).toContain('2. Lesson 2: 30 views, drop-off 12 (40%), 18 min of 20 min estimated (0.9×) ⚑ many stop here');
    expect(shown.stdout).toContain('3. Lesson 3: 20 views, drop-off 1 (3%), 50 min of 20 min estimated (2.5×)');
    expect(shown.stdout).toMatch(/question 2 \(q2\): p 0\.22, r -0\.18, n 36 ⚑ answer key suspect/);
    expect(shown.stdout).not.toContain('(q1)');
    expect(shown.stdout).toContain(`2 open suggestions: coursewright suggestions list --course ${courseId}`);
  });

  it('--json gives the view with flags and links; an unknown course exits 4, a bad --package-version 3, a version without analytics 4', async () => {
    const json = await cli(['--json', 'analytics', 'show', courseId]);
    expect(json.code, json.stderr).toBe(0);
    const view = json.json();
    expect(view.items.find((i: { questionId: string }) => i.questionId === 'q2')).toMatchObject({ flags: ['item_suspect_key'], link: { lessonId: lessonIds[1], quizItemId: 'quiz-1', questionId: 'q2' } });
    expect(view.learnersOverTime).toEqual([
      { day: '2025-05-01', activeLearners: 30 },
      { day: '2025-05-02', activeLearners: 31 },
    ]);
    expect((await cli(['analytics', 'show', 'crs_nope'])).code).toBe(4);
    expect((await cli(['analytics', 'show', courseId, '--package-version', 'two'])).code).toBe(3);
    const missing = await cli(['analytics', 'show', courseId, '--package-version', '7']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('versions with analytics: v1');
  });
});

describe('coursewright suggestions', () => {
  it('lists, accepts (queued while the server does not answer), and refuses deciding twice with exit 5', async () => {
    const listed = await cli(['suggestions', 'list', '--course', courseId]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('sug-split  OPEN');
    expect(listed.stdout).toContain('40% of the learners who reached Lesson 2 stopped there.');

    const accepted = await cli(['suggestions', 'accept', 'sug-key'], { COURSEWRIGHT_SERVER_KEY: 'cwk_cli_analytics_test_key_0123456789' });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/Accepted sug-key here; the decision is queued/);
    const twice = await cli(['suggestions', 'accept', 'sug-key']);
    expect(twice.code).toBe(5);
    expect(twice.stderr).toMatch(/already accepted by cli-tester/);

    const open = await cli(['--json', 'suggestions', 'list', '--status', 'open']);
    expect(open.json().map((s: { id: string }) => s.id)).toEqual(['sug-split']);
    const decided = await cli(['--json', 'suggestions', 'list', '--status', 'ACCEPTED']);
    expect(decided.json()).toEqual([expect.objectContaining({ id: 'sug-key', status: 'ACCEPTED', decidedBy: 'cli-tester', delivery: expect.objectContaining({ state: 'queued' }) })]);
    expect((await cli(['suggestions', 'list', '--status', 'maybe'])).code).toBe(3);
  });

  it('dismiss needs --reason (exit 3, nothing recorded); with one it is recorded; a second dismissal exits 5; an unknown id exits 4', async () => {
    const bare = await cli(['suggestions', 'dismiss', 'sug-split']);
    expect(bare.code).toBe(3);
    expect(bare.stderr).toMatch(/needs a reason: add --reason/);
    const blank = await cli(['suggestions', 'dismiss', 'sug-split', '--reason', '   ']);
    expect(blank.code).toBe(3);
    expect((await cli(['--json', 'suggestions', 'list', '--status', 'OPEN'])).json().map((s: { id: string }) => s.id)).toEqual(['sug-split']);

    const dismissed = await cli(['--json', 'suggestions', 'dismiss', 'sug-split', '--reason', 'Lesson 2 was split in v2 already']);
    expect(dismissed.code, dismissed.stderr).toBe(0);
    expect(dismissed.json()).toMatchObject({ delivered: false, suggestion: { status: 'DISMISSED', dismissReason: 'Lesson 2 was split in v2 already' } });
    expect((await cli(['suggestions', 'dismiss', 'sug-split', '--reason', 'again'])).code).toBe(5);
    expect((await cli(['suggestions', 'accept', 'sug-nope'])).code).toBe(4);
  });
});
