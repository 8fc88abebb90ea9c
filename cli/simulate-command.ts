import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AnswerKeySearch } from '../core/simulation/answer-key.js';
import { planSimulation, plantOutcomes, SIMULATED_PASSWORD, simulatedLearnerEmail, type LearnerPlan, type PlantedProblem, type PlantOutcome, type SimulatedCourse, type SimulationPlan } from '../core/simulation/plan.js';
import { normalizeServerUrl } from '../core/sync/client.js';
import { CoursewrightError, type ErrorCode } from '../schemas/errors.js';
import { Enrolment, EventsAccepted, LearnerCourse, LearnerCourseList, LearnerLesson, LessonProgress, MAX_EVENTS_PER_BATCH, Purchase, QuizAttemptResult, SessionIssued } from '../server/contract.js';

export interface SimulateCommandContext {
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (text: string) => void;
}

interface SimulateOptions {
  server: string;
  tenant: string;
  course: string;
  learners: string;
  seed: string;
  plant: string[];
  concurrency: string;
}

/** A request the server refused or could not answer, worded for the person running the simulation. */
interface Answer {
  status: number;
  json: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** 429 and 503 mean the server refused before doing anything, so sending again is safe. */
const BUSY_RETRIES = 5;

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) throw new CoursewrightError('USAGE', `${flag} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return value;
}

const errorMessage = (json: unknown): string | null => {
  const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : null;
};

/**
 * The learner API over fetch: a learner's session as a bearer token, JSON in and out, answers
 * checked against the server's own contract so a wrong address is named as such.
 */
function learnerHttp(base: string) {
  async function send(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          redirect: 'error',
        });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CoursewrightError('SERVER_UNAVAILABLE', timedOut ? `The server ${base} did not answer ${method} ${path} within ${REQUEST_TIMEOUT_MS / 1000} seconds.` : `The server ${base} could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message}). Check --server and that the server is running.`);
      }
      const text = await response.text().catch(() => '');
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      if ((response.status === 429 || response.status === 503) && attempt < BUSY_RETRIES) {
        const retryAfter = Number(response.headers.get('retry-after'));
        await new Promise((resolve) => setTimeout(resolve, Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 60) * 1000 : 500 * 2 ** attempt));
        continue;
      }
      return { status: response.status, json };
    }
  }

  /** The answer's body as the contract says, or an error saying the address is not a Coursewright server. */
  function parsed<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.output<S> {
    const result = schema.safeParse(answer.json);
    if (!result.success) throw new CoursewrightError('SERVER_UNAVAILABLE', `The server ${base} answered ${what} with something that is not a Coursewright learner server's answer (HTTP ${answer.status}). Is --server the address of a Coursewright server?`);
    return result.data;
  }

  /** An answer with a status nobody planned for, as an error with the exit code its cause deserves. */
  function refused(answer: Answer, what: string): CoursewrightError {
    const said = errorMessage(answer.json) ?? `HTTP ${answer.status}`;
    const code: ErrorCode = answer.status === 401 || answer.status === 403 ? 'UNAUTHORIZED' : answer.status === 404 ? 'NOT_FOUND' : answer.status === 409 ? 'CONFLICT' : answer.status >= 500 || answer.status === 429 ? 'SERVER_UNAVAILABLE' : 'INVALID_INPUT';
    return new CoursewrightError(code, `The server ${base} refused ${what}: ${said}`, { status: answer.status });
  }

  return { base, send, parsed, refused };
}

type Http = ReturnType<typeof learnerHttp>;

/** Signs the account up, or in when it exists already (a rerun with the same seed): its token and whether it is new. */
async function signIn(http: Http, tenant: string, email: string): Promise<{ token: string; created: boolean }> {
  const signup = await http.send('POST', '/api/auth/signup', null, { tenant, email, password: SIMULATED_PASSWORD });
  if (signup.status === 201) return { token: http.parsed(SessionIssued, signup, 'a sign-up').token, created: true };
  if (signup.status === 404) throw new CoursewrightError('NOT_FOUND', `The server ${http.base} has no tenant "${tenant}". Use the tenant id that \`coursewright server tenant create\` printed (it starts with ten_).`);
  if (signup.status !== 409) throw http.refused(signup, `the sign-up of ${email}`);
  const login = await http.send('POST', '/api/auth/login', null, { tenant, email, password: SIMULATED_PASSWORD });
  if (login.status === 200) return { token: http.parsed(SessionIssued, login, 'a sign-in').token, created: false };
  if (login.status === 401) throw new CoursewrightError('CONFLICT', `${email} already has an account in tenant "${tenant}" with a password the simulator did not set. Run with another --seed.`);
  throw http.refused(login, `the sign-in of ${email}`);
}

/** Enrols the learner, buying the course first when it has a price; whether a purchase was made and whether the enrolment is new. */
async function enrol(http: Http, token: string, courseId: string, idempotencyKey: string): Promise<{ created: boolean; purchased: boolean }> {
  const first = await http.send('POST', '/api/learn/enroll', token, { courseId });
  if (first.status === 200 || first.status === 201) return { created: http.parsed(Enrolment, first, 'an enrolment').created, purchased: false };
  if (first.status === 404) throw new CoursewrightError('NOT_FOUND', `Course "${courseId}" is not live in this tenant on ${http.base}: ${errorMessage(first.json) ?? 'not found'}`);
  if (first.status === 403) throw new CoursewrightError('CONFLICT', `Course "${courseId}" is not open to learners: ${errorMessage(first.json) ?? 'forbidden'} Put it on sale (POST /api/admin/products) or make it free, then simulate again.`);
  if (first.status !== 402) throw http.refused(first, `the enrolment in ${courseId}`);
  // A priced course: buy it through the server's payment port, as the learner player does.
  const productId = (first.json as { error?: { details?: { product?: { productId?: unknown } } } }).error?.details?.product?.productId;
  if (typeof productId !== 'string') throw http.refused(first, `the enrolment in ${courseId} (a 402 without the product to buy)`);
  const purchase = await http.send('POST', '/api/store/purchase', token, { productId }, { 'idempotency-key': idempotencyKey });
  if (purchase.status === 402) throw new CoursewrightError('CONFLICT', `The server's payment provider declined the simulated purchase of course "${courseId}": ${errorMessage(purchase.json) ?? 'declined'} The simulator can only buy through a provider that accepts test purchases (the built-in "manual" one does).`);
  if (purchase.status !== 201 && purchase.status !== 200) throw http.refused(purchase, `the purchase of ${courseId}`);
  http.parsed(Purchase, purchase, 'a purchase');
  const second = await http.send('POST', '/api/learn/enroll', token, { courseId });
  if (second.status !== 200 && second.status !== 201) throw http.refused(second, `the enrolment in ${courseId} after buying it`);
  return { created: http.parsed(Enrolment, second, 'an enrolment').created, purchased: true };
}

function parsePlant(raw: string): { kind: PlantedProblem['kind']; reference: string } {
  const match = /^(miskey|dropoff|slow):(.+)$/.exec(raw.trim());
  if (!match) throw new CoursewrightError('USAGE', `--plant "${raw}" is not a plant; write miskey:QUESTION_ID (or miskey:LESSON_ID/QUESTION_ID), dropoff:LESSON_ID or slow:LESSON_ID.`);
  return { kind: match[1] as PlantedProblem['kind'], reference: match[2]!.trim() };
}

/** Turns `--plant kind:id` into lesson and question positions of this course, naming what is wrong in the course's own ids. */
function resolvePlants(raw: readonly { kind: PlantedProblem['kind']; reference: string }[], course: SimulatedCourse): PlantedProblem[] {
  const lessonIds = course.lessons.map((lesson) => lesson.lessonId);
  const listed = (ids: string[]) => (ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, … (${ids.length} in all)` : ids.join(', '));
  return raw.map(({ kind, reference }) => {
    if (kind !== 'miskey') {
      const lesson = course.lessons.find((candidate) => candidate.lessonId === reference);
      if (!lesson) throw new CoursewrightError('NOT_FOUND', `--plant ${kind}:${reference}: course "${course.courseId}" has no lesson with the id "${reference}"; its lessons are ${listed(lessonIds)}.`);
      return { kind, lessonIndex: lesson.lessonIndex };
    }
    const slash = reference.lastIndexOf('/');
    const lessonId = slash >= 0 ? reference.slice(0, slash) : null;
    const questionId = slash >= 0 ? reference.slice(slash + 1) : reference;
    const matches = course.lessons.flatMap((lesson) => (lessonId !== null && lesson.lessonId !== lessonId ? [] : lesson.questions.flatMap((question, questionIndex) => (question.questionId === questionId ? [{ lesson, questionIndex }] : []))));
    if (matches.length === 0) {
      if (lessonId !== null && !lessonIds.includes(lessonId)) throw new CoursewrightError('NOT_FOUND', `--plant miskey:${reference}: course "${course.courseId}" has no lesson with the id "${lessonId}"; its lessons are ${listed(lessonIds)}.`);
      throw new CoursewrightError('NOT_FOUND', `--plant miskey:${reference}: no quiz question of course "${course.courseId}" has the id "${questionId}"${lessonId !== null ? ` in lesson ${lessonId}` : ''}; name one as LESSON_ID/QUESTION_ID, e.g. ${course.lessons.find((lesson) => lesson.questions.length > 0)?.lessonId ?? 'LESSON'}/${course.lessons.find((lesson) => lesson.questions.length > 0)?.questions[0]?.questionId ?? 'QUESTION'}.`);
    }
    if (matches.length > 1) throw new CoursewrightError('USAGE', `--plant miskey:${reference}: question id "${questionId}" is in ${matches.length} lessons; name the lesson too, e.g. miskey:${matches[0]!.lesson.lessonId}/${questionId}.`);
    return { kind, lessonIndex: matches[0]!.lesson.lessonIndex, questionIndex: matches[0]!.questionIndex };
  });
}

export interface SimulationSummary {
  server: string;
  tenant: string;
  courseId: string;
  seed: number;
  learners: number;
  accountsCreated: number;
  enrolments: number;
  enrolmentsCreated: number;
  purchases: number;
  lessonViews: number;
  lessonCompletions: number;
  courseCompletions: number;
  stoppedEarly: number;
  attempts: number;
  firstAttempts: number;
  events: { sent: number; stored: number; duplicates: number };
  /** The account that learned the answer key before the learners started; its attempts are not in `attempts`. */
  answerKeyProbe: { email: string; attempts: number; purchased: boolean };
  planted: Array<PlantOutcome & { lessonId: string }>;
}

/** What one learner did, added up into the summary. */
interface LearnerTally {
  accountCreated: boolean;
  enrolmentCreated: boolean;
  purchased: boolean;
  lessonViews: number;
  lessonCompletions: number;
  completedCourse: boolean;
  attempts: number;
  firstAttempts: number;
  events: { sent: number; stored: number; duplicates: number };
}

type LearnerEvent = { id: string; type: string; courseId: string; lessonIndex?: number; occurredAt: string; data?: Record<string, unknown> };

/** Carries out one learner's plan through the learner API. */
async function runLearner(http: Http, options: { tenant: string; courseId: string; seed: number; courseTag: string; runStartedAt: number; lessonCount: number }, learner: LearnerPlan, live: { attempts: number }): Promise<LearnerTally> {
  const { courseId } = options;
  const account = await signIn(http, options.tenant, learner.email);
  const token = account.token;
  const enrolment = await enrol(http, token, courseId, `sim-${options.seed}-${options.courseTag}-${learner.learnerNumber}-purchase`);
  const outline = await http.send('GET', `/api/learn/courses/${encodeURIComponent(courseId)}`, token);
  if (outline.status !== 200) throw http.refused(outline, `the course page of ${courseId}`);
  const at = (secondsAgo: number) => new Date(options.runStartedAt - secondsAgo * 1000).toISOString();
  const events: LearnerEvent[] = [];
  const event = (type: string, secondsAgo: number, lessonIndex?: number, data?: Record<string, unknown>) =>
    events.push({ id: `sim-${options.seed}-${options.courseTag}-${learner.learnerNumber}-${events.length + 1}`, type, courseId, occurredAt: at(secondsAgo), ...(lessonIndex === undefined ? {} : { lessonIndex }), ...(data === undefined ? {} : { data }) });
  const tally: LearnerTally = { accountCreated: account.created, enrolmentCreated: enrolment.created, purchased: enrolment.purchased, lessonViews: 0, lessonCompletions: 0, completedCourse: false, attempts: 0, firstAttempts: 0, events: { sent: 0, stored: 0, duplicates: 0 } };
  if (learner.visits[0]) event('course_viewed', learner.visits[0].viewedSecondsAgo + 30);
  for (const visit of learner.visits) {
    const lessonPath = `/api/learn/courses/${encodeURIComponent(courseId)}/lessons/${visit.lessonIndex}`;
    const lesson = await http.send('GET', lessonPath, token);
    if (lesson.status !== 200) throw http.refused(lesson, `lesson ${visit.lessonIndex} of ${courseId}`);
    tally.lessonViews += 1;
    event('lesson_viewed', visit.viewedSecondsAgo, visit.lessonIndex);
    const leftSecondsAgo = visit.viewedSecondsAgo - visit.secondsSpent;
    for (const [attemptIndex, answers] of visit.attempts.entries()) {
      const answer = await http.send('POST', `${lessonPath}/quiz-attempts`, token, { answers });
      if (answer.status !== 201) throw http.refused(answer, `a quiz attempt on lesson ${visit.lessonIndex} of ${courseId}`);
      const result = http.parsed(QuizAttemptResult, answer, 'a quiz attempt');
      tally.attempts += 1;
      live.attempts += 1;
      if (attemptIndex === 0) tally.firstAttempts += 1;
      // The last attempt a minute before the lesson is done, earlier ones a minute apart before it.
      const attemptSecondsAgo = leftSecondsAgo + 60 * (visit.attempts.length - attemptIndex);
      event('quiz_attempted', attemptSecondsAgo, visit.lessonIndex, { attemptId: result.attemptId, score: result.score, correctCount: result.correctCount, questionCount: result.questionCount });
      if (result.passed) event('quiz_passed', attemptSecondsAgo, visit.lessonIndex, { attemptId: result.attemptId, score: result.score });
    }
    // One report covers at most a day; a longer stay is reported in day-sized parts.
    for (let remaining = visit.secondsSpent; ; ) {
      const part = Math.min(remaining, 86_400);
      remaining -= part;
      const last = remaining === 0;
      const progress = await http.send('POST', '/api/learn/progress', token, { courseId, lessonIndex: visit.lessonIndex, completed: visit.completed && last, timeSpentSeconds: part });
      if (progress.status !== 200) throw http.refused(progress, `a progress report on lesson ${visit.lessonIndex} of ${courseId}`);
      http.parsed(LessonProgress, progress, 'a progress report');
      if (last) break;
    }
    if (visit.completed) {
      tally.lessonCompletions += 1;
      event('lesson_completed', leftSecondsAgo, visit.lessonIndex, { timeSpentSeconds: visit.secondsSpent });
    }
  }
  tally.completedCourse = learner.stoppedAtLessonIndex === null && learner.visits.length === options.lessonCount;
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_BATCH) {
    const batch = events.slice(start, start + MAX_EVENTS_PER_BATCH);
    const sent = await http.send('POST', '/api/analytics/event', token, { events: batch });
    if (sent.status !== 200) throw http.refused(sent, `a batch of ${batch.length} learner events`);
    const accepted = http.parsed(EventsAccepted, sent, 'an event batch');
    tally.events.sent += batch.length;
    tally.events.stored += accepted.stored;
    tally.events.duplicates += accepted.duplicates;
  }
  return tally;
}

/**
 * The course as the simulation needs it, learned through the learner API by one probe account:
 * its lessons and questions from the lesson pages, and each quiz's key from the server's scoring
 * (see core/simulation/answer-key.ts).
 */
async function learnCourse(http: Http, options: { tenant: string; courseId: string; seed: number; courseTag: string }, plantRequests: ReturnType<typeof parsePlant>[], progress: (text: string) => void) {
  const email = simulatedLearnerEmail(options.seed, 0).replace('-0@', '-answer-key@');
  const { token } = await signIn(http, options.tenant, email);
  const list = await http.send('GET', '/api/learn/courses', token);
  if (list.status !== 200) throw http.refused(list, 'the course list');
  const courses = http.parsed(LearnerCourseList, list, 'the course list');
  if (!courses.some((course) => course.courseId === options.courseId)) {
    const live = courses.map((course) => course.courseId);
    throw new CoursewrightError('NOT_FOUND', `Course "${options.courseId}" is not live in tenant "${options.tenant}" on ${http.base}. ${live.length === 0 ? 'The tenant has no live course: publish one and release it first.' : `Its live courses: ${live.join(', ')}.`}`);
  }
  const enrolment = await enrol(http, token, options.courseId, `sim-${options.seed}-${options.courseTag}-answer-key-purchase`);
  const outlineAnswer = await http.send('GET', `/api/learn/courses/${encodeURIComponent(options.courseId)}`, token);
  if (outlineAnswer.status !== 200) throw http.refused(outlineAnswer, `the course page of ${options.courseId}`);
  const outline = http.parsed(LearnerCourse, outlineAnswer, 'the course page');
  const lessons = [];
  for (let lessonIndex = 0; lessonIndex < outline.lessonCount; lessonIndex++) {
    const answer = await http.send('GET', `/api/learn/courses/${encodeURIComponent(options.courseId)}/lessons/${lessonIndex}`, token);
    if (answer.status !== 200) throw http.refused(answer, `lesson ${lessonIndex} of ${options.courseId}`);
    lessons.push(http.parsed(LearnerLesson, answer, `lesson ${lessonIndex}`));
  }
  const shape: SimulatedCourse = { courseId: options.courseId, lessons: lessons.map((lesson) => ({ lessonIndex: lesson.lessonIndex, lessonId: lesson.lessonId, estimatedMinutes: lesson.estimatedMinutes, questions: lesson.quiz.questions.map((question) => ({ questionId: question.questionId, optionCount: question.options.length, keyIndex: -1 })) })) };
  // Plants are checked before the probe answers anything, so a typo costs no attempts.
  const plants = resolvePlants(plantRequests, shape);
  progress(`simulate: learning the answer keys of ${lessons.filter((lesson) => lesson.quiz.questions.length > 0).length} quizzes with ${email}`);
  let attempts = 0;
  for (const lesson of shape.lessons) {
    const search = new AnswerKeySearch(lesson.questions.map((question) => question.optionCount), `coursewright-simulate/${options.seed}/answer-key/${lesson.lessonId}`);
    for (let answers = search.nextAttempt(); answers !== null; answers = search.nextAttempt()) {
      const answer = await http.send('POST', `/api/learn/courses/${encodeURIComponent(options.courseId)}/lessons/${lesson.lessonIndex}/quiz-attempts`, token, { answers });
      if (answer.status !== 201) throw http.refused(answer, `a quiz attempt on lesson ${lesson.lessonIndex}`);
      const result = http.parsed(QuizAttemptResult, answer, 'a quiz attempt');
      attempts += 1;
      search.record(answers, result.questions.map((question) => question.correct));
    }
    search.result().forEach((keyIndex, questionIndex) => (lesson.questions[questionIndex]!.keyIndex = keyIndex));
  }
  return { shape, plants, probe: { email, attempts, purchased: enrolment.purchased } };
}

/** Runs `work` over the learners with at most `limit` at once; the first failure stops new work and is rethrown once the rest settle. */
async function withConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (failure === null && next < items.length) {
        const index = next++;
        try {
          results[index] = await work(items[index]!);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}

export async function simulate(options: { server: string; tenant: string; courseId: string; learners: number; seed: number; plants: string[]; concurrency: number; progress: (text: string) => void; progressEveryMs?: number }): Promise<SimulationSummary> {
  const http = learnerHttp(normalizeServerUrl(options.server));
  const plantRequests = options.plants.map(parsePlant);
  // Event ids and purchase keys name the course by a short hash: course ids may hold characters event ids may not.
  const courseTag = createHash('sha256').update(options.courseId).digest('hex').slice(0, 10);
  const common = { tenant: options.tenant, courseId: options.courseId, seed: options.seed, courseTag };
  options.progress(`simulate: ${options.learners} learners in course ${options.courseId} on ${http.base} (seed ${options.seed})`);
  const { shape, plants, probe } = await learnCourse(http, common, plantRequests, options.progress);
  const plan: SimulationPlan = planSimulation({ seed: options.seed, learners: options.learners, course: shape, plants });
  const runStartedAt = Date.now();
  const live = { done: 0, attempts: 0 };
  const report = () => options.progress(`simulate: ${live.done}/${options.learners} learners done, ${live.attempts} quiz attempts`);
  const ticker = setInterval(report, options.progressEveryMs ?? 3000);
  ticker.unref();
  let tallies: LearnerTally[];
  try {
    tallies = await withConcurrency(plan.learners, options.concurrency, async (learner) => {
      try {
        const tally = await runLearner(http, { ...common, runStartedAt, lessonCount: shape.lessons.length }, learner, live);
        live.done += 1;
        return tally;
      } catch (error) {
        if (error instanceof CoursewrightError) throw new CoursewrightError(error.code, `Simulated learner ${learner.email}: ${error.message}`, error.details);
        throw error;
      }
    });
  } finally {
    clearInterval(ticker);
  }
  report();
  const sum = (pick: (tally: LearnerTally) => number) => tallies.reduce((total, tally) => total + pick(tally), 0);
  return {
    server: http.base,
    tenant: options.tenant,
    courseId: options.courseId,
    seed: options.seed,
    learners: options.learners,
    accountsCreated: sum((tally) => Number(tally.accountCreated)),
    enrolments: tallies.length,
    enrolmentsCreated: sum((tally) => Number(tally.enrolmentCreated)),
    purchases: sum((tally) => Number(tally.purchased)),
    lessonViews: sum((tally) => tally.lessonViews),
    lessonCompletions: sum((tally) => tally.lessonCompletions),
    courseCompletions: sum((tally) => Number(tally.completedCourse)),
    stoppedEarly: plan.learners.filter((learner) => learner.stoppedAtLessonIndex !== null).length,
    attempts: sum((tally) => tally.attempts),
    firstAttempts: sum((tally) => tally.firstAttempts),
    events: { sent: sum((tally) => tally.events.sent), stored: sum((tally) => tally.events.stored), duplicates: sum((tally) => tally.events.duplicates) },
    answerKeyProbe: probe,
    planted: plantOutcomes(plan, shape).map((outcome) => ({ ...outcome, lessonId: shape.lessons[outcome.lessonIndex]!.lessonId })),
  };
}

function plantLine(plant: SimulationSummary['planted'][number]): string {
  switch (plant.kind) {
    case 'miskey':
      return `miskey ${plant.lessonId}/${plant.questionId}: the server keys option ${plant.keyIndex}, learners who know choose option ${plant.plantedAnswerIndex}; of ${plant.firstAttempts} first attempts ${plant.chosePlantedAnswer} chose option ${plant.plantedAnswerIndex} and ${plant.choseKey} the key`;
    case 'dropoff':
      return `drop-off at lesson ${plant.lessonIndex} (${plant.lessonId}): ${plant.stopped} of the ${plant.reached} learners who reached it stopped there`;
    case 'slow':
      return `slow lesson ${plant.lessonIndex} (${plant.lessonId}): median ${plant.medianMinutesSpent ?? '–'} minutes against an estimate of ${plant.estimatedMinutes} (${plant.completions} completions)`;
  }
}

export function formatSimulationSummary(summary: SimulationSummary): string {
  return [
    `Simulated ${summary.learners} learners in course ${summary.courseId} on ${summary.server} (tenant ${summary.tenant}, seed ${summary.seed}).`,
    `  accounts: ${summary.accountsCreated} created, ${summary.learners - summary.accountsCreated} signed in again`,
    `  enrolments: ${summary.enrolments} (${summary.enrolmentsCreated} new${summary.purchases > 0 ? `, ${summary.purchases} bought through the server's payment provider` : ''})`,
    `  lessons: ${summary.lessonViews} viewed, ${summary.lessonCompletions} completed; ${summary.courseCompletions} learners completed the course, ${summary.stoppedEarly} stopped early`,
    `  quiz attempts: ${summary.attempts} (${summary.firstAttempts} first attempts)`,
    `  events: ${summary.events.sent} sent, ${summary.events.stored} stored${summary.events.duplicates > 0 ? `, ${summary.events.duplicates} already there` : ''}`,
    `  answer-key probe ${summary.answerKeyProbe.email}: ${summary.answerKeyProbe.attempts} quiz attempts to learn the keys`,
    ...(summary.planted.length === 0 ? ['  planted: nothing'] : ['  planted:', ...summary.planted.map((plant) => `    ${plantLine(plant)}`)]),
  ].join('\n');
}

/** `coursewright simulate`: simulated learners through a server's public learner API, for tests and demos. */
export function registerSimulateCommand(program: Command, context: SimulateCommandContext): void {
  program
    .command('simulate')
    .description("simulated learners sign up, enrol, read and answer quizzes through a server's learner API (an item-response model; deterministic per seed), optionally with planted problems for analytics to find")
    .requiredOption('--server <url>', 'the learner server, e.g. http://127.0.0.1:8080')
    .requiredOption('--tenant <id>', 'the tenant the learners sign up in')
    .requiredOption('--course <id>', 'a live course of that tenant')
    .requiredOption('--learners <n>', 'how many learners to simulate')
    .option('--seed <n>', 'the seed: the same seed gives the same learners and answers', '1')
    .option('--plant <kind:id>', 'plant a problem (repeatable): miskey:QUESTION_ID (or LESSON_ID/QUESTION_ID), dropoff:LESSON_ID, slow:LESSON_ID', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--concurrency <n>', 'learners active at once', '8')
    .action(async (opts: SimulateOptions, cmd: Command) => {
      const learners = wholeNumber('--learners', opts.learners, 1, 100_000);
      const seed = wholeNumber('--seed', opts.seed, 0, 4_294_967_295);
      const concurrency = wholeNumber('--concurrency', opts.concurrency, 1, 200);
      for (const [flag, value] of [['--tenant', opts.tenant], ['--course', opts.course]] as const) if (!value.trim()) throw new CoursewrightError('USAGE', `${flag} must not be empty.`);
      const summary = await simulate({ server: opts.server, tenant: opts.tenant.trim(), courseId: opts.course.trim(), learners, seed, plants: opts.plant, concurrency, progress: context.progress });
      context.print(cmd, summary, () => formatSimulationSummary(summary));
    });
}
