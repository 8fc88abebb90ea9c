import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { sampleIntent, tempDataDir, createCourseWithApprovedSyllabus } from '../helpers.js';

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
const instant = async () => {};

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('content'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
});
afterEach(() => opened.close());

const courseWithApprovedSyllabus = () => createCourseWithApprovedSyllabus(engine);

const live = (courseId: string) => opened.store.content.listByCourse(courseId).filter((i) => i.status !== 'SUPERSEDED' && i.status !== 'REJECTED');

describe('content generation from an approved syllabus', () => {
  it('refuses a course without an approved syllabus, and a syllabus version that is not approved', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    await expect(content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('APPROVED syllabus') });
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    await expect(content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], syllabusVersionId: draft.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is DRAFT') });
    expect(opened.store.content.listByCourse(course.id)).toEqual([]);
  });

  it('generates one module with bounded concurrency, ledgering every call and reporting progress', async () => {
    const { course, approved } = await courseWithApprovedSyllabus();
    const module = approved.syllabus.modules[0]!;
    const progress: number[] = [];
    const summary = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider({ latencyMs: 5 })], filter: { moduleId: module.id }, concurrency: 3, onProgress: (p) => progress.push(p.remaining) });
    const expected = module.lessons.length * 2 + (module.lessons.some((l) => l.assessmentHooks.some((h) => h.kind === 'project')) ? 1 : 0);
    expect(summary.generated).toHaveLength(expected);
    expect(summary.failed).toEqual([]);
    expect(progress.at(-1)).toBe(0);
    expect(summary.tokens).toBeGreaterThan(0);
    const items = opened.store.content.listByCourse(course.id);
    expect(items.every((i) => i.status === 'DRAFT' && i.syllabusVersionId === approved.id && i.metadata.provider === 'mock' && i.metadata.promptVersion.startsWith(`content.${i.kind}.v1`))).toBe(true);
    expect(opened.store.ledger.list({ courseId: course.id }).filter((c) => c.purpose.startsWith('content.')).length).toBe(expected);
  });

  it('resumes after a cancel and after failures without redoing or duplicating finished items', async () => {
    const { course } = await courseWithApprovedSyllabus();
    const abort = new AbortController();
    const first = await content.generateContent(course.id, {
      actor: 'dana',
      models: [createMockProvider({ latencyMs: 2 })],
      concurrency: 2,
      signal: abort.signal,
      onProgress: (p) => p.done >= 4 && abort.abort(),
    });
    expect(first.cancelled).toBe(true);
    const afterCancel = first.generated.map((i) => i.id);
    expect(afterCancel.length).toBeGreaterThanOrEqual(4);

    // A model that answers garbage for a while: those units fail, the rest are saved.
    const second = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider({ faults: ['malformed', 'malformed', 'malformed'] })], concurrency: 1, maxRepairs: 2, retrySleep: instant });
    expect(second.skipped).toBe(afterCancel.length);
    expect(second.failed).toHaveLength(1);

    const third = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] });
    expect(third.generated.map((i) => `${i.kind}:${i.targetId}`)).toEqual(second.failed.map((f) => `${f.unit.kind}:${f.unit.targetId}`));
    const items = live(course.id);
    expect(items).toHaveLength(third.planned);
    expect(new Set(items.map((i) => `${i.kind}:${i.targetId}`)).size).toBe(items.length);
    for (const id of afterCancel) expect(opened.store.content.get(id)?.status).toBe('DRAFT');
  });

  it('regenerates one item with an instruction as a new draft version; the old one stays, superseded', async () => {
    const { course, approved } = await courseWithApprovedSyllabus();
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const [first] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'lesson' } })).generated;
    const second = await content.regenerateContent(first!.id, { actor: 'dana', models: [createMockProvider()], instruction: 'use a retail sales example' });
    expect(second.version).toBe(2);
    expect(second.review.basedOnId).toBe(first!.id);
    expect(JSON.stringify(second.content)).toContain('retail sales');
    expect(opened.store.content.get(first!.id)?.status).toBe('SUPERSEDED');
    expect(second.metadata.params.instruction).toBe('use a retail sales example');
  });
});

describe('content review and the course lifecycle', () => {
  it('takes a course from draft to ready by its rules, each refusal listing every unmet rule', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    expect(() => content.transitionCourse(course.id, 'ready', 'dana')).toThrow(/can move only to review/);
    expect(() => content.transitionCourse(course.id, 'review', 'dana')).toThrow(/approved-syllabus/);

    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });
    content.transitionCourse(course.id, 'review', 'dana', 'syllabus approved');

    let refusal: Error | undefined;
    try {
      content.transitionCourse(course.id, 'ready', 'dana');
    } catch (error) {
      refusal = error as Error;
    }
    expect(refusal?.message).toMatch(/lessons-approved[\s\S]*quizzes-approved[\s\S]*projects-approved/);

    const summary = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] });
    const ids = summary.generated.map((i) => i.id);
    content.submitContent(ids, 'dana');
    expect(() => content.approveContent(ids, { by: 'rui', requireOpened: true })).toThrow(/not opened yet/);
    for (const id of ids) content.openContent(id);
    const approvedItems = content.approveContent(ids, { by: 'rui', note: 'reviewed in bulk', requireOpened: true });
    expect(approvedItems.every((i) => i.status === 'APPROVED')).toBe(true);

    const ready = content.transitionCourse(course.id, 'ready', 'dana', 'all content approved');
    expect(ready.status).toBe('ready');
    expect(() => content.transitionCourse(course.id, 'published', 'dana')).toThrow(/package-built/);
    expect(ready.log.map((l) => `${l.from}→${l.to} by ${l.actor}`)).toEqual(['draft→review by dana', 'review→ready by dana']);
    expect(engine.listAudit({ entityId: course.id }).filter((e) => e.action === 'course.transitioned')).toHaveLength(2);
    expect(() => opened.db.prepare("UPDATE course_status_log SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => opened.db.prepare('DELETE FROM course_status_log').run()).toThrow(/append-only/);
  });

  it('a rejection needs a reason; approved content refuses raw UPDATE and DELETE, and a second live draft', async () => {
    const { course, approved } = await courseWithApprovedSyllabus();
    const lessonId = approved.syllabus.modules[0]!.lessons[0]!.id;
    const [item] = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId, kind: 'quiz' } })).generated;
    content.submitContent([item!.id], 'dana');
    expect(() => content.rejectContent(item!.id, { by: 'rui', reason: ' ' })).toThrow(/reason/);
    content.approveContent([item!.id], { by: 'rui' });
    expect(() => opened.db.prepare("UPDATE content_items SET content_json = '{}' WHERE id = ?").run(item!.id)).toThrow(/immutable|written once/);
    expect(() => opened.db.prepare('DELETE FROM content_items WHERE id = ?').run(item!.id)).toThrow(/cannot be deleted/);
    const draft = await content.regenerateContent(item!.id, { actor: 'dana', models: [createMockProvider()] });
    expect(() =>
      opened.db
        .prepare("INSERT INTO content_items (id, course_id, syllabus_version_id, kind, target_id, version, status, content_json, metadata_json, content_hash, created_at) VALUES ('dup', ?, ?, 'quiz', ?, 99, 'DRAFT', '{}', '{}', 'h', 'now')")
        .run(course.id, approved.id, lessonId),
    ).toThrow(/UNIQUE/);
    expect(draft.status).toBe('DRAFT');
  });
});
