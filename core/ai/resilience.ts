import { canonicalJson, sha256Hex } from '../hash.js';
import type { Clock, ModelCallLedger } from '../ports.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { ModelCallOutcome } from '../../schemas/ledger.js';
import { ModelError, outcomeOfModelError, type ModelProvider, type ModelRequest } from './port.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ModelError('cancelled', 'The model call was cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError('cancelled', 'The model call was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: Sleep;
}

/** Backoff before retry `attempt` (1-based): full jitter, but never sooner than Retry-After. */
export function retryDelayMs(attempt: number, error: ModelError, options: Required<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(options.random() * ceiling);
  return Math.min(options.maxDelayMs, Math.max(jittered, error.options.retryAfterMs ?? 0));
}

/** Retries 429, 5xx, network errors and timeouts; never auth, bad requests or cancellation. */
export function withRetry(provider: ModelProvider, options: RetryOptions = {}): ModelProvider {
  const maxAttempts = options.maxAttempts ?? 4;
  const timing = { baseDelayMs: options.baseDelayMs ?? 500, maxDelayMs: options.maxDelayMs ?? 20_000, random: options.random ?? Math.random };
  const sleep = options.sleep ?? realSleep;
  return {
    name: provider.name,
    model: provider.model,
    async complete(request) {
      for (let attempt = 1; ; attempt++) {
        if (request.signal?.aborted) throw new ModelError('cancelled', 'The model call was cancelled.');
        try {
          return await provider.complete(request);
        } catch (error) {
          if (!(error instanceof ModelError) || !error.retryable || attempt >= maxAttempts) throw error;
          await sleep(retryDelayMs(attempt, error, timing), request.signal);
        }
      }
    },
  };
}

/** Each attempt gets its own deadline; the caller's signal still cancels everything. */
export function withTimeout(provider: ModelProvider): ModelProvider {
  return {
    name: provider.name,
    model: provider.model,
    async complete(request) {
      if (!request.timeoutMs) return provider.complete(request);
      const timer = new AbortController();
      const handle = setTimeout(() => timer.abort(), request.timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
      try {
        return await provider.complete({ ...request, signal });
      } catch (error) {
        if (timer.signal.aborted && !request.signal?.aborted) {
          throw new ModelError('timeout', `${provider.name}/${provider.model} did not answer within ${request.timeoutMs} ms.`, { provider: provider.name, model: provider.model, cause: error });
        }
        throw error;
      } finally {
        clearTimeout(handle);
      }
    },
  };
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  clock?: Clock;
}

/**
 * Closed → open after consecutive failures → half-open after the cooldown (one trial call) →
 * closed on success, open again on failure. While open, calls fail fast without a request.
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly clock: Clock;

  constructor(readonly key: string, options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.clock = options.clock ?? { now: () => new Date() };
  }

  get status(): 'closed' | 'open' | 'half-open' {
    if (this.state === 'open' && this.clock.now().getTime() - this.openedAt >= this.cooldownMs) return 'half-open';
    return this.state;
  }

  /** Throws circuit_open when no call may go through now. */
  admit(): void {
    const status = this.status;
    if (status === 'closed') return;
    if (status === 'half-open' && !this.trialInFlight) {
      this.state = 'half-open';
      this.trialInFlight = true;
      return;
    }
    const retryAt = new Date(this.openedAt + this.cooldownMs).toISOString();
    throw new ModelError('circuit_open', `${this.key} failed ${this.threshold} times in a row; calls pause until ${retryAt}.`, { provider: this.key });
  }

  recordSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.state === 'half-open' || this.failures >= this.threshold) {
      this.state = 'open';
      this.openedAt = this.clock.now().getTime();
    }
  }
}

/** Breakers outlive single calls: one per provider and model for the life of the process. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  constructor(private readonly options: CircuitBreakerOptions = {}) {}

  for(provider: ModelProvider): CircuitBreaker {
    const key = `${provider.name}/${provider.model}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(key, this.options);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}

export function withCircuitBreaker(provider: ModelProvider, breaker: CircuitBreaker): ModelProvider {
  return {
    name: provider.name,
    model: provider.model,
    async complete(request) {
      breaker.admit();
      try {
        const response = await provider.complete(request);
        breaker.recordSuccess();
        return response;
      } catch (error) {
        // Only transport failures count against the endpoint; a cancelled call says nothing about it.
        if (error instanceof ModelError && error.kind !== 'cancelled' && error.kind !== 'bad_request') breaker.recordFailure();
        throw error;
      }
    },
  };
}

/** Tries each model in order; the next one gets its turn when the previous fails for transport reasons. */
export function withFallback(chain: ModelProvider[]): ModelProvider {
  if (chain.length === 1) return chain[0]!;
  return {
    name: chain[0]!.name,
    model: chain[0]!.model,
    async complete(request) {
      const failures: string[] = [];
      for (const provider of chain) {
        try {
          return await provider.complete(request);
        } catch (error) {
          if (!(error instanceof ModelError) || error.kind === 'cancelled') throw error;
          failures.push(`${provider.name}/${provider.model}: ${error.message}`);
        }
      }
      throw new ModelError('exhausted', `Every model failed: ${failures.join('; ')}.`);
    },
  };
}

function outcomeOf(error: unknown): ModelCallOutcome {
  if (error instanceof ModelError) return outcomeOfModelError(error);
  if (error instanceof CoursewrightError && error.code === 'MISSING_API_KEY') return 'auth_error';
  return 'bad_request';
}

/** One ledger row per attempt, whatever its outcome; an answer cut off at the output limit is recorded as `truncated`. */
export function withLedger(provider: ModelProvider, ledger: ModelCallLedger, context: { courseId: string | null; clock: Clock }): ModelProvider {
  return {
    name: provider.name,
    model: provider.model,
    async complete(request: ModelRequest) {
      const started = performance.now();
      const base = {
        at: context.clock.now().toISOString(),
        provider: provider.name,
        model: provider.model,
        purpose: request.purpose,
        promptHash: sha256Hex(canonicalJson(request.messages)),
        courseId: context.courseId,
      };
      try {
        const response = await provider.complete(request);
        ledger.record({
          ...base,
          model: response.model,
          promptTokens: response.usage.promptTokens,
          completionTokens: response.usage.completionTokens,
          latencyMs: performance.now() - started,
          outcome: response.truncated ? 'truncated' : 'ok',
          error: response.truncated ? 'the answer stopped at the output length limit and was not accepted' : null,
        });
        return response;
      } catch (error) {
        ledger.record({ ...base, promptTokens: 0, completionTokens: 0, latencyMs: performance.now() - started, outcome: outcomeOf(error), error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}

export interface ComposeOptions {
  ledger: ModelCallLedger;
  courseId: string | null;
  clock: Clock;
  breakers?: CircuitBreakerRegistry;
  retry?: RetryOptions;
  sleep?: Sleep;
}

const processBreakers = new CircuitBreakerRegistry();

/**
 * The order matters: per model, the ledger sits innermost so every attempt — retried or failed —
 * is a row; the breaker sees each attempt; the timeout bounds each attempt; retries wrap that;
 * and the fallback moves across models only after a model's own retries are spent.
 */
export function composeModelProvider(chain: ModelProvider[], options: ComposeOptions): ModelProvider {
  const breakers = options.breakers ?? processBreakers;
  const retry = { ...options.retry, ...(options.sleep ? { sleep: options.sleep } : {}) };
  return withFallback(
    chain.map((provider) =>
      withRetry(withTimeout(withCircuitBreaker(withLedger(provider, options.ledger, options), breakers.for(provider))), retry),
    ),
  );
}
