import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../db/open.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import { courseFixture, freshDatabaseFile } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.restoreAllMocks();
});

/** Another process (here: another connection) that has begun writing and not yet committed. */
function holdWriteLock(file: string): Database.Database {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  other.prepare("INSERT INTO settings (key, value_json) VALUES ('held', 'true')").run();
  cleanups.push(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  });
  return other;
}

function openWithShortTimeout(file: string): OpenedDatabase {
  const opened = openDatabase(file, { busyTimeoutMs: 100 });
  cleanups.push(() => opened.close());
  return opened;
}

describe('a database locked by another process', () => {
  it('a write fails with STORAGE_LOCKED naming the file, within the busy timeout', () => {
    const file = freshDatabaseFile('locked');
    const opened = openWithShortTimeout(file);
    holdWriteLock(file);

    const started = performance.now();
    let caught: unknown;
    try {
      opened.store.courses.insert(courseFixture('crs-1'));
    } catch (error) {
      caught = error;
    }
    const waited = performance.now() - started;
    expect(caught).toBeInstanceOf(CoursewrightError);
    expect((caught as CoursewrightError).code).toBe('STORAGE_LOCKED');
    expect((caught as CoursewrightError).message).toBe(`${opened.file} is locked by another Coursewright process; close it and retry.`);
    expect(waited).toBeGreaterThanOrEqual(90);
  });

  it('a transaction fails with STORAGE_LOCKED and leaves nothing behind once the lock is gone', () => {
    const file = freshDatabaseFile('locked-tx');
    const opened = openWithShortTimeout(file);
    const other = holdWriteLock(file);

    expect(() =>
      opened.store.transaction(() => {
        opened.store.courses.insert(courseFixture('crs-1'));
      }),
    ).toThrow(expect.objectContaining({ code: 'STORAGE_LOCKED' }));
    other.exec('ROLLBACK');
    expect(opened.store.courses.list()).toEqual([]);
    opened.store.courses.insert(courseFixture('crs-1'));
    expect(opened.store.courses.list().map((c) => c.id)).toEqual(['crs-1']);
  });

  it('reading still works while another process writes (WAL)', () => {
    const file = freshDatabaseFile('locked-read');
    const opened = openWithShortTimeout(file);
    opened.store.courses.insert(courseFixture('crs-1'));
    holdWriteLock(file);
    expect(opened.store.courses.get('crs-1')?.id).toBe('crs-1');
    const reopened = openWithShortTimeout(file);
    expect(reopened.store.courses.list()).toHaveLength(1);
  });

  it('an audit entry that cannot be written does not block the caller, and is reported', () => {
    const file = freshDatabaseFile('locked-audit');
    const opened = openWithShortTimeout(file);
    const other = holdWriteLock(file);
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});

    expect(() => opened.store.audit.append({ actor: 'rui', action: 'syllabus.approved', entityType: 'syllabus_version', entityId: 'syl-1', metadata: {} })).not.toThrow();
    expect(reported).toHaveBeenCalledTimes(1);
    expect(String(reported.mock.calls[0]?.[0])).toContain('syllabus.approved syllabus_version:syl-1 by rui');
    expect(String(reported.mock.calls[0]?.[0])).toContain('locked');
    other.exec('ROLLBACK');
    expect(opened.store.audit.list()).toEqual([]);
  });
});
