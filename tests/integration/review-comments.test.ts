import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { contentHash } from '../../core/hash.js';
import { createReviewEngine } from '../../core/review/engine.js';
import { openDatabase, type OpenedDatabase } from '../../db/open.js';
import type { ContentItem, Quiz } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { createCourseWithApprovedSyllabus, sampleIntent, tempDataDir } from '../helpers.js';

let opened: OpenedDatabase;
let engine: ReturnType<typeof createEngine>;
let content: ReturnType<typeof createContentEngine>;
let review: ReturnType<typeof createReviewEngine>;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('review'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  review = createReviewEngine({ store: opened.store });
});
afterEach(() => opened.close());

/** A course with its first lesson's lesson and quiz written by "dana", submitted for review. */
async function lessonInReview() {
  const { course, approved, lessonId } = await createCourseWithApprovedSyllabus(engine);
  const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId } });
  const quiz = run.generated.find((i) => i.kind === 'quiz')!;
  const lesson = run.generated.find((i) => i.kind === 'lesson')!;
  content.submitContent([quiz.id, lesson.id], 'dana');
  return { course, approved, quiz, lesson };
}

/** The author's next version of a quiz, as a hand edit stores it: a new DRAFT based on the old one. */
function nextQuizVersion(base: ContentItem, change: (quiz: Quiz) => void): ContentItem {
  const quiz = structuredClone(base.content) as Quiz;
  change(quiz);
  const id = `qz_next_${base.version + 1}`;
  opened.store.content.insert({
    ...base,
    id,
    version: base.version + 1,
    status: 'DRAFT',
    content: quiz,
    metadata: { ...base.metadata, createdBy: 'dana', createdAt: '2030-01-01T00:00:00.000Z' },
    basedOnId: base.id,
    contentHash: contentHash(quiz),
  });
  return opened.store.content.get(id)!;
}

function refusal(run: () => unknown): CoursewrightError {
  try {
    run();
  } catch (error) {
    return error as CoursewrightError;
  }
  throw new Error('expected a refusal');
}

describe('one review queue for syllabus versions and content', () => {
  it('lists content items in review beside syllabus versions, grouped by course with counts per kind', async () => {
    const { course, quiz, lesson } = await lessonInReview();
    const other = engine.createCourse({ ...sampleIntent, title: 'Second course in review' }, 'dana');
    const draft = await engine.generateSyllabusDraft(other.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(draft.id, 'dana');

    const queue = review.queue({}, 'rui');
    expect(queue.counts).toEqual({ all: 3, syllabus: 1, lesson: 1, quiz: 1, project: 0 });
    expect(queue.groups.map((g) => g.courseTitle).sort()).toEqual(['Practical Data Visualisation with Python', 'Second course in review']);
    const first = queue.groups.find((g) => g.courseId === course.id)!;
    expect(first.items.map((i) => [i.kind, i.id]).sort()).toEqual([['lesson', lesson.id], ['quiz', quiz.id]].sort());
    expect(first.items.every((i) => i.author === 'dana' && i.status === 'IN_REVIEW')).toBe(true);

    const quizzesOnly = review.queue({ kind: 'quiz' }, 'rui');
    expect(quizzesOnly.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([quiz.id]);
    expect(quizzesOnly.counts.all).toBe(3);

    content.rejectContent(quiz.id, { by: 'rui', reason: 'Question 3 has two right answers.' });
    expect(review.queue({}, 'rui').counts).toMatchObject({ all: 2, quiz: 0 });
    const rejected = review.queue({ status: 'REJECTED' }, 'rui');
    expect(rejected.groups.flatMap((g) => g.items)).toEqual([expect.objectContaining({ id: quiz.id, rejectionReason: 'Question 3 has two right answers.' })]);
  }, 60_000);

  it('marks which items this reviewer opened', async () => {
    const { quiz, lesson } = await lessonInReview();
    content.openContent(quiz.id, 'rui');
    const items = review.queue({}, 'rui').groups.flatMap((g) => g.items);
    expect(items.find((i) => i.id === quiz.id)!.openedByMe).toBe(true);
    expect(items.find((i) => i.id === lesson.id)!.openedByMe).toBe(false);
    expect(review.queue({}, 'ana').groups.flatMap((g) => g.items).some((i) => i.openedByMe)).toBe(false);
  }, 60_000);
});

describe('comments on items and blocks', () => {
  it('carry forward to the next version, marked where the block they point at changed', async () => {
    const { quiz } = await lessonInReview();
    const optionComment = review.addComment({ itemId: quiz.id, blockPath: 'questions/2/options/1', text: 'This option is also correct.' }, 'rui');
    const questionComment = review.addComment({ itemId: quiz.id, blockPath: 'questions/0', text: 'Good question.' }, 'rui');
    const wholeComment = review.addComment({ itemId: quiz.id, text: 'Too easy overall.' }, 'rui');
    expect(optionComment).toMatchObject({ blockLabel: 'question 3 · option 2', carriedForward: false, changedSince: false, itemVersion: 1 });
    content.rejectContent(quiz.id, { by: 'rui', reason: 'Question 3 has two right answers.' });

    const next = nextQuizVersion(quiz, (q) => (q.questions[2]!.options[1] = 'A clearly wrong distractor'));
    const onNext = review.itemReview(next.id);
    const byId = new Map(onNext.comments.map((c) => [c.id, c]));
    expect(byId.get(optionComment.id)).toMatchObject({ carriedForward: true, changedSince: true, blockMissing: false, blockExcerpt: 'A clearly wrong distractor' });
    expect(byId.get(questionComment.id)).toMatchObject({ carriedForward: true, changedSince: false });
    expect(byId.get(wholeComment.id)).toMatchObject({ carriedForward: true, changedSince: true });
    expect(onNext.rejection).toMatchObject({ itemId: quiz.id, version: 1, by: 'rui', reason: 'Question 3 has two right answers.' });

    // A comment on the new version does not reach back to the old one.
    const late = review.addComment({ itemId: next.id, blockPath: 'questions/1', text: 'Now check this one.' }, 'rui');
    expect(review.itemReview(quiz.id).comments.map((c) => c.id)).not.toContain(late.id);
    expect(review.itemReview(next.id).comments.map((c) => c.id)).toContain(late.id);
  }, 60_000);

  it('marks a comment whose block is gone in the new version, keeping what it said', async () => {
    const { quiz } = await lessonInReview();
    const count = (quiz.content as Quiz).questions.length;
    const last = review.addComment({ itemId: quiz.id, blockPath: `questions/${count - 1}/explanation`, text: 'Explain why.' }, 'rui');
    content.rejectContent(quiz.id, { by: 'rui', reason: 'Drop the last question.' });
    const next = nextQuizVersion(quiz, (q) => q.questions.pop());
    const carried = review.itemReview(next.id).comments.find((c) => c.id === last.id)!;
    expect(carried).toMatchObject({ blockMissing: true, changedSince: true });
    expect(carried.blockExcerpt).toContain((quiz.content as Quiz).questions[count - 1]!.explanation.slice(0, 20));
  }, 60_000);

  it('refuses a block the item does not have, naming the path; accepts one it has', async () => {
    const { quiz } = await lessonInReview();
    const error = refusal(() => review.addComment({ itemId: quiz.id, blockPath: 'questions/99/options/0', text: 'Where?' }, 'rui'));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('no block "questions/99/options/0"');
    expect(review.addComment({ itemId: quiz.id, blockPath: 'questions/0/options/3', text: 'Fine.' }, 'rui').blockPath).toBe('questions/0/options/3');
  }, 60_000);

  it('threads replies under the first comment; resolving a reply resolves the thread, and it can be reopened', async () => {
    const { quiz } = await lessonInReview();
    const root = review.addComment({ itemId: quiz.id, blockPath: 'questions/1', text: 'Ambiguous wording.' }, 'rui');
    const reply = review.addComment({ itemId: quiz.id, replyTo: root.id, text: 'Reworded in the next version.' }, 'dana');
    expect(reply).toMatchObject({ threadId: root.id, replyTo: root.id, blockPath: 'questions/1', author: 'dana' });
    expect(refusal(() => review.addComment({ itemId: quiz.id, replyTo: root.id, blockPath: 'questions/2', text: 'x' }, 'dana')).code).toBe('INVALID_INPUT');

    expect(review.resolveComment(reply.id, true, 'rui')).toMatchObject({ id: root.id, resolvedBy: 'rui' });
    expect(review.queue({}, 'rui').groups[0]!.items.find((i) => i.id === quiz.id)!.openThreads).toBe(0);
    expect(review.resolveComment(root.id, false, 'dana')).toMatchObject({ resolvedAt: null, resolvedBy: null });
    expect(review.queue({}, 'rui').groups[0]!.items.find((i) => i.id === quiz.id)!.openThreads).toBe(1);

    const actions = opened.store.audit.list({ entityId: quiz.id }).map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['review.commented rui', 'review.commented dana', 'review.comment_resolved rui', 'review.comment_reopened dana']));
  }, 60_000);

  it('works on syllabus versions: a comment on a lesson follows the edit and is marked when that lesson changed', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const v1 = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    const onLesson = review.addComment({ itemId: v1.id, blockPath: 'modules/1/lessons/0', text: 'Split this lesson.' }, 'rui');
    const onModule = review.addComment({ itemId: v1.id, blockPath: 'modules/0', text: 'Keep as is.' }, 'rui');
    expect(onLesson.blockLabel).toBe('module 2 · lesson 1');
    const edited = structuredClone(v1.syllabus);
    edited.modules[1]!.lessons[0]!.title = 'Reading a chart before drawing one';
    const v2 = engine.editSyllabus(v1.id, edited, 'dana');
    const comments = new Map(review.itemReview(v2.id).comments.map((c) => [c.id, c]));
    expect(comments.get(onLesson.id)).toMatchObject({ carriedForward: true, changedSince: true, blockExcerpt: 'Reading a chart before drawing one' });
    expect(comments.get(onModule.id)).toMatchObject({ carriedForward: true, changedSince: false });
    expect(review.itemReview(v2.id).blocks.slice(0, 3).map((b) => b.path)).toEqual(['title', 'summary', 'modules/0']);
  }, 60_000);

  it('the database refuses to change a comment\'s text or delete it, and lets its resolution change', async () => {
    const { quiz } = await lessonInReview();
    const comment = review.addComment({ itemId: quiz.id, text: 'Original words.' }, 'rui');
    expect(() => opened.db.prepare('UPDATE review_comments SET body = ? WHERE id = ?').run('Other words.', comment.id)).toThrow('a comment is written once; only whether its thread is resolved may change');
    expect(() => opened.db.prepare('UPDATE review_comments SET author = ? WHERE id = ?').run('mallory', comment.id)).toThrow('a comment is written once');
    expect(() => opened.db.prepare('DELETE FROM review_comments WHERE id = ?').run(comment.id)).toThrow('comments cannot be deleted; resolve the thread instead');
    opened.db.prepare("UPDATE review_comments SET resolved_at = '2030-01-01', resolved_by = 'rui' WHERE id = ?").run(comment.id);
    expect(review.itemReview(quiz.id).comments[0]).toMatchObject({ text: 'Original words.', resolvedBy: 'rui' });
  }, 60_000);
});

describe('separation of duties', () => {
  const turn = (on: boolean) => opened.store.settings.set('separationOfDuties', on);

  it('off: the author of a version may approve it', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(draft.id, 'dana');
    expect(engine.approveSyllabus(draft.id, { by: 'dana' }).status).toBe('APPROVED');
  }, 60_000);

  it('on: the author is refused, another person approves; the same for content', async () => {
    turn(true);
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(draft.id, 'dana');
    const refused = refusal(() => engine.approveSyllabus(draft.id, { by: ' Dana ' }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('You wrote this version; another reviewer must approve it');
    expect(engine.getSyllabusVersion(draft.id).status).toBe('IN_REVIEW');
    expect(engine.approveSyllabus(draft.id, { by: 'rui' }).review.decidedBy).toBe('rui');

    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: draft.syllabus.modules[0]!.lessons[0]!.id } });
    const ids = run.generated.map((i) => i.id);
    content.submitContent(ids, 'dana');
    expect(refusal(() => content.approveContent([ids[0]!], { by: 'dana' })).message).toContain('You wrote this version');
    expect(content.approveContent([ids[0]!], { by: 'rui' })[0]!.status).toBe('APPROVED');
  }, 60_000);

  it('bulk approval says which items qualify (opened by this reviewer, not written by them) and why the others do not', async () => {
    const { quiz, lesson } = await lessonInReview();
    content.openContent(quiz.id, 'dana');
    content.openContent(lesson.id, 'rui');
    const offForDana = review.bulkApprovalPlan({}, 'dana');
    expect(offForDana.qualifying.map((i) => i.id)).toEqual([quiz.id]);
    expect(offForDana.notQualifying).toEqual([{ item: expect.objectContaining({ id: lesson.id }), reason: expect.stringContaining('not opened it yet') }]);

    turn(true);
    const onForDana = review.bulkApprovalPlan({}, 'dana');
    expect(onForDana.qualifying).toEqual([]);
    expect(onForDana.notQualifying.find((n) => n.item.id === quiz.id)!.reason).toContain('you wrote this version');
    const onForRui = review.bulkApprovalPlan({}, 'rui');
    expect(onForRui.qualifying.map((i) => i.id)).toEqual([lesson.id]);

    const opened = content.approveOpenedContent(quiz.courseId, { by: 'dana' });
    expect(opened.approved).toEqual([]);
    expect(opened.notApproved.find((n) => n.item.id === quiz.id)!.reason).toContain('separation of duties is on');
  }, 60_000);
});
