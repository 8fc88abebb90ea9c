import type { SuggestionStatus } from '../../schemas/analytics.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { Clock, Store } from '../ports.js';
import { normalizeServerUrl, ServerCallError } from '../sync/client.js';
import { retryDelayMs } from '../sync/service.js';
import { createAnalyticsClient, type AnalyticsClient } from './client.js';
import type { AppliedPull, DecisionKind, SuggestionDecision } from './ports.js';

export interface AnalyticsSyncOptions {
  store: Store;
  /** The key for a server address, or null when none may be sent there. */
  keyFor: (serverUrl: string) => string | null;
  actor: () => string;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  backoff?: { baseMs: number; maxMs: number };
  timeoutMs?: number;
}

/** What one pull of the change feed brought and what of it was stored. */
export interface PullResult {
  serverUrl: string;
  /** Rows the server sent in this pull (0 everywhere when nothing changed since the cursor). */
  received: { days: number; signals: number; suggestions: number };
  applied: AppliedPull;
  cursorBefore: string | null;
  cursorAfter: string;
}

export interface DeliveryRun {
  delivered: number;
  queued: number;
  refused: number;
  decisions: Array<{ decision: SuggestionDecision; error: string | null }>;
}

/** Long enough for a slow answer, so one decision is never sent by two senders at once. */
const CLAIM_MS = 2 * 60_000;
const defaultBackoff = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** The status a decision gives a suggestion. */
export const statusOfDecision = (decision: DecisionKind): SuggestionStatus => (decision === 'accept' ? 'ACCEPTED' : 'DISMISSED');

/**
 * Learner analytics between the studio and a hosted server: pulls the analytics change feed
 * after the stored cursor (a second pull with nothing new transfers nothing), keeps only courses
 * this studio has, and sends suggestion decisions through a small outbox so a decision made
 * offline reaches the server once it answers.
 */
export function createAnalyticsSync(options: AnalyticsSyncOptions) {
  const { store } = options;
  const repo = store.analytics;
  const now = () => (options.clock ?? { now: () => new Date() }).now();
  const iso = (date: Date) => date.toISOString();
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? defaultBackoff;

  function clientFor(serverUrl: string, key: string): AnalyticsClient {
    return createAnalyticsClient({ serverUrl, apiKey: key, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  }

  function requireKey(serverUrl: string): string {
    const key = options.keyFor(serverUrl);
    if (!key) throw new CoursewrightError('MISSING_API_KEY', `No key for ${serverUrl}. Enter one in Settings → Servers (or set COURSEWRIGHT_SERVER_KEY for the command line).`);
    return key;
  }

  /** Everything new on the server's change feed since the last pull, stored in one transaction with the new cursor. */
  async function pull(serverUrlRaw: string): Promise<PullResult> {
    const serverUrl = normalizeServerUrl(serverUrlRaw);
    const client = clientFor(serverUrl, requireKey(serverUrl));
    const cursorBefore = repo.cursor(serverUrl)?.cursor ?? null;
    const changes = await client.changes(cursorBefore);
    const applied = repo.applyPull(serverUrl, changes, iso(now()));
    const result: PullResult = {
      serverUrl,
      received: { days: changes.days.length, signals: changes.signals.length, suggestions: changes.suggestions.length },
      applied,
      cursorBefore,
      cursorAfter: changes.cursor,
    };
    if (applied.days + applied.signals + applied.suggestions > 0) {
      store.audit.append({ actor: options.actor(), action: 'analytics.synced', entityType: 'analytics_sync', entityId: serverUrl, metadata: { server: serverUrl, ...applied, cursorBefore, cursorAfter: changes.cursor } });
    }
    return result;
  }

  /** One claimed decision to the server; settles its row whatever happens. */
  async function send(decision: SuggestionDecision, key: string): Promise<{ decision: SuggestionDecision; error: string | null }> {
    const client = clientFor(decision.serverUrl, key);
    try {
      if (decision.decision === 'accept') await client.accept(decision.suggestionId);
      else await client.dismiss(decision.suggestionId, decision.reason ?? '');
      const delivered = store.transaction(() => {
        const row = repo.markDelivered(decision.id, iso(now()));
        store.audit.append({ actor: options.actor(), action: 'suggestion.delivered', entityType: 'content_suggestion', entityId: decision.suggestionId, metadata: { server: decision.serverUrl, decision: decision.decision, decidedBy: decision.decidedBy } });
        return row;
      });
      return { decision: delivered, error: null };
    } catch (error) {
      const failure = error instanceof CoursewrightError ? error : new CoursewrightError('INTERNAL', (error as Error).message);
      // Down, busy, or a key that may not decide yet: the same decision can go through later once that is fixed.
      const waitable = error instanceof ServerCallError && (error.retryable || error.failure === 'unauthenticated' || error.failure === 'forbidden');
      if (waitable) {
        const nextAttemptAt = iso(new Date(now().getTime() + retryDelayMs(decision.attempts + 1, backoff, random())));
        return { decision: repo.retryDecisionLater(decision.id, { error: failure.message, code: failure.code, nextAttemptAt }), error: failure.message };
      }
      const refused = store.transaction(() => {
        const row = repo.refuseDecision(decision.id, { error: failure.message, code: failure.code });
        store.audit.append({ actor: options.actor(), action: 'suggestion.delivery_refused', entityType: 'content_suggestion', entityId: decision.suggestionId, metadata: { server: decision.serverUrl, decision: decision.decision, code: failure.code, reason: failure.message } });
        return row;
      });
      return { decision: refused, error: failure.message };
    }
  }

  /** Sends queued decisions; `due` only those whose retry time has come (the background loop). Stops at the first unanswered one. */
  async function deliver(input: { serverUrl: string; due: boolean }): Promise<DeliveryRun> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const run: DeliveryRun = { delivered: 0, queued: 0, refused: 0, decisions: [] };
    const key = options.keyFor(serverUrl);
    if (!key) {
      run.queued = repo.decisions(serverUrl).filter((d) => d.state === 'queued').length;
      return run;
    }
    for (;;) {
      const at = now();
      const [claimed] = repo.claimDecisions({ serverUrl, dueBy: input.due ? iso(at) : null, now: iso(at), claimedUntil: iso(new Date(at.getTime() + CLAIM_MS)), limit: 1 });
      if (!claimed) break;
      const outcome = await send(claimed, key);
      run.decisions.push(outcome);
      if (outcome.decision.state === 'delivered') run.delivered++;
      else if (outcome.decision.state === 'refused') run.refused++;
      else break;
    }
    run.queued = repo.decisions(serverUrl).filter((d) => d.state === 'queued').length;
    return run;
  }

  /**
   * Records a decision on a suggestion and sends it at once when a key is stored; when the server
   * does not answer it stays queued for the background sync. A suggestion is decided once.
   */
  async function decide(input: { serverUrl: string; suggestionId: string; decision: DecisionKind; reason?: string | null }): Promise<{ decision: SuggestionDecision; delivered: boolean; error: string | null }> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    if (input.decision === 'dismiss' && !reason) throw new CoursewrightError('INVALID_INPUT', 'Dismissing a suggestion needs a reason: say in a few words what you checked and why the content stays as it is.');
    const suggestion = repo.suggestion(serverUrl, input.suggestionId);
    if (!suggestion) throw new CoursewrightError('NOT_FOUND', `No suggestion "${input.suggestionId}" from ${serverUrl} in this studio. \`coursewright sync\` pulls suggestions; \`coursewright suggestions list\` shows them.`, { suggestionId: input.suggestionId });
    if (suggestion.status !== 'OPEN') {
      throw new CoursewrightError('CONFLICT', `Suggestion ${input.suggestionId} was already ${suggestion.status === 'ACCEPTED' ? 'accepted' : 'dismissed'}${suggestion.decidedBy ? ` by ${suggestion.decidedBy}` : ''} on the server; a decision is made once.`, { suggestionId: input.suggestionId, status: suggestion.status });
    }
    const decidedBy = options.actor();
    const recorded = store.transaction(() => {
      const row = repo.recordDecision({ serverUrl, suggestionId: input.suggestionId, decision: input.decision, reason: input.decision === 'dismiss' ? reason : null, decidedBy, decidedAt: iso(now()) });
      store.audit.append({
        actor: decidedBy,
        action: input.decision === 'accept' ? 'suggestion.accepted' : 'suggestion.dismissed',
        entityType: 'content_suggestion',
        entityId: input.suggestionId,
        metadata: { server: serverUrl, courseId: suggestion.courseId, kind: suggestion.kind, signalType: suggestion.signalType, ...(row.reason ? { reason: row.reason } : {}) },
      });
      return row;
    });
    const key = options.keyFor(serverUrl);
    if (!key) return { decision: recorded, delivered: false, error: `No key for ${serverUrl} yet.` };
    const at = now();
    const [claimed] = repo.claimDecisions({ serverUrl, id: recorded.id, dueBy: null, now: iso(at), claimedUntil: iso(new Date(at.getTime() + CLAIM_MS)), limit: 1 });
    // Another sender (the background loop) holds it: it is on its way.
    if (!claimed) return { decision: recorded, delivered: false, error: null };
    const outcome = await send(claimed, key);
    if (outcome.decision.state === 'refused') {
      throw new CoursewrightError(outcome.decision.lastErrorCode === 'CONFLICT' ? 'CONFLICT' : outcome.decision.lastErrorCode === 'NOT_FOUND' ? 'NOT_FOUND' : 'INVALID_INPUT', outcome.error ?? 'The server refused the decision.', { suggestionId: input.suggestionId });
    }
    return { decision: outcome.decision, delivered: outcome.decision.state === 'delivered', error: outcome.error };
  }

  return {
    pull,
    deliver,
    decide,
    /** Decisions first (so the pull brings their statuses back), then the change feed. */
    async sync(input: { serverUrl: string; due: boolean }): Promise<{ delivery: DeliveryRun; pull: PullResult }> {
      const delivery = await deliver(input);
      return { delivery, pull: await pull(input.serverUrl) };
    },
  };
}

export type AnalyticsSync = ReturnType<typeof createAnalyticsSync>;
