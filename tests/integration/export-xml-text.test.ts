import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { ExportablePackage } from '../../core/export/types.js';
import { exportToFolder } from '../fixtures/export-folder.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { hasTool, scormWrapperSchema, standardsDir, xmllintValidate } from '../export-tools.js';
import { tempDataDir } from '../helpers.js';

/**
 * What text does to the XML of LMS packages. A package frozen before text fields refused control
 * characters (built here by writing them straight into the document, past the schemas, as an old
 * package would hold them) must still export manifests and QTI files that xmllint accepts; and
 * legitimate text (tabs, line breaks, emoji, Arabic, Japanese, markup characters) must come out
 * of a real XML parser exactly as it went in.
 */

const standards = standardsDir();
const hasXmllint = hasTool('xmllint');
const canValidate = Boolean(standards) && hasXmllint;
const noXmllint = 'needs xmllint (libxml2-utils)';
const noSchemas = 'needs xmllint and ../shared/standards beside the checkout';

/** The text fields that reach the manifests and QTI files, set directly in the frozen document. */
interface PackageText {
  courseTitle: string;
  courseSummary: string;
  moduleTitle: string;
  lessonTitle: string;
  quizTitle: string;
  questionPrompt: string;
  option: string;
  explanation: string;
  projectTitle: string;
}

function withText(base: ExportablePackage, text: PackageText): ExportablePackage {
  const pkg = structuredClone(base);
  const doc = pkg.document;
  const module = doc.modules[0]!;
  const lesson = module.lessons[0]!;
  const question = lesson.quiz.content.questions[0]!;
  doc.course.title = text.courseTitle;
  doc.course.summary = text.courseSummary;
  module.title = text.moduleTitle;
  lesson.lesson.content.title = text.lessonTitle;
  lesson.quiz.content.title = text.quizTitle;
  question.prompt = text.questionPrompt;
  question.options[0] = text.option;
  question.explanation = text.explanation;
  if (!module.project) throw new Error('the sample package is expected to give its first module a project');
  module.project.content.title = text.projectTitle;
  return pkg;
}

const legitimate: PackageText = {
  courseTitle: 'Daten & <Visualisierung> "Kurs" l\'été 📊 تصور البيانات データ可視化',
  courseSummary: 'First line\nsecond line\twith a tab\r\nand a Windows line break.\n\nEmoji 👩🏽‍💻, Arabic مرحبا بالعالم, Japanese こんにちは、世界, markup <&>"\'.',
  moduleTitle: 'Tabs\there & <there> 🚀',
  lessonTitle: 'Lesson with a "quote" and an apostrophe\'s mark 日本語',
  quizTitle: 'Quiz\ttitle\nover two lines <&> "attribute" \'value\' العربية',
  questionPrompt: 'Which is right?\n\tIndented line with <b>not bold</b> & an ampersand 🤔',
  option: 'x < y && y > "z" (\'ok\') 答え',
  explanation: 'Because\nit is.\tTab.\r\nCRLF. مثال',
  projectTitle: 'Project: build <it> & ship it 🛠️',
};

/** Characters XML 1.0 forbids, each written into the text: C0 controls, NUL, noncharacters, unpaired surrogates. */
const forbidden = ['\u0007', '\u0000', '\u001B', '\u000B', '\u000C', '\uFFFE', '\uFFFF', '\uD800', '\uDC00'];
const dirtied = (text: string, seed: number) =>
  [...text].map((char, i) => (i % 3 === 0 ? `${forbidden[(i + seed) % forbidden.length]}${char}` : char)).join('') + forbidden[seed % forbidden.length]!;
const dirty = Object.fromEntries(Object.entries(legitimate).map(([key, value], i) => [key, dirtied(value, i)])) as unknown as PackageText;

/** Every element's text and every attribute value, as a conforming XML parser reads them. */
function parsedStrings(file: string): { texts: string[]; attributes: string[] } {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  const attributes: string[] = [];
  const open: string[] = [];
  parser.on('opentag', (tag) => {
    for (const attribute of Object.values(tag.attributes)) attributes.push(typeof attribute === 'string' ? attribute : attribute.value);
    open.push('');
  });
  parser.on('text', (text) => {
    if (open.length) open[open.length - 1] += text;
  });
  parser.on('closetag', () => texts.push(open.pop()!));
  parser.write(fs.readFileSync(file, 'utf8')).close();
  return { texts, attributes };
}

function xmlFiles(folder: string): string[] {
  const quizzes = path.join(folder, 'quizzes');
  const assessments = fs.existsSync(quizzes) ? fs.readdirSync(quizzes).map((d) => path.join(quizzes, d, 'assessment.xml')) : [];
  return [path.join(folder, 'imsmanifest.xml'), ...assessments];
}

/** Where each field must appear, read back through a parser, in each kind of package. */
function expectTextRoundTrips(folder: string, format: 'scorm12' | 'scorm2004' | 'imscc', scoPerModule: boolean, pkg: ExportablePackage, text: PackageText) {
  const manifest = parsedStrings(path.join(folder, 'imsmanifest.xml'));
  expect(manifest.texts).toContain(text.courseTitle);
  if (format === 'imscc') {
    expect(manifest.texts).toContain(text.courseSummary);
    expect(manifest.texts).toContain(`Module 1: ${text.moduleTitle}`);
    expect(manifest.texts).toContain(text.lessonTitle);
    expect(manifest.texts).toContain(text.quizTitle);
    expect(manifest.texts).toContain(text.projectTitle);
    const qti = parsedStrings(path.join(folder, 'quizzes', pkg.document.modules[0]!.lessons[0]!.id, 'assessment.xml'));
    expect(qti.attributes).toContain(text.quizTitle);
    expect(qti.texts).toContain(text.questionPrompt);
    expect(qti.texts).toContain(text.option);
    expect(qti.texts).toContain(text.explanation);
  } else if (scoPerModule) {
    expect(manifest.texts).toContain(`Module 1: ${text.moduleTitle}`);
  }
}

const cases = [
  { format: 'scorm12', options: { scoMode: 'module' } },
  { format: 'scorm2004', options: { scoMode: 'course' } },
  { format: 'imscc', options: {} },
] as const;

describe('text in SCORM and Common Cartridge XML', () => {
  const base = samplePackage({ shape: { modules: 2, lessonsPerModule: 2 } });

  describe('a package holding control characters, from before text fields refused them', () => {
    const pkg = withText(base, dirty);

    it.for(cases)('$format: the manifest and every QTI file are well-formed for xmllint', async ({ format, options }, { skip }) => {
        skip(!hasXmllint, noXmllint);
        const folder = await exportToFolder(pkg, format, options);
        const files = xmlFiles(folder);
        expect(files.length).toBe(format === 'imscc' ? 5 : 1);
        for (const file of files) {
          const run = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
          expect(run.stderr, `${path.relative(folder, file)} is well-formed`).toBe('');
          expect(run.status).toBe(0);
        }
      });

    it.for(cases)('$format: the manifest and every QTI file still validate against the official schemas', async ({ format, options }, { skip }) => {
        skip(!canValidate, noSchemas);
        const folder = await exportToFolder(pkg, format, options);
        if (format === 'imscc') {
          const manifest = xmllintValidate(path.join(folder, 'imsmanifest.xml'), path.join(standards!, 'imscc11', 'validate-manifest.xsd'));
          expect(manifest.ok, manifest.output).toBe(true);
          for (const file of xmlFiles(folder).slice(1)) {
            const qti = xmllintValidate(file, path.join(standards!, 'imscc11', 'ccv1p1_qtiasiv1p2p1_v1p0.xsd'));
            expect(qti.ok, qti.output).toBe(true);
          }
        } else {
          const manifest = xmllintValidate(path.join(folder, 'imsmanifest.xml'), scormWrapperSchema(format, standards!, tempDataDir('cw-xsd')));
          expect(manifest.ok, manifest.output).toBe(true);
        }
      });

    it.for(cases)('$format: the forbidden characters are dropped and the rest of the text is kept', async ({ format, options }) => {
      const folder = await exportToFolder(pkg, format, options);
      expectTextRoundTrips(folder, format, 'scoMode' in options && options.scoMode === 'module', pkg, legitimate);
      const pages = fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html') || f.endsWith('.xml'));
      for (const page of pages) {
        const content = fs.readFileSync(path.join(folder, page), 'utf8');
        expect(content, `${page} holds no forbidden character`).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      }
    });
  });

  describe('legitimate text', () => {
    const pkg = withText(base, legitimate);

    it.for(cases)('$format: tabs, line breaks, emoji, Arabic, Japanese and <&>"\' read back exactly', async ({ format, options }) => {
      const folder = await exportToFolder(pkg, format, options);
      expectTextRoundTrips(folder, format, 'scoMode' in options && options.scoMode === 'module', pkg, legitimate);
    });

    it('imscc: the manifest and every QTI file validate against the official schemas', async ({ skip }) => {
      skip(!canValidate, noSchemas);
      const folder = await exportToFolder(pkg, 'imscc');
      const manifest = xmllintValidate(path.join(folder, 'imsmanifest.xml'), path.join(standards!, 'imscc11', 'validate-manifest.xsd'));
      expect(manifest.ok, manifest.output).toBe(true);
      for (const file of xmlFiles(folder).slice(1)) {
        const qti = xmllintValidate(file, path.join(standards!, 'imscc11', 'ccv1p1_qtiasiv1p2p1_v1p0.xsd'));
        expect(qti.ok, qti.output).toBe(true);
      }
    });
  });
});
