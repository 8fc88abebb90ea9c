import { z } from 'zod';
import { contentSchemas, type ContentKind, type ContentOf } from '../../schemas/content.js';
import { describeZodIssues } from '../../schemas/errors.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { lessonPromptTemplateV1 } from '../../resources/prompts/content/lesson.v1.js';
import { projectPromptTemplateV1 } from '../../resources/prompts/content/project.v1.js';
import { quizPromptTemplateV1 } from '../../resources/prompts/content/quiz.v1.js';
import type { ContentRequest, ModelProvider, ModelUsage, ModerationHook } from '../ai/port.js';
import { fillTemplate, repairMessageOf } from '../ai/prompt-template.js';
import { generateValidated, modelCallSettings, type Verdict } from '../ai/validated-generation.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { crossCheckContent, findLesson } from './validate.js';

const templates = { lesson: lessonPromptTemplateV1, quiz: quizPromptTemplateV1, project: projectPromptTemplateV1 } as const;

/** Each content kind has its own contract; its version is the template's hash. */
export const contentPromptVersions: Record<ContentKind, string> = {
  lesson: `${lessonPromptTemplateV1.id}+sha256:${sha256Hex(canonicalJson(lessonPromptTemplateV1))}`,
  quiz: `${quizPromptTemplateV1.id}+sha256:${sha256Hex(canonicalJson(quizPromptTemplateV1))}`,
  project: `${projectPromptTemplateV1.id}+sha256:${sha256Hex(canonicalJson(projectPromptTemplateV1))}`,
};

const responseSchemas = new Map<ContentKind, Record<string, unknown>>();
function responseSchema(kind: ContentKind) {
  let schema = responseSchemas.get(kind);
  if (!schema) responseSchemas.set(kind, (schema = z.toJSONSchema(contentSchemas[kind], { io: 'input' }) as Record<string, unknown>));
  return { name: kind, schema };
}


/** The part of the syllabus the model needs: the target entry and the course around it. */
function describeRequest(request: ContentRequest): string {
  const { syllabus } = request;
  const context = { course: { title: syllabus.title, audience: syllabus.audience, level: syllabus.level, language: syllabus.language }, syllabusVersionId: request.syllabusVersionId };
  if (request.contentKind === 'project') {
    const module = syllabus.modules.find((m) => m.id === request.targetId);
    return canonicalJson({ ...context, write: 'project', module, instruction: request.instruction });
  }
  const found = findLesson(syllabus, request.targetId);
  return canonicalJson({ ...context, write: request.contentKind, module: found && { id: found.module.id, title: found.module.title }, lesson: found?.lesson, instruction: request.instruction });
}

/**
 * The messages of the first call for one item (repairs append to them). Lineage recomputes their
 * hash to find this exact call in the usage ledger, so generation and lineage must share this.
 */
export function contentPromptMessages(kind: ContentKind, target: { syllabus: Syllabus; syllabusVersionId: string; targetId: string; instruction?: string }) {
  const request: ContentRequest = { contentKind: kind, ...target };
  const template = templates[kind];
  return [
    { role: 'system' as const, content: template.system },
    { role: 'user' as const, content: fillTemplate(template.user, { request: describeRequest(request), schema: JSON.stringify(responseSchema(kind).schema) }) },
  ];
}

export interface GeneratedContent<K extends ContentKind> {
  content: ContentOf<K>;
  promptVersion: string;
  provider: string;
  model: string;
  attempts: number;
  usage: ModelUsage;
}

/**
 * One lesson, quiz or project inside an approved syllabus. The answer must pass its schema AND
 * the cross-reference checks; either failure goes back to the model like invalid JSON would.
 */
export async function generateContentItem<K extends ContentKind>(
  kind: K,
  target: { syllabus: Syllabus; syllabusVersionId: string; targetId: string; instruction?: string },
  options: { provider: ModelProvider; moderation?: ModerationHook; maxRepairs?: number; timeoutMs?: number; signal?: AbortSignal },
): Promise<GeneratedContent<K>> {
  const exists = kind === 'project' ? target.syllabus.modules.some((m) => m.id === target.targetId) : Boolean(findLesson(target.syllabus, target.targetId));
  if (!exists) throw new CoursewrightError('NOT_FOUND', `The approved syllabus has no ${kind === 'project' ? 'module' : 'lesson'} "${target.targetId}".`);
  const request: ContentRequest = { contentKind: kind, ...target };
  const template = templates[kind];
  const schema = responseSchema(kind);
  const judge = (value: unknown): Verdict<ContentOf<K>> => {
    const checked = contentSchemas[kind].safeParse(value);
    if (!checked.success) return { ok: false, errors: describeZodIssues(checked.error) };
    const problems = crossCheckContent(kind, checked.data as ContentOf<K>, target.syllabus, target.syllabusVersionId, target.targetId);
    return problems.length ? { ok: false, errors: problems } : { ok: true, value: checked.data as ContentOf<K> };
  };
  const generated = await generateValidated({
    ...modelCallSettings(options),
    purpose: `content.${kind}`,
    messages: contentPromptMessages(kind, target),
    task: { kind: 'content.generate', request },
    repairTask: (previousOutput, errors) => ({ kind: 'content.repair', request, previousOutput, errors }),
    repairMessage: repairMessageOf(template.repair),
    responseSchema: schema,
    judge,
    what: `${kind} for ${target.targetId}`,
    wayOut: 'Try again, or regenerate it with an instruction.',
  });
  return { content: generated.value, promptVersion: contentPromptVersions[kind], provider: generated.provider, model: generated.model, attempts: generated.attempts, usage: generated.usage };
}
