import { memo, type KeyboardEvent, type ReactNode } from 'react';
import { fieldId, type FieldPath } from './draft.js';

/** What every form control needs from the editor: its value's setter and its error, by path. */
export interface FieldContext {
  errorOf: (path: FieldPath) => string | undefined;
  set: (path: FieldPath, value: unknown) => void;
  touch: (path: FieldPath) => void;
}

export function ErrorText({ path, error }: { path: FieldPath; error: string | undefined }) {
  return error ? (
    <p className="field-error" id={`${fieldId(path)}-error`}>
      {error}
    </p>
  ) : null;
}

/**
 * Text and number fields are memoised: their props are the stable field context and plain values,
 * so a keystroke re-renders the field typed in, not every field of a long lesson.
 */
export const TextField = memo(function TextField(props: { ctx: FieldContext; path: FieldPath; label: string; value: string; multiline?: boolean; hint?: string }) {
  const { ctx, path, label, value, multiline, hint } = props;
  const id = fieldId(path);
  const error = ctx.errorOf(path);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, dir: 'auto', value, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, onBlur: () => ctx.touch(path) } as const;
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {multiline ? <textarea {...common} rows={3} onChange={(e) => ctx.set(path, e.target.value)} /> : <input {...common} type="text" onChange={(e) => ctx.set(path, e.target.value)} />}
      <ErrorText path={path} error={error} />
    </div>
  );
});

export const NumberField = memo(function NumberField(props: { ctx: FieldContext; path: FieldPath; label: string; value: number; hint?: string }) {
  const { ctx, path, label, value, hint } = props;
  const id = fieldId(path);
  const error = ctx.errorOf(path);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field number-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        type="number"
        inputMode="numeric"
        step={1}
        min={0}
        value={Number.isFinite(value) ? value : ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onBlur={() => ctx.touch(path)}
        onChange={(e) => ctx.set(path, e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
      <ErrorText path={path} error={error} />
    </div>
  );
});

/**
 * A list whose entries are added, removed and reordered with buttons, or from the keyboard with
 * Alt+Arrow Up / Alt+Arrow Down inside an entry (focus follows the entry it was in).
 */
export function ListEditor<T>(props: {
  ctx: FieldContext;
  path: FieldPath;
  legend: string;
  items: T[];
  entryLabel: (index: number) => string;
  makeEntry: () => T;
  renderEntry: (item: T, index: number) => ReactNode;
  addLabel: string;
  min?: number;
  max?: number;
  hint?: string;
}) {
  const { ctx, path, legend, items, entryLabel, makeEntry, renderEntry, addLabel, min = 0, max = Infinity, hint } = props;
  const error = ctx.errorOf(path);
  const listId = fieldId(path);

  function move(from: number, to: number) {
    if (to < 0 || to >= items.length) return;
    const next = [...items];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    ctx.set(path, next);
    // Keep focus on the same control of the moved entry, now at its new place.
    const active = document.activeElement as HTMLElement | null;
    const fromPrefix = `${listId}-${from}`;
    if (active?.id && (active.id === fromPrefix || active.id.startsWith(`${fromPrefix}-`))) {
      const target = `${listId}-${to}${active.id.slice(fromPrefix.length)}`;
      requestAnimationFrame(() => document.getElementById(target)?.focus());
    } else {
      requestAnimationFrame(() => document.getElementById(`${listId}-${to}-${to === 0 ? 'down' : 'up'}`)?.focus());
    }
  }

  function remove(index: number) {
    ctx.set(path, items.filter((_, i) => i !== index));
    requestAnimationFrame(() => document.getElementById(items.length > 1 ? `${listId}-${Math.max(0, index - 1)}-remove` : `${listId}-add`)?.focus());
  }

  function add() {
    ctx.set(path, [...items, makeEntry()]);
    requestAnimationFrame(() => {
      const entry = document.getElementById(`${listId}-${items.length}-entry`);
      entry?.querySelector<HTMLElement>('input, textarea, select')?.focus();
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    // Only the innermost list moves: an option inside a question does not move the question.
    event.stopPropagation();
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1);
  }

  return (
    <fieldset className={`field list-field${error ? ' invalid' : ''}`} id={listId} tabIndex={-1} aria-describedby={error ? `${listId}-error` : undefined}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      <ErrorText path={path} error={error} />
      <ol className="list-entries">
        {items.map((item, index) => (
          <li key={index} id={`${listId}-${index}-entry`} className="list-entry" onKeyDown={(e) => onKeyDown(e, index)}>
            <div className="list-entry-body">{renderEntry(item, index)}</div>
            <div className="list-entry-actions" role="group" aria-label={`${entryLabel(index)}: move or remove`}>
              <button type="button" id={`${listId}-${index}-up`} aria-label={`Move ${entryLabel(index).toLowerCase()} up`} aria-keyshortcuts="Alt+ArrowUp" disabled={index === 0} onClick={() => move(index, index - 1)}>
                ↑
              </button>
              <button type="button" id={`${listId}-${index}-down`} aria-label={`Move ${entryLabel(index).toLowerCase()} down`} aria-keyshortcuts="Alt+ArrowDown" disabled={index === items.length - 1} onClick={() => move(index, index + 1)}>
                ↓
              </button>
              <button type="button" id={`${listId}-${index}-remove`} className="ce-remove" aria-label={`Remove ${entryLabel(index).toLowerCase()}`} disabled={items.length <= min} onClick={() => remove(index)}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" id={`${listId}-add`} disabled={items.length >= max} onClick={add}>
        {addLabel}
      </button>
    </fieldset>
  );
}

