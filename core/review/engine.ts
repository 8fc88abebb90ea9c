import type { ContentItem } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { BulkApprovalPlan, ItemReview, ReviewComment, ReviewItemKind, ReviewQueue, ReviewQueueItem, ReviewQueueStatus } from '../../schemas/review.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { canonicalJson } from '../hash.js';
import { randomIds, systemClock } from '../ids.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { describeBlock, excerptOf, listBlocks, resolveBlock } from './blocks.js';
import { threadKey, type StoredReviewComment } from './ports.js';
import { samePerson, separationOfDutiesOn } from './separation.js';

/** One version of something reviewable, whatever it is: what comments and the queue need to know. */
interface Reviewable {
  kind: ReviewItemKind;
  id: string;
  courseId: string;
  targetId: string;
  version: number;
  status: string;
  author: string;
  title: string;
  content: unknown;
  contentHash: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  submittedAt: string | null;
}

const fromSyllabus = (v: SyllabusVersion): Reviewable => ({
  kind: 'syllabus',
  id: v.id,
  courseId: v.courseId,
  targetId: v.courseId,
  version: v.version,
  status: v.status,
  author: v.metadata.createdBy,
  title: v.syllabus.title,
  content: v.syllabus,
  contentHash: v.review.contentHash,
  decidedBy: v.review.decidedBy,
  decidedAt: v.review.decidedAt,
  rejectionReason: v.review.rejectionReason,
  submittedAt: v.review.submittedAt,
});

const fromContent = (item: ContentItem): Reviewable => ({
  kind: item.kind,
  id: item.id,
  courseId: item.courseId,
  targetId: item.targetId,
  version: item.version,
  status: item.status,
  author: item.metadata.createdBy,
  title: item.content.title,
  content: item.content,
  contentHash: item.review.contentHash,
  decidedBy: item.review.decidedBy,
  decidedAt: item.review.decidedAt,
  rejectionReason: item.review.rejectionReason,
  submittedAt: item.review.submittedAt,
});

const auditEntity = (kind: ReviewItemKind) => (kind === 'syllabus' ? 'syllabus_version' : 'content_item');

/**
 * Comments, the review queue and bulk-approval planning. A comment belongs to an item across its
 * versions (same course, kind and target), so it follows the item into each new version and is
 * marked when the block it points at changed since it was written.
 */
export function createReviewEngine(deps: { store: Store; clock?: Clock; ids?: IdGenerator }) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;

  function requireReviewable(itemId: string): Reviewable {
    const version = store.syllabi.get(itemId);
    if (version) return fromSyllabus(version);
    const item = store.content.get(itemId);
    if (item) return fromContent(item);
    throw new CoursewrightError('NOT_FOUND', `No syllabus version or content item "${itemId}". The review queue lists what waits for review (\`coursewright review queue\`).`, { itemId });
  }

  /** Every version of the item, oldest first. */
  function versionsOf(item: Reviewable): Reviewable[] {
    if (item.kind === 'syllabus') return store.syllabi.listByCourse(item.courseId).map(fromSyllabus);
    return store.content
      .listByCourse(item.courseId)
      .filter((i) => i.kind === item.kind && i.targetId === item.targetId)
      .map(fromContent);
  }

  /** The versions up to and including this one: comments written on later versions do not reach back. */
  function versionsUpTo(item: Reviewable): Reviewable[] {
    const all = versionsOf(item);
    const at = all.findIndex((v) => v.id === item.id);
    return all.slice(0, at + 1);
  }

  function present(comment: StoredReviewComment, current: Reviewable): ReviewComment {
    const carriedForward = comment.itemId !== current.id;
    let changedSince = false;
    let blockMissing = false;
    let blockExcerpt: string | null = null;
    if (comment.blockPath) {
      const now = resolveBlock(current.content, comment.blockPath);
      if (now.found) {
        blockExcerpt = excerptOf(now.value);
        changedSince = carriedForward && canonicalJson(now.value) !== comment.blockJson;
      } else {
        blockMissing = true;
        changedSince = true;
        blockExcerpt = comment.blockJson === null ? null : excerptOf(JSON.parse(comment.blockJson));
      }
    } else {
      changedSince = carriedForward && current.contentHash !== comment.itemContentHash;
    }
    return {
      id: comment.id,
      itemId: comment.itemId,
      itemVersion: comment.itemVersion,
      courseId: comment.courseId,
      itemKind: comment.itemKind,
      targetId: comment.targetId,
      blockPath: comment.blockPath,
      blockLabel: describeBlock(comment.blockPath),
      blockExcerpt,
      replyTo: comment.replyTo,
      threadId: comment.threadId,
      author: comment.author,
      text: comment.text,
      createdAt: comment.createdAt,
      resolvedAt: comment.resolvedAt,
      resolvedBy: comment.resolvedBy,
      carriedForward,
      changedSince,
      blockMissing,
    };
  }

  function itemReview(itemId: string): ItemReview {
    const item = requireReviewable(itemId);
    const history = versionsUpTo(item);
    const reachable = new Set(history.map((v) => v.id));
    // A rejection stays the author's to-do until a later version is approved.
    let rejection: ItemReview['rejection'] = null;
    for (const version of history) {
      if (version.status === 'REJECTED' && version.rejectionReason) rejection = { itemId: version.id, version: version.version, by: version.decidedBy ?? '', at: version.decidedAt ?? '', reason: version.rejectionReason };
      if (version.status === 'APPROVED') rejection = null;
    }
    return {
      itemId: item.id,
      kind: item.kind,
      courseId: item.courseId,
      version: item.version,
      status: item.status,
      author: item.author,
      rejection,
      comments: store.review
        .listComments(item.courseId, item.kind, item.targetId)
        .filter((c) => reachable.has(c.itemId))
        .map((c) => present(c, item)),
      blocks: listBlocks(item.kind, item.content),
    };
  }

  function addComment(input: { itemId: string; text: string; blockPath?: string | undefined; replyTo?: string | undefined }, author: string): ReviewComment {
    const by = author.trim();
    if (!by) throw new CoursewrightError('INVALID_INPUT', "A comment needs its author's name (--by NAME, or your name in Settings).");
    const text = input.text.trim();
    if (!text) throw new CoursewrightError('INVALID_INPUT', 'A comment needs some text (--text TEXT).');
    const item = requireReviewable(input.itemId);
    let blockPath = input.blockPath?.trim() || null;
    let threadId: string | null = null;
    if (input.replyTo) {
      const parent = store.review.getComment(input.replyTo);
      if (!parent || parent.courseId !== item.courseId || parent.itemKind !== item.kind || parent.targetId !== item.targetId) {
        throw new CoursewrightError('NOT_FOUND', `No comment "${input.replyTo}" on this ${item.kind}. Reply to one of the comments \`coursewright review comments ${item.id}\` lists.`, { replyTo: input.replyTo });
      }
      if (blockPath && blockPath !== parent.blockPath) {
        throw new CoursewrightError('INVALID_INPUT', `A reply is about what its thread is about (${describeBlock(parent.blockPath)}); leave the block out, or start a new comment on ${blockPath}.`);
      }
      blockPath = parent.blockPath;
      threadId = parent.threadId;
    }
    let blockJson: string | null = null;
    if (blockPath) {
      const block = resolveBlock(item.content, blockPath);
      if (!block.found) {
        const some = listBlocks(item.kind, item.content).slice(0, 4).map((b) => b.path).join(', ');
        throw new CoursewrightError('INVALID_INPUT', `${item.kind} v${item.version} has no block "${blockPath}". Paths count from 0 and look like ${some}; \`coursewright review comments ${item.id} --json\` lists them all.`, { blockPath });
      }
      blockJson = canonicalJson(block.value);
    }
    const id = ids.newId('cmt');
    const stored: StoredReviewComment = {
      id,
      courseId: item.courseId,
      itemKind: item.kind,
      targetId: item.targetId,
      itemId: item.id,
      itemVersion: item.version,
      blockPath,
      blockJson,
      itemContentHash: item.contentHash,
      replyTo: input.replyTo ?? null,
      threadId: threadId ?? id,
      author: by,
      text,
      createdAt: clock.now().toISOString(),
      resolvedAt: null,
      resolvedBy: null,
    };
    store.transaction(() => {
      store.review.insertComment(stored);
      store.audit.append({
        actor: by,
        action: 'review.commented',
        entityType: auditEntity(item.kind),
        entityId: item.id,
        metadata: { courseId: item.courseId, commentId: id, blockPath, replyTo: stored.replyTo, threadId: stored.threadId },
      });
    });
    return present(stored, item);
  }

  /** Resolving is per thread: a reply's id resolves (or reopens) the thread it belongs to. */
  function resolveComment(commentId: string, resolved: boolean, actor: string): ReviewComment {
    const by = actor.trim();
    if (!by) throw new CoursewrightError('INVALID_INPUT', "Resolving a comment needs your name (--by NAME, or your name in Settings).");
    const comment = store.review.getComment(commentId);
    if (!comment) throw new CoursewrightError('NOT_FOUND', `No comment "${commentId}".`, { commentId });
    const thread = store.review.getComment(comment.threadId)!;
    if (Boolean(thread.resolvedAt) !== resolved) {
      store.transaction(() => {
        store.review.setResolution(thread.id, resolved ? { at: clock.now().toISOString(), by } : null);
        store.audit.append({
          actor: by,
          action: resolved ? 'review.comment_resolved' : 'review.comment_reopened',
          entityType: auditEntity(thread.itemKind),
          entityId: thread.itemId,
          metadata: { courseId: thread.courseId, commentId: thread.id },
        });
      });
    }
    const item = requireReviewable(thread.itemId);
    return present(store.review.getComment(thread.id)!, item);
  }

  function queueItems(status: ReviewQueueStatus, reviewer: string): ReviewQueueItem[] {
    const opened = store.review.openedBy(reviewer.trim());
    const open = store.review.openThreadCounts();
    const syllabi: Reviewable[] =
      status === 'IN_REVIEW'
        ? store.syllabi.listInReview().map(fromSyllabus)
        : store.courses.list().flatMap((course) => {
            const latest = store.syllabi.listByCourse(course.id).at(-1);
            return latest && latest.status === status ? [fromSyllabus(latest)] : [];
          });
    return [
      ...syllabi.map((v) => ({
        kind: v.kind,
        id: v.id,
        courseId: v.courseId,
        targetId: v.targetId,
        title: v.title,
        version: v.version,
        status: v.status,
        author: v.author,
        submittedAt: v.submittedAt,
        rejectionReason: v.rejectionReason,
        openedByMe: false,
        openThreads: open.get(threadKey(v.courseId, v.kind, v.targetId)) ?? 0,
      })),
      ...store.review.pendingContent(status).map((row) => ({
        kind: row.kind,
        id: row.id,
        courseId: row.courseId,
        targetId: row.targetId,
        title: row.title,
        version: row.version,
        status: row.status,
        author: row.author,
        submittedAt: row.submittedAt,
        rejectionReason: row.rejectionReason,
        openedByMe: opened.has(row.id),
        openThreads: open.get(threadKey(row.courseId, row.kind, row.targetId)) ?? 0,
      })),
    ];
  }

  /** Everything in a status (waiting for review by default), grouped by course, with counts per kind. */
  function queue(filter: { kind?: ReviewItemKind | undefined; status?: ReviewQueueStatus | undefined }, reviewer: string): ReviewQueue {
    const status = filter.status ?? 'IN_REVIEW';
    const items = queueItems(status, reviewer);
    const counts = { all: items.length, syllabus: 0, lesson: 0, quiz: 0, project: 0 };
    for (const item of items) counts[item.kind]++;
    const titles = new Map(store.courses.list().map((c) => [c.id, c.title]));
    const groups = new Map<string, ReviewQueue['groups'][number]>();
    for (const item of items) {
      if (filter.kind && item.kind !== filter.kind) continue;
      let group = groups.get(item.courseId);
      if (!group) groups.set(item.courseId, (group = { courseId: item.courseId, courseTitle: titles.get(item.courseId) ?? item.courseId, items: [] }));
      group.items.push(item);
    }
    return { status, groups: [...groups.values()], counts };
  }

  /**
   * Which content items in review this reviewer may approve together, and why each other one may
   * not: bulk approval covers only items the reviewer opened and, with separation of duties on,
   * did not write.
   */
  function bulkApprovalPlan(filter: { courseId?: string | undefined }, reviewer: string): BulkApprovalPlan {
    const name = reviewer.trim();
    if (!name) throw new CoursewrightError('INVALID_INPUT', "Bulk approval needs the reviewer's name (your name in Settings).");
    const separation = separationOfDutiesOn(store.settings);
    const plan: BulkApprovalPlan = { reviewer: name, separationOfDuties: separation, qualifying: [], notQualifying: [] };
    for (const item of queueItems('IN_REVIEW', name)) {
      if (item.kind === 'syllabus' || (filter.courseId && item.courseId !== filter.courseId)) continue;
      if (separation && samePerson(item.author, name)) plan.notQualifying.push({ item, reason: `you wrote this version; separation of duties is on, so another reviewer must approve it` });
      else if (!item.openedByMe) plan.notQualifying.push({ item, reason: `you have not opened it yet; open it and read it before approving` });
      else plan.qualifying.push(item);
    }
    return plan;
  }

  return { itemReview, addComment, resolveComment, queue, bulkApprovalPlan, requireReviewable };
}

export type ReviewEngine = ReturnType<typeof createReviewEngine>;
