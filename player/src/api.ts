import type { z } from 'zod';
import type { CourseProgress, Enrolment, LearnerCourse, LearnerCourseList, LearnerLesson, Me, Purchase, QuizAttemptResult, SessionIssued } from '../../server/contract.js';

/**
 * The player's calls to its own server. The session is the httpOnly cookie the server sets at
 * sign-in (never readable by scripts); every call is same-origin, which the server requires of
 * cookie-authenticated writes.
 */

export type Course = z.output<typeof LearnerCourse>;
export type CourseSummary = z.output<typeof LearnerCourseList>[number];
export type Lesson = z.output<typeof LearnerLesson>;
export type Progress = z.output<typeof CourseProgress>;
export type AttemptResult = z.output<typeof QuizAttemptResult>;
export type Learner = z.output<typeof Me>;

/** A refusal or failure in words a learner can act on; `fields` maps form fields to what is wrong with them. */
export class PlayerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields: Record<string, string> = {},
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
  /** True when the request may not have reached the server, so the same request may be sent again. */
  get unanswered(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method, headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new PlayerError('The server could not be reached. Check your connection and try again.', 0, 'OFFLINE');
  }
  if (response.status === 204) return undefined as T;
  const parsed = (await response.json().catch(() => null)) as (T & ErrorBody) | null;
  if (response.ok && parsed !== null) return parsed;
  const error = parsed?.error;
  const fields: Record<string, string> = {};
  if (Array.isArray(error?.details)) {
    for (const detail of error.details as { path?: string; message?: string }[]) {
      const field = typeof detail.path === 'string' ? detail.path.replace(/^body\./, '') : '';
      if (field && typeof detail.message === 'string') fields[field] ??= detail.message;
    }
  }
  const message = error?.message ?? (response.status >= 500 ? 'The server failed to answer; try again in a moment.' : `The server refused the request (HTTP ${response.status}).`);
  throw new PlayerError(message, response.status, error?.code ?? 'HTTP', fields, error?.details);
}

export const api = {
  signUp: (tenant: string, email: string, password: string) => call<z.output<typeof SessionIssued>>('POST', '/api/auth/signup', { tenant, email, password }),
  signIn: (tenant: string, email: string, password: string) => call<z.output<typeof SessionIssued>>('POST', '/api/auth/login', { tenant, email, password }),
  signOut: () => call<void>('POST', '/api/auth/logout'),
  me: () => call<Learner>('GET', '/api/auth/me'),
  courses: () => call<CourseSummary[]>('GET', '/api/learn/courses'),
  course: (courseId: string) => call<Course>('GET', `/api/learn/courses/${encodeURIComponent(courseId)}`),
  lesson: (courseId: string, index: number) => call<Lesson>('GET', `/api/learn/courses/${encodeURIComponent(courseId)}/lessons/${index}`),
  progress: (courseId: string) => call<Progress>('GET', `/api/learn/progress/${encodeURIComponent(courseId)}`),
  enrol: (courseId: string) => call<z.output<typeof Enrolment>>('POST', '/api/learn/enroll', { courseId }),
  reportProgress: (courseId: string, lessonIndex: number, completed: boolean, timeSpentSeconds: number) => call<unknown>('POST', '/api/learn/progress', { courseId, lessonIndex, completed, timeSpentSeconds }),
  attemptQuiz: (courseId: string, index: number, answers: number[]) => call<AttemptResult>('POST', `/api/learn/courses/${encodeURIComponent(courseId)}/lessons/${index}/quiz-attempts`, { answers }),
  purchase: (productId: string, idempotencyKey: string) => call<z.output<typeof Purchase>>('POST', '/api/store/purchase', { productId }, { 'idempotency-key': idempotencyKey }),
};

/**
 * One Idempotency-Key per purchase: made when Buy is first pressed and kept (in storage, so a
 * reload keeps it too) until the server has answered, so pressing Buy again after a lost answer
 * resends the same key and the server charges once.
 */
export function purchaseKeys(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, owner: string) {
  const key = (productId: string) => `coursewright.player.purchase.${owner}.${productId}`;
  return {
    keyFor(productId: string): string {
      const existing = storage.getItem(key(productId));
      if (existing) return existing;
      const created = crypto.randomUUID();
      storage.setItem(key(productId), created);
      return created;
    },
    answered(productId: string): void {
      storage.removeItem(key(productId));
    },
  };
}
