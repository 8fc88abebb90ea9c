import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { createPackageEngine, type PackageEngine } from '../../core/packaging/engine.js';
import { openDatabase } from '../../db/open.js';
import { createCourseWithApprovedSyllabus, sampleIntent, tempDataDir, approveAllContent } from '../helpers.js';

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let packages: PackageEngine;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('packages'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  packages = createPackageEngine({ store: opened.store });
});
afterEach(() => opened.close());

/** A course whose every lesson, quiz and project is generated with the mock, opened, submitted and approved. */
async function approvedCourse() {
  const { course, approved } = await createCourseWithApprovedSyllabus(engine);
  const items = await approveAllContent(content, course.id);
  return { course, approved, items };
}

describe('course packages', () => {
  it('refuses to build until everything is approved, listing each missing piece', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const firstLesson = approved.syllabus.modules[0]!.lessons[0]!;
    await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: firstLesson.id } });
    expect(() => packages.buildPackage(course.id, 'dana')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`lesson ${firstLesson.id} (${firstLesson.title}): not approved yet`) }));
    expect(packages.listPackages(course.id)).toEqual([]);
  });

  it('builds versioned packages with the same content hash for the same approved content, audited, and then lets the course be published', async () => {
    const { course, items } = await approvedCourse();
    content.transitionCourse(course.id, 'review', 'dana');
    content.transitionCourse(course.id, 'ready', 'dana');
    expect(content.courseStatus(course.id).transitions.find((t) => t.to === 'published')!.unmet.map((u) => u.rule)).toEqual(['package-built']);

    const first = packages.buildPackage(course.id, 'dana');
    expect(first).toMatchObject({ version: 1, status: 'PUBLISHED', sameContentAs: null, courseTitle: course.title, createdBy: 'dana' });
    const stored = packages.getPackage(first.id);
    expect(stored.itemHashes).toHaveLength(1 + items.length);
    expect(stored.itemHashes.filter((i) => i.kind === 'lesson')).toHaveLength(first.lessonCount);
    const second = packages.buildPackage(course.id, 'dana');
    expect(second).toMatchObject({ version: 2, sameContentAs: 1, contentHash: first.contentHash });
    expect(packages.listPackages(course.id).map((p) => p.version)).toEqual([2, 1]);
    expect(opened.store.audit.list({ entityId: first.id }).map((a) => a.action)).toEqual(['package.built']);

    expect(content.transitionCourse(course.id, 'published', 'dana').status).toBe('published');
  });

  it('archives a published package once; an archived package no longer counts for publishing', async () => {
    const { course } = await approvedCourse();
    const built = packages.buildPackage(course.id, 'dana');
    expect(packages.archivePackage(built.id, 'rui', 'replaced').status).toBe('ARCHIVED');
    expect(() => packages.archivePackage(built.id, 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('already archived') }));
    expect(packages.getPackage(built.id)).toMatchObject({ archivedBy: 'rui', archivedAt: expect.any(String) });
    content.transitionCourse(course.id, 'review', 'dana');
    content.transitionCourse(course.id, 'ready', 'dana');
    expect(() => content.transitionCourse(course.id, 'published', 'dana')).toThrow(/package-built/);
    expect(opened.store.audit.list({ entityId: built.id }).map((a) => a.action).sort()).toEqual(['package.archived', 'package.built']);
  });

  it('the database refuses any change to a package except archiving, and every delete', async () => {
    const { course } = await approvedCourse();
    const built = packages.buildPackage(course.id, 'dana');
    const db = opened.db;
    expect(() => db.prepare("UPDATE course_packages SET document_json = '{}' WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE course_packages SET content_hash = 'x' WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE course_packages SET status = 'ARCHIVED', archived_at = 'now', archived_by = 'x', lesson_count = 0 WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE course_packages SET status = 'ARCHIVED' WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE course_packages SET status = 'ARCHIVED', archived_at = 'now', archived_by = 'x', version = 9 WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM course_packages WHERE id = ?').run(built.id)).toThrow(/cannot be deleted/);
    expect(() =>
      db
        .prepare("INSERT INTO course_packages (id, course_id, syllabus_version_id, version, status, content_hash, item_hashes_json, document_json, size_bytes, module_count, lesson_count, created_by, created_at) VALUES ('p2', ?, ?, 5, 'ARCHIVED', 'h', '[]', '{}', 2, 0, 0, 'x', 'now')")
        .run(course.id, packages.getPackage(built.id).document.syllabus.versionId),
    ).toThrow(/built PUBLISHED/);
    db.prepare("UPDATE course_packages SET status = 'ARCHIVED', archived_at = '2026-01-01T00:00:00Z', archived_by = 'rui' WHERE id = ?").run(built.id);
    expect(() => db.prepare("UPDATE course_packages SET status = 'PUBLISHED', archived_at = NULL, archived_by = NULL WHERE id = ?").run(built.id)).toThrow(/immutable/);
    expect(packages.getPackage(built.id).status).toBe('ARCHIVED');
  });
});

describe('package building and archiving, each rule from both sides', () => {
  const refusalOf = (action: () => unknown) => {
    try {
      action();
    } catch (error) {
      return error as { code: string; message: string; details?: unknown };
    }
    throw new Error('expected a refusal, but the action went through');
  };

  it('refuses an unknown course, and a course with no approved syllabus, saying what to do', async () => {
    expect(refusalOf(() => packages.buildPackage('crs_none', 'dana'))).toMatchObject({ code: 'NOT_FOUND', message: 'No course "crs_none". List courses with `coursewright course list`.', details: { courseId: 'crs_none' } });
    expect(refusalOf(() => packages.listPackages('crs_none'))).toMatchObject({ code: 'NOT_FOUND', message: 'No course "crs_none". List courses with `coursewright course list`.' });
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    engine.submitSyllabus(draft.id, 'dana');
    expect(refusalOf(() => packages.buildPackage(course.id, 'dana'))).toMatchObject({
      code: 'CONFLICT',
      message: `Course ${course.id} has no approved syllabus; approve a syllabus version and its content before building a package.`,
      details: { missing: [] },
    });
    expect(packages.listPackages(course.id)).toEqual([]);
  });

  it('records the package with its counts, its size in bytes, and an audit entry saying what it froze', async () => {
    const { course, approved, items } = await approvedCourse();
    const built = packages.buildPackage(course.id, 'dana');
    expect(built).toMatchObject({ courseId: course.id, version: 1, status: 'PUBLISHED', moduleCount: 6, lessonCount: 18, archivedAt: null, archivedBy: null, sameContentAs: null });
    const row = opened.db.prepare('SELECT document_json, size_bytes, syllabus_version_id FROM course_packages WHERE id = ?').get(built.id) as { document_json: string; size_bytes: number; syllabus_version_id: string };
    // The mock's lessons quote module titles in curly quotes, so bytes and characters differ.
    expect(row.document_json.length).toBeLessThan(Buffer.byteLength(row.document_json, 'utf8'));
    expect(row.size_bytes).toBe(Buffer.byteLength(row.document_json, 'utf8'));
    expect(built.sizeBytes).toBe(row.size_bytes);
    expect(row.syllabus_version_id).toBe(approved.id);
    expect(opened.store.audit.list({ entityId: built.id }).map((a) => [a.actor, a.action, a.entityType, a.metadata])).toEqual([
      ['dana', 'package.built', 'course_package', { courseId: course.id, version: 1, contentHash: built.contentHash, syllabusVersionId: approved.id, items: 1 + items.length, sameContentAs: null }],
    ]);
    expect(packages.listPackages().map((p) => p.id)).toContain(built.id);
  });

  it('names the latest package as having the same content when nothing changed, and none after an item changed', async () => {
    const { course, items } = await approvedCourse();
    const first = packages.buildPackage(course.id, 'dana');
    const quiz = items.find((i) => i.kind === 'quiz')!;
    const next = await content.regenerateContent(quiz.id, { actor: 'dana', models: [createMockProvider()], instruction: 'use a retail example' });
    content.openContent(next.id, 'rui');
    content.submitContent([next.id], 'dana');
    content.approveContent([next.id], { by: 'rui' });
    const changed = packages.buildPackage(course.id, 'dana');
    expect(changed).toMatchObject({ version: 2, sameContentAs: null });
    expect(changed.contentHash).not.toBe(first.contentHash);
    expect(packages.buildPackage(course.id, 'dana')).toMatchObject({ version: 3, sameContentAs: 2, contentHash: changed.contentHash });
  });

  it('archives with the trimmed reason in the audit trail, or none, and refuses an unknown package', async () => {
    const { course } = await approvedCourse();
    const a = packages.buildPackage(course.id, 'dana');
    const b = packages.buildPackage(course.id, 'dana');
    expect(packages.archivePackage(a.id, 'rui', '  replaced by v2 ')).toMatchObject({ id: a.id, status: 'ARCHIVED', archivedBy: 'rui', archivedAt: expect.any(String) });
    packages.archivePackage(b.id, 'rui', '   ');
    const archived = (id: string) => opened.store.audit.list({ entityId: id }).filter((e) => e.action === 'package.archived').map((e) => [e.actor, e.metadata]);
    expect(archived(a.id)).toEqual([['rui', { courseId: course.id, version: 1, reason: 'replaced by v2' }]]);
    expect(archived(b.id)).toEqual([['rui', { courseId: course.id, version: 2, reason: null }]]);
    expect(refusalOf(() => packages.archivePackage('pkg_none', 'rui'))).toMatchObject({ code: 'NOT_FOUND', message: 'No package "pkg_none". List packages with `coursewright package list`.', details: { packageId: 'pkg_none' } });
    expect(refusalOf(() => packages.getPackage('pkg_none'))).toMatchObject({ code: 'NOT_FOUND', details: { packageId: 'pkg_none' } });
  });

  it('stamps a build and an archive with the injected clock, and names the package with the injected ids', async () => {
    const { course } = await approvedCourse();
    const stamped = createPackageEngine({ store: opened.store, clock: { now: () => new Date('2026-03-01T09:30:00.000Z') }, ids: { newId: (prefix) => `${prefix}_spring` } });
    const built = stamped.buildPackage(course.id, 'dana');
    expect(built).toMatchObject({ id: 'pkg_spring', createdAt: '2026-03-01T09:30:00.000Z' });
    expect(stamped.archivePackage('pkg_spring', 'rui')).toMatchObject({ archivedAt: '2026-03-01T09:30:00.000Z', archivedBy: 'rui' });
  });
});
