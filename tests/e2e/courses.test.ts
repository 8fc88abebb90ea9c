import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * The course list as a designer manages it: sorting and filtering, editing an intent (with the
 * title limit caught while typing), duplicating, archiving and restoring, and deleting with a
 * confirmation, which is off, with the reason, for a course that had an approval.
 */
describe.skipIf(!hasChromium)('managing courses in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;

  const titles = () => page.locator('[data-testid="course-list"] .card-title').allTextContents();
  const row = (title: string) => page.getByRole('listitem', { name: title, exact: true });
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-courses'));
    await callStudio(studio, 'settings.update', { actor: 'E2E Designer' });
    // Arranged over the contract; every step under test below is clicked.
    const approved = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Approved statistics course', timeBudgetHours: 1 } });
    const version = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId: approved.id, runId: 'setup-1' });
    await callStudio(studio, 'syllabus.submit', { versionId: version.id });
    await callStudio(studio, 'syllabus.approve', { versionId: version.id });
    await callStudio(studio, 'course.transition', { courseId: approved.id, to: 'review' });
    const beta = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Beta drafts course', timeBudgetHours: 1 } });
    await callStudio(studio, 'syllabus.generate', { courseId: beta.id, runId: 'setup-2' });
    await callStudio(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Alpha intro course' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('sorts by title and status and filters by status, newest first by default', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    expect(await titles()).toEqual(['Alpha intro course', 'Beta drafts course', 'Approved statistics course']);
    await page.getByLabel('Sort by').selectOption({ label: 'Title (A–Z)' });
    await expect.poll(titles).toEqual(['Alpha intro course', 'Approved statistics course', 'Beta drafts course']);
    await page.getByLabel('Sort by').selectOption({ label: 'Status' });
    await expect.poll(titles).toEqual(['Alpha intro course', 'Beta drafts course', 'Approved statistics course']);
    await page.getByLabel('Show').selectOption({ label: 'Review' });
    await expect.poll(titles).toEqual(['Approved statistics course']);
    await page.getByLabel('Show').selectOption({ label: 'Published' });
    await page.getByText('No published courses.').waitFor();
    await page.getByLabel('Show').selectOption({ label: 'All active courses' });
    await expect.poll(titles).toHaveLength(3);

    // Delete is off for the course with an approved syllabus, and says why; allowed for the others.
    const approvedDelete = row('Approved statistics course').getByRole('button', { name: 'Delete' });
    expect(await approvedDelete.isDisabled()).toBe(true);
    expect(await row('Approved statistics course').getByText(/Delete is off: It has 1 approved syllabus version/).count()).toBe(1);
    expect(await row('Beta drafts course').getByRole('button', { name: 'Delete' }).isEnabled()).toBe(true);

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('30-courses-list-1280'), fullPage: true });
  });

  it('edits an intent in a prefilled form that refuses a title the generator cannot fit while it is typed', async () => {
    await row('Alpha intro course').getByRole('link', { name: 'Edit intent' }).click();
    await page.getByRole('heading', { name: 'Edit intent' }).waitFor();
    const title = page.getByLabel('Title');
    expect(await title.inputValue()).toBe('Alpha intro course');
    expect(await page.getByLabel('Audience').inputValue()).toBe(sampleIntent.audience);

    await title.fill('T'.repeat(121));
    // Refused as typed, before anything is saved or generated.
    await page.getByText('Title must be at most 120 characters').waitFor();
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('31-courses-edit-intent-title-too-long') });
    await title.fill('T'.repeat(120));
    expect(await page.getByText('Title must be at most 120 characters').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await title.fill('Alpha intro course, revised');
    await page.getByLabel('Time budget (hours)').fill('2');
    await page.getByRole('button', { name: 'Save intent' }).click();
    await page.getByRole('button', { name: 'Generate syllabus' }).waitFor();
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByTestId('course-list').waitFor();
    expect(await titles()).toContain('Alpha intro course, revised');
    const saved = await callStudio<Array<{ title: string; intent: { timeBudgetHours: number } }>>(studio, 'courses.list', {});
    expect(saved.find((c) => c.title === 'Alpha intro course, revised')!.intent.timeBudgetHours).toBe(2);
  });

  it('duplicates, archives behind a confirmation, finds the archived course under Archived and restores it', async () => {
    await row('Beta drafts course').getByRole('button', { name: 'Duplicate' }).click();
    await row('Beta drafts course (copy)').waitFor();

    await row('Beta drafts course (copy)').getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Archive “Beta drafts course (copy)”?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row('Beta drafts course (copy)').count()).toBe(1);
    await row('Beta drafts course (copy)').getByRole('button', { name: 'Archive' }).click();
    await dialog.getByRole('button', { name: 'Archive course' }).click();
    await expect.poll(titles).not.toContain('Beta drafts course (copy)');

    await page.getByLabel('Show').selectOption({ label: 'Archived' });
    await expect.poll(titles).toEqual(['Beta drafts course (copy)']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('32-courses-archived') });
    await row('Beta drafts course (copy)').getByRole('button', { name: 'Restore' }).click();
    await page.getByText('No archived courses.').waitFor();
    await page.getByLabel('Show').selectOption({ label: 'All active courses' });
    await expect.poll(titles).toContain('Beta drafts course (copy)');
  });

  it('deletes a never-approved course after a confirmation naming it', async () => {
    await row('Beta drafts course (copy)').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete “Beta drafts course (copy)”?' });
    await dialog.waitFor();
    expect(await dialog.getByText(/deleted for good/).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('33-courses-delete-confirm') });
    await dialog.getByRole('button', { name: 'Delete course' }).click();
    await expect.poll(titles).not.toContain('Beta drafts course (copy)');
    expect(await titles()).toEqual(expect.arrayContaining(['Alpha intro course, revised', 'Beta drafts course', 'Approved statistics course']));
  });

  it('works at 360 px: no sideways scrolling, accessible list, form and dialog', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByLabel('Show').selectOption({ label: 'All active courses' });
    await page.getByTestId('course-list').waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('34-courses-list-360'), fullPage: true });

    await row('Beta drafts course').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('35-courses-delete-confirm-360') });
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();

    await row('Beta drafts course').getByRole('link', { name: 'Edit intent' }).click();
    await page.getByRole('heading', { name: 'Edit intent' }).waitFor();
    await page.getByLabel('Title').fill('T'.repeat(121));
    await page.getByText('Title must be at most 120 characters').waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('36-courses-edit-intent-360'), fullPage: true });
  });
});
