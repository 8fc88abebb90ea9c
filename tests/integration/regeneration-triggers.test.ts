import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService, type RegenerationService } from '../../core/regeneration/service.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem } from '../../schemas/content.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * Raw SQL against the job, output and retry-intent tables, as a bug or a hand-run statement
 * would write it: each protected column is refused with its own trigger's sentence, and the
 * updates the worker and the people make are still allowed.
 */

let opened: ReturnType<typeof openDatabase>;
let service: RegenerationService;
let quizzes: ContentItem[];

beforeEach(async () => {
  opened = openDatabase(path.join(tempDataDir('regeneration-triggers'), 'coursewright.db'));
  const engine = createEngine({ store: opened.store });
  const { course } = await createCourseWithApprovedSyllabus(engine);
  quizzes = (await createContentEngine({ store: opened.store }).generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'quiz' } })).generated;
  service = createRegenerationService({ store: opened.store });
});
afterEach(() => opened.close());

const run = (sql: string, ...params: unknown[]) => () => opened.db.prepare(sql).run(...params);
const row = (table: string, id: string) => opened.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id);

const writtenOnce = 'a regeneration job is written once; only its status, trigger, lease, heartbeat, output, error and finish time change';
const final = 'completed and failed regeneration jobs are final and never run again; a retry is a new job created from a retry intent';
const flow = 'regeneration jobs move only PENDING → TRIGGERED → RUNNING → COMPLETED or FAILED (cancelling ends an active job FAILED)';
const triggerRecorded = 'who triggered a job and when is written once, when it moves from PENDING to TRIGGERED';
const leaseHeld = "a job is leased once, by the worker that claims it; only that running job's lease and heartbeat are renewed";
const outputOnce = "a job's output is written once, when the job completes, and must be the draft version recorded for it";
const endRecorded = "a job's error and finish time are written once, when it ends (FAILED with the reason)";

describe('regeneration job triggers', () => {
  it('refuse changing any column written at creation, each with the written-once sentence', () => {
    const job = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    const attacks: Array<[string, unknown]> = [
      ['id', 'job_other'],
      ['course_id', 'crs_other'],
      ['target_kind', 'lesson'],
      ['target_item_id', quizzes[1]!.id],
      ['target_ref', 'm9-elsewhere'],
      ['instruction', 'something else'],
      ['source_json', '{"type":"suggestion","suggestionId":"s","signalId":null}'],
      ['model_json', '{"provider":"openai"}'],
      ['created_by', 'mallory'],
      ['created_at', '2000-01-01T00:00:00.000Z'],
      ['original_job_id', 'job_other'],
      ['retry_of_job_id', 'job_other'],
      ['retry_intent_id', 'rti_other'],
    ];
    const before = row('regeneration_jobs', job.id);
    for (const [column, value] of attacks) expect(run(`UPDATE regeneration_jobs SET ${column} = ? WHERE id = ?`, value, job.id), column).toThrow(writtenOnce);
    expect(row('regeneration_jobs', job.id)).toEqual(before);
  });

  it('refuse status moves outside the flow, and allow each move in it', () => {
    const job = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    const at = '2026-06-01T09:00:00.000Z';
    const later = '2026-06-01T09:05:00.000Z';
    expect(run(`UPDATE regeneration_jobs SET status = 'RUNNING' WHERE id = ?`, job.id)).toThrow(flow);
    expect(run(`UPDATE regeneration_jobs SET status = 'COMPLETED' WHERE id = ?`, job.id)).toThrow(flow);
    expect(run(`UPDATE regeneration_jobs SET status = 'TRIGGERED' WHERE id = ?`, job.id)).toThrow(triggerRecorded);
    expect(run(`UPDATE regeneration_jobs SET triggered_by = 'mallory' WHERE id = ?`, job.id)).toThrow(triggerRecorded);
    run(`UPDATE regeneration_jobs SET status = 'TRIGGERED', triggered_by = 'rui', triggered_at = ? WHERE id = ?`, at, job.id)();
    expect(run(`UPDATE regeneration_jobs SET status = 'PENDING' WHERE id = ?`, job.id)).toThrow(flow);
    expect(run(`UPDATE regeneration_jobs SET triggered_at = ? WHERE id = ?`, later, job.id)).toThrow(triggerRecorded);
    expect(run(`UPDATE regeneration_jobs SET status = 'RUNNING' WHERE id = ?`, job.id)).toThrow(leaseHeld);
    expect(run(`UPDATE regeneration_jobs SET worker_id = 'w' WHERE id = ?`, job.id)).toThrow(leaseHeld);
    run(`UPDATE regeneration_jobs SET status = 'RUNNING', worker_id = 'w1', lease_expires_at = ?, heartbeat_at = ?, started_at = ? WHERE id = ?`, later, at, at, job.id)();
    // A heartbeat renews the lease; the holder and start time stay.
    run(`UPDATE regeneration_jobs SET lease_expires_at = ?, heartbeat_at = ? WHERE id = ?`, '2026-06-01T09:10:00.000Z', later, job.id)();
    expect(run(`UPDATE regeneration_jobs SET worker_id = 'w2' WHERE id = ?`, job.id)).toThrow(leaseHeld);
    expect(run(`UPDATE regeneration_jobs SET started_at = ? WHERE id = ?`, later, job.id)).toThrow(leaseHeld);
    expect(run(`UPDATE regeneration_jobs SET status = 'TRIGGERED' WHERE id = ?`, job.id)).toThrow(flow);
    expect(run(`UPDATE regeneration_jobs SET error = 'x' WHERE id = ?`, job.id)).toThrow(endRecorded);
    expect(run(`UPDATE regeneration_jobs SET finished_at = ? WHERE id = ?`, later, job.id)).toThrow(endRecorded);
    expect(run(`UPDATE regeneration_jobs SET status = 'FAILED' WHERE id = ?`, job.id)).toThrow(endRecorded);
    // Completing needs the output row recorded for this job.
    expect(run(`UPDATE regeneration_jobs SET output_item_id = ? WHERE id = ?`, quizzes[1]!.id, job.id)).toThrow(outputOnce);
    expect(run(`UPDATE regeneration_jobs SET status = 'COMPLETED', output_item_id = ?, finished_at = ? WHERE id = ?`, quizzes[1]!.id, later, job.id)).toThrow(outputOnce);
    run(`INSERT INTO regeneration_job_outputs (job_id, output_kind, output_id, created_at) VALUES (?, 'quiz', ?, ?)`, job.id, quizzes[1]!.id, later)();
    run(`UPDATE regeneration_jobs SET status = 'COMPLETED', output_item_id = ?, finished_at = ? WHERE id = ?`, quizzes[1]!.id, later, job.id)();
    expect(service.getJob(job.id)).toMatchObject({ status: 'COMPLETED', outputItemId: quizzes[1]!.id });
  });

  it('refuse every change to a completed or failed job, and deleting any job', () => {
    const failed = service.cancelJob(service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' }).id, 'dana');
    const before = row('regeneration_jobs', failed.id);
    for (const [column, value] of [
      ['status', 'TRIGGERED'],
      ['status', 'PENDING'],
      ['error', 'nothing happened'],
      ['finished_at', null],
      ['instruction', 'other'],
      ['lease_expires_at', '2030-01-01T00:00:00.000Z'],
      ['output_item_id', quizzes[1]!.id],
    ] as const) {
      expect(run(`UPDATE regeneration_jobs SET ${column} = ? WHERE id = ?`, value, failed.id), column).toThrow(final);
    }
    expect(run('DELETE FROM regeneration_jobs WHERE id = ?', failed.id)).toThrow('regeneration jobs cannot be deleted');
    const pending = service.createJob({ targetItemId: quizzes[1]!.id, instruction: 'x', actor: 'dana' });
    expect(run('DELETE FROM regeneration_jobs WHERE id = ?', pending.id)).toThrow('regeneration jobs cannot be deleted');
    expect(row('regeneration_jobs', failed.id)).toEqual(before);
  });

  it('refuse a job inserted past PENDING or with a second active job for the target', () => {
    const insert = (id: string, status: string, extra = '') =>
      run(
        `INSERT INTO regeneration_jobs (id, course_id, target_kind, target_item_id, target_ref, instruction, source_json, model_json, created_by, created_at, original_job_id, status${extra ? ', error, finished_at' : ''})
         VALUES (?, ?, 'quiz', ?, ?, 'x', '{"type":"designer"}', '{}', 'mallory', '2026-01-01T00:00:00.000Z', ?, ?${extra})`,
        id,
        quizzes[0]!.courseId,
        quizzes[0]!.id,
        quizzes[0]!.targetId,
        id,
        status,
      );
    expect(insert('job_a', 'COMPLETED')).toThrow('a regeneration job starts PENDING');
    expect(insert('job_b', 'PENDING', ", 'boom', '2026-01-01T00:00:00.000Z'")).toThrow('a regeneration job starts PENDING');
    insert('job_c', 'PENDING')();
    expect(insert('job_d', 'PENDING')).toThrow(/UNIQUE constraint failed: regeneration_jobs\.course_id/);
  });
});

describe('job output and retry intent triggers', () => {
  it('outputs are written only while the job runs, once, and never changed or deleted', () => {
    const job = service.createAndTrigger({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    const insertOutput = (jobId: string, outputId: string) => run(`INSERT INTO regeneration_job_outputs (job_id, output_kind, output_id, created_at) VALUES (?, 'quiz', ?, '2026-01-01T00:00:00.000Z')`, jobId, outputId);
    expect(insertOutput(job.id, quizzes[1]!.id)).toThrow('a job output is written only while its job is RUNNING');
    service.claim('w1', 60_000, job.id);
    insertOutput(job.id, quizzes[1]!.id)();
    expect(insertOutput(job.id, quizzes[2]!.id)).toThrow(/UNIQUE constraint failed: regeneration_job_outputs\.job_id/);
    expect(run(`UPDATE regeneration_job_outputs SET output_id = ? WHERE job_id = ?`, quizzes[2]!.id, job.id)).toThrow('job outputs are insert-only');
    expect(run(`DELETE FROM regeneration_job_outputs WHERE job_id = ?`, job.id)).toThrow('job outputs cannot be deleted');
  });

  it('an intent is written once and decided once: every column refused with its sentence, the decision allowed', () => {
    const failed = service.cancelJob(service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' }).id, 'dana');
    const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'again', actor: 'rui' });
    const written = 'a retry intent is written once; only its decision (CONSUMED or REJECTED) is recorded later';
    for (const [column, value] of [
      ['id', 'rti_other'],
      ['job_id', 'job_other'],
      ['original_job_id', 'job_other'],
      ['reason_code', 'worker_stopped'],
      ['reason_text', 'rewritten'],
      ['instruction', 'sneaky'],
      ['model_json', '{"model":"other"}'],
      ['created_by', 'mallory'],
      ['created_at', '2000-01-01T00:00:00.000Z'],
    ] as const) {
      expect(run(`UPDATE retry_intents SET ${column} = ? WHERE id = ?`, value, intent.id), column).toThrow(written);
    }
    const decision = 'a retry intent moves once from PENDING to CONSUMED (with the new job) or REJECTED (with the reason), recording who and when';
    expect(run(`UPDATE retry_intents SET status = 'CONSUMED' WHERE id = ?`, intent.id)).toThrow(decision);
    expect(run(`UPDATE retry_intents SET status = 'REJECTED', decided_by = 'x', decided_at = 'y' WHERE id = ?`, intent.id)).toThrow(decision);
    expect(run(`UPDATE retry_intents SET decided_by = 'mallory' WHERE id = ?`, intent.id)).toThrow(decision);
    expect(run('DELETE FROM retry_intents WHERE id = ?', intent.id)).toThrow('retry intents cannot be deleted');
    expect(run(`INSERT INTO retry_intents (id, job_id, original_job_id, reason_code, reason_text, created_by, created_at, status) VALUES ('rti_x', ?, ?, 'other', 't', 'm', 'now', 'CONSUMED')`, failed.id, failed.id)).toThrow(
      'a retry intent starts PENDING',
    );

    const { job } = service.executeRetryIntent(intent.id, 'rui');
    expect(row('retry_intents', intent.id)).toMatchObject({ status: 'CONSUMED', new_job_id: job.id, decided_by: 'rui' });
    const decidedOnce = 'a retry intent is decided once; a consumed or rejected intent never changes';
    for (const [column, value] of [
      ['status', 'REJECTED'],
      ['status', 'PENDING'],
      ['new_job_id', 'job_other'],
      ['reason_text', 'rewritten'],
    ] as const) {
      expect(run(`UPDATE retry_intents SET ${column} = ? WHERE id = ?`, value, intent.id), column).toThrow(decidedOnce);
    }
    // One job per intent: a second job carrying the same intent id is refused.
    expect(
      run(
        `INSERT INTO regeneration_jobs (id, course_id, target_kind, target_item_id, target_ref, instruction, source_json, model_json, created_by, created_at, retry_of_job_id, original_job_id, retry_intent_id, status)
         VALUES ('job_dup', ?, 'quiz', ?, 'other-target', 'x', '{}', '{}', 'm', 'now', ?, ?, ?, 'PENDING')`,
        failed.courseId,
        quizzes[1]!.id,
        failed.id,
        failed.id,
        intent.id,
      ),
    ).toThrow(/UNIQUE constraint failed: regeneration_jobs\.retry_intent_id/);
  });
});
