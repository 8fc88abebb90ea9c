import type { ContentItem, ContentStatus } from '../../schemas/content.js';
import type { Syllabus } from '../../schemas/syllabus.js';

/**
 * What a course still owes before it can be packaged or marked ready: the one rule both the
 * package build and the lifecycle apply. Every lesson needs an approved lesson and an approved
 * quiz; every required module needs an approved project.
 */

/** Modules whose projects the course needs: those whose lessons ask for one, else every module. */
export function requiredProjectModules(syllabus: Syllabus): string[] {
  const asked = syllabus.modules.filter((m) => m.lessons.some((l) => l.assessmentHooks.some((h) => h.kind === 'project'))).map((m) => m.id);
  return asked.length ? asked : syllabus.modules.map((m) => m.id);
}

export interface MissingPiece {
  kind: 'lesson' | 'quiz' | 'project';
  targetId: string;
  title: string;
  /** What exists instead: nothing at all, or a version still in draft, review or rejected. */
  state: 'missing' | 'not approved';
  /** Where it sits, numbered as people read the outline (module 2, lesson 2.3). */
  moduleId: string;
  moduleNumber: number;
  moduleTitle: string;
  /** Null for a module's project. */
  lessonNumber: number | null;
  lessonTitle: string | null;
  /** The newest version there is of this piece, when any: the place a link opens. */
  latest: { itemId: string; version: number; status: ContentStatus } | null;
}

/**
 * Walks the syllabus in course order and names every piece without an approved version among
 * `content` (items of this syllabus version). Also returns the newest approved item per piece,
 * keyed `kind:targetId`, which is what a package freezes.
 */
export function findMissingPieces(syllabus: Syllabus, content: ContentItem[]): { missing: MissingPiece[]; approved: Map<string, ContentItem> } {
  const approved = new Map<string, ContentItem>();
  const newest = new Map<string, ContentItem>();
  for (const item of content) {
    const key = `${item.kind}:${item.targetId}`;
    const seen = newest.get(key);
    if (!seen || seen.version < item.version) newest.set(key, item);
    if (item.status !== 'APPROVED') continue;
    const held = approved.get(key);
    if (!held || held.version < item.version) approved.set(key, item);
  }

  const missing: MissingPiece[] = [];
  const projectModules = new Set(requiredProjectModules(syllabus));
  for (const module of syllabus.modules) {
    const place = { moduleId: module.id, moduleNumber: module.index + 1, moduleTitle: module.title };
    const need = (kind: MissingPiece['kind'], targetId: string, title: string, lesson: { number: number; title: string } | null) => {
      const key = `${kind}:${targetId}`;
      if (approved.has(key)) return;
      const latest = newest.get(key);
      missing.push({
        kind,
        targetId,
        title,
        state: latest ? 'not approved' : 'missing',
        ...place,
        lessonNumber: lesson?.number ?? null,
        lessonTitle: lesson?.title ?? null,
        latest: latest ? { itemId: latest.id, version: latest.version, status: latest.status } : null,
      });
    };
    for (const lesson of module.lessons) {
      const at = { number: lesson.index + 1, title: lesson.title };
      need('lesson', lesson.id, lesson.title, at);
      need('quiz', lesson.id, `Quiz: ${lesson.title}`, at);
    }
    if (projectModules.has(module.id)) need('project', module.id, `Project: ${module.title}`, null);
  }
  return { missing, approved };
}

/** "Quiz for lesson 2.3 “Loops” is not approved yet": one missing piece, named where people look for it. */
export function missingPieceSentence(piece: MissingPiece): string {
  const lessonPlace = `${piece.moduleNumber}.${piece.lessonNumber ?? ''}`;
  const what =
    piece.kind === 'lesson'
      ? `Lesson ${lessonPlace} “${piece.lessonTitle}”`
      : piece.kind === 'quiz'
        ? `Quiz for lesson ${lessonPlace} “${piece.lessonTitle}”`
        : `Project for module ${piece.moduleNumber} “${piece.moduleTitle}”`;
  if (!piece.latest) return `${what} has not been written yet.`;
  if (piece.latest.status === 'REJECTED') return `${what} was rejected and needs a new version.`;
  if (piece.latest.status === 'IN_REVIEW') return `${what} is waiting for review, not approved yet.`;
  return `${what} is not approved yet.`;
}
