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
 * Content may only speak of what the approved syllabus version holds: its ids, its objectives,
 * its structure. Each problem is a sentence the model can act on in a repair round.
 */
export function crossCheckContent<K extends ContentKind>(kind: K, content: ContentOf<K>, syllabus: Syllabus, syllabusVersionId: string, targetId: string): string[] {
  const problems: string[] = [];
  if (content.syllabusVersionId !== syllabusVersionId) problems.push(`syllabusVersionId must be "${syllabusVersionId}"`);
  if (kind === 'project') {
    const project = content as Project;
    if (project.moduleId !== targetId) problems.push(`moduleId must be "${targetId}"`);
    if (!syllabus.modules.some((m) => m.id === project.moduleId)) problems.push(`moduleId "${project.moduleId}" is not a module of the approved syllabus`);
    return problems;
  }
  const lessonId = kind === 'lesson' ? (content as LessonContent).id : (content as Quiz).lessonId;
  if (lessonId !== targetId) problems.push(`${kind === 'lesson' ? 'id' : 'lessonId'} must be "${targetId}"`);
  const found = findLesson(syllabus, lessonId);
  if (!found) return [...problems, `lesson "${lessonId}" is not in the approved syllabus`];
  if (kind === 'lesson') {
    const lesson = content as LessonContent;
    if (lesson.moduleId !== found.module.id) problems.push(`moduleId must be "${found.module.id}", the module that holds lesson ${lessonId}`);
    if (lesson.lessonIndex !== found.lesson.index) problems.push(`lessonIndex must be ${found.lesson.index}`);
    if (!same(lesson.objectives, found.lesson.objectives)) problems.push(`objectives must be exactly the syllabus lesson's objectives: ${JSON.stringify(found.lesson.objectives)}`);
    const known = new Set(syllabus.modules.flatMap((m) => m.lessons.map((l) => l.id)));
    for (const id of lesson.metadata.prerequisites) if (!known.has(id)) problems.push(`metadata.prerequisites names "${id}", which is not a lesson of the syllabus`);
  } else {
    const quiz = content as Quiz;
    const objectives = new Set(found.lesson.objectives.map((o) => o.trim()));
    quiz.questions.forEach((q, i) => {
      if (!objectives.has(q.objective.trim())) problems.push(`questions.${i}.objective must be one of the lesson's objectives, verbatim`);
    });
    const ids = quiz.questions.map((q) => q.id);
    if (new Set(ids).size !== ids.length) problems.push('question ids must be unique');
  }
  return problems;
}
