import { afterEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { openStudioHost } from '../../host/studio-host.js';
import type { Result } from '../../schemas/api.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { createCourseWithApprovedSyllabus, sampleIntent, tempDataDir } from '../helpers.js';

/**
 * `packages.readiness` through the studio's own dispatcher on a real SQLite file: what Build waits
 * for, named as the designer reads the outline, and the same gap the build itself refuses.
 */

const memoryKeys = { kind: 'memory' as const, get: () => null, set: () => undefined };
let host: ReturnType<typeof openStudioHost> | undefined;
afterEach(() => host?.close());

/** A course whose content is all generated, opened and submitted; every item approved except those `holdBack` picks. */
async function courseInReview(holdBack: (item: { kind: string; targetId: string }, syllabus: Syllabus) => boolean) {
  host = openStudioHost({ dataDir: tempDataDir('readiness'), keys: memoryKeys });
  const engine = createEngine({ store: host.store });
  const content = createContentEngine({ store: host.store });
  const { course, approved } = await createCourseWithApprovedSyllabus(engine);
  const generated = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] })).generated;
  for (const item of generated) content.openContent(item.id, 'rui');
  content.submitContent(generated.map((i) => i.id), 'dana');
  const toApprove = generated.filter((i) => !holdBack(i, approved.syllabus)).map((i) => i.id);
  content.approveContent(toApprove, { by: 'rui', requireOpened: true });
  return { course, syllabus: approved.syllabus, generated };
}

async function call(name: string, input: unknown): Promise<Result<any>> {
  return host!.dispatch(name, input);
}

describe('packages.readiness', () => {
  it('a course with everything approved is ready, owes nothing, and builds', async () => {
    const { course } = await courseInReview(() => false);
    expect(await call('packages.readiness', { courseId: course.id })).toEqual({ ok: true, value: { courseId: course.id, ready: true, syllabusVersion: 1, missing: [] } });
    expect(await call('packages.build', { courseId: course.id })).toMatchObject({ ok: true, value: { version: 1 } });
  });

  it('one quiz still in review: exactly that quiz, with its place and sentence, and the build refuses that same piece', async () => {
    const { course, syllabus, generated } = await courseInReview((item, outline) => item.kind === 'quiz' && item.targetId === outline.modules[1]!.lessons[1]!.id);
    const module2 = syllabus.modules[1]!;
    const lesson = module2.lessons[1]!;
    const quiz = generated.find((i) => i.kind === 'quiz' && i.targetId === lesson.id)!;
    expect(await call('packages.readiness', { courseId: course.id })).toEqual({
      ok: true,
      value: {
        courseId: course.id,
        ready: false,
        syllabusVersion: 1,
        missing: [
          {
            kind: 'quiz',
            targetId: lesson.id,
            itemId: quiz.id,
            title: lesson.title,
            moduleNumber: 2,
            lessonNumber: 2,
            status: 'IN_REVIEW',
            sentence: `Quiz for lesson 2.2 “${lesson.title}” is waiting for review, not approved yet.`,
          },
        ],
      },
    });
    const refused = await call('packages.build', { courseId: course.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { missing: [{ kind: 'quiz', targetId: lesson.id, state: 'not approved' }] } } });
  });

  it('a course without an approved syllabus owes its syllabus; an unknown course and a malformed id are refused', async () => {
    host = openStudioHost({ dataDir: tempDataDir('readiness-empty'), keys: memoryKeys });
    const course = createEngine({ store: host.store }).createCourse(sampleIntent, 'dana');
    expect(await call('packages.readiness', { courseId: course.id })).toEqual({
      ok: true,
      value: {
        courseId: course.id,
        ready: false,
        syllabusVersion: null,
        missing: [{ kind: 'syllabus', targetId: course.id, itemId: null, title: course.title, moduleNumber: null, lessonNumber: null, status: null, sentence: 'The course has no syllabus yet: generate or write one.' }],
      },
    });
    expect(await call('packages.readiness', { courseId: 'no-such-course' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('packages.readiness', { courseId: '../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('packages.readiness', { courseId: course.id, extra: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('audit.list with titles', () => {
  it('names the course and the item an entry is about, keeps the ids, and leaves a deleted course with its id alone', async () => {
    const { course, syllabus, generated } = await courseInReview(() => false);
    const lesson = syllabus.modules[0]!.lessons[0]!;
    const quiz = generated.find((i) => i.kind === 'quiz' && i.targetId === lesson.id)!;
    const entries = ((await call('audit.list', { entityId: quiz.id })) as { ok: true; value: any[] }).value;
    expect(entries.map((e) => e.action)).toContain('content.approved');
    for (const entry of entries) expect(entry).toMatchObject({ entityId: quiz.id, entityTitle: `Quiz for lesson 1.1 “${lesson.title}” v1`, courseTitle: sampleIntent.title });
    const created = ((await call('audit.list', { entityId: course.id })) as { ok: true; value: any[] }).value.find((e) => e.action === 'course.created');
    expect(created).toMatchObject({ entityId: course.id, entityTitle: sampleIntent.title, courseTitle: sampleIntent.title });

    const draftOnly = createEngine({ store: host!.store }).createCourse({ ...sampleIntent, title: 'Deleted before anything was approved' }, 'dana');
    expect(await call('courses.delete', { courseId: draftOnly.id })).toMatchObject({ ok: true });
    const orphan = ((await call('audit.list', { entityId: draftOnly.id })) as { ok: true; value: any[] }).value;
    expect(orphan.length).toBeGreaterThan(0);
    for (const entry of orphan) {
      expect(entry.entityId).toBe(draftOnly.id);
      expect(entry.entityTitle).toBeUndefined();
    }
  });
});
