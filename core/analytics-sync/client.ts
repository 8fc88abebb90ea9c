import { z } from 'zod';
import { AnalyticsChanges, ContentSuggestion } from '../../schemas/analytics.js';
import { normalizeServerUrl, requestServer, ServerCallError } from '../sync/client.js';

export interface AnalyticsClientOptions {
  serverUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}


/**
 * The hosted server's analytics routes the studio uses: the change feed it pulls and the two
 * suggestion decisions it sends. Failures are ServerCallErrors, so `retryable` says whether the
 * same call can succeed later without anyone changing anything.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions) {
  const base = normalizeServerUrl(options.serverUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const refusal = (status: number, said: string): ServerCallError => {
    if (status === 401) return new ServerCallError('UNAUTHORIZED', 'unauthenticated', `The server ${base} did not accept the key (wrong, revoked or for another server): ${said}`, status);
    if (status === 403) return new ServerCallError('UNAUTHORIZED', 'forbidden', `The server ${base} refused: ${said} Reading analytics and deciding suggestions needs a key whose role allows it there.`, status);
    if (status === 404) return new ServerCallError('NOT_FOUND', 'not_found', `The server ${base} says: ${said}`, status);
    if (status === 409) return new ServerCallError('CONFLICT', 'conflict', `The server ${base} refused: ${said}`, status);
    if (status === 408 || status === 429 || status >= 500) return new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} is busy or failed (HTTP ${status}: ${said}); the studio tries again later.`, status);
    return new ServerCallError('INVALID_INPUT', 'refused', `The server ${base} refused the request (HTTP ${status}): ${said}`, status);
  };
  const connection = { base, apiKey: options.apiKey, fetch: doFetch, timeoutMs, refusal };
  const request = async <S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<z.infer<S>> =>
    (await requestServer(connection, method, path, schema, body)).value;

  // The decision routes answer with the decided suggestion; an older or leaner answer is still a success.
  const DecisionAnswer = z.union([ContentSuggestion, z.unknown().transform(() => null)]);

  return {
    serverUrl: base,
    /** Everything that changed after `since` (everything when null). */
    changes(since: string | null) {
      return request('GET', `/api/admin/analytics/changes${since === null ? '' : `?since=${encodeURIComponent(since)}`}`, AnalyticsChanges);
    },
    accept(suggestionId: string) {
      return request('POST', `/api/admin/suggestions/${encodeURIComponent(suggestionId)}/accept`, DecisionAnswer, {});
    },
    dismiss(suggestionId: string, reason: string) {
      return request('POST', `/api/admin/suggestions/${encodeURIComponent(suggestionId)}/dismiss`, DecisionAnswer, { reason });
    },
  };
}

export type AnalyticsClient = ReturnType<typeof createAnalyticsClient>;
