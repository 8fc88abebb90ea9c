import { z } from 'zod';
import { AnalyticsChanges, ContentSuggestion } from '../../schemas/analytics.js';
import { normalizeServerUrl, ServerCallError } from '../sync/client.js';

export interface AnalyticsClientOptions {
  serverUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The hosted server's analytics routes the studio uses: the change feed it pulls and the two
 * suggestion decisions it sends. Failures are ServerCallErrors, so `retryable` says whether the
 * same call can succeed later without anyone changing anything.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions) {
  const base = normalizeServerUrl(options.serverUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = timedOut ? `did not answer within ${Math.round(timeoutMs / 1000)} seconds` : `could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`;
      throw new ServerCallError('SERVER_UNAVAILABLE', 'unreachable', `The server ${base} ${why}; the studio tries again later.`, null);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} answered ${method} ${path} with something that is not a Coursewright server's answer (HTTP ${response.status}). Is the address right, and is the server up to date?`, response.status);
      return parsed.data;
    }
    const envelope = ErrorBody.safeParse(json);
    const said = envelope.success ? envelope.data.error.message : `HTTP ${response.status}`;
    const status = response.status;
    if (status === 401) throw new ServerCallError('UNAUTHORIZED', 'unauthenticated', `The server ${base} did not accept the key (wrong, revoked or for another server): ${said}`, status);
    if (status === 403) throw new ServerCallError('UNAUTHORIZED', 'forbidden', `The server ${base} refused: ${said} Reading analytics and deciding suggestions needs a key whose role allows it there.`, status);
    if (status === 404) throw new ServerCallError('NOT_FOUND', 'not_found', `The server ${base} says: ${said}`, status);
    if (status === 409) throw new ServerCallError('CONFLICT', 'conflict', `The server ${base} refused: ${said}`, status);
    if (status === 408 || status === 429 || status >= 500) throw new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} is busy or failed (HTTP ${status}: ${said}); the studio tries again later.`, status);
    throw new ServerCallError('INVALID_INPUT', 'refused', `The server ${base} refused the request (HTTP ${status}): ${said}`, status);
  }

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
