import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createPackageEngine } from '../../core/packaging/engine.js';
import { createAnalyticsHandlers } from '../../core/studio/analytics-handlers.js';
import { createLineageHandlers } from '../../core/studio/lineage-handlers.js';
import { OperationRegistry } from '../../core/studio/dispatch.js';
import { createMemoryKeyStore } from '../../core/studio/events.js';
import { openDatabase, type OpenedDatabase } from '../../db/open.js';
import type { AnalyticsSignal, AnalyticsTarget, ContentSuggestion, SignalType, SuggestionKind } from '../../schemas/analytics.js';
import type { ContentItem, Quiz } from '../../schemas/content.js';
import { approveAllContent, createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * Accepting a suggestion creates its regeneration job (issue 13), on a real studio database file
 * holding what a pull from the hosted server stores. No server answers: every decision waits in
 * the outbox, which is how a studio offline decides, and the job is created all the same.
 */

const server = 'https://learn.example.test';
let opened: OpenedDatabase;
let handlers: ReturnType<typeof createAnalyticsHandlers>;
let registry: OperationRegistry;
let quiz: ContentItem;
let lessonOfQuiz: ContentItem;
let packageHash: string;
let courseId: string;

const at = '2026-05-02T02:00:00.000Z';
function target(kind: AnalyticsTarget['kind']): AnalyticsTarget {
  const question = kind === 'question';
  return {
    kind,
    courseId,
    packageVersion: 1,
    packageContentHash: packageHash,
    lessonId: kind === 'course' ? null : quiz.targetId,
    lessonIndex: kind === 'course' ? null : 0,
    quizItemId: kind === 'quiz' || question ? quiz.id : null,
    quizContentHash: kind === 'quiz' || question ? quiz.review.contentHash : null,
    questionId: question ? (quiz.content as Quiz).questions[1]!.id : null,
    optionIndex: null,
  };
}
const signal = (id: string, type: SignalType, kind: AnalyticsTarget['kind']): AnalyticsSignal => ({ id, type, severity: 'warning', target: target(kind), evidence: { n: 120 }, day: '2026-05-02', createdAt: at });
const suggestion = (id: string, source: AnalyticsSignal, kind: SuggestionKind, draftInstruction: string): ContentSuggestion => ({ id, signalId: source.id, signalType: source.type, kind, target: source.target, rationale: `Because of ${source.id}.`, draftInstruction, status: 'OPEN', decidedBy: null, decidedAt: null, dismissReason: null, createdAt: at });

const jobsOf = (suggestionId: string) => opened.store.regeneration.listJobs({ courseId }).filter((job) => job.source.type === 'suggestion' && job.source.suggestionId === suggestionId);

beforeAll(async () => {
  opened = openDatabase(path.join(tempDataDir('suggestion-jobs'), 'coursewright.db'));
  const { store } = opened;
  const { course } = await createCourseWithApprovedSyllabus(createEngine({ store }));
  courseId = course.id;
  const items = await approveAllContent(createContentEngine({ store }), course.id);
  quiz = store.content.get(items.find((i) => i.kind === 'quiz')!.id)!;
  lessonOfQuiz = items.find((i) => i.kind === 'lesson' && i.targetId === quiz.targetId)!;
  packageHash = createPackageEngine({ store }).buildPackage(course.id, 'dana').contentHash;

  const key = signal('sig-key', 'item_suspect_key', 'question');
  const pass = signal('sig-pass', 'low_pass_rate', 'quiz');
  const drop = signal('sig-drop', 'high_dropoff', 'lesson');
  const completion = signal('sig-completion', 'low_completion', 'course');
  store.analytics.applyPull(
    server,
    {
      cursor: '1',
      days: [],
      signals: [key, pass, drop, completion],
      suggestions: [
        suggestion('sug-check-key', key, 'check_answer_key', 'Check the answer key of question 2 (q2): the key is option A.'),
        suggestion('sug-rewrite', key, 'rewrite_question', 'Rewrite question 2 (q2) so that exactly one option is correct.'),
        suggestion('sug-example', pass, 'add_worked_example', 'Add a worked example before the quiz; leave the quiz as it is.'),
        suggestion('sug-quiz', pass, 'rewrite_question', 'Rewrite the quiz so its questions match the lesson.'),
        suggestion('sug-split', drop, 'split_lesson', 'Split the lesson into two.'),
        suggestion('sug-structure', completion, 'review_course_structure', 'Review the structure of the course.'),
        suggestion('sug-dismissed', drop, 'add_worked_example', 'Add a worked example to the lesson.'),
      ],
    },
    '2026-05-02T03:00:00.000Z',
  );
  handlers = createAnalyticsHandlers({ store, serverKeys: createMemoryKeyStore(), actor: () => 'dana' });
  registry = new OperationRegistry();
  for (const [name, handler] of Object.entries({ ...handlers, ...createLineageHandlers({ store, actor: () => 'rui' }) })) registry.register(name as keyof typeof handlers, handler as never);
});
afterAll(() => opened?.close());

describe('accepting a suggestion creates its regeneration job', () => {
  it('a question-level suggestion: one PENDING job on that question of the quiz learners saw, with the draft instruction and the suggestion and signal as its source', async () => {
    const accepted = await handlers['suggestions.accept']({ id: 'sug-check-key' });
    expect(accepted.suggestion).toMatchObject({ id: 'sug-check-key', status: 'ACCEPTED', decidedBy: 'dana', delivery: { state: 'queued' } });
    const [job] = jobsOf('sug-check-key');
    expect(job).toMatchObject({
      status: 'PENDING',
      targetKind: 'question',
      targetItemId: quiz.id,
      targetRef: quiz.targetId,
      targetQuestionId: 'q2',
      instruction: 'Check the answer key of question 2 (q2): the key is option A.',
      source: { type: 'suggestion', suggestionId: 'sug-check-key', signalId: 'sig-key' },
      createdBy: 'dana',
      triggeredBy: null,
    });
    expect(accepted.job).toEqual(job);
    expect(accepted.message).toContain(`Regeneration job ${job!.id} for question q2 of quiz ${quiz.targetId} is PENDING: nothing runs until someone triggers it`);
    expect(opened.store.audit.list().filter((a) => a.entityId === job!.id).map((a) => [a.action, a.actor])).toEqual([['job.created', 'dana']]);
  });

  it('accepting the same suggestion again is a conflict naming its job, and creates nothing', async () => {
    const before = opened.store.regeneration.listJobs({ courseId });
    const [job] = jobsOf('sug-check-key');
    const again = await registry.dispatch('suggestions.accept', { id: 'sug-check-key' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`Its regeneration job is ${job!.id} (PENDING) for question q2 of quiz ${quiz.targetId}.`), details: { jobId: job!.id } } });
    expect(opened.store.regeneration.listJobs({ courseId })).toEqual(before);
  });

  it("a second suggestion on a question that already has an active job is still accepted; its answer says which job holds the question", async () => {
    const [holding] = jobsOf('sug-check-key');
    const accepted = await handlers['suggestions.accept']({ id: 'sug-rewrite' });
    expect(accepted.suggestion.status).toBe('ACCEPTED');
    expect(accepted.job).toBeNull();
    expect(accepted.message).toContain(`No regeneration job was created: question q2 of quiz ${quiz.targetId} already has an active regeneration job, ${holding!.id} (PENDING)`);
    expect(jobsOf('sug-rewrite')).toEqual([]);
  });

  it('a quiz-level suggestion on a quiz with an active question job gets no whole-quiz job; the answer names the question job', async () => {
    const [holding] = jobsOf('sug-check-key');
    const accepted = await handlers['suggestions.accept']({ id: 'sug-quiz' });
    expect(accepted.suggestion.status).toBe('ACCEPTED');
    expect(accepted.job).toBeNull();
    expect(accepted.message).toContain(`No regeneration job was created: quiz ${quiz.targetId} already has an active regeneration job, ${holding!.id} (PENDING) on question q2 of quiz ${quiz.targetId}`);
    expect(jobsOf('sug-quiz')).toEqual([]);
  });

  it('a worked example asked for on a quiz with a low pass rate regenerates the lesson, not the quiz', async () => {
    const accepted = await handlers['suggestions.accept']({ id: 'sug-example' });
    expect(accepted.job).toMatchObject({ status: 'PENDING', targetKind: 'lesson', targetItemId: lessonOfQuiz.id, targetRef: quiz.targetId, source: { type: 'suggestion', suggestionId: 'sug-example', signalId: 'sig-pass' } });
  });

  it('a change to the syllabus (splitting a lesson) creates a syllabus job on the course\'s latest syllabus version; a second one waits for it', async () => {
    const [latest] = opened.store.syllabi.listByCourse(courseId).sort((a, b) => b.version - a.version);
    const split = await handlers['suggestions.accept']({ id: 'sug-split' });
    expect(split.suggestion.status).toBe('ACCEPTED');
    expect(split.job).toMatchObject({ status: 'PENDING', targetKind: 'syllabus', targetItemId: latest!.id, targetRef: 'syllabus', targetQuestionId: null, instruction: 'Split the lesson into two.', source: { type: 'suggestion', suggestionId: 'sug-split', signalId: 'sig-drop' } });
    expect(split.message).toContain(`Regeneration job ${split.job!.id} for the syllabus is PENDING`);
    const structure = await handlers['suggestions.accept']({ id: 'sug-structure' });
    expect(structure.suggestion.status).toBe('ACCEPTED');
    expect(structure.job).toBeNull();
    expect(structure.message).toContain(`No regeneration job was created: the syllabus already has an active regeneration job, ${split.job!.id} (PENDING)`);
    expect(jobsOf('sug-structure')).toEqual([]);
  });

  it('dismissing creates no job', async () => {
    const dismissed = await handlers['suggestions.dismiss']({ id: 'sug-dismissed', reason: 'The lesson already has two worked examples.' });
    expect(dismissed.suggestion.status).toBe('DISMISSED');
    expect(dismissed).not.toHaveProperty('job');
    expect(jobsOf('sug-dismissed')).toEqual([]);
  });

  it('"Accept and create job" (jobs.createFromSuggestion) answers the job accepting created, and refuses where accepting made none, for the same reason', async () => {
    const [job] = jobsOf('sug-check-key');
    expect(await registry.dispatch('jobs.createFromSuggestion', { suggestionId: 'sug-check-key' })).toEqual({ ok: true, value: job });
    const [splitJob] = jobsOf('sug-split');
    expect(await registry.dispatch('jobs.createFromSuggestion', { suggestionId: 'sug-split' })).toEqual({ ok: true, value: splitJob });
    expect(await registry.dispatch('jobs.createFromSuggestion', { suggestionId: 'sug-structure' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`the syllabus already has an active regeneration job, ${splitJob!.id}`) } });
    expect(await registry.dispatch('jobs.createFromSuggestion', { suggestionId: 'sug-rewrite' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`already has an active regeneration job, ${job!.id}`) } });
    expect(await registry.dispatch('jobs.createFromSuggestion', { suggestionId: 'sug-dismissed' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('dismissed') } });
    expect(jobsOf('sug-split')).toEqual([splitJob]);
    expect(jobsOf('sug-structure')).toEqual([]);
    expect(jobsOf('sug-rewrite')).toEqual([]);
  });
});
