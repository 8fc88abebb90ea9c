import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SyllabusVersion } from '../../../schemas/syllabus.js';
import { call } from '../api/client.js';
import { DecisionDialog } from '../components/DecisionDialog.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { navigate } from '../router.js';
import { useStudio } from '../store.js';

/** Every version awaiting review; j/k or arrows move, Enter opens, a approves, r rejects. */
export function ReviewQueue() {
  const [queue, setQueue] = useState<SyllabusVersion[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [dialog, setDialog] = useState<null | { kind: 'approve' | 'reject'; version: SyllabusVersion }>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const notify = useStudio((s) => s.notify);

  const load = useCallback(() => {
    call('review.queue', {}).then(setQueue, (error: Error) => notify('error', error.message));
  }, [notify]);
  useEffect(load, [load]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`)?.focus();
  }, [selected, queue]);

  function onKey(event: KeyboardEvent) {
    if (!queue?.length || dialog) return;
    const current = queue[selected];
    if (event.key === 'j' || event.key === 'ArrowDown') setSelected((i) => Math.min(queue.length - 1, i + 1));
    else if (event.key === 'k' || event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else if (event.key === 'Enter' && current) navigate({ name: 'course', courseId: current.courseId, versionId: current.id });
    else if (event.key === 'a' && current) setDialog({ kind: 'approve', version: current });
    else if (event.key === 'r' && current) setDialog({ kind: 'reject', version: current });
    else return;
    event.preventDefault();
  }

  async function decide(text: string) {
    if (!dialog) return;
    try {
      if (dialog.kind === 'approve') await call('syllabus.approve', { versionId: dialog.version.id, ...(text.trim() ? { note: text.trim() } : {}) });
      else await call('syllabus.reject', { versionId: dialog.version.id, reason: text });
      notify('info', `${dialog.kind === 'approve' ? 'Approved' : 'Rejected'} v${dialog.version.version} of “${dialog.version.syllabus.title}”.`);
      setDialog(null);
      setSelected(0);
      load();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  return (
    <section aria-labelledby="review-heading">
      <div className="page-head">
        <h1 id="review-heading">Review queue</h1>
        <p className="muted keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>a</kbd> approve · <kbd>r</kbd> reject
        </p>
      </div>
      {queue === null ? (
        <p className="muted">Loading…</p>
      ) : queue.length === 0 ? (
        <p className="empty">Nothing awaits review.</p>
      ) : (
        <ul className="card-list" ref={listRef} onKeyDown={onKey} aria-label="Versions awaiting review" data-testid="review-list">
          {queue.map((version, index) => (
            <li key={version.id} className={`card ${index === selected ? 'selected' : ''}`} tabIndex={0} data-index={index} onFocus={() => setSelected(index)} onClick={() => setSelected(index)}>
              <span className="card-title" dir="auto">
                {version.syllabus.title}
              </span>
              <span className="card-meta">
                v{version.version} <StatusBadge status={version.status} /> {version.syllabus.modules.length} modules · submitted {version.review.submittedAt ? new Date(version.review.submittedAt).toLocaleString() : ''} ·{' '}
                {version.warnings.filter((w) => w.severity === 'warning').length} lint warnings
              </span>
              <span className="card-actions">
                <button type="button" onClick={() => navigate({ name: 'course', courseId: version.courseId, versionId: version.id })}>
                  Open
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'approve', version })}>
                  Approve…
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'reject', version })}>
                  Reject…
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {dialog && (
        <DecisionDialog
          kind={dialog.kind}
          subject={
            <>
              v{dialog.version.version} of <bdi>{dialog.version.syllabus.title}</bdi>
            </>
          }
          onDecide={decide}
          onCancel={() => setDialog(null)}
        />
      )}
    </section>
  );
}
