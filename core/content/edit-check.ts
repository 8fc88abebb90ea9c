import type { z } from 'zod';
import { contentSchemas, rubricTotal, type ContentKind, type ContentOf, type RubricCriterion } from '../../schemas/content.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { crossCheckContentIssues } from './validate.js';

/**
 * Checks a hand-edited lesson, quiz or project exactly as model output is checked (its zod schema,
 * then the cross-checks against the approved syllabus) and says what is wrong in the words of the
 * editor's form: "Question 2, option 3: is required", not `questions.1.options.2`. Pure, so the
 * studio's editor runs the same checks live that the host runs on save.
 */

/** One problem with an edited item: the field it is about (dotted path and label) and what to do. */
export interface ContentFieldIssue {
  /** Dotted path into the content, e.g. `questions.1.options.2`; the editor keys its field errors by it. */
  path: string;
  /** The field as the form names it, e.g. "Question 2, option 3". */
  field: string;
  message: string;
}

export type EditCheck<K extends ContentKind> = { ok: true; content: ContentOf<K> } | { ok: false; issues: ContentFieldIssue[] };

type Path = ReadonlyArray<PropertyKey>;

const nth = (value: PropertyKey | undefined) => (typeof value === 'number' ? value + 1 : Number(value) + 1);

const topLevel: Record<ContentKind, Record<string, string>> = {
  lesson: {
    id: 'Lesson',
    syllabusVersionId: 'Syllabus version',
    moduleId: 'Module',
    lessonIndex: 'Lesson position',
    title: 'Title',
    durationMinutes: 'Duration (minutes)',
    objectives: 'Objectives',
    keyTakeaways: 'Key takeaways',
  },
  quiz: { id: 'Quiz', syllabusVersionId: 'Syllabus version', lessonId: 'Lesson', title: 'Title', questions: 'Questions' },
  project: { id: 'Project', syllabusVersionId: 'Syllabus version', moduleId: 'Module', title: 'Title', problemStatement: 'Problem statement', constraints: 'Constraints', deliverables: 'Deliverables' },
};

/** The label a form shows for a path into a lesson, quiz or project. */
export function contentFieldLabel(kind: ContentKind, path: Path): string {
  const [first, second, third, fourth, fifth, sixth] = path;
  const key = String(first ?? '');
  if (path.length === 0) return kind === 'lesson' ? 'Lesson' : kind === 'quiz' ? 'Quiz' : 'Project';
  if (kind === 'lesson') {
    if (key === 'objectives' && second !== undefined) return `Objective ${nth(second)}`;
    if (key === 'keyTakeaways' && second !== undefined) return `Takeaway ${nth(second)}`;
    if (key === 'explanation') {
      if (second === 'overview') return 'Overview';
      if (second === 'concepts') {
        if (third === undefined) return 'Concepts';
        const concept = `Concept ${nth(third)}`;
        return fourth === undefined ? concept : `${concept}, ${fourth === 'example' ? 'example' : fourth === 'title' ? 'title' : 'explanation'}`;
      }
      return 'Explanation';
    }
    if (key === 'practice') return second === 'expectedOutcome' ? 'Practice, expected outcome' : second === 'prompt' ? 'Practice prompt' : 'Practice';
    if (key === 'metadata') {
      if (second === 'prerequisites') return third === undefined ? 'Prerequisites' : `Prerequisite ${nth(third)}`;
      return second === 'level' ? 'Level' : 'Lesson details';
    }
  }
  if (kind === 'quiz' && key === 'questions' && second !== undefined) {
    const question = `Question ${nth(second)}`;
    if (third === undefined) return question;
    if (third === 'options') return fourth === undefined ? `${question}, options` : `${question}, option ${nth(fourth)}`;
    const part: Record<string, string> = { prompt: 'question', correctIndex: 'correct option', explanation: 'explanation', objective: 'objective', id: 'id' };
    return `${question}, ${part[String(third)] ?? String(third)}`;
  }
  if (kind === 'project') {
    if (key === 'constraints' && second !== undefined) return `Constraint ${nth(second)}`;
    if (key === 'deliverables' && second !== undefined) return `Deliverable ${nth(second)}`;
    if (key === 'rubric') {
      if (second === 'totalPoints') return 'Rubric total points';
      if (second !== 'criteria') return 'Rubric';
      if (third === undefined) return 'Rubric criteria';
      const criterion = `Criterion ${nth(third)}`;
      if (fourth === undefined) return criterion;
      if (fourth === 'title') return `${criterion}, title`;
      if (fourth !== 'levels') return `${criterion}, ${String(fourth)}`;
      if (fifth === undefined) return `${criterion}, levels`;
      const level = `${criterion}, level ${nth(fifth)}`;
      return sixth === undefined ? level : `${level}, ${sixth === 'label' ? 'label' : sixth === 'descriptor' ? 'description' : 'points'}`;
    }
  }
  return topLevel[kind][key] ?? path.map(String).join('.');
}

/** What a list at this path holds, for "needs at least 2 takeaways". */
function entries(path: Path): string {
  const last = String(path.at(-1) ?? '');
  const nouns: Record<string, string> = {
    objectives: 'objectives',
    concepts: 'concepts',
    keyTakeaways: 'takeaways',
    questions: 'questions',
    options: 'options',
    constraints: 'constraints',
    deliverables: 'deliverables',
    criteria: 'criteria',
    levels: 'levels',
    prerequisites: 'prerequisites',
  };
  return nouns[last] ?? 'entries';
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** A zod issue in the words of someone filling in the form. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'is required' : `needs at least ${plural(min, 'character', 'characters')}`;
      if (issue.origin === 'array') return issue.exact ? `must have exactly ${plural(min, entries(issue.path).replace(/s$/, ''), entries(issue.path))}` : `needs at least ${min} ${entries(issue.path)}`;
      return `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${plural(max, 'character', 'characters')}`;
      if (issue.origin === 'array') return issue.exact ? `must have exactly ${max} ${entries(issue.path)}` : `can have at most ${max} ${entries(issue.path)}`;
      return `must be at most ${max}`;
    }
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return 'is missing';
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'string') return 'must be text';
      if (issue.expected === 'array') return 'must be a list';
      return `must be ${issue.expected === 'object' ? 'filled in' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `“${String(v)}”`).join(', ')}`;
    default:
      return issue.message;
  }
}

const dotted = (path: Path) => path.map(String).join('.');

/** The rubric's total says what it should be, computed from what the person entered. */
function rubricTotalMessage(input: unknown): string {
  const criteria = (input as { rubric?: { criteria?: unknown } } | null)?.rubric?.criteria;
  const computable = Array.isArray(criteria) && criteria.every((c) => Array.isArray((c as RubricCriterion)?.levels) && (c as RubricCriterion).levels.length > 0 && (c as RubricCriterion).levels.every((l) => typeof l?.points === 'number'));
  const total = computable ? ` (${rubricTotal(criteria as RubricCriterion[])})` : '';
  return `must equal the sum of each criterion's highest level points${total}`;
}

function describe(kind: ContentKind, input: unknown, issue: z.core.$ZodIssue): ContentFieldIssue {
  const path = issue.path;
  const isTotal = kind === 'project' && dotted(path) === 'rubric.totalPoints' && issue.code === 'custom';
  const isOptionsDiffer = issue.code === 'custom' && String(path.at(-1)) === 'options';
  return {
    path: dotted(path),
    field: contentFieldLabel(kind, path),
    message: isTotal ? rubricTotalMessage(input) : isOptionsDiffer ? 'the four options must all differ' : issueMessage(issue),
  };
}

/**
 * The same judgement model output gets in core/content/generate.ts: schema first, then the
 * cross-checks against the approved syllabus. Every issue comes back, not just the first, so a
 * form can mark each field at once.
 */
export function checkEditedContent<K extends ContentKind>(kind: K, input: unknown, target: { syllabus: Syllabus; syllabusVersionId: string; targetId: string }): EditCheck<K> {
  const parsed = contentSchemas[kind].safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => describe(kind, input, issue)) };
  const content = parsed.data as ContentOf<K>;
  const problems = crossCheckContentIssues(kind, content, target.syllabus, target.syllabusVersionId, target.targetId);
  if (problems.length) return { ok: false, issues: problems.map((p) => ({ path: dotted(p.path), field: contentFieldLabel(kind, p.path), message: p.message })) };
  return { ok: true, content };
}

/** "Question 2, option 3: is required" — how an issue reads on its own line. */
export const contentIssueLine = (issue: ContentFieldIssue) => `${issue.field}: ${issue.message}`;
