import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createCourseManagement, type CourseManagement } from '../../core/courses/manage.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { createPackageEngine } from '../../core/packaging/engine.js';
import { openDatabase } from '../../db/open.js';
import { approveAllContent, sampleIntent, tempDataDir } from '../helpers.js';

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let courses: CourseManagement;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('courses'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  courses = createCourseManagement({ store: opened.store });
});
afterEach(() => opened.close());

const generate = (courseId: string) => engine.generateSyllabusDraft(courseId, { actor: 'dana', models: [createMockProvider()] });
const actions = (entityId: string) => engine.listAudit({ entityId }).map((e) => e.action);
const rowCount = (sql: string, ...args: unknown[]) => (opened.db.prepare(sql).get(...args) as { n: number }).n;

describe('editing the learning intent', () => {
  it('stores the new intent, audits before and after, and the next generated draft follows it while older drafts keep theirs', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const first = await generate(course.id);
    const updated = courses.updateIntent(course.id, { ...sampleIntent, title: 'Data Storytelling with R', level: 'advanced', timeBudgetHours: 3 }, 'dana');
    expect(updated.title).toBe('Data Storytelling with R');
    expect(engine.getCourse(course.id).intent.level).toBe('advanced');

    const second = await generate(course.id);
    expect(second.syllabus.title).toBe('Data Storytelling with R');
    expect(second.syllabus.level).toBe('advanced');
    expect(second.syllabus.totalEstimatedMinutes).toBe(180);
    expect(engine.getSyllabusVersion(first.id).syllabus.title).toBe('Practical Data Visualisation with Python');

    const entry = engine.listAudit({ entityId: course.id }).find((e) => e.action === 'course.intent_updated')!;
    expect(entry.actor).toBe('dana');
    expect(entry.metadata.changed).toEqual(['level', 'timeBudgetHours', 'title']);
    expect((entry.metadata.before as { title: string }).title).toBe('Practical Data Visualisation with Python');
    expect((entry.metadata.after as { title: string }).title).toBe('Data Storytelling with R');
  });

  it('refuses an invalid intent naming the field, and an unchanged one changes and audits nothing', () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    expect(() => courses.updateIntent(course.id, { ...sampleIntent, timeBudgetHours: 0 }, 'dana')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/time ?budget/i) }));
    courses.updateIntent(course.id, { ...sampleIntent }, 'dana');
    expect(actions(course.id)).toEqual(['course.created']);
    expect(engine.getCourse(course.id).updatedAt).toBeUndefined();
  });

  it('answers NOT_FOUND for a course that does not exist', () => {
    expect(() => courses.updateIntent('crs_missing', sampleIntent, 'dana')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('duplicating a course', () => {
  it('copies the intent under "… (copy)" and the latest syllabus as a fresh draft, never its approval', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await generate(course.id);
    engine.submitSyllabus(draft.id, 'dana');
    const approved = engine.approveSyllabus(draft.id, { by: 'rui' });

    const copy = courses.duplicate(course.id, { includeSyllabus: true }, 'ana');
    expect(copy.course.title).toBe('Practical Data Visualisation with Python (copy)');
    expect(copy.course.intent).toEqual({ ...engine.getCourse(course.id).intent, title: 'Practical Data Visualisation with Python (copy)' });
    expect(copy.course.status).toBe('draft');
    expect(copy.course.createdBy).toBe('ana');
    expect(copy.syllabusVersion).toMatchObject({ courseId: copy.course.id, version: 1, status: 'DRAFT', review: { decidedBy: null, decidedAt: null, basedOnId: null } });
    expect(copy.syllabusVersion!.syllabus).toEqual(approved.syllabus);
    expect(engine.listSyllabusVersions(copy.course.id).map((v) => v.status)).toEqual(['DRAFT']);
    expect(opened.store.content.listByCourse(copy.course.id)).toEqual([]);
    // The original is untouched and the copy, never approved, can be deleted.
    expect(engine.getSyllabusVersion(approved.id).status).toBe('APPROVED');
    expect(courses.list().find((c) => c.id === copy.course.id)!.deleteBlockedBy).toBeNull();
    expect(actions(course.id)).toContain('course.duplicated');
    expect(actions(copy.course.id)).toEqual(['course.created']);
  });

  it('without the syllabus option copies only the intent; a long title is shortened so the copy still fits 120 characters', () => {
    const title = 'T'.repeat(120);
    const course = engine.createCourse({ ...sampleIntent, title }, 'dana');
    const copy = courses.duplicate(course.id, { includeSyllabus: false }, 'dana');
    expect(copy.syllabusVersion).toBeNull();
    expect(engine.listSyllabusVersions(copy.course.id)).toEqual([]);
    expect(copy.course.title).toBe(`${'T'.repeat(112)}… (copy)`);
    expect(copy.course.title).toHaveLength(120);
  });
});

describe('archiving and restoring', () => {
  it('hides an archived course from the default list, shows it when asked for, and restores it', () => {
    const kept = engine.createCourse({ ...sampleIntent, title: 'Kept course' }, 'dana');
    const shelved = engine.createCourse({ ...sampleIntent, title: 'Shelved course' }, 'dana');
    const archived = courses.archive(shelved.id, 'dana');
    expect(archived.archivedAt).toEqual(expect.any(String));
    expect(archived.archivedBy).toBe('dana');

    expect(courses.list().map((c) => c.title)).toEqual(['Kept course']);
    expect(courses.list({ archived: 'only' }).map((c) => c.title)).toEqual(['Shelved course']);
    expect(courses.list({ archived: 'include' }).map((c) => c.title).sort()).toEqual(['Kept course', 'Shelved course']);
    // Still reachable by id: nothing was lost.
    expect(engine.getCourse(shelved.id).title).toBe('Shelved course');

    const restored = courses.restore(shelved.id, 'rui');
    expect(restored.archivedAt).toBeUndefined();
    expect(courses.list().map((c) => c.title).sort()).toEqual(['Kept course', 'Shelved course']);
    expect(actions(shelved.id)).toEqual(['course.created', 'course.archived', 'course.restored']);
    expect(actions(kept.id)).toEqual(['course.created']);
  });

  it('refuses archiving twice and restoring a course that is not archived', () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    expect(() => courses.restore(course.id, 'dana')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('not archived') }));
    courses.archive(course.id, 'dana');
    expect(() => courses.archive(course.id, 'dana')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('already archived') }));
  });
});

describe('filtering and sorting the list', () => {
  it('filters by status and sorts by title, status and latest change', async () => {
    const alpha = engine.createCourse({ ...sampleIntent, title: 'alpha course' }, 'dana');
    const beta = engine.createCourse({ ...sampleIntent, title: 'Beta course' }, 'dana');
    const gamma = engine.createCourse({ ...sampleIntent, title: 'Gamma course' }, 'dana');
    const draft = await generate(beta.id);
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });
    content.transitionCourse(beta.id, 'review', 'dana');
    // Alpha changes last (a later clock, so no two writes share a millisecond), so it leads
    // "recently changed" although it was created first.
    const later = createCourseManagement({ store: opened.store, clock: { now: () => new Date('2099-01-01T00:00:00.000Z') } });
    later.updateIntent(alpha.id, { ...sampleIntent, title: 'alpha course', level: 'advanced' }, 'dana');

    expect(courses.list().map((c) => c.title)).toEqual(['Gamma course', 'Beta course', 'alpha course']);
    expect(courses.list({ sort: 'title' }).map((c) => c.title)).toEqual(['alpha course', 'Beta course', 'Gamma course']);
    expect(courses.list({ sort: 'status' }).map((c) => `${c.status} ${c.title}`)).toEqual(['draft alpha course', 'draft Gamma course', 'review Beta course']);
    expect(courses.list({ sort: 'updated' })[0]).toMatchObject({ id: alpha.id, lastActivityAt: '2099-01-01T00:00:00.000Z' });
    expect(courses.list({ status: 'review' }).map((c) => c.id)).toEqual([beta.id]);
    expect(courses.list({ status: 'published' })).toEqual([]);
    expect(courses.list().find((c) => c.id === gamma.id)!.lastActivityAt).toBe(gamma.createdAt);
  });
});

describe('deleting a course', () => {
  it('deletes a course that never had anything approved, with its drafts and autosaves; the audit stays with a course.deleted entry', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const first = await generate(course.id);
    const edited = engine.editSyllabus(first.id, first.syllabus, 'dana');
    engine.submitSyllabus(edited.id, 'dana');
    engine.rejectSyllabus(edited.id, { by: 'rui', reason: 'too long' });
    opened.store.autosaves.put({ key: `syllabus:${edited.id}`, content: '{}', savedAt: '2026-01-01T00:00:00.000Z' });
    opened.store.autosaves.put({ key: 'syllabus:syl_other', content: '{}', savedAt: '2026-01-01T00:00:00.000Z' });
    const other = engine.createCourse({ ...sampleIntent, title: 'Another course' }, 'dana');

    expect(courses.list().find((c) => c.id === course.id)!.deleteBlockedBy).toBeNull();
    const deleted = courses.deleteCourse(course.id, 'dana');
    expect(deleted.removed).toEqual({ syllabusVersions: 2, contentItems: 0, autosaves: 1 });

    expect(() => engine.getCourse(course.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(rowCount('SELECT count(*) AS n FROM syllabus_versions WHERE course_id = ?', course.id)).toBe(0);
    expect(opened.store.autosaves.list().map((a) => a.key)).toEqual(['syllabus:syl_other']);
    expect(actions(course.id)).toEqual(['course.created', 'course.deleted']);
    expect(engine.listAudit({ entityId: first.id }).map((e) => e.action)).toEqual(['syllabus.generated']);
    expect(courses.list().map((c) => c.id)).toEqual([other.id]);
  });

  it('refuses, suggesting Archive, once a syllabus version was approved, and keeps everything', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await generate(course.id);
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });
    const refusal = courses.list()[0]!.deleteBlockedBy;
    expect(refusal).toBe('It has 1 approved syllabus version, which must stay on record. Archive it instead: it is hidden from the list and can be restored.');
    expect(() => courses.deleteCourse(course.id, 'dana')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/cannot be deleted.*1 approved syllabus version.*Archive it instead/) }));
    expect(engine.getCourse(course.id).id).toBe(course.id);
    expect(engine.listSyllabusVersions(course.id)).toHaveLength(1);
    expect(actions(course.id)).not.toContain('course.deleted');
  });

  it('refuses once content was approved and a package built, listing each', async () => {
    const course = engine.createCourse({ ...sampleIntent, timeBudgetHours: 1 }, 'dana');
    const draft = await generate(course.id);
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });
    const items = await approveAllContent(content, course.id);
    createPackageEngine({ store: opened.store }).buildPackage(course.id, 'dana');
    expect(() => courses.deleteCourse(course.id, 'dana')).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`1 approved syllabus version, ${items.length} approved lessons, quizzes or projects, 1 package`) }),
    );
  });

  it('answers NOT_FOUND for a course that does not exist', () => {
    expect(() => courses.deleteCourse('crs_missing', 'dana')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
