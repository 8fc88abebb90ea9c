import fs from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers.js';
import { actAs as actAsInSettings, ensureRendererBuilt, hasChromium, launchChromium, screenshotPath, serveStudio, type ServedStudio } from './browser.js';

/**
 * A designer's whole job in the served studio, from intent to an exported package, by clicking
 * and typing only: no JSON editor, no CLI, no call to the contract behind the UI's back. Two
 * people share the studio, Dana who writes and Rui who reviews; they take turns by changing the
 * name in Settings, with separation of duties on.
 */
describe.skipIf(!hasChromium)('a course from intent to package, by hand, in Chromium', () => {
  let browser: Browser;
  let studio: ServedStudio;
  let page: Page;
  const courseTitle = 'Charts for Busy Analysts';
  const addedLesson = 'Reading a chart aloud';
  const overview = 'Before drawing anything we **read a chart aloud**:\n\n- say what each axis measures\n- say what one mark means';
  const fixedQuestion = 'Which part of a bar chart should you read first, and why?';
  const comment = 'Question 2 gives its answer away in the wording.';
  const rejection = 'Question 2 needs rewording; see my comment.';
  let quizTitle = '';

  /** After a save the content screen reopens the new version on its Versions tab. */
  const savedVersionShown = () => expect.poll(() => page.getByRole('tab', { name: 'Versions' }).getAttribute('aria-selected')).toBe('true');

  const notice = (text: string | RegExp) => page.locator('.notices .notice', { hasText: text });
  const rowTitles = () => page.locator('.outline-row .outline-title').allTextContents();
  const contentTable = () => page.getByTestId('content-table');
  /** The table row of a lesson, found by the title the outline gave it. */
  const lessonRow = (title: string) => contentTable().locator('tbody tr', { has: page.locator('th', { hasText: title }) });

  const actAs = (name: string) => actAsInSettings(page, studio, name);

  async function openCourse(link: 'Content & status' | 'Packages and exports' | 'Preview as a learner' | null) {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByTestId('course-list').getByRole('link', { name: courseTitle }).click();
    await page.getByTestId('outline').waitFor();
    if (link === null) return;
    // The syllabus workspace links to its content screen, which links to the rest.
    await page.getByRole('link', { name: 'Content & status' }).click();
    if (link === 'Content & status') return;
    await page.getByTestId('content-table').waitFor();
    await page.getByRole('link', { name: link }).first().click();
  }

  beforeAll(async () => {
    await ensureRendererBuilt();
    studio = await serveStudio(tempDataDir('e2e-journey'), { COURSEWRIGHT_ACTOR: 'Dana Author' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('Settings: separation of duties on, so an author cannot approve their own work', async () => {
    await page.goto(studio.studioUrl);
    await page.getByRole('heading', { name: 'Courses' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await page.locator('#settings-actor').inputValue()).toBe('Dana Author');
    // The box shows the saved setting, so it turns checked once the studio has stored it.
    await page.getByLabel(/Separation of duties/).click();
    await notice('Separation of duties is on').waitFor();
    await expect.poll(() => page.getByLabel(/Separation of duties/).isChecked()).toBe(true);
    // The setting is kept: a fresh page load shows it still on.
    await page.reload();
    await page.getByLabel(/Separation of duties/).waitFor();
    expect(await page.getByLabel(/Separation of duties/).isChecked()).toBe(true);
  });

  it('creates the course in the form and generates its syllabus', async () => {
    await page.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByRole('link', { name: 'New course' }).click();
    await page.getByLabel('Title').fill(courseTitle);
    await page.getByLabel('Audience').fill('Analysts who use spreadsheets every day');
    await page.getByLabel('Time budget (hours)').fill('1.5');
    await page.getByLabel('Teaching style').fill('short worked examples');
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.getByRole('heading', { name: courseTitle }).waitFor();
    await page.getByRole('button', { name: 'Generate syllabus' }).click();
    await page.getByTestId('outline').waitFor();
    await expect.poll(async () => (await rowTitles()).filter((t) => /^\d+\.\d+ /.test(t)).length).toBeGreaterThanOrEqual(9);
    expect(await page.locator('.version-bar').first().textContent()).toMatch(/v1\s*draft/);
    await page.screenshot({ path: screenshotPath('journey-01-syllabus-generated') });
  }, 120_000);

  it('adds a lesson, moves it to the front of its module, and saves the outline as a new version', async () => {
    const before = await rowTitles();
    const firstLesson = before.find((t) => t.startsWith('1.1 '))!.replace(/^1\.1 /, '');
    await page.locator('.outline-row', { has: page.locator('.outline-title', { hasText: /^1\.1 / }) }).locator('.outline-select').click();
    await page.getByRole('button', { name: 'Add lesson' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lesson-title');
    await page.keyboard.type(addedLesson);
    await expect.poll(rowTitles).toContain(`1.2 ${addedLesson}`);
    await page.locator('.outline-row', { has: page.locator('.outline-title', { hasText: addedLesson }) }).locator('.outline-select').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(rowTitles).toEqual(expect.arrayContaining([`1.1 ${addedLesson}`, `1.2 ${firstLesson}`]));
    // The new lesson's 30 minutes take the outline past the 1 h 30 min budget, said in words.
    await expect.poll(() => page.getByTestId('time-budget').textContent()).toContain('Over budget by 30 min');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('.version-bar', { hasText: 'v2' }).waitFor();
    expect(await rowTitles()).toEqual(expect.arrayContaining([`1.1 ${addedLesson}`, `1.2 ${firstLesson}`]));
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('.version-bar', { hasText: 'in review' }).waitFor();
    await page.screenshot({ path: screenshotPath('journey-02-outline-submitted') });
  });

  it('refuses the author’s own approval of the syllabus, and a different person approves it', async () => {
    await page.locator('.version-bar').getByRole('button', { name: 'Approve…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await notice('You wrote this version; another reviewer must approve it.').waitFor();
    expect(await notice('You wrote this version').textContent()).toContain('Dana Author');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click().catch(() => undefined);
    expect(await page.locator('.version-bar').first().textContent()).toContain('in review');

    await actAs('Rui Reviewer');
    await page.getByRole('link', { name: /Review queue/ }).click();
    const card = page.getByTestId('review-list').locator('li[data-kind="syllabus"]', { hasText: courseTitle });
    await card.waitFor();
    expect(await card.textContent()).toContain('by Dana Author');
    await card.getByRole('button', { name: 'Approve…' }).click();
    await page.getByLabel('Note (optional)').fill('Good order; the new first lesson sets the scene.');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing awaits review.').waitFor();

    await openCourse(null);
    await page.getByTestId('read-only-banner').waitFor();
    expect(await page.getByTestId('read-only-banner').textContent()).toContain('Good order; the new first lesson sets the scene.');
    await page.screenshot({ path: screenshotPath('journey-03-syllabus-approved') });
  });

  it('generates the content, edits a lesson’s text and fixes a quiz’s correct option by hand', async () => {
    await actAs('Dana Author');
    await openCourse('Content & status');
    await contentTable().waitFor();
    await page.getByLabel('Generate for').selectOption({ label: 'the whole course' });
    await page.getByRole('button', { name: 'Generate missing content' }).click();
    await expect.poll(() => page.getByTestId('content-progress').textContent(), { timeout: 150_000 }).toContain('remaining 0');
    await expect.poll(() => lessonRow(addedLesson).getByRole('button', { name: 'v1' }).count()).toBe(2);

    // The lesson: a new overview in Markdown, previewed as it is typed.
    await lessonRow(addedLesson).locator('td').nth(0).getByRole('button', { name: 'v1' }).click();
    await page.getByTestId('lesson-preview').waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const lessonEditor = page.getByRole('form', { name: /Edit lesson/ });
    await lessonEditor.getByLabel('Overview', { exact: true }).fill(overview);
    const preview = lessonEditor.getByRole('region', { name: 'Preview: Overview' });
    expect(await preview.locator('strong').textContent()).toBe('read a chart aloud');
    expect(await preview.locator('li').allTextContents()).toEqual(['say what each axis measures', 'say what one mark means']);
    await lessonEditor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await notice('Saved as draft v2.').waitFor();
    await expect.poll(() => lessonRow(addedLesson).locator('td').nth(0).textContent()).toContain('v2');
    await savedVersionShown();
    // The versions tab reads the change as a word diff of the overview.
    const history = page.getByTestId('content-history');
    await history.locator('table').waitFor();
    expect(await history.locator('tbody th').allTextContents()).toEqual(['Overview']);
    expect((await history.locator('ins').allTextContents()).join(' ')).toContain('aloud');

    // The quiz: question 1's correct answer moves to the next option.
    await lessonRow(addedLesson).locator('td').nth(1).getByRole('button', { name: 'v1' }).click();
    await page.getByTestId('quiz-preview').waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const quizEditor = page.getByRole('form', { name: /Edit quiz/ });
    quizTitle = await quizEditor.getByLabel('Title', { exact: true }).inputValue();
    const options = quizEditor.getByRole('group', { name: 'Question 1: options (choose the correct one)' }).getByRole('radio');
    const checked: boolean[] = [];
    for (let i = 0; i < 4; i++) checked.push(await options.nth(i).isChecked());
    const was = checked.indexOf(true);
    expect(was).toBeGreaterThanOrEqual(0);
    const now = (was + 1) % 4;
    await options.nth(now).check();
    expect(await options.nth(now).getAttribute('aria-label')).toBe(`Option ${'ABCD'[now]} is correct`);
    await quizEditor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await expect.poll(() => lessonRow(addedLesson).locator('td').nth(1).textContent()).toContain('v2');
    await savedVersionShown();
    // Reopened, the editor shows the new correct option chosen.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const reopened = page.getByRole('form', { name: /Edit quiz/ }).getByRole('group', { name: 'Question 1: options (choose the correct one)' });
    expect(await reopened.getByRole('radio', { name: `Option ${'ABCD'[now]} is correct` }).isChecked()).toBe(true);
    expect(await reopened.getByRole('radio', { name: `Option ${'ABCD'[was]} is correct` }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Close editor' }).first().click();

    await page.getByRole('button', { name: /Submit all drafts/ }).click();
    await expect.poll(() => contentTable().getByText('draft', { exact: true }).count()).toBe(0);
    expect(await contentTable().getByText('in review').count()).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: screenshotPath('journey-04-content-submitted'), fullPage: true });
  }, 240_000);

  it('the reviewer comments on a question and rejects the quiz', async () => {
    await actAs('Rui Reviewer');
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByRole('button', { name: /^Quizzes/ }).click();
    const card = page.getByTestId('review-list').locator('li', { hasText: quizTitle }).first();
    await card.getByRole('button', { name: 'Open' }).click();
    const panel = page.getByTestId('review-panel');
    await panel.waitFor();
    await panel.getByLabel('Comment on').selectOption({ value: 'questions/1' });
    await panel.getByLabel('Comment', { exact: true }).fill(comment);
    await panel.getByRole('button', { name: 'Add comment' }).click();
    const thread = panel.getByTestId('comment-thread');
    await thread.waitFor();
    expect(await thread.textContent()).toContain('On question 2');
    expect(await thread.textContent()).toContain('Rui Reviewer');
    await panel.getByRole('button', { name: 'Reject…' }).click();
    await page.getByLabel('Reason (required)').fill(rejection);
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
    await notice(/Rejected quiz v2/).waitFor();
    await expect.poll(() => page.getByTestId('review-list').locator('li', { hasText: quizTitle }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('journey-05-quiz-rejected'), fullPage: true });
  });

  it('the author reads the reason and the comment, fixes question 2 and resubmits', async () => {
    await actAs('Dana Author');
    await openCourse('Content & status');
    const quizCell = lessonRow(addedLesson).locator('td').nth(1);
    await expect.poll(() => quizCell.textContent()).toContain('rejected');
    await quizCell.getByRole('button', { name: 'v2' }).click();
    const comments = page.getByTestId('review-comments');
    await expect.poll(() => comments.getByTestId('rejection-reason').textContent()).toContain(rejection);
    expect(await comments.getByTestId('comment-thread').textContent()).toContain(comment);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const quizEditor = page.getByRole('form', { name: /Edit quiz/ });
    await quizEditor.getByLabel('Question 2', { exact: true }).fill(fixedQuestion);
    await quizEditor.getByRole('button', { name: 'Save as new draft' }).first().click();
    await expect.poll(() => quizCell.textContent()).toContain('v3');
    await savedVersionShown();
    await page.getByRole('tab', { name: 'Learner preview' }).click();
    await expect.poll(() => page.getByTestId('quiz-preview').textContent()).toContain(fixedQuestion);
    await page.locator('.preview-pane .version-bar').getByRole('button', { name: 'Submit', exact: true }).click();
    await expect.poll(() => quizCell.textContent()).toContain('in review');
    await page.screenshot({ path: screenshotPath('journey-06-quiz-fixed-resubmitted'), fullPage: true });
  });

  it('the other person opens every item and approves them all; the author could not have', async () => {
    // Dana, the author, is told why nothing of hers qualifies for her own bulk approval.
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByRole('button', { name: 'Approve all I opened…' }).click();
    const plan = page.getByRole('dialog', { name: 'Approve what you opened' });
    await plan.waitFor();
    await expect.poll(() => plan.textContent()).toContain('0 will be approved');
    expect(await plan.getByRole('list', { name: 'Stay in review' }).textContent()).toContain('separation of duties is on');
    await plan.getByRole('button', { name: 'Cancel' }).click();

    await actAs('Rui Reviewer');
    await openCourse('Content & status');
    const cells = contentTable().locator('td .cell button.link');
    await expect.poll(() => contentTable().getByText('in review').count()).toBeGreaterThanOrEqual(20);
    const count = await cells.count();
    expect(count).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < count; i++) await cells.nth(i).click();
    const boxes = contentTable().getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(count);
    for (let i = 0; i < count; i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: `Approve selected (${count})` }).click();
    await expect.poll(() => contentTable().getByText('approved').count()).toBe(count);
    expect(await contentTable().getByText('in review').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('journey-07-content-approved'), fullPage: true });
  }, 180_000);

  it('previews the course as a learner: the edited lesson and the fixed quiz', async () => {
    await openCourse('Preview as a learner');
    await page.getByRole('heading', { name: `${courseTitle} · preview` }).waitFor();
    const frame = page.frameLocator('iframe[title^="Learner preview"]');
    await frame.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    // By keyboard: the desktop frame is scaled to fit, which pointer hit-testing in the driver does not follow.
    await frame.getByRole('link', { name: /Start with the first lesson/ }).press('Enter');
    const lesson = frame.locator('section.player-lesson:not([hidden])');
    await lesson.getByRole('heading', { name: addedLesson }).first().waitFor();
    expect(await lesson.locator('strong', { hasText: 'read a chart aloud' }).count()).toBeGreaterThanOrEqual(1);
    expect(await lesson.textContent()).toContain(fixedQuestion);
    await page.screenshot({ path: screenshotPath('journey-08-learner-preview') });
  });

  it('builds the package and exports it as a static website', async () => {
    await openCourse('Packages and exports');
    await page.getByRole('heading', { name: `${courseTitle} · packages` }).waitFor();
    await page.getByRole('button', { name: 'Build package' }).click();
    const row = page.getByTestId('package-v1');
    await row.waitFor();
    expect(await page.getByTestId('build-refused').count()).toBe(0);
    await page.getByRole('button', { name: 'Export package v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export package v1' });
    await dialog.getByLabel('Static website (HTML, zip)').check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const result = dialog.getByTestId('export-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Saved charts-for-busy-analysts-v1-html\.zip \(\d+(\.\d)? KB\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('charts-for-busy-analysts-v1-html.zip');
    const zip = fs.readFileSync((await download.path())!);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    // The edited words and the fixed question travelled into the export.
    const site = Object.values(unzipSync(new Uint8Array(zip))).map((bytes) => strFromU8(bytes)).join('\n');
    expect(site).toContain(addedLesson);
    expect(site).toContain('read a chart aloud');
    expect(site).toContain(fixedQuestion);
    await page.screenshot({ path: screenshotPath('journey-09-exported') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The audit log names both people for what each did.
    await page.getByRole('link', { name: 'Audit log' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.waitFor();
    const text = (await audit.textContent())!;
    expect(text).toContain('Dana Author');
    expect(text).toContain('Rui Reviewer');
  }, 120_000);
});
