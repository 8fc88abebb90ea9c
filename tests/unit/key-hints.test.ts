import { describe, expect, it } from 'vitest';
import { createOpenAiProvider } from '../../core/ai/openai-provider.js';

function missingKeyMessage(audience?: 'cli' | 'studio'): string {
  try {
    createOpenAiProvider({ apiKey: '', model: 'gpt-4o-mini', ...(audience ? { audience } : {}) });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('a provider without a key was created');
}

describe('where a missing model key is fixed', () => {
  it('the studio points at its Settings screen, never at a command-line flag', () => {
    const message = missingKeyMessage('studio');
    expect(message).toBe('No API key for the OpenAI-compatible provider. Open Settings and enter it under “API key”, or choose the mock model provider there.');
    expect(message).not.toMatch(/--|COURSEWRIGHT_API_KEY/);
  });

  it('the terminal keeps its variables and flags', () => {
    expect(missingKeyMessage()).toBe('No API key for the OpenAI-compatible provider. Set COURSEWRIGHT_API_KEY (or OPENAI_API_KEY), or use --provider mock.');
    expect(missingKeyMessage('cli')).toBe(missingKeyMessage());
  });

  it('a key is still accepted for either audience', () => {
    expect(() => createOpenAiProvider({ apiKey: 'sk-test', model: 'gpt-4o-mini', audience: 'studio' })).not.toThrow();
  });
});
