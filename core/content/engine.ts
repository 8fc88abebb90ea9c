import type { ContentItem, ContentKind } from '../../schemas/content.js';
import type { CourseStatus } from '../../schemas/course.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import type { ModelProvider, ModerationHook } from '../ai/port.js';
import { composeModelProvider, type CircuitBreakerRegistry } from '../ai/resilience.js';
import { asCoursewrightError } from '../failures.js';
import { contentHash } from '../hash.js';
import { randomIds, systemClock } from '../ids.js';
import { courseTransitions, evaluateTransition, requiredProjectModules, type UnmetRule } from '../lifecycle/course-lifecycle.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { generateContentItem, type GeneratedContent } from './generate.js';
import { requireSeparateReviewer, samePerson, separationOfDutiesOn } from '../review/separation.js';

export interface ContentUnit {
  kind: ContentKind;
  targetId: string;
}

export interface ContentFilter {
  moduleId?: string | undefined;
  lessonId?: string | undefined;
  kind?: ContentKind | undefined;
}

export interface ContentProgress {
  done: number;
  failed: number;
  remaining: number;
  skipped: number;
  tokens: number;
  last?: { unit: ContentUnit; outcome: 'generated' | 'failed' | 'skipped'; message?: string };
}

export interface ContentRunRequest {
  actor: string;
  models: ModelProvider[];
  moderation?: ModerationHook;
  filter?: ContentFilter;
  syllabusVersionId?: string;
  /** How many model calls run at once (default 4). */
  concurrency?: number;
  maxRepairs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ContentProgress) => void;
  retrySleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ContentRunSummary {
  syllabusVersionId: string;
  planned: number;
  generated: ContentItem[];
  skipped: number;
  failed: Array<{ unit: ContentUnit; error: string }>;
  cancelled: boolean;
  tokens: number;
}

export interface RegenerationRequest {
  actor: string;
  models: ModelProvider[];
  instruction?: string;
  moderation?: ModerationHook;
  retrySleep?: ContentRunRequest['retrySleep'];
  signal?: AbortSignal;
}

/** A regenerated version checked and ready to save: what draftRegeneration returns and saveRegeneration stores. */
export interface RegenerationDraft {
  base: ContentItem;
  syllabusVersionId: string;
  generated: GeneratedContent<ContentKind>;
  actor: string;
  instruction?: string;
  /** Set when only this question of a quiz was regenerated (core/regeneration/targets.ts); recorded on the new version. */
  questionId?: string;
}

/** What approving "every item I opened" did: the items approved, and each item in review left as it was, with the reason. */
export interface OpenedApproval {
  approved: ContentItem[];
  notApproved: Array<{ item: ContentItem; reason: string }>;
}

/** Lessons, quizzes and projects, always inside an approved syllabus; and the course lifecycle. */
export function createContentEngine(deps: { store: Store; clock?: Clock; ids?: IdGenerator; breakers?: CircuitBreakerRegistry }) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const now = () => clock.now().toISOString();

  function requireCourse(courseId: string) {
    const course = store.courses.get(courseId);
    if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list\`.`);
    return course;
  }

  function latestApprovedSyllabus(courseId: string): SyllabusVersion | undefined {
    return store.syllabi
      .listByCourse(courseId)
      .filter((v) => v.status === 'APPROVED')
      .at(-1);
  }

  /** Invariant 1: content is written only from an approved syllabus version. */
  function requireApprovedSyllabus(courseId: string, syllabusVersionId?: string): SyllabusVersion {
    if (syllabusVersionId) {
      const version = store.syllabi.get(syllabusVersionId);
      if (!version || version.courseId !== courseId) throw new CoursewrightError('NOT_FOUND', `Course ${courseId} has no syllabus version "${syllabusVersionId}".`);
      if (version.status !== 'APPROVED') {
        throw new CoursewrightError('CONFLICT', `Syllabus version ${version.version} (${version.id}) is ${version.status}: content is generated only from an APPROVED syllabus. Submit it and have it approved first.`);
      }
      return version;
    }
    const approved = latestApprovedSyllabus(courseId);
    if (!approved) {
      throw new CoursewrightError('CONFLICT', `Course ${courseId} has no approved syllabus: content is generated only from an APPROVED syllabus. Submit a syllabus version and have it approved first.`);
    }
    return approved;
  }

  function requireItem(itemId: string): ContentItem {
    const item = store.content.get(itemId);
    if (!item) throw new CoursewrightError('NOT_FOUND', `No content item "${itemId}". List a course's content with \`coursewright content list COURSE\`.`);
    return item;
  }

  /** The work a filter asks for, in course order: per lesson its lesson and quiz, then the module's project. */
  function planContent(syllabus: SyllabusVersion['syllabus'], filter: ContentFilter = {}): ContentUnit[] {
    if (filter.moduleId && !syllabus.modules.some((m) => m.id === filter.moduleId)) throw new CoursewrightError('NOT_FOUND', `The approved syllabus has no module "${filter.moduleId}".`);
    if (filter.lessonId && !syllabus.modules.some((m) => m.lessons.some((l) => l.id === filter.lessonId))) throw new CoursewrightError('NOT_FOUND', `The approved syllabus has no lesson "${filter.lessonId}".`);
    const projects = new Set(requiredProjectModules(syllabus));
    const units: ContentUnit[] = [];
    for (const module of syllabus.modules) {
      if (filter.moduleId && module.id !== filter.moduleId) continue;
      for (const lesson of module.lessons) {
        if (filter.lessonId && lesson.id !== filter.lessonId) continue;
        for (const kind of ['lesson', 'quiz'] as const) if (!filter.kind || filter.kind === kind) units.push({ kind, targetId: lesson.id });
      }
      if (!filter.lessonId && projects.has(module.id) && (!filter.kind || filter.kind === 'project')) units.push({ kind: 'project', targetId: module.id });
    }
    return units;
  }

  /** The draft or in-review version of a unit, if there is one: a unit has at most one at a time. */
  function liveVersion(syllabusVersionId: string, unit: ContentUnit, exceptId?: string): ContentItem | undefined {
    return store.content.listLiveVersions(syllabusVersionId, unit.kind, unit.targetId).find((i) => i.id !== exceptId);
  }

  /** Regenerating an older version while a newer one is still open would leave two live versions of one unit. */
  function refuseSecondLiveVersion(base: ContentItem): void {
    const live = liveVersion(base.syllabusVersionId, base, base.id);
    if (!live) return;
    const wayOut = live.status === 'DRAFT' ? `Regenerate that draft instead: \`coursewright content regenerate ${live.id}\`.` : 'A reviewer must approve or reject it first.';
    throw new CoursewrightError('CONFLICT', `${base.kind} ${base.targetId} already has a newer ${live.status === 'DRAFT' ? 'draft' : 'version in review'}, v${live.version} (${live.id}), so v${base.version} cannot be regenerated. ${wayOut}`, { liveId: live.id });
  }

  function requireRegenerable(itemId: string): ContentItem {
    const base = requireItem(itemId);
    if (base.status === 'IN_REVIEW') throw new CoursewrightError('CONFLICT', `Content item ${base.id} is in review; a reviewer must approve or reject it before it is regenerated.`);
    if (base.status === 'SUPERSEDED') throw new CoursewrightError('CONFLICT', `Content item ${base.id} was replaced by a newer version; regenerate the latest one (\`coursewright content list ${base.courseId}\`).`);
    refuseSecondLiveVersion(base);
    return base;
  }

  const isUniqueViolation = (error: unknown) => error instanceof CoursewrightError && (error.details as { sqliteCode?: string } | undefined)?.sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE';

  function persistDraft(params: { courseId: string; syllabusVersionId: string; unit: ContentUnit; content: ContentItem['content']; generated: { promptVersion: string; provider: string; model: string; attempts: number; usage: unknown }; actor: string; basedOn: ContentItem | null; instruction?: string; questionId?: string }): ContentItem {
    return store.transaction(() => {
      // Checked again at save time: the model call took a while and someone may have acted meanwhile.
      const basedOn = params.basedOn && requireRegenerable(params.basedOn.id);
      if (basedOn?.status === 'DRAFT') store.content.changeStatus(basedOn.id, { status: 'SUPERSEDED', at: now() });
      const id = ids.newId(params.unit.kind === 'lesson' ? 'les' : params.unit.kind === 'quiz' ? 'qz' : 'prj');
      const createdAt = now();
      store.content.insert({
        id,
        courseId: params.courseId,
        syllabusVersionId: params.syllabusVersionId,
        kind: params.unit.kind,
        targetId: params.unit.targetId,
        version: store.content.nextVersion(params.syllabusVersionId, params.unit.kind, params.unit.targetId),
        status: 'DRAFT',
        content: params.content,
        metadata: {
          promptVersion: params.generated.promptVersion,
          provider: params.generated.provider,
          model: params.generated.model,
          params: { attempts: params.generated.attempts, usage: params.generated.usage, ...(params.instruction ? { instruction: params.instruction } : {}), ...(params.questionId ? { questionId: params.questionId } : {}) },
          createdBy: params.actor,
          createdAt,
        },
        basedOnId: params.basedOn?.id ?? null,
        contentHash: contentHash(params.content),
      });
      store.audit.append({
        actor: params.actor,
        action: params.basedOn ? 'content.regenerated' : 'content.generated',
        entityType: 'content_item',
        entityId: id,
        metadata: { courseId: params.courseId, kind: params.unit.kind, targetId: params.unit.targetId, ...(params.basedOn ? { basedOn: params.basedOn.id } : {}) },
      });
      return store.content.get(id)!;
    });
  }

  /**
   * Generates what the filter asks for with bounded concurrency. Each finished item is saved in
   * its own transaction at once, and units that already have a live or approved item are
   * skipped: running again after a crash or a cancel resumes without redoing or duplicating.
   */
  async function generateContent(courseId: string, request: ContentRunRequest): Promise<ContentRunSummary> {
    requireCourse(courseId);
    const version = requireApprovedSyllabus(courseId, request.syllabusVersionId);
    const planned = planContent(version.syllabus, request.filter);
    const existing = new Set(
      store.content
        .listBySyllabusVersion(version.id)
        .filter((item) => item.status === 'DRAFT' || item.status === 'IN_REVIEW' || item.status === 'APPROVED')
        .map((item) => `${item.kind}:${item.targetId}`),
    );
    const queue = planned.filter((unit) => !existing.has(`${unit.kind}:${unit.targetId}`));
    const provider = composeModelProvider(request.models, { ledger: store.ledger, courseId, clock, ...(deps.breakers ? { breakers: deps.breakers } : {}), ...(request.retrySleep ? { sleep: request.retrySleep } : {}) });
    const progress: ContentProgress = { done: 0, failed: 0, remaining: queue.length, skipped: planned.length - queue.length, tokens: 0 };
    const summary: ContentRunSummary = { syllabusVersionId: version.id, planned: planned.length, generated: [], skipped: progress.skipped, failed: [], cancelled: false, tokens: 0 };
    const skippedAtStart = progress.skipped;
    request.onProgress?.({ ...progress });

    let next = 0;
    const worker = async () => {
      while (next < queue.length && !request.signal?.aborted) {
        const unit = queue[next++]!;
        try {
          const generated = await generateContentItem(unit.kind, { syllabus: version.syllabus, syllabusVersionId: version.id, targetId: unit.targetId }, {
            provider,
            ...(request.moderation ? { moderation: request.moderation } : {}),
            ...(request.maxRepairs === undefined ? {} : { maxRepairs: request.maxRepairs }),
            ...(request.signal ? { signal: request.signal } : {}),
          });
          progress.tokens += generated.usage.promptTokens + generated.usage.completionTokens;
          summary.generated.push(persistDraft({ courseId, syllabusVersionId: version.id, unit, content: generated.content, generated, actor: request.actor, basedOn: null }));
          progress.done++;
          progress.last = { unit, outcome: 'generated' };
        } catch (error) {
          if (request.signal?.aborted) break;
          if (isUniqueViolation(error)) {
            // Another run (a second window, a parallel CLI) saved this unit first: its item stands.
            progress.skipped++;
            summary.skipped++;
            progress.last = { unit, outcome: 'skipped', message: 'another run saved it first; this answer was not saved' };
            progress.remaining = queue.length - progress.done - progress.failed - (progress.skipped - skippedAtStart);
            request.onProgress?.({ ...progress });
            continue;
          }
          const failure = asCoursewrightError(error);
          summary.failed.push({ unit, error: failure.message });
          store.audit.append({ actor: request.actor, action: 'content.generation_failed', entityType: 'course', entityId: courseId, metadata: { kind: unit.kind, targetId: unit.targetId, error: failure.message } });
          progress.failed++;
          progress.last = { unit, outcome: 'failed', message: failure.message };
        }
        progress.remaining = queue.length - progress.done - progress.failed - (progress.skipped - skippedAtStart);
        request.onProgress?.({ ...progress });
      }
    };
    const concurrency = Math.max(1, Math.min(32, request.concurrency ?? 4));
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, queue.length)) }, worker));
    summary.cancelled = Boolean(request.signal?.aborted);
    summary.tokens = progress.tokens;
    return summary;
  }

  /**
   * The model's new version of an item, checked but not saved: regeneration jobs save it inside
   * their own completion transaction (core/regeneration), so the draft and the job's end commit together.
   */
  async function draftRegeneration(itemId: string, request: RegenerationRequest): Promise<RegenerationDraft> {
    const base = requireRegenerable(itemId);
    const version = requireApprovedSyllabus(base.courseId, base.syllabusVersionId);
    const current = latestApprovedSyllabus(base.courseId);
    if (current && current.id !== version.id) {
      // Only the latest approved syllabus counts towards the course being ready; a new version of outdated content would never count.
      throw new CoursewrightError('CONFLICT', `Content item ${base.id} was written for syllabus v${version.version}, but the course's approved syllabus is now v${current.version}. Generate content for it instead: \`coursewright content generate ${base.courseId}\`.`);
    }
    const provider = composeModelProvider(request.models, { ledger: store.ledger, courseId: base.courseId, clock, ...(deps.breakers ? { breakers: deps.breakers } : {}), ...(request.retrySleep ? { sleep: request.retrySleep } : {}) });
    const generated = await generateContentItem(base.kind, { syllabus: version.syllabus, syllabusVersionId: version.id, targetId: base.targetId, ...(request.instruction ? { instruction: request.instruction } : {}) }, { provider, ...(request.moderation ? { moderation: request.moderation } : {}), ...(request.signal ? { signal: request.signal } : {}) });
    if (request.instruction && contentHash(generated.content) === contentHash(base.content)) {
      // The instruction changed nothing: a version identical to the last would only add a step to review.
      throw new CoursewrightError('CONFLICT', `Regenerating with that instruction gave the same ${base.kind} as v${base.version}; no new version was saved. Try a different instruction, or edit it by hand.`, { unchanged: true });
    }
    return { base, syllabusVersionId: version.id, generated, actor: request.actor, ...(request.instruction ? { instruction: request.instruction } : {}) };
  }

  /** Saves a drafted regeneration as the item's new DRAFT version (checked again against what happened meanwhile). */
  function saveRegeneration(draft: RegenerationDraft): ContentItem {
    const { base } = draft;
    return persistDraft({ courseId: base.courseId, syllabusVersionId: draft.syllabusVersionId, unit: { kind: base.kind, targetId: base.targetId }, content: draft.generated.content, generated: draft.generated, actor: draft.actor, basedOn: base, ...(draft.instruction ? { instruction: draft.instruction } : {}), ...(draft.questionId ? { questionId: draft.questionId } : {}) });
  }

  async function regenerateContent(itemId: string, request: RegenerationRequest): Promise<ContentItem> {
    return saveRegeneration(await draftRegeneration(itemId, request));
  }

  function decide(item: ContentItem, allowed: ContentItem['status'][], doing: string, wayOut: string) {
    if (!allowed.includes(item.status)) throw new CoursewrightError('CONFLICT', `Cannot ${doing} content item ${item.id} (${item.kind} ${item.targetId} v${item.version}): it is ${item.status}. ${wayOut}`);
  }

  function submitContent(itemIds: string[], actor: string): ContentItem[] {
    const items = itemIds.map(requireItem);
    for (const item of items) decide(item, ['DRAFT'], 'submit', 'Only drafts can be submitted for review.');
    return store.transaction(() =>
      items.map((item) => {
        store.content.changeStatus(item.id, { status: 'IN_REVIEW', at: now() });
        store.audit.append({ actor, action: 'content.submitted', entityType: 'content_item', entityId: item.id, metadata: { courseId: item.courseId, kind: item.kind, targetId: item.targetId } });
        return store.content.get(item.id)!;
      }),
    );
  }

  /** The reviewers recorded as having opened an item, from its audit trail. */
  function openedBy(itemId: string): string[] {
    return [...new Set(store.audit.list({ entityId: itemId }).filter((entry) => entry.action === 'content.opened').map((entry) => entry.actor))];
  }

  /**
   * A reviewer's look at an item: the first look is recorded on the item, because bulk approval
   * requires one; each named reviewer's first look is also audited, because approving "all I
   * opened" (approveOpenedContent) must know who looked.
   */
  function openContent(itemId: string, reviewer?: string): ContentItem {
    const item = requireItem(itemId);
    if (item.status !== 'APPROVED') {
      if (!item.review.openedAt) store.content.markOpened(item.id, now());
      const name = reviewer?.trim();
      if (name && !openedBy(item.id).includes(name)) {
        store.audit.append({ actor: name, action: 'content.opened', entityType: 'content_item', entityId: item.id, metadata: { courseId: item.courseId, kind: item.kind, targetId: item.targetId, version: item.version } });
      }
    }
    return store.content.get(item.id)!;
  }

  function approveContent(itemIds: string[], decision: { by: string; note?: string | undefined; requireOpened?: boolean }): ContentItem[] {
    if (!decision.by.trim()) throw new CoursewrightError('INVALID_INPUT', "An approval needs the approver's name (--by NAME).");
    const items = itemIds.map(requireItem);
    for (const item of items) decide(item, ['IN_REVIEW'], 'approve', item.status === 'DRAFT' ? `Submit it first: \`coursewright content submit ${item.id}\`.` : 'Only items in review can be approved.');
    const unopened = decision.requireOpened ? items.filter((i) => !i.review.openedAt) : [];
    if (unopened.length) {
      throw new CoursewrightError('CONFLICT', `Bulk approval covers only items a reviewer has opened; ${unopened.length} not opened yet: ${unopened.map((i) => i.id).slice(0, 8).join(', ')}. Open them with \`coursewright content show ID\`.`, { unopened: unopened.map((i) => i.id) });
    }
    for (const item of items) requireSeparateReviewer(store.settings, { author: item.metadata.createdBy, what: `${item.kind} ${item.targetId} v${item.version} (${item.id})` }, decision.by);
    return store.transaction(() =>
      items.map((item) => {
        const hash = contentHash(item.content);
        if (hash !== item.review.contentHash) throw new CoursewrightError('CONFLICT', `Content item ${item.id} does not match its recorded hash and cannot be approved.`);
        store.content.changeStatus(item.id, { status: 'APPROVED', at: now(), by: decision.by, note: decision.note?.trim() || null });
        store.audit.append({ actor: decision.by, action: 'content.approved', entityType: 'content_item', entityId: item.id, metadata: { courseId: item.courseId, kind: item.kind, targetId: item.targetId, contentHash: hash, note: decision.note ?? null, bulk: itemIds.length > 1 } });
        return store.content.get(item.id)!;
      }),
    );
  }

  /**
   * Approves every item of a course that is in review and that this reviewer opened, so a review
   * of hundreds of items ends in one decision; the items in review that do not qualify come back
   * with the reason. Items not in review are never touched. Selection and approval happen in one
   * write transaction, so an item another process moves meanwhile is judged as it now is.
   */
  function approveOpenedContent(courseId: string, decision: { by: string; note?: string | undefined }): OpenedApproval {
    const by = decision.by.trim();
    if (!by) throw new CoursewrightError('INVALID_INPUT', "An approval needs the approver's name (--by NAME).");
    requireCourse(courseId);
    return store.transaction(() => {
      const inReview = store.content.listByCourse(courseId).filter((item) => item.status === 'IN_REVIEW');
      const qualified: ContentItem[] = [];
      const notApproved: OpenedApproval['notApproved'] = [];
      for (const item of inReview) {
        const reviewers = openedBy(item.id);
        if (separationOfDutiesOn(store.settings) && samePerson(item.metadata.createdBy, by)) notApproved.push({ item, reason: `${by} wrote this version; separation of duties is on, so another reviewer must approve it` });
        else if (reviewers.includes(by)) qualified.push(item);
        else if (reviewers.length) notApproved.push({ item, reason: `opened by ${reviewers.join(', ')}, not by ${by}` });
        else if (item.review.openedAt) notApproved.push({ item, reason: `opened ${item.review.openedAt} by a reviewer whose name was not recorded, not by ${by}` });
        else notApproved.push({ item, reason: 'not opened by anyone yet' });
      }
      const approved = qualified.length ? approveContent(qualified.map((item) => item.id), { by, note: decision.note, requireOpened: true }) : [];
      return { approved, notApproved };
    });
  }

  function rejectContent(itemId: string, decision: { by: string; reason: string }): ContentItem {
    const item = requireItem(itemId);
    decide(item, ['IN_REVIEW'], 'reject', 'Only items in review can be rejected.');
    if (!decision.by.trim()) throw new CoursewrightError('INVALID_INPUT', "A rejection needs the reviewer's name (--by NAME).");
    if (!decision.reason.trim()) throw new CoursewrightError('INVALID_INPUT', 'A rejection needs a reason the designer can act on (--reason TEXT).');
    return store.transaction(() => {
      store.content.changeStatus(item.id, { status: 'REJECTED', at: now(), by: decision.by, reason: decision.reason.trim() });
      store.audit.append({ actor: decision.by, action: 'content.rejected', entityType: 'content_item', entityId: item.id, metadata: { courseId: item.courseId, reason: decision.reason.trim() } });
      return store.content.get(item.id)!;
    });
  }

  function lifecycleFacts(courseId: string) {
    const approvedSyllabus = latestApprovedSyllabus(courseId);
    return {
      approvedSyllabus,
      approvedContent: approvedSyllabus ? store.content.listBySyllabusVersion(approvedSyllabus.id).filter((c) => c.status === 'APPROVED') : [],
      packagesBuilt: approvedSyllabus ? store.packages.countPublished(approvedSyllabus.id) : 0,
    };
  }

  function courseStatus(courseId: string): { status: CourseStatus; transitions: Array<{ to: CourseStatus; allowed: boolean; unmet: UnmetRule[] }>; log: ReturnType<Store['courseStatusLog']['list']> } {
    const course = requireCourse(courseId);
    const facts = lifecycleFacts(courseId);
    return {
      status: course.status,
      transitions: courseTransitions[course.status].map((to) => ({ to, ...evaluateTransition(course.status, to, facts) })),
      log: store.courseStatusLog.list(courseId),
    };
  }

  function transitionCourse(courseId: string, to: CourseStatus, actor: string, reason?: string) {
    // Rules are judged inside the write transaction: another process cannot move the course or
    // change its content between the check and the move.
    return store.transaction(() => {
      const course = requireCourse(courseId);
      const verdict = evaluateTransition(course.status, to, lifecycleFacts(courseId));
      if (!verdict.allowed) {
        throw new CoursewrightError('CONFLICT', `Course ${courseId} cannot move from ${course.status} to ${to}:\n${verdict.unmet.map((u) => `  - ${u.rule}: ${u.message}`).join('\n')}`, { unmet: verdict.unmet });
      }
      const at = now();
      store.courses.setStatus(courseId, to);
      store.courseStatusLog.append({ courseId, from: course.status, to, actor, reason: reason?.trim() || null, at });
      store.audit.append({ actor, action: 'course.transitioned', entityType: 'course', entityId: courseId, metadata: { from: course.status, to, reason: reason?.trim() || null } });
      return courseStatus(courseId);
    });
  }

  return {
    planContent,
    generateContent,
    regenerateContent,
    draftRegeneration,
    saveRegeneration,
    requireRegenerable,
    listContent: (courseId: string) => {
      requireCourse(courseId);
      return store.content.listByCourse(courseId);
    },
    getContent: requireItem,
    openContent,
    submitContent,
    approveContent,
    approveOpenedContent,
    rejectContent,
    courseStatus,
    transitionCourse,
  };
}

export type ContentEngine = ReturnType<typeof createContentEngine>;
