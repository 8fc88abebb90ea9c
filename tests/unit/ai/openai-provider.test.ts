import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiProvider } from '../../../core/ai/openai-provider.js';
import { composeModelProvider, withRetry } from '../../../core/ai/resilience.js';
import type { ModelRequest } from '../../../core/ai/port.js';
import { generateSyllabus } from '../../../core/syllabus/generate.js';
import type { ModelCallRecord } from '../../../schemas/ledger.js';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A real OpenAI-compatible endpoint on loopback that answers from a script and keeps the requests. */
async function fakeEndpoint(replies: Reply[]) {
  const bodies: any[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      bodies.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(raw || '{}') });
      const reply = replies.shift() ?? { status: 500, body: { error: { message: 'script exhausted' } } };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { baseURL: `http://127.0.0.1:${port}/v1`, bodies };
}
const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const completion = (content: string, finishReason: 'stop' | 'length' = 'stop') => ({
  status: 200,
  body: { id: 'c1', object: 'chat.completion', created: 0, model: 'served-model', choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', content } }], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } },
});

const request: ModelRequest = {
  purpose: 'syllabus.generate',
  messages: [{ role: 'user', content: 'a syllabus please' }],
  task: { kind: 'syllabus.generate', intent: { title: 'x', audience: 'y', level: 'beginner', timeBudgetHours: 1, teachingStyle: 'z', constraints: [], language: 'en' } },
  responseSchema: { name: 'syllabus', schema: { type: 'object' } },
};

describe('OpenAI-compatible provider against a real HTTP endpoint', () => {
  it('asks for structured output and returns the raw text with usage', async () => {
    const endpoint = await fakeEndpoint([completion('{"ok":true}')]);
    const provider = createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL });
    const response = await provider.complete(request);
    expect(response).toEqual({ content: '{"ok":true}', provider: 'openai', model: 'served-model', usage: { promptTokens: 11, completionTokens: 7 } });
    expect(endpoint.bodies[0].path).toBe('/v1/chat/completions');
    expect(endpoint.bodies[0].auth).toBe('Bearer sk-test');
    expect(endpoint.bodies[0].body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'syllabus', schema: { type: 'object' }, strict: false } });
  });

  it('falls back to JSON mode when the endpoint refuses json_schema, and stays there', async () => {
    const endpoint = await fakeEndpoint([
      { status: 400, body: { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." } } },
      completion('{"a":1}'),
      completion('{"b":2}'),
    ]);
    const provider = createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL });
    await provider.complete(request);
    await provider.complete(request);
    expect(endpoint.bodies.map((b) => b.body.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object']);
  });

  it.each([
    [{ status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '3' } }, 'rate_limited', 3000],
    [{ status: 503, body: { error: { message: 'overloaded' } } }, 'server_error', undefined],
    [{ status: 401, body: { error: { message: 'bad key' } } }, 'auth_error', undefined],
    [{ status: 400, body: { error: { message: 'messages must not be empty' } } }, 'bad_request', undefined],
  ] as const)('maps HTTP %# to a typed model error', async (reply, kind, retryAfterMs) => {
    const endpoint = await fakeEndpoint([reply as Reply]);
    const provider = createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL });
    const error = await provider.complete(request).catch((e) => e);
    expect(error.kind).toBe(kind);
    expect(error.options.retryAfterMs).toBe(retryAfterMs);
  });

  it('a closed port is a network error', async () => {
    const provider = createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: 'http://127.0.0.1:9/v1' });
    await expect(provider.complete(request)).rejects.toMatchObject({ kind: 'network_error' });
  });

  it('with retries, recovers from 429 and 500 and then answers', async () => {
    const endpoint = await fakeEndpoint([{ status: 429, body: { error: { message: 'slow' } }, headers: { 'retry-after-ms': '5' } }, { status: 500, body: { error: { message: 'oops' } } }, completion('{"done":true}')]);
    const waits: number[] = [];
    const provider = withRetry(createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL }), { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    await expect(provider.complete(request)).resolves.toMatchObject({ content: '{"done":true}' });
    expect(endpoint.bodies).toHaveLength(3);
    expect(waits[0]).toBe(5);
  });

  it('reports an answer stopped by finish_reason "length" as truncated, and a "stop" answer as whole', async () => {
    const endpoint = await fakeEndpoint([completion('{"title": "Intro to SQL", "modules": [', 'length'), completion('{"a":1}', 'length'), completion('{"a":1}')]);
    const provider = createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL });
    await expect(provider.complete(request)).resolves.toMatchObject({ content: '{"title": "Intro to SQL", "modules": [', truncated: true });
    // Even JSON that happens to parse is a fragment when the endpoint says it stopped at the limit.
    await expect(provider.complete(request)).resolves.toMatchObject({ content: '{"a":1}', truncated: true });
    expect((await provider.complete(request)).truncated).toBeUndefined();
  });

  it('a syllabus cut off by finish_reason "length" is sent back, ledgered as truncated, and fails with nothing returned when it never completes', async () => {
    const intent = { title: 'Intro to SQL', audience: 'Analysts', level: 'beginner' as const, timeBudgetHours: 2, teachingStyle: 'examples', constraints: [], language: 'en' };
    const whole = JSON.stringify({ title: 'Intro to SQL', summary: 'Query data.', audience: 'Analysts', level: 'beginner', language: 'en', modules: [{ id: 'm1', title: 'Basics', lessons: [{ id: 'l1', title: 'Selecting', objectives: ['Write a SELECT query'], prerequisites: [], estimatedMinutes: 120, assessmentHooks: [] }] }] });
    const endpoint = await fakeEndpoint([completion(whole, 'length'), completion(whole.slice(0, 80), 'length'), completion(whole.slice(0, 80), 'length')]);
    const rows: ModelCallRecord[] = [];
    const provider = composeModelProvider([createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-test', baseURL: endpoint.baseURL })], {
      ledger: { record: (row) => void rows.push(row), list: () => rows },
      courseId: 'crs_1',
      clock: { now: () => new Date(0) },
      sleep: async () => {},
    });
    const failure = await generateSyllabus(intent, { provider, maxRepairs: 2 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'MODEL_OUTPUT_INVALID', message: expect.stringContaining('Every answer was cut off') });
    expect(rows.map((r) => r.outcome)).toEqual(['truncated', 'truncated', 'truncated']);
    expect(rows.map((r) => r.purpose)).toEqual(['syllabus.generate', 'syllabus.repair', 'syllabus.repair']);
    expect(endpoint.bodies[1].body.messages.at(-1).content).toContain('cut off');
  });

  it('refuses to start without an API key and says how to set one', () => {
    expect(() => createOpenAiProvider({ apiKey: '', model: 'gpt-test' })).toThrow(/COURSEWRIGHT_API_KEY/);
  });
});
