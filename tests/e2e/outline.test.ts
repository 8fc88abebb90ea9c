import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * Restructuring a syllabus outline in the served studio, as a designer does it: adding a lesson,
 * moving it by keyboard and by dragging, moving a lesson into another module past the
 * prerequisite question, deleting with a confirmation, watching the totals against a
 * 3.5-hour budget, and saving it all as a new draft version.
 */
describe.skipIf(!hasChromium)('restructuring the outline in Chromium', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  const title = 'Charts for Busy Analysts';
  let courseId: string;

  /** The outline rows' visible titles ("1.2 Lesson title"), in order; the list is windowed, but a small course fits. */
  const rowTitles = () => page.locator('.outline-row .outline-title').allTextContents();
  const row = (text: string | RegExp) => page.locator('.outline-row', { has: page.locator('.outline-title', { hasText: text }) }).locator('.outline-select');
  const budget = () => page.getByTestId('time-budget').textContent();

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-outline'));
    courseId = (await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title, timeBudgetHours: 3.5 } })).id;
    await callStudio(studio, 'syllabus.generate', { courseId, runId: 'outline-seed' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('adds a lesson, moves it by keyboard and by dragging, and the totals follow against the budget', async () => {
    await page.goto(studio.studioUrl);
    await page.getByRole('link', { name: title }).click();
    await page.getByTestId('outline').waitFor();
    // The mock model fills a 3.5-hour budget exactly.
    await expect.poll(budget).toContain('3 h 30 min of 3 h 30 min budget');
    expect(await budget()).toContain('0 min left');
    const before = await rowTitles();
    expect(before[0]).toMatch(/^1\. /);
    expect(before[1]).toMatch(/^1\.1 /);
    const firstLesson = before[1]!.replace(/^1\.1 /, '');

    // Add a lesson after the first one; its title field takes the focus.
    await row(/^1\.1 /).click();
    await page.getByRole('button', { name: 'Add lesson' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lesson-title');
    await page.keyboard.type('Reading a chart aloud');
    await expect.poll(rowTitles).toContain('1.2 Reading a chart aloud');
    await expect.poll(budget).toContain('4 h of 3 h 30 min budget');
    expect(await page.getByTestId('time-budget').getByText('Over budget by 30 min').isVisible()).toBe(true);

    // Alt+ArrowUp on its row puts it first; focus stays on the moved row.
    await row('Reading a chart aloud').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(rowTitles).toEqual(expect.arrayContaining(['1.1 Reading a chart aloud', `1.2 ${firstLesson}`]));
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Reading a chart aloud');
    // Undo puts it back, redo moves it again.
    await page.keyboard.press('Control+z');
    await expect.poll(rowTitles).toEqual(expect.arrayContaining([`1.1 ${firstLesson}`, '1.2 Reading a chart aloud']));
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(rowTitles).toEqual(expect.arrayContaining(['1.1 Reading a chart aloud', `1.2 ${firstLesson}`]));

    // Dragging the row of the lesson now second onto the first takes the first place.
    await page.locator('.outline-row', { hasText: `1.2 ${firstLesson}` }).dragTo(page.locator('.outline-row', { hasText: '1.1 Reading a chart aloud' }));
    await expect.poll(rowTitles).toEqual(expect.arrayContaining([`1.1 ${firstLesson}`, '1.2 Reading a chart aloud']));

    // Each module shows its minutes; the first grew by the new lesson's 30.
    const moduleMeta = await page.locator('.outline-row.module .outline-meta').first().textContent();
    expect(moduleMeta).toMatch(/^\d+ lessons · (\d+ h )?\d+ min$|^\d+ lessons · \d+ h$/);
    await page.screenshot({ path: screenshotPath('outline-01-added-and-moved') });
  });

  it('asks before moving a lesson past one that needs it, naming both, and drops the prerequisite when told to', async () => {
    // The mock course chains its lessons: each needs the one before. Move 1.3 (needed by 1.4) to module 2.
    const titles = await rowTitles();
    const moving = titles.find((t) => t.startsWith('1.3 '))!.replace(/^1\.3 /, '');
    const needing = titles.find((t) => t.startsWith('1.4 '))!.replace(/^1\.4 /, '');
    await row(`1.3 ${moving}`).click();
    await page.getByRole('button', { name: 'Move to module…' }).click();
    const moveDialog = page.getByRole('dialog', { name: /Move ‘.*’ to another module/ });
    await moveDialog.getByLabel(/Module/).selectOption({ index: 0 });
    await page.screenshot({ path: screenshotPath('outline-02-move-to-module') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await moveDialog.getByRole('button', { name: 'Move' }).click();

    const question = page.getByRole('alertdialog', { name: 'This breaks a prerequisite' });
    await question.waitFor();
    expect(await question.textContent()).toContain(`'${needing}' needs '${moving}', which would come after it.`);
    await page.screenshot({ path: screenshotPath('outline-03-prerequisite-question') });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Cancel leaves the outline as it was.
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await rowTitles()).toEqual(titles);

    await page.getByRole('button', { name: 'Move to module…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Drop prerequisite and move' }).click();
    await expect.poll(rowTitles).not.toContain(`1.3 ${moving}`);
    const moved = (await rowTitles()).find((t) => t.endsWith(` ${moving}`))!;
    expect(moved).toMatch(/^2\.\d+ /);
    // Its own prerequisite, the course's first lesson, still comes first; the row names it by number.
    expect(await page.locator('.outline-row', { hasText: moved }).locator('.outline-meta').textContent()).toMatch(/ · after 1\.1$/);
    // The lesson that needed it now starts without that prerequisite; the form says so.
    await row(needing).click();
    expect(await page.getByRole('checkbox', { name: moving }).count()).toBe(0);
  });

  it('deletes only after a warning-styled confirmation, and Cancel keeps the lesson', async () => {
    await row('Reading a chart aloud').click();
    await page.getByRole('button', { name: 'Duplicate lesson' }).click();
    await expect.poll(rowTitles).toContain('1.3 Reading a chart aloud (copy)');
    await page.getByRole('button', { name: 'Delete lesson…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete lesson ‘Reading a chart aloud (copy)’?' });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Delete lesson' }).getAttribute('class')).toContain('danger');
    // Focus starts on Cancel, so Enter alone destroys nothing.
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await rowTitles()).toContain('1.3 Reading a chart aloud (copy)');
    await page.getByRole('button', { name: 'Delete lesson…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete lesson' }).click();
    await expect.poll(rowTitles).not.toContain('1.3 Reading a chart aloud (copy)');
  });

  it('moves a module by keyboard, asking first when a lesson in it needs one it would pass', async () => {
    const titles = await rowTitles();
    const third = titles.find((t) => /^3\. /.test(t))!.replace(/^3\. /, '');
    await row(`3. ${third}`).focus();
    await page.keyboard.press('Alt+ArrowUp');
    const question = page.getByRole('alertdialog', { name: 'This breaks a prerequisite' });
    await question.waitFor();
    expect(await question.textContent()).toMatch(/'[^']+' needs '[^']+', which would come after it\./);
    await question.getByRole('button', { name: 'Drop prerequisite and move' }).click();
    await expect.poll(rowTitles).toContain(`2. ${third}`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(third);
    // One undo step puts the module back, with its prerequisite.
    await page.keyboard.press('Control+z');
    await expect.poll(rowTitles).toEqual(titles);
  });

  it('warns in words when a lesson runs far over the budget, for everyone and in the lint', async () => {
    await row('Reading a chart aloud').click();
    await page.getByLabel('Estimated minutes').fill('500');
    // 210 min generated + 30 for the new lesson, whose 30 become 500: 710 min, over 3 h 30 min by 8 h 20 min.
    await expect.poll(budget).toContain('11 h 50 min of 3 h 30 min budget');
    const status = page.getByRole('status').filter({ hasText: 'Over budget by 8 h 20 min' });
    expect(await status.count()).toBe(1);
    // The lint, beside the lesson and among the course-level notes, says it in a sentence.
    const form = () => page.locator('.form-pane').textContent();
    await expect.poll(form, { timeout: 10_000 }).toContain('"Reading a chart aloud" alone takes 8 h 20 min, over the time budget of 3 h 30 min for the whole course.');
    expect(await form()).toContain('The lessons add up to 11 h 50 min, over the time budget of 3 h 30 min by 8 h 20 min.');
    await page.screenshot({ path: screenshotPath('outline-04-over-budget-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 360, height: 800 });
    await expect.poll(() => page.evaluate(() => document.querySelector('.workspace')!.scrollWidth <= document.querySelector('.workspace')!.clientWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('outline-05-over-budget-360'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps the restructured outline through autosave and saves it as a new draft version', async () => {
    await page.getByLabel('Estimated minutes').fill('30');
    await expect.poll(budget).toContain('4 h of 3 h 30 min budget');
    const outline = await rowTitles();
    await row('Reading a chart aloud').focus();
    await page.waitForTimeout(3500);
    await page.reload();
    await page.getByRole('button', { name: 'Restore unsaved changes' }).click();
    await expect.poll(rowTitles).toEqual(outline);

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('.version-bar', { hasText: 'v2' }).waitFor();
    expect(await rowTitles()).toEqual(outline);
    const versions = await callStudio<SyllabusVersion[]>(studio, 'syllabus.list', { courseId });
    const saved = versions.at(-1)!;
    expect(saved).toMatchObject({ version: 2, status: 'DRAFT' });
    const lessons = saved.syllabus.modules.flatMap((m) => m.lessons);
    expect(lessons.map((l) => l.title)).toContain('Reading a chart aloud');
    expect(saved.syllabus.totalEstimatedMinutes).toBe(240);
    // Every prerequisite in the saved version points to an earlier lesson.
    const seen = new Set<string>();
    for (const lesson of lessons) {
      for (const p of lesson.prerequisites) expect(seen.has(p)).toBe(true);
      seen.add(lesson.id);
    }
    await page.screenshot({ path: screenshotPath('outline-06-saved-v2') });
  });
});
