import type { ReviewItemKind } from '../../schemas/review.js';

/** A comment as stored: written once; only its resolution changes (a database trigger enforces it). */
export interface StoredReviewComment {
  id: string;
  courseId: string;
  itemKind: ReviewItemKind;
  /** The lesson or module a content item is for; the course id for syllabus versions. */
  targetId: string;
  itemId: string;
  itemVersion: number;
  blockPath: string | null;
  /** Canonical JSON of the block when the comment was written; null for a whole-item comment. */
  blockJson: string | null;
  /** Content hash of the version the comment was written on. */
  itemContentHash: string;
  replyTo: string | null;
  threadId: string;
  author: string;
  text: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** A content item waiting in the queue, read without parsing its content. */
export interface PendingContentRow {
  id: string;
  courseId: string;
  kind: 'lesson' | 'quiz' | 'project';
  targetId: string;
  version: number;
  status: string;
  title: string;
  author: string;
  submittedAt: string | null;
  rejectionReason: string | null;
}

export interface ReviewRepository {
  insertComment(comment: StoredReviewComment): void;
  getComment(id: string): StoredReviewComment | undefined;
  /** Every comment on every version of one item (course + kind + target), oldest first. */
  listComments(courseId: string, itemKind: ReviewItemKind, targetId: string): StoredReviewComment[];
  /** Resolves (with who and when) or reopens (null) a thread's first comment. */
  setResolution(id: string, resolution: { at: string; by: string } | null): void;
  /** Unresolved threads per item, keyed `courseId|kind|targetId`. */
  openThreadCounts(): Map<string, number>;
  /**
   * Content items in a status; for REJECTED and DRAFT only the latest version of each item,
   * because an older one has been answered by a newer one.
   */
  pendingContent(status: 'IN_REVIEW' | 'REJECTED' | 'DRAFT'): PendingContentRow[];
  /** Ids of the content items this reviewer has opened (from the audit log). */
  openedBy(reviewer: string): Set<string>;
}

export const threadKey = (courseId: string, kind: ReviewItemKind, targetId: string) => `${courseId}|${kind}|${targetId}`;
