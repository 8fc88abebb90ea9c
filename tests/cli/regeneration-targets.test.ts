import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService } from '../../core/regeneration/service.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem, Quiz } from '../../schemas/content.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

/**
 * `coursewright jobs create --question` and a syllabus version as the target, as a shell runs
 * them; then two `coursewright worker` processes of four workers each race over every question
 * job and the syllabus job on one file: each job runs exactly once and writes exactly one output.
 */

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));
let dataDir: string;
let quizzes: ContentItem[];
let lesson: ContentItem;
let approved: SyllabusVersion;

beforeAll(async () => {
  dataDir = tempDataDir('cli-regeneration-targets');
  const opened = openDatabase(path.join(dataDir, 'coursewright.db'));
  ({ approved } = await createCourseWithApprovedSyllabus(createEngine({ store: opened.store })));
  const generated = (await createContentEngine({ store: opened.store }).generateContent(approved.courseId, { actor: 'dana', models: [createMockProvider()], filter: {} })).generated;
  quizzes = generated.filter((i) => i.kind === 'quiz');
  lesson = generated.find((i) => i.kind === 'lesson')!;
  opened.close();
}, 60_000);

const cw = (...args: string[]) => runCoursewright(['--data', dataDir, ...args]);

function worker(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, '--data', dataDir, '--json', 'worker', '--until-idle', '--concurrency', '4', '--poll-ms', '20'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', COURSEWRIGHT_ACTOR: 'worker-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('coursewright jobs create for one question and for the syllabus', () => {
  it('creates a question job and a syllabus job, says what each targets, and refuses what conflicts or does not exist with the exit codes of any refusal', async () => {
    const quiz = quizzes[0]!;
    const question = await cw('jobs', 'create', '--target', quiz.id, '--question', 'q2', '--instruction', 'Make option A the key');
    expect(question.code, question.stderr).toBe(0);
    expect(question.stdout).toMatch(new RegExp(`Created job (job\\S+) \\(PENDING\\) for question q2 of quiz ${quiz.targetId}\\.`));
    const questionJobId = /Created job (\S+) /.exec(question.stdout)![1]!;

    const whole = await cw('jobs', 'create', '--target', quiz.id, '--instruction', 'harder');
    expect(whole.code).toBe(5);
    expect(whole.stderr).toContain(`quiz ${quiz.targetId} already has an active regeneration job, ${questionJobId} (PENDING) on question q2 of quiz ${quiz.targetId}`);

    const missing = await cw('jobs', 'create', '--target', quiz.id, '--question', 'q9', '--instruction', 'x');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('has no question "q9"; its questions are q1, q2, q3');
    const onLesson = await cw('jobs', 'create', '--target', lesson.id, '--question', 'q1', '--instruction', 'x');
    expect(onLesson.code).toBe(3);
    expect(onLesson.stderr).toContain(`${lesson.id} is a lesson, not a quiz`);

    const syllabus = await cw('--json', 'jobs', 'create', '--target', approved.id, '--instruction', 'Add a recap lesson at the end');
    expect(syllabus.code, syllabus.stderr).toBe(0);
    expect(syllabus.json()).toMatchObject({ status: 'PENDING', targetKind: 'syllabus', targetItemId: approved.id, targetRef: 'syllabus', targetQuestionId: null });
    const listed = await cw('jobs', 'list');
    expect(listed.stdout).toContain('the syllabus');
    expect(listed.stdout).toContain(`question q2 of quiz ${quiz.targetId}`);

    for (const id of [questionJobId, syllabus.json().id as string]) expect((await cw('jobs', 'cancel', id)).code).toBe(0);
  }, 60_000);

  it('two worker processes racing over every question job and the syllabus job run each exactly once: one COMPLETED, one output, one model call per job', async () => {
    // Created in process (the command itself is tested above), triggered and run by the real commands.
    const creating = openDatabase(path.join(dataDir, 'coursewright.db'));
    const service = createRegenerationService({ store: creating.store });
    const created = quizzes.flatMap((quiz) => (quiz.content as Quiz).questions.map((q) => service.createJob({ targetItemId: quiz.id, targetQuestionId: q.id, instruction: `Clearer wording for ${q.id}`, actor: 'dana' }).id));
    created.push(service.createJob({ targetItemId: approved.id, instruction: 'Add a recap lesson at the end', actor: 'dana' }).id);
    creating.close();
    const triggered = await cw('jobs', 'trigger', ...created);
    expect(triggered.code, triggered.stderr).toBe(0);

    const [a, b] = await Promise.all([worker(), worker()]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const summaries = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(summaries[0].completed + summaries[1].completed).toBe(created.length);
    expect(summaries[0].failed + summaries[1].failed).toBe(0);

    const opened = openDatabase(path.join(dataDir, 'coursewright.db'));
    try {
      const db = opened.db;
      const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;
      for (const id of created) {
        expect(opened.store.regeneration.getJob(id)!.status, id).toBe('COMPLETED');
        expect(count('SELECT count(*) FROM regeneration_job_outputs WHERE job_id = ?', id), id).toBe(1);
        expect(count(`SELECT count(*) FROM audit_log WHERE entity_id = ? AND action = 'job.locked'`, id), id).toBe(1);
        expect(count(`SELECT count(*) FROM audit_log WHERE entity_id = ? AND action = 'job.completed'`, id), id).toBe(1);
      }
      // No job ran twice: one first call per job (repairs would be separate rows, and the mock needs none).
      expect(count(`SELECT count(*) FROM model_calls WHERE purpose = 'content.question.generate'`)).toBe(created.length - 1);
      expect(count(`SELECT count(*) FROM model_calls WHERE purpose = 'syllabus.generate' AND at > ?`, approved.review.decidedAt)).toBe(1);
      // Every question of every quiz was rewritten once, into one chain of drafts per quiz.
      for (const quiz of quizzes) {
        const live = opened.store.content.listLiveVersions(quiz.syllabusVersionId, 'quiz', quiz.targetId);
        expect(live).toHaveLength(1);
        const questions = (live[0]!.content as Quiz).questions;
        expect(questions.map((q) => q.id)).toEqual((quiz.content as Quiz).questions.map((q) => q.id));
        for (const q of questions) expect(q.explanation.match(/Revised as asked/g), `${quiz.id} ${q.id}`).toHaveLength(1);
        expect(live[0]!.version).toBe(1 + questions.length);
      }
      const syllabi = opened.store.syllabi.listByCourse(approved.courseId);
      expect(syllabi.map((v) => [v.version, v.status])).toEqual([
        [1, 'APPROVED'],
        [2, 'DRAFT'],
      ]);
    } finally {
      opened.close();
    }
  }, 240_000);
});
