import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { createPackageEngine, type PackageEngine } from '../../core/packaging/engine.js';
import { openDatabase } from '../../db/open.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

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
  const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] });
  const ids = run.generated.map((i) => i.id);
  for (const id of ids) content.openContent(id);
  content.submitContent(ids, 'dana');
  content.approveContent(ids, { by: 'rui', requireOpened: true });
  return { course, approved, items: run.generated };
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
