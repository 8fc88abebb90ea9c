import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, unique, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { analyticsTables } from './analytics-schema.js';
import { regenerationTables } from './regeneration-schema.js';

/**
 * The tables as drizzle sees them, for typed queries. The database itself is built by the
 * hand-written SQL in db/migrations.ts; tests/integration/db/schema-agreement.test.ts fails when
 * the two disagree, so a column added here needs a new migration and vice versa.
 * JSON columns are plain TEXT: db/store.ts serialises and parses them at the boundary.
 */

export const courses = sqliteTable(
  'courses',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    status: text('status', { enum: ['draft', 'review', 'ready', 'published', 'retired'] }).notNull().default('draft'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    intentJson: text('intent_json').notNull(),
    archivedAt: text('archived_at'),
    archivedBy: text('archived_by'),
    updatedAt: text('updated_at'),
  },
  (t) => [index('courses_archived_idx').on(t.archivedAt), check('courses_status_check', sql`${t.status} IN ('draft', 'review', 'ready', 'published', 'retired')`)],
);

export const syllabusVersions = sqliteTable(
  'syllabus_versions',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    version: integer('version').notNull(),
    status: text('status', { enum: ['DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'] }).notNull(),
    syllabusJson: text('syllabus_json').notNull(),
    metadataJson: text('metadata_json').notNull(),
    warningsJson: text('warnings_json').notNull(),
    basedOnId: text('based_on_id').references((): AnySQLiteColumn => syllabusVersions.id),
    contentHash: text('content_hash').notNull(),
    createdAt: text('created_at').notNull(),
    submittedAt: text('submitted_at'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    note: text('note'),
    rejectionReason: text('rejection_reason'),
  },
  (t) => [
    unique('syllabus_versions_course_version_unique').on(t.courseId, t.version),
    check('syllabus_versions_version_check', sql`${t.version} >= 1`),
    check('syllabus_versions_status_check', sql`${t.status} IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED')`),
    index('syllabus_versions_status_idx').on(t.status, t.submittedAt),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    metadataJson: text('metadata_json').notNull(),
  },
  (t) => [index('audit_log_entity_id_idx').on(t.entityId)],
);

export const modelCalls = sqliteTable(
  'model_calls',
  {
    id: integer('id').primaryKey(),
    at: text('at').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    purpose: text('purpose').notNull(),
    promptHash: text('prompt_hash').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    latencyMs: real('latency_ms').notNull(),
    outcome: text('outcome').notNull(),
    error: text('error'),
    courseId: text('course_id'),
  },
  (t) => [index('model_calls_course_id_idx').on(t.courseId)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
});

export const autosaves = sqliteTable('autosaves', {
  key: text('key').primaryKey(),
  content: text('content').notNull(),
  savedAt: text('saved_at').notNull(),
});

export const contentItems = sqliteTable(
  'content_items',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    syllabusVersionId: text('syllabus_version_id')
      .notNull()
      .references(() => syllabusVersions.id),
    kind: text('kind', { enum: ['lesson', 'quiz', 'project'] }).notNull(),
    targetId: text('target_id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'] }).notNull(),
    contentJson: text('content_json').notNull(),
    metadataJson: text('metadata_json').notNull(),
    contentHash: text('content_hash').notNull(),
    basedOnId: text('based_on_id').references((): AnySQLiteColumn => contentItems.id),
    createdAt: text('created_at').notNull(),
    openedAt: text('opened_at'),
    submittedAt: text('submitted_at'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    note: text('note'),
    rejectionReason: text('rejection_reason'),
  },
  (t) => [
    unique('content_items_target_version_unique').on(t.syllabusVersionId, t.kind, t.targetId, t.version),
    check('content_items_kind_check', sql`${t.kind} IN ('lesson', 'quiz', 'project')`),
    check('content_items_version_check', sql`${t.version} >= 1`),
    check('content_items_status_check', sql`${t.status} IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED')`),
    uniqueIndex('content_items_one_live_draft').on(t.syllabusVersionId, t.kind, t.targetId).where(sql`status IN ('DRAFT', 'IN_REVIEW')`),
    index('content_items_course_idx').on(t.courseId, t.syllabusVersionId),
  ],
);

export const courseStatusLog = sqliteTable(
  'course_status_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    at: text('at').notNull(),
  },
  (t) => [index('course_status_log_course_idx').on(t.courseId)],
);

export const coursePackages = sqliteTable(
  'course_packages',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    syllabusVersionId: text('syllabus_version_id')
      .notNull()
      .references(() => syllabusVersions.id),
    version: integer('version').notNull(),
    status: text('status', { enum: ['PUBLISHED', 'ARCHIVED'] }).notNull(),
    contentHash: text('content_hash').notNull(),
    itemHashesJson: text('item_hashes_json').notNull(),
    documentJson: text('document_json').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    moduleCount: integer('module_count').notNull(),
    lessonCount: integer('lesson_count').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    archivedAt: text('archived_at'),
    archivedBy: text('archived_by'),
  },
  (t) => [
    unique('course_packages_course_version_unique').on(t.courseId, t.version),
    check('course_packages_version_check', sql`${t.version} >= 1`),
    check('course_packages_status_check', sql`${t.status} IN ('PUBLISHED', 'ARCHIVED')`),
    index('course_packages_course_idx').on(t.courseId, t.version),
    index('course_packages_syllabus_idx').on(t.syllabusVersionId, t.status),
  ],
);


/** Reviewers' comments (migration 5): insert-only except the resolution of a thread. */
export const reviewComments = sqliteTable(
  'review_comments',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    itemKind: text('item_kind', { enum: ['syllabus', 'lesson', 'quiz', 'project'] }).notNull(),
    targetId: text('target_id').notNull(),
    itemId: text('item_id').notNull(),
    itemVersion: integer('item_version').notNull(),
    blockPath: text('block_path'),
    blockJson: text('block_json'),
    itemContentHash: text('item_content_hash').notNull(),
    replyTo: text('reply_to').references((): AnySQLiteColumn => reviewComments.id),
    threadId: text('thread_id').notNull(),
    author: text('author').notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [
    check('review_comments_kind_check', sql`${t.itemKind} IN ('syllabus', 'lesson', 'quiz', 'project')`),
    check('review_comments_resolution_check', sql`(${t.resolvedAt} IS NULL) = (${t.resolvedBy} IS NULL)`),
    index('review_comments_item_idx').on(t.courseId, t.itemKind, t.targetId),
  ],
);

/**
 * What search finds (db/search-migration.ts): one row per findable thing, written only by
 * triggers; the FTS5 index `search_text` over its title and body is not a drizzle table.
 */
export const searchEntries = sqliteTable(
  'search_entries',
  {
    id: integer('id').primaryKey(),
    kind: text('kind').notNull(),
    sourceId: text('source_id').notNull(),
    courseId: text('course_id'),
    syllabusVersionId: text('syllabus_version_id'),
    itemKey: text('item_key').notNull(),
    targetId: text('target_id'),
    position: integer('position'),
    title: text('title').notNull(),
    body: text('body').notNull(),
  },
  (t) => [
    check('search_entries_kind_check', sql`${t.kind} IN ('course', 'module', 'syllabus_lesson', 'lesson', 'quiz', 'question', 'project', 'audit')`),
    index('search_entries_source_idx').on(t.sourceId),
    index('search_entries_course_item_idx').on(t.courseId, t.itemKey),
  ],
);

/** What the studio sends to hosted servers (migration 8, core/sync): one row per (server, package). */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverUrl: text('server_url').notNull(),
    packageId: text('package_id')
      .notNull()
      .references(() => coursePackages.id),
    courseId: text('course_id').notNull(),
    packageVersion: integer('package_version').notNull(),
    contentHash: text('content_hash').notNull(),
    releaseWanted: integer('release_wanted').notNull(),
    state: text('state', { enum: ['pending', 'sent', 'live', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    claimedUntil: text('claimed_until'),
    lastError: text('last_error'),
    lastErrorCode: text('last_error_code'),
    serverVersion: integer('server_version'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    sentAt: text('sent_at'),
  },
  (t) => [
    unique('sync_outbox_server_package_unique').on(t.serverUrl, t.packageId),
    check('sync_outbox_state_check', sql`${t.state} IN ('pending', 'sent', 'live', 'failed')`),
    check('sync_outbox_release_check', sql`${t.releaseWanted} IN (0, 1)`),
    check('sync_outbox_attempts_check', sql`${t.attempts} >= 0`),
    index('sync_outbox_due_idx').on(t.state, t.nextAttemptAt),
    index('sync_outbox_course_idx').on(t.courseId),
  ],
);

/** Every table the migrations create for the studio's data (bookkeeping tables excluded). */
export const studioTables = { courses, syllabusVersions, auditLog, modelCalls, settings, autosaves, contentItems, courseStatusLog, coursePackages, reviewComments, searchEntries, syncOutbox, ...analyticsTables, ...regenerationTables };
