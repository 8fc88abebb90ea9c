import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

describe.skipIf(!hasChromium)('packages and exports in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseId: string;
  let lessonItemIds: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-packages'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    // Arranged through the same HTTP contract the UI uses; the UI path for these is covered elsewhere.
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Packaging for Analysts', timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId, runId: 'setup' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    await callStudio(studio, 'syllabus.approve', { versionId: draft.id });
    const run = await callStudio<{ generated: Array<{ id: string; kind: string }> }>(studio, 'content.generate', { courseId, runId: 'setup-content' });
    lessonItemIds = run.generated.map((i) => i.id);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('refuses a build listing what is missing, then builds, shows the JSON, exports with a download, and archives', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    // As a person gets there: the course in the list, then its content and status.
    await page.getByTestId('course-list').getByRole('link').first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await page.getByRole('heading', { name: /Packaging for Analysts · packages/ }).waitFor();
    expect(await page.getByText('No packages yet').isVisible()).toBe(true);

    // Build waits, saying why, and the refusal is a list of what is missing.
    expect(await page.getByRole('button', { name: 'Build package' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('build-readiness').textContent()).toMatch(/^Build waits for \d+ pieces to be approved\.$/);
    const refusal = page.getByTestId('build-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/not approved yet/);
    await page.screenshot({ path: screenshotPath('50-packages-refused') });
    expect(await accessibilityViolations(page)).toEqual([]);

    for (const itemId of lessonItemIds) await callStudio(studio, 'content.open', { itemId });
    await callStudio(studio, 'content.submit', { itemIds: lessonItemIds });
    await callStudio(studio, 'content.approve', { itemIds: lessonItemIds });

    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('Everything is approved: the package can be built.').waitFor();
    await page.getByRole('button', { name: 'Build package' }).click();
    await page.getByTestId('package-v1').waitFor();
    expect(await page.getByTestId('build-refused').count()).toBe(0);
    const row = page.getByTestId('package-v1');
    expect(await row.textContent()).toMatch(/published/i);
    await page.getByRole('button', { name: 'View JSON of package v1' }).click();
    await page.getByTestId('package-json').waitFor();
    expect(await page.getByTestId('package-json').textContent()).toContain('frozen items');

    await page.getByRole('button', { name: 'Export package v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export package v1' });
    await dialog.getByLabel('SCORM 2004 4th Edition (zip)').check();
    await dialog.getByLabel('Tracking').selectOption('module');
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const result = dialog.getByTestId('export-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Saved packaging-for-analysts-v1-scorm2004\.zip \(\d+(\.\d)? KB\)/);
    await page.screenshot({ path: screenshotPath('51-export-done') });
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('packaging-for-analysts-v1-scorm2004.zip');
    expect(fs.readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const audit = await callStudio<Array<{ action: string; metadata: { format?: string } }>>(studio, 'audit.list', { entityId: (await callStudio<Array<{ id: string }>>(studio, 'packages.list', { courseId }))[0]!.id });
    expect(audit.find((a) => a.action === 'package.exported')?.metadata.format).toBe('scorm2004');

    await page.getByRole('button', { name: 'Archive package v1' }).click();
    await page.getByRole('dialog', { name: 'Archive package v1?' }).getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => row.textContent()).toMatch(/archived/i);
    expect(await page.getByRole('button', { name: 'Archive package v1' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('package-json').textContent()).toContain('"ARCHIVED"');
    await page.screenshot({ path: screenshotPath('52-packages-list') });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
