import { CoursewrightError } from '../schemas/errors.js';
import { describeFieldIssues, intentFieldLabel, syllabusFieldLabel } from '../schemas/field-labels.js';
import type { AuditEntry, NewAuditEntry } from '../schemas/audit.js';
import type { Course } from '../schemas/course.js';
import { LearningIntent } from '../schemas/intent.js';
import { SyllabusCandidate, type SyllabusVersion } from '../schemas/syllabus.js';
import { composeModelProvider, type CircuitBreakerRegistry } from './ai/resilience.js';
import type { ModelProvider, ModerationHook } from './ai/port.js';
import { contentHash } from './hash.js';
import { randomIds, systemClock } from './ids.js';
import type { Clock, IdGenerator, Store } from './ports.js';
import { requireSeparateReviewer } from './review/separation.js';
import { diffSyllabi, type SyllabusChange } from './syllabus/diff.js';
import { describeSyllabusChanges } from './diff/readable.js';
import type { ReadableChange } from '../schemas/diff.js';
import { finishSyllabus, generateSyllabus, type SyllabusGenerationProgress } from './syllabus/generate.js';

export interface EngineDependencies {
  store: Store;
  clock?: Clock;
  ids?: IdGenerator;
  breakers?: CircuitBreakerRegistry;
}

export interface SyllabusGenerationRequest {
  actor: string;
  /** Models to try in order; later ones are the fallback list. */
  models: ModelProvider[];
  moderation?: ModerationHook;
  params?: Record<string, unknown>;
  maxRepairs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyllabusGenerationProgress) => void;
  /** Test and benchmark seam: sleep used between retries. */
  retrySleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface SyllabusDiff {
  from: { id: string; version: number; status: SyllabusVersion['status'] };
  to: { id: string; version: number; status: SyllabusVersion['status'] };
  changes: SyllabusChange[];
  readable: ReadableChange[];
}

/**
 * The engine: every operation a designer or reviewer performs, whichever transport carries it
 * (CLI, IPC, HTTP). It enforces the review rules; the database triggers back them up.
 */
export function createEngine(deps: EngineDependencies) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const breakers = deps.breakers;
  const nowIso = () => clock.now().toISOString();

  function audit(entry: NewAuditEntry): void {
    store.audit.append({ ...entry, at: entry.at ?? nowIso() });
  }

  function requireCourse(courseId: string): Course {
    const course = store.courses.get(courseId);
    if (!course) {
      throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list\`.`, { courseId });
    }
    return course;
  }

  function requireVersion(versionId: string): SyllabusVersion {
    const version = store.syllabi.get(versionId);
    if (!version) {
      throw new CoursewrightError('NOT_FOUND', `No syllabus version "${versionId}". List a course's versions with \`coursewright syllabus list COURSE\`.`, { versionId });
    }
    return version;
  }

  function requireStatus(version: SyllabusVersion, allowed: SyllabusVersion['status'][], doing: string, wayOut: string): void {
    if (!allowed.includes(version.status)) {
      throw new CoursewrightError(
        'CONFLICT',
        `Cannot ${doing} syllabus version ${version.version} (${version.id}): it is ${version.status}. ${wayOut}`,
        { versionId: version.id, status: version.status, allowed },
      );
    }
  }

  function createCourse(intentInput: unknown, actor: string): Course {
    const parsed = LearningIntent.safeParse(intentInput);
    if (!parsed.success) {
      throw new CoursewrightError('INVALID_INPUT', `The learning intent is invalid:\n  ${describeFieldIssues(parsed.error, intentFieldLabel).join('\n  ')}`, {
        issues: parsed.error.issues,
      });
    }
    const course: Course = { id: ids.newId('crs'), title: parsed.data.title, status: 'draft', createdAt: nowIso(), createdBy: actor, intent: parsed.data };
    store.transaction(() => {
      store.courses.insert(course);
      audit({ actor, action: 'course.created', entityType: 'course', entityId: course.id, metadata: { title: course.title } });
    });
    return course;
  }

  async function generateSyllabusDraft(courseId: string, request: SyllabusGenerationRequest): Promise<SyllabusVersion> {
    const course = requireCourse(courseId);
    if (request.models.length === 0) throw new CoursewrightError('USAGE', 'No model was configured for generation.');
    const provider = composeModelProvider(request.models, {
      ledger: store.ledger,
      courseId,
      clock,
      ...(breakers ? { breakers } : {}),
      ...(request.retrySleep ? { sleep: request.retrySleep } : {}),
    });
    let generated;
    try {
      generated = await generateSyllabus(course.intent, {
        provider,
        ...(request.moderation ? { moderation: request.moderation } : {}),
        ...(request.maxRepairs === undefined ? {} : { maxRepairs: request.maxRepairs }),
        ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    } catch (error) {
      audit({
        actor: request.actor,
        action: 'syllabus.generation_failed',
        entityType: 'course',
        entityId: courseId,
        metadata: { error: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
    return store.transaction(() => {
      const version = store.syllabi.nextVersionNumber(courseId);
      const id = ids.newId('syl');
      const createdAt = nowIso();
      store.syllabi.insert({
        id,
        courseId,
        version,
        status: 'DRAFT',
        syllabus: generated.syllabus,
        metadata: {
          version,
          createdBy: request.actor,
          createdAt,
          promptVersion: generated.promptVersion,
          provider: generated.provider,
          model: generated.model,
          params: { ...request.params, attempts: generated.attempts, usage: generated.usage },
        },
        warnings: generated.warnings,
        basedOnId: null,
        contentHash: contentHash(generated.syllabus),
        createdAt,
      });
      audit({
        actor: request.actor,
        action: 'syllabus.generated',
        entityType: 'syllabus_version',
        entityId: id,
        metadata: { courseId, version, provider: generated.provider, model: generated.model, attempts: generated.attempts },
      });
      return requireVersion(id);
    });
  }

  /** An edit never changes a row: it writes the next version, and a replaced draft is superseded. */
  function editSyllabus(versionId: string, syllabusInput: unknown, actor: string): SyllabusVersion {
    const base = requireVersion(versionId);
    requireStatus(
      base,
      ['DRAFT', 'REJECTED'],
      'edit',
      base.status === 'APPROVED'
        ? `Approved versions are immutable. Start a new draft from it with \`coursewright syllabus revise ${base.id}\` and edit that.`
        : base.status === 'IN_REVIEW'
          ? 'It is waiting for review: a reviewer must approve or reject it first.'
          : 'A newer version replaced it; edit the latest draft instead (`coursewright syllabus list COURSE`).',
    );
    const parsed = SyllabusCandidate.safeParse(syllabusInput);
    if (!parsed.success) {
      throw new CoursewrightError('INVALID_INPUT', `The edited syllabus is invalid:\n  ${describeFieldIssues(parsed.error, syllabusFieldLabel).join('\n  ')}`, {
        issues: parsed.error.issues,
      });
    }
    const course = requireCourse(base.courseId);
    // A person's estimates are their decision: report a budget mismatch, don't rescale it away.
    const finished = finishSyllabus(parsed.data, course.intent, { fitTimeBudget: false });
    return store.transaction(() => {
      const version = store.syllabi.nextVersionNumber(base.courseId);
      const id = ids.newId('syl');
      const createdAt = nowIso();
      store.syllabi.insert({
        id,
        courseId: base.courseId,
        version,
        status: 'DRAFT',
        syllabus: finished.syllabus,
        metadata: { ...base.metadata, version, createdBy: actor, createdAt, provider: 'human', model: 'edit', params: { editedFrom: base.version } },
        warnings: finished.warnings,
        basedOnId: base.id,
        contentHash: contentHash(finished.syllabus),
        createdAt,
      });
      if (base.status === 'DRAFT') store.syllabi.changeStatus(base.id, { status: 'SUPERSEDED', at: createdAt });
      audit({ actor, action: 'syllabus.edited', entityType: 'syllabus_version', entityId: id, metadata: { courseId: base.courseId, version, basedOn: base.id } });
      return requireVersion(id);
    });
  }

  /** Starts a new draft from any version, typically an approved one that needs a change. */
  function reviseSyllabus(versionId: string, actor: string): SyllabusVersion {
    const base = requireVersion(versionId);
    requireStatus(base, ['APPROVED', 'REJECTED'], 'revise', 'Drafts are edited directly (`coursewright syllabus edit`); versions in review wait for a decision.');
    return store.transaction(() => {
      const version = store.syllabi.nextVersionNumber(base.courseId);
      const id = ids.newId('syl');
      const createdAt = nowIso();
      store.syllabi.insert({
        id,
        courseId: base.courseId,
        version,
        status: 'DRAFT',
        syllabus: base.syllabus,
        metadata: { ...base.metadata, version, createdBy: actor, createdAt, params: { ...base.metadata.params, revisedFrom: base.version } },
        warnings: base.warnings,
        basedOnId: base.id,
        contentHash: base.review.contentHash,
        createdAt,
      });
      audit({ actor, action: 'syllabus.revised', entityType: 'syllabus_version', entityId: id, metadata: { courseId: base.courseId, version, basedOn: base.id } });
      return requireVersion(id);
    });
  }

  function submitSyllabus(versionId: string, actor: string): SyllabusVersion {
    const version = requireVersion(versionId);
    requireStatus(version, ['DRAFT'], 'submit', 'Only drafts can be submitted for review.');
    return store.transaction(() => {
      store.syllabi.changeStatus(version.id, { status: 'IN_REVIEW', at: nowIso() });
      audit({ actor, action: 'syllabus.submitted', entityType: 'syllabus_version', entityId: version.id, metadata: { courseId: version.courseId, version: version.version } });
      return requireVersion(version.id);
    });
  }

  function approveSyllabus(versionId: string, decision: { by: string; note?: string | undefined }): SyllabusVersion {
    const version = requireVersion(versionId);
    requireStatus(version, ['IN_REVIEW'], 'approve', version.status === 'DRAFT' ? `Submit it for review first: \`coursewright syllabus submit ${version.id}\`.` : 'Only versions in review can be approved.');
    if (!decision.by.trim()) throw new CoursewrightError('INVALID_INPUT', 'An approval needs the approver\'s name (--by NAME).');
    requireSeparateReviewer(store.settings, { author: version.metadata.createdBy, what: `Syllabus version ${version.version} (${version.id})` }, decision.by);
    const hash = contentHash(version.syllabus);
    if (hash !== version.review.contentHash) {
      throw new CoursewrightError('CONFLICT', `Syllabus version ${version.id} does not match its recorded content hash; it was changed outside Coursewright and cannot be approved.`, {
        recorded: version.review.contentHash,
        actual: hash,
      });
    }
    return store.transaction(() => {
      store.syllabi.changeStatus(version.id, { status: 'APPROVED', at: nowIso(), by: decision.by, note: decision.note?.trim() || null });
      audit({
        actor: decision.by,
        action: 'syllabus.approved',
        entityType: 'syllabus_version',
        entityId: version.id,
        metadata: { courseId: version.courseId, version: version.version, contentHash: hash, note: decision.note ?? null },
      });
      return requireVersion(version.id);
    });
  }

  function rejectSyllabus(versionId: string, decision: { by: string; reason: string }): SyllabusVersion {
    const version = requireVersion(versionId);
    requireStatus(version, ['IN_REVIEW'], 'reject', 'Only versions in review can be rejected.');
    if (!decision.by.trim()) throw new CoursewrightError('INVALID_INPUT', 'A rejection needs the reviewer\'s name (--by NAME).');
    if (!decision.reason.trim()) throw new CoursewrightError('INVALID_INPUT', 'A rejection needs a reason the designer can act on (--reason TEXT).');
    return store.transaction(() => {
      store.syllabi.changeStatus(version.id, { status: 'REJECTED', at: nowIso(), by: decision.by, reason: decision.reason.trim() });
      audit({
        actor: decision.by,
        action: 'syllabus.rejected',
        entityType: 'syllabus_version',
        entityId: version.id,
        metadata: { courseId: version.courseId, version: version.version, reason: decision.reason.trim() },
      });
      return requireVersion(version.id);
    });
  }

  function diffSyllabusVersions(fromId: string, toId: string): SyllabusDiff {
    const from = requireVersion(fromId);
    const to = requireVersion(toId);
    const changes = diffSyllabi(from.syllabus, to.syllabus);
    return {
      from: { id: from.id, version: from.version, status: from.status },
      to: { id: to.id, version: to.version, status: to.status },
      changes,
      readable: describeSyllabusChanges(changes, from.syllabus, to.syllabus),
    };
  }

  function listSyllabusVersions(courseId: string): SyllabusVersion[] {
    requireCourse(courseId);
    return store.syllabi.listByCourse(courseId);
  }

  function listAudit(filter: { entityId?: string; limit?: number } = {}): AuditEntry[] {
    return store.audit.list(filter);
  }

  return {
    createCourse,
    listCourses: () => store.courses.list(),
    getCourse: requireCourse,
    generateSyllabusDraft,
    listSyllabusVersions,
    getSyllabusVersion: requireVersion,
    editSyllabus,
    reviseSyllabus,
    submitSyllabus,
    approveSyllabus,
    rejectSyllabus,
    diffSyllabusVersions,
    reviewQueue: () => store.syllabi.listInReview(),
    listAudit,
  };
}

export type Engine = ReturnType<typeof createEngine>;
