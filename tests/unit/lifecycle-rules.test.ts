import { describe, expect, it } from 'vitest';
import { evaluateTransition, requiredProjectModules, type LifecycleFacts } from '../../core/lifecycle/course-lifecycle.js';
import type { ContentItem, ContentKind } from '../../schemas/content.js';
import type { CourseStatus } from '../../schemas/course.js';
import { Syllabus } from '../../schemas/syllabus.js';

/**
 * The course lifecycle against literal expectations: which moves exist, what each refusal says
 * word for word, and which modules owe a project. Nothing here is derived from the rule table.
 */

type Hook = 'quiz' | 'project';
const lesson = (id: string, index: number, hooks: Hook[] = []) => ({
  id,
  index,
  title: `Lesson ${id}`,
  objectives: [`Explain the idea behind ${id}`],
  estimatedMinutes: 30,
  assessmentHooks: hooks.map((kind) => ({ kind, description: `${kind} for ${id}` })),
});
const course = (modules: Array<{ id: string; lessons: ReturnType<typeof lesson>[] }>) =>
  Syllabus.parse({
    title: 'Lifecycle course',
    summary: 'A small course for the lifecycle rules.',
    audience: 'Testers',
    level: 'beginner',
    language: 'en',
    totalEstimatedMinutes: 0,
    modules: modules.map((m, index) => ({ ...m, index, title: `Module ${m.id}`, estimatedMinutes: 0 })),
  });

/** m1 asks only for a quiz; m2 asks for a project in one of its two lessons. */
const syllabus = course([
  { id: 'm1', lessons: [lesson('l1', 0, ['quiz']), lesson('l2', 1)] },
  { id: 'm2', lessons: [lesson('l3', 0, ['project']), lesson('l4', 1)] },
]);

const approved = (kind: ContentKind, targetId: string) => ({ kind, targetId, status: 'APPROVED' }) as ContentItem;
const allLessonsAndQuizzes = ['l1', 'l2', 'l3', 'l4'].flatMap((id) => [approved('lesson', id), approved('quiz', id)]);
const complete: LifecycleFacts = { approvedSyllabus: { id: 'syl-1', version: 1, syllabus }, approvedContent: [...allLessonsAndQuizzes, approved('project', 'm2')], packagesBuilt: 1 };

describe('which moves exist', () => {
  /** Every pair of statuses, with everything a forward move needs already in place. */
  const table: Array<[CourseStatus, CourseStatus, 'allowed' | string]> = [
    ['draft', 'draft', 'A draft course can move only to review.'],
    ['draft', 'review', 'allowed'],
    ['draft', 'ready', 'A draft course can move only to review.'],
    ['draft', 'published', 'A draft course can move only to review.'],
    ['draft', 'retired', 'A draft course can move only to review.'],
    ['review', 'draft', 'allowed'],
    ['review', 'review', 'A review course can move only to ready or draft.'],
    ['review', 'ready', 'allowed'],
    ['review', 'published', 'A review course can move only to ready or draft.'],
    ['review', 'retired', 'A review course can move only to ready or draft.'],
    ['ready', 'draft', 'A ready course can move only to published or review.'],
    ['ready', 'review', 'allowed'],
    ['ready', 'ready', 'A ready course can move only to published or review.'],
    ['ready', 'published', 'allowed'],
    ['ready', 'retired', 'A ready course can move only to published or review.'],
    ['published', 'draft', 'A published course can move only to retired.'],
    ['published', 'review', 'A published course can move only to retired.'],
    ['published', 'ready', 'A published course can move only to retired.'],
    ['published', 'published', 'A published course can move only to retired.'],
    ['published', 'retired', 'allowed'],
    ['retired', 'draft', 'A retired course can move only to nothing: retired is final.'],
    ['retired', 'review', 'A retired course can move only to nothing: retired is final.'],
    ['retired', 'ready', 'A retired course can move only to nothing: retired is final.'],
    ['retired', 'published', 'A retired course can move only to nothing: retired is final.'],
    ['retired', 'retired', 'A retired course can move only to nothing: retired is final.'],
  ];

  it.each(table)('%s → %s: %s', (from, to, expected) => {
    const verdict = evaluateTransition(from, to, complete);
    if (expected === 'allowed') expect(verdict).toEqual({ allowed: true, unmet: [] });
    else expect(verdict).toEqual({ allowed: false, unmet: [{ rule: 'legal-transition', message: expected }] });
  });
});

describe('what each refusal says', () => {
  it('approved-syllabus: says what to do, for review and for ready', () => {
    const none: LifecycleFacts = { approvedSyllabus: undefined, approvedContent: [], packagesBuilt: 0 };
    const expected = { allowed: false, unmet: [{ rule: 'approved-syllabus', message: 'The course needs an approved syllabus version: submit one and have it approved.' }] };
    expect(evaluateTransition('draft', 'review', none)).toEqual(expected);
    expect(evaluateTransition('review', 'ready', none)).toEqual(expected);
  });

  it('one gap of each kind is named in the singular', () => {
    const verdict = evaluateTransition('review', 'ready', { ...complete, approvedContent: complete.approvedContent.filter((c) => !(c.targetId === 'l2' && c.kind !== 'quiz') && !(c.kind === 'quiz' && c.targetId === 'l4') && c.kind !== 'project') });
    expect(verdict).toEqual({
      allowed: false,
      unmet: [
        { rule: 'lessons-approved', message: '1 lesson in module 1 is not approved yet.' },
        { rule: 'quizzes-approved', message: '1 quiz in module 2 is not approved yet.' },
        { rule: 'projects-approved', message: 'The project of module 2 is not approved yet.' },
      ],
    });
  });

  it('several gaps are named in the plural, in course order', () => {
    const verdict = evaluateTransition('review', 'ready', { ...complete, approvedContent: [approved('lesson', 'l2'), approved('quiz', 'l3')] });
    expect(verdict.unmet).toEqual([
      { rule: 'lessons-approved', message: '3 lessons are not approved yet: 1 in module 1 and 2 in module 2.' },
      { rule: 'quizzes-approved', message: '3 quizzes are not approved yet: 2 in module 1 and 1 in module 2.' },
      { rule: 'projects-approved', message: 'The project of module 2 is not approved yet.' },
    ]);
    const noHooks = course(['a', 'b'].map((id) => ({ id, lessons: [lesson(`${id}1`, 0)] })));
    const projects = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-2', version: 2, syllabus: noHooks }, approvedContent: ['a1', 'b1'].flatMap((id) => [approved('lesson', id), approved('quiz', id)]) });
    expect(projects.unmet).toEqual([{ rule: 'projects-approved', message: 'The projects of modules 1 and 2 are not approved yet.' }]);
  });

  it('names the lessons of one module by count, and of many modules names three and counts the rest', () => {
    const lessonsIn = (count: number) => course([{ id: 'm1', lessons: Array.from({ length: count }, (_, i) => lesson(`l${i + 1}`, i, ['project'])) }]);
    const onlyQuizzesAndProject = (count: number) => [...Array.from({ length: count }, (_, i) => approved('quiz', `l${i + 1}`)), approved('project', 'm1')];
    const nine = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-9', version: 1, syllabus: lessonsIn(9) }, approvedContent: onlyQuizzesAndProject(9) });
    expect(nine.unmet).toEqual([{ rule: 'lessons-approved', message: '9 lessons in module 1 are not approved yet.' }]);

    const fiveModules = course(['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, lessons: [lesson(`${id}1`, 0, ['project']), lesson(`${id}2`, 1)] })));
    const quizzesAndProjects = [...['a', 'b', 'c', 'd', 'e'].flatMap((id) => [approved('quiz', `${id}1`), approved('quiz', `${id}2`), approved('project', id)]), approved('lesson', 'b1')];
    const spread = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-5', version: 1, syllabus: fiveModules }, approvedContent: quizzesAndProjects });
    expect(spread.unmet).toEqual([{ rule: 'lessons-approved', message: '9 lessons are not approved yet: 2 in module 1, 1 in module 2, 2 in module 3 and 4 in 2 other modules.' }]);
  });

  it('names six modules owing a project and counts the rest', () => {
    const modules = (count: number) => course(Array.from({ length: count }, (_, i) => ({ id: `m${i + 1}`, lessons: [lesson(`m${i + 1}l1`, 0)] })));
    const lessonsAndQuizzes = (count: number) => Array.from({ length: count }, (_, i) => [approved('lesson', `m${i + 1}l1`), approved('quiz', `m${i + 1}l1`)]).flat();
    const six = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-6', version: 1, syllabus: modules(6) }, approvedContent: lessonsAndQuizzes(6) });
    expect(six.unmet).toEqual([{ rule: 'projects-approved', message: 'The projects of modules 1, 2, 3, 4, 5 and 6 are not approved yet.' }]);
    const eight = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-8', version: 1, syllabus: modules(8) }, approvedContent: lessonsAndQuizzes(8) });
    expect(eight.unmet).toEqual([{ rule: 'projects-approved', message: 'The projects of modules 1, 2, 3, 4, 5, 6 and 2 more are not approved yet.' }]);
    const withProjects = [...lessonsAndQuizzes(8), ...Array.from({ length: 8 }, (_, i) => approved('project', `m${i + 1}`))];
    expect(evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-8', version: 1, syllabus: modules(8) }, approvedContent: withProjects })).toEqual({ allowed: true, unmet: [] });
  });

  it('no sentence the studio shows points at a terminal command', () => {
    const sentences = [evaluateTransition('ready', 'published', { ...complete, packagesBuilt: 0 }), evaluateTransition('review', 'ready', { ...complete, approvedContent: [] })].flatMap((v) => v.unmet.map((u) => u.message));
    expect(sentences.length).toBe(4);
    for (const sentence of sentences) expect(sentence).not.toMatch(/coursewright|`/);
  });

  it('package-built: publishing without a package is refused with the way to build one, and allowed with one', () => {
    expect(evaluateTransition('ready', 'published', { ...complete, packagesBuilt: 0 })).toEqual({
      allowed: false,
      unmet: [{ rule: 'package-built', message: 'Publishing needs a course package built from the approved syllabus: build one on the Packages screen.' }],
    });
    expect(evaluateTransition('ready', 'published', { ...complete, packagesBuilt: 2 })).toEqual({ allowed: true, unmet: [] });
  });
});

describe('which modules owe a project', () => {
  it('only modules with a lesson whose hooks ask for a project, even when other lessons there ask for nothing', () => {
    expect(requiredProjectModules(syllabus)).toEqual(['m2']);
  });

  it('a quiz hook alone does not ask for a project', () => {
    const quizzesOnly = course([
      { id: 'm1', lessons: [lesson('l1', 0, ['quiz'])] },
      { id: 'm2', lessons: [lesson('l2', 0, ['quiz', 'project'])] },
      { id: 'm3', lessons: [lesson('l3', 0)] },
    ]);
    expect(requiredProjectModules(quizzesOnly)).toEqual(['m2']);
  });

  it('every module, when no lesson asks for a project', () => {
    expect(requiredProjectModules(course([{ id: 'm1', lessons: [lesson('l1', 0, ['quiz'])] }, { id: 'm2', lessons: [lesson('l2', 0)] }]))).toEqual(['m1', 'm2']);
  });
});
