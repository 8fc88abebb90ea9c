import { describe, expect, it } from 'vitest';
import { createExportQueue } from '../../host/export-queue.js';

/** Work the test finishes by hand, so what runs when is decided by the test, not by timing. */
function manualWork() {
  const started: string[] = [];
  const finishers = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const work = (name: string) => () =>
    new Promise<string>((resolve, reject) => {
      started.push(name);
      finishers.set(name, { resolve, reject });
    });
  return { started, work, finish: (name: string) => finishers.get(name)!.resolve(name), fail: (name: string) => finishers.get(name)!.reject(new Error(`${name} broke`)) };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('export queue', () => {
  it('runs at most two at a time in arrival order and tells each waiting run its place whenever it moves up', async () => {
    const queue = createExportQueue(2);
    const { started, work, finish } = manualWork();
    const positions: Record<string, number[]> = { c: [], d: [], e: [] };
    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => queue.run(work(name), { onQueued: (p) => positions[name]?.push(p) }));
    expect(started).toEqual(['a', 'b']);
    expect(queue.counts).toEqual({ running: 2, waiting: 3 });
    expect(positions).toEqual({ c: [1], d: [2], e: [3] });

    finish('b');
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(positions).toEqual({ c: [1], d: [2, 1], e: [3, 2] });
    finish('a');
    finish('c');
    await settle();
    finish('d');
    finish('e');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queue.counts).toEqual({ running: 0, waiting: 0 });
  });

  it('takes a cancelled run out of the line, never starts it, and moves those behind it up', async () => {
    const queue = createExportQueue(1);
    const { started, work, finish } = manualWork();
    const cancel = new AbortController();
    const positions: number[] = [];
    const first = queue.run(work('first'));
    const cancelled = queue.run(work('cancelled'), { signal: cancel.signal });
    const last = queue.run(work('last'), { onQueued: (p) => positions.push(p) });
    cancel.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(positions).toEqual([2, 1]);
    finish('first');
    await settle();
    finish('last');
    await Promise.all([first, last]);
    expect(started).toEqual(['first', 'last']);
    await expect(queue.run(work('never'), { signal: cancel.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(started).not.toContain('never');
  });

  it('frees the slot of a run that fails, and of one that throws before returning a promise', async () => {
    const queue = createExportQueue(1);
    const { started, work, fail, finish } = manualWork();
    const broken = queue.run(work('broken'));
    const throws = queue.run(() => {
      throw new Error('synchronous failure');
    });
    const after = queue.run(work('after'));
    fail('broken');
    await expect(broken).rejects.toThrow('broken broke');
    await expect(throws).rejects.toThrow('synchronous failure');
    await settle();
    expect(started).toEqual(['broken', 'after']);
    finish('after');
    expect(await after).toBe('after');
    expect(queue.counts).toEqual({ running: 0, waiting: 0 });
  });
});
