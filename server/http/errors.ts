/**
 * Every refusal the server sends is `{error: {code, message, details?}}` with the HTTP status
 * that code maps to. Messages are for people: they say what was wrong and what to do.
 */
export const errorStatus = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HASH_MISMATCH: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
  // Learners and the store: a course that must be paid for first, and requests that are well
  // formed but cannot be applied (a quiz attempt with the wrong number of answers, an
  // Idempotency-Key reused for another purchase).
  PAYMENT_REQUIRED: 402,
  UNPROCESSABLE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
} as const;
export type ServerErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('NOT_FOUND', `${what} was not found.`);
}
