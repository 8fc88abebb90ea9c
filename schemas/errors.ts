import { z } from 'zod';

/**
 * Every failure that crosses a boundary (CLI exit, IPC, HTTP) carries one of these codes.
 * The renderer shows `message`; tests and scripts assert `code`.
 */
export const ErrorCode = z.enum([
  'USAGE',
  'INVALID_INPUT',
  'MODEL_OUTPUT_INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'MISSING_API_KEY',
  'MODEL_UNAVAILABLE',
  'CANCELLED',
  'STORAGE_LOCKED',
  'STORAGE_CORRUPT',
  'STORAGE_TOO_NEW',
  /** The hosted learner server did not answer, timed out or failed; sending again later can work. */
  'SERVER_UNAVAILABLE',
  /** The hosted learner server refused the author key, or the key's role may not do this. */
  'UNAUTHORIZED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorEnvelope = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

export class CoursewrightError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CoursewrightError';
  }

  toEnvelope(): ErrorEnvelope {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Renders zod issues as "field.path: message" lines, naming the field the user must fix. */
export function describeZodIssues(error: z.ZodError, maxIssues = 12): string[] {
  const lines = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > maxIssues) lines.push(`…and ${error.issues.length - maxIssues} more`);
  return lines;
}
