import { z } from 'zod';

/** Publishing to hosted learner servers, as the studio UI sees it (core/sync). */

export const OutboxStateName = z.enum(['pending', 'sent', 'live', 'failed']);

/** An http(s) address; the host normalises it further and says what is wrong in words. */
export const ServerUrlInput = z
  .string()
  .trim()
  .max(500, 'a server address of at most 500 characters')
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'a server address like https://learn.example.org (http:// only on a local network)');

/** Author keys are what `coursewright server key create` prints; empty removes the stored key. */
export const ServerKeyInput = z
  .string()
  .trim()
  .max(500)
  .refine((value) => value === '' || /^cwk_[A-Za-z0-9_-]{20,200}$/.test(value), 'an author key as `coursewright server key create` printed it, starting with cwk_');

export const ServerSettings = z.object({
  /** The hosted server the studio publishes to, or null when none is set. */
  serverUrl: z.string().nullable(),
  /** Whether a key is stored for it; the key itself never crosses back to the renderer. */
  hasKey: z.boolean(),
  /** A key is stored but was entered for another server address: it is not sent until entered again. */
  keyNeedsReentry: z.boolean(),
  keyStorage: z.enum(['keychain', 'memory']),
});
export type ServerSettings = z.infer<typeof ServerSettings>;

export const ConnectionTest = z.object({
  serverUrl: z.string(),
  reachable: z.boolean(),
  authenticated: z.boolean(),
  /** How many courses the key's tenant has published there, when the key is accepted. */
  courses: z.number().int().nullable(),
  message: z.string(),
});

export const OutboxEntryView = z.object({
  id: z.number().int(),
  serverUrl: z.string(),
  packageId: z.string(),
  courseId: z.string(),
  packageVersion: z.number().int(),
  contentHash: z.string(),
  releaseWanted: z.boolean(),
  state: OutboxStateName,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  serverVersion: z.number().int().nullable(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxEntryView = z.infer<typeof OutboxEntryView>;

export const PublishResult = z.object({
  entry: OutboxEntryView,
  /** True: the server stored it now; false: it already had this content; null: not sent yet. */
  created: z.boolean().nullable(),
  /** The server did not answer: the package waits in the outbox and is sent when it does. */
  queued: z.boolean(),
  message: z.string(),
});

export const SyncRunSummary = z.object({
  sent: z.number().int(),
  live: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int(),
  waitingForKey: z.number().int(),
  entries: z.array(OutboxEntryView),
});

export const SyncPublishEvent = z.object({
  type: z.literal('sync.publish'),
  runId: z.string(),
  packageId: z.string(),
  phase: z.enum(['queued', 'uploading', 'releasing', 'done', 'waiting', 'failed']),
  message: z.string(),
});
