import type BetterSqlite3 from 'better-sqlite3';
import { and, asc, eq, max, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { ContentItem } from '../schemas/content.js';
import type { CourseStatus } from '../schemas/course.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { ContentRepository, ContentStatusChange, CourseStatusLog, CourseStatusLogEntry, NewContentItem } from '../core/ports.js';
import { mapSqliteError } from './errors.js';
import { contentItems, courses, courseStatusLog } from './schema.js';

type ContentRow = typeof contentItems.$inferSelect;

function contentItemFromRow(row: ContentRow): ContentItem {
  return {
    id: row.id,
    courseId: row.courseId,
    syllabusVersionId: row.syllabusVersionId,
    kind: row.kind,
    targetId: row.targetId,
    version: row.version,
    status: row.status,
    content: JSON.parse(row.contentJson) as ContentItem['content'],
    metadata: JSON.parse(row.metadataJson) as ContentItem['metadata'],
    review: {
      basedOnId: row.basedOnId,
      contentHash: row.contentHash,
      openedAt: row.openedAt,
      submittedAt: row.submittedAt,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
      note: row.note,
      rejectionReason: row.rejectionReason,
    },
  };
}

/** Content items, the course status log and course status: the storage of lessons, quizzes, projects. */
export function createContentRepositories(db: BetterSqlite3.Database) {
  const orm = drizzle(db);
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };

  const content: ContentRepository = {
    insert(item: NewContentItem) {
      guarded(() =>
        orm
          .insert(contentItems)
          .values({
            id: item.id,
            courseId: item.courseId,
            syllabusVersionId: item.syllabusVersionId,
            kind: item.kind,
            targetId: item.targetId,
            version: item.version,
            status: item.status,
            contentJson: JSON.stringify(item.content),
            metadataJson: JSON.stringify(item.metadata),
            contentHash: item.contentHash,
            basedOnId: item.basedOnId,
            createdAt: item.metadata.createdAt,
          })
          .run(),
      );
    },
    get(id) {
      const row = guarded(() => orm.select().from(contentItems).where(eq(contentItems.id, id)).get());
      return row ? contentItemFromRow(row) : undefined;
    },
    listByCourse(courseId) {
      return guarded(() => orm.select().from(contentItems).where(eq(contentItems.courseId, courseId)).orderBy(asc(sql`rowid`)).all()).map(contentItemFromRow);
    },
    listBySyllabusVersion(syllabusVersionId) {
      return guarded(() => orm.select().from(contentItems).where(eq(contentItems.syllabusVersionId, syllabusVersionId)).orderBy(asc(sql`rowid`)).all()).map(contentItemFromRow);
    },
    listLiveVersions(syllabusVersionId, kind, targetId) {
      return guarded(() =>
        orm
          .select()
          .from(contentItems)
          // Served by the content_items_one_live_draft index: only the unit's live rows are read.
          .where(and(eq(contentItems.syllabusVersionId, syllabusVersionId), eq(contentItems.kind, kind), eq(contentItems.targetId, targetId), sql`${contentItems.status} IN ('DRAFT', 'IN_REVIEW')`))
          .orderBy(asc(sql`rowid`))
          .all(),
      ).map(contentItemFromRow);
    },
    nextVersion(syllabusVersionId, kind, targetId) {
      const row = guarded(() =>
        orm
          .select({ latest: max(contentItems.version) })
          .from(contentItems)
          .where(and(eq(contentItems.syllabusVersionId, syllabusVersionId), eq(contentItems.kind, kind), eq(contentItems.targetId, targetId)))
          .get(),
      );
      return (row?.latest ?? 0) + 1;
    },
    changeStatus(id, change: ContentStatusChange) {
      const values =
        change.status === 'IN_REVIEW'
          ? { status: change.status, submittedAt: change.at }
          : change.status === 'APPROVED'
            ? { status: change.status, decidedAt: change.at, decidedBy: change.by, note: change.note }
            : change.status === 'REJECTED'
              ? { status: change.status, decidedAt: change.at, decidedBy: change.by, rejectionReason: change.reason }
              : { status: change.status };
      const result = guarded(() => orm.update(contentItems).set(values).where(eq(contentItems.id, id)).run());
      if (result.changes === 0) throw new CoursewrightError('NOT_FOUND', `No content item "${id}". List a course's content with \`coursewright content list COURSE\`.`);
    },
    markOpened(id, at) {
      guarded(() => orm.update(contentItems).set({ openedAt: at }).where(and(eq(contentItems.id, id), sql`${contentItems.openedAt} IS NULL`, sql`${contentItems.status} <> 'APPROVED'`)).run());
    },
  };

  const statusLog: CourseStatusLog = {
    append(entry: CourseStatusLogEntry) {
      guarded(() => orm.insert(courseStatusLog).values({ courseId: entry.courseId, fromStatus: entry.from, toStatus: entry.to, actor: entry.actor, reason: entry.reason, at: entry.at }).run());
    },
    list(courseId) {
      return guarded(() => orm.select().from(courseStatusLog).where(eq(courseStatusLog.courseId, courseId)).orderBy(asc(courseStatusLog.id)).all()).map((row) => ({
        courseId: row.courseId,
        from: row.fromStatus as CourseStatus,
        to: row.toStatus as CourseStatus,
        actor: row.actor,
        reason: row.reason,
        at: row.at,
      }));
    },
  };

  const setCourseStatus = (id: string, status: CourseStatus) => {
    const result = guarded(() => orm.update(courses).set({ status }).where(eq(courses.id, id)).run());
    if (result.changes === 0) throw new CoursewrightError('NOT_FOUND', `No course "${id}".`);
  };

  return { content, courseStatusLog: statusLog, setCourseStatus };
}
