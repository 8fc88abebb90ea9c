import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEditor, type ContentEditor } from '../../core/content/edit.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem, LessonContent, Project, Quiz } from '../../schemas/content.js';
import { createCourseWithApprovedSyllabus, scriptedModel, tempDataDir } from '../helpers.js';

/**
 * Editing lessons, quizzes and projects by hand, against a real SQLite file: every save is a new
 * draft version beside the old one, checked exactly as model output is, refused naming the field
 * in the form's words, and never an empty version.
 */

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let editor: ContentEditor;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('content-edit'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  editor = createContentEditor({ store: opened.store });
});
afterEach(() => opened.close());

async function courseWithDrafts() {
  const { course, approved, lessonId } = await createCourseWithApprovedSyllabus(engine);
  const module = approved.syllabus.modules.find((m) => m.lessons.some((l) => l.assessmentHooks.some((h) => h.kind === 'project')))!;
  await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId } });
  await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { moduleId: module.id, kind: 'project' } });
  const items = opened.store.content.listByCourse(course.id);
  const find = (kind: ContentItem['kind']) => items.find((i) => i.kind === kind)!;
  return { course, approved, lessonId, lesson: find('lesson'), quiz: find('quiz'), project: find('project') };
}

const versionsOf = (item: ContentItem) => opened.store.content.listBySyllabusVersion(item.syllabusVersionId).filter((i) => i.kind === item.kind && i.targetId === item.targetId);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const newOverview = 'A hand-written overview: we start from a table the learners already know, and read every join aloud before running it.';

describe('saving an edit', () => {
  it('saves a changed lesson as a new draft version by the editor; the draft it came from stays, superseded and unchanged', async () => {
    const { lesson } = await courseWithDrafts();
    const edited = clone(lesson.content as LessonContent);
    edited.explanation.overview = newOverview;

    const saved = editor.editContent(lesson.id, edited, 'Maya');

    expect(saved).toMatchObject({ status: 'DRAFT', version: 2, kind: 'lesson', targetId: lesson.targetId, metadata: { provider: 'human', model: 'edit', createdBy: 'Maya', params: { editedFrom: 1 } }, review: { basedOnId: lesson.id } });
    expect((saved.content as LessonContent).explanation.overview).toBe(newOverview);
    const before = opened.store.content.get(lesson.id)!;
    expect(before.status).toBe('SUPERSEDED');
    expect(before.content).toEqual(lesson.content);
    const audit = opened.store.audit.list({ entityId: saved.id });
    expect(audit.map((a) => [a.action, a.actor, a.metadata])).toEqual([['content.edited', 'Maya', { courseId: lesson.courseId, kind: 'lesson', targetId: lesson.targetId, version: 2, basedOn: lesson.id }]]);
  });

  it('fixes the correct option of an approved quiz as a new draft; the approved version is not touched and stays approved', async () => {
    const { quiz } = await courseWithDrafts();
    content.submitContent([quiz.id], 'dana');
    const approved = content.approveContent([quiz.id], { by: 'rui' })[0]!;
    const edited = clone(approved.content as Quiz);
    edited.questions[0]!.correctIndex = (edited.questions[0]!.correctIndex + 1) % 4;

    const saved = editor.editContent(approved.id, edited, 'Maya');

    expect(saved.status).toBe('DRAFT');
    expect((saved.content as Quiz).questions[0]!.correctIndex).toBe(edited.questions[0]!.correctIndex);
    expect(opened.store.content.get(approved.id)).toEqual(approved);
    // Below the editor, the database itself refuses to write the edit into the approved row.
    expect(() => opened.db.prepare('UPDATE content_items SET content_json = ? WHERE id = ?').run(JSON.stringify(saved.content), approved.id)).toThrow(/immutable|a change is a new version/);
    expect(opened.store.content.get(approved.id)).toEqual(approved);
  });

  it('refuses content identical to the version it edits, including one that differs only by surrounding spaces, and saves nothing', async () => {
    const { lesson } = await courseWithDrafts();
    const same = clone(lesson.content as LessonContent);
    same.title = `  ${same.title}  `;
    expect(() => editor.editContent(lesson.id, same, 'Maya')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'No changes to save: the lesson is the same as v1.' }));
    expect(versionsOf(lesson)).toHaveLength(1);
    expect(opened.store.content.get(lesson.id)!.status).toBe('DRAFT');
  });
});

describe('refusals that name the field in the form’s words', () => {
  it('names the question and option that is empty, and saves nothing', async () => {
    const { quiz } = await courseWithDrafts();
    const edited = clone(quiz.content as Quiz);
    edited.questions[1]!.options[2] = '   ';
    let error: unknown;
    try {
      editor.editContent(quiz.id, edited, 'Maya');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'The edited quiz was not saved:\n  Question 2, option 3: is required', details: { issues: [{ path: 'questions.1.options.2', field: 'Question 2, option 3', message: 'is required' }] } });
    expect(versionsOf(quiz)).toHaveLength(1);
  });

  it('lists every problem at once: a short overview and a missing practice prompt', async () => {
    const { lesson } = await courseWithDrafts();
    const edited = clone(lesson.content as LessonContent) as unknown as { explanation: { overview: string }; practice: { prompt?: string } };
    edited.explanation.overview = 'Too short.';
    delete edited.practice.prompt;
    expect(() => editor.editContent(lesson.id, edited, 'Maya')).toThrow('The edited lesson was not saved:\n  Overview: needs at least 50 characters\n  Practice prompt: is missing');
  });

  it('refuses a quiz objective that is not one of the lesson’s objectives, and accepts one that is', async () => {
    const { quiz, approved, lessonId } = await courseWithDrafts();
    const objectives = approved.syllabus.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId)!.objectives;
    const edited = clone(quiz.content as Quiz);
    edited.questions[0]!.objective = 'Recite the history of databases';
    expect(() => editor.editContent(quiz.id, edited, 'Maya')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining("Question 1, objective: must be one of the lesson's objectives, word for word") }));
    expect(versionsOf(quiz)).toHaveLength(1);

    edited.questions[0]!.objective = objectives.at(-1)!;
    edited.questions[0]!.prompt = `${edited.questions[0]!.prompt} (revised)`;
    expect(editor.editContent(quiz.id, edited, 'Maya').status).toBe('DRAFT');
  });

  it('refuses a lesson moved to an id the approved syllabus does not have', async () => {
    const { lesson } = await courseWithDrafts();
    const edited = { ...clone(lesson.content as LessonContent), id: 'not-in-the-syllabus' };
    expect(() => editor.editContent(lesson.id, edited, 'Maya')).toThrow(expect.objectContaining({ message: expect.stringContaining('Lesson: lesson "not-in-the-syllabus" is not in the approved syllabus') }));
    expect(versionsOf(lesson)).toHaveLength(1);
  });

  it('refuses a lesson whose objectives differ from the syllabus, pointing at the syllabus', async () => {
    const { lesson } = await courseWithDrafts();
    const edited = clone(lesson.content as LessonContent);
    edited.objectives = [...edited.objectives, 'Explain one more thing'];
    expect(() => editor.editContent(lesson.id, edited, 'Maya')).toThrow(expect.objectContaining({ message: expect.stringContaining("Objectives: must be exactly the approved syllabus lesson's objectives") }));
  });

  it('refuses a rubric whose total does not add up, saying what it should be; the corrected total saves', async () => {
    const { project } = await courseWithDrafts();
    const edited = clone(project.content as Project);
    edited.rubric.criteria[0]!.levels[0]!.points += 5;
    const expectedTotal = (project.content as Project).rubric.totalPoints + 5;
    expect(() => editor.editContent(project.id, edited, 'Maya')).toThrow(expect.objectContaining({ message: expect.stringContaining(`Rubric total points: must equal the sum of each criterion's highest level points (${expectedTotal})`) }));
    edited.rubric.totalPoints = expectedTotal;
    expect(editor.editContent(project.id, edited, 'Maya').content).toMatchObject({ rubric: { totalPoints: expectedTotal } });
  });
});

describe('which versions can be edited', () => {
  it('refuses an item in review and a superseded one; the newest draft stays editable', async () => {
    const { lesson, quiz } = await courseWithDrafts();
    content.submitContent([quiz.id], 'dana');
    const edited = clone(quiz.content as Quiz);
    edited.title = 'A better quiz title';
    expect(() => editor.editContent(quiz.id, edited, 'Maya')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('is in review') }));

    const lessonEdit = clone(lesson.content as LessonContent);
    lessonEdit.explanation.overview = newOverview;
    const v2 = editor.editContent(lesson.id, lessonEdit, 'Maya');
    lessonEdit.title = 'Another title for this lesson';
    expect(() => editor.editContent(lesson.id, lessonEdit, 'Maya')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('replaced by a newer version') }));
    expect(editor.editContent(v2.id, lessonEdit, 'Maya').version).toBe(3);
  });

  it('refuses to edit an approved version while a newer draft of it exists, naming that draft', async () => {
    const { quiz } = await courseWithDrafts();
    content.submitContent([quiz.id], 'dana');
    content.approveContent([quiz.id], { by: 'rui' });
    const edited = clone(quiz.content as Quiz);
    edited.title = 'A better quiz title';
    const draft = editor.editContent(quiz.id, edited, 'Maya');
    edited.title = 'Yet another quiz title';
    expect(() => editor.editContent(quiz.id, edited, 'Maya')).toThrow(expect.objectContaining({ code: 'CONFLICT', details: { liveId: draft.id } }));
  });
});

describe('regenerating with an instruction', () => {
  it('says plainly when the instruction gave the same content, and saves no version; a different answer is saved', async () => {
    const { quiz } = await courseWithDrafts();
    const same = scriptedModel([JSON.stringify(quiz.content)]);
    await expect(content.regenerateContent(quiz.id, { actor: 'dana', models: [same.provider], instruction: 'make it harder' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Regenerating with that instruction gave the same quiz as v1; no new version was saved. Try a different instruction, or edit it by hand.`,
    });
    expect(versionsOf(quiz)).toHaveLength(1);
    expect(opened.store.content.get(quiz.id)!.status).toBe('DRAFT');

    const next = await content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()], instruction: 'make it harder' });
    expect(next.version).toBe(2);
  });
});
