import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ContentItem } from '../../../schemas/content.js';
import type { BulkApprovalPlan, ReviewItemKind, ReviewQueue as Queue, ReviewQueueItem, ReviewQueueStatus } from '../../../schemas/review.js';
import { call } from '../api/client.js';
import { ContentPreview } from '../components/ContentPreview.js';
import { DecisionDialog } from '../components/DecisionDialog.js';
import { ReviewComments } from '../components/ReviewComments.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useReviewCount } from '../review-count.js';
import { navigate } from '../router.js';
import { useStudio } from '../store.js';
import '../review.css';

const kinds: Array<{ kind: ReviewItemKind | null; label: string }> = [
  { kind: null, label: 'All' },
  { kind: 'syllabus', label: 'Syllabus' },
  { kind: 'lesson', label: 'Lessons' },
  { kind: 'quiz', label: 'Quizzes' },
  { kind: 'project', label: 'Projects' },
];
const statuses: Array<{ status: ReviewQueueStatus; label: string }> = [
  { status: 'IN_REVIEW', label: 'Waiting for review' },
  { status: 'REJECTED', label: 'Rejected, waiting for the author' },
  { status: 'DRAFT', label: 'Drafts not submitted yet' },
];

/**
 * Everything waiting for review, syllabus versions and content alike, grouped by course.
 * j/k or arrows move, Enter opens, a approves, r rejects. Content opens here beside the queue,
 * with its comments; a syllabus version opens in its workspace.
 */
export function ReviewQueue() {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [kind, setKind] = useState<ReviewItemKind | null>(null);
  const [status, setStatus] = useState<ReviewQueueStatus>('IN_REVIEW');
  const [selected, setSelected] = useState(0);
  const [dialog, setDialog] = useState<null | { kind: 'approve' | 'reject'; item: ReviewQueueItem }>(null);
  const [openItem, setOpenItem] = useState<ContentItem | null>(null);
  const [plan, setPlan] = useState<BulkApprovalPlan | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const notify = useStudio((s) => s.notify);
  const refreshCount = useReviewCount((s) => s.refresh);

  const load = useCallback(() => {
    call('review.items', { status, ...(kind ? { kind } : {}) }).then(setQueue, (error: Error) => notify('error', error.message));
    refreshCount();
  }, [notify, kind, status, refreshCount]);
  useEffect(load, [load]);
  const flat = useMemo(() => queue?.groups.flatMap((g) => g.items) ?? [], [queue]);
  useEffect(() => {
    if (listRef.current?.contains(document.activeElement)) listRef.current.querySelector<HTMLElement>(`[data-index="${selected}"]`)?.focus();
  }, [selected, queue]);

  async function open(item: ReviewQueueItem) {
    if (item.kind === 'syllabus') return navigate({ name: 'course', courseId: item.courseId, versionId: item.id });
    try {
      setOpenItem(await call('content.open', { itemId: item.id }));
      load();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  function onKey(event: KeyboardEvent) {
    if (!flat.length || dialog || plan) return;
    if ((event.target as HTMLElement).closest('button, a, input, select, textarea')) return;
    const current = flat[selected];
    if (event.key === 'j' || event.key === 'ArrowDown') setSelected((i) => Math.min(flat.length - 1, i + 1));
    else if (event.key === 'k' || event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else if (event.key === 'Enter' && current) void open(current);
    else if (event.key === 'a' && current && current.status === 'IN_REVIEW') setDialog({ kind: 'approve', item: current });
    else if (event.key === 'r' && current && current.status === 'IN_REVIEW') setDialog({ kind: 'reject', item: current });
    else return;
    event.preventDefault();
  }

  async function decide(text: string) {
    if (!dialog) return;
    const { item } = dialog;
    try {
      if (item.kind === 'syllabus') {
        if (dialog.kind === 'approve') await call('syllabus.approve', { versionId: item.id, ...(text.trim() ? { note: text.trim() } : {}) });
        else await call('syllabus.reject', { versionId: item.id, reason: text });
      } else if (dialog.kind === 'approve') await call('content.approve', { itemIds: [item.id], ...(text.trim() ? { note: text.trim() } : {}) });
      else await call('content.reject', { itemId: item.id, reason: text });
      notify('info', `${dialog.kind === 'approve' ? 'Approved' : 'Rejected'} ${item.kind} v${item.version} “${item.title}”.`);
      setDialog(null);
      setSelected(0);
      if (openItem?.id === item.id) setOpenItem(null);
      load();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  async function planBulk() {
    try {
      setPlan(await call('review.bulkPlan', {}));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  async function approvePlan() {
    if (!plan?.qualifying.length) return;
    try {
      await call('content.approve', { itemIds: plan.qualifying.map((i) => i.id) });
      notify('info', `Approved ${plan.qualifying.length} item(s).`);
      setPlan(null);
      setOpenItem(null);
      load();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  let index = -1;
  return (
    <section aria-labelledby="review-heading">
      <div className="page-head">
        <h1 id="review-heading">Review queue</h1>
        <p className="muted keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>a</kbd> approve · <kbd>r</kbd> reject
        </p>
      </div>
      <div className="review-filters panel">
        <label htmlFor="review-status">Show</label>
        <select id="review-status" value={status} onChange={(e) => setStatus(e.target.value as ReviewQueueStatus)}>
          {statuses.map((s) => (
            <option key={s.status} value={s.status}>
              {s.label}
            </option>
          ))}
        </select>
        <div className="chips" role="group" aria-label="Kind">
          {kinds.map((k) => (
            <button key={k.label} type="button" aria-pressed={kind === k.kind} onClick={() => setKind(k.kind)}>
              {k.label} ({queue ? queue.counts[k.kind ?? 'all'] : '…'})
            </button>
          ))}
        </div>
        {status === 'IN_REVIEW' && (
          <button type="button" onClick={planBulk} disabled={!queue || queue.counts.all === queue.counts.syllabus}>
            Approve all I opened…
          </button>
        )}
      </div>
      <div className="review-layout">
        {queue === null ? (
          <p className="muted">Loading…</p>
        ) : flat.length === 0 ? (
          <p className="empty">{status === 'IN_REVIEW' ? 'Nothing awaits review.' : 'Nothing here.'}</p>
        ) : (
          <div ref={listRef} onKeyDown={onKey} data-testid="review-list" className="min0">
            {queue.groups.map((group) => (
              <section key={group.courseId} className="review-group" aria-labelledby={`group-${group.courseId}`}>
                <h2 id={`group-${group.courseId}`} dir="auto">
                  {group.courseTitle} <span className="muted small">({group.items.length})</span>
                </h2>
                <ul className="card-list" aria-label={`Waiting in ${group.courseTitle}`}>
                  {group.items.map((item) => {
                    const at = ++index;
                    return (
                      <li key={item.id} className={`card ${at === selected ? 'selected' : ''}`} tabIndex={0} data-index={at} data-kind={item.kind} onFocus={() => setSelected(at)} onClick={() => setSelected(at)}>
                        <span className="review-kind">{item.kind}</span>
                        <span className="card-title" dir="auto">
                          {item.title}
                        </span>
                        <span className="card-meta">
                          v{item.version} <StatusBadge status={item.status} /> by <bdi>{item.author || 'unknown'}</bdi>
                          {item.submittedAt ? ` · submitted ${new Date(item.submittedAt).toLocaleString()}` : ''}
                          {item.openThreads ? ` · ${item.openThreads} open comment${item.openThreads === 1 ? '' : 's'}` : ''}
                          {item.kind !== 'syllabus' && item.status === 'IN_REVIEW' ? (item.openedByMe ? ' · opened by you' : ' · not opened by you yet') : ''}
                        </span>
                        {item.rejectionReason && (
                          <span className="card-meta" dir="auto">
                            Rejected: {item.rejectionReason}
                          </span>
                        )}
                        <span className="card-actions">
                          <button type="button" onClick={() => void open(item)}>
                            Open
                          </button>
                          {item.status === 'IN_REVIEW' && (
                            <>
                              <button type="button" onClick={() => setDialog({ kind: 'approve', item })}>
                                Approve…
                              </button>
                              <button type="button" onClick={() => setDialog({ kind: 'reject', item })}>
                                Reject…
                              </button>
                            </>
                          )}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </div>
        )}
        {openItem && (
          <section className="panel review-panel" aria-labelledby="review-item-heading" data-testid="review-panel">
            <div className="version-bar">
              <h2 id="review-item-heading" dir="auto">
                {openItem.kind} v{openItem.version}: {openItem.content.title} <StatusBadge status={openItem.status} />
              </h2>
              <span className="actions">
                {openItem.status === 'IN_REVIEW' && (
                  <>
                    <button type="button" className="primary" onClick={() => setDialog({ kind: 'approve', item: flat.find((i) => i.id === openItem.id) ?? toQueueItem(openItem) })}>
                      Approve…
                    </button>
                    <button type="button" onClick={() => setDialog({ kind: 'reject', item: flat.find((i) => i.id === openItem.id) ?? toQueueItem(openItem) })}>
                      Reject…
                    </button>
                  </>
                )}
                <button type="button" onClick={() => setOpenItem(null)}>
                  Close
                </button>
              </span>
            </div>
            <ReviewComments key={openItem.id} itemId={openItem.id} />
            <ContentPreview item={openItem} />
          </section>
        )}
      </div>
      {dialog && (
        <DecisionDialog
          kind={dialog.kind}
          subject={
            <>
              {dialog.item.kind} v{dialog.item.version} <bdi>{dialog.item.title}</bdi>
            </>
          }
          onDecide={decide}
          onCancel={() => setDialog(null)}
        />
      )}
      {plan && (
        <div className="dialog-backdrop">
          <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="bulk-heading" onKeyDown={(e) => e.key === 'Escape' && setPlan(null)}>
            <h2 id="bulk-heading">Approve what you opened</h2>
            <p>
              Bulk approval covers lessons, quizzes and projects in review that you, <bdi>{plan.reviewer}</bdi>, have opened
              {plan.separationOfDuties ? ' and did not write yourself (separation of duties is on)' : ''}. Syllabus versions are approved one at a time.
            </p>
            <h3>
              {plan.qualifying.length} will be approved
            </h3>
            {plan.qualifying.length > 0 && (
              <ul className="bulk-list" aria-label="Will be approved">
                {plan.qualifying.map((i) => (
                  <li key={i.id} dir="auto">
                    {i.kind} v{i.version} {i.title}
                  </li>
                ))}
              </ul>
            )}
            <h3>{plan.notQualifying.length} stay in review</h3>
            {plan.notQualifying.length > 0 && (
              <ul className="bulk-list" aria-label="Stay in review">
                {plan.notQualifying.map(({ item, reason }) => (
                  <li key={item.id}>
                    <span dir="auto">
                      {item.kind} v{item.version} {item.title}
                    </span>
                    : {reason}
                  </li>
                ))}
              </ul>
            )}
            <div className="actions">
              <button type="button" className="primary" disabled={!plan.qualifying.length} onClick={approvePlan} autoFocus>
                Approve {plan.qualifying.length}
              </button>
              <button type="button" onClick={() => setPlan(null)}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

function toQueueItem(item: ContentItem): ReviewQueueItem {
  return {
    kind: item.kind,
    id: item.id,
    courseId: item.courseId,
    targetId: item.targetId,
    title: item.content.title,
    version: item.version,
    status: item.status,
    author: item.metadata.createdBy,
    submittedAt: item.review.submittedAt,
    rejectionReason: item.review.rejectionReason,
    openedByMe: true,
    openThreads: 0,
  };
}
