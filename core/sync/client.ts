import { z } from 'zod';
import { CoursewrightError, type ErrorCode } from '../../schemas/errors.js';
import { CourseList, CourseVersions, PackagePublished, Release } from '../../server/contract.js';

/** Why a call to the hosted server did not succeed, in the terms the studio acts on. */
export type ServerFailure = 'unreachable' | 'unauthenticated' | 'forbidden' | 'conflict' | 'too_large' | 'hash_mismatch' | 'not_found' | 'refused' | 'server_error';

/**
 * A refusal or silence of the hosted server. `retryable` says whether sending the same thing
 * later can succeed without anyone changing anything (the server was down or overloaded).
 */
export class ServerCallError extends CoursewrightError {
  constructor(
    code: ErrorCode,
    readonly failure: ServerFailure,
    message: string,
    readonly status: number | null,
    details?: unknown,
  ) {
    super(code, message, details ?? { failure, status });
    this.name = 'ServerCallError';
  }
  get retryable(): boolean {
    return this.failure === 'unreachable' || this.failure === 'server_error';
  }
}

export interface ServerClientOptions {
  serverUrl: string;
  apiKey: string;
  /** Milliseconds a read or a release may take. */
  timeoutMs?: number;
  /** Milliseconds an upload may take (packages run to megabytes). */
  uploadTimeoutMs?: number;
  fetch?: typeof fetch;
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

/**
 * The base URL of a hosted server as the studio stores it: http or https, no query, fragment or
 * credentials, no trailing slash. Anything else is refused in words.
 */
export function normalizeServerUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CoursewrightError('INVALID_INPUT', `"${text}" is not a server address; enter one like https://learn.example.org.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CoursewrightError('INVALID_INPUT', `A server address starts with https:// (or http:// on a local network), not ${url.protocol}//.`);
  if (url.username || url.password) throw new CoursewrightError('INVALID_INPUT', 'Leave the user name and password out of the server address; the author key is entered separately.');
  if (url.search || url.hash) throw new CoursewrightError('INVALID_INPUT', 'A server address has no ?query or #fragment; enter just the address, like https://learn.example.org.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where a key may be sent: the origin of the server address it was entered for. */
export function serverOrigin(serverUrl: string): string {
  try {
    return new URL(serverUrl).origin;
  } catch {
    return serverUrl;
  }
}

/** How one studio client talks to one hosted server; `refusal` words a non-2xx answer for what that client does. */
export interface ServerConnection {
  base: string;
  apiKey: string;
  fetch: typeof fetch;
  timeoutMs: number;
  refusal: (status: number, said: string, details: unknown) => ServerCallError;
}

/**
 * One call to the hosted server with the author key: a timeout, no redirects (the key must not
 * follow one), the answer checked against the route's schema. Silence is SERVER_UNAVAILABLE
 * (retryable); a refusal is whatever the connection's `refusal` says for its status.
 */
export async function requestServer<S extends z.ZodType>(connection: ServerConnection, method: string, path: string, schema: S, body?: unknown): Promise<{ status: number; value: z.infer<S> }> {
  const { base, timeoutMs } = connection;
  let response: Response;
  try {
    response = await connection.fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${connection.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = timedOut ? `did not answer within ${Math.round(timeoutMs / 1000)} seconds` : `could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`;
    throw new ServerCallError('SERVER_UNAVAILABLE', 'unreachable', `The server ${base} ${why}. Check the address and your network; the studio tries again later.`, null);
  }
  const text = await response.text().catch(() => '');
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} answered ${method} ${path} with something that is not a Coursewright server's answer (HTTP ${response.status}). Is the address right, and is the server up to date?`, response.status);
    return { status: response.status, value: parsed.data };
  }
  const envelope = ErrorBody.safeParse(json);
  const said = envelope.success ? envelope.data.error.message : `HTTP ${response.status}`;
  throw connection.refusal(response.status, said, envelope.success ? envelope.data.error.details : undefined);
}

/** The hosted learner server's publishing routes, over fetch, with timeouts and refusals in words. */
export function createServerClient(options: ServerClientOptions) {
  const base = normalizeServerUrl(options.serverUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;

  const request = <S extends z.ZodType>(method: string, path: string, schema: S, body: unknown, timeout: number) =>
    requestServer({ base, apiKey: options.apiKey, fetch: doFetch, timeoutMs: timeout, refusal }, method, path, schema, body);

  function refusal(status: number, said: string, details: unknown): ServerCallError {
    switch (status) {
      case 401:
        return new ServerCallError('UNAUTHORIZED', 'unauthenticated', `The server ${base} did not accept the author key (it is wrong, revoked or for another server). Create a key with \`coursewright server key create --role author\` and enter it in Settings → Servers.`, status);
      case 403:
        return new ServerCallError('UNAUTHORIZED', 'forbidden', `The server ${base} refused: ${said} Publishing needs an author or admin key.`, status);
      case 404:
        return new ServerCallError('NOT_FOUND', 'not_found', `The server ${base} says: ${said}`, status);
      case 409:
        return new ServerCallError('CONFLICT', 'conflict', `The server ${base} refused the release: ${said}`, status, details);
      case 413:
        return new ServerCallError('INVALID_INPUT', 'too_large', `The package is too large for the server ${base}: ${said}`, status);
      case 422:
        return new ServerCallError('INVALID_INPUT', 'hash_mismatch', `The server ${base} refused the package: ${said}`, status, details);
      case 408:
      case 429:
      case 502:
      case 503:
      case 504:
        return new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} is busy or not ready (HTTP ${status}: ${said}); the studio tries again later.`, status);
      default:
        return status >= 500
          ? new ServerCallError('SERVER_UNAVAILABLE', 'server_error', `The server ${base} failed (HTTP ${status}: ${said}); the studio tries again later.`, status)
          : new ServerCallError('INVALID_INPUT', 'refused', `The server ${base} refused the request (HTTP ${status}): ${said}`, status);
    }
  }

  return {
    serverUrl: base,
    /** Uploads a frozen package under its hash: created false when the server already had it. */
    async putPackage(contentHash: string, document: unknown) {
      return (await request('PUT', `/api/packages/${contentHash}`, PackagePublished, document, uploadTimeoutMs)).value;
    },
    async release(courseId: string, contentHash: string, expectedCurrent: string | null) {
      return (await request('POST', `/api/courses/${encodeURIComponent(courseId)}/releases`, Release, { contentHash, expectedCurrent }, timeoutMs)).value;
    },
    /** A course's versions on the server, or null when the server has none of it. */
    async course(courseId: string) {
      try {
        return (await request('GET', `/api/courses/${encodeURIComponent(courseId)}`, CourseVersions, undefined, timeoutMs)).value;
      } catch (error) {
        if (error instanceof ServerCallError && error.failure === 'not_found') return null;
        throw error;
      }
    },
    async courses() {
      return (await request('GET', '/api/courses', CourseList, undefined, timeoutMs)).value;
    },
  };
}

export type ServerClient = ReturnType<typeof createServerClient>;
