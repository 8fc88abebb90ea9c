import type { z } from 'zod';

/**
 * Validation problems in the words of the form a person fills in: "Time budget (hours) must be
 * more than 0", never `timeBudgetHours` or "Too big: expected string to have <=200 characters".
 * The host's INVALID_INPUT messages and the studio's forms both build their sentences here, so a
 * field is called the same thing in a refusal as on the label beside it.
 */

export type FieldPath = ReadonlyArray<PropertyKey>;
/** The label a form shows for a path into the value it edits. */
export type FieldLabeler = (path: FieldPath) => string;

/** The learning intent's fields as the intent form labels them. */
export const intentFieldLabels = {
  title: 'Title',
  audience: 'Audience',
  level: 'Level',
  timeBudgetHours: 'Time budget (hours)',
  teachingStyle: 'Teaching style',
  constraints: 'Constraints',
  language: 'Language',
  notes: 'Notes',
} as const;

const nth = (value: PropertyKey | undefined) => Number(value) + 1;

/** "Sentence case" of a key nobody wrote a label for: `courseId` → "Course", `rejectionReason` → "Rejection reason". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const intentFieldLabel: FieldLabeler = (path) => {
  const [first, second] = path;
  if (path.length === 0) return 'Learning intent';
  const key = String(first);
  if (key === 'constraints' && second !== undefined) return `Constraint ${nth(second)}`;
  return (intentFieldLabels as Record<string, string>)[key] ?? humanizeKey(key);
};

const syllabusCourseLabels: Record<string, string> = {
  title: 'Course title',
  summary: 'Course summary',
  audience: 'Audience',
  level: 'Level',
  language: 'Language',
  totalEstimatedMinutes: 'Total duration (minutes)',
  modules: 'Modules',
};
const syllabusPartLabels: Record<string, string> = {
  id: 'id',
  index: 'position',
  title: 'title',
  summary: 'summary',
  estimatedMinutes: 'duration (minutes)',
  lessons: 'lessons',
  objectives: 'objectives',
  prerequisites: 'prerequisites',
  assessmentHooks: 'assessments',
};

/** Paths into a syllabus as the outline names them: `modules.1.lessons.2.objectives.0` → "Module 2, lesson 3, objective 1". */
export const syllabusFieldLabel: FieldLabeler = (path) => {
  if (path.length === 0) return 'Syllabus';
  const [first, moduleIndex, moduleKey, lessonIndex, lessonKey, entryIndex] = path;
  if (String(first) !== 'modules' || moduleIndex === undefined) return syllabusCourseLabels[String(first)] ?? humanizeKey(String(first));
  const module = `Module ${nth(moduleIndex)}`;
  if (moduleKey === undefined) return module;
  if (String(moduleKey) !== 'lessons' || lessonIndex === undefined) return `${module}, ${syllabusPartLabels[String(moduleKey)] ?? humanizeKey(String(moduleKey)).toLowerCase()}`;
  const lesson = `${module}, lesson ${nth(lessonIndex)}`;
  if (lessonKey === undefined) return lesson;
  const part = syllabusPartLabels[String(lessonKey)] ?? humanizeKey(String(lessonKey)).toLowerCase();
  if (entryIndex === undefined) return `${lesson}, ${part}`;
  const singular = part === 'assessments' ? 'assessment' : part.replace(/s$/, '');
  return `${lesson}, ${singular} ${nth(entryIndex)}`;
};

/** Inputs of studio operations that are not an intent or a syllabus, as the screens name them. */
const operationLabels: Record<string, string> = {
  apiKey: 'Model key',
  actor: 'Your name',
  by: 'Your name',
  reason: 'Reason',
  note: 'Note',
  text: 'Comment',
  query: 'Search',
};

/**
 * Labels for a studio operation's input: `intent.*` and `syllabus.*` as their forms name them,
 * everything else by the words its screen uses.
 */
export const operationFieldLabel: FieldLabeler = (path) => {
  const [first, ...rest] = path;
  if (first === undefined) return 'The request';
  const key = String(first);
  if (key === 'intent') return intentFieldLabel(rest);
  if (key === 'syllabus') return syllabusFieldLabel(rest);
  return operationLabels[key] ?? humanizeKey(key);
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
/** What a list at this path holds, for "needs at least one module". */
function entryNoun(path: FieldPath): [string, string] {
  const last = String(path.at(-1) ?? '');
  const nouns: Record<string, [string, string]> = {
    modules: ['module', 'modules'],
    lessons: ['lesson', 'lessons'],
    objectives: ['objective', 'objectives'],
    constraints: ['constraint', 'constraints'],
    prerequisites: ['prerequisite', 'prerequisites'],
    assessmentHooks: ['assessment', 'assessments'],
  };
  return nouns[last] ?? ['entry', 'entries'];
}

/** Words a custom message may start with to follow the label directly ("Title contains a NUL character…"). */
const predicateStart = /^(contains|must|needs|is|has|can|cannot|should)\b/;

/** One zod issue as a sentence that starts with the field's label. */
export function fieldIssueSentence(issue: z.core.$ZodIssue, label: string): string {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? `${label} is required` : `${label} must be at least ${plural(min, 'character', 'characters')}`;
      if (issue.origin === 'array') {
        const [one, many] = entryNoun(issue.path);
        if (issue.exact) return `${label} must have exactly ${plural(min, one, many)}`;
        return min === 1 ? `${label} needs at least one ${one}` : `${label} needs at least ${plural(min, one, many)}`;
      }
      return issue.inclusive === false ? `${label} must be more than ${min}` : `${label} must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${label} must be at most ${plural(max, 'character', 'characters')}`;
      if (issue.origin === 'array') {
        const [one, many] = entryNoun(issue.path);
        return issue.exact ? `${label} must have exactly ${plural(max, one, many)}` : `${label} can have at most ${plural(max, one, many)}`;
      }
      return issue.inclusive === false ? `${label} must be less than ${max}` : `${label} must be at most ${max}`;
    }
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return `${label} is missing`;
      if (issue.expected === 'int') return `${label} must be a whole number`;
      if (issue.expected === 'number') return `${label} must be a number`;
      if (issue.expected === 'string') return `${label} must be text`;
      if (issue.expected === 'array') return `${label} must be a list`;
      if (issue.expected === 'boolean') return `${label} must be yes or no`;
      return `${label} must be filled in`;
    case 'invalid_value':
      return `${label} must be one of ${issue.values.map((v) => `“${String(v)}”`).join(', ')}`;
    case 'unrecognized_keys':
      return `${label} has fields the studio does not know: ${issue.keys.join(', ')}`;
    default: {
      // A message the schema wrote itself: said after the label, or with a colon when it is a sentence of its own.
      const key = issue.path.at(-1);
      const own = typeof key === 'string' && issue.message.startsWith(`${key} `) ? issue.message.slice(key.length + 1) : issue.message;
      return predicateStart.test(own) ? `${label} ${own}` : `${label}: ${own}`;
    }
  }
}

/** Every problem of a failed parse as sentences naming the fields as `labelOf` does. */
export function describeFieldIssues(error: z.ZodError, labelOf: FieldLabeler, maxIssues = 12): string[] {
  const sentences = error.issues.slice(0, maxIssues).map((issue) => fieldIssueSentence(issue, labelOf(issue.path)));
  if (error.issues.length > maxIssues) sentences.push(`…and ${error.issues.length - maxIssues} more`);
  return sentences;
}

/** The first problem with each top-level field, for a form that shows one message beside each. */
export function fieldErrors<F extends string>(error: z.ZodError, labelOf: FieldLabeler): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '') as F;
    errors[field] ??= fieldIssueSentence(issue, labelOf(issue.path));
  }
  return errors;
}
