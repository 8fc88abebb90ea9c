import { z } from 'zod';

/**
 * Review beyond approve/reject: one queue for everything waiting, comments on whole items or on
 * one block of them, and who may decide. Shared by the engine, the studio contract and the CLI.
 */

/** What can be reviewed: a syllabus version, or a version of a lesson, quiz or project. */
export const ReviewItemKind = z.enum(['syllabus', 'lesson', 'quiz', 'project']);
export type ReviewItemKind = z.infer<typeof ReviewItemKind>;

/** Statuses the queue can show: waiting for a reviewer, sent back to the author, or not yet submitted. */
export const ReviewQueueStatus = z.enum(['IN_REVIEW', 'REJECTED', 'DRAFT']);
export type ReviewQueueStatus = z.infer<typeof ReviewQueueStatus>;

/**
 * A block inside an item, as a path of field names and 0-based positions:
 * `questions/2/options/1`, `objectives/0`, `explanation/overview`, `rubric/criteria/1`,
 * `modules/1/lessons/0`.
 */
export const BlockPath = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\/([A-Za-z][A-Za-z0-9_]*|\d{1,4}))*$/, 'a block path is field names and positions separated by /, like questions/2/options/1');

export const CommentText = z.string().trim().min(1, 'a comment needs some text').max(4000, 'a comment is at most 4,000 characters');

export const ReviewQueueItem = z.object({
  kind: ReviewItemKind,
  /** The version's id: a syllabus version id or a content item id. */
  id: z.string(),
  courseId: z.string(),
  /** The lesson or module a content item is for; the course id for a syllabus. */
  targetId: z.string(),
  title: z.string(),
  version: z.number().int(),
  status: z.string(),
  author: z.string(),
  submittedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  /** Whether the person asking has opened this content item (bulk approval needs it); syllabus versions: false. */
  openedByMe: z.boolean(),
  /** Comment threads on this item (carried forward from earlier versions too) not resolved yet. */
  openThreads: z.number().int(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

export const ReviewQueueCounts = z.object({ all: z.number().int(), syllabus: z.number().int(), lesson: z.number().int(), quiz: z.number().int(), project: z.number().int() });

export const ReviewQueue = z.object({
  status: ReviewQueueStatus,
  groups: z.array(z.object({ courseId: z.string(), courseTitle: z.string(), items: z.array(ReviewQueueItem) })),
  /** Items in this status per kind, whatever the kind filter: what the filter buttons and the navigation show. */
  counts: ReviewQueueCounts,
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const ReviewComment = z.object({
  id: z.string(),
  /** The version the comment was written on. */
  itemId: z.string(),
  itemVersion: z.number().int(),
  courseId: z.string(),
  itemKind: ReviewItemKind,
  targetId: z.string(),
  /** null: the comment is on the whole item. */
  blockPath: z.string().nullable(),
  /** The block in words: "question 3 · option 2". */
  blockLabel: z.string(),
  /** The block's text now (or when it was written, if the block is gone), shortened. */
  blockExcerpt: z.string().nullable(),
  replyTo: z.string().nullable(),
  /** The first comment of the thread (its own id when it starts one). */
  threadId: z.string(),
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  /** Written on an earlier version of this item. */
  carriedForward: z.boolean(),
  /** The block (or, for a whole-item comment, the item) changed since the version it was written on. */
  changedSince: z.boolean(),
  /** The block it points at is no longer in this version. */
  blockMissing: z.boolean(),
});
export type ReviewComment = z.infer<typeof ReviewComment>;

export const ReviewBlock = z.object({ path: z.string(), label: z.string(), excerpt: z.string().nullable() });
export type ReviewBlock = z.infer<typeof ReviewBlock>;

export const ItemReview = z.object({
  itemId: z.string(),
  kind: ReviewItemKind,
  courseId: z.string(),
  version: z.number().int(),
  status: z.string(),
  author: z.string(),
  /** The latest rejection of this item, on this version or an earlier one: what the author must act on. */
  rejection: z.object({ itemId: z.string(), version: z.number().int(), by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  comments: z.array(ReviewComment),
  /** Blocks a comment can point at, in reading order. */
  blocks: z.array(ReviewBlock),
});
export type ItemReview = z.infer<typeof ItemReview>;

export const BulkApprovalPlan = z.object({
  reviewer: z.string(),
  separationOfDuties: z.boolean(),
  qualifying: z.array(ReviewQueueItem),
  notQualifying: z.array(z.object({ item: ReviewQueueItem, reason: z.string() })),
});
export type BulkApprovalPlan = z.infer<typeof BulkApprovalPlan>;
