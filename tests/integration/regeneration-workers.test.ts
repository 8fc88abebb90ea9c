import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService, type RegenerationService } from '../../core/regeneration/service.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem } from '../../schemas/content.js';
import { runCoursewright } from '../cli/run-cli.js';
import { tempDataDir } from '../helpers.js';

/**
 * Real `coursewright worker` processes on one database file: two processes of four workers each
 * racing over 200 triggered jobs run each exactly once, and a worker killed with SIGKILL at each
 * point of a job leaves no output; once its lease runs out the job is FAILED "worker stopped",
 * and a retry intent's new job completes while the failed row stays as it was.
 */

const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));
let dataDir: string;
let opened: ReturnType<typeof openDatabase>;
let service: RegenerationService;
let items: ContentItem[];

beforeAll(async () => {
  dataDir = tempDataDir('regeneration-workers');
  opened = openDatabase(path.join(dataDir, 'coursewright.db'));
  const engine = createEngine({ store: opened.store });
  const course = engine.createCourse({ title: 'Distributed Systems Engineering', audience: 'Backend engineers', level: 'advanced', timeBudgetHours: 120, teachingStyle: 'labs', constraints: [] }, 'dana');
  const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider({ shape: { modules: 11, lessonsPerModule: 10 } })] });
  engine.submitSyllabus(draft.id, 'dana');
  engine.approveSyllabus(draft.id, { by: 'rui' });
  items = (await createContentEngine({ store: opened.store }).generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: {}, concurrency: 8 })).generated.filter((i) => i.kind !== 'project');
  service = createRegenerationService({ store: opened.store });
}, 120_000);
afterAll(() => opened?.close());

const count = (sql: string, ...params: unknown[]) => (opened.db.prepare(sql).get(...params) as { n: number }).n;
const generatorCalls = () => count(`SELECT count(*) AS n FROM model_calls WHERE purpose LIKE 'content.%.generate'`);

function spawnWorker(args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [bin, '--data', dataDir, 'worker', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', COURSEWRIGHT_ACTOR: 'worker-test', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('two worker processes on one database', () => {
  it('run 200 triggered jobs exactly once each: one output, one COMPLETED row, 200 generator calls', async () => {
    const targets = items.slice(0, 200);
    expect(targets).toHaveLength(200);
    const jobs = targets.map((item) => service.createJob({ targetItemId: item.id, instruction: 'use a worked example from payments', actor: 'dana' }));
    service.triggerJobs(jobs.map((j) => j.id), 'rui');
    const callsBefore = generatorCalls();

    const runs = await Promise.all([0, 1].map(() => finished(spawnWorker(['--json', '--until-idle', '--concurrency', '4', '--mock-latency-ms', '5']))));
    for (const result of runs) expect(result.code, result.stderr).toBe(0);
    const summaries = runs.map((r) => JSON.parse(r.stdout) as { completed: number; failed: number; workerId: string });
    expect(summaries[0]!.completed + summaries[1]!.completed).toBe(200);
    expect(summaries.map((s) => s.failed)).toEqual([0, 0]);

    const ids = jobs.map((j) => j.id);
    const placeholders = ids.map(() => '?').join(',');
    expect(count(`SELECT count(*) AS n FROM regeneration_jobs WHERE id IN (${placeholders}) AND status = 'COMPLETED' AND output_item_id IS NOT NULL`, ...ids)).toBe(200);
    expect(count(`SELECT count(*) AS n FROM regeneration_job_outputs WHERE job_id IN (${placeholders})`, ...ids)).toBe(200);
    expect(count(`SELECT count(DISTINCT output_id) AS n FROM regeneration_job_outputs WHERE job_id IN (${placeholders})`, ...ids)).toBe(200);
    const perJob = opened.db.prepare(`SELECT entity_id, action, count(*) AS n FROM audit_log WHERE entity_id IN (${placeholders}) AND action IN ('job.locked', 'job.started', 'job.completed', 'job.failed') GROUP BY entity_id, action`).all(...ids) as Array<{ action: string; n: number }>;
    expect(perJob.filter((r) => r.action === 'job.completed')).toHaveLength(200);
    expect(perJob.filter((r) => r.action === 'job.locked')).toHaveLength(200);
    expect(perJob.filter((r) => r.action === 'job.failed')).toHaveLength(0);
    expect(perJob.every((r) => r.n === 1)).toBe(true);
    // Each output is the target's next version, drafted once: 200 new drafts, one per target.
    expect(count(`SELECT count(*) AS n FROM content_items WHERE based_on_id IN (${targets.map(() => '?').join(',')})`, ...targets.map((t) => t.id))).toBe(200);
    expect(generatorCalls() - callsBefore).toBe(200);
  }, 300_000);
});

describe('a worker killed during a job', () => {
  for (const [index, point] of (['before-model', 'after-model', 'in-output-transaction'] as const).entries()) {
    it(`at ${point}: no partial output; after the lease, FAILED "worker stopped"; a retry intent's job completes; the failed row unchanged`, async () => {
      const target = items[200 + index]!;
      const versionsBefore = count(`SELECT count(*) AS n FROM content_items WHERE kind = ? AND target_id = ?`, target.kind, target.targetId);
      const callsBefore = generatorCalls();
      const job = service.createAndTrigger({ targetItemId: target.id, instruction: 'shorter paragraphs', actor: 'dana' });
      const stopFile = path.join(dataDir, `stopped-${point}`);

      const child = spawnWorker(['--until-idle', '--concurrency', '1', '--lease-ms', '1500'], { COURSEWRIGHT_TEST_WORKER_STOP_AT: point, COURSEWRIGHT_TEST_WORKER_STOP_FILE: stopFile });
      const exit = finished(child);
      await waitFor(() => fs.existsSync(stopFile), `the worker to reach ${point}`);
      expect(fs.readFileSync(stopFile, 'utf8')).toBe(job.id);
      child.kill('SIGKILL');
      expect((await exit).signal).toBe('SIGKILL');

      // Killed mid-job: the job is still RUNNING under the dead worker's lease, and nothing of its output exists.
      expect(service.getJob(job.id)).toMatchObject({ status: 'RUNNING', outputItemId: null });
      expect(count('SELECT count(*) AS n FROM regeneration_job_outputs WHERE job_id = ?', job.id)).toBe(0);
      expect(count(`SELECT count(*) AS n FROM content_items WHERE kind = ? AND target_id = ?`, target.kind, target.targetId)).toBe(versionsBefore);
      expect(generatorCalls() - callsBefore).toBe(point === 'before-model' ? 0 : 1);

      // Once the lease has run out, whoever looks next records the stop; the job is never re-run by itself.
      await waitFor(() => Date.parse(service.getJob(job.id).leaseExpiresAt!) < Date.now() - 50, 'the lease to run out');
      const listed = await runCoursewright(['--data', dataDir, '--json', 'jobs', 'show', job.id]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.json()).toMatchObject({ job: { id: job.id, status: 'FAILED', error: 'worker stopped', outputItemId: null } });
      expect(opened.store.audit.list({ entityId: job.id }).map((e) => e.action)).toEqual(
        point === 'before-model' ? ['job.created', 'job.triggered', 'job.locked', 'job.failed'] : ['job.created', 'job.triggered', 'job.locked', 'job.started', 'job.failed'],
      );
      const failedRow = opened.db.prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(job.id);

      const intent = await runCoursewright(['--data', dataDir, '--json', 'retry-intents', 'create', job.id, '--reason', 'worker_stopped', '--text', 'the machine was restarted']);
      expect(intent.code, intent.stderr).toBe(0);
      const executed = await runCoursewright(['--data', dataDir, '--json', 'retry-intents', 'execute', intent.json().id]);
      expect(executed.code, executed.stderr).toBe(0);
      const retry = executed.json().job as { id: string };
      const rerun = await finished(spawnWorker(['--until-idle', '--concurrency', '1']));
      expect(rerun.code, rerun.stderr).toBe(0);

      expect(service.getJob(retry.id)).toMatchObject({ status: 'COMPLETED', retryOfJobId: job.id, retryIntentId: intent.json().id });
      expect(count(`SELECT count(*) AS n FROM content_items WHERE kind = ? AND target_id = ?`, target.kind, target.targetId)).toBe(versionsBefore + 1);
      expect(opened.db.prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(job.id)).toEqual(failedRow);
    }, 120_000);
  }
});
