import type { StudioEvent } from '../../schemas/api.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { OutboxEntryView, ServerSettings } from '../../schemas/sync.js';
import type { Clock, KeyStore, Store } from '../ports.js';
import { normalizeServerUrl, serverOrigin } from '../sync/client.js';
import type { OutboxEntry } from '../sync/ports.js';
import { createSyncService, type SyncServiceOptions } from '../sync/service.js';
import type { StudioHandlers } from './dispatch.js';

/** Settings keys: the server address, and the origin the stored author key was entered for. */
export const serverUrlSetting = 'syncServerUrl';
const serverKeyOriginSetting = 'syncServerKeyOrigin';

export interface SyncHandlerContext {
  store: Store;
  /** Where the author key lives: the OS keychain on the desktop, memory when served; never SQLite. */
  serverKeys: KeyStore;
  actor: () => string;
  emit: (event: StudioEvent) => void;
  clock?: Clock;
  fetch?: typeof fetch;
}

export function outboxEntryView(entry: OutboxEntry): OutboxEntryView {
  return {
    id: entry.id,
    serverUrl: entry.serverUrl,
    packageId: entry.packageId,
    courseId: entry.courseId,
    packageVersion: entry.packageVersion,
    contentHash: entry.contentHash,
    releaseWanted: entry.releaseWanted,
    state: entry.state,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt,
    lastError: entry.lastError,
    serverVersion: entry.serverVersion,
    updatedAt: entry.updatedAt,
    sentAt: entry.sentAt,
  };
}

/**
 * The configured server and its key. As with model keys, a stored key belongs to the origin it
 * was entered for: after the address moves to another origin the key is sent nowhere until it
 * is entered again, so changing a setting alone never hands the key to a new address. A key that
 * arrived without a recorded origin (the keychain at start) belongs to the address in force.
 */
export function createServerSettings(store: Store, serverKeys: KeyStore) {
  const configuredUrl = (): string | null => {
    const value = store.settings.get(serverUrlSetting);
    return typeof value === 'string' && value ? value : null;
  };
  const keyFor = (serverUrl: string): string | null => {
    const key = serverKeys.get();
    if (!key) return null;
    const boundTo = store.settings.get(serverKeyOriginSetting);
    const current = configuredUrl();
    const origin = typeof boundTo === 'string' ? boundTo : current ? serverOrigin(current) : undefined;
    return origin !== undefined && origin === serverOrigin(serverUrl) ? key : null;
  };
  const view = (): ServerSettings => {
    const url = configuredUrl();
    return {
      serverUrl: url,
      hasKey: url !== null && keyFor(url) !== null,
      keyNeedsReentry: Boolean(serverKeys.get()) && (url === null || keyFor(url) === null),
      keyStorage: serverKeys.kind,
    };
  };
  return { configuredUrl, keyFor, view };
}

/** Settings → Servers, "Publish to server" and the outbox, for every transport. */
export function createSyncHandlers(context: SyncHandlerContext): Pick<StudioHandlers, 'sync.settings' | 'sync.updateServer' | 'sync.setServerKey' | 'sync.testConnection' | 'sync.status' | 'sync.flush' | 'packages.publish'> {
  const { store, serverKeys } = context;
  const servers = createServerSettings(store, serverKeys);
  const serviceOptions: SyncServiceOptions = { store, outbox: store.outbox, keyFor: servers.keyFor, actor: context.actor, ...(context.clock ? { clock: context.clock } : {}), ...(context.fetch ? { fetch: context.fetch } : {}) };
  const sync = createSyncService(serviceOptions);

  const requireServer = (): string => {
    const url = servers.configuredUrl();
    if (!url) throw new CoursewrightError('USAGE', 'No hosted server is set. Enter its address in Settings → Servers first.');
    return url;
  };
  const settingsChanged = (changed: string[], extra: Record<string, unknown> = {}) =>
    store.audit.append({ actor: context.actor(), action: 'settings.changed', entityType: 'settings', entityId: 'studio', metadata: { changed, ...extra } });

  return {
    'sync.settings': () => servers.view(),
    'sync.updateServer': ({ serverUrl }) => {
      const next = serverUrl ? normalizeServerUrl(serverUrl) : null;
      const before = servers.configuredUrl();
      store.transaction(() => {
        // Pin a key that arrived without an origin to the address it was in force for, before moving.
        if (serverKeys.get() && store.settings.get(serverKeyOriginSetting) === undefined && before) store.settings.set(serverKeyOriginSetting, serverOrigin(before));
        store.settings.set(serverUrlSetting, next ?? '');
        settingsChanged(['serverUrl'], { serverFrom: before, serverTo: next });
      });
      return servers.view();
    },
    'sync.setServerKey': ({ serverKey }) => {
      const url = requireServer();
      const stored = serverKey.trim() ? serverKey.trim() : null;
      store.transaction(() => {
        serverKeys.set(stored);
        store.settings.set(serverKeyOriginSetting, serverOrigin(url));
        settingsChanged(['serverKey'], { stored: Boolean(stored), server: url });
      });
      return servers.view();
    },
    'sync.testConnection': () => sync.testConnection(requireServer()),
    'sync.status': ({ courseId }) => {
      const url = servers.configuredUrl();
      return { serverUrl: url, entries: url ? store.outbox.list({ serverUrl: url, ...(courseId ? { courseId } : {}) }).map(outboxEntryView) : [] };
    },
    'sync.flush': async () => {
      const url = requireServer();
      if (!servers.keyFor(url)) throw new CoursewrightError('MISSING_API_KEY', `No author key for ${url}. Enter one in Settings → Servers.`);
      const run = await sync.flush({ serverUrl: url, due: false, trigger: 'studio' });
      return { sent: run.sent, live: run.live, failed: run.failed, retrying: run.retrying, waitingForKey: run.waitingForKey, entries: run.outcomes.map((o) => outboxEntryView(o.entry)) };
    },
    'packages.publish': async ({ packageId, release, runId }) => {
      const url = requireServer();
      const phaseWords = { queued: 'Queued', uploading: 'Uploading', releasing: 'Making it live', done: 'Done', waiting: 'The server did not answer; waiting to retry', failed: 'Refused' } as const;
      const outcome = await sync.publish({
        serverUrl: url,
        packageId,
        release,
        onPhase: (phase, entry) => context.emit({ type: 'sync.publish', runId, packageId, phase, message: `${phaseWords[phase]}: package v${entry.packageVersion} to ${entry.serverUrl}` }),
      });
      const entry = outcome.entry;
      const message = outcome.queued
        ? `The server did not answer, so package v${entry.packageVersion} waits in the outbox; the studio sends it when ${entry.serverUrl} is back. (${outcome.error ?? 'already being sent'})`
        : `${outcome.created === false ? `The server already had package v${entry.packageVersion}; nothing new was stored.` : `Package v${entry.packageVersion} uploaded.`}${entry.state === 'live' ? ' It is the live version on the server.' : ''}`;
      return { entry: outboxEntryView(entry), created: outcome.created, queued: outcome.queued, message };
    },
  };
}
