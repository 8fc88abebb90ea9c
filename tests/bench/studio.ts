import { tempDataDir } from '../helpers.js';
import { ensureRendererBuilt, hasChromium, launchChromium, seedLargeSyllabus, serveStudio } from '../e2e/browser.js';
import { median, type BenchRow } from './measure.js';

/** Served studio: start-up to first interactive screen, opening a 40 × 12 syllabus, one HTTP round trip. */
export async function benchStudio(): Promise<BenchRow[]> {
  if (!hasChromium) return [{ name: 'served studio benchmarks', value: 0, unit: 'ms', note: 'skipped: no /usr/bin/chromium' }];
  await ensureRendererBuilt();
  const dataDir = tempDataDir('bench-studio');
  const course = { id: (await seedLargeSyllabus(dataDir)).courseId };

  const browser = await launchChromium();
  try {
    const startups: number[] = [];
    const serverReady: number[] = [];
    for (let run = 0; run < 5; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const started = performance.now();
      const studio = await serveStudio(dataDir);
      serverReady.push(performance.now() - started);
      await page.goto(studio.studioUrl);
      await page.getByTestId('course-list').waitFor();
      startups.push(performance.now() - started);
      await page.close();
      await studio.stop();
    }

    const studio = await serveStudio(dataDir);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(studio.studioUrl);
      await page.getByTestId('course-list').waitFor();
      const opens: number[] = [];
      for (let run = 0; run < 7; run++) {
        await page.evaluate(() => (location.hash = '#/courses'));
        await page.getByTestId('course-list').waitFor();
        const started = performance.now();
        await page.evaluate((id) => (location.hash = `#/course/${id}`), course.id);
        await page.locator('.outline-row.lesson').first().waitFor();
        opens.push(performance.now() - started);
      }
      const domRows = await page.locator('.outline-row').count();

      const token = new URL(studio.studioUrl).hash.replace('#token=', '');
      const trips: number[] = [];
      for (let i = 0; i < 220; i++) {
        const started = performance.now();
        const response = await fetch(`${studio.url}api/call/courses.list`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
        await response.json();
        if (i >= 20) trips.push(performance.now() - started);
      }
      return [
        { name: 'served studio: process start → first interactive screen (median of 5)', value: median(startups), unit: 'ms', target: '< 1500 ms', note: `server listening after ${median(serverReady).toFixed(0)} ms` },
        { name: 'open a 40×12 syllabus in the workspace (median of 7)', value: median(opens), unit: 'ms', target: '< 500 ms', note: `${domRows} of 520 outline rows in the DOM` },
        { name: 'typed call round trip over HTTP (courses.list, median of 200)', value: median(trips), unit: 'ms' },
      ];
    } finally {
      await studio.stop();
    }
  } finally {
    await browser.close();
  }
}
