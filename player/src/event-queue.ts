import type { analyticsEventTypeNames } from '../../server/contract.js';

/**
 * Learner events on their way to the server. Every event gets a random UUID when it happens and
 * keeps it until the server has answered for it, so whatever is resent (after a failure, a lost
 * answer, a reload or from a second tab) is stored once: the server is idempotent by id.
 *
 * What must stay true:
 * - The queue lives in storage (localStorage in the player), read afresh on every change, so a
 *   reload or a crash loses nothing that was queued, and two tabs of one learner share one queue.
 * - A batch holds at most MAX_BATCH events (the server refuses more) and, when sent as the page
 *   goes away, at most KEEPALIVE_BYTES of body (browsers refuse larger keepalive requests).
 * - An event leaves the queue only when the server accepted it, or refused its batch with an
 *   answer that sending it again cannot change (the batch is then dropped, so it cannot block
 *   every event after it); a network failure, a 5xx, 401/403 (session ended) or 429 keep it.
 */

export type LearnerEventType = (typeof analyticsEventTypeNames)[number];

export interface LearnerEvent {
  id: string;
  type: LearnerEventType;
  courseId: string;
  lessonIndex?: number;
  occurredAt: string;
  data?: Record<string, unknown>;
}

/** The server's MAX_EVENTS_PER_BATCH (server/contract.ts); a unit test keeps the two equal. */
export const MAX_BATCH = 500;
/** Chromium and Firefox refuse keepalive requests whose bodies together exceed 64 KiB. */
export const KEEPALIVE_BYTES = 60_000;
/** Beyond this the oldest events are dropped: a learner offline for weeks must not fill the storage quota. */
export const MAX_QUEUED = 5_000;

export type SendOutcome = 'accepted' | 'retry' | 'rejected';

export interface EventQueueOptions {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Storage key; the player uses one per learner, so events are only ever sent with their own learner's session. */
  key: string;
  send(events: LearnerEvent[], options: { keepalive: boolean }): Promise<SendOutcome>;
  newId?: () => string;
  now?: () => Date;
}

export interface EventQueue {
  record(type: LearnerEventType, courseId: string, details?: { lessonIndex?: number; data?: Record<string, unknown> }): LearnerEvent;
  /** Sends queued events batch by batch until the queue is empty or a batch fails; true when nothing is left. */
  flush(options?: { keepalive?: boolean }): Promise<boolean>;
  pending(): LearnerEvent[];
}

export function createEventQueue(options: EventQueueOptions): EventQueue {
  const newId = options.newId ?? (() => crypto.randomUUID());
  const now = options.now ?? (() => new Date());
  let sending: Promise<boolean> | null = null;

  const read = (): LearnerEvent[] => {
    const raw = options.storage.getItem(options.key);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as LearnerEvent[]) : [];
    } catch {
      return [];
    }
  };
  const write = (events: LearnerEvent[]) => {
    try {
      options.storage.setItem(options.key, JSON.stringify(events.slice(-MAX_QUEUED)));
    } catch {
      // Storage full or refused (private browsing): the events stay only as long as the page does.
    }
  };
  const remove = (ids: Set<string>) => write(read().filter((event) => !ids.has(event.id)));

  const nextBatch = (keepalive: boolean): LearnerEvent[] => {
    const batch: LearnerEvent[] = [];
    let bytes = 20;
    for (const event of read()) {
      if (batch.length === MAX_BATCH) break;
      bytes += JSON.stringify(event).length + 1;
      if (keepalive && bytes > KEEPALIVE_BYTES && batch.length > 0) break;
      batch.push(event);
    }
    return batch;
  };

  async function sendAll(keepalive: boolean): Promise<boolean> {
    for (;;) {
      const batch = nextBatch(keepalive);
      if (batch.length === 0) return true;
      let outcome: SendOutcome;
      try {
        outcome = await options.send(batch, { keepalive });
      } catch {
        outcome = 'retry';
      }
      if (outcome === 'retry') return false;
      remove(new Set(batch.map((event) => event.id)));
      // A page going away gets one request: the browser may not run anything after it.
      if (keepalive) return read().length === 0;
    }
  }

  return {
    record(type, courseId, details = {}) {
      const event: LearnerEvent = { id: newId(), type, courseId, occurredAt: now().toISOString(), ...(details.lessonIndex === undefined ? {} : { lessonIndex: details.lessonIndex }), ...(details.data === undefined ? {} : { data: details.data }) };
      write([...read(), event]);
      return event;
    },
    flush({ keepalive = false } = {}) {
      // As the page goes away, send at once even while a background send is under way: its events
      // are still queued, and the server counts any it receives twice once.
      if (keepalive) return sendAll(true);
      sending ??= sendAll(false).finally(() => {
        sending = null;
      });
      return sending;
    },
    pending: read,
  };
}

/** How a server answer to a batch decides the fate of its events. */
export function outcomeOfStatus(status: number): SendOutcome {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401 || status === 403 || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}
