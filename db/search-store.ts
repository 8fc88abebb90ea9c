import type BetterSqlite3 from 'better-sqlite3';
import type { SearchIndex, SearchIndexHit, SearchIndexQuery } from '../core/search/port.js';
import type { SearchKind, SnippetPart } from '../schemas/search.js';
import { mapSqliteError } from './errors.js';

/*
 * Snippet markers: C0 control characters no stored text can hold (schemas/text.ts refuses them
 * wherever text enters), so a marker in snippet() output is always one FTS5 put there.
 */
const MATCH_START = '\u0002';
const MATCH_END = '\u0003';
const SNIPPET_TOKENS = 14;

/**
 * The FTS5 expression for a person's words: each word a quoted string (inner quotes doubled),
 * so `AND`, `-`, `:`, `*`, `(` and quotes are searched for, never parsed as operators; the words
 * must all occur (implicit AND); the last one may be a prefix while it is being typed.
 */
export function ftsExpression(terms: string[], prefixLast: boolean): string {
  return terms.map((term, i) => `"${term.replaceAll('"', '""')}"${prefixLast && i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** Splits snippet() output at the markers into plain and matched stretches. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  for (const piece of marked.split(/([\u0002\u0003])/u)) {
    if (piece === MATCH_START) match = true;
    else if (piece === MATCH_END) match = false;
    else if (piece) {
      const last = parts.at(-1);
      if (last && last.match === match) last.text += piece;
      else parts.push({ text: piece, match });
    }
  }
  return parts;
}

interface HitRow {
  id: number;
  kind: SearchKind;
  source_id: string;
  course_id: string | null;
  syllabus_version_id: string | null;
  item_key: string;
  target_id: string | null;
  position: number | null;
  title: string;
  snippet: string;
}

/** The SQLite FTS5 search index (kept current by the triggers of db/search-migration.ts). */
export function createSearchStore(db: BetterSqlite3.Database): SearchIndex {
  // Two steps, because SQLite computes every result column before it sorts: ranking all matches
  // is cheap, a snippet is not, so snippets are made only for the hits that made the cut.
  // Titles weigh more than body text: a lesson called "Missing values" beats one that mentions them.
  const rank = db.prepare<{ match: string; courseId: string | null; kinds: string | null; limit: number }, number>(`
    SELECT e.id
    FROM search_text
    JOIN search_entries e ON e.id = search_text.rowid
    WHERE search_text MATCH @match
      AND (@courseId IS NULL OR e.course_id = @courseId)
      AND (@kinds IS NULL OR e.kind IN (SELECT value FROM json_each(@kinds)))
    ORDER BY bm25(search_text, 8.0, 1.0), e.id DESC
    LIMIT @limit`).pluck();
  const describe = db.prepare<{ match: string; id: number }, HitRow>(`
    SELECT e.id, e.kind, e.source_id, e.course_id, e.syllabus_version_id, e.item_key, e.target_id, e.position, e.title,
      snippet(search_text, -1, '${MATCH_START}', '${MATCH_END}', '…', ${SNIPPET_TOKENS}) AS snippet
    FROM search_text
    JOIN search_entries e ON e.id = search_text.rowid
    WHERE search_text MATCH @match AND search_text.rowid = @id`);

  return {
    query(query: SearchIndexQuery): SearchIndexHit[] {
      try {
        const match = ftsExpression(query.terms, query.prefixLast);
        const ids = rank.all({
          match,
          courseId: query.courseId ?? null,
          kinds: query.kinds && query.kinds.length > 0 ? JSON.stringify(query.kinds) : null,
          limit: query.limit,
        });
        if (ids.length === 0) return [];
        return ids
          .map((id) => describe.get({ match, id })!)
          .map((row) => ({
            kind: row.kind,
            sourceId: row.source_id,
            courseId: row.course_id,
            syllabusVersionId: row.syllabus_version_id,
            itemKey: row.item_key,
            targetId: row.target_id,
            position: row.position,
            title: row.title,
            snippet: snippetParts(row.snippet),
          }));
      } catch (error) {
        throw mapSqliteError(error, db.name);
      }
    },
  };
}
