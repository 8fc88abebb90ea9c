import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * The Jobs page, a job's details, the retry intent dialog and the lineage view in Chromium against
 * the served studio, reached by clicking. Jobs are created through the contract; the served
 * studio's own background worker runs the triggered ones.
 */
describe.skipIf(!hasChromium)('regeneration jobs and lineage in the studio', () => {
  const title = 'Charts That Tell the Truth';
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseId: string;
  const jobs = { first: '', second: '', cancelled: '', question: '', syllabus: '' };
  const api = <T = any>(name: string, input: unknown) => callStudio<T>(studio, name, input);

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-jobs'), { COURSEWRIGHT_ACTOR: 'Dana Author' });
    courseId = (await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, title } })).id;
    const draft = await api<{ id: string }>('syllabus.generate', { courseId, runId: 'jobs-1' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
    const run = await api<{ generated: Array<{ id: string; kind: string }> }>('content.generate', { courseId, runId: 'jobs-1c' });
    const quizzes = run.generated.filter((i) => i.kind === 'quiz');
    jobs.first = (await api<{ id: string }>('jobs.create', { targetItemId: quizzes[0]!.id, instruction: 'Make the distractors more plausible.' })).id;
    jobs.second = (await api<{ id: string }>('jobs.create', { targetItemId: quizzes[1]!.id, instruction: 'Ask about reading the axes first.' })).id;
    jobs.cancelled = (await api<{ id: string }>('jobs.create', { targetItemId: quizzes[2]!.id, instruction: 'Shorter questions.' })).id;
    await api('jobs.cancel', { jobId: jobs.cancelled });
    jobs.question = (await api<{ id: string }>('jobs.create', { targetItemId: quizzes[3]!.id, questionId: 'q2', instruction: 'Name the chart type in the question.' })).id;
    jobs.syllabus = (await api<{ id: string }>('jobs.create', { targetItemId: draft.id, instruction: 'Add a recap lesson at the end.' })).id;

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

  const row = (jobId: string) => page.locator(`[data-testid="job-row"][data-job="${jobId}"]`);

  it('opens the Jobs page from the navigation, triggers the selected jobs and shows them completed by the worker', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Regeneration jobs' }).waitFor();
    await expect(row(jobs.first).locator('.badge').textContent()).resolves.toBe('pending');
    await expect(row(jobs.cancelled).getByTestId('job-error').textContent()).resolves.toBe('Failed: cancelled');
    const trigger = page.getByRole('button', { name: /^Trigger selected/ });
    expect(await trigger.isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('jobs-queue-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await row(jobs.first).getByRole('checkbox').check();
    await row(jobs.second).getByRole('checkbox').check();
    await expect(trigger.textContent()).resolves.toBe('Trigger selected (2)');
    await trigger.click();
    await row(jobs.first).locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await row(jobs.second).locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('jobs-completed-1280'), fullPage: true });

    // The status filter narrows the queue to the failed job.
    await page.getByLabel('Status').selectOption('FAILED');
    await row(jobs.first).waitFor({ state: 'detached' });
    expect(await page.getByTestId('job-row').count()).toBe(1);
  }, 120_000);

  it('opens a failed job and creates a retry intent only with a reason code and a reason in words; the host refuses a blank reason too', async () => {
    await expect(api('retryIntents.create', { jobId: jobs.cancelled, reasonCode: 'cancelled_by_mistake', reasonText: '   ' })).rejects.toThrow(/INVALID_INPUT/);

    await row(jobs.cancelled).getByRole('link', { name: /^Details/ }).click();
    await page.getByRole('heading', { name: new RegExp(`Job ${jobs.cancelled}`) }).waitFor();
    await expect(page.getByTestId('job-error').textContent()).resolves.toBe('cancelled');
    await page.getByTestId('job-audit').getByText('job.failed').waitFor();
    await page.getByRole('button', { name: 'Create retry intent…' }).click();
    const dialog = page.getByRole('dialog', { name: `Retry ${jobs.cancelled}` });
    const create = dialog.getByRole('button', { name: 'Create retry intent' });
    expect(await create.isDisabled()).toBe(true);
    await dialog.getByLabel('Why, in words (required)').fill('I cancelled the wrong job.');
    expect(await create.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason (required)').selectOption('cancelled_by_mistake');
    await dialog.getByLabel('Why, in words (required)').fill('   ');
    expect(await create.isDisabled()).toBe(true);
    await dialog.getByLabel('Why, in words (required)').fill('I cancelled the wrong job.');
    expect(await create.isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('jobs-retry-dialog-1280') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await create.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Run the retry' }).waitFor();
    await expect(page.locator('.job-chain').last().textContent()).resolves.toContain('Cancelled by mistake — I cancelled the wrong job.');
  }, 60_000);

  it('shows a completed job with its diff, then the new version\'s lineage from its content page', async () => {
    await page.getByRole('link', { name: 'All jobs' }).click();
    await row(jobs.first).getByRole('link', { name: /^Details/ }).click();
    await page.getByRole('heading', { name: 'What the job changed' }).waitFor();
    await page.locator('.readable-diff').waitFor();
    await page.screenshot({ path: screenshotPath('job-detail-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('term').filter({ hasText: 'New version' }).waitFor();
    await page.locator('dd', { hasText: 'waiting for review' }).getByRole('link').click();
    await page.getByRole('link', { name: 'Where this came from' }).click();
    await page.getByRole('heading', { name: 'Where this came from' }).waitFor();
    const headline = await page.getByTestId('lineage-headline').textContent();
    expect(headline).toMatch(new RegExp(`^v2 of Quiz: .+ — regenerated by job ${jobs.first} at the request of Dana Author`));
    const kinds = await page.getByTestId('lineage-steps').locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
    expect(kinds).toEqual(['intent', 'syllabus', 'previous_version', 'job', 'model_call']);
    await page.screenshot({ path: screenshotPath('lineage-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The previous version's lineage, one click away, ends with the job and this version.
    await page.getByRole('link', { name: 'Its lineage for step 3' }).click();
    await page.getByTestId('lineage-headline').filter({ hasText: 'v1 of Quiz' }).waitFor();
    const earlier = await page.getByTestId('lineage-steps').locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
    expect(earlier).toEqual(['intent', 'syllabus', 'model_call', 'job', 'next_version']);
  }, 60_000);

  it('names a question job and a syllabus job by what they change, and shows what each changed once the worker has run them', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Regeneration jobs' }).waitFor();
    // The course title arrives with the course list, after the jobs: wait for the whole label.
    await expect.poll(() => row(jobs.question).locator('.job-title').textContent()).toMatch(/^Select question q2 of quiz \S+ in Charts That Tell the Truth$/);
    await expect.poll(() => row(jobs.syllabus).locator('.job-title').textContent()).toBe(`Select the syllabus in ${title}`);
    await row(jobs.question).getByRole('checkbox').check();
    await row(jobs.syllabus).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Trigger selected (2)' }).click();
    await row(jobs.question).locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await row(jobs.syllabus).locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('jobs-question-syllabus-1280'), fullPage: true });

    await row(jobs.question).getByRole('link', { name: /^Details/ }).click();
    await page.getByRole('heading', { name: new RegExp(`Job ${jobs.question}`) }).waitFor();
    await page.locator('dd').getByRole('link', { name: /^question q2 of quiz / }).waitFor();
    await page.getByRole('heading', { name: 'What the job changed' }).waitFor();
    await expect(page.locator('.readable-diff').textContent()).resolves.toContain('Name the chart type in the question.');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'All jobs' }).click();
    await row(jobs.syllabus).getByRole('link', { name: /^Details/ }).click();
    await page.getByRole('heading', { name: new RegExp(`Job ${jobs.syllabus}`) }).waitFor();
    await page.locator('dd').getByRole('link', { name: 'the syllabus' }).waitFor();
    await expect(page.locator('.readable-diff').textContent()).resolves.toContain('Add a recap lesson at the end.');
    await page.screenshot({ path: screenshotPath('job-detail-syllabus-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 120_000);

  it('fits a 360 px window without sideways scrolling and passes axe on the Jobs page and the lineage view', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('lineage-360'), fullPage: true });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Regeneration jobs' }).waitFor();
    await row(jobs.first).waitFor();
    expect(await fits()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('jobs-queue-360'), fullPage: true });
    expect(fs.existsSync(screenshotPath('jobs-queue-360'))).toBe(true);
  }, 60_000);
});
