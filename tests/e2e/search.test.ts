import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { tempDataDir } from '../helpers.js';
import { lessonContent, quizContent, seedCourse, writeContent } from '../search-fixtures.js';
import { accessibilityViolations, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * A data folder with one course whose words are known: a quiz question about rainfall, a lesson
 * whose second version reworded its overview, a quiz whose second version moved the correct
 * answer, a syllabus lesson about barometers and a rejection in the audit log.
 */
function seedDataFolder(): string {
  const dataDir = tempDataDir('e2e-search');
  const opened = openDatabase(databaseFile(dataDir));
  try {
    const store = opened.store;
    seedCourse(store, {
      courseId: 'crs-weather',
      title: 'Charting the Weather',
      modules: 2,
      lessonsPerModule: 2,
      lessonTitles: { 'lesson-2-1': 'Cleaning barometer logs' },
      approveSyllabus: true,
    });
    const syllabusVersionId = 'syl-crs-weather';
    store.content.changeStatus('les-crs-weather-lesson-1-1', { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    const lesson = lessonContent(syllabusVersionId, 'module-1', 'lesson-1-1', 0, 'Lesson 1.1 shaping data');
    lesson.explanation.overview = lesson.explanation.overview.replace('a table of measurements', 'a year of rainfall readings');
    writeContent(store, { id: 'les-v2', courseId: 'crs-weather', syllabusVersionId, kind: 'lesson', targetId: 'lesson-1-1', content: lesson, basedOnId: 'les-crs-weather-lesson-1-1' });
    store.content.changeStatus('qz-crs-weather-lesson-1-2', { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    const quiz = quizContent(syllabusVersionId, 'lesson-1-2', 'Quiz: Lesson 1.2 shaping data', 'Which chart shows monthly rainfall totals best?');
    quiz.questions[1]!.correctIndex = 0;
    writeContent(store, { id: 'qz-v2', courseId: 'crs-weather', syllabusVersionId, kind: 'quiz', targetId: 'lesson-1-2', content: quiz, basedOnId: 'qz-crs-weather-lesson-1-2' });
    store.audit.append({ actor: 'Rui Okafor', action: 'content.rejected', entityType: 'content_item', entityId: 'les-crs-weather-lesson-2-2', metadata: { courseId: 'crs-weather', reason: 'The overview never mentions the anemometer' } });
  } finally {
    opened.close();
  }
  return dataDir;
}

describe.skipIf(!hasChromium)('search in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(seedDataFolder());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.studioUrl);
    await page.getByRole('heading', { name: 'Courses' }).waitFor({ timeout: 90_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  const searchBox = () => page.getByRole('searchbox', { name: /Search courses, lessons/ });
  const hits = () => page.getByRole('list', { name: 'Search results' }).getByRole('listitem');

  it('"/" focuses the header search; typed words show hits with their place; a question hit opens the quiz on that question', async () => {
    await page.locator('body').click();
    await page.keyboard.press('/');
    await expect.poll(() => searchBox().evaluate((el) => el === document.activeElement)).toBe(true);
    // The last word is matched as a prefix while it is typed.
    await page.keyboard.type('monthly rainf');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('1 result for “monthly rainf”');
    const hit = hits().first();
    expect(await hit.textContent()).toContain('Quiz questionQuestion 2: Which chart shows monthly rainfall totals best?');
    expect(await hit.locator('.search-where').textContent()).toBe('Charting the Weather › 1. Module 1 charts › 1.2 Lesson 1.2 shaping data › Quiz');
    expect(await hit.locator('mark').allTextContents()).toEqual(['monthly', 'rainfall']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('60-search-results-1280') });

    await hit.getByRole('link').click();
    const question = page.locator('.preview-pane fieldset.question.search-focus');
    await question.waitFor();
    expect(await question.textContent()).toContain('Which chart shows monthly rainfall totals best?');
    expect(await page.locator('.preview-pane .version-bar').textContent()).toContain('quiz v2');
    await page.screenshot({ path: screenshotPath('61-search-landed-on-question') });
  });

  it('Ctrl+K focuses search from anywhere; a syllabus lesson hit opens the syllabus editor on that lesson', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-table').waitFor();
    await page.keyboard.press('Control+k');
    await expect.poll(() => searchBox().evaluate((el) => el === document.activeElement)).toBe(true);
    await searchBox().fill('barometer');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toMatch(/^\d+ results? for “barometer”$/);
    const syllabusHit = hits().filter({ hasText: 'Syllabus lesson' });
    expect(await syllabusHit.locator('.search-where').textContent()).toBe('Charting the Weather › Syllabus › 2. Module 2 charts');
    await syllabusHit.getByRole('link').click();
    await expect.poll(() => page.locator('#lesson-title').inputValue().catch(() => '')).toBe('Cleaning barometer logs');
    await page.screenshot({ path: screenshotPath('62-search-landed-on-syllabus-lesson') });
  });

  it('an audit hit opens the audit log on that entry', async () => {
    await searchBox().fill('anemometer');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('1 result for “anemometer”');
    expect(await hits().first().textContent()).toContain('Audit entrycontent.rejected');
    await hits().first().getByRole('link').click();
    const row = page.locator('[data-testid="audit-table"] tr[aria-current="true"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('content.rejected');
    expect(await row.textContent()).toContain('Rui Okafor');
  });

  it('hostile text is searched for literally and an empty search explains itself', async () => {
    await searchBox().fill('(rainfall AND "zeppelin:');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('Nothing matches “(rainfall AND "zeppelin:”. Try fewer or shorter words.');
    await searchBox().fill('rainfall) -monthly');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('1 result for “rainfall) -monthly”');
    await searchBox().fill('*');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('"*" has no letters or digits to search for; type a word.');
  });

  it('a lesson’s version history shows the reworded text as a word diff, and a quiz’s question by question', async () => {
    await searchBox().fill('year of rainfall readings');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('1 result for “year of rainfall readings”');
    await hits().first().getByRole('link').click();
    await page.locator('.preview-pane .version-bar', { hasText: 'lesson v2' }).waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const history = page.getByTestId('content-history');
    await history.locator('table').waitFor();
    const overview = history.locator('tbody tr', { hasText: 'Overview' });
    expect(await overview.locator('del').allTextContents()).toEqual(['table', 'measurements']);
    expect(await overview.locator('ins').allTextContents()).toEqual(['year', 'rainfall readings']);
    expect(await history.locator('caption').textContent()).toBe('1 change from v1 to v2');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('63-content-word-diff-1280') });

    await searchBox().fill('monthly rainfall');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toBe('1 result for “monthly rainfall”');
    await hits().first().getByRole('link').click();
    await page.locator('.preview-pane .version-bar', { hasText: 'quiz v2' }).waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const rows = page.getByTestId('content-history').locator('tbody tr');
    await expect.poll(() => rows.allTextContents()).toEqual([
      'Question 2, prompttext changedBeforeWhich chart compares a few categories best?AfterWhich chart shows monthly rainfall totals best?',
      'Question 2correct option changed from B to A',
    ]);
  });

  it('works at 360 px: no sideways scrolling, axe clean', async () => {
    await page.setViewportSize({ width: 360, height: 760 });
    await searchBox().fill('chart');
    await expect.poll(() => page.getByTestId('search-status').textContent()).toMatch(/results? for “chart”$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('64-search-results-360'), fullPage: false });

    await hits().filter({ has: page.locator('.search-kind.kind-lesson') }).filter({ hasText: 'Lesson 1.1' }).first().getByRole('link').click();
    await page.locator('.preview-pane .version-bar').waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const history = page.getByTestId('content-history');
    await history.locator('table').waitFor();
    // The version diff fits its pane: long words wrap instead of widening it.
    expect(await history.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await history.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('65-content-history-360') });
  });
});
