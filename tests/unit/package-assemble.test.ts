import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeMockContent } from '../../core/ai/mock-content.js';
import { writeMockSyllabus } from '../../core/ai/mock-provider.js';
import { contentHash } from '../../core/hash.js';
import { assemblePackageDocument } from '../../core/packaging/assemble.js';
import type { ContentItem } from '../../schemas/content.js';
import type { Course } from '../../schemas/course.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { LearningIntent } from '../../schemas/intent.js';
import { sampleIntent } from '../helpers.js';

const intent = LearningIntent.parse(sampleIntent);
const syllabus = writeMockSyllabus(intent, { modules: 2, lessonsPerModule: 2 });
const course: Course = { id: 'c1', title: intent.title, status: 'ready', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'dana', intent };
const approved = { id: 'syl-1', version: 2, contentHash: contentHash(syllabus), syllabus };

function item(kind: ContentItem['kind'], targetId: string, status: ContentItem['status'] = 'APPROVED', version = 1, instruction?: string): ContentItem {
  const content = writeMockContent({ contentKind: kind, syllabus, syllabusVersionId: approved.id, targetId, ...(instruction ? { instruction } : {}) });
  return {
    id: `${kind}-${targetId}-v${version}`,
    courseId: course.id,
    syllabusVersionId: approved.id,
    kind,
    targetId,
    version,
    status,
    content,
    metadata: { promptVersion: 'p', provider: 'mock', model: 'mock', params: {}, createdBy: 'dana', createdAt: '2026-01-02T00:00:00.000Z' },
    review: { basedOnId: null, contentHash: contentHash(content), openedAt: null, submittedAt: null, decidedBy: null, decidedAt: null, note: null, rejectionReason: null },
  };
}

const lessons = syllabus.modules.flatMap((m) => m.lessons.map((l) => l.id));
const complete = () => [...lessons.flatMap((id) => [item('lesson', id), item('quiz', id)]), ...syllabus.modules.map((m) => item('project', m.id))];

describe('assembling a package from approved content', () => {
  it('freezes every approved item with its approval hash, in course order', () => {
    const { document, itemHashes } = assemblePackageDocument(course, approved, complete());
    expect(document.modules.map((m) => m.lessons.map((l) => l.id))).toEqual(syllabus.modules.map((m) => m.lessons.map((l) => l.id)));
    expect(document.syllabus).toEqual({ versionId: 'syl-1', version: 2, contentHash: approved.contentHash });
    expect(itemHashes[0]!.kind).toBe('syllabus');
    expect(itemHashes).toHaveLength(1 + lessons.length * 2 + syllabus.modules.length);
    const first = document.modules[0]!.lessons[0]!;
    expect(first.lesson.contentHash).toBe(contentHash(first.lesson.content));
  });

  it('gives the same content hash for the same approved content, whatever order the items come in', () => {
    const a = assemblePackageDocument(course, approved, complete());
    const b = assemblePackageDocument(course, approved, complete().reverse());
    expect(contentHash(b.document)).toBe(contentHash(a.document));
  });

  it('takes the newest approved version of an item and ignores drafts and other syllabus versions', () => {
    const items = complete();
    items.push(item('lesson', lessons[0]!, 'APPROVED', 3, 'use a retail example'));
    items.push(item('lesson', lessons[0]!, 'DRAFT', 4, 'shorter'));
    items.push({ ...item('quiz', lessons[1]!, 'APPROVED', 9), syllabusVersionId: 'syl-old' });
    const { document } = assemblePackageDocument(course, approved, items);
    expect(document.modules[0]!.lessons[0]!.lesson.version).toBe(3);
    expect(document.modules[0]!.lessons[1]!.quiz.version).toBe(1);
  });

  it('refuses, listing every missing or unapproved piece, when anything is not approved', () => {
    const items = complete().filter((i) => !(i.kind === 'quiz' && i.targetId === lessons[1]) && !(i.kind === 'project' && i.targetId === syllabus.modules[1]!.id));
    items.push(item('quiz', lessons[1]!, 'IN_REVIEW'));
    let error: unknown;
    try {
      assemblePackageDocument(course, approved, items);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoursewrightError);
    const refusal = error as CoursewrightError;
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toContain('2 pieces are missing');
    expect(refusal.message).toContain(`quiz ${lessons[1]}`);
    expect(refusal.message).toContain('not approved yet');
    expect(refusal.message).toContain(`project ${syllabus.modules[1]!.id}`);
    expect((refusal.details as { missing: unknown[] }).missing).toEqual([
      { kind: 'quiz', targetId: lessons[1], title: expect.stringContaining('Quiz:'), state: 'not approved' },
      { kind: 'project', targetId: syllabus.modules[1]!.id, title: expect.stringContaining('Project:'), state: 'missing' },
    ]);
  });

  it('refuses approved content that holds a character XML cannot carry, naming the lesson, and packages it once a clean version is approved', () => {
    const items = complete();
    const lessonItem = items.find((i) => i.kind === 'lesson' && i.targetId === lessons[1])!;
    const content = lessonItem.content as { title: string };
    // Approved before such characters were refused at the door: the row holds it as it was.
    const damaged = { ...lessonItem, content: { ...lessonItem.content, title: `${content.title}\u0007` } } as ContentItem;
    const withDamage = items.map((i) => (i === lessonItem ? damaged : i));
    let error: unknown;
    try {
      assemblePackageDocument(course, approved, withDamage);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFLICT' });
    const message = (error as CoursewrightError).message;
    expect(message).toContain(`the lesson of lesson "${syllabus.modules[0]!.lessons[1]!.title}"`);
    expect(message).toContain('U+0007');
    expect(message).toContain('make a new version of each item named');

    const fixed = { ...item('lesson', lessons[1]!, 'APPROVED', 2) };
    const { document } = assemblePackageDocument(course, approved, [...withDamage, fixed]);
    expect(document.modules[0]!.lessons[1]!.lesson.version).toBe(2);
  });
});

describe('package assembly, each rule alone', () => {
  const refusalOf = (items: ContentItem[], syllabusVersion = approved) => {
    try {
      assemblePackageDocument(course, syllabusVersion, items);
    } catch (error) {
      return error as CoursewrightError;
    }
    throw new Error('expected a refusal, but the package was assembled');
  };
  const [m1, m2] = syllabus.modules;

  it('freezes the hash recorded at approval, and lists every frozen item syllabus first, in course order', () => {
    // A hash unlike the content's own: the package must carry what was recorded, not recompute it.
    const recorded = (id: string) => createHash('sha256').update(`recorded ${id}`).digest('hex');
    const items = complete().map((i) => ({ ...i, review: { ...i.review, contentHash: recorded(i.id) } }));
    const { document, itemHashes } = assemblePackageDocument(course, approved, items);
    expect(document.modules[1]!.project).toMatchObject({ itemId: `project-${m2!.id}-v1`, version: 1, contentHash: recorded(`project-${m2!.id}-v1`) });
    expect(itemHashes.map((h) => `${h.kind}:${h.targetId}:${h.contentHash}`)).toEqual([
      `syllabus:c1:${approved.contentHash}`,
      ...m1!.lessons.flatMap((l) => [`lesson:${l.id}:${recorded(`lesson-${l.id}-v1`)}`, `quiz:${l.id}:${recorded(`quiz-${l.id}-v1`)}`]),
      `project:${m1!.id}:${recorded(`project-${m1!.id}-v1`)}`,
      ...m2!.lessons.flatMap((l) => [`lesson:${l.id}:${recorded(`lesson-${l.id}-v1`)}`, `quiz:${l.id}:${recorded(`quiz-${l.id}-v1`)}`]),
      `project:${m2!.id}:${recorded(`project-${m2!.id}-v1`)}`,
    ]);
    expect(itemHashes[0]).toEqual({ kind: 'syllabus', targetId: 'c1', itemId: 'syl-1', version: 2, contentHash: approved.contentHash });
  });

  it('one missing piece is named in the singular, with what to do', () => {
    const lesson = m1!.lessons[0]!;
    const refusal = refusalOf(complete().filter((i) => !(i.kind === 'lesson' && i.targetId === lesson.id)));
    expect(refusal.message).toBe(`The package needs every lesson, quiz and required project approved; 1 piece is missing:\n  lesson ${lesson.id} (${lesson.title}): no content yet\nGenerate and approve them, then build again.`);
  });

  it('a rejected or superseded version does not stand in for an approved one', () => {
    const lesson = m2!.lessons[1]!;
    const items = complete().map((i) => (i.kind === 'quiz' && i.targetId === lesson.id ? { ...i, status: 'REJECTED' as const } : i));
    expect((refusalOf(items).details as { missing: unknown[] }).missing).toEqual([{ kind: 'quiz', targetId: lesson.id, title: `Quiz: ${lesson.title}`, state: 'not approved' }]);
  });

  it('names up to 25 missing pieces, and counts the rest', () => {
    const big = writeMockSyllabus(intent, { modules: 3, lessonsPerModule: 4 });
    const bigApproved = { ...approved, syllabus: big };
    const all = [...big.modules.flatMap((m) => m.lessons.map((l) => l.id)).flatMap((id) => ['lesson', 'quiz'].map((kind) => `${kind}:${id}`)), ...big.modules.map((m) => `project:${m.id}`)];
    expect(all).toHaveLength(27);
    const only = (keys: string[]) =>
      keys.map((key) => {
        const [kind, targetId] = key.split(':') as [ContentItem['kind'], string];
        return { ...item(kind, targetId), content: writeMockContent({ contentKind: kind, syllabus: big, syllabusVersionId: approved.id, targetId }) };
      });
    const twentyFive = refusalOf(only(all.slice(0, 2)), bigApproved).message;
    expect(twentyFive).toContain('25 pieces are missing:');
    expect(twentyFive.split('\n')).toHaveLength(27);
    expect(twentyFive).not.toContain('more');
    const twentySix = refusalOf(only(all.slice(0, 1)), bigApproved).message.split('\n');
    expect(twentySix[0]).toContain('26 pieces are missing:');
    expect(twentySix.at(-2)).toBe('  …and 1 more');
    expect(twentySix).toHaveLength(28);
  });

  it('names the module when a project cannot be packaged, and the course when the syllabus itself cannot', () => {
    const items = complete();
    const project = items.find((i) => i.kind === 'project' && i.targetId === m2!.id)!;
    const damaged = { ...project, content: { ...project.content, title: `${(project.content as { title: string }).title}\u0001` } } as ContentItem;
    const message = refusalOf(items.map((i) => (i === project ? damaged : i))).message;
    expect(message).toMatch(new RegExp(`^Approved content cannot go into a package as it is:\\n  the project of module "${m2!.title}": .*U\\+0001`));

    const untitled = { ...approved, syllabus: { ...syllabus, title: '' } };
    expect(refusalOf(complete(), untitled).message).toMatch(/^Approved content cannot go into a package as it is:\n {2}the course: \S/);
  });
});
