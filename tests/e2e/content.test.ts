import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

describe.skipIf(!hasChromium)('content review in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseId: string;

  /** Set-up through the same HTTP contract the UI uses; the UI path for these is covered in studio.test.ts. */
  async function api(name: string, input: unknown): Promise<any> {
    const token = new URL(studio.studioUrl).hash.replace('#token=', '');
    const response = await fetch(`${studio.url}api/call/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const result = await response.json();
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  }

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-content'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const course = await api('courses.create', { intent: { ...sampleIntent, timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await api('syllabus.generate', { courseId, runId: 'setup' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('generates, previews, regenerates and approves content, and the course reaches ready', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    // As a person gets there: the course in the list, then its content and status.
    await page.getByTestId('course-list').getByRole('link').first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByTestId('lifecycle').waitFor();
    expect(await page.getByRole('button', { name: 'Move to review' }).isEnabled()).toBe(true);

    // Every module: the course can reach ready only when all of it is approved.
    await page.getByLabel('Generate for').selectOption({ label: 'the whole course' });
    await page.getByRole('button', { name: 'Generate missing content' }).click();
    // The whole course is some thirty items: wait for the run to finish, however busy the machine.
    await expect.poll(() => page.getByTestId('content-progress').textContent(), { timeout: 120_000 }).toContain('remaining 0');
    await expect.poll(() => page.getByTestId('content-table').getByRole('button', { name: 'v1' }).count()).toBeGreaterThanOrEqual(5);

    const table = page.getByTestId('content-table');
    const firstLessonRow = table.locator('tbody tr').nth(1);
    await firstLessonRow.locator('td').nth(0).getByRole('button').click();
    await page.getByTestId('lesson-preview').waitFor();
    await page.screenshot({ path: screenshotPath('20-content-lesson-preview') });

    await firstLessonRow.locator('td').nth(1).getByRole('button').click();
    const quiz = page.getByTestId('quiz-preview');
    await quiz.waitFor();
    await quiz.locator('fieldset').first().locator('label').first().click();
    await quiz.locator('.feedback').first().waitFor();
    expect(await quiz.locator('.feedback').first().textContent()).toMatch(/Correct|Not quite/);
    await page.screenshot({ path: screenshotPath('21-content-quiz-preview') });

    // Regenerate the first lesson with an instruction: a new draft, the old one superseded.
    await firstLessonRow.locator('td').nth(0).getByRole('button').click();
    // Until the lesson is open, the pane (and its Regenerate button) is still the quiz's.
    await page.getByTestId('lesson-preview').waitFor();
    await page.getByRole('button', { name: 'Regenerate…' }).click();
    await page.getByLabel('Instruction (optional)').fill('use a weather dataset in every example');
    await page.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await expect.poll(() => firstLessonRow.locator('td').nth(0).textContent()).toContain('v2');
    // The table and the preview pane update one after the other: wait for the preview too.
    await expect.poll(() => page.getByTestId('lesson-preview').textContent()).toContain('use a weather dataset in every example');
    await page.getByRole('tab', { name: 'Versions' }).click();
    const history = page.getByTestId('content-history');
    expect(await history.textContent()).toMatch(/v1[\s\S]*superseded/i);
    // The change reads as the reviewer sees it: the overview, with the instruction's words added.
    await history.locator('table').waitFor();
    expect(await history.locator('tbody th').allTextContents()).toEqual(['Overview']);
    expect((await history.locator('ins').allTextContents()).join('')).toContain('use a weather dataset in every example');
    await page.screenshot({ path: screenshotPath('23-content-versions') });
    await page.getByRole('tab', { name: 'Learner preview' }).click();

    // Submit everything, open each item (bulk approval requires it), then approve the selection.
    await page.getByRole('button', { name: /Submit all drafts/ }).click();
    await expect.poll(() => table.getByText('in review').count()).toBeGreaterThanOrEqual(5);
    const cells = table.locator('td .cell button.link');
    const count = await cells.count();
    for (let i = 0; i < count; i++) await cells.nth(i).click();
    const boxes = table.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(count);
    for (let i = 0; i < count; i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: `Approve selected (${count})` }).click();
    await expect.poll(() => table.getByText('approved').count()).toBe(count);

    await page.getByRole('button', { name: 'Move to review' }).click();
    await page.getByRole('button', { name: 'Move to ready' }).waitFor();
    await page.getByRole('button', { name: 'Move to ready' }).click();
    await expect.poll(() => page.getByTestId('lifecycle').locator('.badge').first().textContent()).toBe('ready');
    // The next step's unmet rule reads as a sentence pointing at the Packages screen.
    expect(await page.getByTestId('lifecycle').textContent()).toMatch(/Publishing needs a course package built .*Packages screen/);
    await page.screenshot({ path: screenshotPath('22-content-course-ready') });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
