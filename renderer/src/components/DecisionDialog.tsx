import { useState, type ReactNode } from 'react';

/**
 * The one decision dialog, wherever a decision is taken: approve (optional note), reject (reason
 * required), regenerate as a new draft (optional instruction), or archive a package (optional reason).
 */
export function DecisionDialog({
  kind,
  subject,
  detail,
  onDecide,
  onCancel,
}: {
  kind: 'approve' | 'reject' | 'regenerate' | 'archive';
  subject: ReactNode;
  /** What the decision means, when that is not obvious from the verb. */
  detail?: ReactNode;
  onDecide: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const verb = { approve: 'Approve', reject: 'Reject', regenerate: 'Regenerate', archive: 'Archive' }[kind];
  const label = { approve: 'Note (optional)', reject: 'Reason (required)', regenerate: 'Instruction (optional)', archive: 'Reason (optional)' }[kind];
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="decision-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="decision-heading">
          {verb} {subject}
        </h2>
        {detail && <p>{detail}</p>}
        <label htmlFor="decision-text">{label}</label>
        <textarea id="decision-text" dir="auto" autoFocus rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        <div className="actions">
          <button type="button" className="primary" onClick={() => onDecide(text)} disabled={kind === 'reject' && !text.trim()}>
            {verb}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
