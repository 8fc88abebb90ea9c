import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { accessibilityViolations, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

describe.skipIf(!hasChromium)('the studio in Chromium against `coursewright serve`', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('refuses an invalid intent beside the field and creates nothing', async () => {
    await page.goto(studio.studioUrl);
    await page.getByText('No courses yet').waitFor();
    await page.screenshot({ path: screenshotPath('01-course-list-empty') });
    await page.getByRole('link', { name: 'New course' }).click();
    await page.getByLabel('Title').fill('AB');
    await page.getByLabel('Time budget (hours)').fill('-3');
    await page.getByRole('button', { name: 'Create course' }).click();
    await expect.poll(() => page.locator('.field-error').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('title must be at least 3 characters'), expect.stringContaining('timeBudgetHours')]),
    );
    await page.screenshot({ path: screenshotPath('02-new-course-invalid') });
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByText('No courses yet').waitFor();
  });

  it('takes a course from intent to an approved, read-only syllabus with an audit trail', async () => {
    await page.getByRole('link', { name: 'New course' }).click();
    await page.getByLabel('Title').fill('データ可視化入門 — Practical Charts for Analysts');
    await page.getByLabel('Audience').fill('Analysts who use spreadsheets every day');
    await page.getByLabel('Time budget (hours)').fill('6');
    await page.getByLabel('Teaching style').fill('hands-on exercises with real datasets');
    await page.getByLabel('Constraints (one per line)').fill('no prior programming experience assumed\ninclude a capstone project');
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.getByRole('heading', { name: /データ可視化入門/ }).waitFor();

    await page.getByRole('button', { name: 'Generate syllabus' }).click();
    await page.getByTestId('outline').waitFor();
    await expect.poll(() => page.locator('.outline-row.lesson').count()).toBeGreaterThan(3);
    await page.screenshot({ path: screenshotPath('03-workspace-generated') });

    // Edit the first lesson's title in the form, then undo and redo it.
    const title = page.locator('#lesson-title');
    const original = await title.inputValue();
    await title.fill('Reading a chart before drawing one');
    await page.keyboard.press('Control+z');
    await expect.poll(() => title.inputValue()).not.toBe('Reading a chart before drawing one');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => title.inputValue()).toBe('Reading a chart before drawing one');
    await expect.poll(() => page.locator('.outline-row.selected .outline-title').textContent()).toContain('Reading a chart before drawing one');

    // Autosave runs on blur and every few seconds; a reload offers the unsaved work back.
    await page.locator('#lesson-summary').focus();
    await page.waitForTimeout(3500);
    await page.reload();
    await page.getByRole('button', { name: 'Restore unsaved changes' }).click();
    await expect.poll(() => page.locator('#lesson-title').inputValue()).toBe('Reading a chart before drawing one');
    await page.screenshot({ path: screenshotPath('04-workspace-restored') });
    expect(original).not.toBe('Reading a chart before drawing one');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('.version-bar', { hasText: 'v2' }).waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('.version-bar', { hasText: 'in review' }).waitFor();

    // Compare v1 and v2 side by side.
    await page.getByRole('tab', { name: 'Compare versions' }).click();
    await page.getByLabel(/Compare v2 with/).selectOption({ label: 'v1 (superseded)' });
    await page.getByTestId('diff-table').getByText('Reading a chart before drawing one').waitFor();
    await page.screenshot({ path: screenshotPath('05-version-diff') });

    // Approve from the review queue by keyboard.
    await page.getByRole('link', { name: 'Review queue' }).click();
    const item = page.getByTestId('review-list').locator('li').first();
    await item.waitFor();
    await item.focus();
    await page.screenshot({ path: screenshotPath('06-review-queue') });
    await page.keyboard.press('a');
    await page.getByLabel('Note (optional)').fill('Clear progression; approved.');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing awaits review.').waitFor();

    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: /データ可視化入門/ }).click();
    await page.getByTestId('read-only-banner').waitFor();
    expect(await page.getByTestId('read-only-banner').textContent()).toContain('Clear progression; approved.');
    expect(await page.locator('#lesson-title').getAttribute('readonly')).not.toBeNull();
    await page.getByRole('button', { name: 'Create new version' }).waitFor();
    await page.screenshot({ path: screenshotPath('07-approved-read-only') });

    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const text = await table.textContent();
    for (const action of ['course.created', 'syllabus.generated', 'syllabus.edited', 'syllabus.submitted', 'syllabus.approved']) expect(text).toContain(action);
    expect(text).toContain('E2E Designer');
    await page.screenshot({ path: screenshotPath('08-audit-log') });
  });

  it('shows the JSON editor validated against the syllabus schema', async () => {
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: /データ可視化入門/ }).click();
    await page.getByRole('button', { name: 'Create new version' }).click();
    await page.locator('.version-bar', { hasText: 'v3' }).waitFor();
    await page.getByRole('tab', { name: 'JSON editor' }).click();
    await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.view-lines').textContent(), { timeout: 15_000 }).toContain('"modules"');
    await page.screenshot({ path: screenshotPath('09-json-editor') });
  });

  it('imports an intent file with an Arabic title and a very long one, without breaking the layout', async () => {
    const title = 'مقدمة في تصوير البيانات للمحللين — '.repeat(3) + 'Supercalifragilisticexpialidociousdatavisualisationwithoutspaces';
    const file = writeJson(tempDataDir('intent-file'), 'intent.json', { ...sampleIntent, title, language: 'ar' });
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: 'New course' }).click();
    await page.getByLabel('Start from an intent file (optional)').setInputFiles(file);
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe(title);
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.getByRole('button', { name: 'Generate syllabus' }).click();
    await page.locator('.outline-row.lesson').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: screenshotPath('11-arabic-long-title') });
  });

  it('meets WCAG 2.1 AA on every screen (axe-core)', async () => {
    const screens: Array<[string, string]> = [
      ['#/courses', 'course-list'],
      ['#/new', ''],
      ['#/review', ''],
      ['#/audit', 'audit-table'],
      ['#/settings', ''],
    ];
    const found: string[] = [];
    for (const [hash, testId] of screens) {
      await page.evaluate((h) => (location.hash = h), hash);
      if (testId) await page.getByTestId(testId).waitFor();
      else await page.locator('h1').first().waitFor();
      found.push(...(await accessibilityViolations(page)).map((v) => `${hash} ${v}`));
    }
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: /データ可視化入門/ }).click();
    await page.getByTestId('outline').waitFor();
    found.push(...(await accessibilityViolations(page)).map((v) => `workspace ${v}`));
    expect(found).toEqual([]);
  });

  it('settings keep the API key out of sight', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('New API key').fill('sk-e2e-secret');
    await page.getByRole('button', { name: 'Store key' }).click();
    await page.getByText('A key is stored').waitFor();
    expect(await page.content()).not.toContain('sk-e2e-secret');
    await page.screenshot({ path: screenshotPath('10-settings') });
  });
});
