import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';
import { slugify } from './normalize.js';

/**
 * Restructuring a syllabus outline by hand: add, duplicate, delete and move modules and lessons.
 * Every operation is pure (the input is never changed) and returns an outline that is valid for
 * the syllabus schema: ids fresh and well-formed, indices in order, module and course minutes
 * summed from the lessons, every module with at least one lesson. A lesson's prerequisites must
 * come earlier in the course; an operation that would break one is refused with the broken links
 * named, unless the caller asks to drop them.
 */

/** Limits of the syllabus schema (schemas/syllabus.ts). */
export const maxModules = 100;
export const maxLessonsPerModule = 60;
const maxTitle = 200;
/** The normaliser keeps ids of at most 60 characters as they are; longer ones it would rename. */
const maxIdLength = 60;

export interface BrokenPrerequisite {
  lessonId: string;
  lessonTitle: string;
  prerequisiteId: string;
  prerequisiteTitle: string;
  /** `after`: the prerequisite would come after the lesson; `deleted`: it would no longer exist. */
  why: 'after' | 'deleted';
}

/** Where a new or moved item now is, so the editor can select it. */
export interface OutlinePlace {
  moduleId: string;
  lessonId?: string;
}

export type OutlineEditResult =
  | { ok: true; syllabus: Syllabus; place: OutlinePlace; droppedPrerequisites: BrokenPrerequisite[] }
  | { ok: false; reason: 'breaks-prerequisites'; broken: BrokenPrerequisite[]; message: string }
  | { ok: false; reason: 'refused'; message: string };

export interface PrerequisiteChoice {
  /** Carry the operation out and remove the prerequisite links it breaks. */
  dropBrokenPrerequisites?: boolean;
}

/** "'Loops' needs 'Variables', which would come after it" — one sentence per broken link. */
export function describeBrokenPrerequisite(link: BrokenPrerequisite): string {
  return `'${link.lessonTitle}' needs '${link.prerequisiteTitle}', which would ${link.why === 'after' ? 'come after it' : 'be deleted'}`;
}

function refused(message: string): OutlineEditResult {
  return { ok: false, reason: 'refused', message };
}

/** Indices in order and minutes summed from the lessons, as the normaliser stores them. */
function renumber(modules: SyllabusModule[], syllabus: Syllabus): Syllabus {
  const numbered = modules.map((module, moduleIndex) => {
    const lessons = module.lessons.map((lesson, lessonIndex) => ({ ...lesson, index: lessonIndex }));
    return { ...module, index: moduleIndex, lessons, estimatedMinutes: lessons.reduce((sum, l) => sum + l.estimatedMinutes, 0) };
  });
  return { ...syllabus, modules: numbered, totalEstimatedMinutes: numbered.reduce((sum, m) => sum + m.estimatedMinutes, 0) };
}

function allIds(syllabus: Syllabus): Set<string> {
  const ids = new Set<string>();
  for (const module of syllabus.modules) {
    ids.add(module.id);
    for (const lesson of module.lessons) ids.add(lesson.id);
  }
  return ids;
}

/** A well-formed id unused by any module or lesson (the normaliser keeps ids unique across both); claims it. */
function freshId(base: string, fallback: string, used: Set<string>): string {
  const stem = slugify(base, fallback).slice(0, maxIdLength - 4).replace(/-+$/g, '') || fallback;
  let id = stem;
  for (let n = 2; used.has(id); n++) id = `${stem}-${n}`;
  used.add(id);
  return id;
}

/** A title no other item of the same kind has, so the duplicate-title lint stays quiet. */
function freshTitle(base: string, taken: Set<string>, numbered: (n: number) => string): string {
  const key = (title: string) => title.trim().toLowerCase();
  let title = base;
  for (let n = 2; taken.has(key(title)); n++) title = numbered(n);
  taken.add(key(title));
  return title;
}

function copyTitle(title: string, taken: Set<string>): string {
  const clip = (suffix: string) => `${title.slice(0, maxTitle - suffix.length).trimEnd()}${suffix}`;
  return freshTitle(clip(' (copy)'), taken, (n) => clip(` (copy ${n})`));
}

const lessonTitles = (syllabus: Syllabus) => new Set(syllabus.modules.flatMap((m) => m.lessons.map((l) => l.title.trim().toLowerCase())));
const moduleTitles = (syllabus: Syllabus) => new Set(syllabus.modules.map((m) => m.title.trim().toLowerCase()));

function findLesson(syllabus: Syllabus, lessonId: string): { moduleIndex: number; lessonIndex: number } | null {
  for (const [moduleIndex, module] of syllabus.modules.entries()) {
    const lessonIndex = module.lessons.findIndex((l) => l.id === lessonId);
    if (lessonIndex >= 0) return { moduleIndex, lessonIndex };
  }
  return null;
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, Math.trunc(value)));

/**
 * The prerequisite links that hold in `before` (the prerequisite is an earlier lesson) and not
 * in `after`: the prerequisite was deleted, or now comes at or after the lesson. Links that were
 * already wrong before are not blamed on this change.
 */
export function brokenPrerequisites(before: Syllabus, after: Syllabus): BrokenPrerequisite[] {
  const positionsOf = (syllabus: Syllabus) => new Map(syllabus.modules.flatMap((m) => m.lessons).map((l, i) => [l.id, i] as const));
  const was = positionsOf(before);
  const now = positionsOf(after);
  const titles = new Map(before.modules.flatMap((m) => m.lessons).map((l) => [l.id, l.title] as const));
  const broken: BrokenPrerequisite[] = [];
  for (const lesson of after.modules.flatMap((m) => m.lessons)) {
    const lessonWas = was.get(lesson.id);
    const lessonNow = now.get(lesson.id)!;
    for (const prerequisiteId of lesson.prerequisites) {
      const prerequisiteWas = was.get(prerequisiteId);
      if (lessonWas === undefined || prerequisiteWas === undefined || prerequisiteWas >= lessonWas) continue;
      const prerequisiteNow = now.get(prerequisiteId);
      if (prerequisiteNow !== undefined && prerequisiteNow < lessonNow) continue;
      broken.push({
        lessonId: lesson.id,
        lessonTitle: lesson.title,
        prerequisiteId,
        prerequisiteTitle: titles.get(prerequisiteId) ?? prerequisiteId,
        why: prerequisiteNow === undefined ? 'deleted' : 'after',
      });
    }
  }
  return broken;
}

/** Checks a restructured outline against the prerequisites, then numbers it. */
function settle(before: Syllabus, modules: SyllabusModule[], place: OutlinePlace, choice: PrerequisiteChoice): OutlineEditResult {
  const after = renumber(modules, before);
  const broken = brokenPrerequisites(before, after);
  if (broken.length === 0) return { ok: true, syllabus: after, place, droppedPrerequisites: [] };
  if (!choice.dropBrokenPrerequisites) {
    return { ok: false, reason: 'breaks-prerequisites', broken, message: `${broken.map(describeBrokenPrerequisite).join('; ')}.` };
  }
  const drop = new Set(broken.map((b) => `${b.lessonId}\u0000${b.prerequisiteId}`));
  const kept = after.modules.map((m) => ({
    ...m,
    lessons: m.lessons.map((l) => ({ ...l, prerequisites: l.prerequisites.filter((p) => !drop.has(`${l.id}\u0000${p}`)) })),
  }));
  return { ok: true, syllabus: { ...after, modules: kept }, place, droppedPrerequisites: broken };
}

export interface NewLessonFields {
  title?: string;
  /** Position in its module; the end when left out. */
  at?: number;
  estimatedMinutes?: number;
}

function newLesson(syllabus: Syllabus, used: Set<string>, fields: NewLessonFields, fallbackId: string): SyllabusLesson {
  const title = freshTitle(fields.title?.trim() || 'New lesson', lessonTitles(syllabus), (n) => `${fields.title?.trim() || 'New lesson'} ${n}`);
  return {
    id: freshId(title, fallbackId, used),
    index: 0,
    title,
    summary: '',
    // The schema needs one objective; this one reads as a prompt to write the real ones.
    objectives: ['Describe what learners can do after this lesson'],
    prerequisites: [],
    estimatedMinutes: clamp(fields.estimatedMinutes ?? 30, 5, 600),
    assessmentHooks: [],
  };
}

/** A new lesson (no prerequisites, so nothing can break) in the given module. */
export function addLesson(syllabus: Syllabus, moduleId: string, fields: NewLessonFields = {}): OutlineEditResult {
  const moduleIndex = syllabus.modules.findIndex((m) => m.id === moduleId);
  const module = syllabus.modules[moduleIndex];
  if (!module) return refused(`There is no module with id "${moduleId}" in this syllabus.`);
  if (module.lessons.length >= maxLessonsPerModule) return refused(`'${module.title}' already has ${maxLessonsPerModule} lessons, the most a module can hold. Add the lesson to another module.`);
  const lesson = newLesson(syllabus, allIds(syllabus), fields, `lesson-${moduleIndex + 1}-${module.lessons.length + 1}`);
  const lessons = [...module.lessons];
  lessons.splice(clamp(fields.at ?? lessons.length, 0, lessons.length), 0, lesson);
  const modules = syllabus.modules.map((m, i) => (i === moduleIndex ? { ...m, lessons } : m));
  return settle(syllabus, modules, { moduleId, lessonId: lesson.id }, {});
}

export interface NewModuleFields {
  title?: string;
  /** Position in the course; the end when left out. */
  at?: number;
}

/** A new module with one new lesson in it: the schema allows no empty module. */
export function addModule(syllabus: Syllabus, fields: NewModuleFields = {}): OutlineEditResult {
  if (syllabus.modules.length >= maxModules) return refused(`This syllabus already has ${maxModules} modules, the most a syllabus can hold.`);
  const used = allIds(syllabus);
  const base = fields.title?.trim() || 'New module';
  const title = freshTitle(base, moduleTitles(syllabus), (n) => `${base} ${n}`);
  const id = freshId(title, `module-${syllabus.modules.length + 1}`, used);
  const lesson = newLesson(syllabus, used, {}, `lesson-${syllabus.modules.length + 1}-1`);
  const module: SyllabusModule = { id, index: 0, title, summary: '', estimatedMinutes: 0, lessons: [lesson] };
  const modules = [...syllabus.modules];
  modules.splice(clamp(fields.at ?? modules.length, 0, modules.length), 0, module);
  return settle(syllabus, modules, { moduleId: id, lessonId: lesson.id }, {});
}

/**
 * A copy of the lesson right after it, with a fresh id and the same prerequisites (all earlier
 * than the original, so earlier than the copy). Lessons that need the original keep needing it.
 */
export function duplicateLesson(syllabus: Syllabus, lessonId: string): OutlineEditResult {
  const found = findLesson(syllabus, lessonId);
  if (!found) return refused(`There is no lesson with id "${lessonId}" in this syllabus.`);
  const module = syllabus.modules[found.moduleIndex]!;
  if (module.lessons.length >= maxLessonsPerModule) return refused(`'${module.title}' already has ${maxLessonsPerModule} lessons, the most a module can hold.`);
  const original = module.lessons[found.lessonIndex]!;
  const copy: SyllabusLesson = structuredClone({ ...original, id: freshId(`${original.id}-copy`, 'lesson-copy', allIds(syllabus)), title: copyTitle(original.title, lessonTitles(syllabus)) });
  const lessons = [...module.lessons];
  lessons.splice(found.lessonIndex + 1, 0, copy);
  const modules = syllabus.modules.map((m, i) => (i === found.moduleIndex ? { ...m, lessons } : m));
  return settle(syllabus, modules, { moduleId: module.id, lessonId: copy.id }, {});
}

/**
 * A copy of the module right after it: every lesson copied with a fresh id; prerequisites inside
 * the module point at the copies, prerequisites in earlier modules stay as they are.
 */
export function duplicateModule(syllabus: Syllabus, moduleId: string): OutlineEditResult {
  const moduleIndex = syllabus.modules.findIndex((m) => m.id === moduleId);
  const original = syllabus.modules[moduleIndex];
  if (!original) return refused(`There is no module with id "${moduleId}" in this syllabus.`);
  if (syllabus.modules.length >= maxModules) return refused(`This syllabus already has ${maxModules} modules, the most a syllabus can hold.`);
  const used = allIds(syllabus);
  const titles = lessonTitles(syllabus);
  const renamed = new Map(original.lessons.map((l) => [l.id, freshId(`${l.id}-copy`, 'lesson-copy', used)] as const));
  const copy: SyllabusModule = structuredClone({
    ...original,
    id: freshId(`${original.id}-copy`, 'module-copy', used),
    title: copyTitle(original.title, moduleTitles(syllabus)),
    lessons: original.lessons.map((l) => ({ ...l, id: renamed.get(l.id)!, title: copyTitle(l.title, titles), prerequisites: l.prerequisites.map((p) => renamed.get(p) ?? p) })),
  });
  const modules = [...syllabus.modules];
  modules.splice(moduleIndex + 1, 0, copy);
  return settle(syllabus, modules, { moduleId: copy.id }, {});
}

/** Removes a lesson; refused when it is its module's only lesson (delete the module instead). */
export function deleteLesson(syllabus: Syllabus, lessonId: string, choice: PrerequisiteChoice = {}): OutlineEditResult {
  const found = findLesson(syllabus, lessonId);
  if (!found) return refused(`There is no lesson with id "${lessonId}" in this syllabus.`);
  const module = syllabus.modules[found.moduleIndex]!;
  const lesson = module.lessons[found.lessonIndex]!;
  if (module.lessons.length === 1) return refused(`'${lesson.title}' is the only lesson of '${module.title}', and a module needs at least one lesson. Delete the module instead, or add another lesson first.`);
  const lessons = module.lessons.filter((l) => l.id !== lessonId);
  const modules = syllabus.modules.map((m, i) => (i === found.moduleIndex ? { ...m, lessons } : m));
  const neighbour = lessons[Math.min(found.lessonIndex, lessons.length - 1)]!;
  return settle(syllabus, modules, { moduleId: module.id, lessonId: neighbour.id }, choice);
}

/** Removes a module and its lessons; refused for the only module (a syllabus needs one). */
export function deleteModule(syllabus: Syllabus, moduleId: string, choice: PrerequisiteChoice = {}): OutlineEditResult {
  const moduleIndex = syllabus.modules.findIndex((m) => m.id === moduleId);
  const module = syllabus.modules[moduleIndex];
  if (!module) return refused(`There is no module with id "${moduleId}" in this syllabus.`);
  if (syllabus.modules.length === 1) return refused(`'${module.title}' is the only module, and a syllabus needs at least one. Add another module first.`);
  const modules = syllabus.modules.filter((m) => m.id !== moduleId);
  return settle(syllabus, modules, { moduleId: modules[Math.min(moduleIndex, modules.length - 1)]!.id }, choice);
}

/** Puts a module at `toIndex` (its position once moved, clamped to the course). */
export function moveModule(syllabus: Syllabus, moduleId: string, toIndex: number, choice: PrerequisiteChoice = {}): OutlineEditResult {
  const moduleIndex = syllabus.modules.findIndex((m) => m.id === moduleId);
  const module = syllabus.modules[moduleIndex];
  if (!module) return refused(`There is no module with id "${moduleId}" in this syllabus.`);
  const modules = syllabus.modules.filter((m) => m.id !== moduleId);
  modules.splice(clamp(toIndex, 0, modules.length), 0, module);
  return settle(syllabus, modules, { moduleId }, choice);
}

/**
 * Puts a lesson in `toModuleId` at `toIndex` (its position there once moved, clamped to that
 * module). Refused when it would leave its module empty or overfill the target.
 */
export function moveLesson(syllabus: Syllabus, lessonId: string, toModuleId: string, toIndex: number, choice: PrerequisiteChoice = {}): OutlineEditResult {
  const found = findLesson(syllabus, lessonId);
  if (!found) return refused(`There is no lesson with id "${lessonId}" in this syllabus.`);
  const targetIndex = syllabus.modules.findIndex((m) => m.id === toModuleId);
  const target = syllabus.modules[targetIndex];
  if (!target) return refused(`There is no module with id "${toModuleId}" in this syllabus.`);
  const source = syllabus.modules[found.moduleIndex]!;
  const lesson = source.lessons[found.lessonIndex]!;
  if (targetIndex !== found.moduleIndex) {
    if (source.lessons.length === 1) return refused(`'${lesson.title}' is the only lesson of '${source.title}', and a module needs at least one lesson. Add another lesson to '${source.title}' first, or delete that module.`);
    if (target.lessons.length >= maxLessonsPerModule) return refused(`'${target.title}' already has ${maxLessonsPerModule} lessons, the most a module can hold.`);
  }
  const modules = syllabus.modules.map((m) => ({ ...m, lessons: m.lessons.filter((l) => l.id !== lessonId) }));
  const lessons = modules[targetIndex]!.lessons;
  lessons.splice(clamp(toIndex, 0, lessons.length), 0, lesson);
  return settle(syllabus, modules, { moduleId: toModuleId, lessonId }, choice);
}

/**
 * Where a lesson goes one step up or down in course order: within its module, or across the
 * boundary to the end of the previous module / the start of the next. Null at either end of the course.
 */
export function lessonStep(syllabus: Syllabus, lessonId: string, direction: -1 | 1): { toModuleId: string; toIndex: number } | null {
  const found = findLesson(syllabus, lessonId);
  if (!found) return null;
  const module = syllabus.modules[found.moduleIndex]!;
  const toIndex = found.lessonIndex + direction;
  if (toIndex >= 0 && toIndex < module.lessons.length) return { toModuleId: module.id, toIndex };
  const neighbour = syllabus.modules[found.moduleIndex + direction];
  if (!neighbour) return null;
  return { toModuleId: neighbour.id, toIndex: direction === -1 ? neighbour.lessons.length : 0 };
}
