import type { ContentItem, Quiz } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { RegenerationJob, RegenerationTargetKind } from '../../schemas/regeneration.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import type { ModelProvider, ModerationHook } from '../ai/port.js';
import { composeModelProvider } from '../ai/resilience.js';
import type { ContentEngine } from '../content/engine.js';
import { regenerateQuizQuestion, withQuestion } from '../content/question.js';
import { crossCheckContent } from '../content/validate.js';
import { canonicalJson, contentHash } from '../hash.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { reviseSyllabusWithModel } from '../syllabus/revise-with-model.js';

/** The syllabus's target reference: a course has one syllabus, so one active syllabus job at a time. */
export const syllabusTargetRef = 'syllabus';

/** What a job regenerates, resolved from the version it names (and a question id for one question). */
export interface RegenerationTarget {
  courseId: string;
  kind: RegenerationTargetKind;
  /** The content item or syllabus version the job starts from. */
  itemId: string;
  ref: string;
  questionId: string | null;
}

/** The version a job wrote: a content item or a syllabus version. */
export interface RegenerationOutput {
  kind: 'content' | 'syllabus';
  id: string;
  version: number;
}

/** A target as people read it: "quiz lesson-2", "question q3 of quiz lesson-2", "the syllabus". */
export function describeJobTarget(job: Pick<RegenerationJob, 'targetKind' | 'targetRef' | 'targetQuestionId'>): string {
  if (job.targetKind === 'syllabus') return 'the syllabus';
  if (job.targetKind === 'question') return `question ${job.targetQuestionId} of quiz ${job.targetRef}`;
  return `${job.targetKind} ${job.targetRef}`;
}

export interface DraftRequest {
  actor: string;
  models: ModelProvider[];
  instruction: string;
  moderation?: ModerationHook;
  signal?: AbortSignal;
}

/**
 * Question and syllabus targets beside the content engine's lesson, quiz and project: resolving a
 * target when a job is created (and again when it saves), asking the model, and saving the new
 * draft. Saving re-checks what may have changed during the model call, as content drafts do.
 */
export function createRegenerationTargets(deps: { store: Store; content: ContentEngine; clock: Clock; ids: IdGenerator }) {
  const { store, content, clock, ids } = deps;
  const now = () => clock.now().toISOString();

  function requireQuestion(quiz: ContentItem, questionId: string): void {
    if (quiz.kind !== 'quiz') {
      throw new CoursewrightError('INVALID_INPUT', `${quiz.id} is a ${quiz.kind}, not a quiz: only a quiz has questions to regenerate one by one. Leave out the question to regenerate the whole ${quiz.kind}.`);
    }
    const questions = (quiz.content as Quiz).questions;
    if (!questions.some((q) => q.id === questionId)) {
      throw new CoursewrightError('NOT_FOUND', `Quiz ${quiz.id} (v${quiz.version}) has no question "${questionId}"; its questions are ${questions.map((q) => q.id).join(', ')}.`, { questionId });
    }
  }

  /**
   * A syllabus job starts from the course's latest syllabus version, which must not be waiting for
   * review; its output is a new draft after it (an approved version is never touched).
   */
  function requireRevisableSyllabus(versionId: string): SyllabusVersion {
    const version = store.syllabi.get(versionId);
    if (!version) throw new CoursewrightError('NOT_FOUND', `No syllabus version "${versionId}". List a course's versions with \`coursewright syllabus list COURSE\`.`, { versionId });
    const latest = store.syllabi.listByCourse(version.courseId).reduce((a, b) => (b.version > a.version ? b : a), version);
    if (latest.id !== version.id) {
      throw new CoursewrightError('CONFLICT', `Syllabus v${version.version} (${version.id}) is not the course's latest version: v${latest.version} (${latest.id}) is. Regenerate from that one.`, { latestId: latest.id });
    }
    if (version.status === 'IN_REVIEW') throw new CoursewrightError('CONFLICT', `Syllabus v${version.version} (${version.id}) is in review; a reviewer must approve or reject it before a new version is written from it.`);
    return version;
  }

  /** The target a job on this version (and question) would have; refuses what cannot be regenerated now. */
  function resolve(itemId: string, questionId?: string | null): RegenerationTarget {
    const item = store.content.get(itemId);
    if (item) {
      const base = content.requireRegenerable(item.id);
      if (questionId) {
        requireQuestion(base, questionId);
        return { courseId: base.courseId, kind: 'question', itemId: base.id, ref: base.targetId, questionId };
      }
      return { courseId: base.courseId, kind: base.kind, itemId: base.id, ref: base.targetId, questionId: null };
    }
    if (store.syllabi.get(itemId)) {
      if (questionId) throw new CoursewrightError('INVALID_INPUT', `${itemId} is a syllabus version; a question belongs to a quiz. Name a quiz version with the question, or leave the question out.`);
      const version = requireRevisableSyllabus(itemId);
      return { courseId: version.courseId, kind: 'syllabus', itemId: version.id, ref: syllabusTargetRef, questionId: null };
    }
    throw new CoursewrightError('NOT_FOUND', `No lesson, quiz, project or syllabus version "${itemId}". Find ids with \`coursewright content list COURSE\` or \`coursewright syllabus list COURSE\`.`, { targetItemId: itemId });
  }

  const provider = (courseId: string, models: ModelProvider[]) => composeModelProvider(models, { ledger: store.ledger, courseId, clock });

  /** Asks the model for a question or syllabus job's new version; returns how to save it (inside the job's completion transaction). */
  async function draft(job: RegenerationJob, request: DraftRequest): Promise<() => RegenerationOutput> {
    if (job.targetKind === 'question') return draftQuestion(job, request);
    if (job.targetKind === 'syllabus') return draftSyllabus(job, request);
    throw new CoursewrightError('INTERNAL', `Job ${job.id} regenerates a ${job.targetKind}, which the content engine writes.`);
  }

  async function draftQuestion(job: RegenerationJob, request: DraftRequest): Promise<() => RegenerationOutput> {
    const questionId = job.targetQuestionId!;
    const base = store.content.get(job.targetItemId);
    if (!base) throw new CoursewrightError('NOT_FOUND', `Quiz version ${job.targetItemId} is missing.`);
    if (base.status === 'IN_REVIEW') throw new CoursewrightError('CONFLICT', `Quiz ${base.id} is in review; a reviewer must approve or reject it before a question of it is regenerated.`);
    const onto = rebaseTarget(base, questionId);
    requireQuestion(onto, questionId);
    const syllabus = store.syllabi.get(base.syllabusVersionId);
    if (!syllabus || syllabus.status !== 'APPROVED') throw new CoursewrightError('CONFLICT', `Quiz ${base.id} was written for a syllabus version that is not approved; content is written only from an approved syllabus.`);
    // As for whole items: only the latest approved syllabus counts towards the course being ready.
    const latestApproved = store.syllabi.listByCourse(base.courseId).filter((v) => v.status === 'APPROVED').at(-1);
    if (latestApproved && latestApproved.id !== syllabus.id) {
      throw new CoursewrightError('CONFLICT', `Quiz ${base.id} was written for syllabus v${syllabus.version}, but the course's approved syllabus is now v${latestApproved.version}. Generate content for it instead: \`coursewright content generate ${base.courseId}\`.`);
    }
    const quiz = onto.content as Quiz;
    const generated = await regenerateQuizQuestion(
      { syllabus: syllabus.syllabus, syllabusVersionId: syllabus.id, lessonId: base.targetId, quiz, questionId, instruction: request.instruction },
      { provider: provider(base.courseId, request.models), ...(request.moderation ? { moderation: request.moderation } : {}), ...(request.signal ? { signal: request.signal } : {}) },
    );
    const question = generated.content.questions.find((q) => q.id === questionId)!;
    if (canonicalJson(question) === canonicalJson(quiz.questions.find((q) => q.id === questionId))) {
      throw new CoursewrightError('CONFLICT', `Regenerating question ${questionId} with that instruction gave the same question as v${onto.version}; no new version was saved. Try a different instruction, or edit it by hand.`, { unchanged: true });
    }
    return () => {
      // Checked again at save time: another question job may have saved its draft during the model call.
      const current = rebaseTarget(base, questionId);
      const quizContent = withQuestion(current.content as Quiz, question);
      const problems = crossCheckContent('quiz', quizContent, syllabus.syllabus, syllabus.id, base.targetId);
      if (problems.length) throw new CoursewrightError('CONFLICT', `Question ${questionId} no longer fits v${current.version} (${current.id}): ${problems.join('; ')}. Create a new job on that version.`);
      const saved = content.saveRegeneration({ base: current, syllabusVersionId: syllabus.id, generated: { ...generated, content: quizContent }, actor: job.createdBy, instruction: request.instruction, questionId });
      return { kind: 'content', id: saved.id, version: saved.version };
    };
  }

  /**
   * The version a question job saves onto. Usually the one it started from; but jobs on other
   * questions of the same quiz may have completed meanwhile (they do not exclude each other), and
   * their draft is then the quiz's live version. The question goes onto that draft when the draft
   * descends from the job's version and still has this question exactly as the job saw it, so
   * each question job changes only its own question and none undoes another's. Anything else (a
   * version in review, the question changed by someone else) refuses, and nothing is saved.
   */
  function rebaseTarget(base: ContentItem, questionId: string): ContentItem {
    const live = store.content.listLiveVersions(base.syllabusVersionId, 'quiz', base.targetId).find((item) => item.id !== base.id);
    if (!live) return base;
    const wayOut = `Create a new job on v${live.version} (${live.id}) if the question still needs it.`;
    if (live.status !== 'DRAFT') throw new CoursewrightError('CONFLICT', `Quiz ${base.targetId} has v${live.version} (${live.id}) in review since this job started; question ${questionId} was not saved. ${wayOut}`, { liveId: live.id });
    let step: ContentItem | undefined = live;
    while (step && step.id !== base.id) step = step.review.basedOnId ? store.content.get(step.review.basedOnId) : undefined;
    const same = (item: ContentItem) => canonicalJson((item.content as Quiz).questions.find((q) => q.id === questionId) ?? null);
    if (!step || same(live) !== same(base)) {
      throw new CoursewrightError('CONFLICT', `Quiz ${base.targetId} has a newer draft, v${live.version} (${live.id}), in which question ${questionId} is not what this job started from; nothing was saved. ${wayOut}`, { liveId: live.id });
    }
    return live;
  }

  async function draftSyllabus(job: RegenerationJob, request: DraftRequest): Promise<() => RegenerationOutput> {
    const base = requireRevisableSyllabus(job.targetItemId);
    const course = store.courses.get(base.courseId);
    if (!course) throw new CoursewrightError('NOT_FOUND', `Course ${base.courseId} is missing.`);
    const generated = await reviseSyllabusWithModel(
      { intent: course.intent, syllabus: base.syllabus, instruction: request.instruction },
      { provider: provider(base.courseId, request.models), ...(request.moderation ? { moderation: request.moderation } : {}), ...(request.signal ? { signal: request.signal } : {}) },
    );
    if (contentHash(generated.syllabus) === base.review.contentHash) {
      throw new CoursewrightError('CONFLICT', `Regenerating the syllabus with that instruction gave the same syllabus as v${base.version}; no new version was saved. Try a different instruction, or edit it by hand.`, { unchanged: true });
    }
    return () => {
      // Checked again at save time: someone may have written or submitted a version during the model call.
      const current = requireRevisableSyllabus(base.id);
      const version = store.syllabi.nextVersionNumber(current.courseId);
      const id = ids.newId('syl');
      const createdAt = now();
      store.syllabi.insert({
        id,
        courseId: current.courseId,
        version,
        status: 'DRAFT',
        syllabus: generated.syllabus,
        metadata: {
          version,
          createdBy: job.createdBy,
          createdAt,
          promptVersion: generated.promptVersion,
          provider: generated.provider,
          model: generated.model,
          params: { attempts: generated.attempts, usage: generated.usage, instruction: request.instruction, revisedFrom: current.version },
        },
        warnings: generated.warnings,
        basedOnId: current.id,
        contentHash: contentHash(generated.syllabus),
        createdAt,
      });
      if (current.status === 'DRAFT') store.syllabi.changeStatus(current.id, { status: 'SUPERSEDED', at: createdAt });
      store.audit.append({ actor: job.createdBy, action: 'syllabus.generated', entityType: 'syllabus_version', entityId: id, metadata: { courseId: current.courseId, version, basedOn: current.id, jobId: job.id, provider: generated.provider, model: generated.model, attempts: generated.attempts } });
      return { kind: 'syllabus', id, version };
    };
  }

  return { resolve, draft, describe: describeJobTarget };
}

export type RegenerationTargets = ReturnType<typeof createRegenerationTargets>;
