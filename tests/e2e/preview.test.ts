import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, holdCalls, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/** No sideways scrolling of the studio page itself (the preview frame is scaled to fit). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe.skipIf(!hasChromium)('previewing a course as a learner', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseTitle: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-preview'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    courseTitle = 'Previewing for Analysts';
    // Arranged through the HTTP contract: a course whose content exists only as drafts.
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: courseTitle, timeBudgetHours: 1.5 } });
    const draft = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId: course.id, runId: 'setup' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    await callStudio(studio, 'syllabus.approve', { versionId: draft.id });
    await callStudio(studio, 'content.generate', { courseId: course.id, runId: 'setup-content' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('opens from the course, reads a lesson, answers its quiz with feedback, and switches to phone width', async () => {
    const policyViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    await page.getByTestId('course-list').getByRole('link', { name: new RegExp(courseTitle) }).first().click();
    await page.getByRole('link', { name: 'Preview as a learner' }).click();
    await page.getByRole('heading', { name: `${courseTitle} · preview` }).waitFor();
    await expect.poll(() => page.getByTestId('preview-source').textContent()).toMatch(/Showing the current drafts/);

    const frame: FrameLocator = page.frameLocator('iframe[title^="Learner preview"]');
    expect(await page.locator('iframe[title^="Learner preview"]').getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    // The course home shows first; the learner runtime runs (it fills in the progress line).
    await frame.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await expect.poll(() => frame.locator('#player-status').textContent()).toMatch(/0 of \d+ lessons seen/);
    await page.screenshot({ path: screenshotPath('70-preview-desktop-home') });

    // By keyboard, as a learner may: the desktop frame is scaled to fit the studio, which pointer
    // hit-testing in the test driver does not follow (a person's click does).
    await frame.getByRole('link', { name: /Start with the first lesson/ }).press('Enter');
    const lesson = frame.locator('section.player-lesson:not([hidden])');
    await lesson.getByRole('heading', { level: 2, name: 'Explanation' }).waitFor();
    expect(await lesson.getByText('Lesson: version 1, draft').count()).toBe(1);
    await expect.poll(() => frame.locator('#player-status').textContent()).toMatch(/1 of \d+ lessons seen/);

    // Answer every question with its first option, then check: each gets its verdict and the explanation.
    const questions = lesson.locator('fieldset.question');
    const count = await questions.count();
    expect(count).toBeGreaterThanOrEqual(3);
    await lesson.getByRole('button', { name: 'Check answers' }).press('Enter');
    await expect.poll(() => lesson.locator('.quiz-status').textContent()).toMatch(/Answer every question first: \d+ still open/);
    for (let i = 0; i < count; i++) await questions.nth(i).getByRole('radio').first().press('Space');
    for (let i = 0; i < count; i++) expect(await questions.nth(i).getByRole('radio').first().isChecked()).toBe(true);
    await lesson.getByRole('button', { name: 'Check answers' }).press('Enter');
    await expect.poll(() => lesson.locator('.quiz-status').textContent()).toMatch(new RegExp(`You scored \\d+ of ${count} \\(\\d+%\\)\\.`));
    const verdicts = await lesson.locator('.verdict').allTextContents();
    expect(verdicts).toHaveLength(count);
    for (const verdict of verdicts) expect(verdict).toMatch(/^(Correct\.|Not quite\. The answer is [A-D]: .+)$/);
    expect(await lesson.locator('.feedback:not([hidden]) .why').count()).toBe(count);
    await expect.poll(() => frame.locator('#player-status').textContent()).toMatch(/1 of \d+ lessons seen; quiz score \d+%\./);
    await page.screenshot({ path: screenshotPath('71-preview-desktop-quiz') });

    // The frame lays out at 1280 px, then at 375 px on the phone toggle; progress stays.
    const frameWidth = () => frame.locator('html').evaluate((html) => html.clientWidth);
    expect(await frameWidth()).toBe(1280);
    await page.getByRole('button', { name: 'Phone (375 px)' }).click();
    expect(await page.getByRole('button', { name: 'Phone (375 px)' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(frameWidth).toBe(375);
    expect(await frame.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
    expect(await frame.locator('#player-status').textContent()).toMatch(/quiz score/);
    await page.screenshot({ path: screenshotPath('72-preview-phone') });

    // A lesson with no quiz written shows as such rather than failing: none here, all were generated.
    expect(await frame.getByText('Not written yet.').count()).toBe(0);
    expect(policyViolations).toEqual([]);
  });

  it('passes axe-core WCAG 2.1 AA with no sideways scrolling at 1280 and 360 px', async () => {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 860 });
      await page.getByRole('heading', { name: `${courseTitle} · preview` }).waitFor();
      expect(await overflows(page), `${width} px`).toBe(false);
      expect(await accessibilityViolations(page), `${width} px`).toEqual([]);
      await page.screenshot({ path: screenshotPath(`73-preview-studio-${width}`), fullPage: true });
    }
  });

  it('previews a package chosen from the packages screen', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const courses = await callStudio<Array<{ id: string; title: string }>>(studio, 'courses.list', {});
    const courseId = courses.find((c) => c.title === courseTitle)!.id;
    const items = await callStudio<Array<{ id: string }>>(studio, 'content.list', { courseId });
    for (const item of items) await callStudio(studio, 'content.open', { itemId: item.id });
    await callStudio(studio, 'content.submit', { itemIds: items.map((i) => i.id) });
    await callStudio(studio, 'content.approve', { itemIds: items.map((i) => i.id) });
    await callStudio(studio, 'packages.build', { courseId });

    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await page.getByRole('link', { name: 'Preview package v1 as a learner' }).waitFor();
    // The package list behind the choice arrives on its own; held back here, "Preview from" still
    // names the package shown, never "Current drafts".
    const packageList = await holdCalls(page, 'packages.list');
    await page.getByRole('link', { name: 'Preview package v1 as a learner' }).click();
    await expect.poll(() => page.getByTestId('preview-source').textContent()).toMatch(/Showing package v1/);
    const chosen = page.getByLabel('Preview from').locator('option:checked');
    expect(await chosen.textContent()).toBe('Package v1');
    await packageList.release();
    await expect.poll(() => page.getByLabel('Preview from').locator('option').allTextContents()).toEqual(['Current drafts', 'Package v1']);
    expect(await chosen.textContent()).toBe('Package v1');
    const frame = page.frameLocator('iframe[title^="Learner preview"]');
    await frame.getByText(/Preview of package v1/).waitFor();
    await frame.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
  });
});
