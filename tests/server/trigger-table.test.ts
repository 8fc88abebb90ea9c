import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type OpenedDatabase } from '../../server/db/connection.js';
import { describeOnBothDatabases } from './support/databases.js';

/**
 * Every trigger of the hosted server's database, table by table: each column of a protected row
 * is changed on its own and must be refused with that trigger's own message, and the writes the
 * server still needs (new rows, removing expired export files, a suggestion's one decision)
 * must still go through. Rows are written with plain SQL, as an operator or a bug would.
 */

const TENANT = 'ten_triggers';
const USER = 'usr_triggers';
const HASH = 'a'.repeat(64);
const EXPORT_ID = '00000000-0000-4000-8000-000000000001';
const EXPORT_JOB_2 = '00000000-0000-4000-8000-000000000002';

/** The protected tables: the key that picks the test row, and what the triggers refuse there. */
interface ProtectedTable {
  where: string;
  /** Triggers guarding this table, by name (the coverage check below compares with the database). */
  triggers: string[];
  deleteRefused: boolean;
  truncateRefused: boolean;
  /** A new row of this table: inserting must still work. */
  another: string;
}

const insertOnly = (table: string) => `${table} rows are insert-only: UPDATE refused`;

const tables: Record<string, ProtectedTable> = {
  packages: { where: `tenant_id = '${TENANT}' AND content_hash = '${HASH}'`, triggers: ['packages_insert_only', 'packages_no_truncate'], deleteRefused: true, truncateRefused: true, another: `INSERT INTO packages (tenant_id, content_hash, course_id, version, title, document, size_bytes, published_by) VALUES ('${TENANT}', '${'d'.repeat(64)}', 'course-t', 2, 'Triggers v2', '{"course":{}}', 13, 'key:author')` },
  audit_log: { where: `tenant_id = '${TENANT}' AND action = 'trigger.test'`, triggers: ['audit_log_insert_only', 'audit_log_no_truncate'], deleteRefused: true, truncateRefused: true, another: `INSERT INTO audit_log (tenant_id, actor, action, entity_type, entity_id) VALUES ('${TENANT}', 'key:admin', 'trigger.another', 'package', '${HASH}')` },
  attempts: { where: `tenant_id = '${TENANT}' AND id = 'att_triggers'`, triggers: ['attempts_never_updated'], deleteRefused: false, truncateRefused: false, another: `INSERT INTO attempts (tenant_id, id, user_id, course_id, lesson_index, lesson_id, quiz_item_id, quiz_content_hash, package_content_hash, package_version, question_count, correct_count, passed) VALUES ('${TENANT}', 'att_another', '${USER}', 'course-t', 0, 'lesson-1', 'quiz-1', '${'b'.repeat(64)}', '${HASH}', 1, 3, 3, true)` },
  attempt_answers: { where: `tenant_id = '${TENANT}' AND attempt_id = 'att_triggers' AND question_index = 0`, triggers: ['attempt_answers_never_updated'], deleteRefused: false, truncateRefused: false, another: `INSERT INTO attempt_answers (tenant_id, attempt_id, question_index, question_id, chosen_index, correct) VALUES ('${TENANT}', 'att_triggers', 1, 'q-2', 0, false)` },
  analytics_events: { where: `tenant_id = '${TENANT}' AND id = 'evt_triggers'`, triggers: ['analytics_events_never_updated'], deleteRefused: false, truncateRefused: false, another: `INSERT INTO analytics_events (tenant_id, id, user_id, type, course_id, occurred_at) VALUES ('${TENANT}', 'evt_another', '${USER}', 'course_viewed', 'course-t', '2026-03-01T09:31:00Z')` },
  export_files: { where: `tenant_id = '${TENANT}' AND export_id = '${EXPORT_ID}'`, triggers: ['export_files_never_updated'], deleteRefused: false, truncateRefused: false, another: `INSERT INTO export_files (tenant_id, export_id, file_name, media_type, size_bytes, sha256, bytes) SELECT '${TENANT}', id, 'course.zip', 'application/zip', 1, '${'e'.repeat(64)}', '\\x00' FROM export_jobs WHERE id = '${EXPORT_JOB_2}'` },
};

/** The rows the tests change, written as the server would write them. */
const fixture = [
  `INSERT INTO tenants (id, name) VALUES ('${TENANT}', 'Trigger Academy')`,
  `INSERT INTO users (id, tenant_id, email, password_hash) VALUES ('${USER}', '${TENANT}', 'learner@triggers.example', 'scrypt$1024$8$1$c2FsdA==$aGFzaA==')`,
  `INSERT INTO packages (tenant_id, content_hash, course_id, version, title, document, size_bytes, published_by) VALUES ('${TENANT}', '${HASH}', 'course-t', 1, 'Triggers', '{"course":{}}', 13, 'key:author')`,
  `INSERT INTO audit_log (tenant_id, actor, action, entity_type, entity_id, metadata) VALUES ('${TENANT}', 'key:admin', 'trigger.test', 'package', '${HASH}', '{"n":1}')`,
  `INSERT INTO attempts (tenant_id, id, user_id, course_id, lesson_index, lesson_id, quiz_item_id, quiz_content_hash, package_content_hash, package_version, question_count, correct_count, passed) VALUES ('${TENANT}', 'att_triggers', '${USER}', 'course-t', 0, 'lesson-1', 'quiz-1', '${'b'.repeat(64)}', '${HASH}', 1, 3, 2, false)`,
  `INSERT INTO attempt_answers (tenant_id, attempt_id, question_index, question_id, chosen_index, correct) VALUES ('${TENANT}', 'att_triggers', 0, 'q-1', 2, true)`,
  `INSERT INTO analytics_events (tenant_id, id, user_id, type, course_id, lesson_index, occurred_at, data) VALUES ('${TENANT}', 'evt_triggers', '${USER}', 'lesson_viewed', 'course-t', 0, '2026-03-01T09:30:00Z', '{"seconds":15}')`,
  `INSERT INTO export_jobs (tenant_id, id, requested_by, course_id, version, content_hash, format, state) VALUES ('${TENANT}', '${EXPORT_ID}', 'usr', 'course-t', 1, '${HASH}', 'pdf', 'completed')`,
  `INSERT INTO export_jobs (tenant_id, id, requested_by, course_id, version, content_hash, format, state) VALUES ('${TENANT}', '${EXPORT_JOB_2}', 'usr', 'course-t', 1, '${HASH}', 'scorm12', 'completed')`,
  `INSERT INTO export_files (tenant_id, export_id, file_name, media_type, size_bytes, sha256, bytes) VALUES ('${TENANT}', '${EXPORT_ID}', 'course.pdf', 'application/pdf', 4, '${'c'.repeat(64)}', '\\x25504446')`,
];

/** A value different from the column's present one, whatever its type (NULLs included). */
function changedValue(column: string, dataType: string): string {
  switch (dataType) {
    case 'text':
      return `COALESCE(${column}, '') || '-changed'`;
    case 'integer':
    case 'bigint':
      return `COALESCE(${column}, 0) + 1`;
    case 'boolean':
      return `NOT COALESCE(${column}, false)`;
    case 'timestamp with time zone':
      return `COALESCE(${column}, now()) + interval '1 second'`;
    case 'jsonb':
      return `'{"changed":true}'::jsonb`;
    case 'bytea':
      return `'\\x00'::bytea`;
    case 'uuid':
      return `'00000000-0000-4000-8000-0000000000ff'::uuid`;
    default:
      throw new Error(`No changed value for ${column} of type ${dataType}: add one here.`);
  }
}

/** What the database said, through drizzle's wrapping of the driver's error. */
function messageOf(error: unknown): string {
  const messages: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) messages.push(String(e.message));
  return messages.join(' | ');
}

const rolledBack = new Error('rolled back on purpose');

/**
 * Runs one statement in a transaction that is then rolled back, so an allowed write leaves the
 * fixture as it was for the next case (several statements run in that one transaction): the database's error, or null when it went through.
 */
async function refusalRolledBack(database: OpenedDatabase, ...statements: string[]): Promise<string | null> {
  try {
    await database.db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
      throw rolledBack;
    });
  } catch (error) {
    return error === rolledBack ? null : messageOf(error);
  }
  throw new Error('The transaction was not rolled back.');
}

describeOnBothDatabases('the server database refuses changes to frozen rows, column by column, and allows what the server needs', (target) => {
  let database: OpenedDatabase;
  const columnsOf: Record<string, Array<{ column_name: string; data_type: string }>> = {};

  beforeAll(async () => {
    database = await openServerDatabase(await target.freshLocation());
    for (const statement of fixture) await database.query(statement);
    for (const table of [...Object.keys(tables), 'analytics_suggestions']) {
      columnsOf[table] = await database.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [table]);
    }
  }, 300_000);
  afterAll(() => database?.close());

  // pg_trigger, not information_schema.triggers: the latter leaves out statement-level TRUNCATE triggers.
  it('every trigger in the database has its cases here', async () => {
    const triggers = (await database.query<{ name: string }>("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")).map((t) => t.name);
    const covered = [...Object.values(tables).flatMap((t) => t.triggers), 'analytics_suggestions_only_decided', 'analytics_suggestions_no_truncate'].sort();
    expect(triggers).toEqual(covered);
  });

  describe.each(Object.entries(tables))('%s', (table, rules) => {
    it('refuses a change of each column on its own, with the insert-only message', async () => {
      expect(columnsOf[table]!.length).toBeGreaterThan(3);
      for (const { column_name, data_type } of columnsOf[table]!) {
        const message = await refusalRolledBack(database, `UPDATE ${table} SET ${column_name} = ${changedValue(column_name, data_type)} WHERE ${rules.where}`);
        expect(message, `${table}.${column_name}`).toContain(insertOnly(table));
      }
    });

    it(rules.deleteRefused ? 'refuses DELETE' : 'still allows DELETE (a learner\'s data may be erased; expired export files are removed)', async () => {
      const message = await refusalRolledBack(database, `DELETE FROM ${table} WHERE ${rules.where}`);
      if (rules.deleteRefused) expect(message).toContain(`${table} rows are insert-only: DELETE refused`);
      // attempts are still referenced by their answers: removing both together is the erasure.
      else if (table === 'attempts') expect(await refusalRolledBack(database, `DELETE FROM attempt_answers WHERE tenant_id = '${TENANT}'`, `DELETE FROM ${table} WHERE ${rules.where}`)).toBeNull();
      else expect(message).toBeNull();
      expect(await database.query(`SELECT 1 FROM ${table} WHERE ${rules.where}`)).toHaveLength(1);
    });

    if (rules.truncateRefused) {
      it('refuses TRUNCATE', async () => {
        expect(await refusalRolledBack(database, `TRUNCATE ${table} CASCADE`)).toContain(`${table} rows are insert-only: TRUNCATE refused`);
      });
    }

    it('still takes new rows', async () => {
      expect(await refusalRolledBack(database, rules.another)).toBeNull();
    });
  });

  describe('analytics_suggestions: only its one decision may be written', () => {
    const open = (id: string) =>
      `INSERT INTO analytics_suggestions (tenant_id, id, course_id, package_version, signal_id, signal_type, kind, target, target_key, rationale, draft_instruction, status, created_at, change_seq) VALUES ('${TENANT}', '${id}', 'course-t', 1, 'sig-1', 'item_suspect_key', 'check_answer_key', '{"kind":"question"}', 'check_answer_key ${id}', 'Strong learners miss it.', 'Check the key.', 'OPEN', '2026-03-01T00:15:00Z', 1)`;
    const accept = (id: string) => `UPDATE analytics_suggestions SET status = 'ACCEPTED', decided_by = 'key:author', decided_at = now(), change_seq = change_seq + 1 WHERE tenant_id = '${TENANT}' AND id = '${id}'`;
    const decisionColumns = ['status', 'decided_by', 'decided_at', 'dismiss_reason', 'change_seq'];

    beforeAll(async () => {
      await database.query(open('sug-open'));
      await database.query(open('sug-decided'));
      await database.query(accept('sug-decided'));
    });

    it('refuses a change of each column other than the decision, even together with a decision', async () => {
      const others = columnsOf.analytics_suggestions!.filter((c) => !decisionColumns.includes(c.column_name));
      expect(others.map((c) => c.column_name)).toEqual(['tenant_id', 'id', 'course_id', 'package_version', 'signal_id', 'signal_type', 'kind', 'target', 'target_key', 'rationale', 'draft_instruction', 'created_at']);
      for (const { column_name, data_type } of others) {
        const message = await refusalRolledBack(database, `UPDATE analytics_suggestions SET ${column_name} = ${changedValue(column_name, data_type)}, status = 'ACCEPTED', decided_by = 'key:author', decided_at = now() WHERE tenant_id = '${TENANT}' AND id = 'sug-open'`);
        expect(message, column_name).toContain('only its status, who decided, when and the dismissal reason may change');
      }
    });

    it('allows accepting or dismissing (with a reason) an open suggestion', async () => {
      expect(await refusalRolledBack(database, accept('sug-open'))).toBeNull();
      expect(await refusalRolledBack(database, `UPDATE analytics_suggestions SET status = 'DISMISSED', decided_by = 'key:author', decided_at = now(), dismiss_reason = 'The key is right.' WHERE tenant_id = '${TENANT}' AND id = 'sug-open'`)).toBeNull();
    });

    it('refuses an update that leaves it open, with its own message', async () => {
      expect(await refusalRolledBack(database, `UPDATE analytics_suggestions SET change_seq = change_seq + 1 WHERE tenant_id = '${TENANT}' AND id = 'sug-open'`)).toContain('an update of suggestion sug-open must decide it (ACCEPTED or DISMISSED)');
    });

    it('refuses a second decision, naming the first', async () => {
      expect(await refusalRolledBack(database, `UPDATE analytics_suggestions SET status = 'DISMISSED', dismiss_reason = 'Changed my mind.' WHERE tenant_id = '${TENANT}' AND id = 'sug-decided'`)).toContain('suggestion sug-decided was already decided (ACCEPTED): a decision is final');
    });

    it('refuses DELETE and TRUNCATE, and still takes new suggestions', async () => {
      expect(await refusalRolledBack(database, `DELETE FROM analytics_suggestions WHERE tenant_id = '${TENANT}' AND id = 'sug-open'`)).toContain('analytics_suggestions rows are insert-only: DELETE refused');
      expect(await refusalRolledBack(database, 'TRUNCATE analytics_suggestions')).toContain('analytics_suggestions rows are insert-only: TRUNCATE refused');
      expect(await refusalRolledBack(database, open('sug-new'))).toBeNull();
    });
  });
});
