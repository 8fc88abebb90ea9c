import { z } from 'zod';

/**
 * Where one version came from (core/lineage): the steps from the learning intent to the version,
 * and on from it (review, packages, learner signals, suggestions, jobs) to the version that
 * replaced it. The studio's lineage view, `coursewright lineage ID` and its --json share this shape.
 */
export const LineageStepKind = z.enum([
  'intent',
  'syllabus',
  'previous_version',
  'job',
  'model_call',
  'edit',
  'review',
  'comment',
  'package',
  'signal',
  'suggestion',
  'retry_intent',
  'next_version',
]);
export type LineageStepKind = z.infer<typeof LineageStepKind>;

/** What a step points at, so the studio can link it and scripts can follow it. */
export const LineageLink = z.object({
  kind: z.enum(['course', 'syllabus', 'content', 'package', 'job', 'suggestion', 'signal', 'retry_intent']),
  id: z.string(),
  courseId: z.string(),
});
export type LineageLink = z.infer<typeof LineageLink>;

export const LineageDetail = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.number())]);

export const LineageStep = z.object({
  kind: LineageStepKind,
  /** When it happened; null where nothing records a time. */
  at: z.string().nullable(),
  /** Who did it: a person, the regeneration worker, or null. */
  actor: z.string().nullable(),
  /** One sentence a designer reads. */
  summary: z.string(),
  link: LineageLink.nullable(),
  /** The facts behind the sentence, for scripts (ledger ids, tokens, evidence numbers, statuses). */
  details: z.record(z.string(), LineageDetail),
});
export type LineageStep = z.infer<typeof LineageStep>;

export const LineageSubject = z.object({
  kind: z.enum(['syllabus', 'lesson', 'quiz', 'project']),
  id: z.string(),
  courseId: z.string(),
  courseTitle: z.string(),
  version: z.number().int(),
  title: z.string(),
  status: z.string(),
});
export type LineageSubject = z.infer<typeof LineageSubject>;

export const Lineage = z.object({
  subject: LineageSubject,
  /** The version in one line: what it is and how it was made. */
  headline: z.string(),
  /** In order: intent, syllabus, how this version was made, its review, packages, signals, suggestions, jobs, the next version. */
  steps: z.array(LineageStep),
});
export type Lineage = z.infer<typeof Lineage>;
