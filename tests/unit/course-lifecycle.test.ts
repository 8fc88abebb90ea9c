import { describe, expect, it } from 'vitest';
import { evaluateTransition, requiredProjectModules, type LifecycleFacts } from '../../core/lifecycle/course-lifecycle.js';
import type { ContentItem, ContentKind } from '../../schemas/content.js';
import { CourseStatus } from '../../schemas/course.js';
import { Syllabus } from '../../schemas/syllabus.js';

const lesson = (id: string, index: number, project = false) => ({
  id,
  index,
  title: `Lesson ${id}`,
  objectives: [`Explain the idea behind ${id}`],
  estimatedMinutes: 30,
  assessmentHooks: project ? [{ kind: 'project' as const, description: 'module project' }] : [],
});

/** Two modules; only the second one's lessons ask for a project. */
const syllabus = Syllabus.parse({
  title: 'Lifecycle course',
  summary: 'A small course for the lifecycle rules.',
  audience: 'Testers',
  level: 'beginner',
  language: 'en',
  totalEstimatedMinutes: 90,
  modules: [
    { id: 'm1', index: 0, title: 'Module one', estimatedMinutes: 60, lessons: [lesson('l1', 0), lesson('l2', 1)] },
    { id: 'm2', index: 1, title: 'Module two', estimatedMinutes: 30, lessons: [lesson('l3', 0, true)] },
  ],
});

const approvedSyllabus = { id: 'syl-1', version: 1, syllabus };

/** Only kind, target and status matter to the rules. */
const approved = (kind: ContentKind, targetId: string) => ({ kind, targetId, status: 'APPROVED' }) as ContentItem;

const everything = (): ContentItem[] => [
  ...['l1', 'l2', 'l3'].flatMap((id) => [approved('lesson', id), approved('quiz', id)]),
  approved('project', 'm2'),
];

const facts = (overrides: Partial<LifecycleFacts> = {}): LifecycleFacts => ({ approvedSyllabus, approvedContent: everything(), packagesBuilt: 0, ...overrides });
const rules = (verdict: { unmet: Array<{ rule: string }> }) => verdict.unmet.map((u) => u.rule);

describe('course lifecycle rules', () => {
  it('legal-transition: only the listed moves exist, and retired is final', () => {
    expect(rules(evaluateTransition('draft', 'ready', facts()))).toEqual(['legal-transition']);
    expect(rules(evaluateTransition('draft', 'published', facts({ packagesBuilt: 1 })))).toEqual(['legal-transition']);
    expect(evaluateTransition('retired', 'published', facts({ packagesBuilt: 1 })).unmet[0]!.message).toMatch(/retired is final/);
    // Every pair of statuses, against a literal table rather than courseTransitions itself.
    const legal: Record<string, string[]> = { draft: ['review'], review: ['ready', 'draft'], ready: ['published', 'review'], published: ['retired'], retired: [] };
    for (const from of CourseStatus.options) {
      for (const to of CourseStatus.options) {
        expect(evaluateTransition(from, to, facts({ packagesBuilt: 1 })).allowed, `${from} → ${to}`).toBe(legal[from]!.includes(to));
      }
    }
  });

  it('approved-syllabus: review and ready need an approved syllabus version', () => {
    expect(rules(evaluateTransition('draft', 'review', facts({ approvedSyllabus: undefined, approvedContent: [] })))).toEqual(['approved-syllabus']);
    expect(rules(evaluateTransition('review', 'ready', facts({ approvedSyllabus: undefined, approvedContent: [] })))).toEqual(['approved-syllabus']);
    expect(evaluateTransition('draft', 'review', facts())).toEqual({ allowed: true, unmet: [] });
  });

  it('lessons-approved: every syllabus lesson needs approved lesson content, and the message names the missing ones', () => {
    const verdict = evaluateTransition('review', 'ready', facts({ approvedContent: everything().filter((c) => !(c.kind === 'lesson' && c.targetId === 'l2')) }));
    expect(rules(verdict)).toEqual(['lessons-approved']);
    expect(verdict.unmet[0]!.message).toBe('1 lesson in module 1 is not approved yet.');
  });

  it('quizzes-approved: every syllabus lesson needs an approved quiz', () => {
    const verdict = evaluateTransition('review', 'ready', facts({ approvedContent: everything().filter((c) => !(c.kind === 'quiz' && c.targetId === 'l3')) }));
    expect(rules(verdict)).toEqual(['quizzes-approved']);
    expect(verdict.unmet[0]!.message).toBe('1 quiz in module 2 is not approved yet.');
  });

  it('projects-approved: projects are required where the assessment hooks ask, and only there', () => {
    expect(requiredProjectModules(syllabus)).toEqual(['m2']);
    expect(rules(evaluateTransition('review', 'ready', facts({ approvedContent: everything().filter((c) => c.kind !== 'project') })))).toEqual(['projects-approved']);
    const noHooks = { ...syllabus, modules: syllabus.modules.map((m) => ({ ...m, lessons: m.lessons.map((l) => ({ ...l, assessmentHooks: [] })) })) };
    expect(requiredProjectModules(noHooks)).toEqual(['m1', 'm2']);
    const verdict = evaluateTransition('review', 'ready', facts({ approvedSyllabus: { ...approvedSyllabus, syllabus: noHooks } }));
    expect(rules(verdict)).toEqual(['projects-approved']);
    expect(verdict.unmet[0]!.message).toBe('The project of module 1 is not approved yet.');
  });

  it('a refusal lists every unmet rule at once', () => {
    const verdict = evaluateTransition('review', 'ready', facts({ approvedContent: [] }));
    expect(verdict.allowed).toBe(false);
    expect(rules(verdict)).toEqual(['lessons-approved', 'quizzes-approved', 'projects-approved']);
    expect(evaluateTransition('review', 'ready', facts())).toEqual({ allowed: true, unmet: [] });
  });

  it('package-built: publishing needs a package built from the approved syllabus, and says where to build one', () => {
    const verdict = evaluateTransition('ready', 'published', facts());
    expect(rules(verdict)).toEqual(['package-built']);
    expect(verdict.unmet[0]!.message).toBe('Publishing needs a course package built from the approved syllabus: build one on the Packages screen.');
    expect(evaluateTransition('ready', 'published', facts({ packagesBuilt: 1 })).allowed).toBe(true);
  });

  it('steps back to rework and retirement carry no content rules', () => {
    expect(evaluateTransition('ready', 'review', facts({ approvedContent: [] })).allowed).toBe(true);
    expect(evaluateTransition('review', 'draft', facts({ approvedSyllabus: undefined, approvedContent: [] })).allowed).toBe(true);
    expect(evaluateTransition('published', 'retired', facts({ approvedContent: [] })).allowed).toBe(true);
  });
});
