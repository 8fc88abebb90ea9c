import type { ContentItem } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import { createLineage } from '../lineage/lineage.js';
import type { Store } from '../ports.js';
import { createRegenerationService } from '../regeneration/service.js';
import type { StudioHandlers } from './dispatch.js';

/**
 * "Where this came from" (the lineage of any content or syllabus version), and the job an accepted
 * suggestion asks for, so the job's source names the suggestion and its signal.
 */
export function createLineageHandlers(context: { store: Store; actor: () => string }): Pick<StudioHandlers, 'lineage.show' | 'jobs.createFromSuggestion'> {
  const { store } = context;
  const lineage = createLineage({ store });
  const regeneration = createRegenerationService({ store });

  function findSuggestion(id: string) {
    for (const serverUrl of store.analytics.syncedServers()) {
      const found = store.analytics.suggestion(serverUrl, id);
      // Until the server answers, this studio's own decision (in its outbox) is the suggestion's status.
      const decided = found && store.analytics.decision(serverUrl, id);
      if (found) return decided && found.status === 'OPEN' ? { ...found, status: decided.decision === 'accept' ? ('ACCEPTED' as const) : ('DISMISSED' as const) } : found;
    }
    throw new CoursewrightError('NOT_FOUND', `No suggestion "${id}" has been synced to this studio. Open the Suggestions queue to see the ones it has.`, { suggestionId: id });
  }

  /** The item the suggestion is about: the version in the package learners saw, or the newest version of the same item when that one moved on. */
  function targetItem(suggestion: ReturnType<typeof findSuggestion>): ContentItem {
    const { target } = suggestion;
    const packaged = store.packages.list(suggestion.courseId).find((p) => p.version === target.packageVersion);
    const hashes = packaged ? store.packages.get(packaged.id)!.itemHashes : [];
    const entry = target.quizItemId
      ? hashes.find((h) => h.itemId === target.quizItemId)
      : target.lessonId && (target.kind === 'lesson' || target.kind === 'course')
        ? hashes.find((h) => h.kind === 'lesson' && h.targetId === target.lessonId)
        : undefined;
    const seen = entry ? store.content.get(entry.itemId) : target.quizItemId ? store.content.get(target.quizItemId) : undefined;
    if (!seen) {
      throw new CoursewrightError('CONFLICT', `Suggestion ${suggestion.id} is about ${target.kind === 'course' ? 'the course as a whole' : `a ${target.kind} this studio has no version of`}; no regeneration job can answer it. Change the course by hand, or dismiss the suggestion with a reason.`, { suggestionId: suggestion.id });
    }
    const versions = store.content.listBySyllabusVersion(seen.syllabusVersionId).filter((i) => i.kind === seen.kind && i.targetId === seen.targetId);
    return versions.reduce((latest, item) => (item.version > latest.version ? item : latest), seen);
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
      const item = targetItem(suggestion);
      return regeneration.createJob({ targetItemId: item.id, instruction: instruction ?? suggestion.draftInstruction, actor: context.actor(), source: { type: 'suggestion', suggestionId: suggestion.id, signalId: suggestion.signalId } });
    },
  };
}
