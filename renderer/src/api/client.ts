import type { OperationInput, OperationName, OperationOutput, Result, StudioClient, StudioEvent } from '../../../schemas/api.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the studio is served to a browser. */
    coursewright?: StudioClient;
  }
}

const tokenKey = 'coursewright.token';

/** The served studio learns its token from the URL fragment once, then keeps it for the tab. */
function takeToken(): string {
  const match = /token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(tokenKey, decodeURIComponent(match[1]!));
    history.replaceState(null, '', `${location.pathname}${location.search}#/courses`);
  }
  return sessionStorage.getItem(tokenKey) ?? '';
}

function httpClient(): StudioClient {
  const token = takeToken();
  const listeners = new Set<(event: StudioEvent) => void>();
  let source: EventSource | undefined;
  const connect = () => {
    source = new EventSource(`api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data) as StudioEvent;
      for (const listener of listeners) listener(event);
    };
  };
  return {
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>> {
      let response: Response;
      try {
        response = await fetch(`api/call/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        });
      } catch (error) {
        return { ok: false, error: { code: 'INTERNAL', message: `The studio host did not answer: ${(error as Error).message}. Is \`coursewright serve\` still running?` } };
      }
      try {
        return (await response.json()) as Result<OperationOutput<N>>;
      } catch {
        const hint = response.status === 401 ? ' The studio token is missing or stale: open the link `coursewright serve` printed.' : '';
        return { ok: false, error: { code: 'INTERNAL', message: `The studio host answered ${name} with HTTP ${response.status} and no result.${hint}` } };
      }
    },
    onEvent(listener) {
      if (!source) connect();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const client: StudioClient = window.coursewright ?? httpClient();

/** Calls an operation and throws its error envelope's message: for code paths that show it. */
export class StudioCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const result = await client.call(name, input);
  if (!result.ok) throw new StudioCallError(result.error.code, result.error.message);
  return result.value;
}

/** Where the browser can fetch a finished export when the studio is served; the desktop app opens the folder instead. */
export function exportDownloadUrl(fileName: string): string | null {
  if (window.coursewright) return null;
  return `api/exports/${encodeURIComponent(fileName)}?token=${encodeURIComponent(sessionStorage.getItem(tokenKey) ?? '')}`;
}
