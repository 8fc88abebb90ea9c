import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulate, type SimulationSummary } from '../../cli/simulate-command.js';
import type { PackageDocument } from '../../schemas/package.js';
import type { StudioCourseAnalytics } from '../../schemas/studio-analytics.js';
import { sampleIntent, tempDataDir } from '../helpers.js';
import type { TestServer } from '../server/support/app.js';
import { runAggregation, startAnalyticsServer } from '../server/support/analytics.js';
import { describeOnBothDatabases } from '../server/support/databases.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * The whole analytics loop in Chromium, with nothing written into a table by hand: a course
 * generated with the mock model, approved and packaged in the served studio, published to a real
 * hosted server (PGlite) from the Packages screen; simulated learners on that server with a
 * miskeyed question and a lesson where most stop; the server's aggregation with an inactivity
 * window of 0 (what `server aggregate --inactive-after 0` runs); the studio's own background sync
 * pulls the result; the designer opens Analytics and Suggestions by clicking and sees both
 * problems flagged. PGlite only: the PostgreSQL run would exercise the same server code and add
 * nothing the browser can see.
 */
describeOnBothDatabases('the analytics loop: publish, learners, aggregation, sync, the Analytics page', (target) => {
  const run = hasChromium && target.kind === 'pglite';
  const title = 'Medication Safety on the Ward';
  const LEARNERS = 100;
  const SEED = 5;
  let browser: Browser;
  let page: Page;
  let studio: ServedStudio;
  let server: TestServer;
  let serverUrl: string;
  let tenant: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let courseId: string;
  let lessons: PackageDocument['modules'][number]['lessons'];
  let summary: SimulationSummary;
  /** Planted: the second question of the first lesson's quiz is miskeyed; most learners stop at the second lesson. */
  const MISKEYED = { lessonIndex: 0, questionIndex: 1 };
  const DROPOFF_LESSON = 1;
  const api = <T = unknown>(name: string, input: unknown) => callStudio<T>(studio, name, input);

  beforeAll(async () => {
    if (!run) return;
    await ensureRendererBuilt();
    server = await startAnalyticsServer(await target.freshLocation(), { analytics: { inactiveAfterDays: 0 } });
    tenant = await server.tenantWithKeys('Ward Learning');
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    serverUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    studio = await serveStudio(tempDataDir('e2e-analytics-loop'), { COURSEWRIGHT_ACTOR: 'Dana Author' });
    // The course is made through the studio's contract (the mock model writes it); clicking through
    // generation and review is covered by the content and review tests.
    const course = await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, title, timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await api<{ id: string }>('syllabus.generate', { courseId, runId: 'loop-syllabus' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
    const generated = await api<{ generated: Array<{ id: string }> }>('content.generate', { courseId, runId: 'loop-content' });
    const itemIds = generated.generated.map((item) => item.id);
    for (const itemId of itemIds) await api('content.open', { itemId });
    await api('content.submit', { itemIds });
    await api('content.approve', { itemIds });
    const built = await api<{ id: string }>('packages.build', { courseId });
    lessons = (await api<{ document: PackageDocument }>('packages.get', { packageId: built.id })).document.modules.flatMap((module) => module.lessons);
    await api('sync.updateServer', { serverUrl });
    await api('sync.setServerKey', { serverKey: tenant.keys.author });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    await server?.app.close();
  });

  const openCourse = async () => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByTestId('course-list').getByRole('link', { name: title }).first().click();
    await page.locator('#course-heading').waitFor();
  };

  /** No sideways scrolling, no axe violation, and a screenshot, at 1280 and at 360 px. */
  async function atBothWidths(name: string, ready: () => Promise<unknown>): Promise<string[]> {
    const problems: string[] = [];
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await ready();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      if (scrollWidth > clientWidth) problems.push(`${width} px: scrolls sideways (${scrollWidth} > ${clientWidth})`);
      for (const violation of await accessibilityViolations(page)) problems.push(`${width} px: ${violation}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: screenshotPath(`screenshots/${name}-${width}`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 4000) } });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    return problems;
  }

  it.skipIf(!run)('publishes the approved package to the server from the Packages screen', async () => {
    expect(lessons.length, 'the planted lessons exist').toBeGreaterThan(DROPOFF_LESSON);
    expect(lessons[MISKEYED.lessonIndex]!.quiz.content.questions.length).toBeGreaterThan(MISKEYED.questionIndex);
    await openCourse();
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByRole('link', { name: 'Packages and exports' }).click();
    await page.getByTestId('publish-to-server').waitFor();
    await page.getByRole('button', { name: 'Publish to server: package v1' }).click();
    await page.getByTestId('server-state-v1').getByText(/Live on server/).waitFor();
    const live = (await (await fetch(`${serverUrl}/api/courses/${courseId}`, { headers: { authorization: `Bearer ${tenant.keys.author}` } })).json()) as { versions: unknown[] };
    expect(live.versions).toHaveLength(1);
  });

  it.skipIf(!run)('simulated learners plant a miskeyed question and a drop-off lesson; the server aggregates and flags both', async () => {
    const miskeyedLesson = lessons[MISKEYED.lessonIndex]!;
    summary = await simulate({
      server: serverUrl,
      tenant: tenant.id,
      courseId,
      learners: LEARNERS,
      seed: SEED,
      concurrency: 8,
      plants: [`miskey:${miskeyedLesson.id}/${miskeyedLesson.quiz.content.questions[MISKEYED.questionIndex]!.id}`, `dropoff:${lessons[DROPOFF_LESSON]!.id}`],
      progress: () => {},
    });
    expect(summary.learners).toBe(LEARNERS);
    const aggregated = await runAggregation(server, tenant.keys.admin, { courseId });
    expect(aggregated).toMatchObject({ inactiveAfterDays: 0, runs: [{ courseId, packageVersion: 1, written: true }] });
    expect(aggregated.runs[0]!.signals).toBeGreaterThanOrEqual(2);
  }, 600_000);

  it.skipIf(!run)("the studio's background sync pulls the analytics; the Analytics page, opened by clicking, shows the planted lesson and question flagged", async () => {
    // The served studio's own sync loop (every few seconds, with the stored author key) pulls the change feed.
    await expect
      .poll(async () => (await api<StudioCourseAnalytics>('analytics.course', { courseId })).signals.map((signal) => signal.type).sort(), { timeout: 60_000, interval: 1_000 })
      .toEqual(expect.arrayContaining(['high_dropoff', 'item_suspect_key']));

    await openCourse();
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await page.locator('#analytics-heading').waitFor();

    const dropoffLesson = lessons[DROPOFF_LESSON]!;
    const dropoffChart = page.getByTestId('dropoff-chart');
    await expect(dropoffChart.locator('figcaption').textContent()).resolves.toContain(`Flagged high drop-off: Lesson ${DROPOFF_LESSON + 1} “${dropoffLesson.title}”`);
    await dropoffChart.getByText('Drop-off per lesson as a table').click();
    const dropoffRow = dropoffChart.locator('tbody tr').nth(DROPOFF_LESSON);
    await expect(dropoffRow.textContent()).resolves.toContain(dropoffLesson.title);
    await expect(dropoffRow.textContent()).resolves.toContain('High drop-off');
    // Only the planted lesson carries the flag.
    await expect(dropoffChart.locator('tbody tr').filter({ hasText: 'High drop-off' }).count()).resolves.toBe(1);
    const planted = summary.planted.find((plant) => plant.kind === 'dropoff') as { stopped: number };
    await expect(dropoffRow.locator('td').nth(2).textContent()).resolves.toBe(String(planted.stopped));

    const suspectRows = page.getByTestId('item-analysis').locator('tbody tr').filter({ hasText: 'Suspect answer key' });
    await expect(suspectRows.count()).resolves.toBe(1);
    await expect(suspectRows.locator('th').textContent()).resolves.toBe(`Question ${MISKEYED.questionIndex + 1} · Lesson ${MISKEYED.lessonIndex + 1} “${lessons[MISKEYED.lessonIndex]!.title}”`);
    expect(await atBothWidths('analytics-loop', () => page.locator('#analytics-heading').waitFor())).toEqual([]);
  });

  it.skipIf(!run)('Suggestions shows the matching suggestions: check the answer key of that question, split that lesson', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /Suggestions/ }).click();
    const list = page.getByTestId('suggestion-list');
    await list.waitFor();
    const questionId = lessons[MISKEYED.lessonIndex]!.quiz.content.questions[MISKEYED.questionIndex]!.id;
    const keyCard = list.getByTestId('suggestion').filter({ hasText: 'Check the answer key' });
    await expect(keyCard.count()).resolves.toBe(1);
    await expect(keyCard.textContent()).resolves.toContain(`A question (${questionId}) in the quiz of Lesson ${MISKEYED.lessonIndex + 1}, package v1`);
    await expect(keyCard.textContent()).resolves.toContain('Suspect answer key');
    const splitCard = list.getByTestId('suggestion').filter({ hasText: 'Split the lesson' });
    await expect(splitCard.count()).resolves.toBe(1);
    await expect(splitCard.textContent()).resolves.toContain(`Lesson ${DROPOFF_LESSON + 1}, package v1`);
    await expect(splitCard.textContent()).resolves.toContain(`who reached lesson ${DROPOFF_LESSON + 1} (${lessons[DROPOFF_LESSON]!.id}) stopped there`);
    expect(await atBothWidths('analytics-loop-suggestions', () => list.waitFor())).toEqual([]);
  });
});
