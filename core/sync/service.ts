import { CoursewrightError } from '../../schemas/errors.js';
import type { Clock, Store } from '../ports.js';
import { createServerClient, normalizeServerUrl, ServerCallError, type ServerClient } from './client.js';
import type { OutboxEntry, OutboxRepository } from './ports.js';

export type PublishPhase = 'queued' | 'uploading' | 'releasing' | 'done' | 'waiting' | 'failed';

export interface SyncServiceOptions {
  store: Store;
  outbox: OutboxRepository;
  /** The author key for a server address, or null when none may be sent there. */
  keyFor: (serverUrl: string) => string | null;
  actor: () => string;
  clock?: Clock;
  /** 0 ≤ x < 1; the jitter of retry delays (tests pass a fixed one). */
  random?: () => number;
  fetch?: typeof fetch;
  /** Retry delays: base × 2^(attempt−1), at most max, each scaled by a random 50–100 %. */
  backoff?: { baseMs: number; maxMs: number };
  timeoutMs?: number;
}

export interface RowOutcome {
  entry: OutboxEntry;
  /** Whether the server stored the package on this send (false: it already had it); null when not sent. */
  created: boolean | null;
  error: string | null;
}

export interface SyncRun {
  sent: number;
  live: number;
  failed: number;
  retrying: number;
  /** Rows left pending because no author key may be sent to their server. */
  waitingForKey: number;
  outcomes: RowOutcome[];
}

/** Long enough for the slowest upload plus its reads, so a live send is never claimed twice. */
const CLAIM_MS = 5 * 60_000;
const defaultBackoff = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** The wait before retry number `attempt` (1-based): exponential, capped, with jitter so many studios do not retry in step. */
export function retryDelayMs(attempt: number, backoff: { baseMs: number; maxMs: number }, random: number): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random / 2));
}

/**
 * Publishing to hosted servers through the outbox. Every publish is a row first (so nothing is
 * lost to a crash or a dead network), then a send: upload under the content hash (the server
 * answers "already there" for the same content), then, when asked, a compare-and-swap release
 * against the live version the server reported just before.
 */
export function createSyncService(options: SyncServiceOptions) {
  const { store, outbox } = options;
  const now = () => (options.clock ?? { now: () => new Date() }).now();
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? defaultBackoff;
  const iso = (date: Date) => date.toISOString();

  function clientFor(serverUrl: string, key: string): ServerClient {
    return createServerClient({ serverUrl, apiKey: key, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs, uploadTimeoutMs: options.timeoutMs } : {}) });
  }

  function requireKey(serverUrl: string): string {
    const key = options.keyFor(serverUrl);
    if (!key) throw new CoursewrightError('MISSING_API_KEY', `No author key for ${serverUrl}. Enter one in Settings → Servers (or set COURSEWRIGHT_SERVER_KEY for the command line); nothing was queued.`);
    return key;
  }

  /** Puts a package in the outbox for a server; nothing is sent yet. */
  function queue(input: { serverUrl: string; packageId: string; release: boolean }): OutboxEntry {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const pkg = store.packages.get(input.packageId);
    if (!pkg) throw new CoursewrightError('NOT_FOUND', `No package "${input.packageId}". \`coursewright package list COURSE\` shows a course's packages.`, { packageId: input.packageId });
    return store.transaction(() => {
      const entry = outbox.enqueue({ serverUrl, packageId: pkg.id, courseId: pkg.courseId, packageVersion: pkg.version, contentHash: pkg.contentHash, releaseWanted: input.release, at: iso(now()) });
      store.audit.append({ actor: options.actor(), action: 'sync.queued', entityType: 'course_package', entityId: pkg.id, metadata: { server: serverUrl, contentHash: pkg.contentHash, release: input.release, courseId: pkg.courseId, version: pkg.version } });
      return entry;
    });
  }

  /** One claimed row to its server: upload, then make it live when wanted. Settles the row whatever happens. */
  async function send(entry: OutboxEntry, key: string, onPhase?: (phase: PublishPhase, entry: OutboxEntry) => void): Promise<RowOutcome> {
    const client = clientFor(entry.serverUrl, key);
    const pkg = store.packages.get(entry.packageId);
    try {
      if (!pkg) throw new CoursewrightError('NOT_FOUND', `Package ${entry.packageId} is no longer in this studio's database.`);
      onPhase?.('uploading', entry);
      const uploaded = await client.putPackage(pkg.contentHash, pkg.document);
      const onServer = await client.course(pkg.courseId);
      const liveHash = onServer?.liveHash ?? null;
      let state: 'sent' | 'live' = liveHash === pkg.contentHash ? 'live' : 'sent';
      if (entry.releaseWanted && state !== 'live') {
        onPhase?.('releasing', entry);
        try {
          await client.release(pkg.courseId, pkg.contentHash, liveHash);
        } catch (error) {
          if (error instanceof ServerCallError && error.failure === 'conflict') {
            const current = (error.details as { current?: string | null } | undefined)?.current ?? null;
            // Someone made this very content live in the meantime: what was asked for is done.
            if (current === pkg.contentHash) return await settleSent('live');
            throw new ServerCallError(
              'CONFLICT',
              'conflict',
              `Package v${pkg.version} was uploaded, but not made live: someone released ${current ? `another version (${current.slice(0, 12)}…)` : 'a change'} of this course on ${entry.serverUrl} after the studio looked. Check what is live there, then publish again with "make it live" to replace it.`,
              409,
              { current },
            );
          }
          throw error;
        }
        state = 'live';
      }
      return await settleSent(state);

      async function settleSent(final: 'sent' | 'live'): Promise<RowOutcome> {
        const settled = store.transaction(() => {
          const row = outbox.settle(entry.id, { state: final, serverVersion: uploaded.version, at: iso(now()) });
          store.audit.append({ actor: options.actor(), action: 'sync.sent', entityType: 'course_package', entityId: pkg!.id, metadata: { server: entry.serverUrl, contentHash: pkg!.contentHash, created: uploaded.created, serverVersion: uploaded.version, state: final } });
          return row;
        });
        onPhase?.('done', settled);
        return { entry: settled, created: uploaded.created, error: null };
      }
    } catch (error) {
      const failure = error instanceof CoursewrightError ? error : new CoursewrightError('INTERNAL', (error as Error).message);
      if (error instanceof ServerCallError && error.retryable) {
        // One clock reading: the row's update time and its retry time must differ by exactly the backoff.
        const failedAt = now();
        const nextAttemptAt = iso(new Date(failedAt.getTime() + retryDelayMs(entry.attempts + 1, backoff, random())));
        const row = outbox.retryLater(entry.id, { error: failure.message, code: failure.code, nextAttemptAt, at: iso(failedAt) });
        onPhase?.('waiting', row);
        return { entry: row, created: null, error: failure.message };
      }
      const row = store.transaction(() => {
        const failed = outbox.fail(entry.id, { error: failure.message, code: failure.code, at: iso(now()) });
        store.audit.append({ actor: options.actor(), action: 'sync.failed', entityType: 'course_package', entityId: entry.packageId, metadata: { server: entry.serverUrl, code: failure.code, reason: failure.message } });
        return failed;
      });
      onPhase?.('failed', row);
      return { entry: row, created: null, error: failure.message };
    }
  }

  function audited(run: SyncRun, trigger: string, serverUrl: string | null): SyncRun {
    // The background loop runs every few seconds: only runs that did something are worth a row.
    if (run.outcomes.length > 0 || (run.waitingForKey > 0 && trigger !== 'background')) {
      store.audit.append({
        actor: options.actor(),
        action: 'sync.run',
        entityType: 'sync_outbox',
        entityId: 'outbox',
        metadata: { trigger, server: serverUrl, sent: run.sent, live: run.live, failed: run.failed, retrying: run.retrying, waitingForKey: run.waitingForKey, packages: run.outcomes.map((o) => ({ packageId: o.entry.packageId, state: o.entry.state })) },
      });
    }
    return run;
  }

  function tally(outcomes: RowOutcome[], waitingForKey: number): SyncRun {
    const count = (f: (o: RowOutcome) => boolean) => outcomes.filter(f).length;
    return {
      sent: count((o) => o.entry.state === 'sent'),
      live: count((o) => o.entry.state === 'live'),
      failed: count((o) => o.entry.state === 'failed'),
      retrying: count((o) => o.entry.state === 'pending'),
      waitingForKey,
      outcomes,
    };
  }

  return {
    queue,

    /**
     * Queues and sends at once. When the server does not answer, the row stays queued for the
     * background loop (`queued: true` with the reason); a refusal fails the row and is thrown.
     */
    async publish(input: { serverUrl: string; packageId: string; release: boolean; onPhase?: (phase: PublishPhase, entry: OutboxEntry) => void }): Promise<RowOutcome & { queued: boolean }> {
      const key = requireKey(normalizeServerUrl(input.serverUrl));
      const queued = queue(input);
      input.onPhase?.('queued', queued);
      const at = now();
      const [claimed] = outbox.claim({ id: queued.id, dueBy: null, now: iso(at), claimedUntil: iso(new Date(at.getTime() + CLAIM_MS)), limit: 1 });
      // Another sender (the background loop, `coursewright sync`) holds it: it is on its way.
      if (!claimed) return { entry: queued, created: null, error: null, queued: true };
      const outcome = await send(claimed, key, input.onPhase);
      audited(tally([outcome], 0), 'publish', claimed.serverUrl);
      if (outcome.entry.state === 'failed') {
        const code = outcome.entry.lastErrorCode;
        throw new CoursewrightError(code === 'CONFLICT' || code === 'UNAUTHORIZED' || code === 'NOT_FOUND' || code === 'INVALID_INPUT' ? code : 'INTERNAL', outcome.error ?? 'The server refused the package.', { outboxId: outcome.entry.id });
      }
      return { ...outcome, queued: outcome.entry.state === 'pending' };
    },

    /**
     * Sends what the outbox holds. `due` only sends rows whose retry time has come (the
     * background loop); a person asking to sync now sends every pending row.
     */
    async flush(input: { serverUrl?: string; due: boolean; trigger: string; onPhase?: (phase: PublishPhase, entry: OutboxEntry) => void }): Promise<SyncRun> {
      const serverUrl = input.serverUrl ? normalizeServerUrl(input.serverUrl) : undefined;
      const outcomes: RowOutcome[] = [];
      let waitingForKey = 0;
      const skipped = new Set<number>();
      for (;;) {
        const at = now();
        const [entry] = outbox.claim({ ...(serverUrl ? { serverUrl } : {}), excludeIds: [...skipped], dueBy: input.due ? iso(at) : null, now: iso(at), claimedUntil: iso(new Date(at.getTime() + CLAIM_MS)), limit: 1 });
        if (!entry) break;
        const key = options.keyFor(entry.serverUrl);
        if (!key) {
          outbox.release(entry.id);
          skipped.add(entry.id);
          waitingForKey++;
          continue;
        }
        const outcome = await send(entry, key, input.onPhase);
        outcomes.push(outcome);
        // The server is down: the rest of its rows wait for the next run instead of each timing out.
        if (outcome.entry.state === 'pending') {
          skipped.add(entry.id);
          const rest = outbox.list({ serverUrl: entry.serverUrl, state: 'pending' }).filter((e) => e.id !== entry.id && !skipped.has(e.id));
          for (const other of rest) skipped.add(other.id);
          outcomes.push(...rest.map((e) => ({ entry: e, created: null, error: outcome.error })));
        }
      }
      return audited(tally(outcomes, waitingForKey), input.trigger, serverUrl ?? null);
    },

    /** Whether the server answers and takes the key; the server's publishing routes say nothing of tenant or role. */
    async testConnection(serverUrlRaw: string): Promise<{ serverUrl: string; reachable: boolean; authenticated: boolean; courses: number | null; message: string }> {
      const serverUrl = normalizeServerUrl(serverUrlRaw);
      const key = options.keyFor(serverUrl);
      const client = clientFor(serverUrl, key ?? 'cwk_none');
      try {
        const courses = await client.courses();
        if (!key) return { serverUrl, reachable: true, authenticated: false, courses: null, message: `${serverUrl} answers, but no author key is stored for it: enter one below.` };
        return { serverUrl, reachable: true, authenticated: true, courses: courses.length, message: `Connected to ${serverUrl}: the key is accepted; ${courses.length} course${courses.length === 1 ? '' : 's'} published there.` };
      } catch (error) {
        if (!(error instanceof ServerCallError)) throw error;
        if (error.failure === 'unauthenticated' || error.failure === 'forbidden') {
          return { serverUrl, reachable: true, authenticated: false, courses: null, message: key ? error.message : `${serverUrl} answers, but no author key is stored for it: enter one below.` };
        }
        return { serverUrl, reachable: error.failure !== 'unreachable', authenticated: false, courses: null, message: error.message };
      }
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
