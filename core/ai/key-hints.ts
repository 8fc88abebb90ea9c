/**
 * Where a person fixes a model key depends on where they are: a terminal user sets an environment
 * variable or a flag, a studio user opens Settings. Each message about the key carries both, and
 * each front end renders its own; the studio never points at a CLI flag.
 */
export type KeyHintAudience = 'cli' | 'studio';

export const missingApiKeyHint: Record<KeyHintAudience, string> = {
  cli: 'Set COURSEWRIGHT_API_KEY (or OPENAI_API_KEY), or use --provider mock.',
  studio: 'Open Settings and enter it under “API key”, or choose the mock model provider there.',
};

export const refusedApiKeyHint: Record<KeyHintAudience, string> = {
  cli: 'Set a valid key in COURSEWRIGHT_API_KEY (or OPENAI_API_KEY).',
  studio: 'Open Settings and enter a valid key under “API key”.',
};
