import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-review');
});

describe('coursewright review', () => {
  it('lists syllabus versions and content items alike, takes block comments and shows them with the rejection', async () => {
    const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
    const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
    await cw('syllabus', 'submit', draft.id);
    const onlySyllabus = (await cw('review', 'queue', '--json')).json();
    expect(onlySyllabus.counts).toEqual({ all: 1, syllabus: 1, lesson: 0, quiz: 0, project: 0 });

    expect((await cw('syllabus', 'approve', draft.id, '--by', 'Rui')).code).toBe(0);
    const lessonId = draft.syllabus.modules[0].lessons[0].id as string;
    const ids = (await cw('content', 'generate', courseId, '--lesson', lessonId, '--json')).json().generated.map((i: { id: string }) => i.id) as string[];
    await cw('content', 'submit', ...ids);

    const queue = await cw('review', 'queue');
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.stdout).toContain('2 IN_REVIEW · 0 syllabus · 1 lessons · 1 quizzes · 0 projects');
    expect(queue.stdout).toContain(sampleIntent.title);
    for (const id of ids) expect(queue.stdout).toContain(id);

    const quizId = ((await cw('review', 'queue', '--kind', 'quiz', '--json')).json().groups[0].items[0].id) as string;
    const comment = await cw('review', 'comment', quizId, '--by', 'Rui', '--text', 'Option 2 is also right.', '--block', 'questions/2/options/1', '--json');
    expect(comment.code, comment.stderr).toBe(0);
    expect(comment.json()).toMatchObject({ blockPath: 'questions/2/options/1', blockLabel: 'question 3 · option 2', author: 'Rui' });
    const reply = await cw('review', 'comment', quizId, '--by', 'Dana', '--text', 'Will fix.', '--reply-to', comment.json().id);
    expect(reply.code, reply.stderr).toBe(0);
    expect((await cw('content', 'reject', quizId, '--by', 'Rui', '--reason', 'Question 3 has two right answers.')).code).toBe(0);

    const shown = await cw('review', 'comments', quizId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Rejected v1 by Rui: Question 3 has two right answers.');
    expect(shown.stdout).toContain('[question 3 · option 2 questions/2/options/1] Rui: Option 2 is also right.');
    expect(shown.stdout).toMatch(/↳ cmt_\w+ \[question 3 · option 2 questions\/2\/options\/1\] Dana: Will fix\./);
    const json = (await cw('review', 'comments', quizId, '--json')).json();
    expect(json.comments).toHaveLength(2);
    expect(json.blocks.map((b: { path: string }) => b.path)).toContain('questions/2/options/1');
  }, 120_000);

  it('refuses a block path that is not one (usage, exit 2) and a block the item lacks (exit 3), naming it', async () => {
    const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
    const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
    const malformed = await cw('review', 'comment', draft.id, '--by', 'Rui', '--text', 'x', '--block', '../etc');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--block "../etc" is not a block path');
    const missing = await cw('review', 'comment', draft.id, '--by', 'Rui', '--text', 'x', '--block', 'modules/99');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no block "modules/99"');
    const fine = await cw('review', 'comment', draft.id, '--by', 'Rui', '--text', 'Split this lesson.', '--block', 'modules/0/lessons/0');
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toContain('on module 1 · lesson 1 of syllabus v1');
  }, 120_000);
});
