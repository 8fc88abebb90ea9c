import { monitorEventLoopDelay } from 'node:perf_hooks';
import { httpClient, type HttpClient } from './server-process.js';

export interface LearnerLoadOptions {
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
  /**
   * Latencies by request. `open` is each learner opening the course, the first request on their
   * connection: it includes setting the connection up, which the other kinds do not (see
   * runLearnerLoad).
   */
  latencyMs: { open: number[]; lesson: number[]; progress: number[]; events: number[] };
  /** TCP connections the players opened: one each for the opens, and any later one (none expected: each learner keeps theirs). */
  connections: { atOpen: number; later: number };
  /**
   * This process's own event-loop delay while the players ran: time every latency above may
   * include that was spent waiting in the load generator, not in the server.
   */
  generatorDelayMs: { p99: number; max: number };
  /** CPU the load generator itself used, in cores (on a 2-core machine, what the server and PostgreSQL could not have). */
  generatorCores: number;
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
 * Many learners' players against one server over loopback. Each learner is one browser: its own
 * kept-alive connection, one request at a time. It starts at a random moment within the first
 * cycle (a class does not press Enter together), opens the course as the player does
 * (GET /api/learn/courses/:courseId) and then, once per cycle, fetches a lesson, reports progress
 * on it and sends a batch of events. A cycle that overruns starts the next at once, so a slow
 * server gets more load, not less.
 *
 * Why the open is timed apart: a new connection waits in the kernel until the server accepts it,
 * and Node's event loop (libuv since 1.45) accepts one connection per turn, so when 200 arrive
 * within a second at a busy server the last ones wait a second or more before the server sees a
 * byte of their request (measured: 200 connections queued, accepted over 1 to 7 s). A browser has paid that once, loading the player, before the learner reads a lesson;
 * counting it in the first lesson fetch of every learner made a connection set-up tail look like
 * lesson fetch latency. It stays measured, in its own figure.
 */
export async function runLearnerLoad(options: LearnerLoadOptions): Promise<LearnerLoadResult> {
  const { baseUrl, courseId, lessonCount, cycleMs, eventsPerBatch, runId } = options;
  const result: LearnerLoadResult = {
    requests: 0,
    errorCount: 0,
    firstErrors: [],
    latencyMs: { open: [], lesson: [], progress: [], events: [] },
    connections: { atOpen: 0, later: 0 },
    generatorDelayMs: { p99: 0, max: 0 },
    generatorCores: 0,
    eventsStored: 0,
    elapsedMs: 0,
  };
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
  const clients = options.learners.map(() => httpClient({ maxSockets: 1 }));
  const generatorDelay = monitorEventLoopDelay({ resolution: 10 });
  generatorDelay.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  try {
    await Promise.all(
      options.learners.map(async (token, learner) => {
        const client = clients[learner]!;
        await sleep(Math.random() * cycleMs);
        await timed('open', () => client.get(`${baseUrl}/api/learn/courses/${courseId}`, token));
        const connectionsAtOpen = client.connectionsOpened();
        result.connections.atOpen += connectionsAtOpen;
        // Every learner goes round at least once, even when the open itself ended after the deadline.
        for (let cycle = 0; cycle === 0 || performance.now() < deadline; cycle++) {
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
        result.connections.later += client.connectionsOpened() - connectionsAtOpen;
      }),
    );
  } finally {
    generatorDelay.disable();
    for (const client of clients) client.close();
  }
  result.elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  result.generatorCores = (cpu.user + cpu.system) / 1000 / result.elapsedMs;
  result.generatorDelayMs = { p99: generatorDelay.percentile(99) / 1e6, max: generatorDelay.max / 1e6 };
  return result;
}
