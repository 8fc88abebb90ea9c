import { canonicalJson } from '../hash.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';

export type SyllabusChange =
  | { kind: 'added' | 'removed'; entity: 'module' | 'lesson'; id: string; title: string; moduleId?: string }
  | { kind: 'moved'; entity: 'module' | 'lesson'; id: string; title: string; from: string; to: string }
  | { kind: 'changed'; entity: 'course' | 'module' | 'lesson'; id: string; title: string; field: string; before: unknown; after: unknown };

const courseFields = ['title', 'summary', 'audience', 'level', 'language', 'totalEstimatedMinutes'] as const;
const moduleFields = ['title', 'summary', 'estimatedMinutes'] as const;
const lessonFields = ['title', 'summary', 'objectives', 'prerequisites', 'estimatedMinutes', 'assessmentHooks'] as const;

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A reviewer's diff: changes named by stable ids, in the newer version's course order, so a
 * renamed lesson reads as "title changed", not as one lesson removed and another added.
 */
export function diffSyllabi(before: Syllabus, after: Syllabus): SyllabusChange[] {
  const changes: SyllabusChange[] = [];
  for (const field of courseFields) {
    if (!same(before[field], after[field])) {
      changes.push({ kind: 'changed', entity: 'course', id: 'course', title: after.title, field, before: before[field], after: after[field] });
    }
  }

  const beforeModules = new Map(before.modules.map((m) => [m.id, m]));
  const afterModules = new Map(after.modules.map((m) => [m.id, m]));
  const beforeLessons = new Map<string, { lesson: SyllabusLesson; module: SyllabusModule }>();
  for (const module of before.modules) for (const lesson of module.lessons) beforeLessons.set(lesson.id, { lesson, module });
  const afterLessonIds = new Set(after.modules.flatMap((m) => m.lessons.map((l) => l.id)));

  for (const module of after.modules) {
    const old = beforeModules.get(module.id);
    if (!old) {
      changes.push({ kind: 'added', entity: 'module', id: module.id, title: module.title });
    } else {
      if (old.index !== module.index) {
        changes.push({ kind: 'moved', entity: 'module', id: module.id, title: module.title, from: `position ${old.index + 1}`, to: `position ${module.index + 1}` });
      }
      for (const field of moduleFields) {
        if (!same(old[field], module[field])) {
          changes.push({ kind: 'changed', entity: 'module', id: module.id, title: module.title, field, before: old[field], after: module[field] });
        }
      }
    }
    for (const lesson of module.lessons) {
      const previous = beforeLessons.get(lesson.id);
      if (!previous) {
        changes.push({ kind: 'added', entity: 'lesson', id: lesson.id, title: lesson.title, moduleId: module.id });
        continue;
      }
      if (previous.module.id !== module.id) {
        changes.push({ kind: 'moved', entity: 'lesson', id: lesson.id, title: lesson.title, from: previous.module.id, to: module.id });
      }
      for (const field of lessonFields) {
        if (!same(previous.lesson[field], lesson[field])) {
          changes.push({ kind: 'changed', entity: 'lesson', id: lesson.id, title: lesson.title, field, before: previous.lesson[field], after: lesson[field] });
        }
      }
    }
  }

  for (const module of before.modules) {
    if (!afterModules.has(module.id)) changes.push({ kind: 'removed', entity: 'module', id: module.id, title: module.title });
    for (const lesson of module.lessons) {
      if (!afterLessonIds.has(lesson.id)) changes.push({ kind: 'removed', entity: 'lesson', id: lesson.id, title: lesson.title, moduleId: module.id });
    }
  }
  return changes;
}
