import { z } from 'zod';

/** What a search hit is: a course, a syllabus module or lesson, a lesson/quiz/project, one quiz question, or an audit entry. */
export const SearchKind = z.enum(['course', 'module', 'syllabus_lesson', 'lesson', 'quiz', 'question', 'project', 'audit']);
export type SearchKind = z.infer<typeof SearchKind>;

/** A hit's kind in a person's words. */
export const searchKindLabel: Record<SearchKind, string> = {
  course: 'Course',
  module: 'Module',
  syllabus_lesson: 'Syllabus lesson',
  lesson: 'Lesson',
  quiz: 'Quiz',
  question: 'Quiz question',
  project: 'Project',
  audit: 'Audit entry',
};

/** Where the UI goes to show a hit: the screen, and what to select on it. */
export const SearchTarget = z.discriminatedUnion('screen', [
  z.object({ screen: z.literal('course'), courseId: z.string() }),
  z.object({ screen: z.literal('syllabus'), courseId: z.string(), versionId: z.string(), moduleId: z.string(), lessonId: z.string().optional() }),
  z.object({ screen: z.literal('content'), courseId: z.string(), itemId: z.string(), questionId: z.string().optional() }),
  z.object({ screen: z.literal('audit'), entityId: z.string(), entryId: z.number().int() }),
]);
export type SearchTarget = z.infer<typeof SearchTarget>;

/** A stretch of snippet text; `match` marks the words the query found. */
export const SnippetPart = z.object({ text: z.string(), match: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

export const SearchHit = z.object({
  kind: SearchKind,
  /** The id to act on: a course, content item (a question's quiz), syllabus module/lesson id, or audit entry number. */
  id: z.string(),
  title: z.string(),
  snippet: z.array(SnippetPart),
  where: z.object({
    courseId: z.string().nullable(),
    courseTitle: z.string().nullable(),
    moduleTitle: z.string().nullable(),
    lessonTitle: z.string().nullable(),
    /** The whole place in one line, e.g. "Data Basics › 2. Cleaning › 2.3 Missing values". */
    label: z.string(),
  }),
  target: SearchTarget,
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({ query: z.string(), hits: z.array(SearchHit) });
export type SearchResult = z.infer<typeof SearchResult>;

export const SearchQueryInput = z
  .object({
    query: z.string().max(500, 'a search is at most 500 characters'),
    courseId: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9_-]+$/, 'ids contain only letters, digits, _ and -')
      .optional(),
    kinds: z.array(SearchKind).min(1).max(8).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();
export type SearchQueryInput = z.infer<typeof SearchQueryInput>;
