import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportPackage } from '../../core/export/index.js';
import { exportHost } from '../../host/export-assets.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { hasTool } from '../export-tools.js';
import { tempDataDir } from '../helpers.js';

const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** The PDF as tools we did not write see it: qpdf checks the structure, poppler extracts text and reads the document info. */
const tools = hasTool('qpdf') && hasTool('pdftotext') && hasTool('pdfinfo');

async function pdfOf(pkg: ReturnType<typeof samplePackage>) {
  const file = path.join(tempDataDir('cw-pdf'), 'course.pdf');
  fs.writeFileSync(file, (await exportPackage(pkg, { format: 'pdf' }, exportHost())).bytes);
  return file;
}
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('PDF export', () => {
  const pkg = samplePackage({ shape: { modules: 3, lessonsPerModule: 3 } });
  beforeEach(({ skip }) => skip(!tools, 'needs qpdf and poppler-utils (pdftotext, pdfinfo)'));

  it('passes qpdf --check; is tagged, titled, in the course language; has every lesson, the answer key, rubrics, contents and bookmarks', async () => {
    const file = await pdfOf(pkg);
    const check = run('qpdf', ['--check', file]);
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
    expect(check.status).toBe(0);

    const info = run('pdfinfo', [file]).stdout;
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toContain(`Title:           ${pkg.document.course.title}`);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const lessons = pkg.document.modules.flatMap((m) => m.lessons);
    expect(pages).toBeGreaterThanOrEqual(lessons.length);
    expect(pages).toBeLessThanOrEqual(lessons.length * 10);

    const text = run('pdftotext', ['-layout', file, '-']).stdout;
    for (const lesson of lessons) expect(text).toContain(lesson.lesson.content.title);
    expect(text).toContain('Contents');
    expect(text).toContain('Answer key');
    expect(text).toContain(pkg.document.modules[0]!.project!.content.rubric.criteria[0]!.title);
    // The contents give each lesson's page; the page really starts with that lesson.
    const firstLesson = lessons[0]!.lesson.content.title;
    const tocLine = text.split('\n').find((line) => line.includes(firstLesson) && /\d+\s*$/.test(line))!;
    const page = Number(/(\d+)\s*$/.exec(tocLine)![1]);
    expect(run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']).stdout).toContain(firstLesson);

    const catalog = run('qpdf', ['--json', '--json-key=qpdf', file]).stdout;
    expect(catalog).toContain('/Outlines');
    expect(catalog).toContain('/StructTreeRoot');
    expect(catalog).toMatch(/"\/Lang": "u:en"/);
    // Pages as a reader sees them, for looking at: cover, contents, first lesson.
    run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '3', file, path.join(artifactsDir, '30-pdf-page')]);
  });

  it.each([
    ['ja', 'データ可視化入門コース：分析者のための実践'],
    ['ar', 'مقدمة في تصور البيانات للمحللين'],
  ])('renders a %s title with an embedded font that has its script', async (language, title) => {
    const file = await pdfOf(samplePackage({ intent: { title, language }, shape: { modules: 1, lessonsPerModule: 2 } }));
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const text = run('pdftotext', ['-f', '1', '-l', '1', file, '-']).stdout.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, '');
    expect(text).toContain(title.replace(/\s+/g, ''));
    const fonts = run('pdffonts', [file]).stdout;
    expect(fonts).toContain(language === 'ja' ? 'NotoSansJP' : 'NotoSansArabic');
    run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(artifactsDir, `31-pdf-cover-${language}`)]);
    // Every font embedded, subset and with a Unicode map, so the text can be searched and read aloud.
    const fontLines = fonts.trim().split('\n').slice(2);
    expect(fontLines.length).toBeGreaterThan(0);
    for (const line of fontLines) expect(line).toMatch(/\byes yes yes\b/);
  });
});
