import type BetterSqlite3 from 'better-sqlite3';
import { and, asc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { CoursewrightError } from '../schemas/errors.js';
import type { ReviewItemKind } from '../schemas/review.js';
import type { PendingContentRow, ReviewRepository, StoredReviewComment } from '../core/review/ports.js';
import { threadKey } from '../core/review/ports.js';
import { mapSqliteError } from './errors.js';
import { reviewComments } from './schema.js';

type CommentRow = typeof reviewComments.$inferSelect;

function commentFromRow(row: CommentRow): StoredReviewComment {
  return {
    id: row.id,
    courseId: row.courseId,
    itemKind: row.itemKind,
    targetId: row.targetId,
    itemId: row.itemId,
    itemVersion: row.itemVersion,
    blockPath: row.blockPath,
    blockJson: row.blockJson,
    itemContentHash: row.itemContentHash,
    replyTo: row.replyTo,
    threadId: row.threadId,
    author: row.author,
    text: row.body,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
  };
}

/** Review comments, and the reads the review queue needs without parsing every item's content. */
export function createReviewRepository(db: BetterSqlite3.Database): ReviewRepository {
  const orm = drizzle(db);
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };

  // For REJECTED and DRAFT only the newest version of an item counts: a rejected version that a
  // newer one answers is no longer waiting for anyone.
  const pending = db.prepare(`
    SELECT c.id, c.course_id AS courseId, c.kind, c.target_id AS targetId, c.version, c.status,
           json_extract(c.content_json, '$.title') AS title, json_extract(c.metadata_json, '$.createdBy') AS author,
           c.submitted_at AS submittedAt, c.rejection_reason AS rejectionReason
    FROM content_items c
    WHERE c.status = @status
      AND (@status = 'IN_REVIEW' OR NOT EXISTS (
        SELECT 1 FROM content_items n
        WHERE n.course_id = c.course_id AND n.kind = c.kind AND n.target_id = c.target_id AND n.rowid > c.rowid
      ))
    ORDER BY c.submitted_at, c.rowid`);
  const opened = db.prepare(`SELECT DISTINCT entity_id FROM audit_log WHERE action = 'content.opened' AND actor = ?`).pluck();
  const openThreads = db.prepare(`SELECT course_id AS courseId, item_kind AS kind, target_id AS targetId, count(*) AS open FROM review_comments WHERE reply_to IS NULL AND resolved_at IS NULL GROUP BY course_id, item_kind, target_id`);

  return {
    insertComment(comment) {
      guarded(() =>
        orm
          .insert(reviewComments)
          .values({
            id: comment.id,
            courseId: comment.courseId,
            itemKind: comment.itemKind,
            targetId: comment.targetId,
            itemId: comment.itemId,
            itemVersion: comment.itemVersion,
            blockPath: comment.blockPath,
            blockJson: comment.blockJson,
            itemContentHash: comment.itemContentHash,
            replyTo: comment.replyTo,
            threadId: comment.threadId,
            author: comment.author,
            body: comment.text,
            createdAt: comment.createdAt,
          })
          .run(),
      );
    },
    getComment(id) {
      const row = guarded(() => orm.select().from(reviewComments).where(eq(reviewComments.id, id)).get());
      return row ? commentFromRow(row) : undefined;
    },
    listComments(courseId: string, itemKind: ReviewItemKind, targetId: string) {
      return guarded(() =>
        orm
          .select()
          .from(reviewComments)
          .where(and(eq(reviewComments.courseId, courseId), eq(reviewComments.itemKind, itemKind), eq(reviewComments.targetId, targetId)))
          .orderBy(asc(reviewComments.createdAt), asc(sql`rowid`))
          .all(),
      ).map(commentFromRow);
    },
    setResolution(id, resolution) {
      const result = guarded(() =>
        orm
          .update(reviewComments)
          .set({ resolvedAt: resolution?.at ?? null, resolvedBy: resolution?.by ?? null })
          .where(eq(reviewComments.id, id))
          .run(),
      );
      if (result.changes === 0) throw new CoursewrightError('NOT_FOUND', `No comment "${id}".`);
    },
    openThreadCounts() {
      const counts = new Map<string, number>();
      for (const row of guarded(() => openThreads.all()) as Array<{ courseId: string; kind: ReviewItemKind; targetId: string; open: number }>) {
        counts.set(threadKey(row.courseId, row.kind, row.targetId), row.open);
      }
      return counts;
    },
    pendingContent(status) {
      return (guarded(() => pending.all({ status })) as PendingContentRow[]).map((row) => ({ ...row, title: row.title ?? row.targetId, author: row.author ?? '' }));
    },
    openedBy(reviewer) {
      return new Set(guarded(() => opened.all(reviewer)) as string[]);
    },
  };
}
