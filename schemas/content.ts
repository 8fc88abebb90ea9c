import { z } from 'zod';
import { Level } from './intent.js';
import { textField } from './text.js';
import { EntityId } from './syllabus.js';

/** What the model writes for one syllabus lesson. Ids and objectives come from the approved syllabus. */
export const LessonContent = z.object({
  id: EntityId,
  syllabusVersionId: z.string().min(1),
  moduleId: EntityId,
  lessonIndex: z.number().int().min(0),
  title: textField().trim().min(5).max(200),
  durationMinutes: z.number().int().min(5).max(600),
  objectives: z.array(textField().trim().min(5)).min(1),
  explanation: z.object({
    overview: textField().trim().min(50),
    concepts: z
      .array(z.object({ title: textField().trim().min(3).max(200), explanation: textField().trim().min(50), example: textField().trim().min(1).optional() }))
      .min(1)
      .max(12),
  }),
  keyTakeaways: z.array(textField().trim().min(5)).min(2).max(10),
  practice: z.object({ prompt: textField().trim().min(30), expectedOutcome: textField().trim().min(30) }),
  metadata: z.object({ level: Level, prerequisites: z.array(EntityId) }),
});
export type LessonContent = z.infer<typeof LessonContent>;

const normalOption = (option: string) => option.trim().toLowerCase().replace(/\s+/g, ' ');

export const QuizQuestion = z
  .object({
    id: EntityId,
    prompt: textField().trim().min(10),
    options: z.array(textField().trim().min(1).max(300)).length(4, 'every question has exactly 4 options'),
    correctIndex: z.number().int().min(0).max(3),
    explanation: textField().trim().min(10),
    /** One of the lesson's objectives, verbatim: the question assesses it. */
    objective: textField().trim().min(5),
  })
  .refine((q) => new Set(q.options.map(normalOption)).size === q.options.length, { message: 'options must all differ', path: ['options'] });
export type QuizQuestion = z.infer<typeof QuizQuestion>;

export const Quiz = z.object({
  id: EntityId,
  syllabusVersionId: z.string().min(1),
  lessonId: EntityId,
  title: textField().trim().min(5).max(200),
  questions: z.array(QuizQuestion).min(3).max(20),
});
export type Quiz = z.infer<typeof Quiz>;

export const RubricCriterion = z.object({
  id: EntityId,
  title: textField().trim().min(3).max(200),
  levels: z
    .array(z.object({ label: textField().trim().min(2).max(60), descriptor: textField().trim().min(10), points: z.number().int().min(0).max(1000) }))
    .min(2)
    .max(6),
});
export type RubricCriterion = z.infer<typeof RubricCriterion>;

/** A criterion is worth its best level; the rubric's total must be the sum of those. */
export const rubricTotal = (criteria: RubricCriterion[]) => criteria.reduce((sum, c) => sum + Math.max(...c.levels.map((l) => l.points)), 0);

export const Project = z
  .object({
    id: EntityId,
    syllabusVersionId: z.string().min(1),
    moduleId: EntityId,
    title: textField().trim().min(5).max(200),
    problemStatement: textField().trim().min(50),
    constraints: z.array(textField().trim().min(3)).max(20),
    deliverables: z.array(textField().trim().min(3)).min(1).max(20),
    rubric: z.object({ criteria: z.array(RubricCriterion).min(2).max(12), totalPoints: z.number().int().min(1) }),
  })
  .refine((p) => p.rubric.totalPoints === rubricTotal(p.rubric.criteria), {
    message: 'rubric.totalPoints must equal the sum of each criterion’s highest level points',
    path: ['rubric', 'totalPoints'],
  });
export type Project = z.infer<typeof Project>;

export const ContentKind = z.enum(['lesson', 'quiz', 'project']);
export type ContentKind = z.infer<typeof ContentKind>;

export const contentSchemas = { lesson: LessonContent, quiz: Quiz, project: Project } as const;
export type ContentOf<K extends ContentKind> = z.infer<(typeof contentSchemas)[K]>;

export const ContentStatus = z.enum(['DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED']);
export type ContentStatus = z.infer<typeof ContentStatus>;

/** A stored version of one lesson, quiz or project, with how it was made and how it was reviewed. */
export const ContentItem = z.object({
  id: z.string(),
  courseId: z.string(),
  syllabusVersionId: z.string(),
  kind: ContentKind,
  targetId: z.string(),
  version: z.number().int().min(1),
  status: ContentStatus,
  content: z.union([LessonContent, Quiz, Project]),
  metadata: z.object({
    promptVersion: z.string(),
    provider: z.string(),
    model: z.string(),
    params: z.record(z.string(), z.unknown()),
    createdBy: z.string(),
    createdAt: z.string(),
  }),
  review: z.object({
    basedOnId: z.string().nullable(),
    contentHash: z.string(),
    openedAt: z.string().nullable(),
    submittedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
    rejectionReason: z.string().nullable(),
  }),
});
export type ContentItem = z.infer<typeof ContentItem>;
