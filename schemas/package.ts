import { z } from 'zod';
import { LessonContent, Project, Quiz } from './content.js';
import { Level } from './intent.js';
import { EntityId } from './syllabus.js';

/** A frozen approved item inside a package: which stored version it was and the hash it was approved with. */
const FrozenItem = <T extends z.ZodType>(content: T) =>
  z.object({
    itemId: z.string().min(1),
    version: z.number().int().min(1),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/),
    content,
  });

export const PackageLesson = z.object({
  id: EntityId,
  index: z.number().int().min(0),
  title: z.string(),
  estimatedMinutes: z.number().int().min(0),
  lesson: FrozenItem(LessonContent),
  quiz: FrozenItem(Quiz),
});
export type PackageLesson = z.infer<typeof PackageLesson>;

export const PackageModule = z.object({
  id: EntityId,
  index: z.number().int().min(0),
  title: z.string(),
  summary: z.string(),
  estimatedMinutes: z.number().int().min(0),
  lessons: z.array(PackageLesson).min(1),
  /** The module's approved project, when the course requires one for this module. */
  project: FrozenItem(Project).nullable(),
});
export type PackageModule = z.infer<typeof PackageModule>;

/**
 * The frozen course: what every exporter reads. It holds nothing that changes between two builds
 * of the same approved content (no package id, version or build time), so its canonical JSON —
 * and therefore the package's content hash — is the same whenever the approved content is.
 */
export const PackageDocument = z.object({
  format: z.literal('coursewright.course-package'),
  formatVersion: z.literal(1),
  course: z.object({
    id: z.string().min(1),
    title: z.string().min(1),
    summary: z.string(),
    audience: z.string(),
    level: Level,
    /** BCP 47 tag, as in the learning intent (for example "en", "ja", "ar"). */
    language: z.string().min(2).max(35),
    totalEstimatedMinutes: z.number().int().min(0),
  }),
  syllabus: z.object({ versionId: z.string().min(1), version: z.number().int().min(1), contentHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  modules: z.array(PackageModule).min(1),
});
export type PackageDocument = z.infer<typeof PackageDocument>;

export const PackageStatus = z.enum(['PUBLISHED', 'ARCHIVED']);
export type PackageStatus = z.infer<typeof PackageStatus>;

/** Every frozen item with its hash, so a reader can verify the package without walking the document. */
export const PackageItemHash = z.object({
  kind: z.enum(['syllabus', 'lesson', 'quiz', 'project']),
  targetId: z.string(),
  itemId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
});
export type PackageItemHash = z.infer<typeof PackageItemHash>;

/** A stored package: insert-only; only PUBLISHED → ARCHIVED may ever change. */
export const CoursePackage = z.object({
  id: z.string(),
  courseId: z.string(),
  version: z.number().int().min(1),
  status: PackageStatus,
  /** SHA-256 of the document's canonical JSON. */
  contentHash: z.string(),
  itemHashes: z.array(PackageItemHash),
  document: PackageDocument,
  sizeBytes: z.number().int().min(0),
  createdBy: z.string(),
  createdAt: z.string(),
  archivedAt: z.string().nullable(),
  archivedBy: z.string().nullable(),
});
export type CoursePackage = z.infer<typeof CoursePackage>;

/** A package without its document, for lists. */
export const CoursePackageSummary = CoursePackage.omit({ document: true, itemHashes: true }).extend({
  courseTitle: z.string(),
  lessonCount: z.number().int(),
  moduleCount: z.number().int(),
});
export type CoursePackageSummary = z.infer<typeof CoursePackageSummary>;

export const ExportFormat = z.enum(['pdf', 'html', 'scorm12', 'scorm2004', 'imscc']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** What a file of each format is, for the export dialog and the CLI. */
export const exportFormats: Record<ExportFormat, { label: string; extension: string; mediaType: string }> = {
  pdf: { label: 'PDF (printable)', extension: 'pdf', mediaType: 'application/pdf' },
  html: { label: 'Static website (HTML, zip)', extension: 'zip', mediaType: 'application/zip' },
  scorm12: { label: 'SCORM 1.2 (zip)', extension: 'zip', mediaType: 'application/zip' },
  scorm2004: { label: 'SCORM 2004 4th Edition (zip)', extension: 'zip', mediaType: 'application/zip' },
  imscc: { label: 'IMS Common Cartridge 1.1 (.imscc)', extension: 'imscc', mediaType: 'application/zip' },
};

/** SCORM packages may carry the course as one SCO, or one SCO per module (so an LMS can track modules apart). */
export const ScormScoMode = z.enum(['course', 'module']);
export type ScormScoMode = z.infer<typeof ScormScoMode>;

export const ExportOptions = z.object({ scoMode: ScormScoMode.default('course') }).strict();
export type ExportOptions = z.infer<typeof ExportOptions>;

/** Exports refuse package documents larger than this (their canonical JSON, in bytes). */
export const MAX_EXPORT_PACKAGE_BYTES = 5 * 1024 * 1024;
