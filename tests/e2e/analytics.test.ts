import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsChanges, AnalyticsSignal, ContentSuggestion, ItemStatistics, LessonStatistics } from '../../schemas/analytics.js';
import type { PackageDocument } from '../../schemas/package.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * The Analytics page and the Suggestions queue in Chromium against the served studio, reached by
 * clicking. The analytics are the ones a `coursewright sync` would have stored: written into the
 * studio's own tables through its analytics store, with literal numbers that include a question
 * whose key looks wrong and a lesson where many learners stop.
 */
describe.skipIf(!hasChromium)('learner analytics and suggestions in the studio', () => {
  const title = 'Spreadsheet Habits for Analysts';
  const emptyTitle = 'Course Nobody Has Taken Yet';
  const serverUrl = 'http://127.0.0.1:9';
  const hashV1 = 'a'.repeat(64);
  const hashV2 = 'b'.repeat(64);
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseId: string;
  let doc: PackageDocument;
  const ids = { suspectKey: '', splitLesson: '' };

  beforeAll(async () => {
    await ensureRendererBuilt();
    const dataDir = tempDataDir('e2e-analytics');
    studio = await serveStudio(dataDir, { COURSEWRIGHT_ACTOR: 'Dana Author' });
    const api = <T = any>(name: string, input: unknown) => callStudio<T>(studio, name, input);
    const course = await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, title, timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await api<{ id: string }>('syllabus.generate', { courseId, runId: 'analytics-1' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
    const run = await api<{ generated: Array<{ id: string }> }>('content.generate', { courseId, runId: 'analytics-1c' });
    const itemIds = run.generated.map((i) => i.id);
    for (const itemId of itemIds) await api('content.open', { itemId });
    await api('content.submit', { itemIds });
    await api('content.approve', { itemIds });
    const built = await api<{ id: string }>('packages.build', { courseId });
    doc = (await api<{ document: PackageDocument }>('packages.get', { packageId: built.id })).document;
    await api('courses.create', { intent: { ...sampleIntent, title: emptyTitle } });

    const opened = openDatabase(databaseFile(dataDir));
    try {
      opened.store.analytics.applyPull(serverUrl, changes(), '2026-11-26T08:00:00.000Z');
    } finally {
      opened.close();
    }

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  /** What the server would have sent: version 1 over two days, version 2 (after a fix) over one. */
  function changes(): AnalyticsChanges {
    const lessons = doc.modules.flatMap((m) => m.lessons);
    const [first, second] = lessons as [PackageDocument['modules'][0]['lessons'][0], PackageDocument['modules'][0]['lessons'][0]];
    const quiz = first.quiz;
    const [q1, q2] = quiz.content.questions as Array<{ id: string }>;
    // Lesson 2 is where learners stop in v1 (41 of 100); elsewhere 3 of 100. v2 has 12 of 100 in lesson 2.
    const lessonRows = (version: number, secondDropOff: number): LessonStatistics[] =>
      lessons.map((l, index) => ({
        packageVersion: version,
        lessonIndex: index,
        lessonId: l.id,
        title: l.title,
        estimatedMinutes: 10,
        views: 100,
        completions: l.id === second.id ? 100 - secondDropOff : 97,
        dropOff: l.id === second.id ? secondDropOff : 3,
        dropOffRate: l.id === second.id ? secondDropOff / 100 : 0.03,
        medianMinutes: l.id === second.id ? 26.5 : 9,
        p90Minutes: l.id === second.id ? 41 : 14,
      }));
    const items = (version: number, q2Facility: number, q2Discrimination: number, q2Shares: number[]): ItemStatistics[] => [
      { packageVersion: version, lessonId: first.id, quizItemId: quiz.itemId, quizContentHash: quiz.contentHash, questionId: q1!.id, questionIndex: 0, keyIndex: 0, n: 120, facility: 0.72, discrimination: 0.45, optionShares: [0.72, 0.14, 0.14], nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: false },
      { packageVersion: version, lessonId: first.id, quizItemId: quiz.itemId, quizContentHash: quiz.contentHash, questionId: q2!.id, questionIndex: 1, keyIndex: 1, n: 120, facility: q2Facility, discrimination: q2Discrimination, optionShares: q2Shares, nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: version === 1 },
    ];
    const funnelDay = (version: number, day: string, viewed: number, enrolled: number, started: number, completed: number, active: number) => ({
      day,
      packageVersion: version,
      courseViewed: viewed,
      enrolled,
      purchased: null,
      started,
      completed,
      completionRate: completed / started,
      activeLearners: active,
    });
    const target = (version: number, hash: string, kind: 'lesson' | 'question', lessonIndex: number, lessonId: string, question: string | null) => ({
      kind,
      courseId,
      packageVersion: version,
      packageContentHash: hash,
      lessonId,
      lessonIndex,
      quizItemId: question ? quiz.itemId : null,
      quizContentHash: question ? quiz.contentHash : null,
      questionId: question,
      optionIndex: null,
    });
    const suspect: AnalyticsSignal = { id: 'sig-suspect-key-v1', type: 'item_suspect_key', severity: 'critical', target: target(1, hashV1, 'question', 0, first.id, q2!.id), evidence: { n: 120, facility: 0.18, discrimination: -0.12 }, day: '2026-11-21', createdAt: '2026-11-22T02:00:00.000Z' };
    const dropoff: AnalyticsSignal = { id: 'sig-dropoff-v1', type: 'high_dropoff', severity: 'warning', target: target(1, hashV1, 'lesson', 1, second.id, null), evidence: { n: 100, dropOffRate: 0.41, courseMedianDropOffRate: 0.03 }, day: '2026-11-21', createdAt: '2026-11-22T02:00:00.000Z' };
    const suggestion = (id: string, signal: AnalyticsSignal, kind: ContentSuggestion['kind'], rationale: string): ContentSuggestion => ({
      id,
      signalId: signal.id,
      signalType: signal.type,
      kind,
      target: signal.target,
      rationale,
      draftInstruction: `Revise: ${rationale}`,
      status: 'OPEN',
      decidedBy: null,
      decidedAt: null,
      dismissReason: null,
      createdAt: '2026-11-22T02:00:00.000Z',
    });
    ids.suspectKey = 'sug-check-key-v1';
    ids.splitLesson = 'sug-split-lesson-v1';
    return {
      cursor: 'c-1',
      days: [
        { courseId, packageVersion: 1, packageContentHash: hashV1, day: '2026-11-20', funnel: funnelDay(1, '2026-11-20', 250, 110, 90, 20, 60), lessons: lessonRows(1, 41), quizzes: [], items: items(1, 0.18, -0.12, [0.78, 0.18, 0.04]) },
        { courseId, packageVersion: 1, packageContentHash: hashV1, day: '2026-11-21', funnel: funnelDay(1, '2026-11-21', 150, 70, 60, 40, 75), lessons: lessonRows(1, 41), quizzes: [], items: items(1, 0.18, -0.12, [0.78, 0.18, 0.04]) },
        { courseId, packageVersion: 2, packageContentHash: hashV2, day: '2026-11-25', funnel: funnelDay(2, '2026-11-25', 300, 150, 140, 98, 110), lessons: lessonRows(2, 12), quizzes: [], items: items(2, 0.66, 0.31, [0.3, 0.66, 0.04]) },
      ],
      signals: [suspect, dropoff],
      suggestions: [
        suggestion(ids.suspectKey, suspect, 'check_answer_key', 'Question 2 of the first quiz: only 18% answer it correctly and stronger learners pick another option more often than the key (r = -0.12, n = 120).'),
        suggestion(ids.splitLesson, dropoff, 'split_lesson', 'Lesson 2 loses 41% of the learners who reach it, against a course median of 3% (n = 100).'),
      ],
    };
  }

  async function atBothWidths(name: string, ready: () => Promise<unknown>): Promise<string[]> {
    const problems: string[] = [];
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await ready();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      if (scrollWidth > clientWidth) problems.push(`${width} px: scrolls sideways (${scrollWidth} > ${clientWidth})`);
      for (const violation of await accessibilityViolations(page)) problems.push(`${width} px: ${violation}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: screenshotPath(`screenshots/${name}-${width}`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 4000) } });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    return problems;
  }

  const openAnalytics = async (courseTitle: string) => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByTestId('course-list').getByRole('link', { name: courseTitle }).click();
    await page.locator('#course-heading').waitFor();
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await page.locator('#analytics-heading').waitFor();
  };

  const itemRows = () => page.getByTestId('item-analysis').locator('tbody tr');

  it('shows a course without synced analytics as an empty state that says how to get them', async () => {
    await openAnalytics(emptyTitle);
    const empty = page.getByTestId('analytics-empty');
    await expect(empty.textContent()).resolves.toMatch(/No learner analytics for this course yet/);
    await expect(empty.textContent()).resolves.toContain('coursewright sync');
    await expect(empty.getByRole('link', { name: 'Packages and exports' }).count()).resolves.toBe(1);
    expect(await atBothWidths('analytics-empty', () => empty.waitFor())).toEqual([]);
  });

  it('shows the newest version: funnel, the flagged lesson, the flagged question, every chart with a table', async () => {
    await openAnalytics(title);
    // Newest version with analytics first.
    await expect(page.getByLabel('Package version').inputValue()).resolves.toBe('2');
    await page.getByLabel('Package version').selectOption('1');
    await page.getByTestId('funnel-heading').getByRole('heading', { name: 'Funnel, package v1' }).waitFor();

    // Funnel totals over both v1 days: 250+150 viewed, 110+70 enrolled, 90+60 started, 20+40 completed.
    const funnel = page.getByTestId('funnel-heading');
    const funnelRows = await funnel.locator('tbody tr').allTextContents();
    expect(funnelRows).toEqual(['Viewed the course page400100%', 'Enrolled18045%', 'Started15038%', 'Completed6015%']);
    // The server's rate as of the range's end (seeded as 40 of 60 by 2026-11-21), not 60 of 150 from the daily counts above.
    await expect(funnel.textContent()).resolves.toContain('Completion rate by 2026-11-21: 66.7% of everyone who had started by then completed.');

    // The high drop-off lesson, named above the chart and flagged in its table.
    const second = doc.modules.flatMap((m) => m.lessons)[1]!;
    const dropoff = page.getByTestId('dropoff-chart');
    await expect(dropoff.locator('figcaption').textContent()).resolves.toContain(`Flagged high drop-off: Lesson 2 “${second.title}” (41%)`);
    await dropoff.getByText('Drop-off per lesson as a table').click();
    const lessonRow = dropoff.locator('tbody tr').nth(1);
    await expect(lessonRow.locator('td').allTextContents()).resolves.toEqual(['100', '59', '41', '41.0%', 'High drop-off']);
    await expect(dropoff.locator('tbody tr').nth(0).locator('td').allTextContents()).resolves.toEqual(['100', '97', '3', '3.0%', '']);
    // The charts are drawn (a canvas each) and hidden from assistive technology, which reads the tables.
    await expect(page.locator('.uplot-host[aria-hidden="true"] canvas').count()).resolves.toBe(3);

    const time = page.getByTestId('time-chart');
    await time.getByText('Time against estimate as a table').click();
    await expect(time.locator('tbody tr').nth(1).locator('td').allTextContents()).resolves.toEqual(['10 min', '26.5 min', '41.0 min', '2.65 ×', '']);

    // The flagged question, as text, with its numbers.
    const suspectRow = itemRows().filter({ hasText: 'Suspect answer key' });
    await expect(suspectRow.count()).resolves.toBe(1);
    await expect(suspectRow.locator('td').nth(0).textContent()).resolves.toBe('120');
    await expect(suspectRow.locator('td').nth(1).textContent()).resolves.toBe('0.18');
    await expect(suspectRow.locator('td').nth(2).textContent()).resolves.toBe('-0.12');
    await expect(suspectRow.textContent()).resolves.toContain('A distractor outdraws the key among the top third');
    // Only the planted question is flagged.
    await expect(itemRows().filter({ hasText: 'Suspect answer key' }).count()).resolves.toBe(1);
    await expect(itemRows().nth(0).locator('td').nth(3).textContent()).resolves.toBe('');
  });

  it('sorts the item-analysis table by a column, saying so with aria-sort', async () => {
    const header = (name: string) => page.getByTestId('item-analysis').getByRole('columnheader', { name });
    // In course order, question 1 (p 0.72) comes before question 2 (p 0.18).
    await expect(itemRows().locator('th').allTextContents()).resolves.toEqual([expect.stringMatching(/^Question 1/), expect.stringMatching(/^Question 2/)]);
    await expect(header('Question').getAttribute('aria-sort')).resolves.toBe('ascending');
    await header('Facility p').getByRole('button').click();
    await expect(header('Facility p').getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(header('Question').getAttribute('aria-sort')).resolves.toBe('none');
    await expect(itemRows().locator('td:nth-child(3)').allTextContents()).resolves.toEqual(['0.72', '0.18']);
    await header('Facility p').getByRole('button').click();
    await expect(header('Facility p').getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(itemRows().locator('td:nth-child(3)').allTextContents()).resolves.toEqual(['0.18', '0.72']);
    expect(await atBothWidths('analytics', () => page.getByTestId('item-analysis').waitFor())).toEqual([]);
  });

  it('opens a question from the item-analysis table at its place in the content screen', async () => {
    const quiz = doc.modules[0]!.lessons[0]!.quiz;
    const q2 = (quiz.content.questions as Array<{ id: string }>)[1]!;
    await itemRows().filter({ hasText: 'Suspect answer key' }).getByRole('link', { name: 'Question 2' }).click();
    await page.locator('#content-heading').waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/content/${courseId}/${quiz.itemId}/${q2.id}`);
    await page.goBack();
    await page.locator('#analytics-heading').waitFor();
  });

  it('compares two versions side by side: both numbers for the fixed lesson and question', async () => {
    await page.getByLabel('Package version').selectOption('1');
    await page.getByLabel('Compare with').selectOption('2');
    const comparison = page.getByTestId('analytics-comparison');
    await comparison.waitFor();
    await expect(page.getByTestId('funnel-a-heading').textContent()).resolves.toContain('Funnel, package v1');
    await expect(page.getByTestId('funnel-b-heading').textContent()).resolves.toContain('Funnel, package v2');
    await expect(page.getByTestId('funnel-b-heading').locator('tbody tr').first().textContent()).resolves.toBe('Viewed the course page300100%');

    const second = doc.modules.flatMap((m) => m.lessons)[1]!;
    const compareDropoff = page.getByTestId('compare-dropoff');
    await compareDropoff.getByText('as a table').click();
    const lessonRow = compareDropoff.locator('tbody tr').filter({ hasText: second.title });
    await expect(lessonRow.locator('td').nth(0).textContent()).resolves.toBe('41.0%');
    await expect(lessonRow.locator('td').nth(1).textContent()).resolves.toBe('12.0% (down 29.0 points)');

    const questionRow = page.getByTestId('compare-items').locator('tbody tr').filter({ hasText: 'Question 2' });
    const cells = await questionRow.locator('td').allTextContents();
    expect(cells[0]).toContain('0.18');
    expect(cells[0]).toContain('Suspect answer key');
    expect(cells[1]).toContain('0.66');
    expect(cells[1]).not.toContain('Suspect answer key');
    expect(cells.slice(2)).toEqual(['-0.12', '0.31']);
    expect(await atBothWidths('analytics-compare', () => comparison.waitFor())).toEqual([]);
  });

  it('lists suggestions with evidence and rationale; accepts one, and dismisses one only with a reason', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: /Suggestions/ }).textContent()).resolves.toBe('Suggestions2 open');
    await nav.getByRole('link', { name: /Suggestions/ }).click();
    const list = page.getByTestId('suggestion-list');
    await list.waitFor();
    const keyCard = list.getByTestId('suggestion').filter({ hasText: 'Check the answer key' });
    await expect(keyCard.textContent()).resolves.toContain('only 18% answer it correctly');
    // Evidence from the signal, in words and numbers.
    await expect.poll(async () => (await keyCard.locator('.suggestion-evidence dl > div').allTextContents()).sort()).toEqual(['discrimination r-0.12', 'facility p (share correct)18.0%', 'learners (n)120']);
    await expect(keyCard.getByText('Suspect answer key').count()).resolves.toBe(1);
    expect(await atBothWidths('suggestions', () => list.waitFor())).toEqual([]);

    await keyCard.getByRole('button', { name: 'Accept and create job' }).click();
    // Decided: no longer open, so it leaves the Open filter and the count drops.
    await expect.poll(() => list.getByTestId('suggestion').filter({ hasText: 'Check the answer key' }).count()).toBe(0);
    await expect.poll(() => nav.getByRole('link', { name: /Suggestions/ }).textContent()).toBe('Suggestions1 open');

    // The renderer is untrusted: the host refuses a blank reason itself, and the suggestion stays open.
    await expect(callStudio(studio, 'suggestions.dismiss', { id: ids.splitLesson, reason: '   ' })).rejects.toThrow(/INVALID_INPUT.*reason/i);
    const splitCard = list.getByTestId('suggestion').filter({ hasText: 'Split the lesson' });
    await splitCard.getByRole('button', { name: 'Dismiss…' }).click();
    const dialog = page.getByRole('dialog', { name: /Dismiss/ });
    await dialog.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('Write a reason for dismissing');
    await expect(dialog.getByLabel('Reason (required)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await page.screenshot({ path: screenshotPath('screenshots/suggestions-dismiss-1280') });
    // Still open: nothing was decided.
    await expect(splitCard.getByRole('button', { name: 'Accept and create job' }).count()).resolves.toBe(1);
    await dialog.getByLabel('Reason (required)').fill('Lesson 2 was rewritten for v2; its drop-off fell to 12%.');
    await dialog.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('suggestions-empty').waitFor();
    await expect.poll(() => nav.getByRole('link', { name: /Suggestions/ }).textContent()).toBe('Suggestions');

    // Both decisions, with who and why, under All.
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'All' }).click();
    await expect.poll(() => list.getByTestId('suggestion').count()).toBe(2);
    await expect(list.getByTestId('suggestion').filter({ hasText: 'Split the lesson' }).locator('.suggestion-state').textContent()).resolves.toMatch(/Dismissed by Dana Author, .*: “Lesson 2 was rewritten for v2; its drop-off fell to 12%\.”/);
    await expect(list.getByTestId('suggestion').filter({ hasText: 'Check the answer key' }).locator('.suggestion-state').textContent()).resolves.toMatch(/^Accepted by Dana Author/);
    await expect(list.getByRole('button', { name: 'Accept and create job' }).count()).resolves.toBe(0);
  });

  it('filters the queue by course', async () => {
    await page.getByLabel('Course', { exact: true }).selectOption({ label: emptyTitle });
    await page.getByTestId('suggestions-empty').waitFor();
    await expect(page.getByTestId('suggestions-empty').textContent()).resolves.toContain(`for “${emptyTitle}”`);
    await page.getByLabel('Course', { exact: true }).selectOption({ label: title });
    await expect.poll(() => page.getByTestId('suggestion').count()).toBe(2);

  });
});
