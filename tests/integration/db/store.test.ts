import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenedDatabase } from '../../../db/open.js';
import type { Store } from '../../../core/ports.js';
import type { ModelCallRecord } from '../../../schemas/ledger.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import { courseFixture, openFresh, syllabusFixture, versionFixture } from './fixtures.js';

let opened: OpenedDatabase;
let store: Store;
beforeEach(() => {
  opened = openFresh('store');
  store = opened.store;
});
afterEach(() => {
  opened.close();
  vi.restoreAllMocks();
});

function failure(fn: () => unknown): CoursewrightError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoursewrightError);
    return error as CoursewrightError;
  }
  throw new Error('expected a CoursewrightError');
}

describe('courses', () => {
  it('round-trip with their learning intent, listed in creation order', () => {
    const first = courseFixture('crs-b', { createdAt: '2025-01-01T00:00:00.000Z' });
    const second = courseFixture('crs-a', { title: 'Statistics for Product Managers', createdAt: '2025-02-01T00:00:00.000Z', status: 'review' });
    store.courses.insert(second);
    store.courses.insert(first);
    expect(store.courses.get('crs-a')).toEqual(second);
    expect(store.courses.get('crs-missing')).toBeUndefined();
    expect(store.courses.list()).toEqual([first, second]);
  });

  it('a second course with the same id is a CONFLICT', () => {
    store.courses.insert(courseFixture('crs-1'));
    expect(failure(() => store.courses.insert(courseFixture('crs-1'))).code).toBe('CONFLICT');
  });
});

describe('syllabus versions', () => {
  beforeEach(() => {
    store.courses.insert(courseFixture('crs-1'));
    store.courses.insert(courseFixture('crs-2'));
  });

  it('round-trip as SyllabusVersion records with a review object', () => {
    const draft = versionFixture('syl-1', 'crs-1', 1);
    store.syllabi.insert(draft);
    expect(store.syllabi.get('syl-1')).toEqual({
      id: 'syl-1',
      courseId: 'crs-1',
      version: 1,
      status: 'DRAFT',
      syllabus: draft.syllabus,
      metadata: draft.metadata,
      warnings: draft.warnings,
      review: { basedOnId: null, contentHash: draft.contentHash, submittedAt: null, decidedBy: null, decidedAt: null, note: null, rejectionReason: null },
    });
    expect(store.syllabi.get('syl-missing')).toBeUndefined();
  });

  it('number versions per course and list them in version order', () => {
    expect(store.syllabi.nextVersionNumber('crs-1')).toBe(1);
    store.syllabi.insert(versionFixture('syl-2', 'crs-1', 2));
    store.syllabi.insert(versionFixture('syl-1', 'crs-1', 1));
    store.syllabi.insert(versionFixture('syl-9', 'crs-2', 1, { basedOnId: null }));
    store.syllabi.insert(versionFixture('syl-3', 'crs-1', 3, { basedOnId: 'syl-2' }));
    expect(store.syllabi.nextVersionNumber('crs-1')).toBe(4);
    expect(store.syllabi.nextVersionNumber('crs-2')).toBe(2);
    expect(store.syllabi.listByCourse('crs-1').map((v) => v.id)).toEqual(['syl-1', 'syl-2', 'syl-3']);
    expect(store.syllabi.get('syl-3')?.review.basedOnId).toBe('syl-2');
    expect(store.syllabi.listByCourse('crs-unknown')).toEqual([]);
  });

  it('refuse a duplicate version number, an unknown course and an unknown base version', () => {
    store.syllabi.insert(versionFixture('syl-1', 'crs-1', 1));
    expect(failure(() => store.syllabi.insert(versionFixture('syl-dup', 'crs-1', 1))).code).toBe('CONFLICT');
    expect(failure(() => store.syllabi.insert(versionFixture('syl-orphan', 'crs-nope', 1))).code).toBe('CONFLICT');
    expect(failure(() => store.syllabi.insert(versionFixture('syl-2', 'crs-1', 2, { basedOnId: 'syl-ghost' }))).code).toBe('CONFLICT');
    expect(store.syllabi.listByCourse('crs-1')).toHaveLength(1);
  });

  it('changeStatus writes the review record of each kind of change', () => {
    for (const [id, version] of [['syl-a', 1], ['syl-r', 2], ['syl-s', 3]] as const) store.syllabi.insert(versionFixture(id, 'crs-1', version));

    store.syllabi.changeStatus('syl-a', { status: 'IN_REVIEW', at: '2025-04-01T10:00:00.000Z' });
    expect(store.syllabi.get('syl-a')).toMatchObject({ status: 'IN_REVIEW', review: { submittedAt: '2025-04-01T10:00:00.000Z', decidedBy: null } });
    store.syllabi.changeStatus('syl-a', { status: 'APPROVED', at: '2025-04-02T10:00:00.000Z', by: 'rui', note: 'clear and feasible' });
    expect(store.syllabi.get('syl-a')?.review).toMatchObject({
      submittedAt: '2025-04-01T10:00:00.000Z',
      decidedBy: 'rui',
      decidedAt: '2025-04-02T10:00:00.000Z',
      note: 'clear and feasible',
      rejectionReason: null,
    });

    store.syllabi.changeStatus('syl-r', { status: 'IN_REVIEW', at: '2025-04-01T11:00:00.000Z' });
    store.syllabi.changeStatus('syl-r', { status: 'REJECTED', at: '2025-04-02T11:00:00.000Z', by: 'ana', reason: 'Module 2 repeats module 1' });
    expect(store.syllabi.get('syl-r')).toMatchObject({
      status: 'REJECTED',
      review: { decidedBy: 'ana', decidedAt: '2025-04-02T11:00:00.000Z', rejectionReason: 'Module 2 repeats module 1', note: null },
    });

    store.syllabi.changeStatus('syl-s', { status: 'SUPERSEDED', at: '2025-04-03T00:00:00.000Z' });
    expect(store.syllabi.get('syl-s')).toMatchObject({ status: 'SUPERSEDED', review: { decidedBy: null, submittedAt: null } });
  });

  it('changeStatus of an unknown version is NOT_FOUND', () => {
    const error = failure(() => store.syllabi.changeStatus('syl-ghost', { status: 'IN_REVIEW', at: '2025-04-01T00:00:00.000Z' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('syl-ghost');
  });

  it('listInReview spans courses, oldest submission first, and drops decided versions', () => {
    store.syllabi.insert(versionFixture('syl-late', 'crs-1', 1));
    store.syllabi.insert(versionFixture('syl-early', 'crs-2', 1));
    store.syllabi.insert(versionFixture('syl-draft', 'crs-2', 2));
    store.syllabi.changeStatus('syl-late', { status: 'IN_REVIEW', at: '2025-05-02T00:00:00.000Z' });
    store.syllabi.changeStatus('syl-early', { status: 'IN_REVIEW', at: '2025-05-01T00:00:00.000Z' });
    expect(store.syllabi.listInReview().map((v) => v.id)).toEqual(['syl-early', 'syl-late']);

    store.syllabi.changeStatus('syl-early', { status: 'APPROVED', at: '2025-05-03T00:00:00.000Z', by: 'rui', note: null });
    expect(store.syllabi.listInReview().map((v) => v.id)).toEqual(['syl-late']);
  });

  it('a 40×12 syllabus (about 300 KB of JSON) is written and read back intact', () => {
    const large = syllabusFixture(40, 12);
    const base = versionFixture('syl-large-0', 'crs-1', 1, { syllabus: large });
    expect(JSON.stringify(large).length).toBeGreaterThan(250_000);
    store.syllabi.insert({ ...base, id: 'syl-large-1', version: 1 });
    expect(store.syllabi.get('syl-large-1')?.syllabus).toEqual(large);
  });
});

describe('the audit log', () => {
  it('appends entries and lists them oldest first, by entity, keeping the most recent N', () => {
    store.audit.append({ at: '2025-01-01T00:00:00.000Z', actor: 'dana', action: 'course.created', entityType: 'course', entityId: 'crs-1', metadata: { title: 'T' } });
    for (const [i, action] of (['syllabus.generated', 'syllabus.submitted', 'syllabus.approved'] as const).entries()) {
      store.audit.append({ at: `2025-01-0${i + 2}T00:00:00.000Z`, actor: 'rui', action, entityType: 'syllabus_version', entityId: 'syl-1', metadata: { step: i } });
    }
    const all = store.audit.list();
    expect(all.map((e) => e.action)).toEqual(['course.created', 'syllabus.generated', 'syllabus.submitted', 'syllabus.approved']);
    expect(all[0]).toEqual({ id: expect.any(Number), at: '2025-01-01T00:00:00.000Z', actor: 'dana', action: 'course.created', entityType: 'course', entityId: 'crs-1', metadata: { title: 'T' } });
    expect(store.audit.list({ entityId: 'syl-1' }).map((e) => e.metadata.step)).toEqual([0, 1, 2]);
    expect(store.audit.list({ entityId: 'syl-1', limit: 2 }).map((e) => e.action)).toEqual(['syllabus.submitted', 'syllabus.approved']);
    expect(store.audit.list({ limit: 1 }).map((e) => e.action)).toEqual(['syllabus.approved']);
  });

  it('stamps the time when the caller gives none', () => {
    const before = Date.now();
    store.audit.append({ actor: 'dana', action: 'settings.changed', entityType: 'settings', entityId: 'studio', metadata: {} });
    const at = Date.parse(store.audit.list()[0]!.at);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('a failing append never throws to its caller, and the failure is reported', () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      store.audit.append({ actor: 'dana', action: 'course.created', entityType: 'course', entityId: 'crs-1', metadata: { size: 10n } as Record<string, unknown> }),
    ).not.toThrow();
    expect(reported).toHaveBeenCalledTimes(1);
    expect(String(reported.mock.calls[0]?.[0])).toContain('course.created course:crs-1');
    expect(store.audit.list()).toEqual([]);
  });

  it('an audit entry written in a transaction that rolls back is rolled back too', () => {
    expect(() =>
      store.transaction(() => {
        store.courses.insert(courseFixture('crs-1'));
        store.audit.append({ actor: 'dana', action: 'course.created', entityType: 'course', entityId: 'crs-1', metadata: {} });
        throw new Error('the action failed after auditing');
      }),
    ).toThrow('the action failed after auditing');
    expect(store.courses.list()).toEqual([]);
    expect(store.audit.list()).toEqual([]);
  });
});

describe('transactions', () => {
  it('commit everything together', () => {
    const result = store.transaction(() => {
      store.courses.insert(courseFixture('crs-1'));
      store.syllabi.insert(versionFixture('syl-1', 'crs-1', store.syllabi.nextVersionNumber('crs-1')));
      return store.syllabi.get('syl-1')?.version;
    });
    expect(result).toBe(1);
    expect(store.syllabi.listByCourse('crs-1')).toHaveLength(1);
  });

  it('a failed write rolls back the earlier writes of the same transaction', () => {
    store.courses.insert(courseFixture('crs-1'));
    const error = failure(() =>
      store.transaction(() => {
        store.syllabi.insert(versionFixture('syl-1', 'crs-1', 1));
        store.syllabi.insert(versionFixture('syl-2', 'crs-1', 1));
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(store.syllabi.listByCourse('crs-1')).toEqual([]);
  });

  it('a nested transaction joins the outer one: its failure can be caught, the outer still commits', () => {
    store.transaction(() => {
      store.courses.insert(courseFixture('crs-1'));
      expect(() =>
        store.transaction(() => {
          store.courses.insert(courseFixture('crs-2'));
          throw new Error('inner step failed');
        }),
      ).toThrow('inner step failed');
    });
    expect(store.courses.list().map((c) => c.id)).toEqual(['crs-1']);
  });
});

describe('model call ledger', () => {
  const call = (overrides: Partial<ModelCallRecord>): ModelCallRecord => ({
    at: '2025-06-01T00:00:00.000Z',
    provider: 'openai',
    model: 'gpt-test',
    purpose: 'syllabus.generate',
    promptHash: 'a'.repeat(64),
    promptTokens: 1200,
    completionTokens: 3400,
    latencyMs: 812.5,
    outcome: 'ok',
    error: null,
    courseId: 'crs-1',
    ...overrides,
  });

  it('records every call and lists them by course, most recent N in order', () => {
    const calls = [call({}), call({ outcome: 'rate_limited', error: '429 slow down', completionTokens: 0 }), call({ courseId: null, purpose: 'connection.test' }), call({ model: 'fallback' })];
    for (const c of calls) store.ledger.record(c);
    expect(store.ledger.list()).toEqual(calls);
    expect(store.ledger.list({ courseId: 'crs-1' })).toEqual([calls[0], calls[1], calls[3]]);
    expect(store.ledger.list({ courseId: 'crs-1', limit: 2 })).toEqual([calls[1], calls[3]]);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(failure(() => store.ledger.list({ limit: 0 })).code).toBe('INVALID_INPUT');
  });
});

describe('settings', () => {
  it('store any JSON value per key and overwrite it', () => {
    expect(store.settings.get('actor')).toBeUndefined();
    store.settings.set('actor', 'dana');
    store.settings.set('models', [{ provider: 'openai', model: 'gpt-test' }]);
    store.settings.set('actor', 'rui');
    store.settings.set('telemetry', false);
    expect(store.settings.get('actor')).toBe('rui');
    expect(store.settings.all()).toEqual({ actor: 'rui', models: [{ provider: 'openai', model: 'gpt-test' }], telemetry: false });
  });
});

describe('autosaves', () => {
  it('keep the latest content per key until cleared', () => {
    store.autosaves.put({ key: 'syllabus:syl-1', content: '{"title":"draft one"}', savedAt: '2025-07-01T00:00:00.000Z' });
    store.autosaves.put({ key: 'syllabus:syl-1', content: '{"title":"draft two"}', savedAt: '2025-07-01T00:01:00.000Z' });
    store.autosaves.put({ key: 'intent:new', content: 'title: Stats', savedAt: '2025-07-01T00:00:30.000Z' });
    expect(store.autosaves.get('syllabus:syl-1')).toEqual({ key: 'syllabus:syl-1', content: '{"title":"draft two"}', savedAt: '2025-07-01T00:01:00.000Z' });
    expect(store.autosaves.list().map((r) => r.key)).toEqual(['syllabus:syl-1', 'intent:new']);
    expect(store.autosaves.clear('syllabus:syl-1')).toBe(true);
    expect(store.autosaves.clear('syllabus:syl-1')).toBe(false);
    expect(store.autosaves.get('syllabus:syl-1')).toBeUndefined();
    expect(store.autosaves.list()).toHaveLength(1);
  });
});
