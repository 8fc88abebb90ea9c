import type { LessonContent, Project, Quiz } from '../../schemas/content.js';
import { rubricTotal } from '../../schemas/content.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import type { ContentRequest } from './port.js';

function lessonOf(syllabus: Syllabus, lessonId: string) {
  for (const module of syllabus.modules) {
    const lesson = module.lessons.find((l) => l.id === lessonId);
    if (lesson) return { module, lesson };
  }
  throw new Error(`mock: no lesson ${lessonId} in the syllabus it was given`);
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
/** Mid-sentence form of a phrase: ordinary capitalised words lose the capital, names and acronyms ("SREs", "SQL") keep it. */
const midSentence = (text: string) => (/^\p{Lu}\p{Ll}/u.test(text) ? lower(text) : text);

/** A full lesson written from its syllabus entry: the objectives, verbatim, drive every section. */
export function writeMockLesson(request: ContentRequest): LessonContent {
  const { module, lesson } = lessonOf(request.syllabus, request.targetId);
  const focus = request.instruction ? ` This version follows the reviewer's instruction: ${request.instruction.trim()}.` : '';
  return {
    id: lesson.id,
    syllabusVersionId: request.syllabusVersionId,
    moduleId: module.id,
    lessonIndex: lesson.index,
    title: lesson.title.length >= 5 ? lesson.title : `${lesson.title} — lesson`,
    durationMinutes: lesson.estimatedMinutes,
    objectives: lesson.objectives,
    explanation: {
      overview: `This lesson, part of “${module.title}”, prepares ${midSentence(request.syllabus.audience)} to ${lesson.objectives.map(lower).join('; ')}.${focus}`,
      concepts: lesson.objectives.map((objective, i) => ({
        title: `Step ${i + 1}: ${objective}`,
        explanation: `To ${lower(objective)}, start from a small, concrete case, name each part as you meet it, then check the result against what you expected before moving on.`,
        example: `A short case from “${lesson.title}”: the instructor shows how to ${lower(objective)}, explaining each decision aloud.`,
      })),
    },
    keyTakeaways: [`“${lesson.title}” builds on what came before and prepares the next lesson.`, ...lesson.objectives.map((o) => `You can now ${lower(o)}.`)],
    practice: {
      prompt: `On your own material, ${lower(lesson.objectives[0]!)}, then write two sentences on what you would change next time.`,
      expectedOutcome: `A short piece of work that shows you can ${lower(lesson.objectives[0]!)}, with a reflection naming one improvement.`,
    },
    metadata: { level: request.syllabus.level, prerequisites: lesson.prerequisites },
  };
}

/** Four distinct options per question, each question tied to one of the lesson's objectives. */
export function writeMockQuiz(request: ContentRequest): Quiz {
  const { lesson } = lessonOf(request.syllabus, request.targetId);
  const count = Math.max(3, lesson.objectives.length);
  // Like a real model, an instruction changes the answer; without one the quiz is the same every time.
  const focus = request.instruction ? ` This version follows the reviewer's instruction: ${request.instruction.trim()}.` : '';
  return {
    id: `quiz-${lesson.id}`.slice(0, 64),
    syllabusVersionId: request.syllabusVersionId,
    lessonId: lesson.id,
    title: `Check: ${lesson.title}`,
    questions: Array.from({ length: count }, (_, i) => {
      const objective = lesson.objectives[i % lesson.objectives.length]!;
      const correctIndex = (i + lesson.index) % 4;
      const wrong = ['Skip the check and move on', 'Memorise the definition only', 'Ask someone else to do it'];
      const options = [...wrong];
      options.splice(correctIndex, 0, `${objective} on a small case, then check the result`);
      return {
        id: `q${i + 1}`,
        prompt: `Which approach best shows that you can ${lower(objective)}?`,
        options,
        correctIndex,
        explanation: `Working a small case and checking it is how you show you can ${lower(objective)}; the other options skip the evidence.${i === 0 ? focus : ''}`,
        objective,
      };
    }),
  };
}

/** A module project whose rubric totals add up: each criterion is worth its best level. */
export function writeMockProject(request: ContentRequest): Project {
  const module = request.syllabus.modules.find((m) => m.id === request.targetId);
  if (!module) throw new Error(`mock: no module ${request.targetId} in the syllabus it was given`);
  const focus = request.instruction ? ` This version follows the reviewer's instruction: ${request.instruction.trim()}.` : '';
  const criteria = module.lessons.slice(0, 4).map((lesson, i) => ({
    id: `c${i + 1}`,
    title: lesson.title,
    levels: [
      { label: 'Excellent', descriptor: `Fully shows: ${lower(lesson.objectives[0]!)}, with justification.`, points: 10 },
      { label: 'Proficient', descriptor: `Shows most of: ${lower(lesson.objectives[0]!)}.`, points: 7 },
      { label: 'Developing', descriptor: `Attempts to ${lower(lesson.objectives[0]!)} with gaps.`, points: 3 },
    ],
  }));
  if (criteria.length < 2) criteria.push({ id: 'c-communication', title: 'Communication', levels: [{ label: 'Excellent', descriptor: 'Clear, well-structured presentation of the work.', points: 5 }, { label: 'Developing', descriptor: 'The work is hard to follow in places.', points: 2 }] });
  return {
    id: `project-${module.id}`.slice(0, 64),
    syllabusVersionId: request.syllabusVersionId,
    moduleId: module.id,
    title: `Project: ${module.title}`,
    problemStatement: `Apply what “${module.title}” taught to a realistic task from your own work: plan it, carry it out, and explain the choices you made along the way.${focus}`,
    constraints: ['Use your own or a public dataset', 'Keep the scope to what the module covered'],
    deliverables: ['The finished piece of work', 'A one-page write-up of your decisions'],
    rubric: { criteria, totalPoints: rubricTotal(criteria) },
  };
}

export function writeMockContent(request: ContentRequest): LessonContent | Quiz | Project {
  switch (request.contentKind) {
    case 'lesson':
      return writeMockLesson(request);
    case 'quiz':
      return writeMockQuiz(request);
    case 'project':
      return writeMockProject(request);
  }
}
