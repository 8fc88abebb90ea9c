import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeMockSyllabus } from '../../core/ai/mock-provider.js';
import { LearningIntent } from '../../schemas/intent.js';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-truncated');
});

async function createCourse(): Promise<string> {
  const created = await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json');
  expect(created.code, created.stderr).toBe(0);
  return created.json().id as string;
}

/** The syllabus the mock writes for the sample intent, as one answer's raw text. */
const wholeAnswer = JSON.stringify(writeMockSyllabus(LearningIntent.parse(sampleIntent)));
const halfAnswer = wholeAnswer.slice(0, Math.floor(wholeAnswer.length / 2));

function cassette(name: string, answers: Array<{ content: string; truncated?: boolean }>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, answers.map((a) => JSON.stringify(a)).join('\n') + '\n');
  return file;
}

describe('a model answer cut off mid-way is never saved as a shorter course (real processes)', () => {
  it('syllabus generate with every mock answer truncated exits 3, says the answer was cut off, and saves nothing', async () => {
    const courseId = await createCourse();
    const result = await cw('syllabus', 'generate', courseId, '--mock-faults', 'truncated,truncated,truncated');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('cut off');
    expect(result.stderr).toContain('nothing was saved');
    expect((await cw('syllabus', 'list', courseId, '--json')).json()).toEqual([]);
  });

  it('a replayed half syllabus (the endpoint never said so) exits 3 and saves nothing', async () => {
    const courseId = await createCourse();
    const file = cassette('half.jsonl', [{ content: halfAnswer }, { content: halfAnswer }, { content: '```json\n' + halfAnswer }]);
    const result = await cw('syllabus', 'generate', courseId, '--provider', 'replay', '--cassette', file);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('cut off');
    expect((await cw('syllabus', 'list', courseId, '--json')).json()).toEqual([]);
  });

  it('a truncated first answer followed by a whole repair saves the whole syllabus with every module', async () => {
    const courseId = await createCourse();
    const record = path.join(dir, 'recorded.jsonl');
    const file = cassette('repair.jsonl', [{ content: halfAnswer, truncated: true }, { content: wholeAnswer }]);
    const result = await cw('syllabus', 'generate', courseId, '--provider', 'replay', '--cassette', file, '--record', record, '--json');
    expect(result.code, result.stderr).toBe(0);
    const draft = result.json();
    expect(draft.metadata.params.attempts).toBe(2);
    expect(draft.syllabus.modules.map((m: { id: string }) => m.id)).toEqual(JSON.parse(wholeAnswer).modules.map((m: { id: string }) => m.id));
    expect(draft.warnings.filter((w: { code: string; severity: string }) => w.code === 'estimates-rescaled' && w.severity === 'warning')).toEqual([]);
    // The recording keeps the endpoint's word that the first answer stopped at its limit.
    const lines = fs.readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.truncated ?? false)).toEqual([true, false]);
    expect((await cw('syllabus', 'list', courseId, '--json')).json()).toHaveLength(1);
  });
});
