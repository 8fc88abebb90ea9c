import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import type { DatabaseLocation } from '../../server/db/connection.js';
import { runCoursewright, type CliResult } from '../cli/run-cli.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { describeOnBothDatabases, type DatabaseTarget } from './support/databases.js';
import { asCourse } from './support/learning.js';
import { freePort } from './support/server-process.js';

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));

/** Six lessons (two modules of three), three four-option questions each: small enough for 40 learners in seconds. */
const free = samplePackage({ shape: { modules: 2, lessonsPerModule: 3 } });
const lessons = free.document.modules.flatMap((module) => module.lessons);
const LEARNERS = 40;
const SEED = 7;
const MISKEYED = { lessonIndex: 1, questionIndex: 1 };
const DROPOFF_LESSON = 3;
const SLOW_LESSON = 0;
const plantArgs = [
  '--plant', `miskey:${lessons[MISKEYED.lessonIndex]!.id}/${lessons[MISKEYED.lessonIndex]!.quiz.content.questions[MISKEYED.questionIndex]!.id}`,
  '--plant', `dropoff:${lessons[DROPOFF_LESSON]!.id}`,
  '--plant', `slow:${lessons[SLOW_LESSON]!.id}`,
];
const serverKeyOfMiskeyed = lessons[MISKEYED.lessonIndex]!.quiz.content.questions[MISKEYED.questionIndex]!.correctIndex;

interface RunningServer {
  url: string;
  tenantId: string;
  location: DatabaseLocation;
  /** SIGTERM and wait; the database may then be opened by the test. */
  stop(): Promise<void>;
}

/**
 * A fresh database with a tenant and its keys, then `coursewright server start` on it as a real
 * process, with two live courses published over HTTP: course-sample (free) and course-paid (49 EUR).
 */
async function serverWithCourses(target: DatabaseTarget, folders: string[]): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-simulate-'));
  folders.push(dataDir);
  const fresh = await target.emptyLocation();
  let location: DatabaseLocation = fresh;
  let databaseArgs: string[] = [];
  if (fresh.kind === 'pglite') {
    // The embedded default lives in DATA/server/pglite.
    const folder = path.join(dataDir, 'server', 'pglite');
    fs.cpSync(fresh.dataDir!, folder, { recursive: true });
    location = { kind: 'pglite', dataDir: folder };
  } else databaseArgs = ['--database', fresh.url];
  // The tenant and keys come from the operator's commands of the same build the server runs, so
  // the test never migrates the database with sources other than the server's own.
  const admin = async (args: string[]) => {
    const result = await runCoursewright(['--json', '--data', dataDir, 'server', ...args, ...databaseArgs]);
    expect(result.code, result.stderr).toBe(0);
    return result.json();
  };
  const tenant = (await admin(['tenant', 'create', 'Simulated Academy'])) as { id: string };
  const author = (await admin(['key', 'create', '--tenant', tenant.id, '--role', 'author'])) as { key: string };
  const adminKey = (await admin(['key', 'create', '--tenant', tenant.id, '--role', 'admin'])) as { key: string };

  const child: ChildProcess = spawn(process.execPath, [bin, '--data', dataDir, 'server', 'start', '--port', '0', ...databaseArgs], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`server exited before listening: ${stderr}`)));
  });
  const call = async (method: string, urlPath: string, key: string, body: unknown) => {
    const response = await fetch(`${url}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, `${method} ${urlPath}: ${await response.clone().text()}`).toBeLessThan(300);
  };
  const paid = await asCourse(free, 'course-paid', 'Statistics for ward managers');
  for (const pkg of [free, paid]) {
    await call('PUT', `/api/packages/${pkg.contentHash}`, author.key, pkg.document);
    await call('POST', `/api/courses/${pkg.document.course.id}/releases`, author.key, { contentHash: pkg.contentHash, expectedCurrent: null });
  }
  await call('POST', '/api/admin/products', adminKey.key, { courseId: 'course-paid', priceCents: 4900, currency: 'EUR', active: true });
  return {
    url,
    tenantId: tenant.id,
    location,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const simulate = (server: { url: string; tenantId: string }, args: string[]) => runCoursewright(['simulate', '--server', server.url, '--tenant', server.tenantId, ...args]);

/**
 * Reads the stopped server's database (PGlite is one process's at a time) with plain SQL, without
 * migrating it: the schema is the one the server process created.
 */
async function inDatabase<T>(location: DatabaseLocation, read: (query: <R>(text: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
  if (location.kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const client = new PGlite(location.dataDir!);
    try {
      return await read(async (text, params) => (await client.query(text, params)).rows as never[]);
    } finally {
      await client.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return await read(async (text, params) => (await client.query(text, params)).rows);
  } finally {
    await client.end();
  }
}

/** Every chosen option on course-paid, counted per lesson, question and option: the server-side answers of a run. */
const answerCounts = (query: <R>(text: string, params?: unknown[]) => Promise<R[]>, tenantId: string) =>
  query<{ lesson_index: number; question_index: number; chosen_index: number; correct: boolean; n: number }>(
    `SELECT a.lesson_index, aa.question_index, aa.chosen_index, aa.correct, count(*)::int AS n
       FROM attempts a JOIN attempt_answers aa ON aa.tenant_id = a.tenant_id AND aa.attempt_id = a.id
      WHERE a.tenant_id = $1 AND a.course_id = 'course-paid'
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3`,
    [tenantId],
  );

describeOnBothDatabases('coursewright simulate (the real command against a real server)', (target) => {
  const folders: string[] = [];
  let server: RunningServer;
  let run: CliResult;
  beforeAll(async () => {
    server = await serverWithCourses(target, folders);
    run = await simulate(server, ['--json', '--course', 'course-paid', '--learners', String(LEARNERS), '--seed', String(SEED), '--concurrency', '6', ...plantArgs]);
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('simulates 40 learners buying, reading and answering, with progress on stderr and the summary as JSON', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/simulate: 40 learners in course course-paid/);
    expect(run.stderr).toMatch(/simulate: 40\/40 learners done/);
    const summary = run.json();
    expect(summary).toMatchObject({ courseId: 'course-paid', seed: SEED, learners: 40, accountsCreated: 40, enrolments: 40, enrolmentsCreated: 40, purchases: 40 });
    expect(summary.answerKeyProbe).toMatchObject({ email: `sim-${SEED}-answer-key@example.org`, purchased: true });
    expect(summary.events.stored).toBe(summary.events.sent);
    expect(summary.planted.map((plant: { kind: string; lessonIndex: number }) => [plant.kind, plant.lessonIndex])).toEqual([['miskey', 1], ['dropoff', DROPOFF_LESSON], ['slow', SLOW_LESSON]]);
    const dropoff = summary.planted[1];
    expect(dropoff.stopped).toBeGreaterThan(dropoff.reached / 2);
    expect(summary.planted[2].medianMinutesSpent).toBeGreaterThan(3 * lessons[SLOW_LESSON]!.estimatedMinutes);
  });

  it('refuses bad input in words, with the exit code scripts expect', async () => {
    const unknownCourse = await simulate(server, ['--course', 'course-nope', '--learners', '3', '--seed', '99']);
    expect(unknownCourse.code).toBe(4);
    expect(unknownCourse.stderr).toMatch(/Course "course-nope" is not live in tenant .*Its live courses: course-paid, course-sample/);
    const wrongTenant = await runCoursewright(['simulate', '--server', server.url, '--tenant', 'ten_nobody', '--course', 'course-paid', '--learners', '3']);
    expect(wrongTenant.code).toBe(4);
    expect(wrongTenant.stderr).toMatch(/no tenant "ten_nobody"/);
    const noLearners = await simulate(server, ['--course', 'course-paid', '--learners', '0']);
    expect(noLearners.code).toBe(2);
    expect(noLearners.stderr).toMatch(/--learners must be a whole number from 1/);
    const unreachable = await runCoursewright(['simulate', '--server', `http://127.0.0.1:${await freePort()}`, '--tenant', server.tenantId, '--course', 'course-paid', '--learners', '3']);
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toMatch(/could not be reached/);
    const badPlant = await simulate(server, ['--course', 'course-paid', '--learners', '3', '--plant', 'broken:x']);
    expect(badPlant.code).toBe(2);
    expect(badPlant.stderr).toMatch(/miskey:QUESTION_ID/);
    const unknownLesson = await simulate(server, ['--course', 'course-paid', '--learners', '3', '--seed', '99', '--plant', 'dropoff:no-such-lesson']);
    expect(unknownLesson.code).toBe(4);
    expect(unknownLesson.stderr).toContain(`its lessons are ${lessons.map((lesson) => lesson.id).join(', ')}`);
    const ambiguous = await simulate(server, ['--course', 'course-paid', '--learners', '3', '--seed', '99', '--plant', 'miskey:q1']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/"q1" is in 6 lessons; name the lesson too/);
  });

  it('enrols in a free course without buying, and a rerun with the same seed signs the same learners in and stores no event twice', async () => {
    const first = await simulate(server, ['--json', '--course', 'course-sample', '--learners', '3', '--seed', '5']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ learners: 3, accountsCreated: 3, enrolmentsCreated: 3, purchases: 0 });
    expect(first.json().answerKeyProbe.purchased).toBe(false);
    const again = await simulate(server, ['--course', 'course-sample', '--learners', '3', '--seed', '5']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/accounts: 0 created, 3 signed in again/);
    expect(again.stdout).toMatch(new RegExp(`events: ${first.json().events.sent} sent, 0 stored, ${first.json().events.sent} already there`));
  });

  it('leaves in the database exactly what the summary counts: the miskeyed question failing strong learners, the drop-off, the slow lesson', async () => {
    const summary = run.json();
    await server.stop();
    await inDatabase(server.location, async (query) => {
      const tenant = [server.tenantId];
      const [users] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND email LIKE 'sim-${SEED}-%'`, tenant);
      expect(users!.n).toBe(LEARNERS + 1);
      const enrolments = await query<{ via: string; n: number }>(`SELECT e.via, count(*)::int AS n FROM enrolments e JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id WHERE e.tenant_id = $1 AND e.course_id = 'course-paid' AND u.email LIKE 'sim-${SEED}-%' GROUP BY e.via`, tenant);
      expect(enrolments).toEqual([{ via: 'purchase', n: summary.enrolments + 1 }]);
      const [purchases] = await query<{ n: number; provider: string }>(`SELECT count(*)::int AS n, min(p.provider) AS provider FROM purchases p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id WHERE p.tenant_id = $1 AND p.course_id = 'course-paid' AND p.status = 'paid' AND u.email LIKE 'sim-${SEED}-%'`, tenant);
      expect(purchases).toEqual({ n: summary.purchases + 1, provider: 'manual' });
      const [attempts] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM attempts WHERE tenant_id = $1 AND course_id = 'course-paid'`, tenant);
      expect(attempts!.n).toBe(summary.attempts + summary.answerKeyProbe.attempts);
      const [progress] = await query<{ completed: number; touched: number }>(`SELECT count(*) FILTER (WHERE completed)::int AS completed, count(*)::int AS touched FROM lesson_progress WHERE tenant_id = $1 AND course_id = 'course-paid'`, tenant);
      expect(progress).toEqual({ completed: summary.lessonCompletions, touched: summary.lessonViews });
      const [finished] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT user_id FROM lesson_progress WHERE tenant_id = $1 AND course_id = 'course-paid' AND completed GROUP BY user_id HAVING count(*) = ${lessons.length}) done`, tenant);
      expect(finished!.n).toBe(summary.courseCompletions);
      const [events] = await query<{ n: number; newest: string }>(`SELECT count(*)::int AS n, max(occurred_at)::text AS newest FROM analytics_events WHERE tenant_id = $1 AND course_id = 'course-paid'`, tenant);
      expect(events!.n).toBe(summary.events.stored);
      // All activity lies more than a week back, so the default 7-day inactivity window applies to every learner who stopped.
      expect(Date.now() - Date.parse(events!.newest)).toBeGreaterThan(7 * 86_400_000);

      // Drop-off: the learners whose furthest lesson is the planted one, without completing it.
      const furthest = await query<{ lesson_index: number; n: number }>(
        `SELECT lesson_index, count(*)::int AS n FROM (SELECT DISTINCT ON (user_id) user_id, lesson_index, completed FROM lesson_progress WHERE tenant_id = $1 AND course_id = 'course-paid' ORDER BY user_id, lesson_index DESC) last WHERE NOT completed GROUP BY lesson_index ORDER BY n DESC`,
        tenant,
      );
      expect(furthest[0]).toEqual({ lesson_index: DROPOFF_LESSON, n: summary.planted[1].stopped });
      expect(summary.planted[1].stopped).toBeGreaterThan(LEARNERS / 2);
      // Slow lesson: the median time of those who completed it is over three times its estimate; the others stay near theirs.
      const medians = await query<{ lesson_index: number; median: number }>(`SELECT lesson_index, percentile_cont(0.5) WITHIN GROUP (ORDER BY time_spent_seconds) AS median FROM lesson_progress WHERE tenant_id = $1 AND course_id = 'course-paid' AND completed GROUP BY lesson_index ORDER BY lesson_index`, tenant);
      for (const { lesson_index, median } of medians) {
        const estimate = lessons[lesson_index]!.estimatedMinutes * 60;
        if (lesson_index === SLOW_LESSON) expect(median / estimate).toBeGreaterThan(3);
        else expect(median / estimate).toBeLessThan(1.5);
      }

      // Miskey: on first attempts, the top third by the rest of their answers mostly chose the planted option and were scored wrong.
      const firsts = await query<{ email: string; lesson_index: number; question_index: number; chosen_index: number; correct: boolean }>(
        `SELECT u.email, a.lesson_index, aa.question_index, aa.chosen_index, aa.correct
           FROM attempts a
           JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.user_id
           JOIN attempt_answers aa ON aa.tenant_id = a.tenant_id AND aa.attempt_id = a.id
          WHERE a.tenant_id = $1 AND a.course_id = 'course-paid' AND u.email <> 'sim-${SEED}-answer-key@example.org'
            AND a.created_at = (SELECT min(f.created_at) FROM attempts f WHERE f.tenant_id = a.tenant_id AND f.user_id = a.user_id AND f.course_id = a.course_id AND f.lesson_index = a.lesson_index)`,
        tenant,
      );
      const isMiskeyed = (row: { lesson_index: number; question_index: number }) => row.lesson_index === MISKEYED.lessonIndex && row.question_index === MISKEYED.questionIndex;
      const restScore = new Map<string, number>();
      for (const row of firsts) if (!isMiskeyed(row)) restScore.set(row.email, (restScore.get(row.email) ?? 0) + (row.correct ? 1 : 0));
      const onMiskeyed = firsts.filter(isMiskeyed).sort((x, y) => restScore.get(y.email)! - restScore.get(x.email)!);
      expect(onMiskeyed.length).toBe(summary.planted[0].firstAttempts);
      const topThird = onMiskeyed.slice(0, Math.ceil(onMiskeyed.length / 3));
      const bottomThird = onMiskeyed.slice(-Math.ceil(onMiskeyed.length / 3));
      const plantedOption = summary.planted[0].plantedAnswerIndex;
      expect(plantedOption).not.toBe(serverKeyOfMiskeyed);
      expect(topThird.filter((row) => !row.correct).length).toBeGreaterThan(topThird.length * 0.7);
      expect(topThird.filter((row) => row.chosen_index === plantedOption).length).toBeGreaterThan(topThird.filter((row) => row.chosen_index === serverKeyOfMiskeyed).length);
      expect(bottomThird.filter((row) => row.correct).length).toBeGreaterThan(topThird.filter((row) => row.correct).length);
      // The question beside it is one the strong learners get right.
      const clean = firsts.filter((row) => row.lesson_index === MISKEYED.lessonIndex && row.question_index === 0);
      const strong = new Set(topThird.map((row) => row.email));
      const strongOnClean = clean.filter((row) => strong.has(row.email));
      expect(strongOnClean.filter((row) => row.correct).length).toBeGreaterThan(strongOnClean.length * 0.7);
    });
  });

  it('the same seed on another fresh server gives the same answers, option by option', async () => {
    const second = await serverWithCourses(target, folders);
    try {
      const rerun = await simulate(second, ['--json', '--course', 'course-paid', '--learners', String(LEARNERS), '--seed', String(SEED), ...plantArgs]);
      expect(rerun.code, rerun.stderr).toBe(0);
      const { server: _a, tenant: _b, ...firstSummary } = run.json();
      const { server: _c, tenant: _d, ...secondSummary } = rerun.json();
      expect(secondSummary).toEqual(firstSummary);
    } finally {
      await second.stop();
    }
    const before = await inDatabase(server.location, (query) => answerCounts(query, server.tenantId));
    const after = await inDatabase(second.location, (query) => answerCounts(query, second.tenantId));
    expect(before.length).toBeGreaterThan(lessons.length * 3);
    expect(after).toEqual(before);
    const correctPerQuestion = (rows: typeof before) => rows.filter((row) => row.correct).map((row) => `${row.lesson_index}/${row.question_index}: ${row.n}`);
    expect(correctPerQuestion(after)).toEqual(correctPerQuestion(before));
  }, 600_000);
});
