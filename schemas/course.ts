import { z } from 'zod';
import { LearningIntent } from './intent.js';

export const CourseStatus = z.enum(['draft', 'review', 'ready', 'published', 'retired']);
export type CourseStatus = z.infer<typeof CourseStatus>;

export const Course = z.object({
  id: z.string(),
  title: z.string(),
  status: CourseStatus,
  createdAt: z.string(),
  createdBy: z.string(),
  intent: LearningIntent,
  /** Set while the course is archived: hidden from the default course list, restorable. */
  archivedAt: z.string().nullable().optional(),
  archivedBy: z.string().nullable().optional(),
  /** The last change to the course row itself (intent edit, archive, restore). */
  updatedAt: z.string().nullable().optional(),
});
export type Course = z.infer<typeof Course>;

/** Which courses `courses.list` returns and in what order; archived courses are left out unless asked for. */
export const CourseListQuery = z
  .object({
    status: CourseStatus.optional(),
    archived: z.enum(['exclude', 'include', 'only']).optional(),
    /** newest: created, newest first (the default); updated: latest activity first; title: A–Z; status: lifecycle order. */
    sort: z.enum(['newest', 'updated', 'title', 'status']).optional(),
  })
  .strict();
export type CourseListQuery = z.infer<typeof CourseListQuery>;

/** A course as the list shows it: when anything in it last changed, and whether it may be deleted. */
export const CourseListEntry = Course.extend({
  /** The latest of: created, intent edited, archived/restored, a syllabus or content version written. */
  lastActivityAt: z.string(),
  /** Why the course cannot be deleted (it had approvals, a package, comments), or null when it can. */
  deleteBlockedBy: z.string().nullable(),
});
export type CourseListEntry = z.infer<typeof CourseListEntry>;
