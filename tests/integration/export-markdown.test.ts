import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPackage } from '../../core/export/index.js';
import type { ExportablePackage } from '../../core/export/types.js';
import { exportHost } from '../../host/export-assets.js';
import { hasTool, unzipToTemp } from '../export-tools.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { tempDataDir } from '../helpers.js';

/** A package whose first lesson was written in Markdown, as the content editor stores it. */
function markdownPackage(): ExportablePackage {
  const pkg = structuredClone(samplePackage({ shape: { modules: 1, lessonsPerModule: 2 } }));
  const lesson = pkg.document.modules[0]!.lessons[0]!;
  lesson.lesson.content.explanation.overview = 'Retries are **bold** moves: each one adds load.\n\n- back off *exponentially*\n- cap the attempts with `maxRetries`\n\n[Read more](javascript:alert(1)) or <script>alert(1)</script>';
  lesson.quiz.content.questions[0]!.prompt = 'Which setting limits **retries**?';
  return pkg;
}

const hasUnzip = hasTool('unzip');

describe('Markdown prose in learner exports', () => {
  const pkg = markdownPackage();

  it.skipIf(!hasUnzip)('the static website shows **bold** as <strong>, lists as lists, and neither the script nor the javascript: link', async () => {
    const folder = unzipToTemp((await exportPackage(pkg, { format: 'html' }, exportHost())).bytes);
    const lessonId = pkg.document.modules[0]!.lessons[0]!.id;
    const html = fs.readFileSync(path.join(folder, 'lessons', `${lessonId}.html`), 'utf8');
    expect(html).toContain('Retries are <strong>bold</strong> moves');
    expect(html).toContain('<li>back off <em>exponentially</em></li>');
    expect(html).toContain('<code>maxRetries</code>');
    expect(html).toContain('Which setting limits <strong>retries</strong>?');
    expect(html).not.toContain('**');
    // The refused link stays readable as text, never as a link.
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('[Read more](javascript:alert(1))');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.skipIf(!hasUnzip)('SCORM players and Common Cartridge pages render the same Markdown', async () => {
    for (const format of ['scorm12', 'scorm2004', 'imscc'] as const) {
      const folder = unzipToTemp((await exportPackage(pkg, { format }, exportHost())).bytes);
      const pages = format === 'imscc' ? [path.join(folder, 'lessons', `${pkg.document.modules[0]!.lessons[0]!.id}.html`)] : [path.join(folder, 'player', 'course.html')];
      const html = fs.readFileSync(pages[0]!, 'utf8');
      expect(html, format).toContain('Retries are <strong>bold</strong> moves');
      expect(html, format).not.toContain('**bold**');
    }
  });

  it('exports of the same Markdown package are byte-identical', async () => {
    const host = exportHost();
    for (const format of ['html', 'scorm2004'] as const) {
      const first = (await exportPackage(pkg, { format }, host)).bytes;
      const second = (await exportPackage(structuredClone(pkg), { format }, host)).bytes;
      expect(Buffer.compare(Buffer.from(first), Buffer.from(second)), format).toBe(0);
    }
  });

  it.skipIf(!hasTool('pdftotext'))('the PDF prints "bold" without asterisks, list items with bullets, and no raw markup', async () => {
    const file = path.join(tempDataDir('cw-md-pdf'), 'course.pdf');
    fs.writeFileSync(file, (await exportPackage(pkg, { format: 'pdf' }, exportHost())).bytes);
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    expect(text).toContain('Retries are bold moves');
    expect(text).toMatch(/• back off exponentially/);
    expect(text).toMatch(/• cap the attempts with maxRetries/);
    expect(text).toContain('Which setting limits retries?');
    expect(text).not.toContain('**');
    expect(text).not.toContain('`');
  });
});
