import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlSiteFiles, wholeData } from '../../core/export/html/site.js';
import type { ExportablePackage } from '../../core/export/types.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { tempDataDir } from '../helpers.js';
import { accessibilityViolations, hasChromium, launchChromium, screenshotPath } from './browser.js';

/** The static site as a learner gets it: a folder of files opened from disk. */
function writeSite(pkg: ExportablePackage, label: string): string {
  const folder = tempDataDir(label);
  for (const file of htmlSiteFiles(pkg)) {
    const target = path.join(folder, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, wholeData(file));
  }
  return folder;
}

const htmlPages = (folder: string) =>
  fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .sort();

async function hasHorizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

describe.skipIf(!hasChromium)('static HTML export in Chromium', () => {
  let browser: Browser;
  const pkg = samplePackage({ shape: { modules: 2, lessonsPerModule: 3 } });
  let folder: string;
  beforeAll(async () => {
    browser = await launchChromium();
    folder = writeSite(pkg, 'cw-site');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('every page passes axe-core WCAG 2.1 AA, on a desktop and on a phone, with no sideways scrolling', async () => {
    const pages = htmlPages(folder);
    expect(pages).toContain('index.html');
    expect(pages.filter((p) => p.startsWith('lessons/'))).toHaveLength(6);
    for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 740 }]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems: string[] = [];
      for (const file of pages) {
        await page.goto(pathToFileURL(path.join(folder, file)).href);
        problems.push(...(await accessibilityViolations(page)).map((v) => `${file} @${viewport.width}px: ${v}`));
        if (await hasHorizontalOverflow(page)) problems.push(`${file} @${viewport.width}px: scrolls sideways`);
      }
      if (viewport.width === 375) await page.screenshot({ path: screenshotPath('44-html-export-phone'), fullPage: false });
      await context.close();
      expect(problems).toEqual([]);
    }
  });

  it('a learner answers a quiz with the keyboard, sees feedback and score, and the index remembers the progress', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const first = pkg.document.modules[0]!.lessons[0]!;
    await page.goto(pathToFileURL(path.join(folder, 'index.html')).href);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByRole('link', { name: first.lesson.content.title }).click();
    await expect.poll(() => page.title()).toContain(first.lesson.content.title);

    const quiz = page.locator('.quiz');
    await quiz.getByRole('button', { name: 'Check answers' }).click();
    await expect.poll(() => quiz.locator('.quiz-status').textContent()).toMatch(/Answer every question first: \d+ still open/);

    // Choose with the keyboard: focus the first option of each question, arrow to the right one.
    const questions = quiz.locator('fieldset.question');
    const count = await questions.count();
    for (let i = 0; i < count; i++) {
      const correct = Number(await questions.nth(i).getAttribute('data-correct'));
      const wanted = i === 0 ? (correct + 1) % 4 : correct;
      await questions.nth(i).locator('input[value="0"]').focus();
      await page.keyboard.press('Space');
      for (let k = 0; k < wanted; k++) await page.keyboard.press('ArrowDown');
    }
    await quiz.getByRole('button', { name: 'Check answers' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => quiz.locator('.quiz-status').textContent()).toBe(`You scored ${count - 1} of ${count} (${Math.round((100 * (count - 1)) / count)}%).`);
    await expect.poll(() => questions.nth(0).locator('.verdict').textContent()).toMatch(/^Not quite\. The answer is [A-D]: /);
    await expect.poll(() => questions.nth(1).locator('.verdict').textContent()).toBe('Correct.');
    await page.screenshot({ path: screenshotPath('42-html-export-quiz'), fullPage: false });

    await page.getByRole('link', { name: /^Next:/ }).click();
    await expect.poll(() => page.title()).toContain(pkg.document.modules[0]!.lessons[1]!.lesson.content.title);
    await page.waitForLoadState('load');
    await page.goto(pathToFileURL(path.join(folder, 'index.html')).href);
    await expect.poll(() => page.locator('#course-progress').textContent()).toMatch(/2 of 6 lessons visited, quiz score \d+%/);
    await expect.poll(() => page.locator(`[data-progress-lesson="${first.id}"]`).textContent()).toBe(`(visited, quiz ${count - 1}/${count})`);
    await page.screenshot({ path: screenshotPath('43-html-export-index'), fullPage: false });

    // Reopening the lesson shows the saved answers and their feedback.
    await page.goto(pathToFileURL(path.join(folder, 'lessons', `${first.id}.html`)).href);
    await expect.poll(() => page.locator('.quiz .quiz-status').textContent()).toMatch(/^You scored/);
    await context.close();
  });

  it('right-to-left and Japanese courses get the right language and direction, and stay accessible', async () => {
    for (const [language, title] of [
      ['ar', 'مقدمة في تصور البيانات للمحللين'],
      ['ja', 'データ可視化入門コース：分析者のための実践'],
    ] as const) {
      const site = writeSite(samplePackage({ intent: { title, language }, shape: { modules: 1, lessonsPerModule: 2 } }), `cw-site-${language}`);
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.getAttribute('html', 'dir')).toBe(language === 'ar' ? 'rtl' : 'ltr');
      expect(await page.locator('h1').textContent()).toBe(title);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await hasHorizontalOverflow(page)).toBe(false);
      await page.screenshot({ path: screenshotPath(`45-html-export-${language}`) });
      await context.close();
    }
  });
});
