import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import type { CoursewrightError } from '../../schemas/errors.js';
import { createCourseWithApprovedSyllabus, sampleIntent, tempDataDir } from '../helpers.js';

/**
 * The content engine's rules, each from both sides, in process against a real database file:
 * what a filter plans, who may submit, approve, reject and regenerate what, what a reviewer's
 * opening records, and what approving "every item I opened" takes and leaves.
 *
 * The mock writes the sample course as modules m1…m6-data-visualisation of three lessons each
 * (ids m1-data-visualisation-l1 …), and every module owes a project.
 */

const M1 = 'm1-data-visualisation';
const M2 = 'm2-data-visualisation';
const L = (module: number, lesson: number) => `m${module}-data-visualisation-l${lesson}`;

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let tick: number;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('content-decisions'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  tick = 0;
  // Every reading of the clock is one second later, so each recorded time tells which step wrote it.
  content = createContentEngine({ store: opened.store, clock: { now: () => new Date(Date.UTC(2026, 2, 1, 9, 0, tick++)) } });
});
afterEach(() => opened.close());

function refusalOf(action: () => unknown): CoursewrightError {
  try {
    action();
  } catch (error) {
    return error as CoursewrightError;
  }
  throw new Error('expected a refusal, but the action went through');
}

/** The quizzes of module one, generated and (unless told otherwise) submitted for review. */
async function quizzesOfModuleOne(submit = true) {
  const setup = await createCourseWithApprovedSyllabus(engine);
  const run = await content.generateContent(setup.course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: M1, kind: 'quiz' }, concurrency: 1 });
  const [q1, q2, q3] = [1, 2, 3].map((n) => run.generated.find((i) => i.targetId === L(1, n))!);
  if (submit) content.submitContent([q1!.id, q2!.id, q3!.id], 'dana');
  return { ...setup, q1: q1!, q2: q2!, q3: q3! };
}

const units = (list: Array<{ kind: string; targetId: string }>) => list.map((u) => `${u.kind}:${u.targetId}`);
const statusOf = (id: string) => opened.store.content.get(id)!.status;
const auditOf = (id: string, action: string) => opened.store.audit.list({ entityId: id }).filter((a) => a.action === action);

describe('planning what a filter asks for', () => {
  it('without a filter: per lesson its lesson and quiz, then the module project, in course order', async () => {
    const { approved } = await createCourseWithApprovedSyllabus(engine);
    const plan = units(content.planContent(approved.syllabus));
    expect(plan).toHaveLength(42);
    expect(plan.slice(0, 8)).toEqual([`lesson:${L(1, 1)}`, `quiz:${L(1, 1)}`, `lesson:${L(1, 2)}`, `quiz:${L(1, 2)}`, `lesson:${L(1, 3)}`, `quiz:${L(1, 3)}`, `project:${M1}`, `lesson:${L(2, 1)}`]);
  });

  it('a module, a lesson, a kind, or a module and a kind', async () => {
    const { approved } = await createCourseWithApprovedSyllabus(engine);
    const s = approved.syllabus;
    expect(units(content.planContent(s, { moduleId: M2 }))).toEqual([`lesson:${L(2, 1)}`, `quiz:${L(2, 1)}`, `lesson:${L(2, 2)}`, `quiz:${L(2, 2)}`, `lesson:${L(2, 3)}`, `quiz:${L(2, 3)}`, `project:${M2}`]);
    expect(units(content.planContent(s, { lessonId: L(2, 2) }))).toEqual([`lesson:${L(2, 2)}`, `quiz:${L(2, 2)}`]);
    expect(units(content.planContent(s, { kind: 'project' }))).toEqual([1, 2, 3, 4, 5, 6].map((n) => `project:m${n}-data-visualisation`));
    expect(units(content.planContent(s, { moduleId: M1, kind: 'quiz' }))).toEqual([`quiz:${L(1, 1)}`, `quiz:${L(1, 2)}`, `quiz:${L(1, 3)}`]);
    expect(units(content.planContent(s, { lessonId: L(1, 3), kind: 'lesson' }))).toEqual([`lesson:${L(1, 3)}`]);
    expect(units(content.planContent(s, { lessonId: L(1, 3), kind: 'project' }))).toEqual([]);
  });

  it('refuses a module or lesson the approved syllabus does not have', async () => {
    const { approved } = await createCourseWithApprovedSyllabus(engine);
    expect(refusalOf(() => content.planContent(approved.syllabus, { moduleId: 'm9' }))).toMatchObject({ code: 'NOT_FOUND', message: 'The approved syllabus has no module "m9".' });
    expect(refusalOf(() => content.planContent(approved.syllabus, { lessonId: 'm1-l9' }))).toMatchObject({ code: 'NOT_FOUND', message: 'The approved syllabus has no lesson "m1-l9".' });
  });
});

describe('which syllabus version content is written from', () => {
  it('refuses a version of another course, and an unknown one, before calling any model', async () => {
    const { approved } = await createCourseWithApprovedSyllabus(engine);
    const other = engine.createCourse(sampleIntent, 'dana');
    await expect(content.generateContent(other.id, { actor: 'dana', models: [createMockProvider()], syllabusVersionId: approved.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Course ${other.id} has no syllabus version "${approved.id}".`,
    });
    await expect(content.generateContent(other.id, { actor: 'dana', models: [createMockProvider()], syllabusVersionId: 'syl_none' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(opened.store.ledger.list({ courseId: other.id })).toEqual([]);
  });

  it('names the version and its status when it is not approved', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    await expect(content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], syllabusVersionId: draft.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Syllabus version 2 (${draft.id}) is DRAFT: content is generated only from an APPROVED syllabus. Submit it and have it approved first.`,
    });
  });

  it('refuses an unknown course', async () => {
    await expect(content.generateContent('crs_none', { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No course "crs_none". List courses with `coursewright course list`.' });
    expect(refusalOf(() => content.listContent('crs_none')).code).toBe('NOT_FOUND');
    expect(refusalOf(() => content.getContent('qz_none'))).toMatchObject({ code: 'NOT_FOUND', message: 'No content item "qz_none". List a course\'s content with `coursewright content list COURSE`.' });
  });
});

describe('generation records what it did', () => {
  it('numbers ids by kind, records the run in the audit trail and reports skipped units on a second run', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    const first = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: M1 }, concurrency: 1 });
    expect(first).toMatchObject({ planned: 7, skipped: 0, failed: [], cancelled: false });
    expect(first.generated.map((i) => i.id.split('_')[0])).toEqual(['les', 'qz', 'les', 'qz', 'les', 'qz', 'prj']);
    expect(first.generated.map((i) => [i.version, i.status, i.review.basedOnId, i.metadata.createdBy])).toEqual(Array(7).fill([1, 'DRAFT', null, 'dana']));
    expect(auditOf(first.generated[0]!.id, 'content.generated').map((a) => [a.actor, a.metadata])).toEqual([['dana', { courseId: course.id, kind: 'lesson', targetId: L(1, 1) }]]);

    const progress: Array<{ done: number; skipped: number; remaining: number }> = [];
    const again = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: L(1, 1) }, onProgress: (p) => progress.push({ done: p.done, skipped: p.skipped, remaining: p.remaining }) });
    expect(again).toMatchObject({ planned: 2, skipped: 2, generated: [], tokens: 0 });
    expect(progress).toEqual([{ done: 0, skipped: 2, remaining: 0 }]);
  });
});

describe('a unit the model fails on', () => {
  it('is reported with its error, audited on the course, and left for the next run; the rest are saved', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    const last: Array<string | undefined> = [];
    const run = await content.generateContent(course.id, {
      actor: 'dana',
      models: [createMockProvider({ faults: ['malformed'] })],
      filter: { lessonId: L(1, 1) },
      concurrency: 1,
      maxRepairs: 0,
      retrySleep: async () => {},
      onProgress: (p) => last.push(p.last ? `${p.last.outcome} ${p.last.unit.kind} done=${p.done} failed=${p.failed} remaining=${p.remaining}` : undefined),
    });
    expect(run.failed.map((f) => f.unit)).toEqual([{ kind: 'lesson', targetId: L(1, 1) }]);
    expect(run.generated.map((i) => i.kind)).toEqual(['quiz']);
    expect(last).toEqual([undefined, 'failed lesson done=0 failed=1 remaining=1', 'generated quiz done=1 failed=1 remaining=0']);
    const failures = opened.store.audit.list({ entityId: course.id }).filter((a) => a.action === 'content.generation_failed');
    expect(failures.map((a) => [a.actor, a.entityType, a.metadata])).toEqual([['dana', 'course', { kind: 'lesson', targetId: L(1, 1), error: run.failed[0]!.error }]]);
    expect(run.failed[0]!.error).toContain(`lesson for ${L(1, 1)}`);

    const retry = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: L(1, 1) } });
    expect(retry).toMatchObject({ planned: 2, skipped: 1, failed: [] });
    expect(retry.generated.map((i) => i.kind)).toEqual(['lesson']);
  });
});

describe('submitting', () => {
  it('takes drafts into review, and refuses anything else, naming it', async () => {
    const { q1, q2 } = await quizzesOfModuleOne(false);
    const [submitted] = content.submitContent([q1.id], 'dana');
    expect(submitted).toMatchObject({ status: 'IN_REVIEW', review: { submittedAt: expect.any(String) } });
    expect(auditOf(q1.id, 'content.submitted').map((a) => a.actor)).toEqual(['dana']);
    expect(refusalOf(() => content.submitContent([q2.id, q1.id], 'dana'))).toMatchObject({
      code: 'CONFLICT',
      message: `Cannot submit content item ${q1.id} (quiz ${L(1, 1)} v1): it is IN_REVIEW. Only drafts can be submitted for review.`,
    });
    expect(statusOf(q2.id)).toBe('DRAFT');
  });
});

describe('opening an item to review it', () => {
  it('records the first look on the item and each named reviewer once in the audit trail', async () => {
    const { q1 } = await quizzesOfModuleOne();
    const first = content.openContent(q1.id, ' rui ');
    expect(first.review.openedAt).not.toBeNull();
    expect(content.openContent(q1.id, 'rui').review.openedAt).toBe(first.review.openedAt);
    content.openContent(q1.id, 'ana');
    content.openContent(q1.id, '   ');
    content.openContent(q1.id);
    expect(auditOf(q1.id, 'content.opened').map((a) => [a.actor, a.metadata])).toEqual([
      ['rui', { courseId: q1.courseId, kind: 'quiz', targetId: L(1, 1), version: 1 }],
      ['ana', { courseId: q1.courseId, kind: 'quiz', targetId: L(1, 1), version: 1 }],
    ]);
  });

  it('records nothing for an item that is already approved', async () => {
    const { q1 } = await quizzesOfModuleOne();
    content.approveContent([q1.id], { by: 'rui' });
    expect(content.openContent(q1.id, 'ana').review.openedAt).toBeNull();
    expect(auditOf(q1.id, 'content.opened')).toEqual([]);
  });
});

describe('approving', () => {
  it('needs the approver\'s name', async () => {
    const { q1 } = await quizzesOfModuleOne();
    expect(refusalOf(() => content.approveContent([q1.id], { by: '  ' }))).toMatchObject({ code: 'INVALID_INPUT', message: "An approval needs the approver's name (--by NAME)." });
    expect(statusOf(q1.id)).toBe('IN_REVIEW');
  });

  it('refuses a draft, pointing at submitting it, and an approved item', async () => {
    const { q1 } = await quizzesOfModuleOne(false);
    expect(refusalOf(() => content.approveContent([q1.id], { by: 'rui' }))).toMatchObject({
      code: 'CONFLICT',
      message: `Cannot approve content item ${q1.id} (quiz ${L(1, 1)} v1): it is DRAFT. Submit it first: \`coursewright content submit ${q1.id}\`.`,
    });
    content.submitContent([q1.id], 'dana');
    content.approveContent([q1.id], { by: 'rui' });
    expect(refusalOf(() => content.approveContent([q1.id], { by: 'rui' })).message).toBe(`Cannot approve content item ${q1.id} (quiz ${L(1, 1)} v1): it is APPROVED. Only items in review can be approved.`);
  });

  it('records the approver and a trimmed note, or none, and audits whether it was one item or several', async () => {
    const { q1, q2, q3 } = await quizzesOfModuleOne();
    const [one] = content.approveContent([q1.id], { by: 'rui', note: '  fine as it is ' });
    expect(one!.review).toMatchObject({ decidedBy: 'rui', note: 'fine as it is', decidedAt: expect.any(String) });
    expect(auditOf(q1.id, 'content.approved')[0]!.metadata).toMatchObject({ note: '  fine as it is ', bulk: false });
    const both = content.approveContent([q2.id, q3.id], { by: 'rui', note: '   ' });
    expect(both.map((i) => [i.status, i.review.note])).toEqual([
      ['APPROVED', null],
      ['APPROVED', null],
    ]);
    expect(auditOf(q3.id, 'content.approved')[0]!.metadata).toMatchObject({ courseId: q3.courseId, kind: 'quiz', targetId: L(1, 3), bulk: true });
  });

  it('with requireOpened, refuses the whole batch while any item is unopened, naming those, and approves once all are opened', async () => {
    const { q1, q2, q3 } = await quizzesOfModuleOne();
    content.openContent(q1.id, 'rui');
    const refusal = refusalOf(() => content.approveContent([q1.id, q2.id, q3.id], { by: 'rui', requireOpened: true }));
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: `Bulk approval covers only items a reviewer has opened; 2 not opened yet: ${q2.id}, ${q3.id}. Open them with \`coursewright content show ID\`.`,
      details: { unopened: [q2.id, q3.id] },
    });
    expect([q1, q2, q3].map((q) => statusOf(q.id))).toEqual(['IN_REVIEW', 'IN_REVIEW', 'IN_REVIEW']);
    expect(content.approveContent([q2.id, q3.id], { by: 'rui' }).map((i) => i.status)).toEqual(['APPROVED', 'APPROVED']);
    expect(content.approveContent([q1.id], { by: 'rui', requireOpened: true })[0]!.status).toBe('APPROVED');
  });
});

describe('approving every item a reviewer opened', () => {
  it('approves what that reviewer opened and gives the reason for each other item in review; drafts are not touched', async () => {
    const { course, q1, q2, q3 } = await quizzesOfModuleOne();
    const [draft] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: L(1, 1), kind: 'lesson' } })).generated;
    const [unopened] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: L(1, 2), kind: 'lesson' } })).generated;
    content.submitContent([unopened!.id], 'dana');
    content.openContent(q1.id, 'rui');
    content.openContent(q2.id, 'ana');
    const anonymous = content.openContent(q3.id);
    content.openContent(draft!.id, 'rui');

    const result = content.approveOpenedContent(course.id, { by: '  rui ', note: 'module one quizzes' });
    expect(result.approved.map((i) => [i.id, i.status, i.review.decidedBy, i.review.note])).toEqual([[q1.id, 'APPROVED', 'rui', 'module one quizzes']]);
    expect(result.notApproved.map((n) => [n.item.id, n.reason])).toEqual([
      [q2.id, 'opened by ana, not by rui'],
      [q3.id, `opened ${anonymous.review.openedAt} by a reviewer whose name was not recorded, not by rui`],
      [unopened!.id, 'not opened by anyone yet'],
    ]);
    expect([q2.id, q3.id, unopened!.id].map(statusOf)).toEqual(['IN_REVIEW', 'IN_REVIEW', 'IN_REVIEW']);
    expect(statusOf(draft!.id)).toBe('DRAFT');
  });

  it('names every reviewer who opened an item, and approves nothing when nothing qualifies', async () => {
    const { course, q1, q2, q3 } = await quizzesOfModuleOne();
    content.openContent(q1.id, 'ana');
    content.openContent(q1.id, 'eli');
    const result = content.approveOpenedContent(course.id, { by: 'rui' });
    expect(result.approved).toEqual([]);
    expect(result.notApproved.map((n) => [n.item.id, n.reason])).toEqual([
      [q1.id, 'opened by ana, eli, not by rui'],
      [q2.id, 'not opened by anyone yet'],
      [q3.id, 'not opened by anyone yet'],
    ]);
    expect(auditOf(q1.id, 'content.approved')).toEqual([]);
  });

  it('needs the approver\'s name and a known course', async () => {
    const { course } = await quizzesOfModuleOne();
    expect(refusalOf(() => content.approveOpenedContent(course.id, { by: ' ' }))).toMatchObject({ code: 'INVALID_INPUT', message: "An approval needs the approver's name (--by NAME)." });
    expect(refusalOf(() => content.approveOpenedContent('crs_none', { by: 'rui' })).code).toBe('NOT_FOUND');
  });
});

describe('rejecting', () => {
  it('needs the reviewer\'s name and a reason, and refuses items not in review', async () => {
    const { q1, q2 } = await quizzesOfModuleOne();
    expect(refusalOf(() => content.rejectContent(q1.id, { by: ' ', reason: 'thin distractors' }))).toMatchObject({ code: 'INVALID_INPUT', message: "A rejection needs the reviewer's name (--by NAME)." });
    expect(refusalOf(() => content.rejectContent(q1.id, { by: 'rui', reason: '  ' }))).toMatchObject({ code: 'INVALID_INPUT', message: 'A rejection needs a reason the designer can act on (--reason TEXT).' });
    expect(statusOf(q1.id)).toBe('IN_REVIEW');
    content.approveContent([q2.id], { by: 'rui' });
    expect(refusalOf(() => content.rejectContent(q2.id, { by: 'rui', reason: 'too late' })).message).toBe(`Cannot reject content item ${q2.id} (quiz ${L(1, 2)} v1): it is APPROVED. Only items in review can be rejected.`);
  });

  it('records who rejected it and the trimmed reason', async () => {
    const { q1 } = await quizzesOfModuleOne();
    const rejected = content.rejectContent(q1.id, { by: 'rui', reason: '  the distractors are implausible ' });
    expect(rejected).toMatchObject({ status: 'REJECTED', review: { decidedBy: 'rui', rejectionReason: 'the distractors are implausible' } });
    expect(auditOf(q1.id, 'content.rejected').map((a) => [a.actor, a.metadata])).toEqual([['rui', { courseId: q1.courseId, reason: 'the distractors are implausible' }]]);
  });
});

describe('regenerating', () => {
  it('refuses an item in review and a superseded one, each with its way out', async () => {
    const { q1, q2 } = await quizzesOfModuleOne();
    await expect(content.regenerateContent(q1.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Content item ${q1.id} is in review; a reviewer must approve or reject it before it is regenerated.`,
    });
    content.rejectContent(q2.id, { by: 'rui', reason: 'too easy' });
    const next = await content.regenerateContent(q2.id, { actor: 'dana', models: [createMockProvider()] });
    expect(next).toMatchObject({ version: 2, status: 'DRAFT', review: { basedOnId: q2.id } });
    expect(auditOf(next.id, 'content.regenerated').map((a) => a.metadata)).toEqual([{ courseId: q2.courseId, kind: 'quiz', targetId: L(1, 2), basedOn: q2.id }]);
    const third = await content.regenerateContent(next.id, { actor: 'dana', models: [createMockProvider()] });
    expect(statusOf(next.id)).toBe('SUPERSEDED');
    await expect(content.regenerateContent(next.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Content item ${next.id} was replaced by a newer version; regenerate the latest one (\`coursewright content list ${q2.courseId}\`).`,
    });
    expect(third.version).toBe(3);
  });

  it('names the newer open version and what to do about it', async () => {
    const { q1 } = await quizzesOfModuleOne();
    content.rejectContent(q1.id, { by: 'rui', reason: 'too easy' });
    const draft = await content.regenerateContent(q1.id, { actor: 'dana', models: [createMockProvider()] });
    await expect(content.regenerateContent(q1.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `quiz ${L(1, 1)} already has a newer draft, v2 (${draft.id}), so v1 cannot be regenerated. Regenerate that draft instead: \`coursewright content regenerate ${draft.id}\`.`,
      details: { liveId: draft.id },
    });
    content.submitContent([draft.id], 'dana');
    await expect(content.regenerateContent(q1.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      message: `quiz ${L(1, 1)} already has a newer version in review, v2 (${draft.id}), so v1 cannot be regenerated. A reviewer must approve or reject it first.`,
    });
  });
});

describe('moving the course', () => {
  it('a refusal lists each unmet rule on its own line, with the rules as details; nothing moves', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const refusal = refusalOf(() => content.transitionCourse(course.id, 'review', 'dana'));
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: `Course ${course.id} cannot move from draft to review:\n  - approved-syllabus: The course needs an approved syllabus version: submit one and have it approved.`,
      details: { unmet: [{ rule: 'approved-syllabus', message: 'The course needs an approved syllabus version: submit one and have it approved.' }] },
    });
    expect(content.courseStatus(course.id)).toMatchObject({ status: 'draft', log: [] });
  });

  it('a move is logged and audited with its trimmed reason, or none', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    const moved = content.transitionCourse(course.id, 'review', 'dana', '  syllabus approved ');
    expect(moved.transitions.map((t) => [t.to, t.allowed])).toEqual([
      ['ready', false],
      ['draft', true],
    ]);
    const back = content.transitionCourse(course.id, 'draft', 'rui', '   ');
    expect(back.log.map((l) => [l.from, l.to, l.actor, l.reason])).toEqual([
      ['draft', 'review', 'dana', 'syllabus approved'],
      ['review', 'draft', 'rui', null],
    ]);
    expect(opened.store.audit.list({ entityId: course.id }).filter((a) => a.action === 'course.transitioned').map((a) => [a.actor, a.metadata])).toEqual([
      ['dana', { from: 'draft', to: 'review', reason: 'syllabus approved' }],
      ['rui', { from: 'review', to: 'draft', reason: null }],
    ]);
  });
});
