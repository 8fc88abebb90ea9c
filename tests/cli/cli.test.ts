import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli');
});

async function createCourseAndDraft() {
  const intent = writeJson(dir, 'intent.json', sampleIntent);
  const created = await cw('course', 'create', '--intent', intent, '--json');
  expect(created.code, created.stderr).toBe(0);
  const courseId = created.json().id as string;
  const generated = await cw('syllabus', 'generate', courseId, '--json');
  expect(generated.code, generated.stderr).toBe(0);
  return { courseId, draft: generated.json() };
}

describe('coursewright CLI (real processes, real database files)', () => {
  it('takes a course from intent to an approved syllabus, and approved stays immutable', async () => {
    const { courseId, draft } = await createCourseAndDraft();
    expect(Object.keys(draft)).toEqual(expect.arrayContaining(['id', 'courseId', 'version', 'status', 'syllabus', 'metadata', 'warnings']));
    expect(draft.courseId).toBe(courseId);
    expect(draft.status).toBe('DRAFT');

    const list = await cw('syllabus', 'list', courseId);
    expect(list.stdout).toContain(draft.id);
    expect(list.stdout).toContain('DRAFT');

    expect((await cw('syllabus', 'submit', draft.id)).code).toBe(0);
    const approved = await cw('syllabus', 'approve', draft.id, '--by', 'Rui Costa', '--note', 'Clear and feasible', '--json');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json().review).toMatchObject({ decidedBy: 'Rui Costa', note: 'Clear and feasible' });
    expect(approved.json().review.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const file = writeJson(dir, 'edit.json', draft.syllabus);
    const edit = await cw('syllabus', 'edit', draft.id, '--file', file);
    expect(edit.code).toBe(5);
    expect(edit.stderr).toContain('immutable');
    expect(edit.stderr).toContain(`syllabus revise ${draft.id}`);

    const audit = await cw('audit', draft.id, '--json');
    const actions = audit.json().map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['syllabus.generated', 'syllabus.submitted', 'syllabus.approved']));
    const human = await cw('audit', draft.id);
    expect(human.stdout).toContain('Rui Costa');
  });

  it('show --json output round-trips through edit, and diff names the change', async () => {
    const { draft } = await createCourseAndDraft();
    const shown = (await cw('syllabus', 'show', draft.id, '--json')).json();
    shown.syllabus.modules[0].title = 'Getting set up without any programming background';
    const file = writeJson(dir, 'shown.json', shown);
    const edit = await cw('syllabus', 'edit', draft.id, '--file', file, '--json');
    expect(edit.code, edit.stderr).toBe(0);
    const v2 = edit.json();
    expect(v2.version).toBe(2);
    const diff = await cw('syllabus', 'diff', draft.id, v2.id);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(`~ module ${draft.syllabus.modules[0].id} title`);
    expect(diff.stdout).toContain('Getting set up without any programming background');
  });

  it('a schema-breaking intent names the field, exits 3 and creates nothing', async () => {
    const bad = writeJson(dir, 'bad.json', { ...sampleIntent, timeBudgetHours: -2, level: 'guru' });
    const result = await cw('course', 'create', '--intent', bad);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Time budget (hours) must be more than 0');
    expect(result.stderr).toContain('Level must be one of “beginner”, “intermediate”, “advanced”');
    expect((await cw('course', 'list', '--json')).json()).toEqual([]);
  });

  it('malformed JSON in an intent file exits 3 naming the file', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"title": "x",');
    const result = await cw('course', 'create', '--intent', file);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('broken.json is not valid JSON');
  });

  it('unknown ids exit 4, usage errors exit 2', async () => {
    expect((await cw('syllabus', 'show', 'syl_missing')).code).toBe(4);
    expect((await cw('syllabus', 'show')).code).toBe(2);
    expect((await cw('syllabus', 'generate', 'crs_x', '--provider', 'skynet')).code).toBe(2);
    expect((await cw('syllabus', 'approve', 'syl_x')).code).toBe(2);
  });

  it('replays a cassette of malformed answers into a valid draft, recording every response', async () => {
    const { courseId, draft } = await createCourseAndDraft();
    const cassette = path.join(dir, 'cassette.jsonl');
    const good = JSON.stringify(draft.syllabus);
    fs.writeFileSync(cassette, [JSON.stringify({ content: 'Sure! Here it is: {"title": "oops", "modules": [' }), JSON.stringify({ content: '```json\n' + good + '\n```' })].join('\n') + '\n');
    const record = path.join(dir, 'recorded.jsonl');
    const replayed = await cw('syllabus', 'generate', courseId, '--provider', 'replay', '--cassette', cassette, '--record', record, '--json');
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.json().syllabus).toEqual(draft.syllabus);
    expect(replayed.json().metadata.params.attempts).toBe(2);
    const lines = fs.readFileSync(record, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!).content).toContain(good);
  });

  it('an answer that stays invalid exits 3 and saves nothing', async () => {
    const { courseId } = await createCourseAndDraft();
    const cassette = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(cassette, ['no json', '{"title": 1}', '[]'].map((content) => JSON.stringify({ content })).join('\n'));
    const result = await cw('syllabus', 'generate', courseId, '--provider', 'replay', '--cassette', cassette);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('nothing was saved');
    expect((await cw('syllabus', 'list', courseId, '--json')).json()).toHaveLength(1);
  });

  it('a missing API key exits 2 and says how to set one', async () => {
    const { courseId } = await createCourseAndDraft();
    const result = await cw('syllabus', 'generate', courseId, '--provider', 'openai');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('COURSEWRIGHT_API_KEY');
  });

  it('an unreachable endpoint exits 1 after retrying and saves nothing', async () => {
    const { courseId } = await createCourseAndDraft();
    const result = await runCoursewright(['syllabus', 'generate', courseId, '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--data', dir], {
      COURSEWRIGHT_API_KEY: 'sk-test',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MODEL_UNAVAILABLE/);
    expect((await cw('syllabus', 'list', courseId, '--json')).json()).toHaveLength(1);
  });

  it('a corrupt database file is reported, exits 1 and is left untouched', async () => {
    const file = path.join(dir, 'coursewright.db');
    fs.writeFileSync(file, 'this is not a database, it is a shopping list');
    const before = fs.readFileSync(file);
    const result = await cw('course', 'list');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('demo runs the whole job on the mock model: syllabus, approved content, a published package and every export', async () => {
    const result = await cw('demo');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Practical Data Visualisation with Python');
    expect(result.stdout).toContain(path.join(dir, 'coursewright.db'));
    expect(result.stdout).toMatch(/1\.1 /);
    expect(result.stdout).toMatch(/the course is published as package v1 \(pkg_\w+\)/);
    const exported = fs.readdirSync(path.join(dir, 'exports')).sort();
    expect(exported).toEqual([
      'practical-data-visualisation-with-python-v1-html.zip',
      'practical-data-visualisation-with-python-v1-scorm12.zip',
      'practical-data-visualisation-with-python-v1-scorm2004.zip',
      'practical-data-visualisation-with-python-v1.imscc',
      'practical-data-visualisation-with-python-v1.pdf',
    ]);
    for (const file of exported) expect(result.stdout).toContain(path.join(dir, 'exports', file));
    const status = await cw('course', 'list', '--json');
    expect(status.json()[0].status).toBe('published');
  });

  it('demo --syllabus-only stops at the draft and approves nothing', async () => {
    const result = await cw('demo', '--syllabus-only');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('coursewright syllabus submit');
    expect(fs.existsSync(path.join(dir, 'exports'))).toBe(false);
  });

  // The mock model names the course's lessons and questions the same way on every run: the
  // second lesson is m1-data-visualisation-l2 (its second question q2), the third m1-data-visualisation-l3.
  it('demo --analytics simulates learners on a temporary server and leaves the planted miskey and drop-off flagged in the studio', async () => {
    const result = await cw('demo', '--analytics');
    expect(result.code, result.stderr).toBe(0);
    for (const step of ['Starting a learner server', 'Publishing package v1 live', 'Simulating 60 learners (seed 7)', 'simulate: 60/60 learners done', 'Aggregating', 'Pulling analytics and suggestions into the studio', 'Stopping the learner server']) expect(result.stderr).toContain(step);
    const courseId = /coursewright analytics show (crs_\w+)/.exec(result.stdout)?.[1];
    expect(courseId, result.stdout).toBeDefined();
    expect(result.stdout).toContain('coursewright serve → the course → Analytics');
    expect(result.stdout).toMatch(/question 2 of "Worked example: the first steps in Data Visualisation" answered as if miskeyed \(flagged: answer key suspect\)/);
    expect(result.stdout).toMatch(/stopping at "Guided practice: the first steps in Data Visualisation" \(flagged: many stop here\)/);
    expect(result.stdout).toMatch(/is queued in the outbox/);

    const shown = await cw('analytics', 'show', courseId!, '--json');
    expect(shown.code, shown.stderr).toBe(0);
    const view = shown.json() as { items: Array<{ lessonId: string; questionId: string; flags: string[] }>; lessons: Array<{ lessonId: string; flags: string[] }>; openSuggestions: number };
    const suspectKeys = view.items.filter((i) => i.flags.includes('item_suspect_key')).map((i) => `${i.lessonId}/${i.questionId}`);
    expect(suspectKeys).toEqual(['m1-data-visualisation-l2/q2']);
    const dropOffs = view.lessons.filter((l) => l.flags.includes('high_dropoff')).map((l) => l.lessonId);
    expect(dropOffs).toEqual(['m1-data-visualisation-l3']);
    expect(view.lessons.length).toBeGreaterThan(3);
    expect(result.stdout).toContain(`Suggestions: ${view.openSuggestions} open suggestion`);
    expect(view.openSuggestions).toBeGreaterThan(0);
  }, 600_000);

  it('COURSEWRIGHT_DATA chooses the data folder when --data is absent', async () => {
    const result = await runCoursewright(['init', '--json'], { COURSEWRIGHT_DATA: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().database).toBe(path.join(dir, 'coursewright.db'));
    expect(fs.existsSync(path.join(dir, 'coursewright.db'))).toBe(true);
  });
});
