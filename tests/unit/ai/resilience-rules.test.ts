import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitBreaker,
  CircuitBreakerRegistry,
  composeModelProvider,
  realSleep,
  retryDelayMs,
  withCircuitBreaker,
  withFallback,
  withLedger,
  withRetry,
  withTimeout,
} from '../../../core/ai/resilience.js';
import { ModelError, type ModelErrorKind, type ModelProvider, type ModelRequest, type ModelResponse } from '../../../core/ai/port.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import type { ModelCallRecord } from '../../../schemas/ledger.js';

const request: ModelRequest = {
  purpose: 'syllabus.generate',
  messages: [{ role: 'user', content: 'hi' }],
  task: { kind: 'syllabus.generate', intent: { title: 'x', audience: 'y', level: 'beginner', timeBudgetHours: 1, teachingStyle: 'z', constraints: [], language: 'en' } },
};

type Step = ModelErrorKind | 'ok' | 'plain' | Error | Partial<ModelResponse>;

/** A provider that plays the scripted steps (a failure kind, a thrown value, or an answer), then answers. */
function scripted(steps: Step[], name = 'fake') {
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    name,
    model: `${name}-model`,
    complete: async (req) => {
      const step = steps[requests.length] ?? 'ok';
      requests.push(req);
      const answer: ModelResponse = { content: `{"from":"${name}"}`, provider: name, model: `${name}-model`, usage: { promptTokens: 1, completionTokens: 2 } };
      if (step === 'ok') return answer;
      if (step === 'plain') throw new Error(`plain failure from ${name}`);
      if (step instanceof Error) throw step;
      if (typeof step === 'object') return { ...answer, ...step };
      throw new ModelError(step, `${step} from ${name}`);
    },
  };
  return { provider, requests, calls: () => requests.length };
}

const noSleep = async () => {};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('sleeping between retries', () => {
  it('resolves after the delay, with or without a signal, and leaves no listener behind', async () => {
    await expect(realSleep(1)).resolves.toBeUndefined();
    const abort = new AbortController();
    const removed = vi.spyOn(abort.signal, 'removeEventListener');
    await expect(realSleep(1, abort.signal)).resolves.toBeUndefined();
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('refuses to start when the call was already cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(realSleep(60_000, abort.signal)).rejects.toMatchObject({ kind: 'cancelled', message: 'The model call was cancelled.' });
  });

  it('stops at once when the call is cancelled, and drops its timer', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    const sleeping = realSleep(60_000, abort.signal);
    expect(vi.getTimerCount()).toBe(1);
    abort.abort();
    await expect(sleeping).rejects.toMatchObject({ kind: 'cancelled', message: 'The model call was cancelled.' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('backoff delays', () => {
  const timing = { baseDelayMs: 500, maxDelayMs: 20_000 };

  it('doubles the ceiling with each retry, from the base delay', () => {
    const error = new ModelError('server_error', '500');
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, error, { ...timing, random: () => 1 }))).toEqual([500, 1000, 2000, 4000]);
  });

  it('picks a whole number of milliseconds anywhere below the ceiling', () => {
    const error = new ModelError('server_error', '500');
    expect(retryDelayMs(2, error, { ...timing, random: () => 0.3333 })).toBe(333);
    expect(retryDelayMs(2, error, { ...timing, random: () => 0 })).toBe(0);
  });

  it('never waits longer than the maximum, even when Retry-After asks for more', () => {
    expect(retryDelayMs(12, new ModelError('server_error', '500'), { ...timing, random: () => 1 })).toBe(20_000);
    expect(retryDelayMs(1, new ModelError('rate_limited', '429', { retryAfterMs: 60_000 }), { ...timing, random: () => 0 })).toBe(20_000);
  });

  it('waits the jittered delay when Retry-After asks for less', () => {
    expect(retryDelayMs(3, new ModelError('rate_limited', '429', { retryAfterMs: 100 }), { ...timing, random: () => 0.5 })).toBe(1000);
  });
});

describe('retries', () => {
  it('keeps the provider and model names', () => {
    const wrapped = withRetry(scripted([]).provider);
    expect([wrapped.name, wrapped.model]).toEqual(['fake', 'fake-model']);
  });

  it('tries four times by default, then gives up with the last error', async () => {
    const { provider, calls } = scripted(['server_error', 'server_error', 'server_error', 'timeout', 'server_error']);
    await expect(withRetry(provider, { sleep: noSleep }).complete(request)).rejects.toMatchObject({ kind: 'timeout' });
    expect(calls()).toBe(4);
  });

  it('backs off from 500 ms to at most 20 s by default', async () => {
    const sleeps: number[] = [];
    const { provider } = scripted(Array(8).fill('server_error'));
    const retrying = withRetry(provider, { maxAttempts: 9, random: () => 1, sleep: async (ms) => void sleeps.push(ms) });
    await retrying.complete(request);
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
  });

  it('waits with the caller signal, so cancelling stops the wait', async () => {
    const abort = new AbortController();
    const signals: Array<AbortSignal | undefined> = [];
    const { provider } = scripted(['server_error']);
    await withRetry(provider, { sleep: async (_ms, signal) => void signals.push(signal) }).complete({ ...request, signal: abort.signal });
    expect(signals).toEqual([abort.signal]);
  });

  it('really waits between attempts when no sleep is given, and jitters with Math.random', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { provider, calls } = scripted(['network_error']);
    await expect(withRetry(provider, { baseDelayMs: 2 }).complete(request)).resolves.toMatchObject({ provider: 'fake' });
    expect(calls()).toBe(2);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('does not call the model at all when the caller has already cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const { provider, calls } = scripted([]);
    await expect(withRetry(provider, { sleep: noSleep }).complete({ ...request, signal: abort.signal })).rejects.toMatchObject({ kind: 'cancelled', message: 'The model call was cancelled.' });
    expect(calls()).toBe(0);
  });

  it('does not retry a failure that is not a transport error', async () => {
    const { provider, calls } = scripted(['plain']);
    await expect(withRetry(provider, { sleep: noSleep }).complete(request)).rejects.toThrow('plain failure from fake');
    expect(calls()).toBe(1);
  });
});

describe('per-attempt timeouts', () => {
  const waitsForAbort = (seen: Array<AbortSignal | undefined>): ModelProvider => ({
    name: 'slow',
    model: 'slow-1',
    complete: (req) => {
      seen.push(req.signal);
      return new Promise((_, reject) => req.signal?.addEventListener('abort', () => reject(new ModelError('cancelled', 'aborted'))));
    },
  });

  it('keeps the provider and model names', () => {
    const wrapped = withTimeout(scripted([]).provider);
    expect([wrapped.name, wrapped.model]).toEqual(['fake', 'fake-model']);
  });

  it('without timeoutMs, passes the request through untouched', async () => {
    const { provider, requests } = scripted([]);
    await withTimeout(provider).complete(request);
    expect(requests[0]).toBe(request);
  });

  it('names the model and the limit it missed', async () => {
    const error = await withTimeout(waitsForAbort([])).complete({ ...request, timeoutMs: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'timeout', message: 'slow/slow-1 did not answer within 5 ms.', options: { provider: 'slow', model: 'slow-1' } });
    expect((error as ModelError).cause).toMatchObject({ kind: 'cancelled' });
  });

  it('a failure before the deadline stays what it was', async () => {
    const { provider } = scripted(['server_error']);
    await expect(withTimeout(provider).complete({ ...request, timeoutMs: 60_000 })).rejects.toMatchObject({ kind: 'server_error' });
  });

  it('an answer before the deadline is returned and its timer dropped', async () => {
    vi.useFakeTimers();
    const { provider } = scripted([]);
    await expect(withTimeout(provider).complete({ ...request, timeoutMs: 60_000 })).resolves.toMatchObject({ provider: 'fake' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the caller cancelling reaches the model at once, and is reported as cancelled, not as a timeout', async () => {
    const abort = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    const call = withTimeout(waitsForAbort(seen)).complete({ ...request, timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    expect(seen[0]?.aborted).toBe(true);
    await expect(call).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('the circuit breaker', () => {
  it('opens after five consecutive failures by default, not four', () => {
    const breaker = new CircuitBreaker('fake/fake-model', { clock: { now: () => new Date(0) } });
    for (let i = 0; i < 4; i++) breaker.recordFailure();
    expect(breaker.status).toBe('closed');
    breaker.recordFailure();
    expect(breaker.status).toBe('open');
  });

  it('counts only consecutive failures: a success starts the count again', () => {
    const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 3, clock: { now: () => new Date(0) } });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.status).toBe('closed');
    breaker.recordFailure();
    expect(breaker.status).toBe('open');
  });

  it('stays open for 30 s by default, then lets exactly one trial call through', () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 1, clock: { now: () => new Date(now) } });
    expect(() => breaker.admit()).not.toThrow();
    breaker.recordFailure();
    now += 29_999;
    expect(breaker.status).toBe('open');
    expect(() => breaker.admit()).toThrow(
      expect.objectContaining({ kind: 'circuit_open', message: 'fake/fake-model failed 1 times in a row; calls pause until 2030-01-01T00:00:30.000Z.', options: { provider: 'fake/fake-model' } }),
    );
    now += 1;
    expect(breaker.status).toBe('half-open');
    expect(() => breaker.admit()).not.toThrow();
    expect(breaker.status).toBe('half-open');
    expect(() => breaker.admit()).toThrow(expect.objectContaining({ kind: 'circuit_open' }));
  });

  it('works on the real clock when none is given', () => {
    const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 1 });
    expect(breaker.status).toBe('closed');
    breaker.recordFailure();
    expect(breaker.status).toBe('open');
  });

  it('a failed trial opens it again for a whole cooldown', () => {
    let now = 0;
    const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 2, cooldownMs: 1000, clock: { now: () => new Date(now) } });
    breaker.recordFailure();
    breaker.recordFailure();
    now = 1000;
    breaker.admit();
    now = 1500;
    breaker.recordFailure();
    now = 2400;
    expect(breaker.status).toBe('open');
    now = 2500;
    expect(breaker.status).toBe('half-open');
  });

  it('a cancelled call or a bad request does not count against the model; other failures do', async () => {
    for (const step of ['cancelled', 'bad_request', 'plain'] as const) {
      const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 1, clock: { now: () => new Date(0) } });
      await expect(withCircuitBreaker(scripted([step]).provider, breaker).complete(request)).rejects.toBeDefined();
      expect(breaker.status, step).toBe('closed');
    }
    for (const step of ['auth_error', 'rate_limited', 'timeout'] as const) {
      const breaker = new CircuitBreaker('fake/fake-model', { failureThreshold: 1, clock: { now: () => new Date(0) } });
      await expect(withCircuitBreaker(scripted([step]).provider, breaker).complete(request)).rejects.toMatchObject({ kind: step });
      expect(breaker.status, step).toBe('open');
    }
  });

  it('keeps the provider and model names', () => {
    const wrapped = withCircuitBreaker(scripted([]).provider, new CircuitBreaker('k'));
    expect([wrapped.name, wrapped.model]).toEqual(['fake', 'fake-model']);
  });

  it('the registry keeps one breaker per provider and model, with its options', () => {
    const registry = new CircuitBreakerRegistry({ failureThreshold: 1, clock: { now: () => new Date(0) } });
    const a = registry.for(scripted([], 'a').provider);
    expect(registry.for(scripted([], 'a').provider)).toBe(a);
    expect(a.key).toBe('a/a-model');
    const b = registry.for(scripted([], 'b').provider);
    expect(b).not.toBe(a);
    a.recordFailure();
    expect([a.status, b.status]).toEqual(['open', 'closed']);
  });
});

describe('falling back across models', () => {
  it('a chain of one is that model itself, with its own errors', async () => {
    const only = scripted(['server_error']).provider;
    expect(withFallback([only])).toBe(only);
  });

  it('is named after the first model of the chain', () => {
    const chain = withFallback([scripted([], 'a').provider, scripted([], 'b').provider]);
    expect([chain.name, chain.model]).toEqual(['a', 'a-model']);
  });

  it('says which model failed how when all of them fail', async () => {
    const chain = withFallback([scripted(['auth_error'], 'a').provider, scripted(['network_error'], 'b').provider]);
    await expect(chain.complete(request)).rejects.toMatchObject({ kind: 'exhausted', message: 'Every model failed: a/a-model: auth_error from a; b/b-model: network_error from b.' });
  });

  it('stops at a cancelled call or a failure that is not a transport error, without trying the next model', async () => {
    for (const step of ['cancelled', 'plain'] as const) {
      const next = scripted([], 'b');
      await expect(withFallback([scripted([step], 'a').provider, next.provider]).complete(request)).rejects.toThrow(step === 'plain' ? 'plain failure from a' : 'cancelled from a');
      expect(next.calls(), step).toBe(0);
    }
  });
});

describe('the model call ledger', () => {
  function ledgered(steps: Step[]) {
    const rows: ModelCallRecord[] = [];
    const ledger = { record: (row: ModelCallRecord) => void rows.push(row), list: () => rows };
    const wrapped = withLedger(scripted(steps, 'ledgered').provider, ledger, { courseId: null, clock: { now: () => new Date('2030-01-01T00:00:00.000Z') } });
    return { wrapped, rows };
  }

  it('keeps the provider and model names', () => {
    const { wrapped } = ledgered([]);
    expect([wrapped.name, wrapped.model]).toEqual(['ledgered', 'ledgered-model']);
  });

  it('records a whole answer with its tokens, the model that answered and how long it took', async () => {
    vi.spyOn(performance, 'now').mockReturnValueOnce(1000).mockReturnValueOnce(1250);
    const { wrapped, rows } = ledgered([{ model: 'ledgered-model-2024', usage: { promptTokens: 11, completionTokens: 22 } }]);
    await wrapped.complete(request);
    expect(rows).toEqual([
      {
        at: '2030-01-01T00:00:00.000Z',
        provider: 'ledgered',
        model: 'ledgered-model-2024',
        purpose: 'syllabus.generate',
        // sha256 of the canonical JSON of the messages: [{"content":"hi","role":"user"}]
        promptHash: '4e79873118cd9be7a1f0308b9cd772950c5410c74ca3fe1ba2626cba009a9237',
        courseId: null,
        promptTokens: 11,
        completionTokens: 22,
        latencyMs: 250,
        outcome: 'ok',
        error: null,
      },
    ]);
  });

  it('records an answer cut off at the output limit as truncated, and still returns it', async () => {
    const { wrapped, rows } = ledgered([{ truncated: true }]);
    await expect(wrapped.complete(request)).resolves.toMatchObject({ truncated: true });
    expect(rows[0]).toMatchObject({ outcome: 'truncated', error: 'the answer stopped at the output length limit and was not accepted', promptTokens: 1, completionTokens: 2 });
  });

  it('records a failed call with no tokens, its outcome and its message, and rethrows it', async () => {
    vi.spyOn(performance, 'now').mockReturnValueOnce(1000).mockReturnValueOnce(1400);
    const { wrapped, rows } = ledgered(['rate_limited']);
    await expect(wrapped.complete(request)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(rows[0]).toMatchObject({ model: 'ledgered-model', promptTokens: 0, completionTokens: 0, latencyMs: 400, outcome: 'rate_limited', error: 'rate_limited from ledgered' });
  });

  it.each([
    ['a missing API key', new CoursewrightError('MISSING_API_KEY', 'Set an API key.'), 'auth_error', 'Set an API key.'],
    ['another coursewright error', new CoursewrightError('INVALID_INPUT', 'Bad input.'), 'bad_request', 'Bad input.'],
    ['any other error', new Error('socket hang up'), 'bad_request', 'socket hang up'],
  ] as const)('records %s with its outcome', async (_label, thrown, outcome, message) => {
    const { wrapped, rows } = ledgered([thrown]);
    await expect(wrapped.complete(request)).rejects.toBe(thrown);
    expect(rows[0]).toMatchObject({ outcome, error: message });
  });

  it('records something thrown that is not an Error as text', async () => {
    const rows: ModelCallRecord[] = [];
    const throwsText: ModelProvider = { name: 'odd', model: 'odd-1', complete: () => Promise.reject('out of cheese') };
    const wrapped = withLedger(throwsText, { record: (row) => void rows.push(row), list: () => rows }, { courseId: 'crs_1', clock: { now: () => new Date(0) } });
    await expect(wrapped.complete(request)).rejects.toBe('out of cheese');
    expect(rows[0]).toMatchObject({ outcome: 'bad_request', error: 'out of cheese', courseId: 'crs_1' });
  });
});

describe('the composed provider', () => {
  function ledger() {
    const rows: ModelCallRecord[] = [];
    return { rows, ledger: { record: (row: ModelCallRecord) => void rows.push(row), list: () => rows } };
  }

  it('uses the retry options and the sleep it is given', async () => {
    const { rows, ledger: calls } = ledger();
    const sleeps: number[] = [];
    const { provider } = scripted(['server_error', 'server_error', 'server_error']);
    const composed = composeModelProvider([provider], {
      ledger: calls,
      courseId: null,
      clock: { now: () => new Date(0) },
      breakers: new CircuitBreakerRegistry(),
      retry: { maxAttempts: 2, random: () => 1 },
      sleep: async (ms) => void sleeps.push(ms),
    });
    await expect(composed.complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    expect(sleeps).toEqual([500]);
    expect(rows.map((row) => row.outcome)).toEqual(['server_error', 'server_error']);
  });

  it('uses a sleep given in the retry options when none is given beside them', async () => {
    const { ledger: calls } = ledger();
    const sleeps: number[] = [];
    const { provider } = scripted(['server_error']);
    const composed = composeModelProvider([provider], {
      ledger: calls,
      courseId: null,
      clock: { now: () => new Date(0) },
      breakers: new CircuitBreakerRegistry(),
      retry: { random: () => 1, sleep: async (ms) => void sleeps.push(ms) },
    });
    await expect(composed.complete(request)).resolves.toMatchObject({ provider: 'fake' });
    expect(sleeps).toEqual([500]);
  });

  it('keeps one breaker per model across calls, from the registry it is given', async () => {
    const { ledger: calls } = ledger();
    const breakers = new CircuitBreakerRegistry({ failureThreshold: 2, clock: { now: () => new Date(0) } });
    const { provider } = scripted(['server_error', 'server_error', 'server_error']);
    const composed = composeModelProvider([provider], { ledger: calls, courseId: null, clock: { now: () => new Date(0) }, breakers, retry: { maxAttempts: 1 }, sleep: noSleep });
    await expect(composed.complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    await expect(composed.complete(request)).rejects.toMatchObject({ kind: 'server_error' });
    await expect(composed.complete(request)).rejects.toMatchObject({ kind: 'circuit_open' });
    expect(breakers.for(provider).status).toBe('open');
  });

  it('falls back to the next model, ledgering the attempts of both', async () => {
    const { rows, ledger: calls } = ledger();
    const first = scripted(['auth_error'], 'first');
    const second = scripted([], 'second');
    const composed = composeModelProvider([first.provider, second.provider], { ledger: calls, courseId: null, clock: { now: () => new Date(0) }, breakers: new CircuitBreakerRegistry(), sleep: noSleep });
    await expect(composed.complete(request)).resolves.toMatchObject({ provider: 'second' });
    expect(rows.map((row) => [row.provider, row.outcome])).toEqual([
      ['first', 'auth_error'],
      ['second', 'ok'],
    ]);
  });
});
