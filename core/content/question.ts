import { z } from 'zod';
import { Quiz, QuizQuestion } from '../../schemas/content.js';
import { CoursewrightError, describeZodIssues } from '../../schemas/errors.js';
import { questionPromptTemplateV1 as template } from '../../resources/prompts/content/question.v1.js';
import type { ChatMessage, ModelProvider, ModerationHook, QuestionRequest } from '../ai/port.js';
import { fillTemplate, repairMessageOf } from '../ai/prompt-template.js';
import { generateValidated, modelCallSettings, type Verdict } from '../ai/validated-generation.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import type { GeneratedContent } from './generate.js';
import { crossCheckContent, findLesson } from './validate.js';

/** Recorded as the promptVersion of a quiz version in which one question was regenerated. */
export const questionPromptVersion = `${template.id}+sha256:${sha256Hex(canonicalJson(template))}`;

let schema: { name: string; schema: Record<string, unknown> } | undefined;
const responseSchema = () => (schema ??= { name: 'question', schema: z.toJSONSchema(QuizQuestion, { io: 'input' }) as Record<string, unknown> });


/**
 * The messages of the first call for one question (repairs append to them). Lineage recomputes
 * their hash to find the call in the usage ledger, so generation and lineage share this.
 */
export function questionPromptMessages(request: QuestionRequest): ChatMessage[] {
  const { syllabus } = request;
  const found = findLesson(syllabus, request.lessonId);
  const described = canonicalJson({
    course: { title: syllabus.title, audience: syllabus.audience, level: syllabus.level, language: syllabus.language },
    syllabusVersionId: request.syllabusVersionId,
    module: found && { id: found.module.id, title: found.module.title },
    lesson: found?.lesson,
    quiz: { id: request.quiz.id, title: request.quiz.title, otherQuestions: request.quiz.questions.filter((q) => q.id !== request.questionId) },
    rewrite: request.quiz.questions.find((q) => q.id === request.questionId),
    instruction: request.instruction,
  });
  return [
    { role: 'system', content: template.system },
    { role: 'user', content: fillTemplate(template.user, { request: described, schema: JSON.stringify(responseSchema().schema) }) },
  ];
}

/** The quiz with only that question replaced: every other question is the very object it was. */
export function withQuestion(quiz: Quiz, question: QuizQuestion): Quiz {
  return { ...quiz, questions: quiz.questions.map((q) => (q.id === question.id ? question : q)) };
}

/**
 * One question of a quiz regenerated through the validated-generation loop. The answer must be a
 * valid question with the same id, and the quiz it makes must pass the same schema and
 * cross-checks as any generated quiz (objectives verbatim, ids unique); anything else goes back
 * to the model like invalid JSON would. The result is the whole new quiz.
 */
export async function regenerateQuizQuestion(
  request: QuestionRequest,
  options: { provider: ModelProvider; moderation?: ModerationHook; maxRepairs?: number; timeoutMs?: number; signal?: AbortSignal },
): Promise<GeneratedContent<'quiz'>> {
  const original = request.quiz.questions.find((q) => q.id === request.questionId);
  if (!original) throw new CoursewrightError('NOT_FOUND', `The quiz has no question "${request.questionId}"; its questions are ${request.quiz.questions.map((q) => q.id).join(', ')}.`);
  if (!findLesson(request.syllabus, request.lessonId)) throw new CoursewrightError('NOT_FOUND', `The approved syllabus has no lesson "${request.lessonId}".`);
  const judge = (value: unknown): Verdict<Quiz> => {
    const question = QuizQuestion.safeParse(value);
    if (!question.success) return { ok: false, errors: describeZodIssues(question.error) };
    if (question.data.id !== request.questionId) return { ok: false, errors: [`id must stay "${request.questionId}": only that question is being rewritten`] };
    const quiz = withQuestion(request.quiz, question.data);
    const checked = Quiz.safeParse(quiz);
    if (!checked.success) return { ok: false, errors: describeZodIssues(checked.error) };
    const problems = crossCheckContent('quiz', quiz, request.syllabus, request.syllabusVersionId, request.lessonId);
    return problems.length ? { ok: false, errors: problems } : { ok: true, value: quiz };
  };
  const generated = await generateValidated({
    ...modelCallSettings(options),
    purpose: 'content.question',
    messages: questionPromptMessages(request),
    task: { kind: 'content.question', request },
    repairTask: (previousOutput, errors) => ({ kind: 'content.question.repair', request, previousOutput, errors }),
    repairMessage: repairMessageOf(template.repair),
    responseSchema: responseSchema(),
    judge,
    what: `question ${request.questionId} of the quiz for ${request.lessonId}`,
    wayOut: 'Try again with a different instruction, or edit the question by hand.',
  });
  return { content: generated.value, promptVersion: questionPromptVersion, provider: generated.provider, model: generated.model, attempts: generated.attempts, usage: generated.usage };
}
