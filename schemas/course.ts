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
});
export type Course = z.infer<typeof Course>;
