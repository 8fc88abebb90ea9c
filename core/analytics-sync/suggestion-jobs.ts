import type { ContentSuggestion, SuggestionKind } from '../../schemas/analytics.js';
import type { ContentItem } from '../../schemas/content.js';
import { describeJobTarget } from '../regeneration/targets.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { createRegenerationService } from '../regeneration/service.js';

/**
 * Where a suggestion's change is written: its quiz (only the question it names, when it names
 * one), its lesson, or the syllabus (a new lesson, an estimate, the course's structure), which a
 * syllabus job writes as a new syllabus DRAFT from the course's latest version; approved versions
 * are never touched, and content follows only once that draft is approved (invariant 1).
 */
export const suggestionChangesIn: Readonly<Record<SuggestionKind, 'quiz' | 'lesson' | 'syllabus'>> = {
  check_answer_key: 'quiz',
  rewrite_question: 'quiz',
  replace_distractor: 'quiz',
  // "Add a worked example to the lesson before its quiz; leave the quiz as it is."
  add_worked_example: 'lesson',
  shorten_lesson: 'lesson',
  split_lesson: 'syllabus',
  adjust_estimate: 'syllabus',
  review_course_structure: 'syllabus',
};

/** What accepting a suggestion did about its regeneration job. */
export type SuggestionJobOutcome =
  | { job: RegenerationJob; created: boolean; reason: null }
  /** No job: why, in words the designer acts on. */
  | { job: null; created: false; reason: string };

export interface SuggestionJobsDeps {
  store: Store;
  clock?: Clock;
  ids?: IdGenerator;
}

/**
 * The regeneration job an accepted suggestion asks for (issue 13: "accepting a suggestion creates
 * its job"): PENDING, with the suggestion's draft instruction, its source the suggestion and its
 * signal, on the latest version of the item learners saw. A suggestion has at most one such job:
 * asking again answers the job it already has and creates nothing.
 */
export function createSuggestionJobs(deps: SuggestionJobsDeps) {
  const { store } = deps;
  const regeneration = createRegenerationService({ store, ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.ids ? { ids: deps.ids } : {}) });

  function existingJob(suggestion: Pick<ContentSuggestion, 'id'> & { courseId: string }): RegenerationJob | undefined {
    // Oldest first: if a retry chain grew from it, the job the acceptance created is the one named.
    return store.regeneration
      .listJobs({ courseId: suggestion.courseId })
      .filter((job) => job.source.type === 'suggestion' && job.source.suggestionId === suggestion.id)
      .at(-1);
  }

  /** The version learners saw (from the package the signal names), then the newest version of that item in the same syllabus. */
  function targetItem(suggestion: ContentSuggestion & { courseId: string }, changesIn: 'quiz' | 'lesson'): ContentItem | string {
    const { target } = suggestion;
    const packaged = store.packages.list(suggestion.courseId).find((p) => p.version === target.packageVersion);
    const hashes = packaged ? (store.packages.get(packaged.id)?.itemHashes ?? []) : [];
    const entry = changesIn === 'quiz' ? hashes.find((h) => h.kind === 'quiz' && h.itemId === target.quizItemId) : hashes.find((h) => h.kind === 'lesson' && h.targetId === target.lessonId);
    const seenId = entry?.itemId ?? (changesIn === 'quiz' ? target.quizItemId : null);
    const seen = seenId ? store.content.get(seenId) : undefined;
    if (!seen) {
      const what = changesIn === 'quiz' ? `quiz ${target.quizItemId ?? '(none named)'}` : `the lesson of lesson ${target.lessonId ?? '(none named)'}`;
      return `this studio has no version of ${what} from package v${target.packageVersion}, so there is nothing to regenerate. Make the change by hand.`;
    }
    const versions = store.content.listBySyllabusVersion(seen.syllabusVersionId).filter((item) => item.kind === seen.kind && item.targetId === seen.targetId);
    return versions.reduce((latest, item) => (item.version > latest.version ? item : latest), seen);
  }

  /** The course's latest syllabus version (a syllabus job writes the next one from it), or why there is none. */
  function latestSyllabus(courseId: string): { id: string } | string {
    const latest = store.syllabi.listByCourse(courseId).reduce<{ id: string; version: number } | undefined>((found, v) => (!found || v.version > found.version ? v : found), undefined);
    return latest ?? `course ${courseId} has no syllabus in this studio, so there is nothing to regenerate. Make the change by hand.`;
  }

  /**
   * The job of an accepted suggestion: the one it already has, or a new PENDING one — on the
   * question it names (only that question is rewritten), its quiz or lesson, or the syllabus.
   * Never throws for what stands in the way of a job (a target busy with another job, a version
   * in review): the acceptance is already recorded, so the outcome says why there is no job and
   * what to do instead.
   */
  function jobForAccepted(suggestion: ContentSuggestion & { courseId: string }, actor: string, instruction?: string): SuggestionJobOutcome {
    const existing = existingJob(suggestion);
    if (existing) return { job: existing, created: false, reason: null };
    const changesIn = suggestionChangesIn[suggestion.kind];
    const target = changesIn === 'syllabus' ? latestSyllabus(suggestion.courseId) : targetItem(suggestion, changesIn);
    if (typeof target === 'string') return { job: null, created: false, reason: target };
    const questionId = changesIn === 'quiz' ? suggestion.target.questionId : null;
    try {
      const job = regeneration.createJob({
        targetItemId: target.id,
        ...(questionId ? { targetQuestionId: questionId } : {}),
        instruction: instruction ?? suggestion.draftInstruction,
        actor,
        source: { type: 'suggestion', suggestionId: suggestion.id, signalId: suggestion.signalId },
      });
      return { job, created: true, reason: null };
    } catch (error) {
      if (!(error instanceof CoursewrightError)) throw error;
      return { job: null, created: false, reason: error.message };
    }
  }

  return { existingJob, jobForAccepted };
}

export type SuggestionJobs = ReturnType<typeof createSuggestionJobs>;

/** One sentence for the decision's message, the same in the studio and on the command line. */
export function suggestionJobSentence(outcome: SuggestionJobOutcome): string {
  if (!outcome.job) return `No regeneration job was created: ${outcome.reason}`;
  const { job } = outcome;
  const what = describeJobTarget(job);
  if (!outcome.created) return `Its regeneration job is ${job.id} (${job.status}) for ${what}.`;
  return `Regeneration job ${job.id} for ${what} is PENDING: nothing runs until someone triggers it (the Jobs page, or \`coursewright jobs trigger ${job.id}\`).`;
}
