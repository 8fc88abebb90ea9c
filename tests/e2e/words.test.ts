import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * Words for people and text in every script, as a designer meets them: refusals name the field as
 * its label does and go away once the value is fixed; notices never sit over a field, two at most,
 * and stay behind on the screen they belong to; Arabic, Japanese, Korean and Chinese titles draw
 * with the studio's own Noto faces, which Latin-only screens never download.
 */
describe.skipIf(!hasChromium)('words for people in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;

  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  /** Families of the studio's own faces that finished loading in this page. */
  const loadedNotoFaces = () =>
    page.evaluate(async () => {
      await document.fonts.ready;
      const loaded: string[] = [];
      document.fonts.forEach((face) => {
        const family = face.family.replace(/"/g, '');
        if (family.startsWith('Noto Sans') && face.status === 'loaded') loaded.push(family);
      });
      return loaded;
    });
  /** Boxes of the form controls on screen that a notice overlaps. */
  const controlsUnderNotices = () =>
    page.evaluate(() => {
      const notices = Array.from(document.querySelectorAll('.notice')).map((n) => n.getBoundingClientRect());
      const controls = Array.from(document.querySelectorAll('main input, main textarea, main select, main button, main a.button'));
      const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return controls.filter((c) => notices.some((n) => overlaps(n, c.getBoundingClientRect()))).map((c) => c.id || c.textContent);
    });
  const badIntentFile = (name: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from('{ not json') });

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-words'));
    await callStudio(studio, 'settings.update', { actor: 'E2E Designer' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('Latin-only screens download none of the studio’s Noto faces', async () => {
    await page.goto(studio.studioUrl);
    await page.getByText('No courses yet').waitFor();
    expect(await loadedNotoFaces()).toEqual([]);
  });

  it('says what is wrong beside the field in its label’s words, focuses it, and clears each message once its value is valid', async () => {
    await page.getByRole('link', { name: 'New course' }).click();
    await page.getByLabel('Title').fill('AB');
    await page.getByLabel('Time budget (hours)').fill('0');
    await page.getByRole('button', { name: 'Create course' }).click();
    const titleField = page.locator('.field', { has: page.getByLabel('Title') });
    const budgetField = page.locator('.field', { has: page.getByLabel('Time budget (hours)') });
    await expect.poll(() => titleField.locator('.field-error').textContent()).toBe('Title must be at least 3 characters');
    expect(await budgetField.locator('.field-error').textContent()).toBe('Time budget (hours) must be more than 0');
    expect(await page.locator('.field-error').allTextContents()).toEqual(expect.arrayContaining(['Audience must be at least 3 characters']));
    expect(await page.locator('main').textContent()).not.toMatch(/timeBudgetHours|Too (big|small)|expected/);
    // Focus moves on the frame after the messages render.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('intent-title');
    await page.screenshot({ path: screenshotPath('words-intent-invalid-1280') });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Fixing one field takes its message away at once; the others stay until they are fixed.
    await page.getByLabel('Title').fill('Charts for Analysts');
    await expect.poll(() => titleField.locator('.field-error').count()).toBe(0);
    expect(await budgetField.locator('.field-error').textContent()).toBe('Time budget (hours) must be more than 0');
    await page.getByLabel('Time budget (hours)').fill('0.5');
    await expect.poll(() => budgetField.locator('.field-error').count()).toBe(0);
    await page.getByLabel('Time budget (hours)').fill('abc');
    await expect.poll(() => budgetField.locator('.field-error').textContent()).toBe('Time budget (hours) must be a number');
  });

  for (const width of [1280, 360]) {
    it(`at ${width} px a notice covers no field, at most two show, and they stay behind when another screen opens`, async () => {
      await page.setViewportSize({ width, height: 860 });
      await page.goto(`${studio.url}#/new`);
      await page.getByRole('heading', { name: 'New course' }).waitFor();
      await page.getByLabel('Start from an intent file (optional)').setInputFiles(badIntentFile('first.json'));
      await page.locator('.notice', { hasText: 'first.json is not a JSON intent file' }).waitFor();
      expect(await controlsUnderNotices()).toEqual([]);
      if (width === 360) {
        // Narrow: below the form, not over it.
        const [mainBottom, noticeTop] = await page.evaluate(() => [document.querySelector('main')!.getBoundingClientRect().bottom, document.querySelector('.notice')!.getBoundingClientRect().top]);
        expect(noticeTop).toBeGreaterThanOrEqual(mainBottom);
      }
      await page.getByLabel('Start from an intent file (optional)').setInputFiles(badIntentFile('second.json'));
      await page.locator('.notice', { hasText: 'second.json' }).waitFor();
      await page.getByLabel('Start from an intent file (optional)').setInputFiles(badIntentFile('third.json'));
      await page.locator('.notice', { hasText: 'third.json' }).waitFor();
      expect(await page.locator('.notice').allTextContents()).toEqual([expect.stringContaining('second.json'), expect.stringContaining('third.json')]);
      expect(await controlsUnderNotices()).toEqual([]);
      expect(await noSidewaysScroll()).toBe(true);
      await page.screenshot({ path: screenshotPath(`words-notices-${width}`), fullPage: true });
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      // The screen change clears them just after the new screen is drawn; these are errors, which never time out.
      await expect.poll(() => page.locator('.notice').count()).toBe(0);
    });
  }

  it('a notice raised as a screen opens goes with it: “Created …” shows on the new course', async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${studio.url}#/new`);
    await page.getByLabel('Title').fill('Notices for Analysts');
    await page.getByLabel('Audience').fill(sampleIntent.audience);
    await page.getByLabel('Teaching style').fill(sampleIntent.teachingStyle);
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.locator('#course-heading').waitFor();
    expect(await page.locator('.notice', { hasText: 'Created “Notices for Analysts”.' }).count()).toBe(1);
  });

  it('draws Japanese, Chinese, Korean and Arabic titles with the studio’s own Noto faces', async () => {
    const titles = ['データ可視化入門', '这门课程讲数据可视化', '데이터 시각화 입문', 'مقدمة في تصور البيانات'];
    for (const title of titles) await callStudio(studio, 'courses.create', { intent: { ...sampleIntent, title } });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 860 });
      await page.goto(`${studio.url}#/courses`);
      for (const title of titles) await page.getByText(title, { exact: true }).waitFor();
      await expect.poll(loadedNotoFaces).toEqual(expect.arrayContaining(['Noto Sans JP', 'Noto Sans SC', 'Noto Sans KR', 'Noto Sans Arabic']));
      // Every title's characters come from a face that has them: none falls back to empty boxes.
      const missing = await page.evaluate(
        (all) => all.filter((title) => !['Noto Sans JP', 'Noto Sans SC', 'Noto Sans KR', 'Noto Sans Arabic'].some((family) => document.fonts.check(`16px "${family}"`, title))),
        titles,
      );
      expect(missing).toEqual([]);
      expect(await noSidewaysScroll()).toBe(true);
      await page.screenshot({ path: screenshotPath(`words-scripts-${width}`) });
      expect(await accessibilityViolations(page)).toEqual([]);
    }
  });
});
