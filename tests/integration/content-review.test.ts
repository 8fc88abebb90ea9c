import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { tempDataDir, createCourseWithApprovedSyllabus } from '../helpers.js';

let file: string;
let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;

beforeEach(() => {
  file = path.join(tempDataDir('content-review'), 'coursewright.db');
  opened = openDatabase(file);
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
});
afterEach(() => opened.close());

const courseWithApprovedSyllabus = () => createCourseWithApprovedSyllabus(engine);

const contentCalls = (courseId: string) => opened.store.ledger.list({ courseId }).filter((c) => c.purpose.startsWith('content.')).length;

async function approvedQuiz() {
  const setup = await courseWithApprovedSyllabus();
  const [quiz] = (await content.generateContent(setup.course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: setup.lessonId, kind: 'quiz' } })).generated;
  content.submitContent([quiz!.id], 'dana');
  content.approveContent([quiz!.id], { by: 'rui' });
  return { ...setup, quiz: quiz! };
}

describe('regenerating while a newer version is open', () => {
  it('refuses before calling the model and names the open draft to regenerate instead', async () => {
    const { course, quiz } = await approvedQuiz();
    const draft = await content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()], instruction: 'harder distractors' });
    const calls = contentCalls(course.id);

    await expect(content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`content regenerate ${draft.id}`),
    });
    expect(contentCalls(course.id)).toBe(calls);

    const third = await content.regenerateContent(draft.id, { actor: 'dana', models: [createMockProvider()] });
    expect(third.version).toBe(3);
    expect(opened.store.content.get(draft.id)?.status).toBe('SUPERSEDED');
    expect(opened.store.content.get(quiz.id)?.status).toBe('APPROVED');
  });

  it('refuses while the newer version is in review, until a reviewer decides', async () => {
    const { quiz } = await approvedQuiz();
    const draft = await content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()] });
    content.submitContent([draft.id], 'dana');
    await expect(content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('approve or reject it first') });
    content.rejectContent(draft.id, { by: 'rui', reason: 'the distractors are implausible' });
    const next = await content.regenerateContent(draft.id, { actor: 'dana', models: [createMockProvider()], instruction: 'plausible distractors' });
    expect(next).toMatchObject({ version: 3, status: 'DRAFT', review: { basedOnId: draft.id } });
    expect(opened.store.content.get(draft.id)?.status).toBe('REJECTED');
  });
});

describe('regenerating content of an outdated syllabus', () => {
  it('refuses once a newer syllabus is approved, pointing at generating content for it', async () => {
    const { course, quiz } = await approvedQuiz();
    const next = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(next.id, 'dana');
    engine.approveSyllabus(next.id, { by: 'rui' });
    await expect(content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(new RegExp(`syllabus is now v${next.version}[\\s\\S]*content generate ${course.id}`)),
    });
    const fresh = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: next.syllabus.modules[0]!.lessons[0]!.id, kind: 'quiz' } });
    expect(fresh.generated.map((i) => i.syllabusVersionId)).toEqual([next.id]);
  });
});

describe('two runs over the same course at once', () => {
  it('save each unit once: the run that loses the race counts it as skipped, not failed', async () => {
    const { course, approved } = await courseWithApprovedSyllabus();
    const second = openDatabase(file);
    try {
      const other = createContentEngine({ store: second.store });
      const filter = { moduleId: approved.syllabus.modules[0]!.id };
      const [a, b] = await Promise.all([
        content.generateContent(course.id, { actor: 'dana', models: [createMockProvider({ latencyMs: 5 })], filter, concurrency: 2 }),
        other.generateContent(course.id, { actor: 'eli', models: [createMockProvider({ latencyMs: 5 })], filter, concurrency: 2 }),
      ]);
      expect(a.failed).toEqual([]);
      expect(b.failed).toEqual([]);
      expect(a.generated.length + b.generated.length).toBe(a.planned);
      expect(a.skipped + b.skipped).toBe(a.planned);
      const items = opened.store.content.listByCourse(course.id);
      expect(items).toHaveLength(a.planned);
      expect(new Set(items.map((i) => `${i.kind}:${i.targetId}`)).size).toBe(items.length);
    } finally {
      second.close();
    }
  });
});

describe('content triggers on the database file itself', () => {
  const insert = (id: string, status: string, courseId: string, syllabusVersionId: string, targetId: string, version: number) =>
    opened.db
      .prepare("INSERT INTO content_items (id, course_id, syllabus_version_id, kind, target_id, version, status, content_json, metadata_json, content_hash, created_at) VALUES (?, ?, ?, 'lesson', ?, ?, ?, '{}', '{}', 'h', 'now')")
      .run(id, courseId, syllabusVersionId, targetId, version, status);

  it('content starts as a draft and moves only through review', async () => {
    const { course, approved, lessonId } = await courseWithApprovedSyllabus();
    expect(() => insert('forged', 'APPROVED', course.id, approved.id, lessonId, 1)).toThrow(/starts as DRAFT/);
    insert('d1', 'DRAFT', course.id, approved.id, lessonId, 1);
    expect(() => opened.db.prepare("UPDATE content_items SET status = 'APPROVED', decided_by = 'x', decided_at = 'now' WHERE id = 'd1'").run()).toThrow(/moves only/);
    expect(() => opened.db.prepare("UPDATE content_items SET content_json = '{\"title\":\"edited\"}' WHERE id = 'd1'").run()).toThrow(/written once/);
    opened.db.prepare("UPDATE content_items SET status = 'IN_REVIEW' WHERE id = 'd1'").run();
    expect(() => opened.db.prepare("UPDATE content_items SET status = 'APPROVED' WHERE id = 'd1'").run()).toThrow(/who decided/);
    expect(() => opened.db.prepare("UPDATE content_items SET status = 'REJECTED', decided_by = 'rui', decided_at = 'now' WHERE id = 'd1'").run()).toThrow(/the reason/);
    opened.db.prepare("UPDATE content_items SET status = 'REJECTED', decided_by = 'rui', decided_at = 'now', rejection_reason = 'thin' WHERE id = 'd1'").run();
    expect(() => opened.db.prepare("UPDATE content_items SET status = 'IN_REVIEW' WHERE id = 'd1'").run()).toThrow(/moves only/);
    insert('d2', 'DRAFT', course.id, approved.id, lessonId, 2);
    opened.db.prepare("UPDATE content_items SET status = 'SUPERSEDED' WHERE id = 'd2'").run();
    expect(() => opened.db.prepare("UPDATE content_items SET status = 'DRAFT' WHERE id = 'd2'").run()).toThrow(/moves only/);
  });

  it('a second live draft of one unit is refused, whoever writes it', async () => {
    const { course, approved, lessonId } = await courseWithApprovedSyllabus();
    insert('d1', 'DRAFT', course.id, approved.id, lessonId, 1);
    expect(() => insert('d2', 'DRAFT', course.id, approved.id, lessonId, 2)).toThrow(/UNIQUE/);
    opened.db.prepare("UPDATE content_items SET status = 'SUPERSEDED' WHERE id = 'd1'").run();
    insert('d2', 'DRAFT', course.id, approved.id, lessonId, 2);
    expect(opened.store.content.listByCourse(course.id).map((i) => `${i.id}:${i.status}`)).toEqual(['d1:SUPERSEDED', 'd2:DRAFT']);
  });
});

describe('approval checks the content against the hash recorded when it was written', () => {
  /**
   * Changes an item's stored content the way a hand edit of the database file would: the
   * write-once trigger is dropped for the edit and put back exactly as it was.
   */
  function editOutsideCoursewright(itemId: string, edit: (content: Record<string, unknown>) => Record<string, unknown>) {
    const trigger = opened.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'content_items_content_written_once'").get() as { sql: string };
    const row = opened.db.prepare('SELECT content_json FROM content_items WHERE id = ?').get(itemId) as { content_json: string };
    opened.db.exec('DROP TRIGGER content_items_content_written_once');
    opened.db.prepare('UPDATE content_items SET content_json = ? WHERE id = ?').run(JSON.stringify(edit(JSON.parse(row.content_json))), itemId);
    opened.db.exec(trigger.sql);
  }

  async function twoQuizzesInReview() {
    const { course, approved } = await courseWithApprovedSyllabus();
    const [first, second] = approved.syllabus.modules[0]!.lessons.map((l) => l.id);
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: approved.syllabus.modules[0]!.id, kind: 'quiz' } });
    const quiz = (lessonId: string) => run.generated.find((i) => i.targetId === lessonId)!;
    content.submitContent([quiz(first!).id, quiz(second!).id], 'dana');
    return { course, tampered: quiz(first!), intact: quiz(second!) };
  }

  const approvals = (itemId: string) => opened.store.audit.list({ entityId: itemId }).filter((a) => a.action === 'content.approved');

  it('refuses an item whose content changed after it was written, leaving it in review', async () => {
    const { tampered } = await twoQuizzesInReview();
    editOutsideCoursewright(tampered.id, (quiz) => ({ ...quiz, title: 'Check: a title nobody reviewed' }));
    expect(() => content.approveContent([tampered.id], { by: 'rui' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: `Content item ${tampered.id} does not match its recorded hash and cannot be approved.` }),
    );
    expect(opened.store.content.get(tampered.id)).toMatchObject({ status: 'IN_REVIEW', review: { decidedBy: null } });
    expect(approvals(tampered.id)).toEqual([]);
  });

  it('approves content that is exactly as written, recording its hash', async () => {
    const { intact } = await twoQuizzesInReview();
    const [approvedItem] = content.approveContent([intact.id], { by: 'rui' });
    expect(approvedItem).toMatchObject({ status: 'APPROVED', review: { decidedBy: 'rui' } });
    expect(approvals(intact.id).map((a) => a.metadata)).toEqual([expect.objectContaining({ contentHash: intact.review.contentHash, bulk: false })]);
  });

  it('refuses a whole bulk approval when one item in it was changed, approving none', async () => {
    const { tampered, intact } = await twoQuizzesInReview();
    editOutsideCoursewright(tampered.id, (quiz) => ({ ...quiz, title: 'Check: a title nobody reviewed' }));
    expect(() => content.approveContent([intact.id, tampered.id], { by: 'rui' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(tampered.id) }));
    expect([intact.id, tampered.id].map((id) => opened.store.content.get(id)!.status)).toEqual(['IN_REVIEW', 'IN_REVIEW']);
    expect(approvals(intact.id)).toEqual([]);
    const [approvedItem] = content.approveContent([intact.id], { by: 'rui' });
    expect(approvedItem!.status).toBe('APPROVED');
  });
});
