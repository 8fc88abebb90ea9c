import '../../host/native-hash.js';
import { exportPackage } from '../../core/export/index.js';
import { courseCss } from '../../core/export/html/assets.js';
import { lessonArticle, page, projectSection, quizSection } from '../../core/export/html/render.js';
import type { ExportablePackage } from '../../core/export/types.js';
import { exportHost } from '../../host/export-assets.js';
import { hasChromium, launchChromium } from '../e2e/browser.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { median, timeRuns, type BenchRow } from './measure.js';

/**
 * The reference for the PDF exporter: the same course rendered by the HTML exporter's own
 * fragments into one print document (one lesson per page, quizzes and projects included), which
 * Chromium lays out and prints in a single pass — the most favourable way to print the HTML export.
 */
function printDocument(pkg: ExportablePackage): string {
  const main = pkg.document.modules
    .map(
      (m) =>
        m.lessons.map((l) => `<div style="break-before:page">${lessonArticle(l.lesson.content, 2)}${quizSection(l.quiz.content, l.id, 2)}</div>`).join('\n') +
        (m.project ? `<div style="break-before:page">${projectSection(m.project.content, 2)}</div>` : ''),
    )
    .join('\n');
  const course = pkg.document.course;
  return page({ language: course.language, title: course.title, root: '', courseTitle: course.title, homeHref: '#main', main }).replace('<link rel="stylesheet" href="assets/course.css">', `<style>${courseCss}</style>`);
}

export async function benchPdfVsChromium(): Promise<BenchRow[]> {
  const pkg = samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } });
  const host = exportHost();
  const pdfTimes = await timeRuns(3, () => exportPackage(pkg, { format: 'pdf' }, host), 1);
  if (!hasChromium) return [{ name: 'PDF export, 40×12', value: median(pdfTimes), unit: 'ms', note: 'no Chromium here: the comparison was skipped' }];
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const html = printDocument(pkg);
    const chromiumTimes = await timeRuns(
      2,
      async () => {
        await tab.setContent(html, { waitUntil: 'load' });
        await tab.pdf({ format: 'A4', printBackground: true, outline: true, tagged: true });
      },
      0,
    );
    const ratio = median(pdfTimes) / median(chromiumTimes);
    return [
      {
        name: 'PDF export (pdfkit) vs Chromium printing the same course, 40×12',
        value: ratio,
        unit: '×',
        target: '≤ 0.5 ×',
        note: `pdfkit ${median(pdfTimes).toFixed(0)} ms vs Chromium ${median(chromiumTimes).toFixed(0)} ms (one print document, one pass)`,
      },
    ];
  } finally {
    await browser.close();
  }
}
