import { useState, type ReactNode } from 'react';

/** Approve (optional note) or reject (reason required): the one review decision, wherever it is taken. */
export function DecisionDialog({ kind, subject, onDecide, onCancel }: { kind: 'approve' | 'reject'; subject: ReactNode; onDecide: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const verb = kind === 'approve' ? 'Approve' : 'Reject';
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="decision-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="decision-heading">
          {verb} {subject}
        </h2>
        <label htmlFor="decision-text">{kind === 'approve' ? 'Note (optional)' : 'Reason (required)'}</label>
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
