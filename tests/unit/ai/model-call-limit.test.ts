import { describe, expect, it } from 'vitest';
import { createModelCallLimit } from '../../../core/ai/model-call-limit.js';

/** The shared limit on model calls in flight: slots in the order asked, given back however a call ends, and a cancelled waiter leaves the line. */

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('model call limit', () => {
  it('runs at most the limit at once and gives waiting calls their slot in the order they asked, also when a call fails', async () => {
    const limit = createModelCallLimit(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const calls = gates.map((g, i) => limit.run(async () => {
      started.push(i);
      await g.opened;
      if (i === 0) throw new Error('model down');
      return i;
    }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limit.inFlight()).toBe(2);
    gates[0]!.open();
    await expect(calls[0]).rejects.toThrow('model down');
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.open();
    gates[2]!.open();
    gates[3]!.open();
    await expect(Promise.all(calls.slice(1))).resolves.toEqual([1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limit.inFlight()).toBe(0);
  });

  it('a call cancelled while waiting leaves the line without taking a slot; the next one gets it', async () => {
    const limit = createModelCallLimit(1);
    const first = gate();
    const running = limit.run(() => first.opened);
    const abort = new AbortController();
    let cancelledRan = false;
    const cancelled = limit.run(async () => void (cancelledRan = true), abort.signal);
    const next = limit.run(async () => 'next');
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
    first.open();
    await running;
    await expect(next).resolves.toBe('next');
    expect(cancelledRan).toBe(false);
    expect(limit.inFlight()).toBe(0);
  });

  it('refuses a limit that is not a whole number from 1 to 64', () => {
    expect(() => createModelCallLimit(0)).toThrow('A model call limit is a whole number from 1 to 64, not 0.');
    expect(() => createModelCallLimit(2.5)).toThrow('not 2.5');
    expect(createModelCallLimit(64).max).toBe(64);
  });
});
