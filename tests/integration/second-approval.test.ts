import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { createPackageEngine, type PackageEngine } from '../../core/packaging/engine.js';
import { openDatabase } from '../../db/open.js';
import type { CoursewrightError } from '../../schemas/errors.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * What packaging and the lifecycle say after a second syllabus approval: only the latest approved
 * syllabus version counts, so content and packages of the first one no longer make the course
 * ready or publishable, and a new package is built only from content of the second.
 *
 * The mock writes the sample course as 6 modules of 3 lessons, a project owed by each module:
 * 18 lessons, 18 quizzes and 6 projects, 42 pieces in all.
 */

let opened: ReturnType<typeof openDatabase>;
let engine: Engine;
let content: ContentEngine;
let packages: PackageEngine;

beforeEach(() => {
  opened = openDatabase(path.join(tempDataDir('second-approval'), 'coursewright.db'));
  engine = createEngine({ store: opened.store });
  content = createContentEngine({ store: opened.store });
  packages = createPackageEngine({ store: opened.store });
});
afterEach(() => opened.close());

/** Generates every piece the syllabus version asks for, and has a reviewer open, submit and approve it. */
async function approveAllContent(courseId: string, syllabusVersionId: string) {
  const run = await content.generateContent(courseId, { actor: 'dana', models: [createMockProvider()], syllabusVersionId });
  const ids = run.generated.map((i) => i.id);
  for (const id of ids) content.openContent(id, 'rui');
  content.submitContent(ids, 'dana');
  content.approveContent(ids, { by: 'rui', requireOpened: true });
  return run;
}

/** A course published from syllabus v1, whose syllabus is then revised and v2 approved. */
async function publishedThenRevised() {
  const { course, approved: v1 } = await createCourseWithApprovedSyllabus(engine);
  const firstRun = await approveAllContent(course.id, v1.id);
  const firstPackage = packages.buildPackage(course.id, 'dana');
  content.transitionCourse(course.id, 'review', 'dana');
  content.transitionCourse(course.id, 'ready', 'dana');
  content.transitionCourse(course.id, 'published', 'dana');
  const draft = engine.reviseSyllabus(v1.id, 'dana');
  engine.submitSyllabus(draft.id, 'dana');
  const v2 = engine.approveSyllabus(draft.id, { by: 'rui' });
  return { course, v1, v2, firstRun, firstPackage };
}

const unmetRules = (courseId: string, to: string) => content.courseStatus(courseId).transitions.find((t) => t.to === to);

function refusalOf(action: () => unknown): CoursewrightError {
  try {
    action();
  } catch (error) {
    return error as CoursewrightError;
  }
  throw new Error('expected a refusal, but the action went through');
}

describe('after a second syllabus approval', () => {
  it('the first version\'s approved content and package stand, but no longer count', async () => {
    const { course, v1, v2, firstRun, firstPackage } = await publishedThenRevised();
    expect(firstRun.planned).toBe(42);
    expect(v2).toMatchObject({ version: 2, status: 'APPROVED' });
    expect(v2.syllabus).toEqual(v1.syllabus);

    // The first package is untouched and still names v1.
    expect(packages.listPackages(course.id).map((p) => [p.id, p.version, p.status])).toEqual([[firstPackage.id, 1, 'PUBLISHED']]);
    const kept = packages.getPackage(firstPackage.id);
    expect(kept.document.syllabus).toMatchObject({ versionId: v1.id, version: 1 });
    expect(kept.itemHashes.slice(1).map((i) => i.itemId).sort()).toEqual(firstRun.generated.map((i) => i.id).sort());

    // The published course may still retire; nothing else about it changes.
    expect(content.courseStatus(course.id)).toMatchObject({ status: 'published', transitions: [{ to: 'retired', allowed: true, unmet: [] }] });
  });

  it('a new package is refused until content of v2 is approved, though v1 content covers every piece', async () => {
    const { course } = await publishedThenRevised();
    const refusal = refusalOf(() => packages.buildPackage(course.id, 'dana'));
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toMatch(/^The package needs every lesson, quiz and required project approved; 42 pieces are missing:\n {2}lesson m1-data-visualisation-l1 \(.+\): no content yet\n/);
    expect(refusal.message).toMatch(/…and 17 more\nGenerate and approve them, then build again\.$/);
    expect((refusal.details as { missing: Array<{ state: string }> }).missing.filter((m) => m.state === 'missing')).toHaveLength(42);
    expect(packages.listPackages(course.id)).toHaveLength(1);
  });

  it('a course in review cannot be made ready on v1 content, and every gap is named against v2', async () => {
    const { course, approved: v1 } = await createCourseWithApprovedSyllabus(engine);
    await approveAllContent(course.id, v1.id);
    content.transitionCourse(course.id, 'review', 'dana');
    expect(unmetRules(course.id, 'ready')).toEqual({ to: 'ready', allowed: true, unmet: [] });
    const draft = engine.reviseSyllabus(v1.id, 'dana');
    engine.submitSyllabus(draft.id, 'dana');
    engine.approveSyllabus(draft.id, { by: 'rui' });

    expect(unmetRules(course.id, 'ready')).toEqual({
      to: 'ready',
      allowed: false,
      unmet: [
        { rule: 'lessons-approved', message: expect.stringMatching(/^18 lessons are not approved yet: \d+ in module 1, \d+ in module 2, \d+ in module 3 and \d+ in 3 other modules\.$/) },
        { rule: 'quizzes-approved', message: expect.stringMatching(/^18 quizzes are not approved yet: \d+ in module 1, \d+ in module 2, \d+ in module 3 and \d+ in 3 other modules\.$/) },
        { rule: 'projects-approved', message: 'The projects of modules 1, 2, 3, 4, 5 and 6 are not approved yet.' },
      ],
    });
    expect(() => content.transitionCourse(course.id, 'ready', 'dana')).toThrow(/lessons-approved/);
    expect(content.courseStatus(course.id).status).toBe('review');
  });

  it('once v2 content is approved a package is built from v2 content only, and counts as new content', async () => {
    const { course, v2, firstPackage } = await publishedThenRevised();
    const secondRun = await approveAllContent(course.id, v2.id);
    expect(secondRun).toMatchObject({ syllabusVersionId: v2.id, planned: 42, skipped: 0, failed: [] });
    expect(secondRun.generated.every((i) => i.syllabusVersionId === v2.id && i.version === 1)).toBe(true);

    const second = packages.buildPackage(course.id, 'dana');
    expect(second).toMatchObject({ version: 2, status: 'PUBLISHED', sameContentAs: null, moduleCount: 6, lessonCount: 18 });
    expect(second.contentHash).not.toBe(firstPackage.contentHash);
    const document = packages.getPackage(second.id).document;
    expect(document.syllabus).toMatchObject({ versionId: v2.id, version: 2 });
    const frozen = new Set(document.modules.flatMap((m) => [...m.lessons.flatMap((l) => [l.lesson.itemId, l.quiz.itemId]), m.project!.itemId]));
    expect(frozen).toEqual(new Set(secondRun.generated.map((i) => i.id)));

    const third = packages.buildPackage(course.id, 'dana');
    expect(third).toMatchObject({ version: 3, sameContentAs: 2, contentHash: second.contentHash });
    expect(packages.listPackages(course.id).map((p) => p.version)).toEqual([3, 2, 1]);
  });
});

describe('the lifecycle counts packages of the latest approved syllabus only', () => {
  it('a ready course revised to v2 cannot publish on its v1 package, and can once a v2 package is built', async () => {
    const { course, approved: v1 } = await createCourseWithApprovedSyllabus(engine);
    await approveAllContent(course.id, v1.id);
    packages.buildPackage(course.id, 'dana');
    content.transitionCourse(course.id, 'review', 'dana');
    content.transitionCourse(course.id, 'ready', 'dana');
    expect(unmetRules(course.id, 'published')).toEqual({ to: 'published', allowed: true, unmet: [] });

    const draft = engine.reviseSyllabus(v1.id, 'dana');
    engine.submitSyllabus(draft.id, 'dana');
    const v2 = engine.approveSyllabus(draft.id, { by: 'rui' });
    const packageBuilt = {
      rule: 'package-built',
      message: 'Publishing needs a course package built from the approved syllabus: build one on the Packages screen.',
    };
    expect(unmetRules(course.id, 'published')).toEqual({ to: 'published', allowed: false, unmet: [packageBuilt] });
    expect(() => content.transitionCourse(course.id, 'published', 'dana')).toThrow(expect.objectContaining({ code: 'CONFLICT', details: { unmet: [packageBuilt] } }));

    await approveAllContent(course.id, v2.id);
    packages.buildPackage(course.id, 'dana');
    expect(content.transitionCourse(course.id, 'published', 'dana').status).toBe('published');
  });
});
