import { createReviewEngine } from '../review/engine.js';
import type { Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

type ReviewOperations = 'review.items' | 'review.comment' | 'review.comments' | 'review.resolveComment' | 'review.bulkPlan';

/** The review operations; the person acting is the studio's actor from settings, never the caller's say-so. */
export function createReviewHandlers(context: { store: Store; actor: () => string }): Pick<StudioHandlers, ReviewOperations> {
  const review = createReviewEngine({ store: context.store });
  return {
    'review.items': ({ kind, status }) => review.queue({ kind, status }, context.actor()),
    'review.comment': ({ itemId, text, blockPath, replyTo }) => review.addComment({ itemId, text, blockPath, replyTo }, context.actor()),
    'review.comments': ({ itemId }) => review.itemReview(itemId),
    'review.resolveComment': ({ commentId, resolved }) => review.resolveComment(commentId, resolved, context.actor()),
    'review.bulkPlan': ({ courseId }) => review.bulkApprovalPlan({ courseId }, context.actor()),
  };
}
