import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { CoursewrightError } from '../schemas/errors.js';
import { searchIndexMigrationSql } from './search-migration.js';
import { analyticsMigrationSql } from './analytics-migration.js';
import { regenerationMigrationSql } from './regeneration-migration.js';
import { regenerationTargetsMigrationSql } from './regeneration-targets-migration.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The database schema, as an ordered list of hand-written SQL steps. A migration that has
 * shipped is never edited: its checksum is recorded in every database it touched, and opening
 * a database whose recorded checksum differs from the text here is refused as drift. A change
 * is a new migration at the end of the list. db/schema.ts mirrors the result for drizzle.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create studio tables',
    sql: `
CREATE TABLE courses (
  id TEXT PRIMARY KEY NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  intent_json TEXT NOT NULL,
  CONSTRAINT courses_status_check CHECK (status IN ('draft', 'review', 'ready', 'published', 'retired'))
) STRICT;

CREATE TABLE syllabus_versions (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  syllabus_json TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  warnings_json TEXT NOT NULL,
  based_on_id TEXT REFERENCES syllabus_versions (id),
  content_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  submitted_at TEXT,
  decided_by TEXT,
  decided_at TEXT,
  note TEXT,
  rejection_reason TEXT,
  CONSTRAINT syllabus_versions_course_version_unique UNIQUE (course_id, version),
  CONSTRAINT syllabus_versions_version_check CHECK (version >= 1),
  CONSTRAINT syllabus_versions_status_check CHECK (status IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'))
) STRICT;

CREATE INDEX syllabus_versions_status_idx ON syllabus_versions (status, submitted_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  metadata_json TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_entity_id_idx ON audit_log (entity_id);

CREATE TABLE model_calls (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  purpose TEXT NOT NULL,
  prompt_hash TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT,
  course_id TEXT
) STRICT;

CREATE INDEX model_calls_course_id_idx ON model_calls (course_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY NOT NULL,
  value_json TEXT NOT NULL
) STRICT;

CREATE TABLE autosaves (
  key TEXT PRIMARY KEY NOT NULL,
  content TEXT NOT NULL,
  saved_at TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 2,
    name: 'immutability and review-flow triggers',
    // Invariant 3 (approved is immutable) and invariant 4 (append-only audit) are enforced here,
    // below every code path, so a bug or a hand-run SQL statement cannot break them. The
    // repositories map each RAISE(ABORT) message to CoursewrightError('CONFLICT', message).
    sql: `
CREATE TRIGGER syllabus_versions_approved_no_update
BEFORE UPDATE ON syllabus_versions
WHEN OLD.status = 'APPROVED'
BEGIN
  SELECT RAISE(ABORT, 'approved syllabus versions are immutable; create a new draft version instead');
END;

CREATE TRIGGER syllabus_versions_approved_no_delete
BEFORE DELETE ON syllabus_versions
WHEN OLD.status = 'APPROVED'
BEGIN
  SELECT RAISE(ABORT, 'approved syllabus versions cannot be deleted; they are the record of what was approved');
END;

CREATE TRIGGER syllabus_versions_content_written_once
BEFORE UPDATE OF id, course_id, version, syllabus_json, metadata_json, warnings_json, based_on_id, content_hash, created_at ON syllabus_versions
WHEN OLD.status <> 'APPROVED'
BEGIN
  SELECT RAISE(ABORT, 'syllabus content is written once per version; save an edit as a new version');
END;

CREATE TRIGGER syllabus_versions_review_flow
BEFORE UPDATE OF status ON syllabus_versions
WHEN OLD.status <> 'APPROVED'
  AND NOT (
    (OLD.status = 'DRAFT' AND NEW.status IN ('IN_REVIEW', 'SUPERSEDED'))
    OR (OLD.status = 'IN_REVIEW' AND NEW.status IN ('APPROVED', 'REJECTED'))
  )
BEGIN
  SELECT RAISE(ABORT, 'a syllabus version moves only DRAFT → IN_REVIEW → APPROVED or REJECTED, or DRAFT → SUPERSEDED');
END;

CREATE TRIGGER syllabus_versions_review_record_with_status
BEFORE UPDATE OF submitted_at, decided_by, decided_at, note, rejection_reason ON syllabus_versions
WHEN OLD.status <> 'APPROVED' AND NEW.status IS OLD.status
BEGIN
  SELECT RAISE(ABORT, 'a review record is written only together with the status change it records');
END;

CREATE TRIGGER syllabus_versions_decision_recorded
BEFORE UPDATE OF status ON syllabus_versions
WHEN NEW.status IN ('APPROVED', 'REJECTED')
  AND (NEW.decided_by IS NULL OR NEW.decided_at IS NULL OR (NEW.status = 'REJECTED' AND NEW.rejection_reason IS NULL))
BEGIN
  SELECT RAISE(ABORT, 'a review decision records who decided, when, and for a rejection the reason');
END;

CREATE TRIGGER syllabus_versions_start_as_draft
BEFORE INSERT ON syllabus_versions
WHEN NEW.status <> 'DRAFT'
BEGIN
  SELECT RAISE(ABORT, 'a syllabus version starts as DRAFT; review and approval happen only through the review flow');
END;

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
`,
  },
  {
    version: 3,
    name: 'content items and the course status log',
    // Content follows the syllabus rules (invariant 3): approved rows never change, content is
    // written once per version, and status moves only through review. The partial unique index
    // allows one live draft per (syllabus version, kind, target): a resumed batch cannot
    // duplicate an item, whatever the engine does.
    sql: `
CREATE TABLE content_items (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  syllabus_version_id TEXT NOT NULL REFERENCES syllabus_versions (id),
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  content_json TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  based_on_id TEXT REFERENCES content_items (id),
  created_at TEXT NOT NULL,
  opened_at TEXT,
  submitted_at TEXT,
  decided_by TEXT,
  decided_at TEXT,
  note TEXT,
  rejection_reason TEXT,
  CONSTRAINT content_items_target_version_unique UNIQUE (syllabus_version_id, kind, target_id, version),
  CONSTRAINT content_items_kind_check CHECK (kind IN ('lesson', 'quiz', 'project')),
  CONSTRAINT content_items_version_check CHECK (version >= 1),
  CONSTRAINT content_items_status_check CHECK (status IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'))
);

CREATE UNIQUE INDEX content_items_one_live_draft ON content_items (syllabus_version_id, kind, target_id) WHERE status IN ('DRAFT', 'IN_REVIEW');
CREATE INDEX content_items_course_idx ON content_items (course_id, syllabus_version_id);

CREATE TABLE course_status_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  at TEXT NOT NULL
);

CREATE INDEX course_status_log_course_idx ON course_status_log (course_id);

CREATE TRIGGER content_items_approved_no_update
BEFORE UPDATE ON content_items
WHEN OLD.status = 'APPROVED'
BEGIN
  SELECT RAISE(ABORT, 'approved content is immutable; regenerate it as a new draft version instead');
END;

CREATE TRIGGER content_items_approved_no_delete
BEFORE DELETE ON content_items
WHEN OLD.status = 'APPROVED'
BEGIN
  SELECT RAISE(ABORT, 'approved content cannot be deleted; it is the record of what was approved');
END;

CREATE TRIGGER content_items_content_written_once
BEFORE UPDATE OF id, course_id, syllabus_version_id, kind, target_id, version, content_json, metadata_json, content_hash, based_on_id, created_at ON content_items
BEGIN
  SELECT RAISE(ABORT, 'content is written once per version; a change is a new version');
END;

CREATE TRIGGER content_items_review_flow
BEFORE UPDATE OF status ON content_items
WHEN NEW.status IS NOT OLD.status AND NOT (
  (OLD.status = 'DRAFT' AND NEW.status IN ('IN_REVIEW', 'SUPERSEDED'))
  OR (OLD.status = 'IN_REVIEW' AND NEW.status IN ('APPROVED', 'REJECTED'))
)
BEGIN
  SELECT RAISE(ABORT, 'content moves only DRAFT → IN_REVIEW → APPROVED or REJECTED, or DRAFT → SUPERSEDED');
END;

CREATE TRIGGER content_items_decision_recorded
BEFORE UPDATE OF status ON content_items
WHEN NEW.status IN ('APPROVED', 'REJECTED')
  AND (NEW.decided_by IS NULL OR NEW.decided_at IS NULL OR (NEW.status = 'REJECTED' AND NEW.rejection_reason IS NULL))
BEGIN
  SELECT RAISE(ABORT, 'a review decision records who decided, when, and for a rejection the reason');
END;

CREATE TRIGGER content_items_start_as_draft
BEFORE INSERT ON content_items
WHEN NEW.status <> 'DRAFT'
BEGIN
  SELECT RAISE(ABORT, 'content starts as DRAFT; review and approval happen only through the review flow');
END;

CREATE TRIGGER course_status_log_no_update
BEFORE UPDATE ON course_status_log
BEGIN
  SELECT RAISE(ABORT, 'the course status log is append-only');
END;

CREATE TRIGGER course_status_log_no_delete
BEFORE DELETE ON course_status_log
BEGIN
  SELECT RAISE(ABORT, 'the course status log is append-only');
END;
`,
  },
  {
    version: 4,
    name: 'course packages',
    // A package is the frozen record of what was published (invariant 3): rows are insert-only,
    // and the one change ever allowed is archiving a published package, which records who and when.
    sql: `
CREATE TABLE course_packages (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  syllabus_version_id TEXT NOT NULL REFERENCES syllabus_versions (id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  item_hashes_json TEXT NOT NULL,
  document_json TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  module_count INTEGER NOT NULL,
  lesson_count INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  archived_at TEXT,
  archived_by TEXT,
  CONSTRAINT course_packages_course_version_unique UNIQUE (course_id, version),
  CONSTRAINT course_packages_version_check CHECK (version >= 1),
  CONSTRAINT course_packages_status_check CHECK (status IN ('PUBLISHED', 'ARCHIVED'))
);

CREATE INDEX course_packages_course_idx ON course_packages (course_id, version);
CREATE INDEX course_packages_syllabus_idx ON course_packages (syllabus_version_id, status);

CREATE TRIGGER course_packages_start_published
BEFORE INSERT ON course_packages
WHEN NEW.status <> 'PUBLISHED' OR NEW.archived_at IS NOT NULL OR NEW.archived_by IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a package is built PUBLISHED; archiving happens later, once');
END;

CREATE TRIGGER course_packages_only_archive
BEFORE UPDATE ON course_packages
WHEN NOT (
  OLD.status = 'PUBLISHED' AND NEW.status = 'ARCHIVED'
  AND NEW.archived_at IS NOT NULL AND NEW.archived_by IS NOT NULL
  AND NEW.id IS OLD.id AND NEW.course_id IS OLD.course_id AND NEW.syllabus_version_id IS OLD.syllabus_version_id AND NEW.version IS OLD.version
  AND NEW.content_hash IS OLD.content_hash AND NEW.item_hashes_json IS OLD.item_hashes_json
  AND NEW.document_json IS OLD.document_json AND NEW.size_bytes IS OLD.size_bytes
  AND NEW.module_count IS OLD.module_count AND NEW.lesson_count IS OLD.lesson_count
  AND NEW.created_by IS OLD.created_by AND NEW.created_at IS OLD.created_at
)
BEGIN
  SELECT RAISE(ABORT, 'course packages are immutable; the only change allowed is archiving a PUBLISHED package (status ARCHIVED, with who and when)');
END;

CREATE TRIGGER course_packages_no_delete
BEFORE DELETE ON course_packages
BEGIN
  SELECT RAISE(ABORT, 'course packages cannot be deleted; archive a package instead');
END;
`,
  },
  {
    version: 5,
    name: 'review comments',
    // Reviewers' comments on whole items or on one block of them. A comment is written once and
    // never deleted: the only change is resolving or reopening a thread, which records who and when.
    sql: `
CREATE TABLE review_comments (
  id TEXT PRIMARY KEY NOT NULL,
  course_id TEXT NOT NULL REFERENCES courses (id),
  item_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  item_version INTEGER NOT NULL,
  block_path TEXT,
  block_json TEXT,
  item_content_hash TEXT NOT NULL,
  reply_to TEXT REFERENCES review_comments (id),
  thread_id TEXT NOT NULL,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  CONSTRAINT review_comments_kind_check CHECK (item_kind IN ('syllabus', 'lesson', 'quiz', 'project')),
  CONSTRAINT review_comments_resolution_check CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);

CREATE INDEX review_comments_item_idx ON review_comments (course_id, item_kind, target_id);

CREATE TRIGGER review_comments_start_open
BEFORE INSERT ON review_comments
WHEN NEW.resolved_at IS NOT NULL OR NEW.resolved_by IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a comment starts open; resolving it is a later change that records who and when');
END;

CREATE TRIGGER review_comments_written_once
BEFORE UPDATE ON review_comments
WHEN NOT (
  NEW.id IS OLD.id AND NEW.course_id IS OLD.course_id AND NEW.item_kind IS OLD.item_kind AND NEW.target_id IS OLD.target_id
  AND NEW.item_id IS OLD.item_id AND NEW.item_version IS OLD.item_version AND NEW.block_path IS OLD.block_path
  AND NEW.block_json IS OLD.block_json AND NEW.item_content_hash IS OLD.item_content_hash AND NEW.reply_to IS OLD.reply_to
  AND NEW.thread_id IS OLD.thread_id AND NEW.author IS OLD.author AND NEW.body IS OLD.body AND NEW.created_at IS OLD.created_at
)
BEGIN
  SELECT RAISE(ABORT, 'a comment is written once; only whether its thread is resolved may change');
END;

CREATE TRIGGER review_comments_no_delete
BEFORE DELETE ON review_comments
BEGIN
  SELECT RAISE(ABORT, 'comments cannot be deleted; resolve the thread instead');
END;
`,
  },
  {
    version: 6,
    name: 'search index',
    // Full-text search (FTS5) over courses, syllabus modules and lessons, lessons, quizzes, quiz
    // questions, projects and the audit log, kept current by triggers; see db/search-migration.ts.
    sql: searchIndexMigrationSql,
  },
  {
    version: 7,
    name: 'course archiving and intent edits',
    // Archiving hides a course without losing anything (restorable); updated_at records the last
    // change to the course row itself (intent edited, archived, restored) for the course list.
    sql: `
ALTER TABLE courses ADD COLUMN archived_at TEXT;
ALTER TABLE courses ADD COLUMN archived_by TEXT;
ALTER TABLE courses ADD COLUMN updated_at TEXT;
CREATE INDEX courses_archived_idx ON courses (archived_at);
`,
  },
  {
    version: 8,
    name: 'sync outbox',
    // Everything the studio sends to a hosted learner server (core/sync): one row per (server,
    // package), so publishing the same package again reuses its row instead of sending twice.
    // claimed_until is a sender's lease: a row is sent by one connection at a time.
    sql: `
CREATE TABLE sync_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  server_url TEXT NOT NULL,
  package_id TEXT NOT NULL REFERENCES course_packages (id),
  course_id TEXT NOT NULL,
  package_version INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  release_wanted INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until TEXT,
  last_error TEXT,
  last_error_code TEXT,
  server_version INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  CONSTRAINT sync_outbox_server_package_unique UNIQUE (server_url, package_id),
  CONSTRAINT sync_outbox_state_check CHECK (state IN ('pending', 'sent', 'live', 'failed')),
  CONSTRAINT sync_outbox_release_check CHECK (release_wanted IN (0, 1)),
  CONSTRAINT sync_outbox_attempts_check CHECK (attempts >= 0)
) STRICT;

CREATE INDEX sync_outbox_due_idx ON sync_outbox (state, next_attempt_at);
CREATE INDEX sync_outbox_course_idx ON sync_outbox (course_id);
`,
  },
  {
    version: 9,
    name: 'regeneration jobs and retry intents',
    // Jobs run exactly once by a worker, their outputs, and retry intents (core/regeneration); see db/regeneration-migration.ts.
    sql: regenerationMigrationSql,
  },
  {
    version: 10,
    name: 'learner analytics from the hosted server',
    // Analytics days, signals, suggestions (insert-only except status), the decisions outbox and the pull cursor per server (core/analytics-sync); see db/analytics-migration.ts.
    sql: analyticsMigrationSql,
  },
  {
    version: 11,
    name: 'regeneration of one quiz question and of the syllabus',
    // Jobs and outputs rebuilt with question and syllabus targets, every row and trigger kept; see db/regeneration-targets-migration.ts.
    sql: regenerationTargetsMigrationSql,
  },
];

export const latestSchemaVersion: number = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql, 'utf8').digest('hex');
}

const BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT;
`;

/** Tables, indexes and triggers the migrations up to `version` create, by name. */
function expectedSchemaObjects(version: number): string[] {
  const names: string[] = [];
  for (const migration of migrations) {
    if (migration.version > version) continue;
    for (const match of migration.sql.matchAll(/CREATE\s+(?:TABLE|INDEX|TRIGGER)\s+(\w+)/g)) names.push(match[1]!);
  }
  return names;
}

interface RecordedMigration {
  version: number;
  name: string;
  checksum: string;
}

const wayOut = 'Nothing was changed. Move it aside or restore a backup, or use --data to open another folder.';

/**
 * Reads the schema state without writing anything, and refuses a database this build must not
 * touch: one written by a newer Coursewright, one that is some other program's database, one
 * whose recorded migrations differ from ours, or one whose protective triggers were removed.
 * Returns the schema version found.
 */
export function inspectSchema(db: BetterSqlite3.Database, file: string): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > latestSchemaVersion) {
    throw new CoursewrightError(
      'STORAGE_TOO_NEW',
      `${file} was written by a newer Coursewright (schema ${found}, this build knows ${latestSchemaVersion}). Update Coursewright or open another data folder with --data.`,
      { file, schemaVersion: found, knownVersion: latestSchemaVersion },
    );
  }
  const objects = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).pluck().all() as string[]));
  if (found === 0) {
    if (objects.size > 0) {
      throw new CoursewrightError('STORAGE_CORRUPT', `${file} is a database of some other program, not a Coursewright database. ${wayOut}`, {
        file,
        reason: 'foreign_database',
      });
    }
    return 0;
  }
  if (!objects.has('schema_migrations')) {
    throw new CoursewrightError('STORAGE_CORRUPT', `${file} says it is at schema ${found} but has no migration record. ${wayOut}`, {
      file,
      reason: 'missing_migration_record',
    });
  }
  const recorded = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as RecordedMigration[];
  const recordedVersions = new Set(recorded.map((r) => r.version));
  for (const migration of migrations) {
    if (migration.version <= found && !recordedVersions.has(migration.version)) {
      throw new CoursewrightError('STORAGE_CORRUPT', `${file} is at schema ${found} but has no record of migration ${migration.version} (${migration.name}). ${wayOut}`, {
        file,
        reason: 'missing_migration_record',
        version: migration.version,
      });
    }
  }
  for (const row of recorded) {
    const migration = migrations.find((m) => m.version === row.version);
    if (!migration || row.version > found) {
      throw new CoursewrightError('STORAGE_CORRUPT', `${file} records migration ${row.version} (${row.name}) beyond its schema version ${found}. ${wayOut}`, {
        file,
        reason: 'migration_drift',
        version: row.version,
      });
    }
    const expected = migrationChecksum(migration);
    if (row.checksum !== expected) {
      throw new CoursewrightError(
        'STORAGE_CORRUPT',
        `${file} was migrated with a different migration ${row.version} (${row.name}) than this build of Coursewright ships (checksum mismatch), so its schema cannot be trusted. ${wayOut}`,
        { file, reason: 'migration_drift', version: row.version, recorded: row.checksum, expected },
      );
    }
  }
  const missing = expectedSchemaObjects(found).filter((name) => !objects.has(name));
  if (missing.length > 0) {
    throw new CoursewrightError('STORAGE_CORRUPT', `${file} is missing parts of its schema (${missing.join(', ')}); it was altered outside Coursewright. ${wayOut}`, {
      file,
      reason: 'schema_objects_missing',
      missing,
    });
  }
  return found;
}

/**
 * Brings the database to the latest schema: every pending migration, its record in
 * schema_migrations and PRAGMA user_version commit together or not at all. The state is read
 * again inside the write transaction, so two processes opening the same new file migrate once.
 * Returns the schema version after migrating.
 */
export function applyMigrations(db: BetterSqlite3.Database, file: string, now: () => Date = () => new Date()): number {
  // An up-to-date database is opened without taking the write lock, so opening never waits on
  // (or fails because of) another process that is busy writing.
  const found = inspectSchema(db, file);
  if (found === latestSchemaVersion) return found;
  const migrate = db.transaction(() => {
    const current = inspectSchema(db, file);
    const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
    if (pending.length === 0) return current;
    db.exec(BOOKKEEPING_TABLE);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
    const appliedAt = now().toISOString();
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, migrationChecksum(migration), appliedAt);
    }
    const reached = pending[pending.length - 1]!.version;
    db.pragma(`user_version = ${reached}`);
    return reached;
  });
  return migrate.immediate();
}
