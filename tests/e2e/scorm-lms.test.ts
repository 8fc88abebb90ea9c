import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScormScoMode } from '../../schemas/package.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { exportToFolder } from '../fixtures/export-folder.js';
import { accessibilityViolations, hasChromium, launchChromium, screenshotPath } from './browser.js';

/**
 * The SCORM exports run the way an LMS runs them: a host page puts scorm-again's LMS-side API on
 * window (API for 1.2, API_1484_11 for 2004), loads the package's launch file in an iframe, and a
 * learner walks the lessons and answers the quizzes. We then read what the LMS recorded.
 */
const scormAgainDir = fileURLToPath(new URL('../../node_modules/scorm-again/dist/', import.meta.url));
const pkg = samplePackage({ shape: { modules: 2, lessonsPerModule: 3 } });
const lessonIds = pkg.document.modules.flatMap((m) => m.lessons.map((l) => l.id));

type Version = 'scorm12' | 'scorm2004';

const hostPage = (version: Version, launch: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="/scorm-again/${version === 'scorm12' ? 'scorm12' : 'scorm2004'}.js"></script>
<script>
  const saved = JSON.parse(sessionStorage.getItem('cmi') || 'null');
  const Api = ${version === 'scorm12' ? 'Scorm12API' : 'Scorm2004API'};
  const api = new Api({ autocommit: false, logLevel: 5 });
  if (saved) api.loadFromFlattenedJSON(saved, '');
  window.lmsCalls = [];
  for (const method of ${JSON.stringify(version === 'scorm12' ? ['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish'] : ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate'])}) {
    const original = api[method].bind(api);
    api[method] = (...args) => {
      const result = original(...args);
      const error = String(api.${version === 'scorm12' ? 'LMSGetLastError' : 'GetLastError'}());
      window.lmsCalls.push({ method, args, result: String(result), error });
      return result;
    };
  }
  window.${version === 'scorm12' ? 'API' : 'API_1484_11'} = api;
  window.lmsApi = api;
</script></head><body><main><h1>Test LMS</h1><iframe id="sco" title="Course" src="/pkg/${launch}" style="width:1200px;height:900px"></iframe></main></body></html>`;

interface Served {
  url: string;
  close: () => Promise<void>;
}

function serve(root: string, version: Version, launch: string): Promise<Served> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.xml': 'application/xml' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/lms.html') return res.writeHead(200, { 'content-type': types['.html'] }).end(hostPage(version, launch));
    const [base, prefix] = url.pathname.startsWith('/scorm-again/') ? [scormAgainDir, '/scorm-again/'] : [root, '/pkg/'];
    const file = path.join(base, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(base) || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) })),
  );
}

async function scoFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#sco');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('section.player-lesson:not([hidden])');
  return frame;
}

const visibleLesson = (frame: Frame) => frame.locator('section.player-lesson:not([hidden])').getAttribute('data-lesson');

async function openLesson(frame: Frame, lessonId: string) {
  await frame.locator(`nav.outline a[data-target="${lessonId}"]`).click();
  await frame.waitForSelector(`section.player-lesson[data-lesson="${lessonId}"]:not([hidden])`);
}

/** Answers the visible lesson's quiz: every question right, or the first one wrong. */
async function answerQuiz(frame: Frame, lessonId: string, allRight: boolean) {
  const section = frame.locator(`section.player-lesson[data-lesson="${lessonId}"]`);
  const questions = section.locator('fieldset.question');
  const count = await questions.count();
  for (let i = 0; i < count; i++) {
    const correct = Number(await questions.nth(i).getAttribute('data-correct'));
    const pick = allRight || i > 0 ? correct : (correct + 1) % 4;
    await questions.nth(i).locator(`input[value="${pick}"]`).check();
  }
  await section.getByRole('button', { name: 'Check answers' }).click();
  await section.locator('.quiz-status').filter({ hasText: 'You scored' }).waitFor();
  return count;
}

/** Ends the attempt as a learner does: with "Save and exit", or by leaving (the LMS removes the content frame). */
async function exitAndRead(page: Page, frame: Frame, how: 'button' | 'leave') {
  if (how === 'button') {
    await frame.getByRole('button', { name: 'Save and exit' }).click();
    await frame.getByText('Your progress is saved').waitFor();
  } else {
    await page.evaluate(() => document.getElementById('sco')!.remove());
  }
  return page.evaluate(() => {
    const w = window as unknown as { lmsApi: { renderCommitCMI: (t: boolean) => unknown; getFlattenedCMI?: () => Record<string, string> }; lmsCalls: Array<{ method: string; args: unknown[]; result: string; error: string }> };
    return { cmi: (w.lmsApi.getFlattenedCMI ? w.lmsApi.getFlattenedCMI() : {}) as Record<string, string>, calls: w.lmsCalls };
  });
}

function expectConformantCalls(calls: Array<{ method: string; result: string; error: string; args: unknown[] }>, version: Version) {
  const [init, finish] = version === 'scorm12' ? ['LMSInitialize', 'LMSFinish'] : ['Initialize', 'Terminate'];
  expect(calls[0]?.method).toBe(init);
  expect(calls.filter((c) => c.method === init)).toHaveLength(1);
  expect(calls.at(-1)?.method).toBe(finish);
  expect(calls.filter((c) => c.method === finish)).toHaveLength(1);
  const failed = calls.filter((c) => !c.method.includes('GetValue') && (c.result !== 'true' || c.error !== '0'));
  expect(failed).toEqual([]);
}

describe.skipIf(!hasChromium)('SCORM packages in an LMS runtime (scorm-again)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function session(version: Version, folder: string, launch: string, saved: Record<string, string> | null, walk: (frame: Frame) => Promise<void>, shot?: string, exit: 'button' | 'leave' = 'button') {
    const served = await serve(folder, version, launch);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      if (saved) await page.addInitScript((cmi) => sessionStorage.setItem('cmi', cmi), JSON.stringify(saved));
      await page.goto(`${served.url}/lms.html`);
      const frame = await scoFrame(page);
      await walk(frame);
      if (shot) await page.screenshot({ path: screenshotPath(shot) });
      return { ...(await exitAndRead(page, frame, exit)), frame };
    } finally {
      await context.close();
      await served.close();
    }
  }

  it.each(['scorm12', 'scorm2004'] as const)('%s: records progress, bookmarks the location, resumes from suspend data, then completion and score', async (version) => {
    const folder = await exportToFolder(pkg, version);
    const v12 = version === 'scorm12';
    const el = v12
      ? { status: 'cmi.core.lesson_status', location: 'cmi.core.lesson_location', raw: 'cmi.core.score.raw', exit: 'cmi.core.exit' }
      : { status: 'cmi.completion_status', location: 'cmi.location', raw: 'cmi.score.raw', exit: 'cmi.exit' };

    // First sitting: two lessons, one quiz with a wrong answer, stop on the third lesson.
    const first = await session(version, folder, 'player/course.html', null, async (frame) => {
      expect(await visibleLesson(frame)).toBe(lessonIds[0]);
      await answerQuiz(frame, lessonIds[0]!, false);
      await openLesson(frame, lessonIds[1]!);
      await openLesson(frame, lessonIds[2]!);
    }, `40-${version}-first-sitting`);
    expectConformantCalls(first.calls, version);
    expect(first.cmi[el.location]).toBe(lessonIds[2]);
    expect(first.cmi[el.exit]).toBe('suspend');
    expect(first.cmi['cmi.suspend_data']).toMatch(/^1\|111000\|/);
    if (v12) {
      expect(first.cmi[el.status]).toBe('incomplete');
      expect(Number(first.cmi['cmi.core.score.raw'])).toBeGreaterThan(0);
      expect(first.cmi['cmi.core.score.max']).toBe('100');
    } else {
      expect(first.cmi['cmi.completion_status']).toBe('incomplete');
      expect(first.cmi['cmi.success_status']).toBe('unknown');
      expect(Number(first.cmi['cmi.score.scaled'])).toBeGreaterThan(0);
      expect(Number(first.cmi['cmi.progress_measure'])).toBeCloseTo(0.5, 3);
    }

    // Second sitting: the LMS hands back what it stored; the player resumes at the bookmark with the answers kept.
    const saved = { ...first.cmi, [v12 ? 'cmi.core.entry' : 'cmi.entry']: 'resume' };
    let questionTotal = 0;
    let wrong = 0;
    const second = await session(version, folder, 'player/course.html', saved, async (frame) => {
      expect(await visibleLesson(frame)).toBe(lessonIds[2]);
      const firstQuiz = frame.locator(`section.player-lesson[data-lesson="${lessonIds[0]}"] .quiz-status`);
      await expect.poll(() => firstQuiz.textContent()).toMatch(/You scored \d+ of \d+/);
      for (const [i, id] of lessonIds.entries()) {
        await openLesson(frame, id);
        if (i === 0) {
          questionTotal += await frame.locator(`section.player-lesson[data-lesson="${id}"] fieldset.question`).count();
          wrong = 1;
          continue;
        }
        questionTotal += await answerQuiz(frame, id, true);
      }
    }, `41-${version}-resumed`);
    expectConformantCalls(second.calls, version);
    const expectedScaled = (questionTotal - wrong) / questionTotal;
    if (v12) {
      expect(second.cmi['cmi.core.lesson_status']).toBe(expectedScaled >= 0.7 ? 'passed' : 'failed');
      expect(Number(second.cmi['cmi.core.score.raw'])).toBe(Math.round(expectedScaled * 100));
      expect(second.cmi['cmi.core.score.min']).toBe('0');
      expect(second.cmi['cmi.core.exit']).toBe('');
    } else {
      expect(second.cmi['cmi.completion_status']).toBe('completed');
      expect(second.cmi['cmi.success_status']).toBe(expectedScaled >= 0.7 ? 'passed' : 'failed');
      expect(Number(second.cmi['cmi.score.scaled'])).toBeCloseTo(expectedScaled, 3);
      expect(Number(second.cmi['cmi.score.raw'])).toBe(questionTotal - wrong);
      expect(second.cmi['cmi.exit']).toBe('normal');
    }
    expect(second.cmi[el.location]).toBe(lessonIds.at(-1));
  });

  it('scorm12: a course whose answers outgrow the 4096-character suspend data keeps every score across sittings', async () => {
    // 200 lessons with 20-question quizzes: their answers take more than SCORM 1.2 allows.
    const big = samplePackage({ shape: { modules: 4, lessonsPerModule: 50 } });
    for (const lesson of big.document.modules.flatMap((m) => m.lessons)) {
      const questions = lesson.quiz.content.questions;
      lesson.quiz.content.questions = Array.from({ length: 20 }, (_, i) => ({ ...questions[i % questions.length]!, id: `q${i + 1}` }));
    }
    delete big.sizeBytes;
    const folder = await exportToFolder(big, 'scorm12');
    const lessons = big.document.modules.flatMap((m) => m.lessons.map((l) => l.id));
    const first = await session('scorm12', folder, 'player/course.html', null, async (frame) => {
      // Every quiz answered at once in the page (clicking 4,000 options would only slow the test).
      await frame.evaluate(() => {
        for (const form of Array.from(document.querySelectorAll('form.quiz-form'))) {
          for (const fieldset of Array.from(form.querySelectorAll('fieldset.question'))) {
            (fieldset.querySelector(`input[value="${fieldset.getAttribute('data-correct')}"]`) as HTMLInputElement).checked = true;
          }
          (form as HTMLFormElement).requestSubmit();
        }
      });
    });
    expectConformantCalls(first.calls, 'scorm12');
    expect(first.cmi['cmi.suspend_data']!.startsWith('2|')).toBe(true);
    expect(first.cmi['cmi.suspend_data']!.length).toBeLessThanOrEqual(4096);
    expect(first.cmi['cmi.core.score.raw']).toBe('100');
    expect(first.cmi['cmi.core.lesson_status']).toBe('incomplete');

    const second = await session('scorm12', folder, 'player/course.html', { ...first.cmi, 'cmi.core.entry': 'resume' }, async (frame) => {
      await frame.evaluate((ids) => {
        for (const id of ids) (document.querySelector(`nav.outline a[data-target="${id}"]`) as HTMLElement).click();
      }, lessons);
      await expect.poll(() => frame.locator('#player-status').textContent()).toContain(`${lessons.length} of ${lessons.length} lessons seen; score 100%`);
    });
    expectConformantCalls(second.calls, 'scorm12');
    expect(second.cmi['cmi.core.lesson_status']).toBe('passed');
    expect(second.cmi['cmi.core.score.raw']).toBe('100');
  });

  it('the player outside any LMS says progress will not be recorded, and passes axe-core WCAG 2.1 AA on a desktop and a phone', async () => {
    const folder = await exportToFolder(pkg, 'scorm2004');
    const served = await serve(folder, 'scorm2004', 'player/course.html');
    try {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 740 }]) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await page.goto(`${served.url}/pkg/player/course.html`);
        await expect.poll(() => page.locator('#player-status').textContent()).toContain('No learning management system found');
        expect(await accessibilityViolations(page)).toEqual([]);
        await page.goto(`${served.url}/pkg/player/course.html#project-${pkg.document.modules[0]!.id}`);
        await page.locator('table.rubric').first().waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
        await context.close();
      }
    } finally {
      await served.close();
    }
  });

  it.each(['scorm12', 'scorm2004'] as const)('%s with one SCO per module: each module is launched and tracked on its own, and leaving the page still terminates', async (version) => {
    const mode: ScormScoMode = 'module';
    const folder = await exportToFolder(pkg, version, { scoMode: mode });
    const module = pkg.document.modules[1]!;
    const result = await session(version, folder, `player/${module.id}.html`, null, async (frame) => {
      expect(await frame.locator('section.player-lesson').count()).toBe(module.lessons.length);
      for (const lesson of module.lessons) {
        await openLesson(frame, lesson.id);
        await answerQuiz(frame, lesson.id, true);
      }
    }, undefined, 'leave');
    expectConformantCalls(result.calls, version);
    if (version === 'scorm12') expect(result.cmi['cmi.core.lesson_status']).toBe('passed');
    else {
      expect(result.cmi['cmi.completion_status']).toBe('completed');
      expect(result.cmi['cmi.success_status']).toBe('passed');
      expect(Number(result.cmi['cmi.score.scaled'])).toBe(1);
    }
  });
});
