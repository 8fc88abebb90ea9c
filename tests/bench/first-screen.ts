import type { Page } from 'playwright-core';
import { sampleIntent, tempDataDir } from '../helpers.js';
import { callStudio, ensureRendererBuilt, hasChromium, launchChromium, serveStudio, type ServedStudio } from '../e2e/browser.js';
import { median, type BenchRow } from './measure.js';

/**
 * A view reached by a click from the screen before it: how long from the click until the view's
 * data is on screen, and until its first call to the studio host leaves the page. Each run is a
 * fresh tab, so every visit is a first visit (nothing of the view loaded or cached yet).
 */
interface ViewVisit {
  name: string;
  /** Gets the tab to the screen the click starts from. */
  before: (page: Page) => Promise<void>;
  click: (page: Page) => Promise<void>;
  /** Appears once the view shows its data. */
  shown: string;
}

const runs = 7;

async function openCourseList(page: Page, studio: ServedStudio): Promise<void> {
  await page.goto(studio.studioUrl);
  await page.locator('[data-testid="course-list"]').waitFor();
}

async function timeVisit(studio: ServedStudio, page: Page, visit: ViewVisit): Promise<{ shownMs: number; firstCallMs: number | null }> {
  await openCourseList(page, studio);
  await visit.before(page);
  // A person reads the screen before clicking: the other screens' code has arrived in the background by then.
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  let firstCallAt: number | null = null;
  const onRequest = (request: { url: () => string }) => {
    if (firstCallAt === null && request.url().includes('/api/call/')) firstCallAt = performance.now();
  };
  page.on('request', onRequest);
  const clickedAt = performance.now();
  await visit.click(page);
  await page.locator(visit.shown).first().waitFor();
  const shownMs = performance.now() - clickedAt;
  page.off('request', onRequest);
  return { shownMs, firstCallMs: firstCallAt === null ? null : firstCallAt - clickedAt };
}

export async function benchFirstScreen(): Promise<BenchRow[]> {
  if (!hasChromium) return [{ name: 'first screen after navigation', value: Number.NaN, unit: 'ms', note: 'skipped: no Chromium at /usr/bin/chromium' }];
  await ensureRendererBuilt();
  const studio = await serveStudio(tempDataDir('bench-first-screen'));
  const browser = await launchChromium();
  try {
    const course = await callStudio<{ id: string }>(studio, 'courses.create', { intent: { ...sampleIntent, title: 'Navigation Timing for Analysts' } });
    const draft = await callStudio<{ id: string }>(studio, 'syllabus.generate', { courseId: course.id, runId: 'bench' });
    await callStudio(studio, 'syllabus.submit', { versionId: draft.id });
    const nav = (label: string) => (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
    const nothing = async () => {};
    const openCourse = (page: Page) => page.getByRole('link', { name: 'Navigation Timing for Analysts' }).first().click();
    const visits: ViewVisit[] = [
      { name: 'course workspace', before: nothing, click: openCourse, shown: '#course-heading' },
      {
        name: 'content and status',
        before: async (page) => {
          await openCourse(page);
          await page.locator('#course-heading').waitFor();
        },
        click: (page) => page.getByRole('link', { name: 'Content & status' }).click(),
        shown: '#content-heading',
      },
      { name: 'review queue', before: nothing, click: nav('Review queue'), shown: '[data-testid="review-list"]' },
      { name: 'audit log', before: nothing, click: nav('Audit log'), shown: '[data-testid="audit-table"]' },
      { name: 'settings', before: nothing, click: nav('Settings'), shown: 'h2:has-text("API key")' },
    ];
    const rows: BenchRow[] = [];
    for (const visit of visits) {
      const shown: number[] = [];
      const firstCall: number[] = [];
      for (let run = 0; run < runs; run++) {
        // A renderer rebuilt under a loading tab (another `npm run build:renderer`) loses that run; it is run again.
        for (let attempt = 1; ; attempt++) {
          const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
          try {
            const timing = await timeVisit(studio, page, visit);
            shown.push(timing.shownMs);
            if (timing.firstCallMs !== null) firstCall.push(timing.firstCallMs);
            break;
          } catch (error) {
            if (attempt === 3) throw error;
          } finally {
            await page.close();
          }
        }
      }
      rows.push({
        name: `first visit, click → data shown: ${visit.name} (median of ${runs})`,
        value: median(shown),
        unit: 'ms',
        target: '< 300 ms',
        note: `max ${Math.max(...shown).toFixed(0)} ms; click → first call ${firstCall.length ? `${median(firstCall).toFixed(0)} ms` : 'none'}`,
      });
    }
    return rows;
  } finally {
    await browser.close();
    await studio.stop();
  }
}
