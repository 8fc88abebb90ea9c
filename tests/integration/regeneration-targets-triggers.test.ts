import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService, type RegenerationService } from '../../core/regeneration/service.js';
import { migrations } from '../../db/migrations.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem } from '../../schemas/content.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * Migration 11 in raw SQL: the question id is written once, a job's target and output must exist
 * in the table their kind names, a quiz never has a whole-quiz job beside question jobs, and a
 * database at schema 10 with jobs, outputs and retry intents keeps every row when it migrates.
 */

let opened: ReturnType<typeof openDatabase>;
let service: RegenerationService;
let quizzes: ContentItem[];
let approved: SyllabusVersion;

beforeEach(async () => {
  opened = openDatabase(path.join(tempDataDir('regeneration-targets-triggers'), 'coursewright.db'));
  ({ approved } = await createCourseWithApprovedSyllabus(createEngine({ store: opened.store })));
  quizzes = (await createContentEngine({ store: opened.store }).generateContent(approved.courseId, { actor: 'dana', models: [createMockProvider()], filter: {} })).generated;
  service = createRegenerationService({ store: opened.store });
});
afterEach(() => opened.close());

const run = (sql: string, ...params: unknown[]) => () => opened.db.prepare(sql).run(...params);
const quizOf = () => quizzes.find((i) => i.kind === 'quiz')!;
const lessonOf = () => quizzes.find((i) => i.kind === 'lesson')!;

const writtenOnce = 'a regeneration job is written once; only its status, trigger, lease, heartbeat, output, error and finish time change';
const targetExists = 'a regeneration job starts from a version of its own course: a syllabus version for a syllabus job, a quiz for a question job, otherwise an item of the kind it names';
const quizOrQuestions = 'a quiz has either one active whole-quiz job or active jobs on single questions, never both at once';
const outputOfItsKind = 'a job output is a version of what its job regenerates: a syllabus version for a syllabus job, a content item otherwise';

function insertJob(fields: { id: string; kind: string; itemId: string; ref: string; questionId?: string | null; courseId?: string }) {
  return run(
    `INSERT INTO regeneration_jobs (id, course_id, target_kind, target_item_id, target_ref, target_question_id, instruction, source_json, model_json, created_by, created_at, original_job_id, status)
     VALUES (?, ?, ?, ?, ?, ?, 'x', '{"type":"designer"}', '{}', 'mallory', '2026-06-01T09:00:00.000Z', ?, 'PENDING')`,
    fields.id,
    fields.courseId ?? approved.courseId,
    fields.kind,
    fields.itemId,
    fields.ref,
    fields.questionId ?? null,
    fields.id,
  );
}

describe('migration 11 triggers and checks', () => {
  it('the question id of a job is written once, like every column written at creation', () => {
    const job = service.createJob({ targetItemId: quizOf().id, targetQuestionId: 'q2', instruction: 'clearer', actor: 'dana' });
    const before = opened.db.prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(job.id);
    expect(run(`UPDATE regeneration_jobs SET target_question_id = 'q3' WHERE id = ?`, job.id)).toThrow(writtenOnce);
    expect(run(`UPDATE regeneration_jobs SET target_question_id = NULL, target_kind = 'quiz' WHERE id = ?`, job.id)).toThrow(writtenOnce);
    expect(opened.db.prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(job.id)).toEqual(before);
    // The moves the people and the worker make still go through.
    run(`UPDATE regeneration_jobs SET status = 'TRIGGERED', triggered_by = 'rui', triggered_at = '2026-06-01T09:01:00.000Z' WHERE id = ?`, job.id)();
    expect(service.getJob(job.id)).toMatchObject({ status: 'TRIGGERED', targetQuestionId: 'q2' });
  });

  it('a question id goes with a question job and only with one; the kind is one of the five', () => {
    const quiz = quizOf();
    expect(insertJob({ id: 'job-a', kind: 'question', itemId: quiz.id, ref: quiz.targetId })).toThrow('CHECK constraint failed: regeneration_jobs_question_check');
    expect(insertJob({ id: 'job-b', kind: 'quiz', itemId: quiz.id, ref: quiz.targetId, questionId: 'q1' })).toThrow('CHECK constraint failed: regeneration_jobs_question_check');
    // No item is of a kind outside the five, so the target trigger already refuses it, before the CHECK would.
    expect(insertJob({ id: 'job-c', kind: 'module', itemId: quiz.id, ref: quiz.targetId })).toThrow(targetExists);
    insertJob({ id: 'job-d', kind: 'question', itemId: quiz.id, ref: quiz.targetId, questionId: 'q1' })();
    insertJob({ id: 'job-e', kind: 'syllabus', itemId: approved.id, ref: 'syllabus' })();
    expect(opened.db.prepare(`SELECT id FROM regeneration_jobs ORDER BY id`).pluck().all()).toEqual(['job-d', 'job-e']);
  });

  it('the target must exist in the table its kind names, in the job\'s own course', () => {
    const quiz = quizOf();
    const lesson = lessonOf();
    expect(insertJob({ id: 'job-1', kind: 'syllabus', itemId: quiz.id, ref: 'syllabus' })).toThrow(targetExists);
    expect(insertJob({ id: 'job-2', kind: 'question', itemId: lesson.id, ref: lesson.targetId, questionId: 'q1' })).toThrow(targetExists);
    expect(insertJob({ id: 'job-3', kind: 'quiz', itemId: lesson.id, ref: lesson.targetId })).toThrow(targetExists);
    expect(insertJob({ id: 'job-4', kind: 'lesson', itemId: 'les-none', ref: lesson.targetId })).toThrow(targetExists);
    const other = createEngine({ store: opened.store }).createCourse({ title: 'Another course entirely', audience: 'Anyone at all', level: 'beginner', timeBudgetHours: 2, teachingStyle: 'talks', constraints: [], language: 'en' }, 'dana');
    expect(insertJob({ id: 'job-5', kind: 'syllabus', itemId: approved.id, ref: 'syllabus', courseId: other.id })).toThrow(targetExists);
    insertJob({ id: 'job-6', kind: 'lesson', itemId: lesson.id, ref: lesson.targetId })();
    expect(opened.db.prepare(`SELECT id FROM regeneration_jobs`).pluck().all()).toEqual(['job-6']);
  });

  it('one active job per question, and never a whole-quiz job beside question jobs, whichever comes first; ended jobs hold nothing', () => {
    const quiz = quizOf();
    insertJob({ id: 'job-q1', kind: 'question', itemId: quiz.id, ref: quiz.targetId, questionId: 'q1' })();
    expect(insertJob({ id: 'job-q1b', kind: 'question', itemId: quiz.id, ref: quiz.targetId, questionId: 'q1' })).toThrow('UNIQUE constraint failed');
    insertJob({ id: 'job-q2', kind: 'question', itemId: quiz.id, ref: quiz.targetId, questionId: 'q2' })();
    expect(insertJob({ id: 'job-whole', kind: 'quiz', itemId: quiz.id, ref: quiz.targetId })).toThrow(quizOrQuestions);
    for (const id of ['job-q1', 'job-q2']) run(`UPDATE regeneration_jobs SET status = 'FAILED', error = 'cancelled', finished_at = '2026-06-01T09:05:00.000Z' WHERE id = ?`, id)();
    insertJob({ id: 'job-whole', kind: 'quiz', itemId: quiz.id, ref: quiz.targetId })();
    expect(insertJob({ id: 'job-q3', kind: 'question', itemId: quiz.id, ref: quiz.targetId, questionId: 'q3' })).toThrow(quizOrQuestions);
    // A lesson job on the same lesson is another target.
    const lesson = quizzes.find((i) => i.kind === 'lesson' && i.targetId === quiz.targetId)!;
    insertJob({ id: 'job-lesson', kind: 'lesson', itemId: lesson.id, ref: lesson.targetId })();
  });

  it('an output is a version of what its job regenerates', () => {
    const quiz = quizOf();
    const syllabusJob = service.createJob({ targetItemId: approved.id, instruction: 'recap lesson', actor: 'dana' });
    const questionJob = service.createJob({ targetItemId: quiz.id, targetQuestionId: 'q1', instruction: 'clearer', actor: 'dana' });
    service.triggerJobs([syllabusJob.id, questionJob.id], 'rui');
    for (const id of [syllabusJob.id, questionJob.id]) run(`UPDATE regeneration_jobs SET status = 'RUNNING', worker_id = 'w', lease_expires_at = '2099-01-01T00:00:00.000Z', heartbeat_at = '2026-06-01T09:00:00.000Z', started_at = '2026-06-01T09:00:00.000Z' WHERE id = ?`, id)();
    const output = (jobId: string, kind: string, outputId: string) => run(`INSERT INTO regeneration_job_outputs (job_id, output_kind, output_id, created_at) VALUES (?, ?, ?, '2026-06-01T09:02:00.000Z')`, jobId, kind, outputId);
    expect(output(syllabusJob.id, 'syllabus', quiz.id)).toThrow(outputOfItsKind);
    expect(output(syllabusJob.id, 'quiz', approved.id)).toThrow(outputOfItsKind);
    expect(output(questionJob.id, 'question', 'qz-none')).toThrow(outputOfItsKind);
    expect(output(questionJob.id, 'quiz', lessonOf().id)).toThrow(outputOfItsKind);
    output(syllabusJob.id, 'syllabus', approved.id)();
    output(questionJob.id, 'question', lessonOf().id)();
    expect(opened.db.prepare('SELECT count(*) FROM regeneration_job_outputs').pluck().get()).toBe(2);
  });
});

describe('migrating a studio file from schema 10', () => {
  it('keeps every job, output and retry intent as it was, leaves no dangling reference, and the jobs go on working', async () => {
    // Rows of every kind, written by this build: a completed job with its output, a failed one, its consumed retry intent and the retry's output, a pending one.
    const quiz = quizOf();
    const done = service.createAndTrigger({ targetItemId: lessonOf().id, instruction: 'shorter', actor: 'dana' });
    const failed = service.createJob({ targetItemId: quiz.id, instruction: 'harder', actor: 'dana' });
    service.cancelJob(failed.id, 'dana');
    const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'cancelled_by_mistake', reasonText: 'oops', actor: 'dana' });
    service.executeRetryIntent(intent.id, 'rui');
    const { createRegenerationWorker } = await import('../../core/regeneration/worker.js');
    await createRegenerationWorker({ service, models: () => [createMockProvider()], workerId: 'w' }).run({ untilIdle: true });
    const pending = service.createJob({ targetItemId: quizzes.find((i) => i.kind === 'project')!.id, instruction: 'smaller', actor: 'dana' });
    const source = opened.file;
    const rows = (db: Database.Database, table: string, columns = '*') => db.prepare(`SELECT ${columns} FROM ${table} ORDER BY rowid`).all();
    const jobColumns = 'id, course_id, target_kind, target_item_id, target_ref, instruction, source_json, model_json, created_by, created_at, retry_of_job_id, original_job_id, retry_intent_id, status, triggered_by, triggered_at, worker_id, lease_expires_at, heartbeat_at, started_at, output_item_id, error, finished_at';
    const before = { jobs: rows(opened.db, 'regeneration_jobs', jobColumns), outputs: rows(opened.db, 'regeneration_job_outputs'), intents: rows(opened.db, 'retry_intents') };
    expect(before.jobs.map((j) => (j as { status: string }).status).sort()).toEqual(['COMPLETED', 'COMPLETED', 'FAILED', 'PENDING']);
    expect(before.outputs).toHaveLength(2);

    // The same rows in a file at schema 10: its tables, the rows copied in, then its triggers, as an older Coursewright left it.
    const file = path.join(tempDataDir('regeneration-migration-11'), 'coursewright.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    const { migrationChecksum } = await import('../../db/migrations.js');
    const upTo10 = migrations.filter((m) => m.version <= 10);
    const triggerStatements = /CREATE TRIGGER[\s\S]*?\nEND;/g;
    for (const migration of upTo10) old.exec(migration.sql.replace(triggerStatements, ''));
    // Jobs and retry intents point at each other; the copy checks its references once it is complete.
    old.pragma('foreign_keys = OFF');
    old.exec(`ATTACH DATABASE '${source}' AS src`);
    for (const table of ['courses', 'syllabus_versions', 'content_items', 'retry_intents', 'regeneration_job_outputs']) old.exec(`INSERT INTO main.${table} SELECT * FROM src.${table} ORDER BY rowid`);
    old.exec(`INSERT INTO main.regeneration_jobs SELECT ${jobColumns} FROM src.regeneration_jobs ORDER BY rowid`);
    old.exec('DETACH DATABASE src');
    expect(old.pragma('foreign_key_check')).toEqual([]);
    old.pragma('foreign_keys = ON');
    for (const migration of upTo10) for (const trigger of migration.sql.match(triggerStatements) ?? []) old.exec(trigger);
    old.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;`);
    for (const migration of upTo10) old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(migration.version, migration.name, migrationChecksum(migration), '2026-01-01T00:00:00.000Z');
    old.pragma('user_version = 10');
    expect(old.prepare("SELECT sql FROM sqlite_master WHERE name = 'regeneration_jobs'").pluck().get()).not.toContain('target_question_id');
    old.close();

    const migrated = openDatabase(file);
    try {
      expect(migrated.db.pragma('user_version', { simple: true })).toBe(11);
      expect(rows(migrated.db, 'regeneration_jobs', jobColumns)).toEqual(before.jobs);
      expect(rows(migrated.db, 'regeneration_jobs', 'target_question_id').every((r) => (r as { target_question_id: unknown }).target_question_id === null)).toBe(true);
      expect(rows(migrated.db, 'regeneration_job_outputs')).toEqual(before.outputs);
      expect(rows(migrated.db, 'retry_intents')).toEqual(before.intents);
      expect(migrated.db.pragma('foreign_key_check')).toEqual([]);
      // The rebuilt tables keep their protection and their rules.
      expect(() => migrated.db.prepare('DELETE FROM regeneration_jobs WHERE id = ?').run(done.id)).toThrow('regeneration jobs cannot be deleted');
      const after = createRegenerationService({ store: migrated.store });
      expect(() => after.createJob({ targetItemId: pending.targetItemId, instruction: 'again', actor: 'rui' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(pending.id) }));
      expect(after.showJob(failed.id).chain.map((j) => j.id)).toEqual([failed.id, after.listRetryIntents({ jobId: failed.id })[0]!.newJobId]);
    } finally {
      migrated.close();
    }
  });
});
