import type { ContentKind, Quiz } from '../../schemas/content.js';
import type { LearningIntent } from '../../schemas/intent.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import type { ModelCallOutcome } from '../../schemas/ledger.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * What the generator is asking for. Real providers see only `messages`; the deterministic mock
 * reads `task` so it can answer without parsing prose, exactly as a recorded model would.
 */
export type ModelTask =
  | { kind: 'syllabus.generate'; intent: LearningIntent }
  | { kind: 'syllabus.repair'; intent: LearningIntent; previousOutput: string; errors: string[] }
  | { kind: 'content.generate'; request: ContentRequest }
  | { kind: 'content.repair'; request: ContentRequest; previousOutput: string; errors: string[] }
  /** One question of a quiz, rewritten; the rest of the quiz is context (core/content/question.ts). */
  | { kind: 'content.question'; request: QuestionRequest }
  | { kind: 'content.question.repair'; request: QuestionRequest; previousOutput: string; errors: string[] }
  /** A new version of a whole syllabus from the current one and an instruction (core/syllabus/revise-with-model.ts). */
  | { kind: 'syllabus.revise'; request: SyllabusRevisionRequest }
  | { kind: 'syllabus.revise.repair'; request: SyllabusRevisionRequest; previousOutput: string; errors: string[] };

/** One question of a quiz version to rewrite, with the lesson and the quiz's other questions as context. */
export interface QuestionRequest {
  syllabus: Syllabus;
  syllabusVersionId: string;
  /** The syllabus lesson the quiz belongs to. */
  lessonId: string;
  quiz: Quiz;
  questionId: string;
  instruction: string;
}

/** The course's current syllabus and what a new version should change. */
export interface SyllabusRevisionRequest {
  intent: LearningIntent;
  syllabus: Syllabus;
  instruction: string;
}

/** One piece of content inside an approved syllabus: a lesson or quiz for a lesson, a project for a module. */
export interface ContentRequest {
  contentKind: ContentKind;
  syllabus: Syllabus;
  syllabusVersionId: string;
  /** The syllabus lesson id (lesson, quiz) or module id (project). */
  targetId: string;
  instruction?: string;
}

export interface ModelRequest {
  purpose: string;
  messages: ChatMessage[];
  task: ModelTask;
  /** JSON Schema the answer must satisfy; used for structured output where the endpoint supports it. */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  maxTokens?: number;
  /** Per-attempt timeout; the caller's signal cancels the whole call. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ModelResponse {
  /** The raw text the model produced, exactly as received. */
  content: string;
  provider: string;
  model: string;
  usage: ModelUsage;
  /**
   * The model stopped because it reached its output limit (OpenAI-compatible `finish_reason:
   * "length"`): the content is a fragment, whatever it looks like, and is never accepted.
   */
  truncated?: boolean;
}

export interface ModelProvider {
  /** Stable provider name recorded on drafts and in the ledger: "mock", "openai", "replay". */
  readonly name: string;
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelResponse>;
}

export type ModelErrorKind =
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'cancelled'
  | 'auth_error'
  | 'bad_request'
  | 'circuit_open'
  | 'exhausted';

/** Failures of the transport to a model (not of the content it returns). */
export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; provider?: string; model?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ModelError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server_error' || this.kind === 'network_error' || this.kind === 'timeout';
  }
}

export function outcomeOfModelError(error: ModelError): ModelCallOutcome {
  switch (error.kind) {
    case 'rate_limited':
      return 'rate_limited';
    case 'server_error':
    case 'exhausted':
      return 'server_error';
    case 'network_error':
      return 'network_error';
    case 'timeout':
      return 'timeout';
    case 'cancelled':
      return 'cancelled';
    case 'auth_error':
      return 'auth_error';
    case 'bad_request':
      return 'bad_request';
    case 'circuit_open':
      return 'circuit_open';
  }
}

/** Pluggable check on model output before anything else sees it. */
export interface ModerationHook {
  readonly name: string;
  check(text: string): { allowed: true } | { allowed: false; reason: string };
}
