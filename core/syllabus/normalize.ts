import type { LearningIntent } from '../../schemas/intent.js';
import type { Syllabus, SyllabusCandidate, SyllabusLesson, SyllabusModule, SyllabusWarning } from '../../schemas/syllabus.js';

export interface NormalizeOptions {
  /** Rescale lesson estimates into ±10% of the budget. Off for human edits: their numbers stand. */
  fitTimeBudget?: boolean;
}

/** Lowercase ASCII words joined by dashes (accents dropped), at most 60 characters; `fallback` when nothing is left. */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || fallback;
}

/** Rescaling estimates by more than this fraction (either way) is a reviewer's warning. */
export const maxQuietRescale = 0.25;

function roundToFive(minutes: number): number {
  return Math.max(5, Math.round(minutes / 5) * 5);
}

/**
 * Makes a candidate syllabus safe to store: well-formed ids unique across modules and lessons,
 * indices in order, prerequisites that only point to earlier lessons (so the graph is a DAG by
 * construction), estimates that fit the time budget, and level/language from the intent. Every
 * change is reported to the reviewer: an info note, or a warning when estimates had to be scaled
 * by more than ±25%. Pure and deterministic; idempotent.
 */
export function normalizeSyllabus(candidate: SyllabusCandidate, intent: LearningIntent, options: NormalizeOptions = {}): { syllabus: Syllabus; notes: SyllabusWarning[] } {
  const notes: SyllabusWarning[] = [];
  const used = new Set<string>();
  const renamed: string[] = [];
  /** Original lesson id → its new id, when that is unambiguous (the first lesson to claim it). */
  const lessonIdMap = new Map<string, string>();

  const claim = (original: string, fallback: string): string => {
    const base = slugify(original, fallback);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base.slice(0, 58)}-${n}`;
    used.add(id);
    if (id !== original) renamed.push(`${original} → ${id}`);
    return id;
  };

  const modules: SyllabusModule[] = candidate.modules.map((module, moduleIndex) => {
    const moduleId = claim(module.id, `module-${moduleIndex + 1}`);
    return {
      id: moduleId,
      index: moduleIndex,
      title: module.title,
      summary: module.summary,
      estimatedMinutes: 0,
      lessons: module.lessons.map((lesson, lessonIndex) => {
        const id = claim(lesson.id, `lesson-${moduleIndex + 1}-${lessonIndex + 1}`);
        if (!lessonIdMap.has(lesson.id)) lessonIdMap.set(lesson.id, id);
        return {
          id,
          index: lessonIndex,
          title: lesson.title,
          summary: lesson.summary,
          objectives: lesson.objectives,
          prerequisites: lesson.prerequisites,
          estimatedMinutes: lesson.estimatedMinutes,
          assessmentHooks: lesson.assessmentHooks,
        } satisfies SyllabusLesson;
      }),
    };
  });
  if (renamed.length) {
    notes.push({ code: 'ids-renamed', severity: 'info', message: `Ids made well-formed and unique: ${renamed.slice(0, 10).join(', ')}${renamed.length > 10 ? ` and ${renamed.length - 10} more` : ''}.` });
  }

  // Prerequisites may name only lessons earlier in course order.
  const lessonIds = new Set(modules.flatMap((m) => m.lessons.map((l) => l.id)));
  const seen = new Set<string>();
  for (const module of modules) {
    for (const lesson of module.lessons) {
      const kept: string[] = [];
      for (const reference of lesson.prerequisites) {
        const target = lessonIdMap.get(reference) ?? (lessonIds.has(reference) ? reference : undefined);
        if (target !== undefined && seen.has(target)) {
          if (!kept.includes(target)) kept.push(target);
          continue;
        }
        const why = target === undefined ? 'no lesson has that id' : target === lesson.id ? 'it refers to the lesson itself' : 'it is not an earlier lesson';
        notes.push({
          code: 'prerequisite-dropped',
          severity: 'info',
          message: `Dropped prerequisite "${reference}" of "${lesson.title}": ${why}.`,
          moduleId: module.id,
          lessonId: lesson.id,
        });
      }
      lesson.prerequisites = kept;
      seen.add(lesson.id);
    }
  }

  const budget = Math.round(intent.timeBudgetHours * 60);
  const total = modules.reduce((sum, m) => sum + m.lessons.reduce((s, l) => s + l.estimatedMinutes, 0), 0);
  if ((options.fitTimeBudget ?? true) && total > 0 && Math.abs(total - budget) > budget * 0.1) {
    const factor = budget / total;
    for (const module of modules) for (const lesson of module.lessons) lesson.estimatedMinutes = Math.min(600, roundToFive(lesson.estimatedMinutes * factor));
    const after = modules.reduce((sum, m) => sum + m.lessons.reduce((s, l) => s + l.estimatedMinutes, 0), 0);
    const change = factor - 1;
    const percent = Math.round(Math.abs(change) * 100);
    const scaled = `Lesson estimates totalled ${total} min against a budget of ${budget} min; every estimate was scaled ${change > 0 ? 'up' : 'down'} by ${percent}% to ${after} min.`;
    // A large correction means the outline and the budget disagree (content missing, or far too
    // much of it): a reviewer must look, so it is a warning beside the lint warnings, not a note.
    notes.push(
      Math.abs(change) > maxQuietRescale
        ? { code: 'estimates-rescaled', severity: 'warning', message: `${scaled} Check that no module or lesson is missing and that the lesson lengths are realistic.` }
        : { code: 'estimates-rescaled', severity: 'info', message: scaled },
    );
  }
  for (const module of modules) module.estimatedMinutes = module.lessons.reduce((s, l) => s + l.estimatedMinutes, 0);
  const totalEstimatedMinutes = modules.reduce((s, m) => s + m.estimatedMinutes, 0);

  if (candidate.level !== intent.level || candidate.language !== intent.language) {
    notes.push({ code: 'intent-restored', severity: 'info', message: `Level and language set to the intent's (${intent.level}, ${intent.language}).` });
  }

  return {
    syllabus: {
      title: candidate.title,
      summary: candidate.summary,
      audience: candidate.audience,
      level: intent.level,
      language: intent.language,
      totalEstimatedMinutes,
      modules,
    },
    notes,
  };
}
