import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import type { ModelProvider, ModelRequest } from '../../core/ai/port.js';
import { createContentEngine } from '../../core/content/engine.js';
import { crossCheckContent } from '../../core/content/validate.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { createLineage } from '../../core/lineage/lineage.js';
import { createRegenerationRuntime } from '../../core/regeneration/runtime.js';
import { createRegenerationService, type RegenerationService } from '../../core/regeneration/service.js';
import { createRegenerationWorker } from '../../core/regeneration/worker.js';
import { openDatabase } from '../../db/open.js';
import { Quiz, type ContentItem } from '../../schemas/content.js';
import { Syllabus, type SyllabusVersion } from '../../schemas/syllabus.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * Regeneration of one quiz question and of the syllabus, in process against a real database
 * file: what the worker asks the model and writes, what stays exactly as it was, and which jobs
 * exclude each other (a question and its quiz, both ways).
 */

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let service: RegenerationService;
let quizzes: ContentItem[];
let approved: SyllabusVersion;

beforeEach(async () => {
  opened = openDatabase(path.join(tempDataDir('regeneration-targets'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  ({ approved } = await createCourseWithApprovedSyllabus(engine));
  quizzes = (await createContentEngine({ store: opened.store }).generateContent(approved.courseId, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'quiz' } })).generated;
  service = createRegenerationService({ store: opened.store });
});
afterEach(() => opened.close());

/** The mock, with every request it was sent kept. */
function recordingMock() {
  const mock = createMockProvider();
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = { name: mock.name, model: mock.model, complete: (request) => (requests.push(request), mock.complete(request)) };
  return { provider, requests };
}

async function runWorker(provider: ModelProvider = createMockProvider(), concurrency = 1) {
  return createRegenerationWorker({ service, models: () => [provider], workerId: 'w1', concurrency }).run({ untilIdle: true });
}

/** The stored JSON of each question of a content row, as written to the database file. */
function storedQuestions(itemId: string): Record<string, string> {
  const json = opened.db.prepare('SELECT content_json FROM content_items WHERE id = ?').pluck().get(itemId) as string;
  return Object.fromEntries((JSON.parse(json) as Quiz).questions.map((q) => [q.id, JSON.stringify(q)]));
}

const conflict = (message: string) => expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(message) });

describe('a job on one question of a quiz', () => {
  it('asks the model for that question only, with the lesson and the other questions as context, and writes a new draft in which only that question changed', async () => {
    const quiz = quizzes[0]!;
    const job = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q2', instruction: 'Make the right option the first one', actor: 'dana' });
    expect(job).toMatchObject({ status: 'PENDING', targetKind: 'question', targetItemId: quiz.id, targetRef: quiz.targetId, targetQuestionId: 'q2' });
    service.triggerJobs([job.id], 'rui');
    const { provider, requests } = recordingMock();
    expect(await runWorker(provider)).toEqual({ completed: 1, failed: 0, lost: 0, expired: 0 });

    expect(requests.map((r) => [r.purpose, r.task.kind])).toEqual([['content.question.generate', 'content.question']]);
    const asked = requests[0]!.messages.map((m) => m.content).join('\n');
    const before = quiz.content as Quiz;
    expect(asked).toContain('Make the right option the first one');
    expect(asked).toContain(before.questions[0]!.prompt);
    expect(asked).toContain(before.questions[2]!.prompt);
    expect(asked).toContain(approved.syllabus.modules[0]!.lessons[0]!.objectives[0]!);

    const done = service.getJob(job.id);
    expect(done).toMatchObject({ status: 'COMPLETED', error: null });
    const output = opened.store.content.get(done.outputItemId!)!;
    expect(output).toMatchObject({ kind: 'quiz', status: 'DRAFT', version: 2, targetId: quiz.targetId, review: { basedOnId: quiz.id }, metadata: { createdBy: 'dana', params: { instruction: 'Make the right option the first one', questionId: 'q2' } } });
    const was = storedQuestions(quiz.id);
    const now = storedQuestions(output.id);
    expect(Object.keys(now)).toEqual(Object.keys(was));
    for (const id of Object.keys(was).filter((id) => id !== 'q2')) expect(now[id], id).toBe(was[id]);
    expect(now.q2).not.toBe(was.q2);
    expect((output.content as Quiz).questions[1]!.explanation).toContain('Revised as asked: Make the right option the first one.');
    // The same checks as any generated quiz.
    expect(Quiz.safeParse(output.content).success).toBe(true);
    expect(crossCheckContent('quiz', output.content as Quiz, approved.syllabus, approved.id, quiz.targetId)).toEqual([]);
    expect(opened.db.prepare('SELECT output_kind, output_id FROM regeneration_job_outputs WHERE job_id = ?').get(job.id)).toEqual({ output_kind: 'question', output_id: output.id });

    const lineage = createLineage({ store: opened.store }).show(output.id);
    expect(lineage.headline).toContain(`regenerated by job ${job.id}`);
    const call = lineage.steps.find((s) => s.kind === 'model_call')!;
    expect(call.details.ledgerIds).toHaveLength(1);
    const ofBase = createLineage({ store: opened.store }).show(quiz.id);
    expect(ofBase.steps.find((s) => s.kind === 'job')!.summary).toBe(`Job ${job.id} on question q2 at the request of dana: “Make the right option the first one” → new version ${output.id}`);
  });

  it('refuses a question the quiz does not have, a question of a lesson, and a question with a syllabus version', async () => {
    const lesson = (await createContentEngine({ store: opened.store }).generateContent(approved.courseId, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'lesson' } })).generated[0]!;
    expect(() => service.createJob({ targetItemId: quizzes[0]!.id, targetQuestionId: 'q9', instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('has no question "q9"; its questions are q1, q2, q3') }));
    expect(() => service.createJob({ targetItemId: lesson.id, targetQuestionId: 'q1', instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('is a lesson, not a quiz') }));
    expect(() => service.createJob({ targetItemId: approved.id, targetQuestionId: 'q1', instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('is a syllabus version; a question belongs to a quiz') }));
    expect(service.listJobs({ courseId: approved.courseId })).toEqual([]);
  });

  it('conflicts with an active job on the same question and with an active whole-quiz job, both ways, naming the other job; other questions and quizzes stay free', () => {
    const [quiz, other] = quizzes as [ContentItem, ContentItem];
    const onQ2 = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q2', instruction: 'clearer', actor: 'dana' });
    expect(() => service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q2', instruction: 'shorter', actor: 'rui' })).toThrow(conflict(`question q2 of quiz ${quiz.targetId} already has an active regeneration job, ${onQ2.id} (PENDING);`));
    expect(() => service.createJob({ targetItemId: quiz.id, instruction: 'harder', actor: 'rui' })).toThrow(conflict(`quiz ${quiz.targetId} already has an active regeneration job, ${onQ2.id} (PENDING) on question q2 of quiz ${quiz.targetId}`));
    const onQ3 = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q3', instruction: 'clearer', actor: 'rui' });
    expect(onQ3).toMatchObject({ status: 'PENDING', targetQuestionId: 'q3' });
    expect(service.createJob({ targetItemId: other.id, instruction: 'harder', actor: 'rui' })).toMatchObject({ status: 'PENDING', targetKind: 'quiz' });

    service.cancelJob(onQ2.id, 'dana');
    // One question job is still active: the whole quiz waits for it too.
    expect(() => service.createJob({ targetItemId: quiz.id, instruction: 'harder', actor: 'rui' })).toThrow(conflict(`${onQ3.id} (PENDING) on question q3 of quiz ${quiz.targetId}`));
    service.cancelJob(onQ3.id, 'rui');
    const whole = service.createJob({ targetItemId: quiz.id, instruction: 'harder', actor: 'rui' });
    expect(() => service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q1', instruction: 'clearer', actor: 'dana' })).toThrow(conflict(`question q1 of quiz ${quiz.targetId} already has an active regeneration job, ${whole.id} (PENDING) on quiz ${quiz.targetId}`));
    service.cancelJob(whole.id, 'rui');
    expect(service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q1', instruction: 'clearer', actor: 'dana' }).status).toBe('PENDING');
  });

  it('two jobs on different questions of one quiz both complete: the second lands on the first one\'s draft, and each question changed once', async () => {
    const quiz = quizzes[0]!;
    const first = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q1', instruction: 'first fix', actor: 'dana' });
    const second = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q3', instruction: 'second fix', actor: 'dana' });
    service.triggerJobs([first.id, second.id], 'rui');
    expect(await runWorker(createMockProvider(), 2)).toMatchObject({ completed: 2, failed: 0 });
    const outputs = [first, second].map((j) => opened.store.content.get(service.getJob(j.id).outputItemId!)!).sort((a, b) => a.version - b.version);
    expect(outputs.map((o) => [o.version, o.review.basedOnId, o.status])).toEqual([
      [2, quiz.id, 'SUPERSEDED'],
      [3, outputs[0]!.id, 'DRAFT'],
    ]);
    const was = storedQuestions(quiz.id);
    const last = storedQuestions(outputs[1]!.id);
    expect(last.q2).toBe(was.q2);
    expect(JSON.parse(last.q1!).explanation).toContain('Revised as asked: first fix.');
    expect(JSON.parse(last.q3!).explanation).toContain('Revised as asked: second fix.');
  });

  it('a retry of a failed question job is a question job on the same question', async () => {
    const quiz = quizzes[0]!;
    const job = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q2', instruction: 'clearer', actor: 'dana' });
    service.cancelJob(job.id, 'dana');
    const intent = service.createRetryIntent({ jobId: job.id, reasonCode: 'cancelled_by_mistake', reasonText: 'wrong button', actor: 'dana' });
    const { job: retry } = service.executeRetryIntent(intent.id, 'rui');
    expect(retry).toMatchObject({ status: 'TRIGGERED', targetKind: 'question', targetItemId: quiz.id, targetQuestionId: 'q2', retryOfJobId: job.id });
    expect(await runWorker()).toMatchObject({ completed: 1 });
    expect(opened.store.content.get(service.getJob(retry.id).outputItemId!)!.metadata.params).toMatchObject({ questionId: 'q2' });
  });
});

describe('a job on the syllabus', () => {
  it('writes a new syllabus DRAFT from the latest version and the instruction, normalised and linted; the approved version is untouched; lineage shows the job on both versions', async () => {
    const approvedRow = opened.db.prepare('SELECT * FROM syllabus_versions WHERE id = ?').get(approved.id);
    const job = service.createJob({ targetItemId: approved.id, instruction: 'Split the longest lesson into two', actor: 'dana' });
    expect(job).toMatchObject({ status: 'PENDING', targetKind: 'syllabus', targetItemId: approved.id, targetRef: 'syllabus', targetQuestionId: null });
    service.triggerJobs([job.id], 'rui');
    const { provider, requests } = recordingMock();
    expect(await runWorker(provider)).toEqual({ completed: 1, failed: 0, lost: 0, expired: 0 });
    expect(requests.map((r) => [r.purpose, r.task.kind])).toEqual([['syllabus.generate', 'syllabus.revise']]);
    expect(requests[0]!.messages.map((m) => m.content).join('\n')).toContain(approved.syllabus.modules[0]!.lessons[0]!.title);

    const done = service.getJob(job.id);
    const draft = opened.store.syllabi.get(done.outputItemId!)!;
    expect(draft).toMatchObject({ status: 'DRAFT', version: 2, courseId: approved.courseId, review: { basedOnId: approved.id }, metadata: { createdBy: 'dana', params: { instruction: 'Split the longest lesson into two', revisedFrom: 1 } } });
    expect(Syllabus.safeParse(draft.syllabus).success).toBe(true);
    expect(draft.syllabus.summary).toContain('Revised as asked: Split the longest lesson into two.');
    expect(draft.syllabus.modules).toEqual(approved.syllabus.modules);
    expect(Array.isArray(draft.warnings)).toBe(true);
    expect(opened.db.prepare('SELECT * FROM syllabus_versions WHERE id = ?').get(approved.id)).toEqual(approvedRow);
    expect(opened.db.prepare('SELECT output_kind, output_id FROM regeneration_job_outputs WHERE job_id = ?').get(job.id)).toEqual({ output_kind: 'syllabus', output_id: draft.id });
    // Content still comes from the approved version only.
    expect(engine.listSyllabusVersions(approved.courseId).filter((v) => v.status === 'APPROVED').map((v) => v.id)).toEqual([approved.id]);

    const lineage = createLineage({ store: opened.store });
    const ofDraft = lineage.show(draft.id);
    expect(ofDraft.headline).toContain(`regenerated by job ${job.id} at the request of dana`);
    expect(ofDraft.steps.filter((s) => s.kind === 'job').map((s) => s.summary)).toEqual([`Regenerated by job ${job.id} at the request of dana`]);
    expect(ofDraft.steps.find((s) => s.kind === 'model_call')!.details.ledgerIds).toHaveLength(1);
    const ofApproved = lineage.show(approved.id);
    expect(ofApproved.steps.find((s) => s.kind === 'job')!.summary).toContain(`Job ${job.id} at the request of dana: “Split the longest lesson into two” → new version ${draft.id}`);
    expect(ofApproved.steps.find((s) => s.kind === 'next_version')!.summary).toBe(`Next version: syllabus v2 (draft), regenerated by job ${job.id}`);
  });

  it('one active syllabus job per course; only the latest version, and not while it is in review', async () => {
    const first = service.createJob({ targetItemId: approved.id, instruction: 'Add a recap lesson', actor: 'dana' });
    expect(() => service.createJob({ targetItemId: approved.id, instruction: 'Shorter', actor: 'rui' })).toThrow(conflict(`the syllabus already has an active regeneration job, ${first.id} (PENDING)`));
    service.triggerJobs([first.id], 'rui');
    await runWorker();
    const draft = opened.store.syllabi.get(service.getJob(first.id).outputItemId!)!;
    expect(() => service.createJob({ targetItemId: approved.id, instruction: 'Shorter', actor: 'rui' })).toThrow(conflict(`Syllabus v1 (${approved.id}) is not the course's latest version: v2 (${draft.id}) is`));
    engine.submitSyllabus(draft.id, 'dana');
    expect(() => service.createJob({ targetItemId: draft.id, instruction: 'Shorter', actor: 'rui' })).toThrow(conflict('is in review; a reviewer must approve or reject it'));
    engine.rejectSyllabus(draft.id, { by: 'rui', reason: 'too long' });
    expect(service.createJob({ targetItemId: draft.id, instruction: 'Shorter', actor: 'rui' })).toMatchObject({ status: 'PENDING', targetKind: 'syllabus', targetItemId: draft.id });
  });

  it('from a draft, the new version replaces it: the draft is superseded, the approved version stays as it was', async () => {
    const draft = engine.reviseSyllabus(approved.id, 'rui');
    const job = service.createJob({ targetItemId: draft.id, instruction: 'Add a recap lesson', actor: 'dana' });
    service.triggerJobs([job.id], 'rui');
    expect(await runWorker()).toMatchObject({ completed: 1 });
    const written = opened.store.syllabi.get(service.getJob(job.id).outputItemId!)!;
    expect(engine.listSyllabusVersions(approved.courseId).map((v) => [v.version, v.status, v.review.basedOnId])).toEqual([
      [1, 'APPROVED', null],
      [2, 'SUPERSEDED', approved.id],
      [3, 'DRAFT', draft.id],
    ]);
    expect(written.id).toBe(engine.listSyllabusVersions(approved.courseId)[2]!.id);
  });

  it('interactive Regenerate stays for lessons, quizzes and projects: a syllabus version there is not found, and no job is created', async () => {
    const runtime = createRegenerationRuntime({ store: opened.store, models: () => [createMockProvider()] });
    await expect(runtime.regenerateNow({ itemId: approved.id, actor: 'dana' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`No content item "${approved.id}"`) });
    expect(service.listJobs({ courseId: approved.courseId })).toEqual([]);
    expect(await runtime.regenerateNow({ itemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' })).toMatchObject({ kind: 'quiz', version: 2, status: 'DRAFT' });
  });

  it('a draft written meanwhile by hand makes the job fail without saving: the job never writes over a newer version', async () => {
    const job = service.createJob({ targetItemId: approved.id, instruction: 'Add a recap lesson', actor: 'dana' });
    service.triggerJobs([job.id], 'rui');
    const revised = engine.reviseSyllabus(approved.id, 'rui');
    expect(await runWorker()).toMatchObject({ completed: 0, failed: 1 });
    expect(service.getJob(job.id)).toMatchObject({ status: 'FAILED', outputItemId: null, error: expect.stringContaining(`is not the course's latest version: v2 (${revised.id}) is`) });
    expect(engine.listSyllabusVersions(approved.courseId).map((v) => v.id)).toEqual([approved.id, revised.id]);
  });
});
