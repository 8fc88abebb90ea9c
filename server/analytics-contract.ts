import { z } from 'zod';
import { AnalyticsDay, ContentSuggestion, SuggestionStatus } from '../schemas/analytics.js';

/**
 * The analytics routes' parameters, queries and bodies (their answers are the shared shapes of
 * schemas/analytics.ts). Strict: an unknown query parameter is refused rather than ignored, so a
 * misspelt `?verison=` never silently shows the live version.
 */

const CourseId = z.string().min(1).max(200);

export const AnalyticsRunRequest = z.strictObject({
  courseId: CourseId.optional().describe('One course; all live courses of the tenant when left out'),
  date: AnalyticsDay.optional().describe('The UTC day to compute; today (UTC) when left out'),
});
export const AnalyticsRun = z.strictObject({
  day: AnalyticsDay,
  inactiveAfterDays: z.number().int(),
  runs: z.array(
    z.strictObject({
      courseId: z.string(),
      packageVersion: z.number().int().nullable().describe('Null when the course was not live by the end of the day (nothing computed)'),
      written: z.boolean().describe('False when the stored rows were already exactly these'),
      lessons: z.number().int(),
      quizzes: z.number().int(),
      items: z.number().int(),
      signals: z.number().int(),
      suggestionsCreated: z.number().int(),
    }),
  ),
});

export const AnalyticsCourseParams = z.strictObject({ courseId: CourseId });
export const AnalyticsRangeQuery = z
  .strictObject({
    version: z.coerce.number().int('a whole version number').min(1, 'versions start at 1').optional().describe('The package version; the live one when left out'),
    from: AnalyticsDay.optional().describe('First day (UTC), inclusive; the first computed day when left out'),
    to: AnalyticsDay.optional().describe('Last day (UTC), inclusive; the last computed day when left out'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must be on or before to', path: ['from'] });

export const SignalsQuery = z.strictObject({ courseId: CourseId.optional().describe('One course; all when left out') });
export const SuggestionsQuery = z.strictObject({ courseId: CourseId.optional(), status: SuggestionStatus.optional() });
export const SuggestionParams = z.strictObject({ id: z.string().min(1).max(300) });
export const SuggestionList = z.array(ContentSuggestion);

export const AnalyticsChangesQuery = z.strictObject({
  since: z
    .string()
    .regex(/^\d{1,18}$/, 'a cursor as a previous answer returned it (digits)')
    .optional()
    .describe('The cursor of the previous answer; everything from the start when left out'),
});
