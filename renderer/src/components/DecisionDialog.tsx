import { useState, type ReactNode } from 'react';

/**
 * The one review decision, wherever it is taken: approve (optional note), reject (reason
 * required), or regenerate as a new draft (optional instruction).
 */
export function DecisionDialog({ kind, subject, onDecide, onCancel }: { kind: 'approve' | 'reject' | 'regenerate'; subject: ReactNode; onDecide: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const verb = { approve: 'Approve', reject: 'Reject', regenerate: 'Regenerate' }[kind];
  const label = { approve: 'Note (optional)', reject: 'Reason (required)', regenerate: 'Instruction (optional)' }[kind];
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="decision-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="decision-heading">
          {verb} {subject}
        </h2>
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
