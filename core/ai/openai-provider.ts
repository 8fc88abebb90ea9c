import type OpenAI from 'openai';
import { CoursewrightError } from '../../schemas/errors.js';
import { ModelError, type ModelProvider, type ModelRequest } from './port.js';
import { missingApiKeyHint, refusedApiKeyHint, type KeyHintAudience } from './key-hints.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  fetch?: typeof fetch;
  defaultHeaders?: Record<string, string>;
  /** Who reads the key messages: the studio points at Settings, the CLI at its variables and flags (default). */
  audience?: KeyHintAudience;
}

/** Retry-After in seconds or an HTTP date, or retry-after-ms: the server's wish, in milliseconds. */
export function retryAfterMsFrom(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

type OpenAiModule = typeof import('openai');

function toModelError(sdk: OpenAiModule, error: unknown, where: string, signal: AbortSignal | undefined, audience: KeyHintAudience): unknown {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (error instanceof APIUserAbortError || signal?.aborted) return new ModelError('cancelled', `The call to ${where} was cancelled.`, { cause: error });
  if (error instanceof APIConnectionTimeoutError) return new ModelError('timeout', `${where} did not answer in time.`, { cause: error });
  if (error instanceof APIConnectionError) return new ModelError('network_error', `Could not reach ${where}: ${error.message}.`, { cause: error });
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    if (status === 429) return new ModelError('rate_limited', `${where} is rate limiting requests (429).`, { status, ...optionalRetryAfter(error.headers), cause: error });
    if (status === 401 || status === 403) {
      return new ModelError('auth_error', `${where} refused the API key (${status}). ${refusedApiKeyHint[audience]}`, { status, cause: error });
    }
    if (status >= 500) return new ModelError('server_error', `${where} failed with ${status}.`, { status, ...optionalRetryAfter(error.headers), cause: error });
    return new ModelError('bad_request', `${where} rejected the request (${status}): ${error.message}`, { status, cause: error });
  }
  return error;
}

function optionalRetryAfter(headers: Headers | undefined): { retryAfterMs?: number } {
  const retryAfterMs = retryAfterMsFrom(headers);
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}

function mentionsStructuredOutput(sdk: OpenAiModule, error: unknown): boolean {
  return error instanceof sdk.APIError && error.status === 400 && /response_format|json_schema|structured/i.test(error.message);
}

/**
 * Any OpenAI-compatible chat endpoint through the official SDK. Retries are ours (resilience.ts),
 * so the SDK's own are off. Structured output (json_schema) is asked for; an endpoint that refuses
 * it gets JSON mode from then on.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  if (!options.apiKey) {
    throw new CoursewrightError('MISSING_API_KEY', `No API key for the OpenAI-compatible provider. ${missingApiKeyHint[options.audience ?? 'cli']}`);
  }
  // The SDK loads on the first call: starting the CLI or the studio never pays for it.
  let loaded: Promise<{ sdk: OpenAiModule; client: OpenAI }> | undefined;
  const load = () =>
    (loaded ??= import('openai').then((sdk) => ({
      sdk,
      client: new sdk.default({
        apiKey: options.apiKey,
        maxRetries: 0,
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      }),
    })));
  const where = options.baseURL ?? 'the OpenAI API';
  let structuredOutputSupported = true;

  async function send(client: OpenAI, request: ModelRequest, structured: boolean) {
    const responseFormat = request.responseSchema
      ? structured
        ? { type: 'json_schema' as const, json_schema: { name: request.responseSchema.name, schema: request.responseSchema.schema, strict: false } }
        : { type: 'json_object' as const }
      : undefined;
    return client.chat.completions.create(
      {
        model: options.model,
        messages: request.messages,
        ...(responseFormat ? { response_format: responseFormat } : {}),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      },
      { ...(request.signal ? { signal: request.signal } : {}), ...(request.timeoutMs ? { timeout: request.timeoutMs } : {}) },
    );
  }

  return {
    name: 'openai',
    model: options.model,
    async complete(request) {
      const { sdk, client } = await load();
      try {
        let completion;
        try {
          completion = await send(client, request, structuredOutputSupported);
        } catch (error) {
          if (!structuredOutputSupported || !request.responseSchema || !mentionsStructuredOutput(sdk, error)) throw error;
          structuredOutputSupported = false;
          completion = await send(client, request, false);
        }
        const choice = completion.choices[0];
        const content = choice?.message?.content ?? '';
        return {
          content,
          provider: 'openai',
          model: completion.model || options.model,
          usage: { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 },
          // "length": the endpoint stopped the answer at max_tokens or the model's output limit.
          ...(choice?.finish_reason === 'length' ? { truncated: true } : {}),
        };
      } catch (error) {
        throw toModelError(sdk, error, where, request.signal, options.audience ?? 'cli');
      }
    },
  };
}
