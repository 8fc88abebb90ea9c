import { describe, expect, it } from 'vitest';
import { CircuitBreaker, composeModelProvider, retryDelayMs, withCircuitBreaker, withFallback, withRetry, withTimeout } from '../../../core/ai/resilience.js';
import { ModelError, type ModelProvider, type ModelRequest, type ModelErrorKind } from '../../../core/ai/port.js';
import type { ModelCallRecord } from '../../../schemas/ledger.js';

const request: ModelRequest = { purpose: 'test', messages: [{ role: 'user', content: 'hi' }], task: { kind: 'syllabus.generate', intent: { title: 'x', audience: 'y', level: 'beginner', timeBudgetHours: 1, teachingStyle: 'z', constraints: [], language: 'en' } } };

/** A provider that fails with the scripted kinds, then answers. */
function flaky(kinds: Array<ModelErrorKind | 'ok'>, name = 'fake', retryAfterMs?: number) {
  let calls = 0;
  const provider: ModelProvider = {
    name,
    model: `${name}-model`,
    complete: async (req) => {
      const kind = kinds[calls++] ?? 'ok';
      if (req.signal?.aborted) throw new ModelError('cancelled', 'aborted');
      if (kind !== 'ok') throw new ModelError(kind, `${kind} from ${name}`, retryAfterMs === undefined ? {} : { retryAfterMs });
      return { content: `{"from":"${name}"}`, provider: name, model: `${name}-model`, usage: { promptTokens: 1, completionTokens: 2 } };
    },
  };
  return { provider, calls: () => calls };
}

describe('retry with backoff', () => {
  it('retries 429, 5xx, network errors and timeouts, then succeeds', async () => {
    const { provider, calls } = flaky(['rate_limited', 'server_error', 'network_error']);
    const sleeps: number[] = [];
    const response = await withRetry(provider, { sleep: async (ms) => void sleeps.push(ms), random: () => 1 }).complete(request);
    expect(response.content).toBe('{"from":"fake"}');
    expect(calls()).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('never retries auth errors, bad requests or cancellation', async () => {
    for (const kind of ['auth_error', 'bad_request', 'cancelled'] as const) {
      const { provider, calls } = flaky([kind]);
      await expect(withRetry(provider, { sleep: async () => {} }).complete(request)).rejects.toMatchObject({ kind });
      expect(calls()).toBe(1);
    }
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { provider, calls } = flaky(['server_error', 'server_error', 'server_error', 'server_error', 'server_error']);
    await expect(withRetry(provider, { maxAttempts: 3, sleep: async () => {} }).complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    expect(calls()).toBe(3);
  });

  it('waits at least as long as Retry-After asks, jitter notwithstanding', () => {
    const error = new ModelError('rate_limited', '429', { retryAfterMs: 7000 });
    expect(retryDelayMs(1, error, { baseDelayMs: 500, maxDelayMs: 20000, random: () => 0 })).toBe(7000);
    expect(retryDelayMs(3, new ModelError('server_error', '500'), { baseDelayMs: 500, maxDelayMs: 20000, random: () => 0.5 })).toBe(1000);
    expect(retryDelayMs(20, new ModelError('server_error', '500'), { baseDelayMs: 500, maxDelayMs: 20000, random: () => 1 })).toBe(20000);
  });

  it('stops retrying as soon as the caller cancels', async () => {
    const { provider, calls } = flaky(['server_error', 'server_error', 'server_error']);
    const abort = new AbortController();
    const retrying = withRetry(provider, { sleep: async () => abort.abort() }).complete({ ...request, signal: abort.signal });
    await expect(retrying).rejects.toMatchObject({ kind: 'cancelled' });
    expect(calls()).toBe(1);
  });
});

describe('timeouts', () => {
  it('turns a call that outlives timeoutMs into a timeout error', async () => {
    const slow: ModelProvider = {
      name: 'slow',
      model: 'slow',
      complete: (req) => new Promise((_, reject) => req.signal?.addEventListener('abort', () => reject(new ModelError('cancelled', 'aborted')))),
    };
    await expect(withTimeout(slow).complete({ ...request, timeoutMs: 20 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails fast, then lets one trial through after the cooldown', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 3, cooldownMs: 1000, clock: { now: () => new Date(now) } });
    const { provider, calls } = flaky(['server_error', 'server_error', 'server_error', 'server_error']);
    const guarded = withCircuitBreaker(provider, breaker);
    for (let i = 0; i < 3; i++) await expect(guarded.complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    expect(breaker.status).toBe('open');
    await expect(guarded.complete(request)).rejects.toMatchObject({ kind: 'circuit_open' });
    expect(calls()).toBe(3);

    now = 1500;
    expect(breaker.status).toBe('half-open');
    await expect(guarded.complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    expect(breaker.status).toBe('open');

    now = 3000;
    await expect(guarded.complete(request)).resolves.toMatchObject({ provider: 'fake' });
    expect(breaker.status).toBe('closed');
  });
});

describe('fallback and composition', () => {
  it('moves to the next model only after the first one is exhausted, and reports every failure', async () => {
    const first = flaky(['server_error', 'server_error'], 'first');
    const second = flaky([], 'second');
    const response = await withFallback([withRetry(first.provider, { maxAttempts: 2, sleep: async () => {} }), second.provider]).complete(request);
    expect(response.provider).toBe('second');
    const bothDown = withFallback([flaky(['auth_error'], 'a').provider, flaky(['network_error'], 'b').provider]);
    await expect(bothDown.complete(request)).rejects.toMatchObject({ kind: 'exhausted', message: expect.stringMatching(/a\/a-model.*b\/b-model/) });
  });

  it('ledgers every attempt, failed and retried ones included', async () => {
    const rows: ModelCallRecord[] = [];
    const ledger = { record: (row: ModelCallRecord) => void rows.push(row), list: () => rows };
    const { provider } = flaky(['rate_limited', 'server_error'], 'ledgered');
    const composed = composeModelProvider([provider], { ledger, courseId: 'crs_1', clock: { now: () => new Date(0) }, sleep: async () => {} });
    await composed.complete(request);
    expect(rows.map((r) => r.outcome)).toEqual(['rate_limited', 'server_error', 'ok']);
    expect(rows.every((r) => r.courseId === 'crs_1' && /^[0-9a-f]{64}$/.test(r.promptHash))).toBe(true);
    expect(rows[2]).toMatchObject({ promptTokens: 1, completionTokens: 2, provider: 'ledgered' });
  });
});
