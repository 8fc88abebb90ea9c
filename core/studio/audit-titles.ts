import type { AuditEntry } from '../../schemas/audit.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import type { Store } from '../ports.js';

const kindWord = { lesson: 'Lesson', quiz: 'Quiz for lesson', project: 'Project for module' } as const;

/**
 * Audit entries with the names people know them by: the course's title and the entity's own
 * ("Quiz for lesson 2.3 “Loops” v2", "Package v4"). Resolved from the store at read time, so the
 * append-only log keeps ids; an entity since deleted keeps only its id.
 */
export function withAuditTitles(store: Store, entries: AuditEntry[]): Array<AuditEntry & { entityTitle?: string; courseTitle?: string }> {
  const courseTitles = new Map<string, string | undefined>();
  const syllabi = new Map<string, Syllabus | undefined>();
  const courseTitle = (courseId: unknown) => {
    if (typeof courseId !== 'string') return undefined;
    if (!courseTitles.has(courseId)) courseTitles.set(courseId, store.courses.get(courseId)?.title);
    return courseTitles.get(courseId);
  };
  const syllabusOf = (versionId: string) => {
    if (!syllabi.has(versionId)) syllabi.set(versionId, store.syllabi.get(versionId)?.syllabus);
    return syllabi.get(versionId);
  };

  function titles(entry: AuditEntry): { entityTitle?: string | undefined; courseTitle?: string | undefined } {
    switch (entry.entityType) {
      case 'course':
        return { entityTitle: courseTitle(entry.entityId), courseTitle: courseTitle(entry.entityId) };
      case 'syllabus_version': {
        const version = store.syllabi.get(entry.entityId);
        return version ? { entityTitle: `Syllabus v${version.version}`, courseTitle: courseTitle(version.courseId) } : { courseTitle: courseTitle(entry.metadata.courseId) };
      }
      case 'content_item': {
        const item = store.content.get(entry.entityId);
        if (!item) return { courseTitle: courseTitle(entry.metadata.courseId) };
        const modules = syllabusOf(item.syllabusVersionId)?.modules ?? [];
        let place: string | undefined;
        for (const module of modules) {
          if (item.kind === 'project' && module.id === item.targetId) place = `${kindWord.project} ${module.index + 1} “${module.title}”`;
          const lesson = module.lessons.find((l) => l.id === item.targetId);
          if (item.kind !== 'project' && lesson) place = `${kindWord[item.kind]} ${module.index + 1}.${lesson.index + 1} “${lesson.title}”`;
        }
        return { entityTitle: `${place ?? `${kindWord[item.kind].split(' ')[0]} ${item.targetId}`} v${item.version}`, courseTitle: courseTitle(item.courseId) };
      }
      case 'course_package': {
        const pkg = store.packages.summary(entry.entityId);
        return pkg ? { entityTitle: `Package v${pkg.version}`, courseTitle: courseTitle(pkg.courseId) } : { courseTitle: courseTitle(entry.metadata.courseId) };
      }
      case 'settings':
        return { entityTitle: 'Studio settings' };
      default:
        return { courseTitle: courseTitle(entry.metadata.courseId) };
    }
  }

  return entries.map((entry) => {
    const found = titles(entry);
    return { ...entry, ...(found.entityTitle ? { entityTitle: found.entityTitle } : {}), ...(found.courseTitle ? { courseTitle: found.courseTitle } : {}) };
  });
}
