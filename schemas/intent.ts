import { z } from 'zod';
import { textField } from './text.js';

export const Level = z.enum(['beginner', 'intermediate', 'advanced']);
export type Level = z.infer<typeof Level>;

/** BCP-47 check that runs anywhere: Intl rejects malformed tags with a RangeError. */
function isBcp47(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * The longest course title generation can carry. The syllabus and content schemas hold 200
 * characters per title or objective, and the generator writes the course's subject into them with
 * up to 66 characters of wording around it ("Step 3: Compare two approaches to … and choose one
 * for a given case", "Project: Capstone project: …"), so a title past 134 characters makes
 * every lesson fail validation three times. 120 keeps room for numbering past the ninth step or
 * part. Refused here, where the title is typed, not after a generation run.
 */
export const courseTitleMaxLength = 120;

export const LearningIntent = z
  .object({
    title: textField().trim().min(3, 'title must be at least 3 characters').max(courseTitleMaxLength, `Title must be at most ${courseTitleMaxLength} characters`),
    audience: textField().trim().min(3, 'audience must say who the learners are (at least 3 characters)').max(500),
    level: Level,
    timeBudgetHours: z.number().positive('timeBudgetHours must be a number greater than 0').max(1000),
    teachingStyle: textField().trim().min(3, 'teachingStyle must describe how the course teaches').max(500),
    constraints: z.array(textField().trim().min(1).max(500)).max(50),
    language: z
      .string()
      .refine(isBcp47, { message: 'language must be a BCP-47 tag such as "en", "ja" or "pt-BR"' })
      .default('en'),
    notes: textField().max(5000).optional(),
  })
  .strict();
export type LearningIntent = z.infer<typeof LearningIntent>;
export type LearningIntentInput = z.input<typeof LearningIntent>;
