import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../core/engine.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createReplayProvider } from '../../core/ai/replay-provider.js';
import { BlocklistModeration } from '../../core/ai/moderation.js';
import { contentHash } from '../../core/hash.js';
import { openDatabase } from '../../db/open.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
const instant = async () => {};

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('engine'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
});
afterEach(() => opened.close());

async function draftFor(courseId: string) {
  return engine.generateSyllabusDraft(courseId, { actor: 'dana', models: [createMockProvider()], moderation: new BlocklistModeration() });
}

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoursewrightError);
    expect((error as CoursewrightError).code).toBe(code);
    return error as CoursewrightError;
  }
  throw new Error(`expected a ${code} error`);
}

describe('syllabus lifecycle on a real database file', () => {
  it('generates, submits and approves a draft; the approval is hashed and audited', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await draftFor(course.id);
    expect(draft.status).toBe('DRAFT');
    expect(draft.version).toBe(1);
    expect(draft.metadata.provider).toBe('mock');
    expect(draft.metadata.promptVersion).toMatch(/^syllabus\.v1\+sha256:[0-9a-f]{64}$/);

    const submitted = engine.submitSyllabus(draft.id, 'dana');
    expect(submitted.status).toBe('IN_REVIEW');
    expect(engine.reviewQueue().map((v) => v.id)).toEqual([draft.id]);

    const approved = engine.approveSyllabus(draft.id, { by: 'rui', note: 'ready' });
    expect(approved.status).toBe('APPROVED');
    expect(approved.review.decidedBy).toBe('rui');
    expect(approved.review.note).toBe('ready');
    expect(approved.review.contentHash).toBe(contentHash(approved.syllabus));
    expect(engine.reviewQueue()).toEqual([]);

    const actions = engine.listAudit({ entityId: draft.id }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['syllabus.generated', 'syllabus.submitted', 'syllabus.approved']));
    const approval = engine.listAudit({ entityId: draft.id }).find((e) => e.action === 'syllabus.approved');
    expect(approval?.actor).toBe('rui');
    expect(approval?.metadata.contentHash).toBe(approved.review.contentHash);
  });

  it('refuses to edit, approve twice or reject an approved version, and revising starts a new draft', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await draftFor(course.id);
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });

    const edit = expectCode(() => engine.editSyllabus(draft.id, draft.syllabus, 'dana'), 'CONFLICT');
    expect(edit.message).toContain('syllabus revise');
    expectCode(() => engine.approveSyllabus(draft.id, { by: 'rui' }), 'CONFLICT');
    expectCode(() => engine.rejectSyllabus(draft.id, { by: 'rui', reason: 'late change of heart' }), 'CONFLICT');

    const revision = engine.reviseSyllabus(draft.id, 'dana');
    expect(revision.status).toBe('DRAFT');
    expect(revision.version).toBe(2);
    expect(revision.review.basedOnId).toBe(draft.id);
    expect(engine.getSyllabusVersion(draft.id).status).toBe('APPROVED');
  });

  it('an edit is a new version; the old draft stays, superseded, and the diff names the change', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await draftFor(course.id);
    const edited = structuredClone(draft.syllabus);
    const lesson = edited.modules[0]!.lessons[0]!;
    lesson.title = 'Reading a chart before drawing one';
    const v2 = engine.editSyllabus(draft.id, edited, 'dana');

    expect(v2.version).toBe(2);
    expect(v2.syllabus.modules[0]!.lessons[0]!.title).toBe('Reading a chart before drawing one');
    const v1 = engine.getSyllabusVersion(draft.id);
    expect(v1.status).toBe('SUPERSEDED');
    expect(v1.syllabus.modules[0]!.lessons[0]!.title).toBe(draft.syllabus.modules[0]!.lessons[0]!.title);

    const diff = engine.diffSyllabusVersions(draft.id, v2.id);
    expect(diff.changes).toEqual([
      expect.objectContaining({ kind: 'changed', entity: 'lesson', id: lesson.id, field: 'title', after: 'Reading a chart before drawing one' }),
    ]);
    expect(engine.listSyllabusVersions(course.id).map((v) => [v.version, v.status])).toEqual([
      [1, 'SUPERSEDED'],
      [2, 'DRAFT'],
    ]);
  });

  it('rejects an invalid edit naming the field, and keeps the draft as it was', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await draftFor(course.id);
    const broken = structuredClone(draft.syllabus) as { modules: { lessons: { objectives: unknown }[] }[] };
    broken.modules[0]!.lessons[0]!.objectives = [];
    const error = expectCode(() => engine.editSyllabus(draft.id, broken, 'dana'), 'INVALID_INPUT');
    expect(error.message).toContain('Module 1, lesson 1, objectives needs at least one objective');
    expect(engine.listSyllabusVersions(course.id)).toHaveLength(1);
    expect(engine.getSyllabusVersion(draft.id).status).toBe('DRAFT');
  });

  it('rejection needs a reason and is audited with it', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await draftFor(course.id);
    engine.submitSyllabus(draft.id, 'dana');
    expectCode(() => engine.rejectSyllabus(draft.id, { by: 'rui', reason: '  ' }), 'INVALID_INPUT');
    const rejected = engine.rejectSyllabus(draft.id, { by: 'rui', reason: 'Module 2 repeats module 1' });
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.review.rejectionReason).toBe('Module 2 repeats module 1');
    const entry = engine.listAudit({ entityId: draft.id }).find((e) => e.action === 'syllabus.rejected');
    expect(entry?.metadata.reason).toBe('Module 2 repeats module 1');
  });

  it('model output that stays invalid after repair persists nothing and is audited as a failure', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const replay = createReplayProvider(['not json at all', '{"title": 42}', '```json\n{"modules": []}\n```'], { source: 'test' });
    await expect(engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [replay], retrySleep: instant })).rejects.toMatchObject({ code: 'MODEL_OUTPUT_INVALID' });
    expect(engine.listSyllabusVersions(course.id)).toEqual([]);
    expect(engine.listAudit({ entityId: course.id }).map((e) => e.action)).toContain('syllabus.generation_failed');
  });

  it('repairs a fenced, trailing-comma answer on the first try and ledgers every call', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const good = await draftFor(course.id);
    const fenced = 'Here is your syllabus:\n```json\n' + JSON.stringify(good.syllabus, null, 2).replace(/\n(\s*)\]/, ',\n$1]') + '\n```\nEnjoy!';
    const replay = createReplayProvider([fenced], { source: 'test' });
    const again = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [replay] });
    expect(again.syllabus).toEqual(good.syllabus);
    expect(again.review.contentHash).toBe(good.review.contentHash);
    const calls = opened.store.ledger.list({ courseId: course.id });
    expect(calls.map((c) => [c.provider, c.outcome])).toEqual(expect.arrayContaining([['mock', 'ok'], ['replay', 'ok']]));
  });

  it('falls back to the next model when the first keeps failing', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const failing = createMockProvider({ faults: ['server_error', 'server_error', 'server_error', 'server_error', 'server_error', 'server_error'] });
    const replayOfGood = createReplayProvider([JSON.stringify((await draftFor(course.id)).syllabus)], { source: 'test' });
    const version = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [failing, replayOfGood], retrySleep: instant });
    expect(version.metadata.provider).toBe('replay');
    const outcomes = opened.store.ledger.list({ courseId: course.id }).map((c) => c.outcome);
    expect(outcomes.filter((o) => o === 'server_error').length).toBeGreaterThanOrEqual(2);
  });

  it('creating a course from an invalid intent names the field and creates nothing', () => {
    const error = expectCode(() => engine.createCourse({ ...sampleIntent, level: 'expert' }, 'dana'), 'INVALID_INPUT');
    expect(error.message).toContain('Level must be one of “beginner”, “intermediate”, “advanced”');
    expect(engine.listCourses()).toEqual([]);
  });

  it('unknown ids are NOT_FOUND with the command that lists real ones', () => {
    expect(expectCode(() => engine.getSyllabusVersion('syl_nope'), 'NOT_FOUND').message).toContain('syllabus list');
    expect(expectCode(() => engine.listSyllabusVersions('crs_nope'), 'NOT_FOUND').message).toContain('course list');
  });
});
