import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { latestMigrationVersion, migrationChecksum, migrations } from './migrations.js';
import { schema } from './schema.js';

/** Where the server keeps its data: a PostgreSQL URL, or PGlite in a folder (null: in memory, for tests). */
export type DatabaseLocation = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One connection that runs plain SQL: what migrations need (a session-level advisory lock). */
interface SqlSession {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  exec(text: string): Promise<void>;
}

export interface ServerDatabase {
  kind: DatabaseLocation['kind'];
  db: ServerDb;
  /** Plain SQL outside drizzle, for health checks and tests of what the database itself refuses. */
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
  /** How pg-boss reaches this database: its own pool on PostgreSQL, the one PGlite connection otherwise. */
  jobQueueConnection: JobQueueConnection;
  /** Connections of the request pool, for /metrics (PGlite is one connection, always open). */
  poolUse(): { total: number; idle: number; waiting: number };
}

/** pg-boss's `db` option: runs SQL as pg's Pool.query does (text without values may hold several statements). */
export interface JobQueueExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}
export type JobQueueConnection = { kind: 'postgres'; url: string } | { kind: 'pglite'; executor: JobQueueExecutor };

/** Any fixed 64-bit number works as long as every instance uses the same one; this spells "cw-mig". */
const MIGRATION_LOCK_KEY = 0x63772d6d6967n.toString();

export class MigrationHistoryError extends Error {
  override name = 'MigrationHistoryError';
}

/**
 * Brings the schema to the newest version. Several instances may start at once against one
 * PostgreSQL: each takes the same session advisory lock first, so one migrates while the others
 * wait, then find everything applied and do nothing. Each migration and its schema_migrations
 * row commit together, so a crash never leaves a half-applied version recorded.
 */
async function migrate(session: SqlSession): Promise<number[]> {
  await session.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  try {
    await session.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Map((await session.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')).map((row) => [row.version, row.checksum]));
    for (const [version] of applied) {
      if (!migrations.some((m) => m.version === version)) throw new MigrationHistoryError(`The database is at schema version ${version}, which this server does not know: it was migrated by a newer Coursewright. Upgrade this server.`);
    }
    const ran: number[] = [];
    for (const migration of migrations) {
      const checksum = migrationChecksum(migration);
      const recorded = applied.get(migration.version);
      if (recorded !== undefined) {
        if (recorded !== checksum) throw new MigrationHistoryError(`Migration ${migration.version} (${migration.name}) differs from the one applied to this database (checksum ${recorded.slice(0, 12)}…, this build has ${checksum.slice(0, 12)}…). Applied migrations must never change.`);
        continue;
      }
      await session.exec('BEGIN');
      try {
        await session.exec(migration.sql);
        await session.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, checksum]);
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw error;
      }
      ran.push(migration.version);
    }
    return ran;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
  }
}

export interface OpenedDatabase extends ServerDatabase {
  /** The migration versions this start applied (empty when another instance had already). */
  migrated: number[];
}

/** Opens the database and migrates it; the promise settles once the schema is current. */
export async function openServerDatabase(location: DatabaseLocation): Promise<OpenedDatabase> {
  if (location.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: location.url, max: 10 });
    // An idle client's error (the server restarted, a network blip) must not crash the process;
    // the pool drops that client and the next query opens a new one.
    pool.on('error', () => {});
    let migrated: number[];
    try {
      const client = await pool.connect();
      try {
        migrated = await migrate({
          query: async (text, params) => (await client.query(text, params)).rows,
          exec: async (text) => {
            await client.query(text);
          },
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return {
      kind: 'postgres',
      db: drizzle(pool, { schema }) as unknown as ServerDb,
      query: async (text, params) => (await pool.query(text, params)).rows,
      close: () => pool.end(),
      jobQueueConnection: { kind: 'postgres', url: location.url },
      poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      migrated,
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = location.dataDir ? new PGlite(location.dataDir) : new PGlite();
  let migrated: number[];
  try {
    migrated = await migrate({
      query: async (text, params) => (await client.query(text, params)).rows as never[],
      exec: async (text) => {
        await client.exec(text);
      },
    });
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    kind: 'pglite',
    db: drizzle(client, { schema }) as unknown as ServerDb,
    query: async (text, params) => (await client.query(text, params)).rows as never[],
    close: () => client.close(),
    jobQueueConnection: {
      kind: 'pglite',
      executor: {
        // PGlite's query() is one statement with parameters; exec() takes several (pg-boss sends
        // its migrations and locked commands as one multi-statement text without values).
        async executeSql(text, values) {
          if (values === undefined || values.length === 0) return (await client.exec(text)).at(-1) ?? { rows: [] };
          return client.query(text, values);
        },
      },
    },
    poolUse: () => ({ total: 1, idle: 1, waiting: 0 }),
    migrated,
  };
}

/** Ready means: the database answers, and its schema is the one this build migrates to. */
export async function databaseIsReady(database: ServerDatabase): Promise<boolean> {
  try {
    const rows = await database.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    return rows[0]?.version === latestMigrationVersion;
  } catch {
    return false;
  }
}
