import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, holdCalls, launchChromium, screenshotPath, seedLargeSyllabus, serveStudio, type ServedStudio } from './browser.js';

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
      expect.arrayContaining(['Title must be at least 3 characters', 'Time budget (hours) must be more than 0']),
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
    // The diff names the lesson by its title and shows the new words as an insertion.
    await page.getByTestId('diff-table').getByRole('rowheader', { name: /Lesson 1\.1 .Reading a chart before drawing one/ }).waitFor();
    await page.getByTestId('diff-table').locator('ins', { hasText: 'Reading a chart before drawing one' }).waitFor();
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
    // A long title (titles hold at most 120 characters, schemas/intent.ts) with a 63-letter word that cannot wrap.
    const title = 'مقدمة في تصوير البيانات للمحللين — ' + 'Supercalifragilisticexpialidociousdatavisualisationwithoutspaces';
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

describe.skipIf(!hasChromium)('a busy studio: a 40 × 12 syllabus and a review queue with several courses', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let largeCourseId: string;
  const titles = ['مقدمة في الإحصاء للمحللين', 'Interviewing users without leading them'];

  beforeAll(async () => {
    await ensureRendererBuilt();
    const dataDir = tempDataDir('e2e-busy');
    largeCourseId = (await seedLargeSyllabus(dataDir)).courseId;
    studio = await serveStudio(dataDir);
    for (const [i, title] of titles.entries()) {
      const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title, language: i === 0 ? 'ar' : 'en' } });
      const version = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId: course.id, runId: `seed-${i}` });
      await callStudio(studio, 'syllabus.submit', { versionId: version.id });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('opens a 40 × 12 outline with only the visible rows in the page, and reaches the last lesson', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    await page.evaluate((id) => (location.hash = `#/course/${id}`), largeCourseId);
    await page.locator('.outline-row.lesson').first().waitFor();
    expect(await page.locator('.outline-row').count()).toBeLessThan(60);

    await page.getByTestId('outline').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator('.outline-row.lesson', { hasText: /^40\.12 / });
    await last.waitFor();
    await last.locator('.outline-select').click();
    await expect.poll(() => page.locator('h2, h3').filter({ hasText: 'Lesson 40.12' }).count()).toBe(1);
    expect(await page.locator('.outline-row').count()).toBeLessThan(60);

    // Arrow keys walk the flat list across the module boundary, scrolling as they go.
    await page.getByTestId('outline').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.outline-row.lesson', { hasText: /^1\.12 / }).locator('.outline-select').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.outline-row.selected .outline-title').textContent()).toMatch(/^2\.1 /);
    await page.screenshot({ path: screenshotPath('13-large-outline') });

    // Keys pressed faster than a frame (or on a busy machine) each move one row: none is lost
    // while the focus follows the selection. Two presses in one task, each on the focused row.
    await page.evaluate(() => {
      for (let press = 0; press < 2; press++) document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.locator('.outline-row.selected .outline-title').textContent()).toMatch(/^2\.3 /);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^2\.3 /);
    // Back to lesson 2.1 for the next test.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.outline-row.selected .outline-title').textContent()).toMatch(/^2\.1 /);
  });

  it('lints while editing: a vague objective is flagged beside its lesson, an empty title blocks saving', async () => {
    const selectedRow = page.locator('.outline-row.selected');
    expect(await selectedRow.locator('.warning-count').count()).toBe(0);
    const objectives = page.getByLabel(/^Objectives/);
    const originalObjectives = await objectives.inputValue();
    await objectives.fill('Understand the basics of consensus\nExplain leader election');
    const here = page.getByRole('list', { name: 'Warnings for this item' });
    await expect.poll(() => here.textContent(), { timeout: 10_000 }).toContain('non-measurable-objective');
    await expect.poll(() => selectedRow.locator('.warning-count').textContent()).toContain('1');

    await page.locator('#lesson-title').fill('');
    await page.getByText(/Not valid yet: Lesson 2\.1 title/).waitFor();
    expect(await page.getByRole('button', { name: 'Save as new version' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('13b-live-lint') });
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('#lesson-title').inputValue()).not.toBe('');
    await page.keyboard.press('Control+z');
    await expect.poll(() => objectives.inputValue()).toBe(originalObjectives);
    // The lint runs again after the undo, as it did after the edit (same allowance).
    await expect.poll(() => page.getByText(/Not valid yet/).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByText('non-measurable-objective').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByRole('button', { name: 'Save as new version' }).isDisabled()).toBe(false);
  });

  it('shows the version record in the JSON viewer, collapsible and downloadable', async () => {
    await page.getByRole('tab', { name: 'Version record' }).click();
    const tree = page.getByRole('tree', { name: /JSON/ });
    await tree.waitFor();
    const syllabusNode = tree.getByRole('button', { name: /syllabus:/ }).first();
    await expect.poll(() => tree.getByText('modules:').count()).toBeGreaterThan(0);
    await syllabusNode.click();
    await expect.poll(() => tree.getByText('modules:').count()).toBe(0);
    await syllabusNode.click();
    await expect.poll(() => tree.getByText('modules:').count()).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('syllabus-v1.json');
    await page.screenshot({ path: screenshotPath('14-json-viewer') });
  });

  it('triages the review queue by keyboard: j moves, r rejects with a reason, Enter opens', async () => {
    await page.getByRole('link', { name: 'Review queue' }).click();
    const items = page.getByTestId('review-list').locator('li');
    await expect.poll(() => items.count()).toBe(2);
    await items.first().focus();
    await page.keyboard.press('j');
    await expect.poll(() => items.nth(1).getAttribute('class')).toContain('selected');
    const rejectedTitle = (await items.nth(1).locator('.card-title').textContent())!;
    const keptTitle = (await items.nth(0).locator('.card-title').textContent())!;

    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
    await page.getByLabel('Reason (required)').fill('Module 2 repeats module 1; merge them.');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().locator('.card-title').textContent()).toBe(keptTitle);

    await items.first().focus();
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: keptTitle }).waitFor();

    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: rejectedTitle }).click();
    await page.getByText('Module 2 repeats module 1; merge them.').waitFor();
    await page.getByRole('button', { name: 'Create new version' }).waitFor();

    // The audit link of the workspace shows that version's trail only.
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['syllabus.rejected', 'syllabus.submitted']));
    expect(actions).not.toContain('course.created');
    expect(await table.textContent()).toContain('E2E Designer');
    await page.screenshot({ path: screenshotPath('15-audit-for-one-version') });

    // "Show everything" never shows the one version's trail under the whole log's title while the
    // whole log loads (its request is held back here), then shows every entry.
    const auditList = await holdCalls(page, 'audit.list');
    await page.getByRole('link', { name: 'Show everything' }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await page.getByText('Loading…').waitFor({ timeout: 10_000 });
    expect(await table.count()).toBe(0);
    await auditList.release();
    await expect.poll(async () => table.locator('tbody tr td:nth-child(3)').allTextContents()).toContain('course.created');
  });

  it('cancels a generation that is waiting on the model, and keeps no version', async () => {
    // A model endpoint that accepts the request and never answers: only Cancel ends the run.
    const held: http.ServerResponse[] = [];
    const silentModel = http.createServer((_request, response) => void held.push(response));
    await new Promise<void>((done) => silentModel.listen(0, '127.0.0.1', done));
    const port = (silentModel.address() as AddressInfo).port;
    try {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Model provider').selectOption('openai');
      await page.getByLabel('Base URL').fill(`http://127.0.0.1:${port}/v1`);
      await page.getByLabel('Model', { exact: true }).fill('silent-model');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByLabel('New API key').fill('sk-e2e-cancel');
      await page.getByRole('button', { name: 'Store key' }).click();
      await page.getByText('A key is stored').waitFor();

      await page.evaluate((id) => (location.hash = `#/course/${id}`), largeCourseId);
      const versions = page.getByRole('complementary', { name: 'Versions' }).locator('li');
      await versions.first().waitFor();
      const before = await versions.count();
      await page.getByRole('button', { name: 'Generate a new draft' }).click();
      const progress = page.getByTestId('generation-progress');
      await progress.getByText('Generating…').waitFor();
      await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath('16-generation-running') });
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await progress.getByText('Generation cancelled', { exact: true }).waitFor({ timeout: 15_000 });
      await page.locator('.notice', { hasText: 'Generation cancelled; nothing was saved.' }).waitFor();
      expect(await page.locator('.notice.error', { hasText: /cancelled/i }).count()).toBe(0);
      expect(await versions.count()).toBe(before);
      await page.screenshot({ path: screenshotPath('17-generation-cancelled') });
    } finally {
      for (const response of held) response.destroy();
      silentModel.closeAllConnections();
      await new Promise((done) => silentModel.close(done));
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Model provider').selectOption('mock');
      await page.getByRole('button', { name: 'Save settings' }).click();
    }
  }, 90_000);
});
