import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, customType, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * The hosted server's tables, as drizzle sees them. The SQL in migrations.ts creates exactly
 * these (plus the triggers drizzle cannot express); tests/server/migrations.test.ts compares the
 * two. Every table but `tenants` carries `tenant_id`, and every query the server makes names it.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const apiKeyRoles = ['admin', 'author', 'analyst'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    role: text('role', { enum: apiKeyRoles }).notNull(),
    /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [check('api_keys_role', sql`${t.role} in ('admin', 'author', 'analyst')`), index('api_keys_tenant').on(t.tenantId)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    /** Lower-cased and trimmed, so one person has one account per tenant whatever they type. */
    email: text('email').notNull(),
    /** `scrypt$N$r$p$salt$hash`, salt and hash base64; see server/auth/passwords.ts. */
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('users_tenant_email').on(t.tenantId, t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    /** SHA-256 (hex) of the session token; the token lives only in the learner's cookie or client. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [foreignKey({ columns: [t.userId], foreignColumns: [users.id] }), foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }), index('sessions_expiry').on(t.expiresAt)],
);

/** Frozen course packages: insert-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export const packages = pgTable(
  'packages',
  {
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    contentHash: text('content_hash').notNull(),
    courseId: text('course_id').notNull(),
    /** 1, 2, … per course and tenant, in the order the server first received each content. */
    version: integer('version').notNull(),
    title: text('title').notNull(),
    document: jsonb('document').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    publishedBy: text('published_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'packages_pk', columns: [t.tenantId, t.contentHash] }), unique('packages_course_version').on(t.tenantId, t.courseId, t.version), check('packages_hash', sql`${t.contentHash} ~ '^[0-9a-f]{64}$'`)],
);

/** Which package of a course is live: one pointer per course, moved by compare-and-swap. */
export const releases = pgTable(
  'releases',
  {
    tenantId: text('tenant_id').notNull(),
    courseId: text('course_id').notNull(),
    liveHash: text('live_hash').notNull(),
    /** Counts pointer moves, so a client can tell two releases of the same hash apart. */
    revision: integer('revision').notNull(),
    releasedBy: text('released_by').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'releases_pk', columns: [t.tenantId, t.courseId] }), foreignKey({ name: 'releases_package', columns: [t.tenantId, t.liveHash], foreignColumns: [packages.tenantId, packages.contentHash] })],
);

/** Append-only record of everything that matters (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** `key:<id>`, `user:<id>` or `cli:<os user>`. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    metadata: jsonb('metadata').notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_tenant_at').on(t.tenantId, t.at)],
);

export const schema = { tenants, apiKeys, users, sessions, packages, releases, auditLog };

// ── Learners, store and events (migration 2) ───────────────────────────────────────────────
// Enrolments, progress, quiz attempts and analytics events belong to one tenant's learner; the
// store's products, purchases and grants decide who may enrol in a paid course.

/** What a course costs in a tenant: one product per course; a course without one is free. */
export const products = pgTable(
  'products',
  {
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    id: text('id').notNull(),
    courseId: text('course_id').notNull(),
    priceCents: integer('price_cents').notNull(),
    /** ISO 4217, upper case (EUR, USD, JPY). */
    currency: text('currency').notNull(),
    /** Off: not on sale (learners who bought or were granted it keep their access). */
    active: boolean('active').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'products_pk', columns: [t.tenantId, t.id] }), unique('products_course').on(t.tenantId, t.courseId), check('products_price', sql`${t.priceCents} >= 0`), check('products_currency', sql`${t.currency} ~ '^[A-Z]{3}$'`)],
);

export const purchaseStatuses = ['paid', 'declined'] as const;

/**
 * One purchase request per learner and Idempotency-Key: a retry with the same key finds this row
 * and answers as the first time did, so nobody is charged twice for one click.
 */
export const purchases = pgTable(
  'purchases',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    productId: text('product_id').notNull(),
    courseId: text('course_id').notNull(),
    /** The price when bought: a later price change never rewrites what someone paid. */
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    provider: text('provider').notNull(),
    providerReference: text('provider_reference').notNull(),
    status: text('status', { enum: purchaseStatuses }).notNull(),
    declineReason: text('decline_reason'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the request body's canonical JSON: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'purchases_pk', columns: [t.tenantId, t.id] }),
    unique('purchases_idempotency').on(t.tenantId, t.userId, t.idempotencyKey),
    foreignKey({ name: 'purchases_user', columns: [t.userId], foreignColumns: [users.id] }),
    foreignKey({ name: 'purchases_product', columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    check('purchases_status', sql`${t.status} in ('paid', 'declined')`),
    check('purchases_amount', sql`${t.amountCents} >= 0`),
    index('purchases_owner').on(t.tenantId, t.userId, t.courseId),
  ],
);

/** Access to a course given by an admin without payment. */
export const grants = pgTable(
  'grants',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    courseId: text('course_id').notNull(),
    grantedBy: text('granted_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'grants_pk', columns: [t.tenantId, t.id] }), unique('grants_learner_course').on(t.tenantId, t.userId, t.courseId), foreignKey({ name: 'grants_user', columns: [t.userId], foreignColumns: [users.id] })],
);

export const enrolmentSources = ['free', 'purchase', 'grant'] as const;

export const enrolments = pgTable(
  'enrolments',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    courseId: text('course_id').notNull(),
    /** Why the learner could enrol: the course was free, they bought it, or an admin granted it. */
    via: text('via', { enum: enrolmentSources }).notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'enrolments_pk', columns: [t.tenantId, t.userId, t.courseId] }), foreignKey({ name: 'enrolments_user', columns: [t.userId], foreignColumns: [users.id] }), check('enrolments_via', sql`${t.via} in ('free', 'purchase', 'grant')`)],
);

/** One row per learner and lesson (0-based over the course's lessons in order). Completion only ever turns on. */
export const lessonProgress = pgTable(
  'lesson_progress',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    courseId: text('course_id').notNull(),
    lessonIndex: integer('lesson_index').notNull(),
    completed: boolean('completed').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }),
    timeSpentSeconds: integer('time_spent_seconds').notNull(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'lesson_progress_pk', columns: [t.tenantId, t.userId, t.courseId, t.lessonIndex] }),
    foreignKey({ name: 'lesson_progress_enrolment', columns: [t.tenantId, t.userId, t.courseId], foreignColumns: [enrolments.tenantId, enrolments.userId, enrolments.courseId] }),
    check('lesson_progress_index', sql`${t.lessonIndex} >= 0`),
    check('lesson_progress_time', sql`${t.timeSpentSeconds} >= 0`),
  ],
);

/**
 * Every quiz attempt, with the package it was scored against (the analytics issue groups
 * attempts by content). Never updated (a trigger refuses it).
 */
export const attempts = pgTable(
  'attempts',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    courseId: text('course_id').notNull(),
    lessonIndex: integer('lesson_index').notNull(),
    lessonId: text('lesson_id').notNull(),
    quizItemId: text('quiz_item_id').notNull(),
    quizContentHash: text('quiz_content_hash').notNull(),
    packageContentHash: text('package_content_hash').notNull(),
    packageVersion: integer('package_version').notNull(),
    questionCount: integer('question_count').notNull(),
    correctCount: integer('correct_count').notNull(),
    passed: boolean('passed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'attempts_pk', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'attempts_user', columns: [t.userId], foreignColumns: [users.id] }),
    foreignKey({ name: 'attempts_package', columns: [t.tenantId, t.packageContentHash], foreignColumns: [packages.tenantId, packages.contentHash] }),
    index('attempts_course_lesson').on(t.tenantId, t.courseId, t.lessonIndex),
  ],
);

/** The option a learner chose for each question of an attempt. Never updated. */
export const attemptAnswers = pgTable(
  'attempt_answers',
  {
    tenantId: text('tenant_id').notNull(),
    attemptId: text('attempt_id').notNull(),
    questionIndex: integer('question_index').notNull(),
    questionId: text('question_id').notNull(),
    chosenIndex: integer('chosen_index').notNull(),
    correct: boolean('correct').notNull(),
  },
  (t) => [primaryKey({ name: 'attempt_answers_pk', columns: [t.tenantId, t.attemptId, t.questionIndex] }), foreignKey({ name: 'attempt_answers_attempt', columns: [t.tenantId, t.attemptId], foreignColumns: [attempts.tenantId, attempts.id] })],
);

export const analyticsEventTypes = ['course_viewed', 'lesson_viewed', 'lesson_completed', 'quiz_attempted', 'quiz_passed', 'heartbeat'] as const;

/** What learners' players report. The id is the client's, unique per tenant, so a resent batch stores nothing twice. */
export const analyticsEvents = pgTable(
  'analytics_events',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    type: text('type', { enum: analyticsEventTypes }).notNull(),
    courseId: text('course_id').notNull(),
    lessonIndex: integer('lesson_index'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    data: jsonb('data'),
  },
  (t) => [
    primaryKey({ name: 'analytics_events_pk', columns: [t.tenantId, t.id] }),
    check('analytics_events_type', sql`${t.type} in ('course_viewed', 'lesson_viewed', 'lesson_completed', 'quiz_attempted', 'quiz_passed', 'heartbeat')`),
    index('analytics_events_course_time').on(t.tenantId, t.courseId, t.occurredAt),
  ],
);

export const learningSchema = { products, purchases, grants, enrolments, lessonProgress, attempts, attemptAnswers, analyticsEvents };

// ── Export jobs (migration 3) ──────────────────────────────────────────────────────────────
// An export job's row is its state as the requester sees it (pg-boss carries the work, and
// archives and deletes its own rows on its schedule); the file lives in the database, so any
// instance can serve a file another instance produced.

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
});

export const exportJobStates = ['created', 'active', 'completed', 'failed'] as const;
export type ExportJobState = (typeof exportJobStates)[number];

export const exportJobs = pgTable(
  'export_jobs',
  {
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    /** Also the pg-boss job id, so the queue's job and this row are one job. */
    id: uuid('id').notNull().unique('export_jobs_id_unique'),
    /** The actor who asked (`key:<id>`): the export rate limit counts rows per requester. */
    requestedBy: text('requested_by').notNull(),
    courseId: text('course_id').notNull(),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    format: text('format', { enum: ['pdf', 'html', 'scorm12', 'scorm2004', 'imscc'] }).notNull(),
    state: text('state', { enum: exportJobStates }).notNull(),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    primaryKey({ name: 'export_jobs_pk', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'export_jobs_package', columns: [t.tenantId, t.contentHash], foreignColumns: [packages.tenantId, packages.contentHash] }),
    check('export_jobs_format', sql`${t.format} in ('pdf', 'html', 'scorm12', 'scorm2004', 'imscc')`),
    check('export_jobs_state', sql`${t.state} in ('created', 'active', 'completed', 'failed')`),
    index('export_jobs_requester_time').on(t.tenantId, t.requestedBy, t.createdAt),
  ],
);

/** A finished export's bytes: never updated (trigger), removed after the retention period. */
export const exportFiles = pgTable(
  'export_files',
  {
    tenantId: text('tenant_id').notNull(),
    exportId: uuid('export_id').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'export_files_pk', columns: [t.tenantId, t.exportId] }), foreignKey({ name: 'export_files_job', columns: [t.tenantId, t.exportId], foreignColumns: [exportJobs.tenantId, exportJobs.id] })],
);

export const exportSchema = { exportJobs, exportFiles };
