import { CoursewrightError } from '../../schemas/errors.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import { createLineage } from '../lineage/lineage.js';
import type { Store } from '../ports.js';
import { createSuggestionJobs } from '../analytics-sync/suggestion-jobs.js';
import type { StudioHandlers } from './dispatch.js';

/**
 * "Where this came from" (the lineage of any content or syllabus version), and the job an accepted
 * suggestion asks for, so the job's source names the suggestion and its signal.
 */
export function createLineageHandlers(context: { store: Store; actor: () => string }): Pick<StudioHandlers, 'lineage.show' | 'jobs.createFromSuggestion'> {
  const { store } = context;
  const lineage = createLineage({ store });
  const suggestionJobs = createSuggestionJobs({ store });

  function findSuggestion(id: string) {
    for (const serverUrl of store.analytics.syncedServers()) {
      const found = store.analytics.suggestion(serverUrl, id);
      // Until the server answers, this studio's own decision (in its outbox) is the suggestion's status.
      const decided = found && store.analytics.decision(serverUrl, id);
      if (found) return decided && found.status === 'OPEN' ? { ...found, status: decided.decision === 'accept' ? ('ACCEPTED' as const) : ('DISMISSED' as const) } : found;
    }
    throw new CoursewrightError('NOT_FOUND', `No suggestion "${id}" has been synced to this studio. Open the Suggestions queue to see the ones it has.`, { suggestionId: id });
  }

  return {
    'lineage.show': ({ itemId, versionId }) => lineage.show((itemId ?? versionId)!),
    'jobs.createFromSuggestion': ({ suggestionId, instruction }): RegenerationJob => {
      const suggestion = findSuggestion(suggestionId);
      const existing = store.regeneration.listJobs({ courseId: suggestion.courseId }).find((job) => job.source.type === 'suggestion' && job.source.suggestionId === suggestion.id);
      if (existing) return existing;
      if (suggestion.status !== 'ACCEPTED') {
        throw new CoursewrightError('CONFLICT', `Suggestion ${suggestion.id} is ${suggestion.status === 'OPEN' ? 'still open: accept it first' : 'dismissed'}; only an accepted suggestion becomes a job.`, { suggestionId: suggestion.id, status: suggestion.status });
      }
      // The same target and source as accepting gives (core/analytics-sync/suggestion-jobs.ts).
      const outcome = suggestionJobs.jobForAccepted(suggestion, context.actor(), instruction);
      if (!outcome.job) throw new CoursewrightError('CONFLICT', `Suggestion ${suggestion.id} gets no regeneration job: ${outcome.reason}`, { suggestionId: suggestion.id });
      return outcome.job;
    },
  };
}
