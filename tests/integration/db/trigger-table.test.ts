import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../../db/open.js';
import { courseFixture, openFresh, versionFixture } from './fixtures.js';

/**
 * Every trigger in db/migrations.ts, one table of cases each, in raw SQL as a bug or a hand-run
 * statement would write it. Every column of a row a trigger protects is written on its own and
 * must be refused with THAT trigger's sentence, compared whole (a refusal by another trigger
 * fails the case), leaving the table as it was; the writes the studio relies on must still go
 * through. The sentences and column lists are written out here, never read from the migrations.
 */

const refusedBy = {
  syllabus_versions_approved_no_update: 'approved syllabus versions are immutable; create a new draft version instead',
  syllabus_versions_approved_no_delete: 'approved syllabus versions cannot be deleted; they are the record of what was approved',
  syllabus_versions_content_written_once: 'syllabus content is written once per version; save an edit as a new version',
  syllabus_versions_review_flow: 'a syllabus version moves only DRAFT → IN_REVIEW → APPROVED or REJECTED, or DRAFT → SUPERSEDED',
  syllabus_versions_review_record_with_status: 'a review record is written only together with the status change it records',
  syllabus_versions_decision_recorded: 'a review decision records who decided, when, and for a rejection the reason',
  syllabus_versions_start_as_draft: 'a syllabus version starts as DRAFT; review and approval happen only through the review flow',
  audit_log_no_update: 'the audit log is append-only',
  audit_log_no_delete: 'the audit log is append-only',
  content_items_approved_no_update: 'approved content is immutable; regenerate it as a new draft version instead',
  content_items_approved_no_delete: 'approved content cannot be deleted; it is the record of what was approved',
  content_items_content_written_once: 'content is written once per version; a change is a new version',
  content_items_review_flow: 'content moves only DRAFT → IN_REVIEW → APPROVED or REJECTED, or DRAFT → SUPERSEDED',
  content_items_decision_recorded: 'a review decision records who decided, when, and for a rejection the reason',
  content_items_start_as_draft: 'content starts as DRAFT; review and approval happen only through the review flow',
  course_status_log_no_update: 'the course status log is append-only',
  course_status_log_no_delete: 'the course status log is append-only',
  course_packages_start_published: 'a package is built PUBLISHED; archiving happens later, once',
  course_packages_only_archive: 'course packages are immutable; the only change allowed is archiving a PUBLISHED package (status ARCHIVED, with who and when)',
  course_packages_no_delete: 'course packages cannot be deleted; archive a package instead',
  review_comments_start_open: 'a comment starts open; resolving it is a later change that records who and when',
  review_comments_written_once: 'a comment is written once; only whether its thread is resolved may change',
  review_comments_no_delete: 'comments cannot be deleted; resolve the thread instead',
  search_entries_no_update: 'search entries are replaced, never updated, so the text index stays in step',
  // Learner analytics (migration 10): their cases are in tests/integration/db/analytics-store.test.ts.
  analytics_suggestions_decided_no_update: 'a decided suggestion is immutable',
  analytics_suggestions_written_once: 'a suggestion is written once; only its status changes (OPEN to ACCEPTED or DISMISSED)',
  analytics_suggestions_no_delete: 'suggestions cannot be deleted; dismiss one with a reason instead',
  analytics_decisions_written_once: 'a suggestion decision is written once; only its delivery to the server changes',
  analytics_decisions_no_delete: 'suggestion decisions cannot be deleted; they are the record of what was decided',
  // Regeneration jobs, outputs and retry intents (migration 9): their cases are in tests/integration/regeneration-triggers.test.ts.
  regeneration_jobs_start_pending: 'a regeneration job starts PENDING with no trigger, lease, output or error; those are written as it moves',
  regeneration_jobs_final: 'completed and failed regeneration jobs are final and never run again; a retry is a new job created from a retry intent',
  regeneration_jobs_written_once: 'a regeneration job is written once; only its status, trigger, lease, heartbeat, output, error and finish time change',
  regeneration_jobs_status_flow: 'regeneration jobs move only PENDING → TRIGGERED → RUNNING → COMPLETED or FAILED (cancelling ends an active job FAILED)',
  regeneration_jobs_trigger_recorded: 'who triggered a job and when is written once, when it moves from PENDING to TRIGGERED',
  regeneration_jobs_lease_held: "a job is leased once, by the worker that claims it; only that running job's lease and heartbeat are renewed",
  regeneration_jobs_output_once: "a job's output is written once, when the job completes, and must be the draft version recorded for it",
  regeneration_jobs_end_recorded: "a job's error and finish time are written once, when it ends (FAILED with the reason)",
  regeneration_jobs_no_delete: 'regeneration jobs cannot be deleted; they are the record of what was asked and what ran',
  regeneration_job_outputs_while_running: 'a job output is written only while its job is RUNNING, by the worker that runs it',
  regeneration_job_outputs_no_update: 'job outputs are insert-only; a job has the one output it completed with',
  regeneration_job_outputs_no_delete: 'job outputs cannot be deleted; they link each version to the job that wrote it',
  // Question and syllabus targets (migration 11): their cases are in tests/integration/regeneration-targets-triggers.test.ts.
  regeneration_jobs_target_exists: 'a regeneration job starts from a version of its own course: a syllabus version for a syllabus job, a quiz for a question job, otherwise an item of the kind it names',
  regeneration_jobs_quiz_or_questions: 'a quiz has either one active whole-quiz job or active jobs on single questions, never both at once',
  regeneration_job_outputs_of_its_kind: 'a job output is a version of what its job regenerates: a syllabus version for a syllabus job, a content item otherwise',
  retry_intents_start_pending: 'a retry intent starts PENDING; executing or rejecting it is a later decision',
  retry_intents_decided_once: 'a retry intent is decided once; a consumed or rejected intent never changes',
  retry_intents_written_once: 'a retry intent is written once; only its decision (CONSUMED or REJECTED) is recorded later',
  retry_intents_decision: 'a retry intent moves once from PENDING to CONSUMED (with the new job) or REJECTED (with the reason), recording who and when',
  retry_intents_no_delete: 'retry intents cannot be deleted; they are the record of who asked for a retry and why',
} as const;
type TriggerName = keyof typeof refusedBy;

/**
 * Triggers that refuse nothing: they keep the search index in step with the rows it finds
 * (db/search-migration.ts). What they write is pinned by tests/integration/search.test.ts.
 */
const keepSearchIndexCurrent = [
  'audit_log_search_insert',
  'content_items_search_delete',
  'content_items_search_insert',
  'courses_search_delete',
  'courses_search_insert',
  'courses_search_update',
  'search_entries_text_delete',
  'search_entries_text_insert',
  'syllabus_versions_search_delete',
  'syllabus_versions_search_insert',
] as const;

const later = "'2030-01-01T00:00:00.000Z'";

/** A new value for every column of each protected table, as SQL literals. */
const syllabusEdits = {
  id: "'syl-forged'",
  course_id: "'crs-2'",
  version: '9',
  status: "'DRAFT'",
  syllabus_json: `'{"title":"swapped"}'`,
  metadata_json: `'{"swapped":true}'`,
  warnings_json: "'[]'",
  based_on_id: "'syl-approved'",
  content_hash: "'forged'",
  created_at: later,
  submitted_at: later,
  decided_by: "'mallory'",
  decided_at: later,
  note: "'rewritten'",
  rejection_reason: "'rewritten'",
};
const contentEdits = {
  id: "'ci-forged'",
  course_id: "'crs-2'",
  syllabus_version_id: "'syl-draft'",
  kind: "'quiz'",
  target_id: "'lesson-9-9'",
  version: '9',
  status: "'DRAFT'",
  content_json: `'{"swapped":true}'`,
  metadata_json: `'{"swapped":true}'`,
  content_hash: "'forged'",
  based_on_id: "'ci-approved'",
  created_at: later,
  opened_at: later,
  submitted_at: later,
  decided_by: "'mallory'",
  decided_at: later,
  note: "'rewritten'",
  rejection_reason: "'rewritten'",
};
const packageEdits = {
  id: "'pkg-forged'",
  course_id: "'crs-2'",
  syllabus_version_id: "'syl-draft'",
  version: '9',
  status: "'ARCHIVED'",
  content_hash: "'forged'",
  item_hashes_json: "'{}'",
  document_json: `'{"swapped":true}'`,
  size_bytes: '1',
  module_count: '9',
  lesson_count: '9',
  created_by: "'mallory'",
  created_at: later,
  archived_at: later,
  archived_by: "'mallory'",
};
const auditEdits = { id: '99', at: later, actor: "'mallory'", action: "'course.deleted'", entity_type: "'package'", entity_id: "'crs-2'", metadata_json: "'{}'" };
const statusLogEdits = { id: '99', course_id: "'crs-2'", from_status: "'published'", to_status: "'draft'", actor: "'mallory'", reason: "'rewritten'", at: later };

const syllabusWrittenOnce = ['id', 'course_id', 'version', 'syllabus_json', 'metadata_json', 'warnings_json', 'based_on_id', 'content_hash', 'created_at'] as const;
const syllabusReviewRecord = ['submitted_at', 'decided_by', 'decided_at', 'note', 'rejection_reason'] as const;
const contentWrittenOnce = ['id', 'course_id', 'syllabus_version_id', 'kind', 'target_id', 'version', 'content_json', 'metadata_json', 'content_hash', 'based_on_id', 'created_at'] as const;
const contentReviewRecord = ['opened_at', 'submitted_at', 'decided_by', 'decided_at', 'note', 'rejection_reason'] as const;
const notApproved = { syllabus: ['syl-draft', 'syl-review', 'syl-rejected', 'syl-superseded'], content: ['ci-draft', 'ci-review', 'ci-rejected', 'ci-superseded'] };

/** Status moves the review flow refuses, from the seeded row in each status. */
const refusedMoves = [
  ['draft', 'APPROVED'],
  ['draft', 'REJECTED'],
  ['review', 'DRAFT'],
  ['review', 'SUPERSEDED'],
  ['rejected', 'DRAFT'],
  ['rejected', 'IN_REVIEW'],
  ['rejected', 'APPROVED'],
  ['superseded', 'DRAFT'],
  ['superseded', 'IN_REVIEW'],
  ['superseded', 'APPROVED'],
] as const;
/** A decision written with everything it records, so only the move itself can be refused. */
const decisionColumns = `decided_by = 'rui', decided_at = ${later}, rejection_reason = 'off topic'`;

let opened: OpenedDatabase;

function run(statement: string): void {
  opened.db.prepare(statement).run();
}

function seed(): void {
  opened.store.courses.insert(courseFixture('crs-1'));
  opened.store.courses.insert(courseFixture('crs-2'));
  const versions = { 'syl-approved': 1, 'syl-draft': 2, 'syl-review': 3, 'syl-rejected': 4, 'syl-superseded': 5 };
  for (const [id, version] of Object.entries(versions)) opened.store.syllabi.insert(versionFixture(id, 'crs-1', version));
  run("UPDATE syllabus_versions SET status = 'IN_REVIEW', submitted_at = '2025-03-02T10:00:00.000Z' WHERE id IN ('syl-approved', 'syl-review', 'syl-rejected')");
  run("UPDATE syllabus_versions SET status = 'APPROVED', decided_by = 'rui', decided_at = '2025-03-03T10:00:00.000Z' WHERE id = 'syl-approved'");
  run("UPDATE syllabus_versions SET status = 'REJECTED', decided_by = 'rui', decided_at = '2025-03-03T10:00:00.000Z', rejection_reason = 'too long' WHERE id = 'syl-rejected'");
  run("UPDATE syllabus_versions SET status = 'SUPERSEDED' WHERE id = 'syl-superseded'");

  const items = { 'ci-approved': 'lesson-1-1', 'ci-draft': 'lesson-1-2', 'ci-review': 'lesson-1-3', 'ci-rejected': 'lesson-1-4', 'ci-superseded': 'lesson-2-1' };
  for (const [id, target] of Object.entries(items)) {
    run(`INSERT INTO content_items (id, course_id, syllabus_version_id, kind, target_id, version, status, content_json, metadata_json, content_hash, based_on_id, created_at)
         VALUES ('${id}', 'crs-1', 'syl-approved', 'lesson', '${target}', 1, 'DRAFT', '{"title":"${id}"}', '{}', 'hash-${id}', NULL, '2025-03-04T10:00:00.000Z')`);
  }
  run("UPDATE content_items SET status = 'IN_REVIEW', submitted_at = '2025-03-05T10:00:00.000Z' WHERE id IN ('ci-approved', 'ci-review', 'ci-rejected')");
  run("UPDATE content_items SET status = 'APPROVED', decided_by = 'rui', decided_at = '2025-03-06T10:00:00.000Z' WHERE id = 'ci-approved'");
  run("UPDATE content_items SET status = 'REJECTED', decided_by = 'rui', decided_at = '2025-03-06T10:00:00.000Z', rejection_reason = 'too long' WHERE id = 'ci-rejected'");
  run("UPDATE content_items SET status = 'SUPERSEDED' WHERE id = 'ci-superseded'");

  for (const [id, version] of [['pkg-published', 1], ['pkg-archived', 2]] as const) {
    run(`INSERT INTO course_packages (id, course_id, syllabus_version_id, version, status, content_hash, item_hashes_json, document_json, size_bytes, module_count, lesson_count, created_by, created_at)
         VALUES ('${id}', 'crs-1', 'syl-approved', ${version}, 'PUBLISHED', 'hash-${id}', '{"ci-approved":"hash-ci-approved"}', '{"title":"${id}"}', 120, 3, 12, 'dana', '2025-03-07T10:00:00.000Z')`);
  }
  run("UPDATE course_packages SET status = 'ARCHIVED', archived_at = '2025-03-08T10:00:00.000Z', archived_by = 'dana' WHERE id = 'pkg-archived'");

  run(`INSERT INTO audit_log (at, actor, action, entity_type, entity_id, metadata_json) VALUES ('2025-03-01T09:00:00.000Z', 'dana', 'course.created', 'course', 'crs-1', '{"title":"T"}')`);
  run(`INSERT INTO course_status_log (course_id, from_status, to_status, actor, reason, at) VALUES ('crs-1', 'draft', 'review', 'dana', NULL, '2025-03-04T09:00:00.000Z')`);
  run(`INSERT INTO review_comments (id, course_id, item_kind, target_id, item_id, item_version, block_path, block_json, item_content_hash, reply_to, thread_id, author, body, created_at)
       VALUES ('cmt-1', 'crs-1', 'lesson', 'lesson-1-3', 'ci-review', 1, 'objectives/0', '"Explain"', 'hash-ci-review', NULL, 'cmt-1', 'rui', 'Vague objective.', '2025-03-05T11:00:00.000Z')`);
}

// One seeded database for the file; each case runs inside a savepoint that is rolled back, so
// every case starts from the seeded rows whatever the case before it wrote.
beforeAll(() => {
  opened = openFresh('trigger-table');
  seed();
});
afterAll(() => opened.close());
beforeEach(() => run('SAVEPOINT trigger_case'));
afterEach(() => {
  run('ROLLBACK TO trigger_case');
  run('RELEASE trigger_case');
});

/** The sentence the database refused a statement with; a statement that went through fails the case. */
function refusalOf(statement: string): string {
  try {
    run(statement);
  } catch (error) {
    return (error as Error).message;
  }
  return `accepted: ${statement}`;
}

function tableRows(table: string): unknown[] {
  return opened.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
}

function expectRefused(table: string, statement: string, trigger: TriggerName): void {
  const before = tableRows(table);
  expect(refusalOf(statement)).toBe(refusedBy[trigger]);
  expect(tableRows(table), 'the table is as it was').toEqual(before);
}

function statusOf(table: string, id: string): unknown {
  return (opened.db.prepare(`SELECT status FROM ${table} WHERE id = ?`).get(id) as { status: string } | undefined)?.status;
}

const entries = <T extends object>(edits: T) => Object.entries(edits) as Array<[string, string]>;

describe('the case tables cover the schema', () => {
  it('every trigger in the database has its own cases here', () => {
    const triggers = (opened.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(triggers).toEqual([...Object.keys(refusedBy), ...keepSearchIndexCurrent].sort());
  });

  it.each([
    ['syllabus_versions', syllabusEdits],
    ['content_items', contentEdits],
    ['course_packages', packageEdits],
    ['audit_log', auditEdits],
    ['course_status_log', statusLogEdits],
  ] as const)('every column of %s has an edit to try', (table, edits) => {
    const columns = (opened.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(Object.keys(edits).sort()).toEqual(columns.sort());
  });
});

describe('syllabus versions', () => {
  it.each(entries(syllabusEdits))('an APPROVED version: UPDATE of %s is refused by syllabus_versions_approved_no_update', (column, value) => {
    expectRefused('syllabus_versions', `UPDATE syllabus_versions SET ${column} = ${value} WHERE id = 'syl-approved'`, 'syllabus_versions_approved_no_update');
  });

  it('an UPDATE of every version at once is refused as a whole when an APPROVED one is among them', () => {
    expectRefused('syllabus_versions', "UPDATE syllabus_versions SET status = 'DRAFT'", 'syllabus_versions_approved_no_update');
  });

  it.each([["WHERE id = 'syl-approved'"], ['']])('DELETE FROM syllabus_versions %s is refused by syllabus_versions_approved_no_delete', (where) => {
    expectRefused('syllabus_versions', `DELETE FROM syllabus_versions ${where}`, 'syllabus_versions_approved_no_delete');
  });

  const writtenOnce = notApproved.syllabus.flatMap((id) => syllabusWrittenOnce.map((column) => [id, column, syllabusEdits[column]] as const));
  it.each(writtenOnce)('%s: UPDATE of %s is refused by syllabus_versions_content_written_once', (id, column, value) => {
    expectRefused('syllabus_versions', `UPDATE syllabus_versions SET ${column} = ${value} WHERE id = '${id}'`, 'syllabus_versions_content_written_once');
  });

  const reviewRecord = notApproved.syllabus.flatMap((id) => syllabusReviewRecord.map((column) => [id, column, syllabusEdits[column]] as const));
  it.each(reviewRecord)('%s: UPDATE of %s without a status change is refused by syllabus_versions_review_record_with_status', (id, column, value) => {
    expectRefused('syllabus_versions', `UPDATE syllabus_versions SET ${column} = ${value} WHERE id = '${id}'`, 'syllabus_versions_review_record_with_status');
  });

  it.each(refusedMoves)('%s → %s is refused by syllabus_versions_review_flow', (from, to) => {
    expectRefused('syllabus_versions', `UPDATE syllabus_versions SET status = '${to}', ${decisionColumns} WHERE id = 'syl-${from}'`, 'syllabus_versions_review_flow');
  });

  it.each([
    ['APPROVED without who decided', `status = 'APPROVED', decided_at = ${later}`],
    ['APPROVED without when', "status = 'APPROVED', decided_by = 'rui'"],
    ['REJECTED without who decided', `status = 'REJECTED', decided_at = ${later}, rejection_reason = 'off topic'`],
    ['REJECTED without when', "status = 'REJECTED', decided_by = 'rui', rejection_reason = 'off topic'"],
    ['REJECTED without a reason', `status = 'REJECTED', decided_by = 'rui', decided_at = ${later}`],
  ])('a version in review moved to %s is refused by syllabus_versions_decision_recorded', (_, set) => {
    expectRefused('syllabus_versions', `UPDATE syllabus_versions SET ${set} WHERE id = 'syl-review'`, 'syllabus_versions_decision_recorded');
  });

  it.each(['IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'])('an INSERT as %s is refused by syllabus_versions_start_as_draft', (status) => {
    expectRefused(
      'syllabus_versions',
      `INSERT INTO syllabus_versions (id, course_id, version, status, syllabus_json, metadata_json, warnings_json, content_hash, created_at, decided_by, decided_at, rejection_reason)
       VALUES ('syl-new', 'crs-1', 6, '${status}', '{}', '{}', '[]', 'h', ${later}, 'rui', ${later}, 'off topic')`,
      'syllabus_versions_start_as_draft',
    );
  });

  describe('the review flow still goes through', () => {
    it.each([
      ['DRAFT → IN_REVIEW, recording when', 'syl-draft', `status = 'IN_REVIEW', submitted_at = ${later}`, 'IN_REVIEW'],
      ['DRAFT → SUPERSEDED', 'syl-draft', "status = 'SUPERSEDED'", 'SUPERSEDED'],
      ['IN_REVIEW → APPROVED, recording who, when and a note', 'syl-review', `status = 'APPROVED', decided_by = 'rui', decided_at = ${later}, note = 'good'`, 'APPROVED'],
      ['IN_REVIEW → REJECTED, recording who, when and why', 'syl-review', `status = 'REJECTED', decided_by = 'rui', decided_at = ${later}, rejection_reason = 'off topic'`, 'REJECTED'],
    ])('%s', (_, id, set, status) => {
      run(`UPDATE syllabus_versions SET ${set} WHERE id = '${id}'`);
      expect(statusOf('syllabus_versions', id)).toBe(status);
    });

    it('a new version inserted as DRAFT', () => {
      run(`INSERT INTO syllabus_versions (id, course_id, version, status, syllabus_json, metadata_json, warnings_json, content_hash, created_at)
           VALUES ('syl-new', 'crs-1', 6, 'DRAFT', '{}', '{}', '[]', 'h', ${later})`);
      expect(statusOf('syllabus_versions', 'syl-new')).toBe('DRAFT');
    });
  });
});

describe('content items', () => {
  it.each(contentReviewRecord.map((column) => [column, contentEdits[column]] as const))('an APPROVED item: UPDATE of %s is refused by content_items_approved_no_update', (column, value) => {
    expectRefused('content_items', `UPDATE content_items SET ${column} = ${value} WHERE id = 'ci-approved'`, 'content_items_approved_no_update');
  });

  // On an approved item these columns are guarded twice (content_items_content_written_once or
  // content_items_review_flow as well as content_items_approved_no_update); SQLite does not
  // promise which fires first, so either sentence is right and nothing may change.
  it.each([...contentWrittenOnce, 'status' as const].map((column) => [column, contentEdits[column]] as const))('an APPROVED item: UPDATE of %s is refused', (column, value) => {
    const before = tableRows('content_items');
    const guards = column === 'status' ? ['content_items_approved_no_update', 'content_items_review_flow'] as const : ['content_items_approved_no_update', 'content_items_content_written_once'] as const;
    expect(guards.map((trigger) => refusedBy[trigger])).toContain(refusalOf(`UPDATE content_items SET ${column} = ${value} WHERE id = 'ci-approved'`));
    expect(tableRows('content_items')).toEqual(before);
  });

  it.each([["WHERE id = 'ci-approved'"], ['']])('DELETE FROM content_items %s is refused by content_items_approved_no_delete', (where) => {
    expectRefused('content_items', `DELETE FROM content_items ${where}`, 'content_items_approved_no_delete');
  });

  const writtenOnce = notApproved.content.flatMap((id) => contentWrittenOnce.map((column) => [id, column, contentEdits[column]] as const));
  it.each(writtenOnce)('%s: UPDATE of %s is refused by content_items_content_written_once', (id, column, value) => {
    expectRefused('content_items', `UPDATE content_items SET ${column} = ${value} WHERE id = '${id}'`, 'content_items_content_written_once');
  });

  it.each(refusedMoves)('%s → %s is refused by content_items_review_flow', (from, to) => {
    expectRefused('content_items', `UPDATE content_items SET status = '${to}', ${decisionColumns} WHERE id = 'ci-${from}'`, 'content_items_review_flow');
  });

  it.each([
    ['APPROVED without who decided', `status = 'APPROVED', decided_at = ${later}`],
    ['APPROVED without when', "status = 'APPROVED', decided_by = 'rui'"],
    ['REJECTED without who decided', `status = 'REJECTED', decided_at = ${later}, rejection_reason = 'off topic'`],
    ['REJECTED without when', "status = 'REJECTED', decided_by = 'rui', rejection_reason = 'off topic'"],
    ['REJECTED without a reason', `status = 'REJECTED', decided_by = 'rui', decided_at = ${later}`],
  ])('an item in review moved to %s is refused by content_items_decision_recorded', (_, set) => {
    expectRefused('content_items', `UPDATE content_items SET ${set} WHERE id = 'ci-review'`, 'content_items_decision_recorded');
  });

  it.each(['IN_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED'])('an INSERT as %s is refused by content_items_start_as_draft', (status) => {
    expectRefused(
      'content_items',
      `INSERT INTO content_items (id, course_id, syllabus_version_id, kind, target_id, version, status, content_json, metadata_json, content_hash, created_at, decided_by, decided_at, rejection_reason)
       VALUES ('ci-new', 'crs-1', 'syl-approved', 'quiz', 'lesson-1-1', 1, '${status}', '{}', '{}', 'h', ${later}, 'rui', ${later}, 'off topic')`,
      'content_items_start_as_draft',
    );
  });

  describe('drafts stay workable and the review flow still goes through', () => {
    it.each([
      ['a draft records when a reviewer first opened it', 'ci-draft', `opened_at = ${later}`, 'DRAFT'],
      ['a draft keeps a reviewer note', 'ci-draft', "note = 'check the second example'", 'DRAFT'],
      ['DRAFT → IN_REVIEW, recording when', 'ci-draft', `status = 'IN_REVIEW', submitted_at = ${later}`, 'IN_REVIEW'],
      ['DRAFT → SUPERSEDED', 'ci-draft', "status = 'SUPERSEDED'", 'SUPERSEDED'],
      ['IN_REVIEW → APPROVED, recording who, when and a note', 'ci-review', `status = 'APPROVED', decided_by = 'rui', decided_at = ${later}, note = 'good'`, 'APPROVED'],
      ['IN_REVIEW → REJECTED, recording who, when and why', 'ci-review', `status = 'REJECTED', decided_by = 'rui', decided_at = ${later}, rejection_reason = 'off topic'`, 'REJECTED'],
    ])('%s', (_, id, set, status) => {
      run(`UPDATE content_items SET ${set} WHERE id = '${id}'`);
      expect(statusOf('content_items', id)).toBe(status);
    });

    it('a new version of an approved item inserted as DRAFT', () => {
      run(`INSERT INTO content_items (id, course_id, syllabus_version_id, kind, target_id, version, status, content_json, metadata_json, content_hash, based_on_id, created_at)
           VALUES ('ci-new', 'crs-1', 'syl-approved', 'lesson', 'lesson-1-1', 2, 'DRAFT', '{}', '{}', 'h', 'ci-approved', ${later})`);
      expect(statusOf('content_items', 'ci-new')).toBe('DRAFT');
    });
  });
});

describe('course packages', () => {
  const archiving = `status = 'ARCHIVED', archived_at = ${later}, archived_by = 'rui'`;

  it.each(['pkg-published', 'pkg-archived'].flatMap((id) => entries(packageEdits).map(([column, value]) => [id, column, value] as const)))(
    '%s: UPDATE of %s alone is refused by course_packages_only_archive',
    (id, column, value) => {
      expectRefused('course_packages', `UPDATE course_packages SET ${column} = ${value} WHERE id = '${id}'`, 'course_packages_only_archive');
    },
  );

  it.each(entries(packageEdits).filter(([column]) => !['status', 'archived_at', 'archived_by'].includes(column)))(
    'archiving a PUBLISHED package while also changing %s is refused by course_packages_only_archive',
    (column, value) => {
      expectRefused('course_packages', `UPDATE course_packages SET ${archiving}, ${column} = ${value} WHERE id = 'pkg-published'`, 'course_packages_only_archive');
    },
  );

  it.each([
    ['without when', "status = 'ARCHIVED', archived_by = 'rui'", 'pkg-published'],
    ['without who', `status = 'ARCHIVED', archived_at = ${later}`, 'pkg-published'],
    ['a second time', archiving, 'pkg-archived'],
    ['back to PUBLISHED', "status = 'PUBLISHED', archived_at = NULL, archived_by = NULL", 'pkg-archived'],
  ])('archiving %s is refused by course_packages_only_archive', (_, set, id) => {
    expectRefused('course_packages', `UPDATE course_packages SET ${set} WHERE id = '${id}'`, 'course_packages_only_archive');
  });

  it.each([["WHERE id = 'pkg-published'"], ["WHERE id = 'pkg-archived'"], ['']])('DELETE FROM course_packages %s is refused by course_packages_no_delete', (where) => {
    expectRefused('course_packages', `DELETE FROM course_packages ${where}`, 'course_packages_no_delete');
  });

  it.each([
    ['ARCHIVED', `'ARCHIVED', ${later}, 'rui'`],
    ['PUBLISHED with when it was archived', `'PUBLISHED', ${later}, NULL`],
    ['PUBLISHED with who archived it', "'PUBLISHED', NULL, 'rui'"],
  ])('an INSERT as %s is refused by course_packages_start_published', (_, values) => {
    expectRefused(
      'course_packages',
      `INSERT INTO course_packages (id, course_id, syllabus_version_id, version, content_hash, item_hashes_json, document_json, size_bytes, module_count, lesson_count, created_by, created_at, status, archived_at, archived_by)
       VALUES ('pkg-new', 'crs-1', 'syl-approved', 3, 'h', '{}', '{}', 1, 1, 1, 'dana', ${later}, ${values})`,
      'course_packages_start_published',
    );
  });

  it('a PUBLISHED package is archived once, recording who and when, and nothing else changes', () => {
    const before = opened.db.prepare("SELECT * FROM course_packages WHERE id = 'pkg-published'").get() as Record<string, unknown>;
    run(`UPDATE course_packages SET ${archiving} WHERE id = 'pkg-published'`);
    expect(opened.db.prepare("SELECT * FROM course_packages WHERE id = 'pkg-published'").get()).toEqual({ ...before, status: 'ARCHIVED', archived_at: '2030-01-01T00:00:00.000Z', archived_by: 'rui' });
  });

  it('a new package is inserted PUBLISHED', () => {
    run(`INSERT INTO course_packages (id, course_id, syllabus_version_id, version, status, content_hash, item_hashes_json, document_json, size_bytes, module_count, lesson_count, created_by, created_at)
         VALUES ('pkg-new', 'crs-1', 'syl-approved', 3, 'PUBLISHED', 'h', '{}', '{}', 1, 1, 1, 'dana', ${later})`);
    expect(statusOf('course_packages', 'pkg-new')).toBe('PUBLISHED');
  });
});

describe('append-only logs', () => {
  it.each(entries(auditEdits))('UPDATE of audit_log.%s is refused by audit_log_no_update', (column, value) => {
    expectRefused('audit_log', `UPDATE audit_log SET ${column} = ${value} WHERE id = 1`, 'audit_log_no_update');
  });

  it.each(entries(statusLogEdits))('UPDATE of course_status_log.%s is refused by course_status_log_no_update', (column, value) => {
    expectRefused('course_status_log', `UPDATE course_status_log SET ${column} = ${value} WHERE id = 1`, 'course_status_log_no_update');
  });

  it.each([
    ['audit_log', 'audit_log_no_delete'],
    ['course_status_log', 'course_status_log_no_delete'],
  ] as const)('DELETE FROM %s is refused by %s', (table, trigger) => {
    expectRefused(table, `DELETE FROM ${table} WHERE id = 1`, trigger);
    expectRefused(table, `DELETE FROM ${table}`, trigger);
  });

  it('both logs still take new entries', () => {
    run(`INSERT INTO audit_log (at, actor, action, entity_type, entity_id, metadata_json) VALUES (${later}, 'rui', 'syllabus.approved', 'syllabus', 'syl-approved', '{}')`);
    run(`INSERT INTO course_status_log (course_id, from_status, to_status, actor, reason, at) VALUES ('crs-1', 'review', 'ready', 'rui', NULL, ${later})`);
    expect(tableRows('audit_log')).toHaveLength(2);
    expect(tableRows('course_status_log')).toHaveLength(2);
  });
});

describe('review comments', () => {
  /** A new value for every column a comment writes once (all but the resolution). */
  const commentEdits = {
    id: "'cmt-forged'",
    course_id: "'crs-2'",
    item_kind: "'quiz'",
    target_id: "'lesson-9'",
    item_id: "'ci-draft'",
    item_version: '7',
    block_path: "'objectives/1'",
    block_json: `'"other"'`,
    item_content_hash: "'forged'",
    reply_to: "'cmt-1'",
    thread_id: "'cmt-forged'",
    author: "'mallory'",
    body: "'Rewritten words.'",
    created_at: later,
  };

  it('every column but the resolution has an edit to try', () => {
    const columns = (opened.db.prepare("SELECT name FROM pragma_table_info('review_comments')").all() as Array<{ name: string }>).map((c) => c.name);
    expect([...Object.keys(commentEdits), 'resolved_at', 'resolved_by'].sort()).toEqual(columns.sort());
  });

  it.each(entries(commentEdits))('UPDATE of %s is refused by review_comments_written_once', (column, value) => {
    expectRefused('review_comments', `UPDATE review_comments SET ${column} = ${value} WHERE id = 'cmt-1'`, 'review_comments_written_once');
  });

  it.each([["WHERE id = 'cmt-1'"], ['']])('DELETE FROM review_comments %s is refused by review_comments_no_delete', (where) => {
    expectRefused('review_comments', `DELETE FROM review_comments ${where}`, 'review_comments_no_delete');
  });

  it('an INSERT already resolved is refused by review_comments_start_open', () => {
    expectRefused(
      'review_comments',
      `INSERT INTO review_comments (id, course_id, item_kind, target_id, item_id, item_version, item_content_hash, thread_id, author, body, created_at, resolved_at, resolved_by)
       VALUES ('cmt-2', 'crs-1', 'lesson', 'lesson-1-3', 'ci-review', 1, 'h', 'cmt-2', 'rui', 'x', ${later}, ${later}, 'rui')`,
      'review_comments_start_open',
    );
  });

  it('a thread is resolved with who and when, and reopened; a new open comment goes in', () => {
    run(`UPDATE review_comments SET resolved_at = ${later}, resolved_by = 'dana' WHERE id = 'cmt-1'`);
    expect(opened.db.prepare("SELECT resolved_by FROM review_comments WHERE id = 'cmt-1'").pluck().get()).toBe('dana');
    run("UPDATE review_comments SET resolved_at = NULL, resolved_by = NULL WHERE id = 'cmt-1'");
    expect(opened.db.prepare("SELECT resolved_by FROM review_comments WHERE id = 'cmt-1'").pluck().get()).toBeNull();
    run(`INSERT INTO review_comments (id, course_id, item_kind, target_id, item_id, item_version, item_content_hash, reply_to, thread_id, author, body, created_at)
         VALUES ('cmt-2', 'crs-1', 'lesson', 'lesson-1-3', 'ci-review', 1, 'h', 'cmt-1', 'cmt-1', 'dana', 'Fixed.', ${later})`);
    expect(tableRows('review_comments')).toHaveLength(2);
  });
});

describe('search entries', () => {
  it('an UPDATE of an entry is refused by search_entries_no_update, so the text index never drifts from its rows', () => {
    const [entry] = opened.db.prepare('SELECT id FROM search_entries ORDER BY id LIMIT 1').all() as Array<{ id: number }>;
    expect(entry, 'the fixtures put something in the search index').toBeDefined();
    expectRefused('search_entries', `UPDATE search_entries SET title = 'forged' WHERE id = ${entry!.id}`, 'search_entries_no_update');
  });

  it('replacing an entry (delete, then insert) still goes through', () => {
    const before = (opened.db.prepare('SELECT COUNT(*) AS n FROM search_entries').get() as { n: number }).n;
    const row = opened.db.prepare('SELECT * FROM search_entries ORDER BY id LIMIT 1').get() as Record<string, unknown>;
    opened.db.prepare('DELETE FROM search_entries WHERE id = ?').run(row.id);
    const { id: _id, ...rest } = row;
    const columns = Object.keys(rest);
    opened.db.prepare(`INSERT INTO search_entries (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => rest[c]));
    expect((opened.db.prepare('SELECT COUNT(*) AS n FROM search_entries').get() as { n: number }).n).toBe(before);
  });
});
