import { createHash } from 'node:crypto';

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
];

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

/** The newest schema version this build knows; /readyz requires the database to be at it. */
export const latestMigrationVersion = Math.max(...migrations.map((m) => m.version));
