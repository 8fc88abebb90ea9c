import fs from 'node:fs';
import { CoursewrightError } from '../schemas/errors.js';
import { createMockProvider, parseMockFaults } from '../core/ai/mock-provider.js';
import { createOpenAiProvider } from '../core/ai/openai-provider.js';
import type { ModelProvider } from '../core/ai/port.js';
import { createReplayProvider, parseCassette, withRecording } from '../core/ai/replay-provider.js';

export interface ModelOptions {
  provider?: string;
  model?: string;
  fallbackModel?: string[];
  baseUrl?: string;
  cassette?: string;
  record?: string;
  mockLatencyMs?: string;
  mockFaults?: string;
}

export const providerNames = ['mock', 'openai', 'replay'] as const;

/** The models to try, in order, as the flags and environment describe them. */
export function modelChainFromOptions(options: ModelOptions, env: NodeJS.ProcessEnv = process.env): ModelProvider[] {
  const name = options.provider ?? env.COURSEWRIGHT_PROVIDER ?? 'mock';
  let chain: ModelProvider[];
  switch (name) {
    case 'mock': {
      const latency = Number(options.mockLatencyMs ?? env.COURSEWRIGHT_MOCK_LATENCY_MS ?? 0);
      if (!Number.isFinite(latency) || latency < 0) throw new CoursewrightError('USAGE', `--mock-latency-ms must be a number of milliseconds ≥ 0, got "${options.mockLatencyMs}".`);
      const faults = options.mockFaults ?? env.COURSEWRIGHT_MOCK_FAULTS;
      chain = [createMockProvider({ latencyMs: latency, ...(faults ? { faults: parseMockFaults(faults) } : {}) })];
      break;
    }
    case 'openai': {
      const apiKey = env.COURSEWRIGHT_API_KEY ?? env.OPENAI_API_KEY ?? '';
      const baseURL = options.baseUrl ?? env.COURSEWRIGHT_BASE_URL ?? env.OPENAI_BASE_URL;
      const model = options.model ?? env.COURSEWRIGHT_MODEL ?? 'gpt-4o-mini';
      const models = [model, ...(options.fallbackModel ?? [])];
      chain = models.map((m) => createOpenAiProvider({ apiKey, model: m, ...(baseURL ? { baseURL } : {}) }));
      break;
    }
    case 'replay': {
      if (!options.cassette) throw new CoursewrightError('USAGE', '--provider replay needs --cassette FILE (a JSONL file of {"content": "..."} lines).');
      let text: string;
      try {
        text = fs.readFileSync(options.cassette, 'utf8');
      } catch (error) {
        throw new CoursewrightError('NOT_FOUND', `Cannot read cassette ${options.cassette}: ${(error as Error).message}.`);
      }
      chain = [createReplayProvider(parseCassette(text, options.cassette), { source: options.cassette })];
      break;
    }
    default:
      throw new CoursewrightError('USAGE', `Unknown provider "${name}". Use one of: ${providerNames.join(', ')}.`);
  }
  if (options.record) {
    const file = options.record;
    chain = chain.map((provider) => withRecording(provider, (line) => fs.appendFileSync(file, `${line}\n`)));
  }
  return chain;
}
