import { z } from 'zod';

export const ModelCallOutcome = z.enum(['ok', 'invalid_output', 'rate_limited', 'server_error', 'network_error', 'timeout', 'cancelled', 'auth_error', 'bad_request', 'circuit_open', 'moderation_blocked', 'truncated']);
export type ModelCallOutcome = z.infer<typeof ModelCallOutcome>;

/** One row per model call, successful or not. */
export const ModelCallRecord = z.object({
  at: z.string(),
  provider: z.string(),
  model: z.string(),
  purpose: z.string(),
  promptHash: z.string(),
  promptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
  latencyMs: z.number().min(0),
  outcome: ModelCallOutcome,
  error: z.string().nullable(),
  courseId: z.string().nullable(),
});
export type ModelCallRecord = z.infer<typeof ModelCallRecord>;
