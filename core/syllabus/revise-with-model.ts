import { describeZodIssues } from '../../schemas/errors.js';
import { SyllabusCandidate } from '../../schemas/syllabus.js';
import { syllabusRevisionPromptTemplateV1 as template } from '../../resources/prompts/syllabus/revise.v1.js';
import type { ChatMessage, SyllabusRevisionRequest } from '../ai/port.js';
import { fillTemplate, repairMessageOf } from '../ai/prompt-template.js';
import { generateValidated, modelCallSettings, type Verdict } from '../ai/validated-generation.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { finishSyllabus, type GenerateSyllabusOptions, type GeneratedSyllabus } from './generate.js';
import { syllabusResponseSchema } from './prompt.js';

/** Recorded as the promptVersion of a syllabus version a regeneration job wrote. */
export const syllabusRevisionPromptVersion = `${template.id}+sha256:${sha256Hex(canonicalJson(template))}`;


export function syllabusRevisionMessages(request: SyllabusRevisionRequest): ChatMessage[] {
  const values = {
    intent: canonicalJson(request.intent),
    syllabus: canonicalJson(request.syllabus),
    instruction: JSON.stringify(request.instruction),
    schema: JSON.stringify(syllabusResponseSchema().schema),
    minutes: String(Math.round(request.intent.timeBudgetHours * 60)),
  };
  return [
    { role: 'system', content: fillTemplate(template.system, values) },
    { role: 'user', content: fillTemplate(template.user, values) },
  ];
}

function judgeCandidate(value: unknown): Verdict<SyllabusCandidate> {
  const checked = SyllabusCandidate.safeParse(value);
  return checked.success ? { ok: true, value: checked.data } : { ok: false, errors: describeZodIssues(checked.error) };
}

/**
 * The course's current syllabus and an instruction → the next version, through the same
 * validated-generation loop, normaliser and lint as a syllabus generated from the intent. The
 * ledger purpose is the syllabus's own ("syllabus"), so lineage finds the call like any other.
 */
export async function reviseSyllabusWithModel(request: SyllabusRevisionRequest, options: GenerateSyllabusOptions): Promise<GeneratedSyllabus> {
  const generated = await generateValidated({
    ...modelCallSettings(options),
    purpose: 'syllabus',
    messages: syllabusRevisionMessages(request),
    task: { kind: 'syllabus.revise', request },
    repairTask: (previousOutput, errors) => ({ kind: 'syllabus.revise.repair', request, previousOutput, errors }),
    repairMessage: repairMessageOf(template.repair),
    responseSchema: syllabusResponseSchema(),
    judge: judgeCandidate,
    what: 'revised syllabus',
    wayOut: 'Try again with a different instruction, or edit the syllabus by hand with `syllabus edit`.',
  });
  const finished = finishSyllabus(generated.value, request.intent);
  return { ...finished, promptVersion: syllabusRevisionPromptVersion, provider: generated.provider, model: generated.model, attempts: generated.attempts, usage: generated.usage };
}
