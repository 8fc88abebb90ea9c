import { z } from 'zod';
import { Level } from './intent.js';
import { textField } from './text.js';

/** Stable ids: lowercase, digits and dashes. Reviewers and later content refer to them. */
export const EntityId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are 1–64 lowercase letters, digits or dashes, starting with a letter or digit');

export const AssessmentHook = z.object({
  kind: z.enum(['quiz', 'project']),
  description: textField().trim().min(3).max(500),
});
export type AssessmentHook = z.infer<typeof AssessmentHook>;

export const SyllabusLesson = z.object({
  id: EntityId,
  index: z.number().int().min(0),
  title: textField().trim().min(3).max(200),
  summary: textField().trim().max(1000).default(''),
  objectives: z.array(textField().trim().min(5).max(300)).min(1, 'every lesson needs at least one objective').max(12),
  /** Ids of earlier lessons only; the normaliser guarantees the graph is a DAG. */
  prerequisites: z.array(EntityId).max(20).default([]),
  estimatedMinutes: z.number().int().min(5).max(600),
  assessmentHooks: z.array(AssessmentHook).max(4).default([]),
});
export type SyllabusLesson = z.infer<typeof SyllabusLesson>;

export const SyllabusModule = z.object({
  id: EntityId,
  index: z.number().int().min(0),
  title: textField().trim().min(3).max(200),
  summary: textField().trim().max(1000).default(''),
  estimatedMinutes: z.number().int().min(0),
  lessons: z.array(SyllabusLesson).min(1, 'every module needs at least one lesson').max(60),
});
export type SyllabusModule = z.infer<typeof SyllabusModule>;

/** The syllabus content: exactly what the model is asked to return, and what reviewers approve. */
export const Syllabus = z.object({
  title: textField().trim().min(3).max(200),
  summary: textField().trim().min(10).max(4000),
  audience: textField().trim().min(3).max(500),
  level: Level,
  language: textField().min(2).max(35),
  totalEstimatedMinutes: z.number().int().min(0),
  modules: z.array(SyllabusModule).min(1, 'a syllabus needs at least one module').max(100),
});
export type Syllabus = z.infer<typeof Syllabus>;

/**
 * What we accept from a model before normalisation: indices and module/course estimates are
 * derived by the normaliser, so they may be missing. Every stored syllabus also satisfies it,
 * so replaying an earlier draft's `syllabus` is a valid response.
 */
export const SyllabusCandidate = Syllabus.extend({
  totalEstimatedMinutes: z.number().int().min(0).optional(),
  modules: z
    .array(
      SyllabusModule.extend({
        index: z.number().int().min(0).optional(),
        estimatedMinutes: z.number().int().min(0).optional(),
        id: textField().trim().min(1).max(64),
        lessons: z
          .array(
            SyllabusLesson.extend({
              index: z.number().int().min(0).optional(),
              id: textField().trim().min(1).max(64),
              prerequisites: z.array(textField().trim().min(1).max(64)).max(20).default([]),
            }),
          )
          .min(1, 'every module needs at least one lesson')
          .max(60),
      }),
    )
    .min(1, 'a syllabus needs at least one module')
    .max(100),
});
export type SyllabusCandidate = z.infer<typeof SyllabusCandidate>;

export const SyllabusStatus = z.enum(['DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED']);
export type SyllabusStatus = z.infer<typeof SyllabusStatus>;

export const GenerationMetadata = z.object({
  version: z.number().int().min(1),
  createdBy: z.string().min(1),
  createdAt: z.string(),
  promptVersion: z.string(),
  provider: z.string(),
  model: z.string(),
  params: z.record(z.string(), z.unknown()),
});
export type GenerationMetadata = z.infer<typeof GenerationMetadata>;

export const SyllabusWarning = z.object({
  code: z.string(),
  severity: z.enum(['info', 'warning']),
  message: z.string(),
  moduleId: z.string().optional(),
  lessonId: z.string().optional(),
});
export type SyllabusWarning = z.infer<typeof SyllabusWarning>;

export const ReviewRecord = z.object({
  basedOnId: z.string().nullable(),
  contentHash: z.string(),
  submittedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  rejectionReason: z.string().nullable(),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;

export const SyllabusVersion = z.object({
  id: z.string(),
  courseId: z.string(),
  version: z.number().int().min(1),
  status: SyllabusStatus,
  syllabus: Syllabus,
  metadata: GenerationMetadata,
  warnings: z.array(SyllabusWarning),
  review: ReviewRecord,
});
export type SyllabusVersion = z.infer<typeof SyllabusVersion>;
