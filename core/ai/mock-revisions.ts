import type { QuizQuestion } from '../../schemas/content.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import type { QuestionRequest, SyllabusRevisionRequest } from './port.js';

const note = ' Revised as asked: ';

/** The text before an earlier revision note, so revising again replaces the note instead of stacking them. */
const withoutNote = (text: string) => text.split(note)[0]!;
/** The instruction as one sentence, whether or not it was written with a full stop. */
const asSentence = (instruction: string) => `${instruction.trim().replace(/[.!?…]+$/u, '')}.`;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/**
 * The mock's answer to "rewrite this one question": the same question, its options and key kept,
 * its explanation carrying the instruction (as a real model's answer would reflect it). The same
 * request always gets the same answer.
 */
export function writeMockQuestion(request: QuestionRequest): QuizQuestion {
  const original = request.quiz.questions.find((q) => q.id === request.questionId);
  if (!original) throw new Error(`mock: no question ${request.questionId} in the quiz it was given`);
  return { ...original, explanation: clip(`${withoutNote(original.explanation)}${note}${asSentence(request.instruction)}`, 2000) };
}

/** The mock's revised syllabus: the same outline, its summary carrying the instruction. */
export function writeMockSyllabusRevision(request: SyllabusRevisionRequest): Syllabus {
  return { ...request.syllabus, summary: clip(`${withoutNote(request.syllabus.summary)}${note}${asSentence(request.instruction)}`, 4000) };
}
