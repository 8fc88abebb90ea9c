import Database from 'better-sqlite3';
import { CoursewrightError } from '../schemas/errors.js';

/** The SQLite error code, looking through drizzle's query-error wrapper to the driver's error. */
function sqliteCodeOf(error: unknown): { code: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (current instanceof Database.SqliteError || (typeof code === 'string' && code.startsWith('SQLITE_'))) {
      return { code: String(code), message: current.message };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a SQLite failure into the CoursewrightError a person can act on, naming the file and the
 * way out. Repositories use it for every write, so a trigger's RAISE(ABORT) reaches the user as
 * CONFLICT with the trigger's own sentence. Errors that are not SQLite's pass through unchanged.
 */
export function mapSqliteError(error: unknown, file: string): Error {
  if (error instanceof CoursewrightError) return error;
  const sqlite = sqliteCodeOf(error);
  if (!sqlite) return error instanceof Error ? error : new CoursewrightError('INTERNAL', String(error));
  const { code, message } = sqlite;
  const details = { file, sqliteCode: code, sqliteMessage: message };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new CoursewrightError('STORAGE_LOCKED', `${file} is locked by another Coursewright process; close it and retry.`, details);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new CoursewrightError(
      'STORAGE_CORRUPT',
      `${file} is not a Coursewright database or is damaged. Nothing was changed. Move it aside or restore a backup, or use --data to open another folder.`,
      details,
    );
  }
  if (code === 'SQLITE_CONSTRAINT_TRIGGER') return new CoursewrightError('CONFLICT', message, details);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new CoursewrightError('CONFLICT', `A record with the same key already exists (${message}).`, details);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new CoursewrightError('CONFLICT', 'The record refers to a course or version that does not exist, or is still referred to by another record.', details);
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new CoursewrightError('INVALID_INPUT', `The record does not fit the database schema (${message}).`, details);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new CoursewrightError(
      'USAGE',
      `${file} cannot be opened for writing (${message}). Check that the folder exists and you may write to it, or use --data to open another folder.`,
      details,
    );
  }
  if (code === 'SQLITE_FULL') {
    return new CoursewrightError('INTERNAL', `The disk holding ${file} is full; nothing was saved. Free some space and retry.`, details);
  }
  return new CoursewrightError('INTERNAL', `The database ${file} failed: ${message}.`, details);
}
