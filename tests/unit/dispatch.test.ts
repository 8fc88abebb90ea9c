import { describe, expect, it, vi } from 'vitest';
import { OperationRegistry } from '../../core/studio/dispatch.js';
import { CoursewrightError } from '../../schemas/errors.js';

describe('the operation registry every transport dispatches through', () => {
  it('refuses to register an operation twice, or one outside the contract', () => {
    const registry = new OperationRegistry();
    registry.register('courses.list', () => []);
    expect(() => registry.register('courses.list', () => [])).toThrow(/already registered/);
    expect(() => registry.register('courses.destroyAll' as 'courses.list', () => [])).toThrow(/not an operation/);
  });

  it('validates input before the handler sees it and names the field', async () => {
    const registry = new OperationRegistry();
    const handler = vi.fn(() => {
      throw new Error('must not run');
    });
    registry.register('syllabus.reject', handler);
    const result = await registry.dispatch('syllabus.reject', { versionId: 'syl_1', reason: '' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toBe('Reason is required');
    const extra = await registry.dispatch('syllabus.reject', { versionId: 'syl_1', reason: 'x', sql: 'DROP TABLE' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const badId = await registry.dispatch('syllabus.get', { versionId: '../../etc/passwd' });
    expect(badId).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('unknown operation names are refused, including prototype keys', async () => {
    const registry = new OperationRegistry();
    expect(await registry.dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await registry.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('wraps results and typed failures in envelopes', async () => {
    const registry = new OperationRegistry();
    registry.register('courses.get', ({ courseId }) => {
      throw new CoursewrightError('NOT_FOUND', `No course "${courseId}".`);
    });
    registry.register('courses.list', () => []);
    expect(await registry.dispatch('courses.list', {})).toEqual({ ok: true, value: [] });
    expect(await registry.dispatch('courses.get', { courseId: 'crs_x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No course "crs_x".' } });
  });

  it('an operation of the contract this host did not register is an internal error, and the handler it has still answers', async () => {
    const registry = new OperationRegistry();
    registry.register('courses.list', () => []);
    expect(await registry.dispatch('settings.get', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Operation "settings.get" has no handler in this host.' } });
    expect(await registry.dispatch('courses.list', {})).toEqual({ ok: true, value: [] });
    // A call without a body is a call with no input.
    expect(await registry.dispatch('courses.list', undefined)).toEqual({ ok: true, value: [] });
  });

  it('a name that is not a string is refused before anything else, naming it', async () => {
    const registry = new OperationRegistry();
    registry.register('courses.list', () => []);
    expect(await registry.dispatch(42 as unknown as string, {})).toEqual({ ok: false, error: { code: 'USAGE', message: 'Unknown operation "42".' } });
  });

  it('a name that only spells an operation when turned into text is refused as unknown, and the handler never runs', async () => {
    const registry = new OperationRegistry();
    const handler = vi.fn(() => []);
    registry.register('courses.list', handler);
    // A structured-clone transport can hand over an array; ['courses.list'] reads as "courses.list" as a key.
    expect(await registry.dispatch(['courses.list'] as unknown as string, {})).toEqual({ ok: false, error: { code: 'USAGE', message: 'Unknown operation "courses.list".' } });
    expect(handler).not.toHaveBeenCalled();
    expect(await registry.dispatch('courses.list', {})).toEqual({ ok: true, value: [] });
  });

  it('lists every invalid field, separated, and returns them as details', async () => {
    const registry = new OperationRegistry();
    registry.register('syllabus.reject', () => {
      throw new Error('must not run');
    });
    const result = await registry.dispatch('syllabus.reject', { versionId: 'bad id!', reason: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issues = (result.error.details as { issues: string[] }).issues;
    expect(issues).toHaveLength(2);
    expect(issues.some((line) => line.startsWith('versionId: '))).toBe(true);
    expect(issues.some((line) => line.startsWith('reason: '))).toBe(true);
    // The message names the fields as the screens do; the paths stay in the details for scripts.
    expect(result.error.message).toBe('Version: ids contain only letters, digits, _ and -; Reason is required');
  });

  it('registerAll registers every operation of the contract once', async () => {
    const registry = new OperationRegistry();
    const handlers = new Proxy({}, { get: (_target, name) => () => `answered ${String(name)}` }) as Parameters<OperationRegistry['registerAll']>[0];
    registry.registerAll(handlers);
    expect(await registry.dispatch('courses.list', {})).toEqual({ ok: true, value: 'answered courses.list' });
    expect(() => registry.register('courses.list', () => [])).toThrow('Operation "courses.list" is already registered.');
  });
});
