import { createHash } from 'node:crypto';
import { analyticsIndexesMigrationSql } from '../analytics/indexes-migration.js';
import { analyticsMigrationSql } from '../analytics/migration.js';

/**
 * The server's schema changes, in order. A migration, once released, never changes: its SHA-256
 * is recorded in schema_migrations and a server that finds a different checksum for an applied
 * version refuses to start (someone edited history). A change is a new migration at the end.
 * The SQL runs unchanged on PostgreSQL 15+ and on PGlite.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants, keys, learners, packages, releases, audit',
    sql: `
CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL CONSTRAINT tenants_name_unique UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  role text NOT NULL CONSTRAINT api_keys_role CHECK (role IN ('admin', 'author', 'analyst')),
  key_hash text NOT NULL CONSTRAINT api_keys_key_hash_unique UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE users (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  email text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_tenant_email UNIQUE (tenant_id, email)
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  user_id text NOT NULL REFERENCES users(id),
  token_hash text NOT NULL CONSTRAINT sessions_token_hash_unique UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE packages (
  tenant_id text NOT NULL REFERENCES tenants(id),
  content_hash text NOT NULL CONSTRAINT packages_hash CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  course_id text NOT NULL,
  version integer NOT NULL,
  title text NOT NULL,
  document jsonb NOT NULL,
  size_bytes integer NOT NULL,
  published_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT packages_pk PRIMARY KEY (tenant_id, content_hash),
  CONSTRAINT packages_course_version UNIQUE (tenant_id, course_id, version)
);

CREATE TABLE releases (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  live_hash text NOT NULL,
  revision integer NOT NULL,
  released_by text NOT NULL,
  released_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT releases_pk PRIMARY KEY (tenant_id, course_id),
  CONSTRAINT releases_package FOREIGN KEY (tenant_id, live_hash) REFERENCES packages (tenant_id, content_hash)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);

-- Frozen means frozen: not even the server's own code may change or remove these rows.
CREATE FUNCTION refuse_change_of_insert_only_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are insert-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER packages_insert_only BEFORE UPDATE OR DELETE ON packages FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
CREATE TRIGGER packages_no_truncate BEFORE TRUNCATE ON packages FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_insert_only_row();
CREATE TRIGGER audit_log_insert_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_insert_only_row();
`,
  },
  {
    version: 2,
    name: 'learners: products, purchases, grants, enrolments, progress, quiz attempts, analytics events',
    sql: `
CREATE TABLE products (
  tenant_id text NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  course_id text NOT NULL,
  price_cents integer NOT NULL CONSTRAINT products_price CHECK (price_cents >= 0),
  currency text NOT NULL CONSTRAINT products_currency CHECK (currency ~ '^[A-Z]{3}$'),
  active boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT products_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT products_course UNIQUE (tenant_id, course_id)
);

CREATE TABLE purchases (
  tenant_id text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  product_id text NOT NULL,
  course_id text NOT NULL,
  amount_cents integer NOT NULL CONSTRAINT purchases_amount CHECK (amount_cents >= 0),
  currency text NOT NULL,
  provider text NOT NULL,
  provider_reference text NOT NULL,
  status text NOT NULL CONSTRAINT purchases_status CHECK (status IN ('paid', 'declined')),
  decline_reason text,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT purchases_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT purchases_idempotency UNIQUE (tenant_id, user_id, idempotency_key),
  CONSTRAINT purchases_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT purchases_product FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX purchases_owner ON purchases (tenant_id, user_id, course_id);

CREATE TABLE grants (
  tenant_id text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  course_id text NOT NULL,
  granted_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT grants_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT grants_learner_course UNIQUE (tenant_id, user_id, course_id),
  CONSTRAINT grants_user FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE enrolments (
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  course_id text NOT NULL,
  via text NOT NULL CONSTRAINT enrolments_via CHECK (via IN ('free', 'purchase', 'grant')),
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT enrolments_pk PRIMARY KEY (tenant_id, user_id, course_id),
  CONSTRAINT enrolments_user FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE lesson_progress (
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  course_id text NOT NULL,
  lesson_index integer NOT NULL CONSTRAINT lesson_progress_index CHECK (lesson_index >= 0),
  completed boolean NOT NULL,
  completed_at timestamptz,
  time_spent_seconds integer NOT NULL CONSTRAINT lesson_progress_time CHECK (time_spent_seconds >= 0),
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lesson_progress_pk PRIMARY KEY (tenant_id, user_id, course_id, lesson_index),
  CONSTRAINT lesson_progress_enrolment FOREIGN KEY (tenant_id, user_id, course_id) REFERENCES enrolments (tenant_id, user_id, course_id)
);

CREATE TABLE attempts (
  tenant_id text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  course_id text NOT NULL,
  lesson_index integer NOT NULL,
  lesson_id text NOT NULL,
  quiz_item_id text NOT NULL,
  quiz_content_hash text NOT NULL,
  package_content_hash text NOT NULL,
  package_version integer NOT NULL,
  question_count integer NOT NULL,
  correct_count integer NOT NULL,
  passed boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT attempts_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT attempts_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT attempts_package FOREIGN KEY (tenant_id, package_content_hash) REFERENCES packages (tenant_id, content_hash)
);
CREATE INDEX attempts_course_lesson ON attempts (tenant_id, course_id, lesson_index);

CREATE TABLE attempt_answers (
  tenant_id text NOT NULL,
  attempt_id text NOT NULL,
  question_index integer NOT NULL,
  question_id text NOT NULL,
  chosen_index integer NOT NULL,
  correct boolean NOT NULL,
  CONSTRAINT attempt_answers_pk PRIMARY KEY (tenant_id, attempt_id, question_index),
  CONSTRAINT attempt_answers_attempt FOREIGN KEY (tenant_id, attempt_id) REFERENCES attempts (tenant_id, id)
);

CREATE TABLE analytics_events (
  tenant_id text NOT NULL,
  id text NOT NULL,
  user_id text NOT NULL,
  type text NOT NULL CONSTRAINT analytics_events_type CHECK (type IN ('course_viewed', 'lesson_viewed', 'lesson_completed', 'quiz_attempted', 'quiz_passed', 'heartbeat')),
  course_id text NOT NULL,
  lesson_index integer,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  data jsonb,
  CONSTRAINT analytics_events_pk PRIMARY KEY (tenant_id, id)
);
CREATE INDEX analytics_events_course_time ON analytics_events (tenant_id, course_id, occurred_at);

-- What happened stays as it happened: attempts, their answers and learners' events are never
-- rewritten (a learner's data may still be erased, so DELETE stays possible).
CREATE TRIGGER attempts_never_updated BEFORE UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
CREATE TRIGGER attempt_answers_never_updated BEFORE UPDATE ON attempt_answers FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
CREATE TRIGGER analytics_events_never_updated BEFORE UPDATE ON analytics_events FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
`,
  },
  {
    version: 3,
    name: 'export jobs and their files',
    sql: `
CREATE TABLE export_jobs (
  tenant_id text NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  requested_by text NOT NULL,
  course_id text NOT NULL,
  version integer NOT NULL,
  content_hash text NOT NULL,
  format text NOT NULL CONSTRAINT export_jobs_format CHECK (format IN ('pdf', 'html', 'scorm12', 'scorm2004', 'imscc')),
  state text NOT NULL CONSTRAINT export_jobs_state CHECK (state IN ('created', 'active', 'completed', 'failed')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  CONSTRAINT export_jobs_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT export_jobs_id_unique UNIQUE (id),
  CONSTRAINT export_jobs_package FOREIGN KEY (tenant_id, content_hash) REFERENCES packages (tenant_id, content_hash)
);
CREATE INDEX export_jobs_requester_time ON export_jobs (tenant_id, requested_by, created_at);

CREATE TABLE export_files (
  tenant_id text NOT NULL,
  export_id uuid NOT NULL,
  file_name text NOT NULL,
  media_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT export_files_pk PRIMARY KEY (tenant_id, export_id),
  CONSTRAINT export_files_job FOREIGN KEY (tenant_id, export_id) REFERENCES export_jobs (tenant_id, id)
);
-- A finished file is what it was when produced; it may only be removed (after its retention).
CREATE TRIGGER export_files_never_updated BEFORE UPDATE ON export_files FOR EACH ROW EXECUTE FUNCTION refuse_change_of_insert_only_row();
`,
  },
  // Learner analytics: daily aggregates per course version, signals, decided-once suggestions.
  { version: 4, name: 'learner analytics: daily aggregates, signals, suggestions, change feed', sql: analyticsMigrationSql },
  // The aggregation's first attempts read in index order instead of sorting every attempt.
  { version: 5, name: 'analytics: first attempts per learner index', sql: analyticsIndexesMigrationSql },
];

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

/** The newest schema version this build knows; /readyz requires the database to be at it. */
export const latestMigrationVersion = Math.max(...migrations.map((m) => m.version));
