/**
 * The studio's outbox for the hosted server: one row per (server, package), kept in the studio
 * database so a publish made offline, or interrupted by a restart, is still sent later, once.
 *
 * pending  waiting to be sent (first try, or retrying after the server did not answer)
 * sent     on the server, not the live version of its course
 * live     on the server and the live version of its course when it was last sent
 * failed   the server refused it for a reason a retry cannot fix (key, conflict, size, hash)
 */
export const outboxStates = ['pending', 'sent', 'live', 'failed'] as const;
export type OutboxState = (typeof outboxStates)[number];

export interface OutboxEntry {
  id: number;
  serverUrl: string;
  packageId: string;
  courseId: string;
  packageVersion: number;
  contentHash: string;
  releaseWanted: boolean;
  state: OutboxState;
  attempts: number;
  /** When a pending row may be tried again (ISO time). */
  nextAttemptAt: string;
  lastError: string | null;
  lastErrorCode: string | null;
  /** The version number the server gave the package, once it has it. */
  serverVersion: number | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface NewOutboxEntry {
  serverUrl: string;
  packageId: string;
  courseId: string;
  packageVersion: number;
  contentHash: string;
  releaseWanted: boolean;
  at: string;
}

export interface OutboxRepository {
  /**
   * Queues a package for a server. The row of the same (server, package) is reused: it goes back
   * to pending with the new release wish and a fresh attempt count, so asking twice never sends twice.
   */
  enqueue(entry: NewOutboxEntry): OutboxEntry;
  /**
   * Takes pending rows for sending, atomically: a row claimed here is not claimed by another
   * connection (the background loop, a `coursewright sync` in another process) until
   * `claimedUntil` passes or the row is settled. `dueBy` null ignores the retry schedule.
   */
  claim(filter: { serverUrl?: string; id?: number; excludeIds?: number[]; dueBy: string | null; now: string; claimedUntil: string; limit: number }): OutboxEntry[];
  settle(id: number, outcome: { state: 'sent' | 'live'; serverVersion: number; at: string }): OutboxEntry;
  retryLater(id: number, outcome: { error: string; code: string; nextAttemptAt: string; at: string }): OutboxEntry;
  fail(id: number, outcome: { error: string; code: string; at: string }): OutboxEntry;
  /** Gives a claimed row back untouched (no key for its server yet). */
  release(id: number): void;
  list(filter?: { serverUrl?: string; courseId?: string; state?: OutboxState }): OutboxEntry[];
  get(serverUrl: string, packageId: string): OutboxEntry | undefined;
}
