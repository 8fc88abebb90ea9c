import { z } from 'zod';

/** One piece a course still owes before a package can be built, named where people look for it. */
export const MissingForPackage = z.object({
  kind: z.enum(['syllabus', 'lesson', 'quiz', 'project']),
  /** The lesson or module the piece belongs to (the course, for the syllabus). */
  targetId: z.string(),
  /** The newest version there is, which a link opens; null when nothing has been written. */
  itemId: z.string().nullable(),
  /** The lesson's, module's or course's title. */
  title: z.string(),
  moduleNumber: z.number().int().nullable(),
  lessonNumber: z.number().int().nullable(),
  /** Status of the newest version; null when there is none. */
  status: z.string().nullable(),
  /** "Quiz for lesson 2.3 “Loops” is not approved yet." */
  sentence: z.string(),
});
export type MissingForPackage = z.infer<typeof MissingForPackage>;

export const PackageReadiness = z.object({
  courseId: z.string(),
  ready: z.boolean(),
  /** The approved syllabus version a build would freeze; null while there is none. */
  syllabusVersion: z.number().int().nullable(),
  missing: z.array(MissingForPackage),
});
export type PackageReadiness = z.infer<typeof PackageReadiness>;
