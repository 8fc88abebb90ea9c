import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrationChecksum, migrations } from '../../../db/migrations.js';
import { openDatabase, type OpenedDatabase } from '../../../db/open.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import { courseFixture, freshDatabaseFile } from './fixtures.js';

const toClose: OpenedDatabase[] = [];
afterEach(() => {
  for (const opened of toClose.splice(0)) opened.close();
});

function open(file: string, opts?: Parameters<typeof openDatabase>[1]): OpenedDatabase {
  const opened = openDatabase(file, opts);
  toClose.push(opened);
  return opened;
}

function refusal(fn: () => unknown): CoursewrightError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoursewrightError);
    return error as CoursewrightError;
  }
  throw new Error('expected the database to be refused');
}

/** Contents of a data folder, so a refused open can be shown to have written nothing at all. */
function snapshotFolder(file: string): Record<string, string> {
  const folder = path.dirname(file);
  return Object.fromEntries(fs.readdirSync(folder).map((name) => [name, fs.readFileSync(path.join(folder, name)).toString('base64')]));
}

function rawDatabase(file: string, setup: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    setup(db);
  } finally {
    db.close();
  }
}

describe('opening a data folder', () => {
  it('creates missing folders, applies every migration once and records it', () => {
    const file = path.join(path.dirname(freshDatabaseFile('open')), 'nested', 'deeper', 'coursewright.db');
    const opened = open(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(opened.file).toBe(path.resolve(file));
    expect(opened.schemaVersion).toBe(latestSchemaVersion);
    expect(opened.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(opened.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(opened.db.pragma('synchronous', { simple: true })).toBe(1);
    const recorded = opened.db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all();
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m) })));
  });

  it('re-opening an up-to-date database changes nothing and keeps the data', () => {
    const file = freshDatabaseFile('reopen');
    const first = open(file);
    first.store.courses.insert(courseFixture('crs-1'));
    const recordedBefore = first.db.prepare('SELECT * FROM schema_migrations ORDER BY version').all();
    first.close();

    const second = open(file);
    expect(second.schemaVersion).toBe(latestSchemaVersion);
    expect(second.db.prepare('SELECT * FROM schema_migrations ORDER BY version').all()).toEqual(recordedBefore);
    expect(second.store.courses.get('crs-1')?.title).toBe(courseFixture('crs-1').title);
  });

  it('two connections opening the same new file migrate it once', () => {
    const file = freshDatabaseFile('twice');
    const a = open(file);
    const b = open(file);
    expect(a.schemaVersion).toBe(latestSchemaVersion);
    expect(b.schemaVersion).toBe(latestSchemaVersion);
    expect(b.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
  });

  it('refuses a database written by a newer Coursewright and leaves it byte-for-byte as it was', () => {
    const file = freshDatabaseFile('too-new');
    rawDatabase(file, (db) => {
      db.exec('CREATE TABLE courses (id TEXT PRIMARY KEY)');
      db.pragma(`user_version = ${latestSchemaVersion + 7}`);
    });
    const before = snapshotFolder(file);

    const error = refusal(() => openDatabase(file));
    expect(error.code).toBe('STORAGE_TOO_NEW');
    expect(error.message).toContain(path.resolve(file));
    expect(error.message).toContain(`schema ${latestSchemaVersion + 7}, this build knows ${latestSchemaVersion}`);
    expect(error.message).toContain('--data');
    expect(snapshotFolder(file)).toEqual(before);
  });

  it('refuses a file that is not a database and leaves it untouched', () => {
    const file = freshDatabaseFile('garbage');
    fs.writeFileSync(file, 'These are my lecture notes, not a database.\n'.repeat(200));
    const before = snapshotFolder(file);

    const error = refusal(() => openDatabase(file));
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain(`${path.resolve(file)} is not a Coursewright database or is damaged. Nothing was changed.`);
    expect(error.message).toContain('--data');
    expect(snapshotFolder(file)).toEqual(before);
  });

  it('refuses a database that belongs to another program instead of adding tables to it', () => {
    const file = freshDatabaseFile('foreign');
    rawDatabase(file, (db) => db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (9.5)"));
    const before = snapshotFolder(file);

    const error = refusal(() => openDatabase(file));
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain('not a Coursewright database');
    expect(snapshotFolder(file)).toEqual(before);
  });

  it('refuses a database whose recorded migration differs from this build (drift)', () => {
    const file = freshDatabaseFile('drift');
    open(file).close();
    rawDatabase(file, (db) => db.prepare("UPDATE schema_migrations SET checksum = 'edited-by-hand' WHERE version = 1").run());

    const error = refusal(() => openDatabase(file));
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain('migration 1');
    expect(error.details).toMatchObject({ reason: 'migration_drift', version: 1, recorded: 'edited-by-hand' });
  });

  it('refuses a database whose protective triggers were dropped', () => {
    const file = freshDatabaseFile('no-trigger');
    open(file).close();
    rawDatabase(file, (db) => db.exec('DROP TRIGGER audit_log_no_delete'));

    const error = refusal(() => openDatabase(file));
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain('audit_log_no_delete');
  });

  it('opens read-only without writing, and refuses writes through the store', () => {
    const file = freshDatabaseFile('readonly');
    const writer = open(file);
    writer.store.courses.insert(courseFixture('crs-1'));
    writer.close();

    const reader = open(file, { readonly: true });
    expect(reader.store.courses.list().map((c) => c.id)).toEqual(['crs-1']);
    const error = refusal(() => reader.store.courses.insert(courseFixture('crs-2')));
    expect(error.message).toContain(path.resolve(file));
  });

  it('read-only on a missing file says so and creates nothing', () => {
    const file = freshDatabaseFile('missing');
    const error = refusal(() => openDatabase(file, { readonly: true }));
    expect(error.code).toBe('NOT_FOUND');
    expect(fs.existsSync(file)).toBe(false);
  });
});
