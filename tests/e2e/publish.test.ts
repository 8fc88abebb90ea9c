import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { startTestServer, type TestServer } from '../server/support/app.js';
import { describeOnBothDatabases } from '../server/support/databases.js';
import { freePort } from '../integration/sync/support.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * Settings → Servers and "Publish to server" in Chromium against the served studio, publishing to
 * a real hosted server app listening on loopback (PGlite; the PostgreSQL run adds nothing here).
 */
describeOnBothDatabases('publishing to a hosted server from the studio', (target) => {
  const run = hasChromium && target.kind === 'pglite';
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let server: TestServer;
  let serverUrl: string;
  let author: string;
  let courseId: string;

  beforeAll(async () => {
    if (!run) return;
    await ensureRendererBuilt();
    server = await startTestServer(await target.freshLocation());
    author = (await server.tenantWithKeys('Studio Publishing Academy')).keys.author;
    const port = await freePort();
    await server.app.listen({ port, host: '127.0.0.1' });
    serverUrl = `http://127.0.0.1:${port}`;
    studio = await serveStudio(tempDataDir('e2e-publish'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    // Arranged through the studio's own contract; building packages by clicking is covered in packages.test.ts.
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Publishing for Pharmacists', timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId, runId: 'setup' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    await callStudio(studio, 'syllabus.approve', { versionId: draft.id });
    const generated = await callStudio<{ generated: Array<{ id: string }> }>(studio, 'content.generate', { courseId, runId: 'setup-content' });
    const ids = generated.generated.map((i) => i.id);
    for (const itemId of ids) await callStudio(studio, 'content.open', { itemId });
    await callStudio(studio, 'content.submit', { itemIds: ids });
    await callStudio(studio, 'content.approve', { itemIds: ids });
    await callStudio(studio, 'packages.build', { courseId });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    await server?.app.close();
  });

  it.skipIf(!run)('sets the server and key in Settings → Servers, tests the connection, publishes a package and shows it live on the server', async () => {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();

    await page.getByLabel('Server address').fill(`${serverUrl}/`);
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.getByLabel('Author key').waitFor();
    expect(await page.getByTestId('server-key-state').textContent()).toMatch(/No author key stored · kept in memory for this session only/);
    await page.getByLabel('Author key').fill('not-a-key');
    await page.getByRole('button', { name: 'Store key' }).click();
    await page.getByText(/starting with cwk_/).first().waitFor();

    await page.getByLabel('Author key').fill(author);
    await page.getByRole('button', { name: 'Store key' }).click();
    await page.getByText('An author key is stored').waitFor();
    expect(await page.getByLabel('Author key').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('connection-result');
    await result.getByText(/^Connected to /).waitFor();
    expect(await result.textContent()).toMatch(/the key is accepted; 0 courses published there/);
    await page.screenshot({ path: screenshotPath('80-settings-servers'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('81-settings-servers-phone'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.getByRole('link', { name: 'Courses' }).first().click();
    await page.getByTestId('course-list').getByRole('link', { name: /Publishing for Pharmacists/ }).first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByRole('link', { name: 'Packages and exports' }).click();
    const panel = page.getByTestId('publish-to-server');
    await panel.waitFor();
    expect(await page.getByTestId('server-state-v1').textContent()).toMatch(/Not sent/);
    expect(await page.getByTestId('live-on-server').textContent()).toMatch(/Nothing of this course is live/);

    await page.getByRole('button', { name: 'Publish to server: package v1' }).click();
    await page.getByTestId('server-state-v1').getByText(/Live on server/).waitFor();
    expect(await page.getByTestId('live-on-server').textContent()).toBe(`Live on ${serverUrl}: package v1`);
    await page.screenshot({ path: screenshotPath('82-packages-live-on-server'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('83-packages-live-on-server-phone'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The server really has it, live; publishing again stores nothing new there.
    const onServer = (await (await fetch(`${serverUrl}/api/courses/${courseId}`, { headers: { authorization: `Bearer ${author}` } })).json()) as { liveHash: string; versions: unknown[] };
    expect(onServer.versions).toHaveLength(1);
    await page.getByRole('button', { name: 'Publish to server: package v1' }).click();
    await page.getByText(/The server already had package v1; nothing new was stored/).waitFor();
    expect((await server.database.query('SELECT count(*)::int AS n FROM packages')) as unknown).toEqual([{ n: 1 }]);
  });
});
