import type { SearchKind, SnippetPart } from '../../schemas/search.js';

/** One entry of the search index that matched, before the engine names its place. */
export interface SearchIndexHit {
  kind: SearchKind;
  /** The row it came from: content item, syllabus version, course id, or audit entry number. */
  sourceId: string;
  courseId: string | null;
  syllabusVersionId: string | null;
  /** `lesson:<lessonId>`, `quiz:<lessonId>`, `project:<moduleId>`, `module:<id>`, `syllabus_lesson:<id>`, `course`, `audit:<n>`. */
  itemKey: string;
  /** The syllabus lesson/module id, a question's id, or an audit entry's entity id. */
  targetId: string | null;
  /** A question's or syllabus entry's place among its siblings, from 0. */
  position: number | null;
  title: string;
  snippet: SnippetPart[];
}

export interface SearchIndexQuery {
  terms: string[];
  prefixLast: boolean;
  courseId?: string | undefined;
  kinds?: SearchKind[] | undefined;
  limit: number;
}

/** Full-text search over the latest version of everything findable; best matches first. */
export interface SearchIndex {
  query(query: SearchIndexQuery): SearchIndexHit[];
}
