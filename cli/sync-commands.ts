import type { Command } from 'commander';
import type { Store } from '../core/ports.js';
import { serverUrlSetting } from '../core/studio/sync-handlers.js';
import { normalizeServerUrl } from '../core/sync/client.js';
import type { OutboxEntry } from '../core/sync/ports.js';
import { createSyncService, type SyncRun } from '../core/sync/service.js';
import { CoursewrightError } from '../schemas/errors.js';
import { syncAnalyticsFromCli } from './analytics-commands.js';

export interface SyncCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (text: string) => void;
}

/**
 * The command line has no keychain: the author key comes from COURSEWRIGHT_SERVER_KEY, the
 * server address from --server or the studio's Settings → Servers.
 */
function serverKey(): string {
  const key = process.env.COURSEWRIGHT_SERVER_KEY?.trim();
  if (!key) throw new CoursewrightError('MISSING_API_KEY', 'Set COURSEWRIGHT_SERVER_KEY to an author key of the server (`coursewright server key create --tenant ID --role author` prints one); nothing was sent.');
  return key;
}

function serverFrom(store: Store, flag: string | undefined): string {
  if (flag) return normalizeServerUrl(flag);
  const configured = store.settings.get(serverUrlSetting);
  if (typeof configured === 'string' && configured) return configured;
  const servers = [...new Set(store.outbox.list({ state: 'pending' }).map((e) => e.serverUrl))];
  if (servers.length === 1) return servers[0]!;
  throw new CoursewrightError('USAGE', servers.length === 0 ? 'Name the server with --server URL (or set it in the studio under Settings → Servers).' : `The outbox holds packages for ${servers.join(' and ')}; pick one with --server URL.`);
}

const stateWords: Record<OutboxEntry['state'], string> = { pending: 'queued', sent: 'sent', live: 'live on server', failed: 'failed' };

function entryLine(entry: OutboxEntry, created: boolean | null, error: string | null): string {
  const what = `package v${entry.packageVersion} of ${entry.courseId} (${entry.packageId})`;
  if (entry.state === 'failed' || entry.state === 'pending') return `${stateWords[entry.state]}: ${what} — ${error ?? entry.lastError ?? ''}`;
  return `${stateWords[entry.state]}: ${what}${created === false ? ' (the server already had it)' : ''}, server version ${entry.serverVersion}`;
}

function runSummary(run: SyncRun, serverUrl: string): string {
  if (run.outcomes.length === 0) return `Nothing to send to ${serverUrl}: the outbox is empty.`;
  return [...run.outcomes.map((o) => entryLine(o.entry, o.created, o.error)), `${run.sent + run.live} sent (${run.live} live), ${run.retrying} still queued, ${run.failed} failed.`].join('\n');
}

/** `publish PACKAGE --server URL [--release]` and `sync [--server URL]`: the studio's outbox from a terminal. */
export function registerSyncCommands(program: Command, context: SyncCommandContext): void {
  const { session, print } = context;

  program
    .command('publish')
    .description('send a package to a hosted learner server (the same content twice is a no-op there); --release makes it the live version')
    .argument('<package>', 'package id (`coursewright package list COURSE`)')
    .option('--server <url>', 'the server, e.g. https://learn.example.org (default: the one in the studio settings)')
    .option('--release', 'make it the live version of its course on the server')
    .option('--by <name>', 'who is publishing')
    .action(async (packageId: string, opts: { server?: string; release?: boolean; by?: string }, cmd: Command) => {
      const s = session(cmd);
      const serverUrl = serverFrom(s.store, opts.server);
      const key = serverKey();
      const service = createSyncService({ store: s.store, outbox: s.store.outbox, keyFor: (url) => (url === serverUrl ? key : null), actor: () => s.actor(opts.by) });
      const outcome = await service.publish({ serverUrl, packageId, release: opts.release === true, onPhase: (phase, entry) => context.progress(`${phase}: package v${entry.packageVersion} → ${serverUrl}`) });
      if (outcome.queued) {
        throw new CoursewrightError('SERVER_UNAVAILABLE', `${outcome.error ?? `${serverUrl} did not answer.`} The package is queued in the outbox: run \`coursewright sync\` when the server is back (the studio also retries by itself).`, { outboxId: outcome.entry.id });
      }
      print(cmd, outcome, () => entryLine(outcome.entry, outcome.created, outcome.error));
    });

  program
    .command('sync')
    .description('send everything queued in the outbox to the hosted server now, then pull learner analytics and suggestions for this studio\'s courses')
    .option('--server <url>', 'the server (default: the one in the studio settings, or the only one the outbox holds)')
    .option('--by <name>', 'who is syncing')
    .action(async (opts: { server?: string; by?: string }, cmd: Command) => {
      const s = session(cmd);
      const serverUrl = serverFrom(s.store, opts.server);
      const key = serverKey();
      const service = createSyncService({ store: s.store, outbox: s.store.outbox, keyFor: (url) => (url === serverUrl ? key : null), actor: () => s.actor(opts.by) });
      const run = await service.flush({ serverUrl, due: false, trigger: 'cli' });
      // Learner analytics come back the same way: queued suggestion decisions out, the change feed in.
      const analytics = run.retrying > 0 ? null : await syncAnalyticsFromCli(s.store, serverUrl, key, () => s.actor(opts.by));
      print(
        cmd,
        { serverUrl, sent: run.sent, live: run.live, failed: run.failed, retrying: run.retrying, entries: run.outcomes.map((o) => ({ ...o.entry, created: o.created })), ...(analytics ? { analytics: { received: analytics.pull.received, applied: analytics.pull.applied, cursor: analytics.pull.cursorAfter, decisions: { delivered: analytics.delivery.delivered, refused: analytics.delivery.refused, queued: analytics.delivery.queued } } } : {}) },
        () => [runSummary(run, serverUrl), ...(analytics ? [analytics.summary] : [])].join('\n'),
      );
      // A script learns from the exit code whether everything went: unavailable first, then refusals.
      const firstFailure = run.outcomes.find((o) => o.entry.state === 'failed');
      if (run.retrying > 0) throw new CoursewrightError('SERVER_UNAVAILABLE', `${serverUrl} did not answer; ${run.retrying} package(s) stay queued.`);
      if (firstFailure) {
        const code = firstFailure.entry.lastErrorCode;
        throw new CoursewrightError(code === 'CONFLICT' || code === 'UNAUTHORIZED' || code === 'NOT_FOUND' || code === 'INVALID_INPUT' ? code : 'INTERNAL', `${run.failed} package(s) were refused: ${firstFailure.error}`);
      }
    });
}
