import { CoursewrightError } from '../../schemas/errors.js';
import type { Clock, KeyStore, Store } from '../ports.js';
import { createAnalyticsSync } from '../analytics-sync/service.js';
import { createSuggestionJobs, suggestionJobSentence } from '../analytics-sync/suggestion-jobs.js';
import { analyticsServer, compareView, courseAnalyticsView, requireCourse, suggestionView, suggestionViews } from '../analytics-sync/views.js';
import type { StudioHandlers } from './dispatch.js';
import { createServerSettings } from './sync-handlers.js';

export interface AnalyticsHandlerContext {
  store: Store;
  serverKeys: KeyStore;
  actor: () => string;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** The Analytics page and the Suggestions queue, from the studio's own tables; decisions go to the server or wait in its outbox. */
export function createAnalyticsHandlers(context: AnalyticsHandlerContext): Pick<StudioHandlers, 'analytics.course' | 'analytics.compare' | 'suggestions.list' | 'suggestions.accept' | 'suggestions.dismiss'> {
  const { store } = context;
  const servers = createServerSettings(store, context.serverKeys);
  const sync = createAnalyticsSync({ store, keyFor: servers.keyFor, actor: context.actor, ...(context.clock ? { clock: context.clock } : {}), ...(context.fetch ? { fetch: context.fetch } : {}) });
  const server = () => analyticsServer(store, servers.configuredUrl());
  const suggestionJobs = createSuggestionJobs({ store, ...(context.clock ? { clock: context.clock } : {}) });

  const decide = async (id: string, decision: 'accept' | 'dismiss', reason?: string) => {
    const serverUrl = server();
    if (!serverUrl) throw new CoursewrightError('NOT_FOUND', `No suggestion "${id}": nothing has been synced from a hosted server yet. Set one in Settings → Servers.`, { suggestionId: id });
    const outcome = await sync.decide({ serverUrl, suggestionId: id, decision, reason: reason ?? null });
    const stored = store.analytics.suggestion(serverUrl, id)!;
    const view = suggestionView(stored, outcome.decision, store.courses.get(stored.courseId)?.title ?? null);
    const verb = decision === 'accept' ? 'Accepted' : 'Dismissed';
    const message = outcome.delivered
      ? `${verb}; ${serverUrl} has the decision.`
      : `${verb} here; the decision waits in the outbox and goes to ${serverUrl} when it answers${outcome.error ? ` (${outcome.error})` : ''}.`;
    return { suggestion: view, delivered: outcome.delivered, message, stored };
  };

  /** Accepting also creates the suggestion's regeneration job (PENDING); accepting again is refused and names that job. */
  const accept = async (id: string) => {
    let decided: Awaited<ReturnType<typeof decide>>;
    try {
      decided = await decide(id, 'accept');
    } catch (error) {
      const serverUrl = server();
      const stored = serverUrl ? store.analytics.suggestion(serverUrl, id) : undefined;
      const job = error instanceof CoursewrightError && error.code === 'CONFLICT' && stored ? suggestionJobs.existingJob(stored) : undefined;
      if (!job) throw error;
      const conflict = error as CoursewrightError;
      throw new CoursewrightError('CONFLICT', `${conflict.message} ${suggestionJobSentence({ job, created: false, reason: null })}`, { ...(conflict.details as Record<string, unknown> | undefined), jobId: job.id });
    }
    const { stored, ...result } = decided;
    const outcome = suggestionJobs.jobForAccepted(stored, context.actor());
    return { ...result, job: outcome.job, message: `${result.message} ${suggestionJobSentence(outcome)}` };
  };

  return {
    'analytics.course': (input) => courseAnalyticsView(store, server(), input),
    'analytics.compare': (input) => compareView(store, server(), input),
    'suggestions.list': ({ courseId, status }) => {
      if (courseId) requireCourse(store, courseId);
      const serverUrl = server();
      return serverUrl ? suggestionViews(store, serverUrl, { ...(courseId ? { courseId } : {}), ...(status ? { status } : {}) }) : [];
    },
    'suggestions.accept': ({ id }) => accept(id),
    'suggestions.dismiss': async ({ id, reason }) => {
      const { stored: _stored, ...result } = await decide(id, 'dismiss', reason);
      return result;
    },
  };
}
