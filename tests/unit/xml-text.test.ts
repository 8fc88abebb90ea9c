import { describe, expect, it } from 'vitest';
import { writeMockQuiz } from '../../core/ai/mock-content.js';
import { writeMockSyllabus } from '../../core/ai/mock-provider.js';
import type { ModelRequest } from '../../core/ai/port.js';
import { scriptedModel } from '../helpers.js';
import { generateContentItem } from '../../core/content/generate.js';
import { xmlAttr, xmlText } from '../../core/export/xml.js';
import { assertWellFormedXmlFiles, findXmlWellFormednessProblem } from '../../core/export/xml-well-formed.js';
import { generateSyllabus } from '../../core/syllabus/generate.js';
import { LearningIntent } from '../../schemas/intent.js';
import { Syllabus } from '../../schemas/syllabus.js';

/** Characters XML 1.0 forbids, and how a refused field names each. */
const forbidden: Array<[string, string]> = [
  ['\u0000', 'a NUL character (U+0000)'],
  ['\u0007', 'a control character (U+0007)'],
  ['\u000B', 'a control character (U+000B)'],
  ['\u001F', 'a control character (U+001F)'],
  ['\uFFFE', 'a noncharacter (U+FFFE)'],
  ['\uFFFF', 'a noncharacter (U+FFFF)'],
  ['\uD800', 'an unpaired surrogate (U+D800)'],
  ['\uDFFF', 'an unpaired surrogate (U+DFFF)'],
];
const legitimate = 'Tabs\there, lines\nthere\r\nand CRLF; emoji 👩🏽‍💻📊, Arabic مرحبا, Japanese こんにちは, markup <&>"\', C1 \u0085 and NBSP \u00A0 inside';

const intent = LearningIntent.parse({ title: 'Intro to SQL', audience: 'Marketing analysts', level: 'beginner', timeBudgetHours: 2, teachingStyle: 'worked examples', constraints: [] });

describe('text fields refuse characters XML cannot carry', () => {
  it.each(forbidden)('refuses %j, naming the field, the character and its position', (char, described) => {
    const parsed = LearningIntent.safeParse({ ...intent, title: `Intro${char} to SQL` });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toHaveLength(1);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['title'], message: `contains ${described} at position 5; remove it` });
  });

  it('counts the position in characters, so an emoji before the problem counts once', () => {
    const parsed = Syllabus.shape.summary.safeParse('📊📊 charts\u0007 and more text');
    expect(parsed.error!.issues[0]!.message).toBe('contains a control character (U+0007) at position 9; remove it');
  });

  it('accepts tabs, line breaks, emoji, Arabic, Japanese, markup characters and other legal controls, unchanged', () => {
    const parsed = LearningIntent.parse({ ...intent, title: legitimate, notes: legitimate, constraints: [legitimate] });
    expect(parsed.title).toBe(legitimate);
    expect(parsed.notes).toBe(legitimate);
    expect(parsed.constraints).toEqual([legitimate]);
  });
});


const repairErrors = (request: ModelRequest) => (request.task.kind === 'syllabus.repair' || request.task.kind === 'content.repair' ? request.task.errors : []);

describe('model answers holding characters XML cannot carry go back for repair, naming the field', () => {
  const syllabus = writeMockSyllabus(intent);
  const clean = JSON.stringify(syllabus);

  it('a syllabus with a bell in a lesson title is sent back, then the clean repair is accepted', async () => {
    const dirty = structuredClone(syllabus);
    dirty.modules[0]!.lessons[1]!.title = `Joins\u0007 explained`;
    const { provider, requests } = scriptedModel([JSON.stringify(dirty), clean]);
    const result = await generateSyllabus(intent, { provider });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.purpose).toBe('syllabus.repair');
    expect(repairErrors(requests[1]!)).toContain('modules.0.lessons.1.title: contains a control character (U+0007) at position 5; remove it');
    expect(result.syllabus.modules[0]!.lessons[1]!.title).toBe(syllabus.modules[0]!.lessons[1]!.title);
  });

  it('a model that keeps answering with NUL characters fails as invalid output, nothing accepted', async () => {
    const dirty = structuredClone(syllabus);
    dirty.summary = `Nul\u0000 in the summary of this course`;
    const { provider } = scriptedModel([JSON.stringify(dirty), JSON.stringify(dirty), JSON.stringify(dirty)]);
    await expect(generateSyllabus(intent, { provider, maxRepairs: 2 })).rejects.toMatchObject({ code: 'MODEL_OUTPUT_INVALID', message: expect.stringContaining('summary: contains a NUL character (U+0000)') });
  });

  it('a quiz question holding U+FFFF is sent back naming the question field', async () => {
    const target = { syllabus, syllabusVersionId: 'syl_1', targetId: syllabus.modules[0]!.lessons[0]!.id };
    const quiz = writeMockQuiz({ contentKind: 'quiz', ...target });
    const dirty = structuredClone(quiz);
    dirty.questions[2]!.options[1] = `Option \uFFFF two`;
    const { provider, requests } = scriptedModel([JSON.stringify(dirty), JSON.stringify(quiz)]);
    const result = await generateContentItem('quiz', target, { provider });
    expect(requests).toHaveLength(2);
    expect(repairErrors(requests[1]!)).toContain('questions.2.options.1: contains a noncharacter (U+FFFF) at position 7; remove it');
    expect(result.content.questions[2]!.options[1]).toBe(quiz.questions[2]!.options[1]);
  });
});

describe('XML escaping', () => {
  it.each(forbidden)('drops %j from element text and attribute values', (char) => {
    expect(xmlText(`a${char}b`)).toBe('ab');
    expect(xmlAttr(`a${char}b`)).toBe('ab');
  });

  it('escapes markup and keeps everything else; attributes keep tabs and line breaks as references', () => {
    expect(xmlText('x < y && "q" \'s\' 📊 مرحبا データ\ttab\nline')).toBe('x &lt; y &amp;&amp; &quot;q&quot; &#39;s&#39; 📊 مرحبا データ\ttab\nline');
    expect(xmlText('crlf\r\n')).toBe('crlf&#13;\n');
    expect(xmlAttr('a\tb\nc\r\nd <&>')).toBe('a&#9;b&#10;c&#13;&#10;d &lt;&amp;&gt;');
  });
});

describe('XML well-formedness check', () => {
  it('accepts a well-formed document with namespaces, references and any script', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<m:a xmlns:m="urn:x" t="&#9;&amp;"><m:b>データ &lt; 📊\tمرحبا</m:b></m:a>\n';
    expect(await findXmlWellFormednessProblem(xml)).toBeUndefined();
    await expect(assertWellFormedXmlFiles([{ path: 'imsmanifest.xml', data: xml }])).resolves.toBeUndefined();
  });

  it.each([
    ['a control character', '<a>\n<b>bell \u0007</b>\n</a>', 2],
    ['a bare ampersand', '<a>\n\n<b>R&D</b></a>', 3],
    ['an unbound namespace prefix', '<a>\n<adlcp:x/>\n</a>', 2],
    ['a tag left open', '<a>\n<b>\n</a>', 3],
  ])('refuses %s, naming the file and line; files that are not XML are not read', async (_label, xml, line) => {
    const files = [
      { path: 'assets/course.js', data: 'if (a < b && c) {}' },
      { path: 'quizzes/l-1/assessment.xml', data: xml },
    ];
    const failure = await assertWellFormedXmlFiles(files).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'INTERNAL', details: { file: 'quizzes/l-1/assessment.xml', line } });
    expect((failure as Error).message).toContain(`quizzes/l-1/assessment.xml, which is not well-formed XML (line ${line},`);
  });

  it('refuses an XML file given as bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<a>caf'), 0xe9, ...new TextEncoder().encode('</a>')]);
    await expect(assertWellFormedXmlFiles([{ path: 'imsmanifest.xml', data: bytes }])).rejects.toMatchObject({ code: 'INTERNAL', details: { file: 'imsmanifest.xml' } });
  });
});
