import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

type Item = { id: string; kind: string; targetId: string };
type Version = { id: string; syllabus: { modules: Array<{ lessons: Array<{ id: string; title: string }> }> } };

/**
 * Words for people, in Chromium against the served studio: Build waits and says why, the refusal
 * is a list of links that land on the item, lifecycle rules are sentences with the same links, and
 * the audit log names courses and items rather than showing ids.
 */
describe.skipIf(!hasChromium)('what a package still needs, and the audit log, in words', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let quiz: Item;
  let lessonTitle: string;
  const courseTitle = 'Readiness for Analysts';
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-readiness'));
    // Arranged through the same HTTP contract the UI uses: everything approved but the first lesson's quiz, which waits in review.
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: courseTitle, timeBudgetHours: 1.5 } });
    const draft = await callStudio<Version>(studio, 'syllabus.generate', { courseId: course.id, runId: 'setup' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    await callStudio(studio, 'syllabus.approve', { versionId: draft.id });
    const lesson = draft.syllabus.modules[0]!.lessons[0]!;
    lessonTitle = lesson.title;
    const run = await callStudio<{ generated: Item[] }>(studio, 'content.generate', { courseId: course.id, runId: 'setup-content' });
    const ids = run.generated.map((i) => i.id);
    for (const itemId of ids) await callStudio(studio, 'content.open', { itemId });
    await callStudio(studio, 'content.submit', { itemIds: ids });
    quiz = run.generated.find((i) => i.kind === 'quiz' && i.targetId === lesson.id)!;
    await callStudio(studio, 'content.approve', { itemIds: ids.filter((id) => id !== quiz.id) });
    await callStudio(studio, 'course.transition', { courseId: course.id, to: 'review' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('Build is disabled with the reason, the refusal lists the one missing quiz as a link, and the link opens that quiz', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    await page.getByTestId('course-list').getByRole('link', { name: courseTitle }).first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();

    // The lifecycle rule is a sentence, with a link to the quiz it counts.
    const lifecycle = page.getByTestId('lifecycle');
    await lifecycle.getByText('1 quiz in module 1 is not approved yet.').waitFor();
    const sentence = `Quiz for lesson 1.1 “${lessonTitle}” is waiting for review, not approved yet.`;
    await lifecycle.getByRole('link', { name: sentence }).waitFor();
    // Read once the links have arrived (after the rule), so their words are checked too.
    expect(await lifecycle.textContent()).not.toMatch(/quizzes-approved|coursewright/);
    expect(await lifecycle.getByRole('link', { name: sentence }).count()).toBe(1);

    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await page.getByRole('heading', { name: `${courseTitle} · packages` }).waitFor();
    const build = page.getByRole('button', { name: 'Build package' });
    await page.getByTestId('build-readiness').waitFor();
    expect(await build.isDisabled()).toBe(true);
    expect(await page.getByTestId('build-readiness').textContent()).toBe('Build waits for 1 piece to be approved.');
    expect(await build.getAttribute('aria-describedby')).toBe('build-readiness');
    const list = page.getByRole('list', { name: 'What the package still needs' });
    expect(await list.getByRole('listitem').allTextContents()).toEqual([sentence]);
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('readiness-packages-1280'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 360, height: 780 });
    await list.waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('readiness-packages-360'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });

    await list.getByRole('link', { name: sentence }).click();
    await page.waitForFunction((id) => location.hash.includes(id), quiz.id);
    const pane = page.getByLabel('Content item');
    await pane.waitFor();
    expect(await pane.textContent()).toContain(lessonTitle);

    // Approved there, Build is on when the Packages screen is opened again; the other side of the rule.
    await callStudio(studio, 'content.approve', { itemIds: [quiz.id] });
    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await page.getByText('Everything is approved: the package can be built.').waitFor();
    expect(await build.isDisabled()).toBe(false);
    expect(await page.getByTestId('build-refused').count()).toBe(0);
    await build.click();
    await page.getByTestId('package-v1').waitFor();
  });

  it('the audit log shows the course title and the item by name, with the id kept on hover', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    expect(await page.getByTestId('audit-course').filter({ hasText: courseTitle }).count()).toBeGreaterThan(0);
    const quizLink = table.getByRole('link', { name: `Quiz for lesson 1.1 “${lessonTitle}” v1` }).first();
    expect(await quizLink.getAttribute('title')).toBe(`content_item ${quiz.id}`);
    expect(await table.getByRole('link', { name: 'Package v1' }).count()).toBe(1);
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('readiness-audit-1280') });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 360, height: 780 });
    await table.waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('readiness-audit-360') });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
