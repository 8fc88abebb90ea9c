import type BetterSqlite3 from 'better-sqlite3';
import { CoursewrightError } from '../schemas/errors.js';
import type { NewOutboxEntry, OutboxEntry, OutboxRepository, OutboxState } from '../core/sync/ports.js';
import { mapSqliteError } from './errors.js';

interface OutboxRow {
  id: number;
  server_url: string;
  package_id: string;
  course_id: string;
  package_version: number;
  content_hash: string;
  release_wanted: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  last_error_code: string | null;
  server_version: number | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

function entryFromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    serverUrl: row.server_url,
    packageId: row.package_id,
    courseId: row.course_id,
    packageVersion: row.package_version,
    contentHash: row.content_hash,
    releaseWanted: row.release_wanted === 1,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    serverVersion: row.server_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

const columns = 'id, server_url, package_id, course_id, package_version, content_hash, release_wanted, state, attempts, next_attempt_at, last_error, last_error_code, server_version, created_at, updated_at, sent_at';

/** The sync outbox (migration 8). Claims are single UPDATE … RETURNING statements, so two senders never take one row. */
export function createOutboxRepository(db: BetterSqlite3.Database): OutboxRepository {
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };
  const statements = {
    enqueue: db.prepare(`
INSERT INTO sync_outbox (server_url, package_id, course_id, package_version, content_hash, release_wanted, state, attempts, next_attempt_at, created_at, updated_at)
VALUES (@serverUrl, @packageId, @courseId, @packageVersion, @contentHash, @releaseWanted, 'pending', 0, @at, @at, @at)
ON CONFLICT (server_url, package_id) DO UPDATE SET
  release_wanted = excluded.release_wanted, state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
  last_error = NULL, last_error_code = NULL, updated_at = excluded.updated_at
RETURNING ${columns}`),
    byKey: db.prepare(`SELECT ${columns} FROM sync_outbox WHERE server_url = ? AND package_id = ?`),
    settle: db.prepare(`UPDATE sync_outbox SET state = @state, server_version = @serverVersion, sent_at = @at, updated_at = @at, attempts = attempts + 1, claimed_until = NULL, last_error = NULL, last_error_code = NULL WHERE id = @id RETURNING ${columns}`),
    retryLater: db.prepare(`UPDATE sync_outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @error, last_error_code = @code, updated_at = @at, claimed_until = NULL WHERE id = @id RETURNING ${columns}`),
    fail: db.prepare(`UPDATE sync_outbox SET state = 'failed', attempts = attempts + 1, last_error = @error, last_error_code = @code, updated_at = @at, claimed_until = NULL WHERE id = @id RETURNING ${columns}`),
    release: db.prepare(`UPDATE sync_outbox SET claimed_until = NULL WHERE id = ?`),
  };
  const returned = (row: unknown, id: number): OutboxEntry => {
    if (!row) throw new CoursewrightError('NOT_FOUND', `Outbox row ${id} is gone.`);
    return entryFromRow(row as OutboxRow);
  };

  return {
    enqueue(entry: NewOutboxEntry) {
      return guarded(() => entryFromRow(statements.enqueue.get({ ...entry, releaseWanted: entry.releaseWanted ? 1 : 0 }) as OutboxRow));
    },
    claim(filter) {
      const where = ["state = 'pending'", '(claimed_until IS NULL OR claimed_until < @now)'];
      if (filter.dueBy !== null) where.push('next_attempt_at <= @dueBy');
      if (filter.serverUrl !== undefined) where.push('server_url = @serverUrl');
      if (filter.id !== undefined) where.push('id = @id');
      const excluded = (filter.excludeIds ?? []).filter((id) => Number.isInteger(id));
      if (excluded.length > 0) where.push(`id NOT IN (${excluded.join(', ')})`);
      const sql = `UPDATE sync_outbox SET claimed_until = @claimedUntil WHERE id IN (SELECT id FROM sync_outbox WHERE ${where.join(' AND ')} ORDER BY next_attempt_at, id LIMIT @limit) RETURNING ${columns}`;
      const rows = guarded(() => db.prepare(sql).all({ now: filter.now, claimedUntil: filter.claimedUntil, limit: filter.limit, dueBy: filter.dueBy, serverUrl: filter.serverUrl ?? null, id: filter.id ?? null }) as OutboxRow[]);
      return rows.map(entryFromRow).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id);
    },
    settle(id, outcome) {
      return guarded(() => returned(statements.settle.get({ id, ...outcome }), id));
    },
    retryLater(id, outcome) {
      return guarded(() => returned(statements.retryLater.get({ id, ...outcome }), id));
    },
    fail(id, outcome) {
      return guarded(() => returned(statements.fail.get({ id, ...outcome }), id));
    },
    release(id) {
      guarded(() => statements.release.run(id));
    },
    list(filter = {}) {
      const where: string[] = [];
      if (filter.serverUrl !== undefined) where.push('server_url = @serverUrl');
      if (filter.courseId !== undefined) where.push('course_id = @courseId');
      if (filter.state !== undefined) where.push('state = @state');
      const sql = `SELECT ${columns} FROM sync_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return guarded(() => db.prepare(sql).all({ serverUrl: filter.serverUrl ?? null, courseId: filter.courseId ?? null, state: filter.state ?? null }) as OutboxRow[]).map(entryFromRow);
    },
    get(serverUrl, packageId) {
      const row = guarded(() => statements.byKey.get(serverUrl, packageId)) as OutboxRow | undefined;
      return row ? entryFromRow(row) : undefined;
    },
  };
}
