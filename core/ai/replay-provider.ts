import { z } from 'zod';
import { CoursewrightError } from '../../schemas/errors.js';
import type { ModelProvider } from './port.js';

const CassetteLine = z.object({ content: z.string(), truncated: z.boolean().optional() });

/** One recorded answer: the raw text, and whether the endpoint said it stopped at its output limit. */
export interface RecordedResponse {
  content: string;
  truncated?: boolean;
}

/**
 * A cassette is JSONL, one `{"content": "<raw model text>"}` per model call, with
 * `"truncated": true` on an answer the endpoint cut off at its output limit.
 */
export function parseCassette(text: string, source: string): RecordedResponse[] {
  const responses: RecordedResponse[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new CoursewrightError('INVALID_INPUT', `Cassette ${source}, line ${index + 1}, is not JSON. Each line must be {"content": "<raw model text>"}.`);
    }
    const checked = CassetteLine.safeParse(parsed);
    if (!checked.success) throw new CoursewrightError('INVALID_INPUT', `Cassette ${source}, line ${index + 1}, needs a string "content" field.`);
    responses.push(checked.data.truncated ? { content: checked.data.content, truncated: true } : { content: checked.data.content });
  });
  return responses;
}

/** Returns the cassette's responses in order, one per call: a recorded session, replayed exactly. */
export function createReplayProvider(responses: Array<string | RecordedResponse>, options: { source: string }): ModelProvider {
  let next = 0;
  return {
    name: 'replay',
    model: 'cassette',
    async complete(request) {
      if (next >= responses.length) {
        throw new CoursewrightError(
          'INVALID_INPUT',
          `Cassette ${options.source} has ${responses.length} response(s); call ${next + 1} (${request.purpose}) needs another line.`,
        );
      }
      const recorded = responses[next++]!;
      const { content, truncated } = typeof recorded === 'string' ? { content: recorded, truncated: false } : recorded;
      return { content, provider: 'replay', model: 'cassette', usage: { promptTokens: 0, completionTokens: Math.ceil(content.length / 4) }, ...(truncated ? { truncated: true } : {}) };
    },
  };
}

/** Emits every raw response as a cassette line, so the session can be replayed later. */
export function withRecording(provider: ModelProvider, onResponse: (line: string) => void): ModelProvider {
  return {
    name: provider.name,
    model: provider.model,
    async complete(request) {
      const response = await provider.complete(request);
      onResponse(JSON.stringify(response.truncated ? { content: response.content, truncated: true } : { content: response.content }));
      return response;
    },
  };
}
