import { sql } from 'drizzle-orm';
import { bigserial, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

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
