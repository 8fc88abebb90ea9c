import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { buildServerApp, type ServerAppOptions } from '../../../server/app.js';
import { SIMULATED_LEARNERS_PASSWORD_HASH_COST } from '../../../server/auth/secrets.js';
import { openServerDatabase, type DatabaseLocation } from '../../../server/db/connection.js';
import { tenantWithKeys } from './jobs.js';
import { bearer, type TestServer } from './app.js';
import { asLearner, signUpLearner } from './learning.js';

/**
 * The server app with analytics settings of the test's choosing (inactivity window 0 unless told).
 * Its learners are all simulated, so their passwords are hashed at the floor cost: the analytics
 * suites sign up hundreds, and the real cost is covered by the auth and secrets tests.
 */
export async function startAnalyticsServer(location: DatabaseLocation, options: Partial<ServerAppOptions> = {}): Promise<TestServer> {
  const database = await openServerDatabase(location);
  const app = await buildServerApp({ analytics: { inactiveAfterDays: 0 }, passwordHashCost: SIMULATED_LEARNERS_PASSWORD_HASH_COST, ...options, database });
  return { app, database, tenantWithKeys: (name) => tenantWithKeys(database, name) };
}

export type Learner = ReturnType<typeof asLearner> & { userId: string; token: string };

/** A learner signed up through the public API (and enrolled in the course when given). */
export async function learner(server: TestServer, tenantId: string, email: string, enrolIn?: string): Promise<Learner> {
  const signed = await signUpLearner(server, tenantId, email);
  const client = asLearner(server, signed.token);
  if (enrolIn) expect((await client.post('/api/learn/enroll', { courseId: enrolIn })).statusCode).toBeLessThan(300);
  return Object.assign(client, { userId: signed.userId, token: signed.token });
}

/** Player events, sent as the player sends them; each gets a fresh id. */
export async function sendEvents(who: Learner, events: Array<{ type: string; courseId: string; lessonIndex?: number; occurredAt?: string }>): Promise<void> {
  const response = await who.post('/api/analytics/event', { events: events.map((event) => ({ id: randomUUID(), occurredAt: new Date().toISOString(), ...event })) });
  expect(response.statusCode, response.body).toBe(200);
}

export async function progress(who: Learner, courseId: string, lessonIndex: number, completed: boolean, timeSpentSeconds: number): Promise<void> {
  const response = await who.post('/api/learn/progress', { courseId, lessonIndex, completed, timeSpentSeconds });
  expect(response.statusCode, response.body).toBe(200);
}

export async function answer(who: Learner, courseId: string, lessonIndex: number, answers: number[]): Promise<void> {
  const response = await who.post(`/api/learn/courses/${courseId}/lessons/${lessonIndex}/quiz-attempts`, { answers });
  expect(response.statusCode, response.body).toBe(201);
}

/** POST /api/admin/analytics/run with a key; the parsed answer (status checked). */
export async function runAggregation(server: TestServer, adminKey: string, body: { courseId?: string; date?: string } = {}) {
  const response = await server.app.inject({ method: 'POST', url: '/api/admin/analytics/run', headers: bearer(adminKey), payload: body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { day: string; inactiveAfterDays: number; runs: Array<{ courseId: string; packageVersion: number | null; written: boolean; lessons: number; quizzes: number; items: number; signals: number; suggestionsCreated: number }> };
}

export async function getJson(server: TestServer, key: string, url: string) {
  const response = await server.app.inject({ method: 'GET', url, headers: bearer(key) });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json();
}

/** Every stored analytics row of a tenant, in a fixed order: what "the same rows" is checked against. */
export async function storedAnalytics(server: TestServer, tenantId: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    analytics_days: 'course_id, day',
    analytics_funnel_days: 'course_id, day',
    analytics_lesson_stats: 'course_id, day, lesson_index',
    analytics_quiz_stats: 'course_id, day, quiz_item_id',
    analytics_item_stats: 'course_id, day, quiz_item_id, question_index',
    analytics_signals: 'course_id, day, id',
    analytics_suggestions: 'id',
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) snapshot[table] = await server.database.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY ${order}`, [tenantId]);
  return snapshot;
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * The server stamps activity with the database's clock, so a suite that counts "today" must not
 * straddle midnight UTC: when fewer than `minutes` are left of the day, this waits until the
 * next day has begun. Call it first in beforeAll, and give beforeAll `minutes` more time.
 */
export async function clearOfMidnightUtc(minutes: number): Promise<void> {
  const now = Date.now();
  const nextMidnight = Date.parse(`${todayUtc()}T00:00:00.000Z`) + 86_400_000;
  if (nextMidnight - now < minutes * 60_000) await new Promise((resolve) => setTimeout(resolve, nextMidnight - now + 2_000));
}

/** How long beforeAll may take when it may first wait out midnight (see clearOfMidnightUtc). */
export const MIDNIGHT_GUARD_MINUTES = 10;
