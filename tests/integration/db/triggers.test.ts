import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../../db/open.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import { courseFixture, openFresh, versionFixture } from './fixtures.js';

let opened: OpenedDatabase;
beforeEach(() => {
  opened = openFresh('triggers');
  opened.store.courses.insert(courseFixture('crs-1'));
});
afterEach(() => opened.close());

function approvedVersion(id: string, version: number): void {
  const { syllabi } = opened.store;
  syllabi.insert(versionFixture(id, 'crs-1', version));
  syllabi.changeStatus(id, { status: 'IN_REVIEW', at: '2025-03-02T10:00:00.000Z' });
  syllabi.changeStatus(id, { status: 'APPROVED', at: '2025-03-03T10:00:00.000Z', by: 'rui', note: null });
}

function rawRun(statement: string, ...params: unknown[]) {
  return () => opened.db.prepare(statement).run(...params);
}

function conflict(fn: () => unknown): CoursewrightError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoursewrightError);
    expect((error as CoursewrightError).code).toBe('CONFLICT');
    return error as CoursewrightError;
  }
  throw new Error('expected a CONFLICT');
}

describe('an approved syllabus version cannot be changed, even with raw SQL', () => {
  beforeEach(() => approvedVersion('syl-1', 1));

  it.each([
    ["UPDATE syllabus_versions SET status = 'DRAFT' WHERE id = 'syl-1'"],
    ["UPDATE syllabus_versions SET syllabus_json = '{\"title\":\"swapped\"}' WHERE id = 'syl-1'"],
    ["UPDATE syllabus_versions SET note = 'rewritten later' WHERE id = 'syl-1'"],
    ["UPDATE syllabus_versions SET status = 'SUPERSEDED'"],
  ])('%s fails', (statement) => {
    const before = opened.store.syllabi.get('syl-1');
    expect(rawRun(statement)).toThrow('approved syllabus versions are immutable; create a new draft version instead');
    expect(opened.store.syllabi.get('syl-1')).toEqual(before);
  });

  it('DELETE fails and the row stays', () => {
    expect(rawRun("DELETE FROM syllabus_versions WHERE id = 'syl-1'")).toThrow(/approved syllabus versions cannot be deleted/);
    expect(rawRun('DELETE FROM syllabus_versions')).toThrow(/approved syllabus versions cannot be deleted/);
    expect(opened.store.syllabi.get('syl-1')?.status).toBe('APPROVED');
  });

  it('the store reports an attempt as CONFLICT with the trigger\'s sentence', () => {
    const error = conflict(() => opened.store.syllabi.changeStatus('syl-1', { status: 'REJECTED', at: '2025-03-04T00:00:00.000Z', by: 'rui', reason: 'second thoughts' }));
    expect(error.message).toBe('approved syllabus versions are immutable; create a new draft version instead');
  });
});

describe('every syllabus version follows the review flow', () => {
  beforeEach(() => opened.store.syllabi.insert(versionFixture('syl-d', 'crs-1', 1)));

  it('content is written once: an edit of any version\'s syllabus, hash or identity fails', () => {
    for (const statement of [
      "UPDATE syllabus_versions SET syllabus_json = '{}' WHERE id = 'syl-d'",
      "UPDATE syllabus_versions SET content_hash = 'forged' WHERE id = 'syl-d'",
      "UPDATE syllabus_versions SET version = 9 WHERE id = 'syl-d'",
      "UPDATE syllabus_versions SET course_id = 'crs-1' WHERE id = 'syl-d'",
    ]) {
      expect(rawRun(statement), statement).toThrow('syllabus content is written once per version; save an edit as a new version');
    }
  });

  it('DRAFT → APPROVED directly fails, in raw SQL and through the store', () => {
    expect(rawRun("UPDATE syllabus_versions SET status = 'APPROVED', decided_by = 'rui', decided_at = 'now' WHERE id = 'syl-d'")).toThrow(/moves only DRAFT → IN_REVIEW/);
    conflict(() => opened.store.syllabi.changeStatus('syl-d', { status: 'APPROVED', at: '2025-03-03T00:00:00.000Z', by: 'rui', note: null }));
    conflict(() => opened.store.syllabi.changeStatus('syl-d', { status: 'REJECTED', at: '2025-03-03T00:00:00.000Z', by: 'rui', reason: 'no' }));
    expect(opened.store.syllabi.get('syl-d')?.status).toBe('DRAFT');
  });

  it('a version in review can only be decided, and a decision names who made it', () => {
    opened.store.syllabi.changeStatus('syl-d', { status: 'IN_REVIEW', at: '2025-03-02T00:00:00.000Z' });
    conflict(() => opened.store.syllabi.changeStatus('syl-d', { status: 'SUPERSEDED', at: '2025-03-03T00:00:00.000Z' }));
    expect(rawRun("UPDATE syllabus_versions SET status = 'DRAFT' WHERE id = 'syl-d'")).toThrow(/moves only/);
    expect(rawRun("UPDATE syllabus_versions SET status = 'APPROVED' WHERE id = 'syl-d'")).toThrow(/records who decided/);
    expect(opened.store.syllabi.get('syl-d')?.status).toBe('IN_REVIEW');
  });

  it('a rejected or superseded version is final', () => {
    opened.store.syllabi.changeStatus('syl-d', { status: 'IN_REVIEW', at: '2025-03-02T00:00:00.000Z' });
    opened.store.syllabi.changeStatus('syl-d', { status: 'REJECTED', at: '2025-03-03T00:00:00.000Z', by: 'rui', reason: 'too long' });
    expect(rawRun("UPDATE syllabus_versions SET status = 'IN_REVIEW' WHERE id = 'syl-d'")).toThrow(/moves only/);
    expect(rawRun("UPDATE syllabus_versions SET rejection_reason = 'never mind' WHERE id = 'syl-d'")).toThrow(/written only together with the status change/);

    opened.store.syllabi.insert(versionFixture('syl-e', 'crs-1', 2));
    opened.store.syllabi.changeStatus('syl-e', { status: 'SUPERSEDED', at: '2025-03-04T00:00:00.000Z' });
    conflict(() => opened.store.syllabi.changeStatus('syl-e', { status: 'IN_REVIEW', at: '2025-03-05T00:00:00.000Z' }));
  });

  it('a new version cannot be inserted already in review or approved', () => {
    const error = conflict(() => opened.store.syllabi.insert(versionFixture('syl-x', 'crs-1', 2, { status: 'APPROVED' })));
    expect(error.message).toContain('starts as DRAFT');
    conflict(() => opened.store.syllabi.insert(versionFixture('syl-y', 'crs-1', 3, { status: 'IN_REVIEW' })));
    expect(opened.store.syllabi.listByCourse('crs-1').map((v) => v.id)).toEqual(['syl-d']);
  });
});

describe('the audit log is append-only, even with raw SQL', () => {
  beforeEach(() => {
    opened.store.audit.append({ actor: 'dana', action: 'course.created', entityType: 'course', entityId: 'crs-1', metadata: { title: 'T' } });
  });

  it.each([
    ["UPDATE audit_log SET actor = 'mallory'"],
    ["UPDATE audit_log SET metadata_json = '{}' WHERE entity_id = 'crs-1'"],
    ['DELETE FROM audit_log'],
    ["DELETE FROM audit_log WHERE actor = 'dana'"],
  ])('%s fails and the entry stays as written', (statement) => {
    expect(rawRun(statement)).toThrow('the audit log is append-only');
    expect(opened.store.audit.list()).toEqual([expect.objectContaining({ actor: 'dana', action: 'course.created', metadata: { title: 'T' } })]);
  });
});
