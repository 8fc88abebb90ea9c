import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, actAs, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * A reviewer's day: the queue shows content and syllabus versions with counts, the reviewer
 * comments on one quiz question and rejects; the author sees the reason and the comment where
 * they work. The studio starts without a name set, so it asks first.
 */
describe.skipIf(!hasChromium)('review that works for reviewers', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let quizTitle: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    // No COURSEWRIGHT_ACTOR: the studio only knows the OS account and must ask for a name.
    studio = await serveStudio(tempDataDir('e2e-review'), { COURSEWRIGHT_ACTOR: '' });
    await callStudio(studio, 'settings.update', { actor: 'Dana Author' });
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: sampleIntent });
    const draft = await callStudio<{ id: string; syllabus: { modules: Array<{ lessons: Array<{ id: string }> }> } }>(studio, 'syllabus.generate', { courseId: course.id, runId: 'seed-1' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    await callStudio(studio, 'syllabus.approve', { versionId: draft.id });
    const lessonIds = draft.syllabus.modules[0]!.lessons.slice(0, 2).map((l) => l.id);
    const items: Array<{ id: string; kind: string; content: { title: string } }> = [];
    for (const [i, lessonId] of lessonIds.entries()) items.push(...(await callStudio<{ generated: typeof items }>(studio, 'content.generate', { courseId: course.id, runId: `seed-c${i}`, lessonId })).generated);
    await callStudio(studio, 'content.submit', { itemIds: items.map((i) => i.id) });
    quizTitle = items.find((i) => i.kind === 'quiz')!.content.title;
    const second = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Interviewing users without leading them' } });
    const secondDraft = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId: second.id, runId: 'seed-2' });
    await callStudio(studio, 'syllabus.submit', { versionId: secondDraft.id });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('lists content items and syllabus versions together, grouped by course, with the count in the navigation', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    const nav = page.getByRole('link', { name: /Review queue/ });
    await expect.poll(() => nav.textContent()).toBe('Review queue5 waiting');
    await nav.click();
    const list = page.getByTestId('review-list');
    await list.waitFor();
    await expect.poll(() => list.locator('li').count()).toBe(5);
    expect(await list.locator('li[data-kind="quiz"]').count()).toBe(2);
    expect(await list.locator('li[data-kind="lesson"]').count()).toBe(2);
    expect(await list.locator('li[data-kind="syllabus"]').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2, name: /Practical Data Visualisation with Python/ }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2, name: /Interviewing users without leading them/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Quizzes (2)' }).count()).toBe(1);
    expect(await page.getByText('Nothing awaits review.').count()).toBe(0);

    await page.getByRole('button', { name: 'Quizzes (2)' }).click();
    await expect.poll(() => list.locator('li').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Quizzes (2)' }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: screenshotPath('review-60-review-queue-quizzes'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('the reviewer comments on one question of a quiz and rejects it', async () => {
    await actAs(page, studio, 'Rui Reviewer');
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByRole('button', { name: 'Quizzes (2)' }).click();
    const card = page.getByTestId('review-list').locator('li', { hasText: quizTitle }).first();
    await card.getByRole('button', { name: 'Open' }).click();
    const panel = page.getByTestId('review-panel');
    await panel.waitFor();
    await panel.getByLabel('Comment on').selectOption({ value: 'questions/1' });
    await panel.getByLabel('Comment', { exact: true }).fill('This question gives the answer away in its wording.');
    await panel.getByRole('button', { name: 'Add comment' }).click();
    const thread = panel.getByTestId('comment-thread');
    await thread.waitFor();
    expect(await thread.textContent()).toContain('On question 2');
    expect(await thread.textContent()).toContain('Rui Reviewer');
    await page.screenshot({ path: screenshotPath('review-61-review-panel-comment'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Reject…' }).click();
    await page.getByLabel('Reason (required)').fill('Question 2 gives itself away; see my comment.');
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.getByTestId('review-list').locator('li').count()).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: /Review queue/ }).textContent()).toBe('Review queue4 waiting');
  });

  it('the author sees the rejection reason and the comment on the content screen', async () => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByRole('link', { name: /Practical Data Visualisation with Python/ }).first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();
    const table = page.getByTestId('content-table');
    await table.waitFor();
    const rejectedCell = table.locator('.cell', { hasText: 'rejected' }).first();
    await rejectedCell.getByRole('button').first().click();
    const comments = page.getByTestId('review-comments');
    await comments.waitFor();
    await expect.poll(() => comments.getByTestId('rejection-reason').textContent()).toContain('Question 2 gives itself away; see my comment.');
    expect(await comments.getByTestId('comment-thread').textContent()).toContain('This question gives the answer away in its wording.');
    await comments.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('review-62-author-sees-review'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('works at 360 px: queue and comments without sideways scrolling, and no axe violations', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByTestId('review-comments').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('review-63-author-sees-review-360'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByTestId('review-list').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('review-64-review-queue-360'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('who decides', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-name'), { COURSEWRIGHT_ACTOR: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('asks for the name on first run, keeps it, and turns separation of duties on in Settings', async () => {
    await page.goto(studio.studioUrl);
    const dialog = page.getByRole('dialog', { name: 'Who is using the studio?' });
    await dialog.waitFor();
    await page.screenshot({ path: screenshotPath('review-65-first-run-name') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByLabel('Your name').fill('');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('Enter your name').waitFor();
    await dialog.getByLabel('Your name').fill('Ana Reviewer');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await callStudio(studio, 'settings.get', {})).toMatchObject({ actor: 'Ana Reviewer', actorChosen: true, separationOfDuties: false });

    await page.reload();
    await page.getByRole('link', { name: /Settings/ }).waitFor();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByRole('link', { name: /Settings/ }).click();
    // The name box shows the stored name from its first render, never an empty box.
    expect(await page.locator('#settings-actor').inputValue()).toBe('Ana Reviewer');
    // The box is there only once the page has the stored settings, which is also when the name
    // question would open: it is not asked again.
    expect(await page.getByRole('dialog').count()).toBe(0);
    // A name typed but not yet saved survives saving another setting, and is not saved by it.
    await page.locator('#settings-actor').fill('Ana R. Reviewer');
    await page.getByLabel(/Separation of duties/).check();
    // The notice comes once the page has taken in the saved settings: a form reset by them would be reset by now.
    await page.locator('.notices .notice', { hasText: 'Separation of duties is on' }).waitFor();
    await expect.poll(async () => (await callStudio<{ separationOfDuties: boolean }>(studio, 'settings.get', {})).separationOfDuties).toBe(true);
    expect(await page.locator('#settings-actor').inputValue()).toBe('Ana R. Reviewer');
    expect(await callStudio(studio, 'settings.get', {})).toMatchObject({ actor: 'Ana Reviewer' });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await callStudio<{ actor: string }>(studio, 'settings.get', {})).actor).toBe('Ana R. Reviewer');
    await page.screenshot({ path: screenshotPath('review-66-settings-separation'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
