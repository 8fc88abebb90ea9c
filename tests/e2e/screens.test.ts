import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * Every studio screen at a wide monitor's 1280 px and a narrow window's 360 px: WCAG 2.1 AA by
 * axe-core with zero violations, no sideways scrolling, and a screenshot of each
 * (tests/artifacts/screenshots/<screen>-<width>.png) for a person to look at.
 * Each screen is reached by clicking, as a designer would; the data behind them is arranged
 * through the contract the UI uses.
 */
describe.skipIf(!hasChromium)('every screen at 1280 and 360 px', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  const packagedTitle = 'Charts for Busy Analysts';
  const reviewedTitle = 'Interviewing users without leading them';
  const widths = [1280, 360] as const;

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-screens'), { COURSEWRIGHT_ACTOR: 'Dana Author' });
    const api = <T = any>(name: string, input: unknown) => callStudio<T>(studio, name, input);

    // A course that went all the way: approved syllabus and content, one package.
    const packaged = await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, title: packagedTitle, timeBudgetHours: 1.5 } });
    const draft = await api<{ id: string }>('syllabus.generate', { courseId: packaged.id, runId: 'screens-1' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
    const run = await api<{ generated: Array<{ id: string }> }>('content.generate', { courseId: packaged.id, runId: 'screens-1c' });
    const ids = run.generated.map((i) => i.id);
    for (const itemId of ids) await api('content.open', { itemId });
    await api('content.submit', { itemIds: ids });
    await api('content.approve', { itemIds: ids });
    await api('packages.build', { courseId: packaged.id });

    // A second course with work waiting in the review queue.
    const reviewed = await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, title: reviewedTitle } });
    const second = await api<{ id: string; syllabus: { modules: Array<{ lessons: Array<{ id: string }> }> } }>('syllabus.generate', { courseId: reviewed.id, runId: 'screens-2' });
    await api('syllabus.submit', { versionId: second.id });
    await api('syllabus.approve', { versionId: second.id });
    const waiting = await api<{ generated: Array<{ id: string }> }>('content.generate', { courseId: reviewed.id, runId: 'screens-2c', lessonId: second.syllabus.modules[0]!.lessons[0]!.id });
    await api('content.submit', { itemIds: waiting.generated.map((i) => i.id) });

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

  /** What a person would see as the screen's problems at each width; empty when it is fine. */
  async function checkAtBothWidths(screen: string, ready: () => Promise<unknown>): Promise<void> {
    const problems: string[] = [];
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await ready();
      // Layout settles on the next frame after a resize.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      if (scrollWidth > clientWidth) problems.push(`${width} px: scrolls sideways (${scrollWidth} > ${clientWidth})`);
      for (const violation of await accessibilityViolations(page)) problems.push(`${width} px: ${violation}`);
      // The whole page, down to 4,000 px: long lists (the audit log) would make an image nobody can look at.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: screenshotPath(`screenshots/${screen}-${width}`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 4000) } });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems, screen).toEqual([]);
  }

  const openCourse = async (title: string) => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByTestId('course-list').getByRole('link', { name: title }).click();
    await page.getByTestId('outline').waitFor();
  };

  it('course list', async () => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await checkAtBothWidths('course-list', () => page.getByTestId('course-list').getByRole('link', { name: reviewedTitle }).waitFor());
  });

  it('new course', async () => {
    await page.getByRole('link', { name: 'New course' }).click();
    await checkAtBothWidths('new-course', () => page.getByRole('button', { name: 'Create course' }).waitFor());
  });

  it('syllabus workspace', async () => {
    await openCourse(packagedTitle);
    await checkAtBothWidths('workspace', () => page.locator('#lesson-title, #module-title').first().waitFor());
  });

  it('content', async () => {
    await openCourse(packagedTitle);
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByTestId('content-table').locator('tbody tr').nth(1).locator('td').nth(0).getByRole('button').click();
    await checkAtBothWidths('content', () => page.getByTestId('lesson-preview').waitFor());
  });

  it('content editor', async () => {
    await openCourse(packagedTitle);
    await page.getByRole('link', { name: 'Content & status' }).click();
    // An approved lesson opens in the editor too; saving would make a new draft version.
    await page.getByTestId('content-table').locator('tbody tr').nth(1).locator('td').nth(0).getByRole('button').click();
    await page.getByTestId('lesson-preview').waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await checkAtBothWidths('content-editor', () => page.getByRole('form', { name: /Edit lesson/ }).waitFor());
    await page.getByRole('button', { name: 'Close editor' }).first().click();
  });

  it('packages', async () => {
    await openCourse(packagedTitle);
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await checkAtBothWidths('packages', () => page.getByTestId('package-v1').waitFor());
  });

  it('review queue', async () => {
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByTestId('review-list').locator('li').first().getByRole('button', { name: 'Open' }).click();
    await checkAtBothWidths('review-queue', () => page.getByTestId('review-panel').waitFor());
  });

  it('preview', async () => {
    await openCourse(packagedTitle);
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByRole('link', { name: 'Preview as a learner' }).click();
    await checkAtBothWidths('preview', () => page.frameLocator('iframe[title^="Learner preview"]').getByRole('heading', { level: 1, name: packagedTitle }).waitFor());
  });

  it('search results', async () => {
    await page.getByRole('searchbox', { name: /Search courses, lessons/ }).fill('chart');
    await checkAtBothWidths('search', () => page.getByTestId('search-status').filter({ hasText: /result/ }).waitFor());
  });

  it('analytics (nothing synced yet)', async () => {
    await openCourse(packagedTitle);
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await checkAtBothWidths('analytics-not-synced', () => page.getByTestId('analytics-empty').waitFor());
  });

  it('suggestions', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Suggestions/ }).click();
    await checkAtBothWidths('suggestions-none', () => page.getByTestId('suggestions-empty').waitFor());
  });

  it('audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await checkAtBothWidths('audit', () => page.getByTestId('audit-table').waitFor());
  });

  it('settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await checkAtBothWidths('settings', () => page.getByRole('button', { name: 'Save settings' }).waitFor());
  });
});
