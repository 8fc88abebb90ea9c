import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ItemReview, ReviewComment } from '../../../schemas/review.js';
import { call } from '../api/client.js';
import { useReviewCount } from '../review-count.js';
import { useStudio } from '../store.js';
import '../review.css';

/**
 * The review of one item where people work on it: its latest rejection, the comment threads
 * (carried forward from earlier versions, marked where the block changed), resolve/reopen,
 * replies, and a form to comment on the whole item or one block. Any screen showing a syllabus
 * version or content item can include it with the item's id.
 */
export function ReviewComments({
  itemId,
  heading = 'Review comments',
  showCurrentRejection = true,
}: {
  itemId: string;
  heading?: string;
  /** False where the screen already shows this version's own rejection; a rejection of an earlier version is always shown. */
  showCurrentRejection?: boolean;
}) {
  const notify = useStudio((s) => s.notify);
  const refreshCount = useReviewCount((s) => s.refresh);
  const [review, setReview] = useState<ItemReview | null>(null);
  const [showResolved, setShowResolved] = useState(false);
  const [block, setBlock] = useState('');
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const id = useId();

  const load = useCallback(() => {
    call('review.comments', { itemId }).then(setReview, (error: Error) => notify('error', error.message));
  }, [itemId, notify]);
  useEffect(load, [load]);

  async function send(input: { text: string; blockPath?: string; replyTo?: string }) {
    try {
      await call('review.comment', { itemId, ...input });
      load();
      refreshCount();
      return true;
    } catch (error) {
      notify('error', (error as Error).message);
      return false;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await send({ text, ...(block ? { blockPath: block } : {}) })) {
      setText('');
      notify('info', 'Comment added.');
    }
  }

  async function resolve(comment: ReviewComment, resolved: boolean) {
    try {
      await call('review.resolveComment', { commentId: comment.id, resolved });
      load();
      refreshCount();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  if (!review) return <p className="muted">Loading review…</p>;
  const roots = review.comments.filter((c) => c.replyTo === null);
  const repliesOf = (threadId: string) => review.comments.filter((c) => c.threadId === threadId && c.replyTo !== null);
  const open = roots.filter((c) => !c.resolvedAt);
  const shown = showResolved ? roots : open;

  return (
    <section className="review-comments panel" aria-labelledby={`${id}-heading`} data-testid="review-comments">
      <h2 id={`${id}-heading`}>
        {heading} <span className="muted small">({open.length} open{roots.length > open.length ? `, ${roots.length - open.length} resolved` : ''})</span>
      </h2>
      {review.rejection && (showCurrentRejection || review.rejection.itemId !== review.itemId) && (
        <div className="rejection-banner" role="note" data-testid="rejection-reason">
          <strong>
            Rejected{review.rejection.itemId !== review.itemId ? ` (v${review.rejection.version})` : ''} by <bdi>{review.rejection.by}</bdi>:
          </strong>{' '}
          <span dir="auto">{review.rejection.reason}</span>
        </div>
      )}
      {roots.length > open.length && (
        <label className="small">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show resolved threads
        </label>
      )}
      {shown.length === 0 ? (
        <p className="muted small">No open comments.</p>
      ) : (
        <ul className="thread-list" aria-label="Comment threads">
          {shown.map((root) => (
            <li key={root.id} className={`thread ${root.resolvedAt ? 'resolved' : ''}`} data-testid="comment-thread">
              <div className="thread-block">
                On <strong>{root.blockLabel}</strong>
                {root.blockExcerpt && (
                  <>
                    : <q dir="auto">{root.blockExcerpt}</q>
                  </>
                )}
                {root.carriedForward && <> · from v{root.itemVersion}</>}{' '}
                {root.blockMissing ? <span className="mark-changed">no longer in this version</span> : root.changedSince ? <span className="mark-changed">changed since</span> : null}
              </div>
              {[root, ...repliesOf(root.id)].map((c) => (
                <div key={c.id} className={c.replyTo ? 'comment-reply' : undefined}>
                  <strong>
                    <bdi>{c.author}</bdi>
                  </strong>{' '}
                  <span className="muted small">{new Date(c.createdAt).toLocaleString()}</span>
                  <div dir="auto">{c.text}</div>
                </div>
              ))}
              {root.resolvedAt && (
                <p className="muted small">
                  Resolved by <bdi>{root.resolvedBy}</bdi>
                </p>
              )}
              {replyTo === root.id ? (
                <form
                  className="comment-form"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    if (await send({ text: reply, replyTo: root.id })) {
                      setReply('');
                      setReplyTo(null);
                    }
                  }}
                >
                  <label htmlFor={`${id}-reply-${root.id}`}>Reply</label>
                  <textarea id={`${id}-reply-${root.id}`} dir="auto" rows={2} value={reply} onChange={(e) => setReply(e.target.value)} autoFocus />
                  <div className="thread-actions">
                    <button type="submit" disabled={!reply.trim()}>
                      Send reply
                    </button>
                    <button type="button" onClick={() => setReplyTo(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <div className="thread-actions">
                  <button type="button" onClick={() => setReplyTo(root.id)}>
                    Reply
                  </button>
                  <button type="button" onClick={() => resolve(root, !root.resolvedAt)}>
                    {root.resolvedAt ? 'Reopen' : 'Resolve'}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="comment-form" onSubmit={submit}>
        <h3>Add a comment</h3>
        <label htmlFor={`${id}-block`}>Comment on</label>
        <select id={`${id}-block`} value={block} onChange={(e) => setBlock(e.target.value)}>
          <option value="">The whole {review.kind}</option>
          {review.blocks.map((b) => (
            <option key={b.path} value={b.path}>
              {b.label}
              {b.excerpt ? `: ${b.excerpt.length > 60 ? `${b.excerpt.slice(0, 59)}…` : b.excerpt}` : ''}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-text`}>Comment</label>
        <textarea id={`${id}-text`} dir="auto" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        <div>
          <button type="submit" disabled={!text.trim()}>
            Add comment
          </button>
        </div>
      </form>
    </section>
  );
}
