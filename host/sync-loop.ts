import type { KeyStore, Store } from '../core/ports.js';
import { createServerSettings } from '../core/studio/sync-handlers.js';
import { createSyncService } from '../core/sync/service.js';
import { createAnalyticsSync } from '../core/analytics-sync/service.js';
import { ServerCallError } from '../core/sync/client.js';

export interface SyncLoopOptions {
  store: Store;
  serverKeys: KeyStore;
  actor: () => string;
  /** How often the outbox is looked at; rows are sent only once their retry time has come. */
  intervalMs?: number;
  fetch?: typeof fetch;
}

/**
 * The studio's background sender: every few seconds it sends the outbox rows for the configured
 * server whose retry time has come. Backoff lives in the rows (next_attempt_at), so a restart
 * picks up where the last process stopped, and claims keep it from racing `coursewright sync`.
 */
export function startSyncLoop(options: SyncLoopOptions): { stop(): void; runNow(): Promise<void> } {
  const servers = createServerSettings(options.store, options.serverKeys);
  const service = createSyncService({ store: options.store, outbox: options.store.outbox, keyFor: servers.keyFor, actor: options.actor, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const analytics = createAnalyticsSync({ store: options.store, keyFor: servers.keyFor, actor: options.actor, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const intervalMs = options.intervalMs ?? 5_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runNow(), intervalMs);
    // The loop never keeps a process alive on its own.
    timer.unref?.();
  };
  const runNow = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      try {
        const serverUrl = servers.configuredUrl();
        if (serverUrl && servers.keyFor(serverUrl)) await service.flush({ serverUrl, due: true, trigger: 'background' });
      } catch (error) {
        // A database lock or a damaged row must not end the loop; the next tick tries again.
        console.error(`Coursewright could not send the outbox: ${(error as Error).message}`);
      }
      try {
        // Analytics ride along: suggestion decisions whose retry time has come, then whatever is new on the change feed (nothing, mostly).
        const serverUrl = servers.configuredUrl();
        if (serverUrl && servers.keyFor(serverUrl)) await analytics.sync({ serverUrl, due: true });
      } catch (error) {
        // An unanswered server is the normal offline case; the next tick asks again.
        if (!(error instanceof ServerCallError && error.retryable)) console.error(`Coursewright could not sync learner analytics: ${(error as Error).message}`);
      } finally {
        running = null;
        if (timer !== undefined || !stopped) {
          clearTimeout(timer);
          schedule();
        }
      }
    })();
    return running;
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    runNow,
  };
}
