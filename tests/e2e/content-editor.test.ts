import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { accessibilityViolations, callStudio, ensureRendererBuilt, hasChromium, holdCalls, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

interface Item {
  id: string;
  kind: string;
  targetId: string;
  version: number;
  status: string;
  metadata: { provider: string; createdBy: string };
  content: { explanation?: { overview: string }; questions?: Array<{ correctIndex: number }> };
}

describe.skipIf(!hasChromium)('editing lessons and quizzes by hand in the studio', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  let courseId: string;
  let lessonId: string;
  const api = <T = any>(name: string, input: unknown) => callStudio<T>(studio, name, input);
  const items = () => api<Item[]>('content.list', { courseId });

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-content-editor'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Set-up through the contract the UI uses; the editing itself is done by clicking and typing.
    // The designer's name, as the first-run question would record it; saved versions carry it.
    await api('settings.update', { actor: 'E2E Designer' });
    const course = await api<{ id: string }>('courses.create', { intent: { ...sampleIntent, timeBudgetHours: 1.5 } });
    courseId = course.id;
    const draft = await api<{ id: string; syllabus: { modules: Array<{ lessons: Array<{ id: string }> }> } }>('syllabus.generate', { courseId, runId: 'setup' });
    await api('syllabus.submit', { versionId: draft.id });
    await api('syllabus.approve', { versionId: draft.id });
    lessonId = draft.syllabus.modules[0]!.lessons[0]!.id;
    await api('content.generate', { courseId, runId: 'setup-content', lessonId });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  const firstLessonRow = () => page.getByTestId('content-table').locator('tbody tr').nth(1);
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  async function openContentScreen() {
    await page.goto(studio.studioUrl);
    await page.getByTestId('course-list').getByRole('link').first().click();
    await page.getByRole('link', { name: 'Content & status' }).click();
    await page.getByTestId('content-table').waitFor();
  }

  /** Opens an item from the table and waits until its preview shows, so Edit belongs to it. */
  async function openItem(kind: 'lesson' | 'quiz', version: number) {
    await firstLessonRow().locator('td').nth(kind === 'lesson' ? 0 : 1).getByRole('button', { name: `v${version}` }).click();
    await page.getByTestId(`${kind}-preview`).waitFor();
  }

  it('changes a lesson overview and fixes a quiz’s correct option, each saved as a new draft version', async () => {
    await openContentScreen();
    await openItem('lesson', 1);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByRole('form', { name: /Edit lesson/ });
    await editor.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await noSidewaysScroll()).toBe(true);

    // A title too short shows its error beside the field, and the error goes as soon as it is valid.
    const title = editor.getByLabel('Title', { exact: true });
    await title.fill('Jo');
    await title.blur();
    await expect.poll(() => editor.locator('#ce-title-error').textContent()).toBe('needs at least 5 characters');
    await title.fill('Joins, read aloud');
    // Validation follows the keystrokes on the next render; on a busy machine that is not at once.
    await expect.poll(() => editor.locator('#ce-title-error').count()).toBe(0);
    // Undo and redo, from the keyboard and the buttons: adding a takeaway is one step.
    const takeaways = editor.getByRole('group', { name: 'Key takeaways' }).locator('li.list-entry');
    const before = await takeaways.count();
    await editor.getByRole('button', { name: 'Add a takeaway' }).click();
    await expect.poll(() => takeaways.count()).toBe(before + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => takeaways.count()).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => takeaways.count()).toBe(before + 1);
    await editor.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => takeaways.count()).toBe(before);
    expect(await title.inputValue()).toBe('Joins, read aloud');

    const overview = 'We read every join **aloud** before running it:\n\n- name the tables\n- name the key';
    await editor.getByLabel('Overview', { exact: true }).fill(overview);
    const preview = editor.getByRole('region', { name: 'Preview: Overview' });
    expect(await preview.locator('strong').textContent()).toBe('aloud');
    expect(await preview.locator('li').count()).toBe(2);
    // Raw HTML in the text is shown as text, never rendered.
    await editor.getByLabel('Practice, expected outcome', { exact: true }).fill('A join you can explain line by line <img src=x onerror=alert(1)> to a colleague.');
    expect(await editor.getByRole('region', { name: 'Preview: Practice, expected outcome' }).locator('img').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('60-content-editor-lesson'), fullPage: true });

    await editor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await expect.poll(() => firstLessonRow().locator('td').nth(0).textContent()).toContain('v2');
    const lessons = (await items()).filter((i) => i.kind === 'lesson');
    expect(lessons.map((i) => [i.version, i.status])).toEqual([
      [1, 'SUPERSEDED'],
      [2, 'DRAFT'],
    ]);
    expect(lessons[1]!.content.explanation!.overview).toBe(overview);
    expect(lessons[1]!.metadata).toMatchObject({ provider: 'human', createdBy: 'E2E Designer' });
    await page.getByRole('tab', { name: 'Versions' }).click();
    expect(await page.getByTestId('content-history').textContent()).toContain('edited by E2E Designer');
    await page.screenshot({ path: screenshotPath('61-content-edited-versions') });

    // The quiz: move the correct answer of question 1 to the next option.
    const quizBefore = (await items()).find((i) => i.kind === 'quiz')!;
    const correct = (quizBefore.content.questions![0]!.correctIndex + 1) % 4;
    await openItem('quiz', 1);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const quizEditor = page.getByRole('form', { name: /Edit quiz/ });
    await quizEditor.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await quizEditor.getByRole('group', { name: 'Question 1: options (choose the correct one)' }).getByRole('radio', { name: `Option ${'ABCD'[correct]} is correct` }).check();
    await page.screenshot({ path: screenshotPath('62-content-editor-quiz'), fullPage: true });
    // The pane shows the saved v2 at once, while the table is still reloading (held back here):
    // an Edit clicked meanwhile must open the new draft, not the version it replaced.
    const contentList = await holdCalls(page, 'content.list');
    await quizEditor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await page.locator('.preview-pane .version-bar', { hasText: 'quiz v2' }).waitFor({ timeout: 10_000 });
    expect(await firstLessonRow().locator('td').nth(1).textContent()).toContain('v1');
    await contentList.release();
    await expect.poll(() => firstLessonRow().locator('td').nth(1).textContent()).toContain('v2');
    const quiz = (await items()).filter((i) => i.kind === 'quiz').at(-1)!;
    expect(quiz).toMatchObject({ version: 2, status: 'DRAFT' });
    expect(quiz.content.questions![0]!.correctIndex).toBe(correct);

    // Saving what is already there says so and adds no version.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('form', { name: /Edit quiz/ }).getByRole('button', { name: 'Save as new draft' }).first().click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No changes to save' }).count()).toBe(1);
    expect((await items()).filter((i) => i.kind === 'quiz')).toHaveLength(2);
  }, 180_000);

  it('moves focus to the first error on save and keeps unsaved work to restore', async () => {
    await openContentScreen();
    await openItem('lesson', 2);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByRole('form', { name: /Edit lesson/ });
    await editor.getByLabel('Takeaway 2', { exact: true }).fill('');
    await editor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('ce-keyTakeaways-1');
    expect(await editor.locator('#ce-keyTakeaways-1-error').textContent()).toBe('needs at least 5 characters');

    await editor.getByLabel('Takeaway 2', { exact: true }).fill('Reading a join aloud catches a wrong key early.');
    // Autosave keeps the work in progress; closing the editor does not lose it.
    await expect.poll(async () => (await api<{ content: string } | null>('autosave.get', { key: `content:${(await items()).find((i) => i.kind === 'lesson' && i.version === 2)!.id}` }))?.content ?? '', { timeout: 15_000 }).toContain('catches a wrong key early');
    await editor.getByRole('button', { name: 'Close editor' }).first().click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Restore unsaved work' }).click();
    expect(await page.getByRole('form', { name: /Edit lesson/ }).getByLabel('Takeaway 2', { exact: true }).inputValue()).toBe('Reading a join aloud catches a wrong key early.');
  }, 120_000);

  it('fits a phone-width window: no sideways scrolling and no accessibility violations', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await openContentScreen();
    await openItem('quiz', 2);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('form', { name: /Edit quiz/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('63-content-editor-quiz-360'), fullPage: true });
    await page.getByRole('button', { name: 'Close editor' }).first().click();
    await openItem('lesson', 2);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('form', { name: /Edit lesson/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: screenshotPath('64-content-editor-lesson-360'), fullPage: true });
  }, 120_000);
});
