import type { ContentKind, ContentOf, LessonContent, Project, Quiz } from '../../schemas/content.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';

export function findLesson(syllabus: Syllabus, lessonId: string): { module: SyllabusModule; lesson: SyllabusLesson } | undefined {
  for (const module of syllabus.modules) {
    const lesson = module.lessons.find((l) => l.id === lessonId);
    if (lesson) return { module, lesson };
  }
  return undefined;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x.trim() === b[i]!.trim());

/**
 * One way content disagrees with the approved syllabus, said twice: `problem` for the model (a
 * sentence it can act on in a repair round) and `message` for a person editing by hand, with
 * `path` the field it is about, so an editor can show it beside that field.
 */
export interface CrossCheckIssue {
  path: Array<string | number>;
  problem: string;
  message: string;
}

/**
 * Content may only speak of what the approved syllabus version holds: its ids, its objectives,
 * its structure. Model output and hand edits go through these same checks.
 */
export function crossCheckContentIssues<K extends ContentKind>(kind: K, content: ContentOf<K>, syllabus: Syllabus, syllabusVersionId: string, targetId: string): CrossCheckIssue[] {
  const issues: CrossCheckIssue[] = [];
  const add = (path: Array<string | number>, problem: string, message: string) => issues.push({ path, problem, message });
  if (content.syllabusVersionId !== syllabusVersionId) {
    add(['syllabusVersionId'], `syllabusVersionId must be "${syllabusVersionId}"`, `belongs to syllabus version "${content.syllabusVersionId}", but this item is written for the approved syllabus "${syllabusVersionId}"`);
  }
  if (kind === 'project') {
    const project = content as Project;
    if (project.moduleId !== targetId) add(['moduleId'], `moduleId must be "${targetId}"`, `this project belongs to module "${targetId}" and cannot be moved to "${project.moduleId}"`);
    if (!syllabus.modules.some((m) => m.id === project.moduleId)) add(['moduleId'], `moduleId "${project.moduleId}" is not a module of the approved syllabus`, `"${project.moduleId}" is not a module of the approved syllabus`);
    return issues;
  }
  const lessonField = kind === 'lesson' ? 'id' : 'lessonId';
  const lessonId = kind === 'lesson' ? (content as LessonContent).id : (content as Quiz).lessonId;
  if (lessonId !== targetId) add([lessonField], `${lessonField} must be "${targetId}"`, `this ${kind} belongs to lesson "${targetId}" and cannot be moved to "${lessonId}"`);
  const found = findLesson(syllabus, lessonId);
  if (!found) {
    add([lessonField], `lesson "${lessonId}" is not in the approved syllabus`, `lesson "${lessonId}" is not in the approved syllabus`);
    return issues;
  }
  if (kind === 'lesson') {
    const lesson = content as LessonContent;
    if (lesson.moduleId !== found.module.id) add(['moduleId'], `moduleId must be "${found.module.id}", the module that holds lesson ${lessonId}`, `must be "${found.module.id}", the module that holds this lesson in the approved syllabus`);
    if (lesson.lessonIndex !== found.lesson.index) add(['lessonIndex'], `lessonIndex must be ${found.lesson.index}`, `must be ${found.lesson.index + 1}, where the lesson stands in its module`);
    if (!same(lesson.objectives, found.lesson.objectives)) {
      add(
        ['objectives'],
        `objectives must be exactly the syllabus lesson's objectives: ${JSON.stringify(found.lesson.objectives)}`,
        `must be exactly the approved syllabus lesson's objectives (${found.lesson.objectives.map((o) => `“${o}”`).join(', ')}); change objectives in the syllabus, not in the lesson`,
      );
    }
    const known = new Set(syllabus.modules.flatMap((m) => m.lessons.map((l) => l.id)));
    lesson.metadata.prerequisites.forEach((id, i) => {
      if (!known.has(id)) add(['metadata', 'prerequisites', i], `metadata.prerequisites names "${id}", which is not a lesson of the syllabus`, `"${id}" is not a lesson of the approved syllabus`);
    });
  } else {
    const quiz = content as Quiz;
    const objectives = new Set(found.lesson.objectives.map((o) => o.trim()));
    quiz.questions.forEach((q, i) => {
      if (!objectives.has(q.objective.trim())) add(['questions', i, 'objective'], `questions.${i}.objective must be one of the lesson's objectives, verbatim`, "must be one of the lesson's objectives, word for word");
    });
    const ids = quiz.questions.map((q) => q.id);
    if (new Set(ids).size !== ids.length) add(['questions'], 'question ids must be unique', 'two questions have the same id; every question needs its own');
  }
  return issues;
}

/** The cross-checks as sentences for the model's repair round. */
export function crossCheckContent<K extends ContentKind>(kind: K, content: ContentOf<K>, syllabus: Syllabus, syllabusVersionId: string, targetId: string): string[] {
  return crossCheckContentIssues(kind, content, syllabus, syllabusVersionId, targetId).map((issue) => issue.problem);
}
