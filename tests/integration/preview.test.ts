import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { wholeData } from '../../core/export/html/site.js';
import { scormFiles } from '../../core/export/scorm.js';
import { requiredProjectModules } from '../../core/lifecycle/course-lifecycle.js';
import { createPackageEngine } from '../../core/packaging/engine.js';
import { createPreviewHandlers } from '../../core/studio/preview-handlers.js';
import { openDatabase } from '../../db/open.js';
import { api } from '../../schemas/api.js';
import { approveAllContent, createCourseWithApprovedSyllabus, sampleIntent, tempDataDir } from '../helpers.js';

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let preview: ReturnType<typeof createPreviewHandlers>['preview.course'];

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('preview'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  const handlers = createPreviewHandlers({ store: opened.store });
  // As every transport does: the input is validated against the contract first.
  preview = (input) => handlers['preview.course'](api['preview.course'].input.parse(input));
});
afterEach(() => opened.close());

/** Every lesson page of a learner document, by lesson id: the article and quiz a learner reads. */
function lessonSections(html: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of html.matchAll(/<section class="player-page player-lesson" data-lesson="([^"]+)" hidden>\n([\s\S]*?)\n<nav class="pager"/g)) sections.set(match[1]!, match[2]!.replace(/^<p class="preview-note">.*\n/, ''));
  return sections;
}

const rowCount = (table: string) => (opened.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('learner preview', () => {
  it('shows the current drafts, whatever their status, with every piece not written yet marked, and writes nothing', async () => {
    const { course, approved } = await createCourseWithApprovedSyllabus(engine);
    const first = approved.syllabus.modules[0]!.lessons[0]!;
    const run = await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { lessonId: first.id } });
    const lessonDraft = run.generated.find((i) => i.kind === 'lesson')!;
    expect(lessonDraft.status).toBe('DRAFT');
    const packagesBefore = rowCount('course_packages');
    const auditBefore = rowCount('audit_log');

    const result = await preview({ courseId: course.id });

    expect(result.source).toEqual({ kind: 'drafts', syllabusVersion: approved.version, syllabusStatus: 'APPROVED' });
    const lessons = approved.syllabus.modules.flatMap((m) => m.lessons);
    const projects = requiredProjectModules(approved.syllabus).length;
    // One lesson has its lesson and quiz written; every other lesson lacks both, every required project is missing.
    expect(result.notWritten).toBe((lessons.length - 1) * 2 + projects);
    const sections = lessonSections(result.html);
    expect([...sections.keys()]).toEqual(lessons.map((l) => l.id));
    const firstPage = sections.get(first.id)!;
    expect(firstPage).toContain((lessonDraft.content as { title: string }).title);
    expect(firstPage).toContain('Check answers');
    expect(result.html).toContain('Lesson: version 1, draft · Quiz: version 1, draft');
    const second = lessons[1]!;
    expect(sections.get(second.id)).toContain(second.title);
    expect(sections.get(second.id)).toContain('Not written yet.');
    expect(result.html).toContain('Preview from the current drafts');

    expect(rowCount('course_packages')).toBe(packagesBefore);
    expect(rowCount('course_packages')).toBe(0);
    expect(rowCount('audit_log')).toBe(auditBefore);
  });

  it('a package preview shows exactly the lesson pages the package exports to learners', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    await approveAllContent(content, course.id);
    const packages = createPackageEngine({ store: opened.store });
    const built = packages.buildPackage(course.id, 'dana');
    const pkg = packages.getPackage(built.id);

    const result = await preview({ courseId: course.id, packageId: pkg.id });

    expect(result.source).toEqual({ kind: 'package', version: 1, contentHash: pkg.contentHash });
    expect(result.notWritten).toBe(0);
    const player = scormFiles({ ...pkg, document: pkg.document }, 'scorm2004', {}, 'course').find((f) => f.path === 'player/course.html')!;
    const exported = lessonSections(String(wholeData(player)));
    const previewed = lessonSections(result.html);
    expect(exported.size).toBe(pkg.document.modules.flatMap((m) => m.lessons).length);
    expect(previewed).toEqual(exported);
    expect(result.html).not.toContain('Not written yet');
    // Drafts and package agree once everything is approved and packaged.
    expect(lessonSections((await preview({ courseId: course.id })).html)).toEqual(exported);
  });

  it('is one self-contained page: the learner runtime and its stylesheet inside, nothing loaded from elsewhere', async () => {
    const { course } = await createCourseWithApprovedSyllabus(engine);
    const { html } = await preview({ courseId: course.id });
    expect(html).toMatch(/<body data-mode="preview"/);
    expect(html).toContain('<style>');
    expect(html).toMatch(/<script>\(function \(\) \{/);
    expect(html).not.toMatch(/<script src=|<link rel="stylesheet"|https?:\/\/(?!www\.w3\.org)/);
  });

  it('a course with only a syllabus draft previews its outline, every lesson not written yet', async () => {
    const course = engine.createCourse(sampleIntent, 'dana');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
    const result = await preview({ courseId: course.id });
    expect(result.source).toEqual({ kind: 'drafts', syllabusVersion: 1, syllabusStatus: 'DRAFT' });
    const lessons = draft.syllabus.modules.flatMap((m) => m.lessons);
    expect([...lessonSections(result.html).values()].every((page) => page.includes('Not written yet.'))).toBe(true);
    expect(lessonSections(result.html).size).toBe(lessons.length);
  });

  it('refuses what it cannot show, saying why: an unknown course, a course without a syllabus, another course\'s package', async () => {
    await expect(async () => preview({ courseId: 'no-such-course' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bare = engine.createCourse(sampleIntent, 'dana');
    await expect(async () => preview({ courseId: bare.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('no syllabus yet') });

    const { course } = await createCourseWithApprovedSyllabus(engine);
    await approveAllContent(content, course.id);
    const built = createPackageEngine({ store: opened.store }).buildPackage(course.id, 'dana');
    await expect(async () => preview({ courseId: bare.id, packageId: built.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await preview({ courseId: course.id, packageId: built.id })).source.kind).toBe('package');
  });

  it('takes only a course id and an optional package id', () => {
    const input = api['preview.course'].input;
    expect(input.safeParse({ courseId: 'c_1' }).success).toBe(true);
    expect(input.safeParse({ courseId: 'c_1', packageId: 'pkg_1' }).success).toBe(true);
    expect(input.safeParse({ courseId: '../etc' }).success).toBe(false);
    expect(input.safeParse({ courseId: 'c_1', html: '<script>' }).success).toBe(false);
  });
});
