import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-content-edit');
});

async function courseWithQuizDraft() {
  const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
  const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
  await cw('syllabus', 'submit', draft.id);
  await cw('syllabus', 'approve', draft.id, '--by', 'Rui');
  const lessonId = draft.syllabus.modules[0].lessons[0].id as string;
  const generated = (await cw('content', 'generate', courseId, '--lesson', lessonId, '--kind', 'quiz', '--json')).json();
  return { courseId, quiz: generated.generated[0] as { id: string; content: { questions: Array<{ options: string[]; correctIndex: number }> } } };
}

describe('coursewright content edit', () => {
  it('saves an edited quiz from `content show --json` as a new draft version and keeps the old one', async () => {
    const { courseId, quiz } = await courseWithQuizDraft();
    const shown = (await cw('content', 'show', quiz.id, '--json')).json();
    shown.content.questions[0].correctIndex = (shown.content.questions[0].correctIndex + 1) % 4;

    const saved = await cw('content', 'edit', quiz.id, '--file', writeJson(dir, 'quiz.json', shown), '--by', 'Maya');

    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^Saved quiz \S+ v2 \(qz_\w+\) as a draft, based on qz_\w+\.$/m);
    const list = (await cw('content', 'list', courseId, '--json')).json() as Array<{ id: string; version: number; status: string; metadata: { provider: string; createdBy: string }; content: { questions: Array<{ correctIndex: number }> } }>;
    expect(list.find((i) => i.id === quiz.id)?.status).toBe('SUPERSEDED');
    const v2 = list.find((i) => i.version === 2)!;
    expect(v2).toMatchObject({ status: 'DRAFT', metadata: { provider: 'human', createdBy: 'Maya' } });
    expect(v2.content.questions[0]!.correctIndex).toBe(shown.content.questions[0].correctIndex);
  }, 120_000);

  it('exits 3 naming the question and option when the edit is invalid, and saves nothing', async () => {
    const { courseId, quiz } = await courseWithQuizDraft();
    const content = structuredClone(quiz.content);
    content.questions[1]!.options[2] = '';

    const refused = await cw('content', 'edit', quiz.id, '--file', writeJson(dir, 'bad.json', content));

    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Question 2, option 3: is required');
    expect(((await cw('content', 'list', courseId, '--json')).json() as unknown[]).length).toBe(1);
  }, 120_000);

  it('exits 5 with "No changes to save" when the file changes nothing', async () => {
    const { quiz } = await courseWithQuizDraft();
    const same = await cw('content', 'edit', quiz.id, '--file', writeJson(dir, 'same.json', quiz.content));
    expect(same.code).toBe(5);
    expect(same.stderr).toContain('No changes to save: the quiz is the same as v1.');
  }, 120_000);

  it('exits 4 for an unknown item and 2 without --file', async () => {
    expect((await cw('content', 'edit', 'qz_missing', '--file', writeJson(dir, 'x.json', {}))).code).toBe(4);
    expect((await cw('content', 'edit', 'qz_missing')).code).toBe(2);
  }, 60_000);
});
