import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Syllabus } from '../../../schemas/syllabus.js';

/**
 * A question the outline editor must ask before it changes anything: deleting, or dropping a
 * prerequisite a move or delete would break. Focus starts on Cancel, so Enter never destroys
 * by accident; Escape cancels.
 */
export function OutlineConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="outline-confirm-heading" aria-describedby="outline-confirm-body" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="outline-confirm-heading" dir="auto">
          {title}
        </h2>
        <div id="outline-confirm-body" dir="auto">
          {children}
        </div>
        <div className="actions">
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
            {confirmLabel}
          </button>
          <button type="button" ref={cancel} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/** Picks the module a lesson moves to; it lands at the end of that module. */
export function MoveToModuleDialog({ syllabus, lessonId, onMove, onCancel }: { syllabus: Syllabus; lessonId: string; onMove: (moduleId: string) => void; onCancel: () => void }) {
  const from = syllabus.modules.find((m) => m.lessons.some((l) => l.id === lessonId));
  const lesson = from?.lessons.find((l) => l.id === lessonId);
  const others = syllabus.modules.filter((m) => m.id !== from?.id);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  if (!from || !lesson) return null;
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="move-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="move-heading" dir="auto">
          Move ‘{lesson.title}’ to another module
        </h2>
        {others.length === 0 ? (
          <p>This syllabus has one module. Add a module first, then move the lesson into it.</p>
        ) : (
          <>
            <label htmlFor="move-target">Module (the lesson goes to its end)</label>
            <select id="move-target" autoFocus value={target} onChange={(e) => setTarget(e.target.value)}>
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.index + 1}. {m.title}
                </option>
              ))}
            </select>
          </>
        )}
        <div className="actions">
          <button type="button" className="primary" disabled={!target} onClick={() => onMove(target)}>
            Move
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
