import type { HttpClient } from './server-process.js';

export interface LearnerLoadOptions {
  client: HttpClient;
  baseUrl: string;
  /** One session token per learner; each learner is one player running at the same time as the others. */
  learners: string[];
  courseId: string;
  lessonCount: number;
  durationMs: number;
  /**
   * How often each learner's player goes round its cycle (read a lesson, report progress, send a
   * batch of events). A person reads for seconds between lessons; one cycle a second per learner is
   * already far busier than a real class.
   */
  cycleMs: number;
  eventsPerBatch: number;
  /** Event ids start with this, so several runs on one database never collide. */
  runId: string;
}

export interface LearnerLoadResult {
  requests: number;
  /** Non-2xx answers and socket errors, counted, with the first few described. */
  errorCount: number;
  firstErrors: string[];
  latencyMs: { lesson: number[]; progress: number[]; events: number[] };
  eventsStored: number;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)]!;
}

/**
 * Many learners' players against one server over loopback: each learner starts at a random
 * moment within the first cycle (as a class does not press Enter together) and then, once per
 * cycle, fetches a lesson, reports progress on it and sends a batch of events. A cycle that
 * overruns starts the next at once, so a slow server gets more load, not less.
 */
export async function runLearnerLoad(options: LearnerLoadOptions): Promise<LearnerLoadResult> {
  const { client, baseUrl, courseId, lessonCount, cycleMs, eventsPerBatch, runId } = options;
  const result: LearnerLoadResult = { requests: 0, errorCount: 0, firstErrors: [], latencyMs: { lesson: [], progress: [], events: [] }, eventsStored: 0, elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + options.durationMs;
  const fail = (what: string) => {
    result.errorCount++;
    if (result.firstErrors.length < 5) result.firstErrors.push(what);
  };
  const timed = async (kind: keyof LearnerLoadResult['latencyMs'], run: () => ReturnType<HttpClient['get']>) => {
    const sent = performance.now();
    result.requests++;
    try {
      const answer = await run();
      result.latencyMs[kind].push(performance.now() - sent);
      if (answer.status < 200 || answer.status >= 300) fail(`${kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      return answer;
    } catch (error) {
      fail(`${kind}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return null;
    }
  };
  await Promise.all(
    options.learners.map(async (token, learner) => {
      await sleep(Math.random() * cycleMs);
      for (let cycle = 0; performance.now() < deadline; cycle++) {
        const cycleStarted = performance.now();
        const lessonIndex = (learner + cycle) % lessonCount;
        await timed('lesson', () => client.get(`${baseUrl}/api/learn/courses/${courseId}/lessons/${lessonIndex}`, token));
        await timed('progress', () => client.post(`${baseUrl}/api/learn/progress`, token, { courseId, lessonIndex, completed: cycle % 2 === 1, timeSpentSeconds: 30 }));
        const occurredAt = new Date().toISOString();
        const events = Array.from({ length: eventsPerBatch }, (_, index) => ({ id: `${runId}-${learner}-${cycle}-${index}`, type: index === 0 ? 'lesson_viewed' : 'heartbeat', courseId, lessonIndex, occurredAt }));
        const stored = await timed('events', () => client.post(`${baseUrl}/api/analytics/event`, token, { events }));
        if (stored?.status === 200) result.eventsStored += stored.body.stored as number;
        const rest = cycleMs - (performance.now() - cycleStarted);
        if (rest > 0 && performance.now() + rest < deadline) await sleep(rest);
      }
    }),
  );
  result.elapsedMs = performance.now() - started;
  return result;
}
