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

  // Prepared once: lessons and quizzes are read and written once or more per generated or
  // regenerated item, and building and compiling the same SQL for every call cost more than running it.
  const p = sql.placeholder;
  const selectUnit = and(eq(contentItems.syllabusVersionId, p('syllabusVersionId')), eq(contentItems.kind, sql`${p('kind')}`), eq(contentItems.targetId, p('targetId')));
  const statements = {
    insert: orm
      .insert(contentItems)
      .values({
        id: p('id'),
        courseId: p('courseId'),
        syllabusVersionId: p('syllabusVersionId'),
        kind: sql`${p('kind')}`,
        targetId: p('targetId'),
        version: p('version'),
        status: sql`${p('status')}`,
        contentJson: p('contentJson'),
        metadataJson: p('metadataJson'),
        contentHash: p('contentHash'),
        basedOnId: p('basedOnId'),
        createdAt: p('createdAt'),
      })
      .prepare(),
    get: orm.select().from(contentItems).where(eq(contentItems.id, p('id'))).prepare(),
    listByCourse: orm.select().from(contentItems).where(eq(contentItems.courseId, p('courseId'))).orderBy(asc(sql`rowid`)).prepare(),
    listBySyllabusVersion: orm.select().from(contentItems).where(eq(contentItems.syllabusVersionId, p('syllabusVersionId'))).orderBy(asc(sql`rowid`)).prepare(),
    // Served by the content_items_one_live_draft index: only the unit's live rows are read.
    listLiveVersions: orm
      .select()
      .from(contentItems)
      .where(and(selectUnit, sql`${contentItems.status} IN ('DRAFT', 'IN_REVIEW')`))
      .orderBy(asc(sql`rowid`))
      .prepare(),
    nextVersion: orm.select({ latest: max(contentItems.version) }).from(contentItems).where(selectUnit).prepare(),
    toInReview: orm.update(contentItems).set({ status: 'IN_REVIEW', submittedAt: sql`${p('at')}` }).where(eq(contentItems.id, p('id'))).prepare(),
    toApproved: orm
      .update(contentItems)
      .set({ status: 'APPROVED', decidedAt: sql`${p('at')}`, decidedBy: sql`${p('by')}`, note: sql`${p('note')}` })
      .where(eq(contentItems.id, p('id')))
      .prepare(),
    toRejected: orm
      .update(contentItems)
      .set({ status: 'REJECTED', decidedAt: sql`${p('at')}`, decidedBy: sql`${p('by')}`, rejectionReason: sql`${p('reason')}` })
      .where(eq(contentItems.id, p('id')))
      .prepare(),
    toSuperseded: orm.update(contentItems).set({ status: 'SUPERSEDED' }).where(eq(contentItems.id, p('id'))).prepare(),
    markOpened: orm
      .update(contentItems)
      .set({ openedAt: sql`${p('at')}` })
      .where(and(eq(contentItems.id, p('id')), sql`${contentItems.openedAt} IS NULL`, sql`${contentItems.status} <> 'APPROVED'`))
      .prepare(),
  };

  const content: ContentRepository = {
    insert(item: NewContentItem) {
      guarded(() =>
        statements.insert.run({
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
        }),
      );
    },
    get(id) {
      const row = guarded(() => statements.get.get({ id }));
      return row ? contentItemFromRow(row) : undefined;
    },
    listByCourse(courseId) {
      return guarded(() => statements.listByCourse.all({ courseId })).map(contentItemFromRow);
    },
    listBySyllabusVersion(syllabusVersionId) {
      return guarded(() => statements.listBySyllabusVersion.all({ syllabusVersionId })).map(contentItemFromRow);
    },
    listLiveVersions(syllabusVersionId, kind, targetId) {
      return guarded(() => statements.listLiveVersions.all({ syllabusVersionId, kind, targetId })).map(contentItemFromRow);
    },
    nextVersion(syllabusVersionId, kind, targetId) {
      const row = guarded(() => statements.nextVersion.get({ syllabusVersionId, kind, targetId }));
      return (row?.latest ?? 0) + 1;
    },
    changeStatus(id, change: ContentStatusChange) {
      const result = guarded(() =>
        change.status === 'IN_REVIEW'
          ? statements.toInReview.run({ id, at: change.at })
          : change.status === 'APPROVED'
            ? statements.toApproved.run({ id, at: change.at, by: change.by, note: change.note })
            : change.status === 'REJECTED'
              ? statements.toRejected.run({ id, at: change.at, by: change.by, reason: change.reason })
              : statements.toSuperseded.run({ id }),
      );
      if (result.changes === 0) throw new CoursewrightError('NOT_FOUND', `No content item "${id}". List a course's content with \`coursewright content list COURSE\`.`);
    },
    markOpened(id, at) {
      guarded(() => statements.markOpened.run({ id, at }));
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
