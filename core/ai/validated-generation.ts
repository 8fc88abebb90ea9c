import { CoursewrightError } from '../../schemas/errors.js';
import { parseModelJson, truncatedAnswerError } from './parse-model-json.js';
import type { ChatMessage, ModelProvider, ModelRequest, ModelResponse, ModelTask, ModelUsage, ModerationHook } from './port.js';

export type Verdict<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export type GenerationStage = 'calling-model' | 'validating' | 'repairing';

/** The settings of a model call every generator passes through unchanged from its caller. */
export interface ModelCallSettings {
  provider: ModelProvider;
  moderation?: ModerationHook | undefined;
  /** Repair round-trips after the first answer; the model sees its errors each time. */
  maxRepairs?: number | undefined;
  temperature?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Only the call settings of a generator's options (which also carry its own callbacks). */
export function modelCallSettings(options: ModelCallSettings): ModelCallSettings {
  return { provider: options.provider, moderation: options.moderation, maxRepairs: options.maxRepairs, temperature: options.temperature, timeoutMs: options.timeoutMs, signal: options.signal };
}

export interface ValidatedGenerationRequest<T> extends ModelCallSettings {
  /** 'syllabus', 'content.lesson'…: the ledger purpose is `${purpose}.generate` or `.repair`. */
  purpose: string;
  messages: ChatMessage[];
  task: ModelTask;
  repairTask: (previousOutput: string, errors: string[]) => ModelTask;
  repairMessage: (errors: string[]) => string;
  responseSchema: NonNullable<ModelRequest['responseSchema']>;
  /** Schema and cross-reference checks on the parsed answer: never throws, lists every problem. */
  judge: (value: unknown) => Verdict<T>;
  /** What failed, for the final error: "syllabus", "lesson l-intro"… */
  what: string;
  wayOut: string;
  onStage?: (stage: GenerationStage, attempt: number, maxAttempts: number, message: string) => void;
}

export interface ValidatedGeneration<T> {
  value: T;
  attempts: number;
  usage: ModelUsage;
  provider: string;
  model: string;
}

/** Raw model text → a checked value, or the reasons it is not one. */
export function judgeModelOutput<T>(raw: string, judge: (value: unknown) => Verdict<T>, moderation?: ModerationHook): Verdict<T> {
  if (moderation) {
    const verdict = moderation.check(raw);
    if (!verdict.allowed) return { ok: false, errors: [`output rejected by ${moderation.name}: ${verdict.reason}`] };
  }
  const parsed = parseModelJson(raw);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  return judge(parsed.value);
}

/** Whether an answer was cut off: the provider said so, or its JSON stops before the object ends. */
function judgeResponse<T>(response: ModelResponse, judge: (value: unknown) => Verdict<T>, moderation?: ModerationHook): Verdict<T> & { truncated: boolean } {
  if (response.truncated) return { ok: false, errors: [truncatedAnswerError('the model reported that it reached its output length limit')], truncated: true };
  if (moderation) {
    const verdict = moderation.check(response.content);
    if (!verdict.allowed) return { ok: false, errors: [`output rejected by ${moderation.name}: ${verdict.reason}`], truncated: false };
  }
  const parsed = parseModelJson(response.content);
  if (!parsed.ok) return { ok: false, errors: [parsed.error], truncated: parsed.truncated };
  return { ...judge(parsed.value), truncated: false };
}

/**
 * The model's answer is data: parsed, checked, and either repaired by the model itself (a
 * bounded number of times, shown its errors) or rejected. An answer cut off mid-way is one of
 * the rejected kinds, never completed here. Nothing here persists anything.
 */
export async function generateValidated<T>(request: ValidatedGenerationRequest<T>): Promise<ValidatedGeneration<T>> {
  const maxAttempts = 1 + (request.maxRepairs ?? 2);
  const usage: ModelUsage = { promptTokens: 0, completionTokens: 0 };
  let messages = request.messages;
  let lastErrors: string[] = [];
  let lastOutput = '';
  let truncatedAnswers = 0;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const repairing = attempt > 1;
    request.onStage?.(repairing ? 'repairing' : 'calling-model', attempt, maxAttempts, repairing ? `asking the model to fix ${lastErrors.length} problem(s)` : `asking the model for the ${request.what}`);
    const response = await request.provider.complete({
      purpose: `${request.purpose}.${repairing ? 'repair' : 'generate'}`,
      messages,
      task: repairing ? request.repairTask(lastOutput, lastErrors) : request.task,
      responseSchema: request.responseSchema,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    usage.promptTokens += response.usage.promptTokens;
    usage.completionTokens += response.usage.completionTokens;

    request.onStage?.('validating', attempt, maxAttempts, 'checking the answer');
    const verdict = judgeResponse(response, request.judge, request.moderation);
    if (verdict.ok) return { value: verdict.value, attempts: attempt, usage, provider: response.provider, model: response.model };
    if (verdict.truncated) truncatedAnswers++;
    lastErrors = verdict.errors;
    lastOutput = response.content;
    messages = [...request.messages, { role: 'assistant', content: response.content }, { role: 'user', content: request.repairMessage(verdict.errors) }];
  }

  const allCutOff =
    truncatedAnswers === maxAttempts
      ? ` Every answer was cut off at the model's output length limit: this ${request.what} needs a model (or a max-tokens setting) that allows longer answers.`
      : '';
  throw new CoursewrightError(
    'MODEL_OUTPUT_INVALID',
    `The model's ${request.what} was still invalid after ${maxAttempts} attempts, so nothing was saved. Last problems: ${lastErrors.slice(0, 5).join('; ')}.${allCutOff} ${request.wayOut}`,
    { errors: lastErrors, truncatedAnswers },
  );
}
