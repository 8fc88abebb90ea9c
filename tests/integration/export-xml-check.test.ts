import { describe, expect, it, vi } from 'vitest';
import { exportPackage } from '../../core/export/index.js';
import type { ExportablePackage } from '../../core/export/types.js';
import { exportHost } from '../../host/export-assets.js';
import { samplePackage } from '../fixtures/sample-package.js';

/**
 * Every SCORM and Common Cartridge export parses its own XML before it reports success. To see
 * that check at work, the element-text escaper is replaced by one that escapes nothing (a writer
 * bug): the export must then fail naming the broken file and line, never hand back a package.
 */
vi.mock('../../core/export/xml.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../core/export/xml.js')>()),
  xmlText: (value: string | number) => String(value),
}));

const base = samplePackage({ shape: { modules: 2, lessonsPerModule: 2 } });

function withCourseTitle(title: string): ExportablePackage {
  const pkg = structuredClone(base);
  pkg.document.course.title = title;
  return pkg;
}

function withQuestionPrompt(prompt: string): ExportablePackage {
  const pkg = structuredClone(base);
  pkg.document.modules[1]!.lessons[0]!.quiz.content.questions[0]!.prompt = prompt;
  return pkg;
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string; details?: { file: string; line: number } },
  );

describe('exports check their own XML before reporting success', () => {
  it.each(['scorm12', 'scorm2004', 'imscc'] as const)('%s: a manifest a writer left unescaped fails the export, naming imsmanifest.xml and the line', async (format) => {
    const failure = await failureOf(exportPackage(withCourseTitle('Research & Development <basics>'), { format }, exportHost()));
    expect(failure).toMatchObject({ code: 'INTERNAL', details: { file: 'imsmanifest.xml', line: expect.any(Number) } });
    expect(failure!.message).toContain(`imsmanifest.xml, which is not well-formed XML (line ${failure!.details!.line},`);
  });

  it('imscc: a QTI assessment a writer left unescaped fails the export, naming that file', async () => {
    const pkg = withQuestionPrompt('Which is larger: a < b or b & c?');
    const lessonId = pkg.document.modules[1]!.lessons[0]!.id;
    const failure = await failureOf(exportPackage(pkg, { format: 'imscc' }, exportHost()));
    expect(failure).toMatchObject({ code: 'INTERNAL', details: { file: `quizzes/${lessonId}/assessment.xml` } });
  });

  it('the same exports succeed when the text needs no escaping', async () => {
    for (const format of ['scorm12', 'scorm2004', 'imscc'] as const) {
      const file = await exportPackage(withCourseTitle('Research and Development basics'), { format }, exportHost());
      expect(file.bytes.length).toBeGreaterThan(1000);
    }
  });
});
