import { CoursewrightError, describeZodIssues } from '../../schemas/errors.js';
import type { LearningIntent } from '../../schemas/intent.js';
import { Syllabus, SyllabusCandidate, type SyllabusWarning } from '../../schemas/syllabus.js';
import { parseModelJson } from '../ai/parse-model-json.js';
import type { ModelProvider, ModerationHook, ModelUsage } from '../ai/port.js';
import { lintSyllabus } from './lint.js';
import { normalizeSyllabus } from './normalize.js';
import { buildRepairMessages, buildSyllabusMessages, syllabusPromptVersion, syllabusResponseSchema } from './prompt.js';

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
  /** Repair round-trips after the first answer; the model sees its errors each time. */
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

type Verdict = { ok: true; candidate: SyllabusCandidate } | { ok: false; errors: string[] };

/** Raw model text → a candidate syllabus, or the reasons it is not one. Never throws. */
export function judgeSyllabusOutput(raw: string, moderation?: ModerationHook): Verdict {
  if (moderation) {
    const verdict = moderation.check(raw);
    if (!verdict.allowed) return { ok: false, errors: [`output rejected by ${moderation.name}: ${verdict.reason}`] };
  }
  const parsed = parseModelJson(raw);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const checked = SyllabusCandidate.safeParse(parsed.value);
  if (!checked.success) return { ok: false, errors: describeZodIssues(checked.error) };
  return { ok: true, candidate: checked.data };
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

/**
 * Intent → validated, normalised, linted syllabus. The model's answer is data: it is parsed,
 * validated and either repaired by the model itself (bounded) or rejected. Nothing here
 * persists anything; a failure leaves no trace but the ledger rows of the calls it made.
 */
export async function generateSyllabus(intent: LearningIntent, options: GenerateSyllabusOptions): Promise<GeneratedSyllabus> {
  const maxAttempts = 1 + (options.maxRepairs ?? 2);
  const report = (stage: SyllabusGenerationStage, attempt: number, message: string) =>
    options.onProgress?.({ stage, attempt, maxAttempts, message });
  const original = buildSyllabusMessages(intent);
  const usage: ModelUsage = { promptTokens: 0, completionTokens: 0 };
  let messages = original;
  let lastErrors: string[] = [];
  let lastOutput = '';

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const repairing = attempt > 1;
    report(repairing ? 'repairing' : 'calling-model', attempt, repairing ? `asking the model to fix ${lastErrors.length} problem(s)` : 'asking the model for a syllabus');
    const response = await options.provider.complete({
      purpose: repairing ? 'syllabus.repair' : 'syllabus.generate',
      messages,
      task: repairing ? { kind: 'syllabus.repair', intent, previousOutput: lastOutput, errors: lastErrors } : { kind: 'syllabus.generate', intent },
      responseSchema: syllabusResponseSchema(),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    usage.promptTokens += response.usage.promptTokens;
    usage.completionTokens += response.usage.completionTokens;

    report('validating', attempt, 'checking the answer against the syllabus schema');
    const verdict = judgeSyllabusOutput(response.content, options.moderation);
    if (verdict.ok) {
      report('normalizing', attempt, 'normalising ids, prerequisites and estimates');
      const finished = finishSyllabus(verdict.candidate, intent);
      report('done', attempt, `syllabus with ${finished.syllabus.modules.length} modules`);
      return {
        ...finished,
        promptVersion: syllabusPromptVersion,
        provider: response.provider,
        model: response.model,
        attempts: attempt,
        usage,
      };
    }
    lastErrors = verdict.errors;
    lastOutput = response.content;
    messages = buildRepairMessages(original, response.content, verdict.errors);
  }

  throw new CoursewrightError(
    'MODEL_OUTPUT_INVALID',
    `The model's syllabus was still invalid after ${maxAttempts} attempts, so nothing was saved. ` +
      `Last problems: ${lastErrors.slice(0, 5).join('; ')}. Try again, try another model, or write the syllabus by hand with \`syllabus edit\`.`,
    { errors: lastErrors },
  );
}
