import { describe, expect, it } from 'vitest';
import { writeMockLesson, writeMockQuiz } from '../../../core/ai/mock-content.js';
import { writeMockSyllabus } from '../../../core/ai/mock-provider.js';
import { parseModelJson } from '../../../core/ai/parse-model-json.js';
import { LearningIntent } from '../../../schemas/intent.js';

const intent = LearningIntent.parse({ title: 'Intro to SQL', audience: 'Analysts', level: 'beginner', timeBudgetHours: 6, teachingStyle: 'worked examples', constraints: [] });
const syllabus = writeMockSyllabus(intent);
const lessonId = syllabus.modules[0]!.lessons[0]!.id;
const request = { syllabus, syllabusVersionId: 'syl_1', targetId: lessonId };
const answers = {
  syllabus: JSON.stringify(syllabus),
  quiz: JSON.stringify({ ...writeMockQuiz({ contentKind: 'quiz', ...request }), questions: Array.from({ length: 6 }, (_, i) => ({ id: `q${i + 1}`, prompt: `Question ${i + 1} {with braces} [and brackets]?`, options: ['a', 'b', 'c', 'd'], correctIndex: 0 })) }),
  lesson: JSON.stringify(writeMockLesson({ contentKind: 'lesson', ...request }), null, 2),
};

describe('an answer cut off mid-way is refused, never completed', () => {
  it.each(Object.entries(answers))('a %s cut at any of 40 points (compact, pretty, fenced, after prose) is refused as truncated', (_kind, whole) => {
    expect(parseModelJson(whole)).toMatchObject({ ok: true });
    for (let step = 1; step < 40; step++) {
      const cut = whole.slice(0, Math.floor((whole.length * step) / 40));
      for (const raw of [cut, `Here is the JSON you asked for:\n\`\`\`json\n${cut}`, `Sure! ${cut}`]) {
        const parsed = parseModelJson(raw);
        expect(parsed, `cut at ${cut.length} of ${whole.length}`).toMatchObject({ ok: false, truncated: true });
        if (!parsed.ok) expect(parsed.error).toContain('cut off');
      }
    }
  });

  it('refuses half a syllabus whose last brace closes a lesson (what used to be saved with half the modules)', () => {
    const half = answers.syllabus.slice(0, answers.syllabus.lastIndexOf('}', answers.syllabus.length / 2) + 1);
    expect(half.endsWith('}')).toBe(true);
    const parsed = parseModelJson(`${half}\n\nLet me know if you want more modules.`);
    expect(parsed).toMatchObject({ ok: false, truncated: true });
    if (!parsed.ok) expect(parsed.error).toMatch(/\d+ brackets? still open/);
  });

  it('names an answer that stops inside a string', () => {
    expect(parseModelJson('{"title": "Intro to SQL", "summary": "Query rel')).toMatchObject({ ok: false, truncated: true, error: expect.stringContaining('inside a string') });
    expect(parseModelJson('{"title": "Intro", // the modules follow')).toMatchObject({ ok: false, truncated: true });
  });

  it('counts only structural brackets: braces inside strings, comments and single-quoted strings do not hide or fake a cut', () => {
    expect(parseModelJson('{"title": "Sets {a, b} and lists [1, 2", "n": 1}')).toEqual({ ok: true, value: { title: 'Sets {a, b} and lists [1, 2', n: 1 }, repaired: false });
    expect(parseModelJson('{"q": "a \\"quoted\\" { brace", "n": 2}')).toMatchObject({ ok: true, value: { q: 'a "quoted" { brace', n: 2 } });
    expect(parseModelJson("{'title': 'a { in single quotes', 'n': 3}")).toMatchObject({ ok: true, value: { title: 'a { in single quotes', n: 3 } });
    expect(parseModelJson('{"a": 1 /* { not a bracket */, "b": 2}')).toMatchObject({ ok: true, value: { a: 1, b: 2 } });
    expect(parseModelJson('{"title": "cut here }"')).toMatchObject({ ok: false, truncated: true });
    expect(parseModelJson('{"title": "Sets {a, b} and')).toMatchObject({ ok: false, truncated: true });
  });
});

describe('what a repair may still fix', () => {
  it.each([
    ['a code fence with prose around it', 'Here you go!\n```json\n{"a": [1, 2]}\n```\nAnything else?', { a: [1, 2] }],
    ['prose before and after, no fence', 'Sure. {"a": 1} Hope this helps {really}.', { a: 1 }],
    ['trailing commas', '{"a": [1, 2,], "b": {"c": 3,},}', { a: [1, 2], b: { c: 3 } }],
    ['line and block comments', '{\n  // the count\n  "a": 1, /* and the rest */ "b": 2\n}', { a: 1, b: 2 }],
    ['single quotes', "{'title': 'SQL basics', 'tags': ['select', 'where']}", { title: 'SQL basics', tags: ['select', 'where'] }],
    ['a fenced answer whose string holds a code fence', '```json\n{"example": "```sql\\nSELECT 1;\\n```", "n": 1}\n```', { example: '```sql\nSELECT 1;\n```', n: 1 }],
  ])('%s', (_label, raw, value) => {
    expect(parseModelJson(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it('does not mistake an apostrophe inside a single-quoted string for a cut-off answer', () => {
    expect(parseModelJson("{'title': 'Analyst's toolkit', 'n': 1}")).toMatchObject({ ok: true, value: { title: expect.stringContaining('toolkit'), n: 1 } });
  });

  it('takes clean JSON as it is and still refuses what is not an object', () => {
    expect(parseModelJson(answers.syllabus)).toEqual({ ok: true, value: JSON.parse(answers.syllabus), repaired: false });
    expect(parseModelJson('[1, 2]')).toMatchObject({ ok: false, truncated: false });
    expect(parseModelJson('no json here')).toEqual({ ok: false, error: 'no JSON object found in the model output', truncated: false });
  });
});
