import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../core/hash.js';
import { buildPlayer, playerBuildIsStale } from '../../player/build.js';
import type { PackageDocument } from '../../schemas/package.js';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase, type OpenedDatabase } from '../../server/db/connection.js';
import { analyticsEvents, purchases, users } from '../../server/db/schema.js';
import { createApiKey, createTenant } from '../../server/store/admin-store.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { pgliteTarget } from '../server/support/databases.js';
import { accessibilityViolations, hasChromium, launchChromium, screenshotPath } from './browser.js';

/**
 * The learner player end to end: a real server (in this process, on PGlite) serving the built
 * player to Debian's Chromium. A learner signs up, buys and enrols, reads a lesson, answers its
 * quiz, loses the network for events, reloads, and resumes where they were.
 */

/** Builds dist/player when it is missing or older than its sources, as the studio e2e tests do for the renderer. */
async function ensurePlayerBuilt(): Promise<void> {
  if (playerBuildIsStale()) await buildPlayer();
}

const free = samplePackage();
const lessons = free.document.modules.flatMap((module) => module.lessons);

function variant(courseId: string, title: string, change: (document: PackageDocument) => void = () => {}) {
  const document = structuredClone(free.document);
  document.course.id = courseId;
  document.course.title = title;
  change(document);
  return { contentHash: contentHash(document), document };
}

/** The paid course's first lesson carries raw HTML and Markdown: the HTML must show as text, the Markdown as markup. */
const hostileOverview = 'Read this **carefully**.\n\n<img src="x" onerror="window.__playerInjected = 1"> and <b>raw</b> tags stay text.';
const paid = variant('course-paid', 'Statistics for ward managers', (document) => {
  document.modules[0]!.lessons[0]!.lesson.content.explanation.overview = hostileOverview;
});
const arabic = variant('course-arabic', 'مقدمة في تصور البيانات', (document) => {
  document.course.language = 'ar';
});
const closed = variant('course-closed', 'Closed for now');

const PASSWORD = 'a long enough password';
/** Screens wait on the server (sign-in hashes the password with scrypt): a busy machine may take seconds. */
const patiently = { timeout: 20_000 };
const EMAIL = 'ana@learners.example';

describe.skipIf(!hasChromium)('learner player in Chromium', () => {
  let database: OpenedDatabase;
  let app: FastifyInstance;
  let url: string;
  let tenantId: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;

  const learnerId = async () => (await database.db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.email, EMAIL))))[0]!.id;

  async function checkScreen(name: string) {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await accessibilityViolations(page), `${name} at ${width} px`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: screenshotPath(`player-${name}-${width}`), fullPage: width === 360 });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

  beforeAll(async () => {
    await ensurePlayerBuilt();
    // A copy of an already migrated PGlite cluster: creating and migrating one here would cost
    // tens of seconds of WebAssembly before the first screen.
    const location = await pgliteTarget.freshLocation();
    dataDir = (location as { dataDir: string }).dataDir;
    database = await openServerDatabase(location);
    app = await buildServerApp({ database });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    tenantId = (await createTenant(database.db, 'Riverside Nursing School', 'cli:test')).id;
    const author = (await createApiKey(database.db, tenantId, 'author', 'cli:test')).key;
    const admin = (await createApiKey(database.db, tenantId, 'admin', 'cli:test')).key;
    const send = async (method: string, route: string, key: string, body: unknown) => {
      const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, `${method} ${route}: ${await response.clone().text()}`).toBeLessThan(300);
    };
    for (const pkg of [free, paid, arabic, closed]) {
      await send('PUT', `/api/packages/${pkg.contentHash}`, author, pkg.document);
      await send('POST', `/api/courses/${pkg.document.course.id}/releases`, author, { contentHash: pkg.contentHash, expectedCurrent: null });
    }
    await send('POST', '/api/admin/products', admin, { courseId: 'course-paid', priceCents: 4900, currency: 'EUR', active: true });
    await send('POST', '/api/admin/products', admin, { courseId: 'course-closed', priceCents: 1500, currency: 'EUR', active: false });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the player at / under a policy that allows only its own files', async () => {
    const response = await page.goto(`${url}/`);
    expect(response!.status()).toBe(200);
    const policy = response!.headers()['content-security-policy']!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    await expect.poll(focusedText, patiently).toBe('Sign in to your courses');
  });

  it('signs up, naming what is wrong beside the field in words', async () => {
    await page.getByRole('button', { name: 'Create an account' }).click();
    await expect.poll(focusedText, patiently).toBe('Create your account');
    await page.getByLabel('Institution ID').fill('no-such-school');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#password-error').textContent(), patiently).toBe('Use at least 10 characters; this password has 5.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#tenant-error').textContent(), patiently).toContain('No tenant has the id "no-such-school"');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tenant');
    await checkScreen('sign-up-refused');
    await page.getByLabel('Institution ID').fill(tenantId);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(focusedText, patiently).toBe('Courses');
  });

  it('the catalogue offers each course by where the learner stands: buy with its price, enrol, or not available', async () => {
    const card = (title: string) => page.locator('.course-card', { has: page.getByRole('heading', { name: title, exact: true }) });
    await expect.poll(() => card('Statistics for ward managers').getByRole('button').textContent(), patiently).toBe('Buy for €49.00');
    expect(await card(free.document.course.title).getByRole('button').textContent()).toBe('Enrol');
    expect(await card('Closed for now').textContent()).toContain('Not available at the moment');
    expect(await card('Closed for now').getByRole('button').count()).toBe(0);
    const arabicTitle = card('مقدمة في تصور البيانات').locator('[lang="ar"]');
    expect(await arabicTitle.getAttribute('dir')).toBe('rtl');
    await checkScreen('catalogue');
  });

  it('buying resends the same Idempotency-Key after a lost answer, charges once, then enrols', async () => {
    const keysSent: string[] = [];
    let answersLost = 0;
    await page.route('**/api/store/purchase', async (route) => {
      keysSent.push(route.request().headers()['idempotency-key'] ?? '');
      if (answersLost === 0) {
        answersLost++;
        // The purchase reaches the server, but its answer never reaches the learner.
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    const buy = page.getByRole('button', { name: 'Buy for €49.00' });
    await buy.click();
    await expect.poll(() => page.locator('.course-card .card-status').allTextContents(), patiently).toContainEqual(expect.stringContaining('Press Buy again to retry; you will not be charged twice.'));
    await buy.click();
    await expect.poll(() => page.locator('.course-card .card-status').allTextContents(), patiently).toContain('Bought for €49.00. Enrol to start.');
    await page.unroute('**/api/store/purchase');
    expect(keysSent).toHaveLength(2);
    expect(keysSent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keysSent[1]).toBe(keysSent[0]);
    expect(await database.db.select({ id: purchases.id }).from(purchases).where(and(eq(purchases.tenantId, tenantId), eq(purchases.userId, await learnerId())))).toHaveLength(1);
    // Focus lands on what comes next: the Enrol button of the course just bought.
    expect(await focusedText()).toBe('Enrol');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText, patiently).toBe('Statistics for ward managers');
    expect(await page.locator('#progress-text').textContent()).toBe('0 of 18 lessons complete.');
  });

  it('reads a lesson with its Markdown rendered and raw HTML shown as text', async () => {
    await page.getByRole('link', { name: `Start lesson 1: ${lessons[0]!.title}` }).click();
    await expect.poll(focusedText, patiently).toBe(lessons[0]!.title);
    expect(page.url()).toMatch(/#\/course\/course-paid\/lesson\/1$/);
    const overview = page.locator('.lesson-section', { has: page.getByRole('heading', { name: 'Overview' }) });
    expect(await overview.locator('strong').textContent()).toBe('carefully');
    expect(await overview.textContent()).toContain('<img src="x" onerror="window.__playerInjected = 1"> and <b>raw</b> tags stay text.');
    expect(await overview.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __playerInjected?: number }).__playerInjected)).toBeUndefined();
  });

  it('answers the quiz: the server scores it and only then shows correctness and explanations', async () => {
    const questions = lessons[0]!.quiz.content.questions;
    expect(await page.locator('.feedback:not([hidden])').count()).toBe(0);
    expect(await page.content()).not.toContain(questions[0]!.explanation);
    await page.getByRole('button', { name: 'Check answers' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Answer question 1' }).count(), patiently).toBe(1);
    // First try: question 1 wrong, the others right (2 of 3 is under the 70% pass mark).
    const choose = async (questionIndex: number, optionIndex: number) => page.locator(`[data-question="${questionIndex}"] input[type=radio]`).nth(optionIndex).check();
    await choose(0, (questions[0]!.correctIndex + 1) % questions[0]!.options.length);
    for (let q = 1; q < questions.length; q++) await choose(q, questions[q]!.correctIndex);
    await page.getByRole('button', { name: 'Check answers' }).click();
    await expect.poll(focusedText, patiently).toBe('Not passed yet');
    expect(await page.locator('.score').textContent()).toBe('You answered 2 of 3 correctly (67%). The pass mark is 70%.');
    expect(await page.locator('[data-question="0"] .verdict').textContent()).toBe('✗ Not correct');
    expect(await page.locator('[data-question="0"] .explanation').textContent()).toContain(questions[0]!.explanation);
    expect(await page.locator('[data-question="1"] .verdict').textContent()).toBe('✓ Correct');
    await checkScreen('quiz-result');
    await page.getByRole('button', { name: 'Try again' }).click();
    for (let q = 0; q < questions.length; q++) await choose(q, questions[q]!.correctIndex);
    await page.getByRole('button', { name: 'Check answers' }).click();
    await expect.poll(focusedText, patiently).toBe('Passed');
    expect(await page.locator('.score').textContent()).toBe('You answered 3 of 3 correctly (100%). The pass mark is 70%.');
  });

  it('marks the lesson complete and continues to the next', async () => {
    await page.getByRole('button', { name: 'Mark complete and continue' }).click();
    await expect.poll(focusedText, patiently).toBe(lessons[1]!.title);
    expect(page.url()).toMatch(/#\/course\/course-paid\/lesson\/2$/);
  });

  it('keeps events across a reload while they cannot be sent, sends them after, and resumes at the right lesson', async () => {
    // Events cannot reach the server from here until after the reload (including the keepalive send as the page goes).
    await page.route('**/api/analytics/event', (route) => route.abort('internetdisconnected'));
    await page.getByRole('link', { name: 'Previous lesson' }).click();
    await expect.poll(focusedText, patiently).toBe(lessons[0]!.title);
    await page.getByRole('link', { name: 'Next lesson' }).click();
    await expect.poll(focusedText, patiently).toBe(lessons[1]!.title);
    const queued = () => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('coursewright.player.events.')).flatMap((key) => JSON.parse(localStorage.getItem(key)!) as { type: string; lessonIndex?: number }[]));
    await expect.poll(async () => (await queued()).filter((event) => event.type === 'lesson_viewed').length, patiently).toBeGreaterThanOrEqual(2);
    await page.reload();
    await expect.poll(focusedText, patiently).toBe(lessons[1]!.title);
    expect((await queued()).length).toBeGreaterThan(0);
    await page.unroute('**/api/analytics/event');
    await expect.poll(queued, { timeout: 30_000 }).toEqual([]);

    // A new visit without the lesson's address: the course page knows where to resume.
    await page.goto(`${url}/`);
    await expect.poll(focusedText, patiently).toBe('Courses');
    await page.locator('.course-card', { has: page.getByRole('heading', { name: 'Statistics for ward managers' }) }).getByRole('link', { name: 'Open course' }).click();
    await expect.poll(focusedText, patiently).toBe('Statistics for ward managers');
    expect(await page.locator('#progress-text').textContent()).toBe('1 of 18 lessons complete.');
    expect(await page.locator('.lesson-list li').first().textContent()).toContain('✓');
    expect(await page.locator('.lesson-list li').first().textContent()).toContain('(completed)');
    expect(await page.locator('.lesson-list li').nth(1).textContent()).not.toContain('✓');
    await checkScreen('course');
    await page.getByRole('link', { name: `Resume lesson 2: ${lessons[1]!.title}` }).click();
    await expect.poll(focusedText, patiently).toBe(lessons[1]!.title);
    await checkScreen('lesson');
  });

  it('every event reached the server once: none lost while offline, none doubled by resending', async () => {
    const count = async () => {
      const rows = await database.db.select({ type: analyticsEvents.type, lessonIndex: analyticsEvents.lessonIndex, courseId: analyticsEvents.courseId }).from(analyticsEvents).where(and(eq(analyticsEvents.tenantId, tenantId), eq(analyticsEvents.userId, await learnerId())));
      const tally: Record<string, number> = {};
      for (const row of rows.filter((row) => row.courseId === 'course-paid')) {
        const key = `${row.type}${row.lessonIndex === null ? '' : `@${row.lessonIndex}`}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      return tally;
    };
    // What the learner did on the paid course: the course page twice; lesson 1 opened twice (first
    // visit, back from lesson 2); lesson 2 four times (after completing 1, after going back, after
    // the reload, on resuming); two quiz attempts, one passed; one completion. Heartbeats come
    // every 30 s of reading and are left out of the count.
    await expect
      .poll(async () => Object.fromEntries(Object.entries(await count()).filter(([key]) => !key.startsWith('heartbeat'))), { timeout: 30_000 })
      .toEqual({ 'course_viewed': 2, 'lesson_viewed@0': 2, 'lesson_viewed@1': 4, 'quiz_attempted@0': 2, 'quiz_passed@0': 1, 'lesson_completed@0': 1 });
  });

  it('lays an Arabic course out right to left', async () => {
    await page.goto(`${url}/`);
    await expect.poll(focusedText, patiently).toBe('Courses');
    await page.locator('.course-card', { has: page.getByRole('heading', { name: 'مقدمة في تصور البيانات' }) }).getByRole('button', { name: 'Enrol' }).click();
    await expect.poll(focusedText, patiently).toBe('مقدمة في تصور البيانات');
    const article = page.locator('article.course');
    expect(await article.getAttribute('lang')).toBe('ar');
    expect(await article.getAttribute('dir')).toBe('rtl');
    await checkScreen('course-rtl');
  });

  it('signs out, refuses a wrong password in words, and signs back in to the same courses', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(focusedText, patiently).toBe('Sign in to your courses');
    expect(await page.getByLabel('Institution ID').inputValue()).toBe(tenantId);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.form-error').textContent(), patiently).toBe('The email or the password is wrong.');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signing in opens the screen the address names: the course the learner was on.
    await expect.poll(focusedText, patiently).toBe('مقدمة في تصور البيانات');
    await page.getByRole('link', { name: 'All courses' }).first().click();
    await expect.poll(focusedText, patiently).toBe('Courses');
    const paidCard = page.locator('.course-card', { has: page.getByRole('heading', { name: 'Statistics for ward managers' }) });
    expect(await paidCard.getByRole('link', { name: 'Open course' }).count()).toBe(1);
  });
});
