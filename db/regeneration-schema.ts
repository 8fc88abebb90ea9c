import { sql } from 'drizzle-orm';
import { check, index, sqliteTable, text, unique, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { courses } from './schema.js';

/**
 * Migration 9's tables as migration 11 rebuilt them, as drizzle sees them (db/regeneration-migration.ts and db/regeneration-targets-migration.ts are the database itself;
 * tests/integration/db/schema-agreement.test.ts fails when the two disagree). JSON columns are
 * TEXT, serialised and parsed by db/regeneration-store.ts.
 */

export const regenerationJobs = sqliteTable(
  'regeneration_jobs',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    targetKind: text('target_kind', { enum: ['lesson', 'quiz', 'project', 'question', 'syllabus'] }).notNull(),
    // A content item or a syllabus version, by kind: the trigger regeneration_jobs_target_exists checks it (migration 11).
    targetItemId: text('target_item_id').notNull(),
    targetRef: text('target_ref').notNull(),
    targetQuestionId: text('target_question_id'),
    instruction: text('instruction').notNull(),
    sourceJson: text('source_json').notNull(),
    modelJson: text('model_json').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    retryOfJobId: text('retry_of_job_id').references((): AnySQLiteColumn => regenerationJobs.id),
    originalJobId: text('original_job_id').notNull(),
    retryIntentId: text('retry_intent_id').references((): AnySQLiteColumn => retryIntents.id),
    status: text('status', { enum: ['PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED'] }).notNull(),
    triggeredBy: text('triggered_by'),
    triggeredAt: text('triggered_at'),
    workerId: text('worker_id'),
    leaseExpiresAt: text('lease_expires_at'),
    heartbeatAt: text('heartbeat_at'),
    startedAt: text('started_at'),
    outputItemId: text('output_item_id'),
    error: text('error'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    unique('regeneration_jobs_retry_intent_unique').on(t.retryIntentId),
    check('regeneration_jobs_kind_check', sql`${t.targetKind} IN ('lesson', 'quiz', 'project', 'question', 'syllabus')`),
    check('regeneration_jobs_question_check', sql`(${t.targetKind} = 'question') = (${t.targetQuestionId} IS NOT NULL)`),
    check('regeneration_jobs_status_check', sql`${t.status} IN ('PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED')`),
    check('regeneration_jobs_retry_check', sql`(${t.retryOfJobId} IS NULL) = (${t.retryIntentId} IS NULL)`),
    uniqueIndex('regeneration_jobs_one_active_per_target').on(t.courseId, t.targetKind, t.targetRef).where(sql`status IN ('PENDING', 'TRIGGERED', 'RUNNING') AND target_question_id IS NULL`),
    uniqueIndex('regeneration_jobs_one_active_per_question').on(t.courseId, t.targetRef, t.targetQuestionId).where(sql`status IN ('PENDING', 'TRIGGERED', 'RUNNING') AND target_question_id IS NOT NULL`),
    index('regeneration_jobs_status_idx').on(t.status, t.triggeredAt),
    index('regeneration_jobs_course_idx').on(t.courseId, t.createdAt),
    index('regeneration_jobs_chain_idx').on(t.originalJobId),
  ],
);

/** The one output of a completed job: the new draft version it wrote. */
export const regenerationJobOutputs = sqliteTable(
  'regeneration_job_outputs',
  {
    jobId: text('job_id')
      .primaryKey()
      .references(() => regenerationJobs.id),
    outputKind: text('output_kind').notNull(),
    // A content item or a syllabus version, by kind: the trigger regeneration_job_outputs_of_its_kind checks it (migration 11).
    outputId: text('output_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [unique('regeneration_job_outputs_output_unique').on(t.outputId)],
);

export const retryIntents = sqliteTable(
  'retry_intents',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references((): AnySQLiteColumn => regenerationJobs.id),
    originalJobId: text('original_job_id')
      .notNull()
      .references((): AnySQLiteColumn => regenerationJobs.id),
    reasonCode: text('reason_code').notNull(),
    reasonText: text('reason_text').notNull(),
    instruction: text('instruction'),
    modelJson: text('model_json'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    status: text('status', { enum: ['PENDING', 'CONSUMED', 'REJECTED'] }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    newJobId: text('new_job_id'),
    rejectionReason: text('rejection_reason'),
  },
  (t) => [check('retry_intents_status_check', sql`${t.status} IN ('PENDING', 'CONSUMED', 'REJECTED')`), index('retry_intents_job_idx').on(t.jobId), index('retry_intents_original_idx').on(t.originalJobId)],
);

export const regenerationTables = { regenerationJobs, regenerationJobOutputs, retryIntents };
