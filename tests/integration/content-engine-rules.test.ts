import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import type { ModelProvider, ModelRequest, ModerationHook } from '../../core/ai/port.js';
import { ModelError } from '../../core/ai/port.js';
import { CircuitBreakerRegistry } from '../../core/ai/resilience.js';
import { createContentEngine, type ContentEngine, type ContentProgress } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * The content engine's rules as a designer and a reviewer meet them: the progress counts of a
 * batch run, cancelling, what counts as already written, refusals and what stays allowed, and
 * the audit rows a reviewer reads.
 *
 * The mock writes the sample course as 6 modules of 3 lessons, a project owed by each module:
 * module 1 is 3 lessons, 3 quizzes and 1 project (7 pieces), the course 42 pieces.
 */

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('content-rules'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
});
afterEach(() => opened.close());

const instant = async () => {};

function refusalOf(action: () => unknown): CoursewrightError {
  try {
    action();
  } catch (error) {
    return error as CoursewrightError;
  }
  throw new Error('expected a refusal');
}

async function asyncRefusalOf(action: () => Promise<unknown>): Promise<CoursewrightError> {
  try {
    await action();
  } catch (error) {
    return error as CoursewrightError;
  }
  throw new Error('expected a refusal');
}

/** Wraps a model so every answer reports the same usage, and records the raw answers it gave. */
function fixedUsage(inner: ModelProvider, usage = { promptTokens: 100, completionTokens: 7 }) {
  const answers: string[] = [];
  const provider: ModelProvider = {
    name: inner.name,
    model: inner.model,
    complete: async (request) => {
      const response = await inner.complete(request);
      answers.push(response.content);
      return { ...response, usage };
    },
  };
  return { provider, answers };
}

/** A model that gives the same raw answer every time. */
function repeating(answer: string): ModelProvider {
  return { name: 'repeat', model: 'repeat-1', complete: async () => ({ content: answer, provider: 'repeat', model: 'repeat-1', usage: { promptTokens: 1, completionTokens: 1 } }) };
}

const audits = (entityId: string, action: string) => engine.listAudit({ entityId }).filter((e) => e.action === action);

describe('a batch run reports what a designer sees', () => {
  it('counts remaining, skipped and tokens through a failure, a unit another run saved first, and units written before', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const module = approved.syllabus.modules[0]!;
    const [l1, l2] = module.lessons;
    // Written before this run: the module's project, so the run starts with one piece skipped.
    await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: module.id, kind: 'project' } });

    // Calls in order: lesson 1 (a malformed answer, no repairs: fails), quiz 1, lesson 2 (another
    // run saves lesson 2 while this call is out), quiz 2, lesson 3, quiz 3.
    const counted = fixedUsage(createMockProvider({ faults: ['malformed'] }));
    const other = createContentEngine({ store: opened.store });
    let calls = 0;
    const interloping: ModelProvider = {
      name: 'mock',
      model: counted.provider.model,
      complete: async (request) => {
        calls++;
        if (calls === 3) await other.generateContent(course.id, { actor: 'sam', models: [createMockProvider()], filter: { lessonId: l2!.id, kind: 'lesson' } });
        return counted.provider.complete(request);
      },
    };
    const reports: ContentProgress[] = [];
    const summary = await content.generateContent(course.id, { actor: 'dana', models: [interloping], filter: { moduleId: module.id }, concurrency: 1, maxRepairs: 0, retrySleep: instant, onProgress: (p) => reports.push(p) });

    expect(reports[0]).toMatchObject({ done: 0, failed: 0, remaining: 6, skipped: 1, tokens: 0 });
    expect(reports[1]).toMatchObject({ done: 0, failed: 1, remaining: 5, skipped: 1, last: { unit: { kind: 'lesson', targetId: l1!.id }, outcome: 'failed' } });
    expect(reports[2]).toMatchObject({ done: 1, failed: 1, remaining: 4, skipped: 1, tokens: 107, last: { outcome: 'generated' } });
    expect(reports[3]).toEqual({ done: 1, failed: 1, remaining: 3, skipped: 2, tokens: 214, last: { unit: { kind: 'lesson', targetId: l2!.id }, outcome: 'skipped', message: 'another run saved it first; this answer was not saved' } });
    expect(reports.at(-1)).toMatchObject({ done: 4, failed: 1, remaining: 0, skipped: 2, tokens: 535 });
    expect(reports).toHaveLength(7);
    expect(summary).toMatchObject({ planned: 7, skipped: 2, tokens: 535, cancelled: false });
    expect(summary.generated).toHaveLength(4);
    // The unit another run saved keeps that run's item.
    const lesson2 = opened.store.content.listByCourse(course.id).filter((i) => i.kind === 'lesson' && i.targetId === l2!.id);
    expect(lesson2.map((i) => i.metadata.createdBy)).toEqual(['sam']);
  });

  it('a model answer refused for a reason of the studio itself is a failed unit with that reason, and the run goes on', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    let calls = 0;
    const keyless: ModelProvider = {
      name: 'mock',
      model: 'mock-1',
      complete: async (request) => {
        calls++;
        if (calls === 1) throw new CoursewrightError('MISSING_API_KEY', 'No API key for the model. Add one in Settings.');
        return createMockProvider().complete(request);
      },
    };
    const summary = await content.generateContent(course.id, { actor: 'dana', models: [keyless], filter: { lessonId }, concurrency: 1, retrySleep: instant });
    expect(summary.failed).toEqual([{ unit: { kind: 'lesson', targetId: lessonId }, error: 'No API key for the model. Add one in Settings.' }]);
    expect(summary.generated.map((i) => i.kind)).toEqual(['quiz']);
  });

  it('cancelling during a model call stops the run: nothing saved, nothing counted as failed', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const module = approved.syllabus.modules[0]!;
    const abort = new AbortController();
    // Cancels while the first call is out, then answers only when the call is cancelled (or,
    // if the call was never told about the cancel, answers normally after a moment).
    const waiting: ModelProvider = {
      name: 'mock',
      model: 'mock-1',
      complete: (request: ModelRequest) =>
        new Promise((resolve, reject) => {
          abort.abort();
          if (request.signal?.aborted) return reject(new ModelError('cancelled', 'The model call was cancelled.'));
          setTimeout(() => createMockProvider().complete({ ...request, signal: undefined } as ModelRequest).then(resolve, reject), 20);
        }),
    };
    const summary = await content.generateContent(course.id, { actor: 'dana', models: [waiting], filter: { moduleId: module.id }, concurrency: 1, signal: abort.signal, retrySleep: instant });
    expect(summary.cancelled).toBe(true);
    expect(summary.generated).toEqual([]);
    expect(summary.failed).toEqual([]);
    expect(opened.store.content.listByCourse(course.id)).toEqual([]);
    expect(audits(course.id, 'content.generation_failed')).toEqual([]);

    // Not cancelled: the same module is written whole.
    const resumed = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: module.id } });
    expect(resumed).toMatchObject({ cancelled: false, skipped: 0 });
    expect(resumed.generated).toHaveLength(7);
  });

  it('runs at most the asked number of model calls at once, at least one and at most 32', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const modules = approved.syllabus.modules;
    const gauge = () => {
      const seen = { inFlight: 0, most: 0 };
      const provider: ModelProvider = {
        name: 'mock',
        model: 'mock-1',
        complete: async (request) => {
          seen.inFlight++;
          seen.most = Math.max(seen.most, seen.inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return await createMockProvider().complete(request);
          } finally {
            seen.inFlight--;
          }
        },
      };
      return { provider, seen };
    };

    const three = gauge();
    const threeRun = await content.generateContent(course.id, { actor: 'dana', models: [three.provider], filter: { moduleId: modules[0]!.id }, concurrency: 3 });
    expect(threeRun.generated).toHaveLength(7);
    expect(three.seen.most).toBe(3);

    const zero = gauge();
    const zeroRun = await content.generateContent(course.id, { actor: 'dana', models: [zero.provider], filter: { moduleId: modules[1]!.id }, concurrency: 0 });
    expect(zeroRun.generated).toHaveLength(7);
    expect(zero.seen.most).toBe(1);

    // The 28 pieces left, asked at 100 at once: capped at 32, so all 28 go out together.
    const many = gauge();
    const manyRun = await content.generateContent(course.id, { actor: 'dana', models: [many.provider], concurrency: 100 });
    expect(manyRun.generated).toHaveLength(28);
    expect(many.seen.most).toBe(28);
  });

  it('counts drafts, items in review and approved items as written, and writes again units whose only version was rejected', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const [l1, l2, l3] = approved.syllabus.modules[0]!.lessons;
    const write = async (lessonId: string) => (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } })).generated[0]!;
    const draft = await write(l1!.id);
    const inReview = await write(l2!.id);
    const rejected = await write(l3!.id);
    content.submitContent([inReview.id, rejected.id], 'dana');
    content.rejectContent(rejected.id, { by: 'rui', reason: 'wrong dataset' });
    const quiz = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: l1!.id, kind: 'quiz' } })).generated[0]!;
    content.submitContent([quiz.id], 'dana');
    content.approveContent([quiz.id], { by: 'rui' });

    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: l1!.id } });
    expect(run).toMatchObject({ planned: 2, skipped: 2 });
    expect(run.generated).toEqual([]);

    // Only the rejected unit is sent to the model: the draft and the item in review are skipped before any call.
    const counted = fixedUsage(createMockProvider());
    const reports: ContentProgress[] = [];
    const lessons = await content.generateContent(course.id, { actor: 'dana', models: [counted.provider], filter: { kind: 'lesson', moduleId: approved.syllabus.modules[0]!.id }, onProgress: (p) => reports.push(p) });
    expect(lessons).toMatchObject({ planned: 3, skipped: 2, tokens: 107 });
    expect(reports[0]).toMatchObject({ remaining: 1, skipped: 2 });
    expect(counted.answers).toHaveLength(1);
    expect(lessons.generated.map((i) => `${i.targetId} v${i.version}`)).toEqual([`${l3!.id} v2`]);
    expect(opened.store.content.get(draft.id)?.status).toBe('DRAFT');
  });

  it('writes from the latest approved syllabus while a newer syllabus draft waits, and regenerating still works', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const revision = engine.reviseSyllabus(approved.id, 'dana');
    expect(revision.status).toBe('DRAFT');
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } });
    expect(run.syllabusVersionId).toBe(approved.id);
    expect(run.generated.map((i) => i.syllabusVersionId)).toEqual([approved.id]);
    const second = await content.regenerateContent(run.generated[0]!.id, { actor: 'dana', models: [createMockProvider()], instruction: 'use a retail sales example' });
    expect(second).toMatchObject({ version: 2, syllabusVersionId: approved.id });
  });

  it('a moderation hook that blocks text makes those units fail, and the model is still the one asked', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const blocking: ModerationHook = { name: 'house-rules', check: () => ({ allowed: false, reason: 'mentions a competitor' }) };
    const blocked = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' }, moderation: blocking, maxRepairs: 0, retrySleep: instant });
    expect(blocked.generated).toEqual([]);
    expect(blocked.failed).toHaveLength(1);
    const passing: ModerationHook = { name: 'house-rules', check: () => ({ allowed: true }) };
    const written = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' }, moderation: passing });
    expect(written.generated).toHaveLength(1);

    const refused = await asyncRefusalOf(() => content.regenerateContent(written.generated[0]!.id, { actor: 'dana', models: [createMockProvider()], instruction: 'shorter', moderation: blocking }));
    expect(refused).toBeInstanceOf(Error);
    expect(opened.store.content.get(written.generated[0]!.id)?.status).toBe('DRAFT');
    expect(opened.store.content.listByCourse(course.id).filter((i) => i.kind === 'lesson')).toHaveLength(1);
  });

  it('a model whose circuit is open is not called; with a closed circuit the same model writes', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const model = createMockProvider();
    const tripped = new CircuitBreakerRegistry({ failureThreshold: 1 });
    tripped.for(model).recordFailure();
    const withOpenCircuit = createContentEngine({ store: opened.store, breakers: tripped });
    const refused = await withOpenCircuit.generateContent(course.id, { actor: 'dana', models: [model], filter: { lessonId, kind: 'lesson' }, retrySleep: instant });
    expect(refused.generated).toEqual([]);
    expect(refused.failed[0]?.error).toMatch(/calls pause until/);

    const healthy = createContentEngine({ store: opened.store, breakers: new CircuitBreakerRegistry() });
    const written = await healthy.generateContent(course.id, { actor: 'dana', models: [model], filter: { lessonId, kind: 'lesson' } });
    expect(written.generated).toHaveLength(1);

    await expect(withOpenCircuit.regenerateContent(written.generated[0]!.id, { actor: 'dana', models: [model], instruction: 'shorter', retrySleep: instant })).rejects.toThrow(/calls pause until/);
    const again = await healthy.regenerateContent(written.generated[0]!.id, { actor: 'dana', models: [model], instruction: 'use a retail sales example' });
    expect(again.version).toBe(2);
  });

  it('waits through the given sleep before retrying a rate-limited call, in a batch and when regenerating', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const waits: number[] = [];
    const recordingSleep = async (ms: number) => {
      waits.push(ms);
    };
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider({ faults: ['rate_limited'] })], filter: { lessonId, kind: 'lesson' }, retrySleep: recordingSleep });
    expect(run.generated).toHaveLength(1);
    expect(waits).toHaveLength(1);
    await content.regenerateContent(run.generated[0]!.id, { actor: 'dana', models: [createMockProvider({ faults: ['rate_limited'] })], instruction: 'use a retail sales example', retrySleep: recordingSleep });
    expect(waits).toHaveLength(2);
  });
});

describe('regenerating one item', () => {
  it('refuses to save a version identical to the last when an instruction changed nothing, saying so in the refusal', async () => {
    const { course, lessonId } = await createCourseWithApprovedSyllabus(engine);
    const recorded = fixedUsage(createMockProvider());
    const [first] = (await content.generateContent(course.id, { actor: 'dana', models: [recorded.provider], filter: { lessonId, kind: 'lesson' } })).generated;
    const refusal = await asyncRefusalOf(() => content.regenerateContent(first!.id, { actor: 'dana', models: [repeating(recorded.answers[0]!)], instruction: 'make it friendlier' }));
    expect(refusal).toMatchObject({ code: 'CONFLICT', details: { unchanged: true } });
    expect(refusal.message).toContain('gave the same lesson as v1');
    expect(opened.store.content.listByCourse(course.id).map((i) => i.id)).toEqual([first!.id]);

    // Without an instruction the same answer is a plain retry, saved as v2.
    const retried = await content.regenerateContent(first!.id, { actor: 'dana', models: [repeating(recorded.answers[0]!)] });
    expect(retried.version).toBe(2);
    expect(opened.store.content.get(first!.id)?.status).toBe('SUPERSEDED');
  });

  it('a cancelled regeneration saves nothing', async () => {
    const { course, lessonId } = await createCourseWithApprovedSyllabus(engine);
    const [first] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } })).generated;
    const abort = new AbortController();
    abort.abort();
    const refusal = await asyncRefusalOf(() => content.regenerateContent(first!.id, { actor: 'dana', models: [createMockProvider()], instruction: 'use a retail sales example', signal: abort.signal }));
    expect(refusal.message).toMatch(/cancelled/);
    expect(opened.store.content.listByCourse(course.id).map((i) => `${i.id} ${i.status}`)).toEqual([`${first!.id} DRAFT`]);
  });
});

describe('review decisions and the audit log', () => {
  it('records generation, submission, opening, rejection and course moves with the entity and details a reviewer reads', async () => {
    const { course, lessonId } = await createCourseWithApprovedSyllabus(engine);
    const [item] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'quiz' } })).generated;
    content.submitContent([item!.id], 'dana');
    content.openContent(item!.id, 'rui');
    content.rejectContent(item!.id, { by: 'rui', reason: '  question 2 has two right answers ' });
    content.transitionCourse(course.id, 'review', 'dana', ' syllabus approved ');

    const row = (action: string, entityId: string) => {
      const [entry] = audits(entityId, action);
      return { entityType: entry?.entityType, metadata: entry?.metadata };
    };
    expect(row('content.generated', item!.id)).toEqual({ entityType: 'content_item', metadata: { courseId: course.id, kind: 'quiz', targetId: lessonId } });
    expect(row('content.submitted', item!.id)).toEqual({ entityType: 'content_item', metadata: { courseId: course.id, kind: 'quiz', targetId: lessonId } });
    expect(row('content.opened', item!.id)).toEqual({ entityType: 'content_item', metadata: { courseId: course.id, kind: 'quiz', targetId: lessonId, version: 1 } });
    expect(row('content.rejected', item!.id)).toEqual({ entityType: 'content_item', metadata: { courseId: course.id, reason: 'question 2 has two right answers' } });
    expect(row('course.transitioned', course.id)).toEqual({ entityType: 'course', metadata: { from: 'draft', to: 'review', reason: 'syllabus approved' } });
  });

  it('bulk approval names at most 8 unopened items in its message but refuses on all of them; opened ones are approved', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: approved.syllabus.modules[0]!.id } });
    const more = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: approved.syllabus.modules[1]!.id, kind: 'lesson' } });
    const ids = [...run.generated, ...more.generated].map((i) => i.id);
    expect(ids).toHaveLength(10);
    content.submitContent(ids, 'dana');
    content.openContent(ids[0]!, 'rui');

    const refusal = refusalOf(() => content.approveContent(ids, { by: 'rui', requireOpened: true }));
    const unopened = ids.slice(1);
    expect(refusal.details).toEqual({ unopened });
    expect(refusal.message).toContain(`9 not opened yet: ${unopened.slice(0, 8).join(', ')}. Open them`);
    expect(refusal.message).not.toContain(unopened[8]!);
    expect(opened.store.content.listByCourse(course.id).every((i) => i.status === 'IN_REVIEW')).toBe(true);

    expect(content.approveContent([ids[0]!], { by: 'rui', requireOpened: true }).map((i) => i.status)).toEqual(['APPROVED']);
  });

  it("with separation of duties on, approving all I opened leaves the reviewer's own items with the reason and approves the others'", async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const mine = (await content.generateContent(course.id, { actor: 'Dana ', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } })).generated[0]!;
    const theirs = (await content.generateContent(course.id, { actor: 'sam', models: [createMockProvider()], filter: { lessonId, kind: 'quiz' } })).generated[0]!;
    content.submitContent([mine.id, theirs.id], 'dana');
    content.openContent(mine.id, 'dana');
    content.openContent(theirs.id, 'dana');
    opened.store.settings.set('separationOfDuties', true);

    const ownRefusal = refusalOf(() => content.approveContent([mine.id], { by: 'dana' }));
    expect(ownRefusal.message).toBe(`You wrote this version; another reviewer must approve it. lesson ${lessonId} v1 (${mine.id}) was written by Dana, and separation of duties is on in Settings.`);

    const result = content.approveOpenedContent(course.id, { by: 'dana' });
    expect(result.approved.map((i) => i.id)).toEqual([theirs.id]);
    expect(result.notApproved.map((n) => ({ id: n.item.id, reason: n.reason }))).toEqual([{ id: mine.id, reason: 'dana wrote this version; separation of duties is on, so another reviewer must approve it' }]);
    expect(opened.store.content.get(mine.id)?.status).toBe('IN_REVIEW');
  });

  it('with separation of duties off, a reviewer approves the items they wrote and opened', async () => {
    const { course, lessonId } = await createCourseWithApprovedSyllabus(engine);
    const mine = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } })).generated[0]!;
    content.submitContent([mine.id], 'dana');
    content.openContent(mine.id, 'dana');
    opened.store.settings.set('separationOfDuties', false);
    const result = content.approveOpenedContent(course.id, { by: 'dana' });
    expect(result.approved.map((i) => `${i.id} ${i.status}`)).toEqual([`${mine.id} APPROVED`]);
    expect(result.notApproved).toEqual([]);
    const [row] = audits(mine.id, 'content.approved');
    expect(row).toMatchObject({ actor: 'dana', entityType: 'content_item', metadata: { courseId: course.id, kind: 'lesson', targetId: lessonId, note: null, bulk: false } });
  });
});

describe('the course lifecycle', () => {
  it('drafts and items in review do not make a course ready; each unmet rule is its own line of the refusal', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    content.transitionCourse(course.id, 'review', 'dana');
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] });
    const quizzes = run.generated.filter((i) => i.kind === 'quiz').map((i) => i.id);
    content.submitContent(quizzes, 'dana');

    const refusal = refusalOf(() => content.transitionCourse(course.id, 'ready', 'dana'));
    const lines = refusal.message.split('\n');
    expect(lines[0]).toBe(`Course ${course.id} cannot move from review to ready:`);
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(':')))).toEqual(['  - lessons-approved', '  - quizzes-approved', '  - projects-approved']);
    expect(content.courseStatus(course.id).transitions.find((t) => t.to === 'ready')?.allowed).toBe(false);

    for (const id of run.generated.map((i) => i.id)) content.openContent(id, 'rui');
    content.submitContent(run.generated.filter((i) => i.kind !== 'quiz').map((i) => i.id), 'dana');
    content.approveContent(run.generated.map((i) => i.id), { by: 'rui', requireOpened: true });
    expect(content.transitionCourse(course.id, 'ready', 'dana').status).toBe('ready');
  });
});
