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
        { rule: 'lessons-approved', message: 'Every lesson needs approved lesson content; 1 lesson not approved yet: l2.' },
        { rule: 'quizzes-approved', message: 'Every lesson needs an approved quiz; 1 quiz not approved yet: l4.' },
        { rule: 'projects-approved', message: 'Every required project must be approved; 1 project not approved yet: m2.' },
      ],
    });
  });

  it('several gaps are named in the plural, in course order', () => {
    const verdict = evaluateTransition('review', 'ready', { ...complete, approvedContent: [approved('lesson', 'l2'), approved('quiz', 'l3')] });
    expect(verdict.unmet).toEqual([
      { rule: 'lessons-approved', message: 'Every lesson needs approved lesson content; 3 lessons not approved yet: l1, l3, l4.' },
      { rule: 'quizzes-approved', message: 'Every lesson needs an approved quiz; 3 quizzes not approved yet: l1, l2, l4.' },
      { rule: 'projects-approved', message: 'Every required project must be approved; 1 project not approved yet: m2.' },
    ]);
    const noHooks = course(['a', 'b'].map((id) => ({ id, lessons: [lesson(`${id}1`, 0)] })));
    const projects = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-2', version: 2, syllabus: noHooks }, approvedContent: ['a1', 'b1'].flatMap((id) => [approved('lesson', id), approved('quiz', id)]) });
    expect(projects.unmet).toEqual([{ rule: 'projects-approved', message: 'Every required project must be approved; 2 projects not approved yet: a, b.' }]);
  });

  it('names six gaps in full, and beyond six names the first six and counts the rest', () => {
    const lessonsIn = (count: number) => course([{ id: 'm1', lessons: Array.from({ length: count }, (_, i) => lesson(`l${i + 1}`, i, ['project'])) }]);
    const onlyQuizzesAndProject = (count: number) => [...Array.from({ length: count }, (_, i) => approved('quiz', `l${i + 1}`)), approved('project', 'm1')];
    const six = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-6', version: 1, syllabus: lessonsIn(6) }, approvedContent: onlyQuizzesAndProject(6) });
    expect(six.unmet).toEqual([{ rule: 'lessons-approved', message: 'Every lesson needs approved lesson content; 6 lessons not approved yet: l1, l2, l3, l4, l5, l6.' }]);
    const nine = evaluateTransition('review', 'ready', { ...complete, approvedSyllabus: { id: 'syl-9', version: 1, syllabus: lessonsIn(9) }, approvedContent: onlyQuizzesAndProject(9) });
    expect(nine.unmet).toEqual([{ rule: 'lessons-approved', message: 'Every lesson needs approved lesson content; 9 lessons not approved yet: l1, l2, l3, l4, l5, l6 and 3 more.' }]);
  });

  it('package-built: publishing without a package is refused with the way to build one, and allowed with one', () => {
    expect(evaluateTransition('ready', 'published', { ...complete, packagesBuilt: 0 })).toEqual({
      allowed: false,
      unmet: [{ rule: 'package-built', message: 'Publishing needs a course package built from the approved syllabus: build one on the Packages page or with `coursewright package build COURSE`.' }],
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
