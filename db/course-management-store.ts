import type BetterSqlite3 from 'better-sqlite3';
import type { CourseHistory, CourseManagementRepository, RemovedCourseDrafts } from '../core/courses/manage.js';
import { CoursewrightError } from '../schemas/errors.js';
import { mapSqliteError } from './errors.js';

interface HistoryRow {
  id: string;
  approved_syllabi: number;
  approved_content: number;
  packages: number;
  comments: number;
  status_changes: number;
  last_activity_at: string;
}

/** Whether the database has a table (review comments arrive with a later migration than courses). */
function hasTable(db: BetterSqlite3.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/**
 * Course-wide changes: the intent, archiving, and deleting a course that holds nothing but
 * drafts. Approved rows, packages, comments and the status log are protected by triggers; the
 * engine refuses a delete that would touch them before any statement runs.
 */
export function createCourseManagementRepository(db: BetterSqlite3.Database): CourseManagementRepository {
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };
  const comments = hasTable(db, 'review_comments') ? `(SELECT count(*) FROM review_comments r WHERE r.course_id = c.id)` : '0';
  const historySql = `
SELECT c.id,
  (SELECT count(*) FROM syllabus_versions s WHERE s.course_id = c.id AND s.status = 'APPROVED') AS approved_syllabi,
  (SELECT count(*) FROM content_items i WHERE i.course_id = c.id AND i.status = 'APPROVED') AS approved_content,
  (SELECT count(*) FROM course_packages p WHERE p.course_id = c.id) AS packages,
  ${comments} AS comments,
  (SELECT count(*) FROM course_status_log l WHERE l.course_id = c.id) AS status_changes,
  max(
    c.created_at,
    coalesce(c.updated_at, ''),
    coalesce((SELECT max(max(s.created_at, coalesce(s.submitted_at, ''), coalesce(s.decided_at, ''))) FROM syllabus_versions s WHERE s.course_id = c.id), ''),
    coalesce((SELECT max(max(i.created_at, coalesce(i.submitted_at, ''), coalesce(i.decided_at, ''))) FROM content_items i WHERE i.course_id = c.id), '')
  ) AS last_activity_at
FROM courses c`;
  const statements = {
    updateIntent: db.prepare('UPDATE courses SET title = @title, intent_json = @intentJson, updated_at = @at WHERE id = @id'),
    setArchived: db.prepare('UPDATE courses SET archived_at = @archivedAt, archived_by = @archivedBy, updated_at = @at WHERE id = @id'),
    allHistories: db.prepare(historySql),
    oneHistory: db.prepare(`${historySql} WHERE c.id = ?`),
    deleteAutosaves: db.prepare(`
DELETE FROM autosaves WHERE EXISTS (
  SELECT 1 FROM (
    SELECT @id AS owned
    UNION ALL SELECT id FROM syllabus_versions WHERE course_id = @id
    UNION ALL SELECT id FROM content_items WHERE course_id = @id
  ) WHERE autosaves.key = owned OR autosaves.key LIKE '%:' || owned OR autosaves.key LIKE '%:' || owned || ':%'
)`),
    deleteContent: db.prepare('DELETE FROM content_items WHERE course_id = ?'),
    deleteSyllabi: db.prepare('DELETE FROM syllabus_versions WHERE course_id = ?'),
    deleteCourse: db.prepare('DELETE FROM courses WHERE id = ?'),
  };

  function notFound(courseId: string): never {
    throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list --all\`.`, { courseId });
  }

  const historyFromRow = (row: HistoryRow): CourseHistory => ({
    approvedSyllabusVersions: row.approved_syllabi,
    approvedContentItems: row.approved_content,
    packages: row.packages,
    reviewComments: row.comments,
    statusChanges: row.status_changes,
    lastActivityAt: row.last_activity_at,
  });

  return {
    updateIntent(courseId, change) {
      const result = guarded(() => statements.updateIntent.run({ id: courseId, title: change.title, intentJson: change.intentJson, at: change.at }));
      if (result.changes === 0) notFound(courseId);
    },
    setArchived(courseId, state, at) {
      const result = guarded(() => statements.setArchived.run({ id: courseId, archivedAt: state?.at ?? null, archivedBy: state?.by ?? null, at }));
      if (result.changes === 0) notFound(courseId);
    },
    histories(courseId) {
      const rows = guarded(() => (courseId === undefined ? statements.allHistories.all() : statements.oneHistory.all(courseId))) as HistoryRow[];
      return new Map(rows.map((row) => [row.id, historyFromRow(row)]));
    },
    deleteCourse(courseId): RemovedCourseDrafts {
      return guarded(() => {
        // Versions point at the versions they were based on; checking those references at commit
        // lets the drafts go in any order while still refusing to leave a dangling one behind.
        db.pragma('defer_foreign_keys = ON');
        const autosaves = statements.deleteAutosaves.run({ id: courseId }).changes;
        const contentItems = statements.deleteContent.run(courseId).changes;
        const syllabusVersions = statements.deleteSyllabi.run(courseId).changes;
        if (statements.deleteCourse.run(courseId).changes === 0) notFound(courseId);
        return { syllabusVersions, contentItems, autosaves };
      });
    },
  };
}
