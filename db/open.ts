import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from '../core/ports.js';
import { CoursewrightError } from '../schemas/errors.js';
import { applyMigrations, inspectSchema, latestSchemaVersion } from './migrations.js';
import { createSqliteStore } from './store.js';
import { mapSqliteError } from './errors.js';

export { mapSqliteError };

export interface OpenDatabaseOptions {
  /** Open without writing: no folders created, no migrations run, no pragmas that write. */
  readonly?: boolean;
  /** How long a write waits for another connection's lock before failing with STORAGE_LOCKED. */
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  db: BetterSqlite3.Database;
  store: Store;
  close(): void;
  file: string;
  schemaVersion: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

function ensureParentFolder(file: string): void {
  const folder = path.dirname(file);
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new CoursewrightError(
      'USAGE',
      `Cannot create the data folder ${folder}: ${(error as Error).message}. Choose a folder you may write to with --data.`,
      { file, folder },
    );
  }
}

/**
 * Opens (creating if needed) the studio database and brings its schema up to date.
 * Nothing is written before the file has been read and recognised, so a file that is damaged,
 * belongs to another program or comes from a newer Coursewright is left byte-for-byte as it was.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): OpenedDatabase {
  const readonly = opts.readonly === true;
  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const resolved = path.resolve(file);
  if (readonly && !fs.existsSync(resolved)) {
    throw new CoursewrightError('NOT_FOUND', `No Coursewright database at ${resolved}. Run \`coursewright init\` or use --data to open another folder.`, { file: resolved });
  }
  if (!readonly) ensureParentFolder(resolved);

  let db: BetterSqlite3.Database;
  try {
    db = new Database(resolved, { readonly, fileMustExist: readonly, timeout: Math.max(0, Math.floor(busyTimeoutMs)) });
  } catch (error) {
    throw mapSqliteError(error, resolved);
  }

  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    let schemaVersion = inspectSchema(db, resolved);
    if (readonly) {
      if (schemaVersion < latestSchemaVersion) {
        throw new CoursewrightError(
          'USAGE',
          `${resolved} uses schema ${schemaVersion} and this build needs ${latestSchemaVersion}; it cannot be upgraded read-only. Open it once without read-only so Coursewright can upgrade it.`,
          { file: resolved, schemaVersion, knownVersion: latestSchemaVersion },
        );
      }
      db.pragma('foreign_keys = ON');
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      schemaVersion = applyMigrations(db, resolved);
    }
    const store = createSqliteStore(db);
    return {
      db,
      store,
      file: resolved,
      schemaVersion,
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw mapSqliteError(error, resolved);
  }
}
