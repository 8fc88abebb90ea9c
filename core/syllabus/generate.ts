import { describeZodIssues } from '../../schemas/errors.js';
import type { LearningIntent } from '../../schemas/intent.js';
import { Syllabus, SyllabusCandidate, type SyllabusWarning } from '../../schemas/syllabus.js';
import type { ModelProvider, ModerationHook, ModelUsage } from '../ai/port.js';
import { generateValidated, judgeModelOutput, modelCallSettings, type Verdict } from '../ai/validated-generation.js';
import { lintSyllabus } from './lint.js';
import { normalizeSyllabus } from './normalize.js';
import { buildSyllabusMessages, syllabusRepairMessage, syllabusPromptVersion, syllabusResponseSchema } from './prompt.js';

export type SyllabusGenerationStage = 'calling-model' | 'validating' | 'repairing' | 'normalizing' | 'done';

export interface SyllabusGenerationProgress {
  stage: SyllabusGenerationStage;
  attempt: number;
  maxAttempts: number;
  message: string;
}

export interface GenerateSyllabusOptions {
  /** The composed provider (retry, breaker, fallback, ledger already applied by the caller). */
  provider: ModelProvider;
  moderation?: ModerationHook;
  maxRepairs?: number;
  temperature?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyllabusGenerationProgress) => void;
}

export interface GeneratedSyllabus {
  syllabus: Syllabus;
  /** Normaliser notes (info) followed by lint warnings, in course order. */
  warnings: SyllabusWarning[];
  promptVersion: string;
  provider: string;
  model: string;
  attempts: number;
  usage: ModelUsage;
}

function judgeCandidate(value: unknown): Verdict<SyllabusCandidate> {
  const checked = SyllabusCandidate.safeParse(value);
  return checked.success ? { ok: true, value: checked.data } : { ok: false, errors: describeZodIssues(checked.error) };
}

/** Raw model text → a candidate syllabus, or the reasons it is not one. Never throws. */
export function judgeSyllabusOutput(raw: string, moderation?: ModerationHook): Verdict<SyllabusCandidate> {
  return judgeModelOutput(raw, judgeCandidate, moderation);
}

/** Normalises and lints a candidate; the result always satisfies the stored `Syllabus` schema. */
export function finishSyllabus(
  candidate: SyllabusCandidate,
  intent: LearningIntent,
  options: { fitTimeBudget?: boolean } = {},
): { syllabus: Syllabus; warnings: SyllabusWarning[] } {
  const { syllabus, notes } = normalizeSyllabus(candidate, intent, options);
  // The normaliser's contract is a valid Syllabus; parsing again keeps that promise checked.
  const stored = Syllabus.parse(syllabus);
  return { syllabus: stored, warnings: [...notes, ...lintSyllabus(stored, intent)] };
}

/** Intent → validated, normalised, linted syllabus; invalid answers are repaired or rejected. */
export async function generateSyllabus(intent: LearningIntent, options: GenerateSyllabusOptions): Promise<GeneratedSyllabus> {
  const messages = buildSyllabusMessages(intent);
  const generated = await generateValidated({
    ...modelCallSettings(options),
    purpose: 'syllabus',
    messages,
    task: { kind: 'syllabus.generate', intent },
    repairTask: (previousOutput, errors) => ({ kind: 'syllabus.repair', intent, previousOutput, errors }),
    repairMessage: syllabusRepairMessage,
    responseSchema: syllabusResponseSchema(),
    judge: judgeCandidate,
    what: 'syllabus',
    wayOut: 'Try again, try another model, or write the syllabus by hand with `syllabus edit`.',
    onStage: (stage, attempt, maxAttempts, message) => options.onProgress?.({ stage, attempt, maxAttempts, message }),
  });
  options.onProgress?.({ stage: 'normalizing', attempt: generated.attempts, maxAttempts: 1 + (options.maxRepairs ?? 2), message: 'normalising ids, prerequisites and estimates' });
  const finished = finishSyllabus(generated.value, intent);
  options.onProgress?.({ stage: 'done', attempt: generated.attempts, maxAttempts: 1 + (options.maxRepairs ?? 2), message: `syllabus with ${finished.syllabus.modules.length} modules` });
  return { ...finished, promptVersion: syllabusPromptVersion, provider: generated.provider, model: generated.model, attempts: generated.attempts, usage: generated.usage };
}
