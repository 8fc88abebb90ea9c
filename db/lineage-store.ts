import type BetterSqlite3 from 'better-sqlite3';
import type { LedgerEntry, LineageRepository } from '../core/lineage/ports.js';
import { mapSqliteError } from './errors.js';

interface ModelCallRow {
  id: number;
  at: string;
  provider: string;
  model: string;
  purpose: string;
  prompt_hash: string;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms: number;
  outcome: LedgerEntry['outcome'];
  error: string | null;
  course_id: string | null;
}

/** Ledger reads for lineage (core/lineage): the rows of one course's calls of given purposes up to a time. */
export function createLineageRepository(db: BetterSqlite3.Database): LineageRepository {
  const file = db.name;
  // Purposes arrive as one JSON array, so one prepared statement serves any number of them.
  const calls = db.prepare(`
    SELECT id, at, provider, model, purpose, prompt_hash, prompt_tokens, completion_tokens, latency_ms, outcome, error, course_id
    FROM model_calls
    WHERE course_id = @courseId AND at <= @until AND purpose IN (SELECT value FROM json_each(@purposes))
    ORDER BY at, id`);
  return {
    modelCalls(filter) {
      try {
        const rows = calls.all({ courseId: filter.courseId, until: filter.until, purposes: JSON.stringify(filter.purposes) }) as ModelCallRow[];
        return rows.map((row) => ({
          id: row.id,
          at: row.at,
          provider: row.provider,
          model: row.model,
          purpose: row.purpose,
          promptHash: row.prompt_hash,
          promptTokens: row.prompt_tokens,
          completionTokens: row.completion_tokens,
          latencyMs: row.latency_ms,
          outcome: row.outcome,
          error: row.error,
          courseId: row.course_id,
        }));
      } catch (error) {
        throw mapSqliteError(error, file);
      }
    },
  };
}
