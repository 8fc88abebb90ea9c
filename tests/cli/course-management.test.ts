import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-courses');
});

async function createCourse(title: string): Promise<string> {
  const created = await cw('course', 'create', '--intent', writeJson(dir, `${title.replace(/\W+/g, '-')}.json`, { ...sampleIntent, title }), '--json');
  expect(created.code, created.stderr).toBe(0);
  return created.json().id as string;
}

describe('coursewright course update|archive|restore|delete (real processes, real database files)', () => {
  it('updates the intent from a file, and the next syllabus follows it; an invalid file exits 3 naming the field', async () => {
    const courseId = await createCourse('Practical Data Visualisation with Python');
    const updated = await cw('course', 'update', courseId, '--intent', writeJson(dir, 'new.json', { ...sampleIntent, title: 'Data Storytelling with R' }), '--json');
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json().title).toBe('Data Storytelling with R');
    const generated = await cw('syllabus', 'generate', courseId, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.json().syllabus.title).toBe('Data Storytelling with R');

    const invalid = await cw('course', 'update', courseId, '--intent', writeJson(dir, 'bad.json', { ...sampleIntent, title: 'T'.repeat(121) }));
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('Title must be at most 120 characters');
    expect(invalid.stderr).not.toContain('title: ');
    const atLimit = await cw('course', 'update', courseId, '--intent', writeJson(dir, 'limit.json', { ...sampleIntent, title: 'T'.repeat(120) }));
    expect(atLimit.code, atLimit.stderr).toBe(0);

    expect((await cw('course', 'update', 'crs_missing', '--intent', writeJson(dir, 'ok.json', sampleIntent))).code).toBe(4);
  });

  it('hides archived courses from course list unless --archived or --all, and restores them', async () => {
    const kept = await createCourse('Kept course');
    const shelved = await createCourse('Shelved course');
    const archived = await cw('course', 'archive', shelved);
    expect(archived.code, archived.stderr).toBe(0);
    expect(archived.stdout).toContain('Archived');

    const list = await cw('course', 'list');
    expect(list.stdout).toContain(kept);
    expect(list.stdout).not.toContain(shelved);
    const onlyArchived = await cw('course', 'list', '--archived', '--json');
    expect(onlyArchived.json().map((c: { id: string }) => c.id)).toEqual([shelved]);
    const all = await cw('course', 'list', '--all');
    expect(all.stdout).toContain(kept);
    expect(all.stdout).toContain(shelved);

    expect((await cw('course', 'archive', shelved)).code).toBe(5);
    expect((await cw('course', 'restore', shelved)).code).toBe(0);
    expect((await cw('course', 'list')).stdout).toContain(shelved);
    expect((await cw('course', 'restore', shelved)).code).toBe(5);
    expect((await cw('course', 'archive', 'crs_missing')).code).toBe(4);
  });

  it('deletes a never-approved course (its audit stays), and refuses with exit 5 suggesting archive after an approval', async () => {
    const throwaway = await createCourse('Throwaway course');
    expect((await cw('syllabus', 'generate', throwaway)).code).toBe(0);
    const deleted = await cw('course', 'delete', throwaway);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('1 syllabus draft');
    expect((await cw('course', 'list', '--all')).stdout).not.toContain(throwaway);
    const audit = await cw('audit', throwaway, '--json');
    expect(audit.json().map((e: { action: string }) => e.action)).toEqual(['course.created', 'course.deleted']);

    const approvedCourse = await createCourse('Approved course');
    const draft = (await cw('syllabus', 'generate', approvedCourse, '--json')).json();
    expect((await cw('syllabus', 'submit', draft.id)).code).toBe(0);
    expect((await cw('syllabus', 'approve', draft.id, '--by', 'Rui')).code).toBe(0);
    const refused = await cw('course', 'delete', approvedCourse);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('1 approved syllabus version');
    expect(refused.stderr).toContain('Archive it instead');
    expect((await cw('course', 'list')).stdout).toContain(approvedCourse);
    expect((await cw('course', 'delete', 'crs_missing')).code).toBe(4);
  });

  it('duplicates a course with its latest syllabus as a draft', async () => {
    const courseId = await createCourse('Original course');
    expect((await cw('syllabus', 'generate', courseId)).code).toBe(0);
    const copy = await cw('course', 'duplicate', courseId, '--with-syllabus', '--json');
    expect(copy.code, copy.stderr).toBe(0);
    expect(copy.json().course.title).toBe('Original course (copy)');
    expect(copy.json().syllabusVersion.status).toBe('DRAFT');
  });
});
