import { z } from 'zod';
import { ContentKind, ContentStatus } from './content.js';

/** A stretch of a word diff: unchanged, added in the newer version, or removed from the older one. */
export const WordPart = z.object({ text: z.string(), change: z.enum(['same', 'added', 'removed']) });
export type WordPart = z.infer<typeof WordPart>;

/**
 * One change as a reviewer reads it: what changed, named by title and position ("Question 2",
 * "Lesson 1.2 “Filtering with WHERE”"), what happened to it, and for text the word diff.
 */
export const ReadableChange = z.object({
  subject: z.string(),
  summary: z.string(),
  words: z.array(WordPart).optional(),
});
export type ReadableChange = z.infer<typeof ReadableChange>;

export const ContentDiff = z.object({
  kind: ContentKind,
  from: z.object({ id: z.string(), version: z.number().int(), status: ContentStatus }),
  to: z.object({ id: z.string(), version: z.number().int(), status: ContentStatus }),
  changes: z.array(ReadableChange),
});
export type ContentDiff = z.infer<typeof ContentDiff>;
