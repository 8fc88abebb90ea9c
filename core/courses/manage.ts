import type { Course, CourseListEntry, CourseListQuery, CourseStatus } from '../../schemas/course.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { describeFieldIssues, intentFieldLabel } from '../../schemas/field-labels.js';
import { courseTitleMaxLength, LearningIntent } from '../../schemas/intent.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { canonicalJson, contentHash } from '../hash.js';
import { randomIds, systemClock } from '../ids.js';
import type { Clock, IdGenerator, Store } from '../ports.js';

/** What a course has been through: anything here except drafts is a record that must stay. */
export interface CourseHistory {
  approvedSyllabusVersions: number;
  approvedContentItems: number;
  packages: number;
  reviewComments: number;
  statusChanges: number;
  /** The latest of created, edited, archived/restored, or any syllabus/content version written or decided. */
  lastActivityAt: string;
}

export interface RemovedCourseDrafts {
  syllabusVersions: number;
  contentItems: number;
  autosaves: number;
}

/** Storage for managing courses as a whole: editing the intent, archiving, deleting drafts-only courses. */
export interface CourseManagementRepository {
  updateIntent(courseId: string, change: { title: string; intentJson: string; at: string }): void;
  /** Archives (state given) or restores (null) a course; `at` becomes its updated time either way. */
  setArchived(courseId: string, state: { at: string; by: string } | null, at: string): void;
  /** Histories of every course, or of one, by course id. */
  histories(courseId?: string): Map<string, CourseHistory>;
  /** Removes the course row, its draft syllabus and content versions and their autosaves; audit rows stay. */
  deleteCourse(courseId: string): RemovedCourseDrafts;
}

const statusOrder: Record<CourseStatus, number> = { draft: 0, review: 1, ready: 2, published: 3, retired: 4 };

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Why a course cannot be deleted, in the designer's words, or null when it can. Approvals,
 * packages, review comments and lifecycle moves are records (invariants 3 and 4): deleting the
 * course would take them with it, so such a course is archived instead.
 */
export function deleteRefusal(history: CourseHistory): string | null {
  const records = [
    history.approvedSyllabusVersions ? plural(history.approvedSyllabusVersions, 'approved syllabus version') : '',
    history.approvedContentItems ? (history.approvedContentItems === 1 ? '1 approved lesson, quiz or project' : `${history.approvedContentItems} approved lessons, quizzes or projects`) : '',
    history.packages ? plural(history.packages, 'package') : '',
    history.reviewComments ? plural(history.reviewComments, 'review comment') : '',
    history.statusChanges ? plural(history.statusChanges, 'lifecycle change') : '',
  ].filter(Boolean);
  if (records.length === 0) return null;
  return `It has ${records.join(', ')}, which must stay on record. Archive it instead: it is hidden from the list and can be restored.`;
}

/** "Intro to SQL" → "Intro to SQL (copy)", shortened so the copy's title still fits the intent's limit. */
export function copyTitle(title: string): string {
  const suffix = ' (copy)';
  const room = courseTitleMaxLength - suffix.length;
  const base = title.length <= room ? title : `${title.slice(0, room - 1).trimEnd()}…`;
  return `${base}${suffix}`;
}

/**
 * Managing courses as a whole: editing the learning intent, duplicating, archiving, restoring
 * and deleting a course that never had anything approved. Every change is audited on the course.
 */
export function createCourseManagement(deps: { store: Store; clock?: Clock; ids?: IdGenerator }) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const nowIso = () => clock.now().toISOString();
  const repository = store.courseManagement;

  function requireCourse(courseId: string): Course {
    const course = store.courses.get(courseId);
    if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list --all\`.`, { courseId });
    return course;
  }

  function historyOf(courseId: string): CourseHistory {
    return repository.histories(courseId).get(courseId)!;
  }

  function parseIntent(input: unknown): LearningIntent {
    const parsed = LearningIntent.safeParse(input);
    if (!parsed.success) {
      throw new CoursewrightError('INVALID_INPUT', `The learning intent is invalid:\n  ${describeFieldIssues(parsed.error, intentFieldLabel).join('\n  ')}`, { issues: parsed.error.issues });
    }
    return parsed.data;
  }

  /**
   * Replaces the learning intent. Existing syllabus versions keep what they were generated from;
   * the next `syllabus.generate` reads the course's current intent. Unchanged input changes nothing.
   */
  function updateIntent(courseId: string, intentInput: unknown, actor: string): Course {
    const course = requireCourse(courseId);
    const intent = parseIntent(intentInput);
    if (canonicalJson(intent) === canonicalJson(course.intent)) return course;
    const changed = (Object.keys({ ...course.intent, ...intent }) as (keyof LearningIntent)[]).filter((key) => canonicalJson(course.intent[key] ?? null) !== canonicalJson(intent[key] ?? null)).sort();
    return store.transaction(() => {
      repository.updateIntent(courseId, { title: intent.title, intentJson: JSON.stringify(intent), at: nowIso() });
      store.audit.append({ actor, action: 'course.intent_updated', entityType: 'course', entityId: courseId, metadata: { changed, before: course.intent, after: intent } });
      return requireCourse(courseId);
    });
  }

  /**
   * A new course with a copy of the intent, titled "… (copy)", and optionally the source's
   * latest syllabus as the copy's first DRAFT. Approvals, reviews and content never carry over:
   * the copy starts its own review from nothing.
   */
  function duplicate(courseId: string, options: { includeSyllabus: boolean }, actor: string): { course: Course; syllabusVersion: SyllabusVersion | null } {
    const source = requireCourse(courseId);
    const latest = options.includeSyllabus ? store.syllabi.listByCourse(courseId).at(-1) : undefined;
    const intent: LearningIntent = { ...source.intent, title: copyTitle(source.intent.title) };
    const at = nowIso();
    const copy: Course = { id: ids.newId('crs'), title: intent.title, status: 'draft', createdAt: at, createdBy: actor, intent };
    return store.transaction(() => {
      store.courses.insert(copy);
      let syllabusVersionId: string | null = null;
      if (latest) {
        syllabusVersionId = ids.newId('syl');
        store.syllabi.insert({
          id: syllabusVersionId,
          courseId: copy.id,
          version: 1,
          status: 'DRAFT',
          syllabus: latest.syllabus,
          metadata: { ...latest.metadata, version: 1, createdBy: actor, createdAt: at, params: { duplicatedFrom: { courseId, versionId: latest.id, version: latest.version } } },
          warnings: latest.warnings,
          // Not based on the source's row: the copy must not tie the source's drafts down (deleting them stays possible).
          basedOnId: null,
          contentHash: contentHash(latest.syllabus),
          createdAt: at,
        });
      }
      store.audit.append({ actor, action: 'course.created', entityType: 'course', entityId: copy.id, metadata: { title: copy.title, duplicatedFrom: courseId } });
      store.audit.append({
        actor,
        action: 'course.duplicated',
        entityType: 'course',
        entityId: courseId,
        metadata: { copyId: copy.id, copyTitle: copy.title, syllabusCopied: latest ? { fromVersionId: latest.id, version: latest.version, toVersionId: syllabusVersionId } : null },
      });
      return { course: requireCourse(copy.id), syllabusVersion: syllabusVersionId ? store.syllabi.get(syllabusVersionId)! : null };
    });
  }

  function archive(courseId: string, actor: string): Course {
    const course = requireCourse(courseId);
    if (course.archivedAt) throw new CoursewrightError('CONFLICT', `“${course.title}” is already archived (since ${course.archivedAt}). Restore it to show it in the course list again.`, { courseId });
    return store.transaction(() => {
      const at = nowIso();
      repository.setArchived(courseId, { at, by: actor }, at);
      store.audit.append({ actor, action: 'course.archived', entityType: 'course', entityId: courseId, metadata: { title: course.title, status: course.status } });
      return requireCourse(courseId);
    });
  }

  function restore(courseId: string, actor: string): Course {
    const course = requireCourse(courseId);
    if (!course.archivedAt) throw new CoursewrightError('CONFLICT', `“${course.title}” is not archived, so there is nothing to restore.`, { courseId });
    return store.transaction(() => {
      repository.setArchived(courseId, null, nowIso());
      store.audit.append({ actor, action: 'course.restored', entityType: 'course', entityId: courseId, metadata: { title: course.title, archivedAt: course.archivedAt, archivedBy: course.archivedBy ?? null } });
      return requireCourse(courseId);
    });
  }

  /** Deletes a course that never had anything approved; its audit rows stay, with a `course.deleted` entry. */
  function deleteCourse(courseId: string, actor: string): { courseId: string; title: string; removed: RemovedCourseDrafts } {
    const course = requireCourse(courseId);
    return store.transaction(() => {
      const refusal = deleteRefusal(historyOf(courseId));
      if (refusal) throw new CoursewrightError('CONFLICT', `“${course.title}” cannot be deleted. ${refusal}`, { courseId, suggestion: 'archive' });
      const removed = repository.deleteCourse(courseId);
      store.audit.append({ actor, action: 'course.deleted', entityType: 'course', entityId: courseId, metadata: { title: course.title, intent: course.intent, removed } });
      return { courseId, title: course.title, removed };
    });
  }

  /** Courses for the list: archived ones only when asked for; newest first unless sorted otherwise. */
  function list(query: CourseListQuery = {}): CourseListEntry[] {
    const histories = repository.histories();
    const archived = query.archived ?? 'exclude';
    const entries = store.courses
      .list()
      .filter((course) => (archived === 'include' ? true : archived === 'only' ? Boolean(course.archivedAt) : !course.archivedAt))
      .filter((course) => !query.status || course.status === query.status)
      .map((course): CourseListEntry => {
        const history = histories.get(course.id)!;
        return { ...course, lastActivityAt: history.lastActivityAt, deleteBlockedBy: deleteRefusal(history) };
      });
    // The store lists oldest first; newest first is the list's natural order and every sort's tie-break.
    entries.reverse();
    const byTitle = (a: CourseListEntry, b: CourseListEntry) => a.title.localeCompare(b.title, undefined, { sensitivity: 'base', numeric: true });
    switch (query.sort ?? 'newest') {
      case 'newest':
        return entries;
      case 'updated':
        return entries.sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0));
      case 'title':
        return entries.sort(byTitle);
      case 'status':
        return entries.sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || byTitle(a, b));
    }
  }

  return { updateIntent, duplicate, archive, restore, deleteCourse, list, history: (courseId: string) => historyOf(requireCourse(courseId).id) };
}

export type CourseManagement = ReturnType<typeof createCourseManagement>;
