import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { formatMinutes } from '../../../core/syllabus/time-budget.js';
import type { Syllabus, SyllabusWarning } from '../../../schemas/syllabus.js';
import './Outline.css';

export type Selection = { kind: 'module'; moduleId: string } | { kind: 'lesson'; moduleId: string; lessonId: string } | null;
export type OutlineItem = NonNullable<Selection>;

/** What the outline can ask its editor to do; each acts on the item given, never on a stale selection. */
export interface OutlineActions {
  addModule: () => void;
  addLesson: (near: Selection) => void;
  duplicate: (item: OutlineItem) => void;
  remove: (item: OutlineItem) => void;
  step: (item: OutlineItem, direction: -1 | 1) => void;
  moveToModule: (item: OutlineItem & { kind: 'lesson' }) => void;
  /** `dragged` was dropped on the row of `target`: it takes that row's place. */
  drop: (dragged: OutlineItem, target: OutlineItem) => void;
}

type Row =
  | { kind: 'module'; id: string; moduleId: string; title: string; minutes: number; count: number; index: number }
  | { kind: 'lesson'; id: string; moduleId: string; title: string; minutes: number; objectives: string[]; prerequisites: string[]; number: string };

const rowHeight = 52;
const overscan = 8;

const itemOf = (row: Row): OutlineItem => (row.kind === 'module' ? { kind: 'module', moduleId: row.moduleId } : { kind: 'lesson', moduleId: row.moduleId, lessonId: row.id });

/**
 * The syllabus outline as one flat, windowed list: only the rows in view are in the DOM, so a
 * 40 × 12 syllabus opens as fast as a small one. When editable, rows are restructured by the
 * buttons above the list, by Alt+Arrow keys on a row, or by dragging one row onto another.
 */
export function Outline({
  syllabus,
  warnings,
  selection,
  onSelect,
  moduleMinutes,
  editable = false,
  actions,
  focusRequest = 0,
}: {
  syllabus: Syllabus;
  warnings: SyllabusWarning[];
  selection: Selection;
  onSelect: (s: Selection) => void;
  /** Each module's minutes summed from its lessons as they are now. */
  moduleMinutes?: Map<string, number>;
  editable?: boolean;
  actions?: OutlineActions;
  /** Changed by the editor when keyboard focus should return to the selected row (after a move or a dialog). */
  focusRequest?: number;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [scrollTop, setScrollTop] = useState(0);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const dragged = useRef<OutlineItem | null>(null);

  const warningCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const w of warnings) {
      if (w.severity !== 'warning') continue;
      const key = w.lessonId ?? w.moduleId;
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }, [warnings]);

  const rows = useMemo(() => {
    const list: Row[] = [];
    // Prerequisites read as lesson numbers ("after 1.2"), which follow every move; ids mean nothing to a designer.
    const numbers = new Map(syllabus.modules.flatMap((m, mi) => m.lessons.map((l, li) => [l.id, `${mi + 1}.${li + 1}`] as const)));
    for (const m of syllabus.modules) {
      list.push({ kind: 'module', id: m.id, moduleId: m.id, title: m.title, minutes: moduleMinutes?.get(m.id) ?? m.estimatedMinutes, count: m.lessons.length, index: m.index });
      if (collapsed.has(m.id)) continue;
      for (const l of m.lessons) {
        list.push({ kind: 'lesson', id: l.id, moduleId: m.id, title: l.title, minutes: l.estimatedMinutes, objectives: l.objectives, prerequisites: l.prerequisites.map((p) => numbers.get(p) ?? p), number: `${m.index + 1}.${l.index + 1}` });
      }
    }
    return list;
  }, [syllabus, collapsed, moduleMinutes]);

  const height = viewport.current?.clientHeight ?? 640;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const selectedId = selection?.kind === 'lesson' ? selection.lessonId : selection?.moduleId;

  const toggle = (moduleId: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(moduleId)) next.delete(moduleId);
      else next.add(moduleId);
      return next;
    });

  /**
   * The row the keyboard focus is on its way to, while that row is scrolled into view and drawn.
   * A key pressed meanwhile (faster than a frame, or on a busy machine) moves on from there, not
   * from the row that still has the focus, so no key press is lost.
   */
  const focusOnItsWay = useRef<number | null>(null);

  function reveal(target: number) {
    const el = viewport.current;
    if (el) {
      if (target * rowHeight < el.scrollTop) el.scrollTop = target * rowHeight;
      else if ((target + 1) * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = (target + 1) * rowHeight - el.clientHeight;
    }
    const rowButton = () => viewport.current?.querySelector<HTMLElement>(`[data-row="${target}"]`);
    // A neighbour is usually drawn already (the overscan): focus it now.
    const drawn = rowButton();
    if (drawn) {
      focusOnItsWay.current = null;
      drawn.focus();
      return;
    }
    focusOnItsWay.current = target;
    const focusOnceDrawn = (framesLeft: number) =>
      requestAnimationFrame(() => {
        if (focusOnItsWay.current !== target) return;
        const button = rowButton();
        if (button) {
          focusOnItsWay.current = null;
          button.focus();
        } else if (framesLeft > 0) focusOnceDrawn(framesLeft - 1);
        else focusOnItsWay.current = null;
      });
    focusOnceDrawn(10);
  }

  // After a move the selected row has a new place: scroll to it and give it the focus back.
  useEffect(() => {
    if (focusRequest === 0) return;
    const target = rows.findIndex((r) => r.id === selectedId && (selection?.kind === r.kind));
    if (target >= 0) reveal(target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  function onKey(event: KeyboardEvent, index: number) {
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!move) return;
    event.preventDefault();
    if (event.altKey) {
      if (editable && actions) actions.step(itemOf(rows[index]!), move);
      return;
    }
    const target = Math.max(0, Math.min(rows.length - 1, (focusOnItsWay.current ?? index) + move));
    onSelect(itemOf(rows[target]!));
    reveal(target);
  }

  const dragHandlers = (row: Row) =>
    editable && actions
      ? {
          draggable: true,
          onDragStart: (event: DragEvent) => {
            dragged.current = itemOf(row);
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', row.title);
          },
          onDragOver: (event: DragEvent) => {
            if (!dragged.current) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            if (dropTarget !== `${row.kind}-${row.id}`) setDropTarget(`${row.kind}-${row.id}`);
          },
          onDragLeave: () => setDropTarget((t) => (t === `${row.kind}-${row.id}` ? null : t)),
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            const item = dragged.current;
            dragged.current = null;
            setDropTarget(null);
            if (item) actions.drop(item, itemOf(row));
          },
          onDragEnd: () => {
            dragged.current = null;
            setDropTarget(null);
          },
        }
      : {};

  const selectedTitle = selection?.kind === 'lesson'
    ? syllabus.modules.find((m) => m.id === selection.moduleId)?.lessons.find((l) => l.id === selection.lessonId)?.title
    : syllabus.modules.find((m) => m.id === selection?.moduleId)?.title;
  const noun = selection?.kind === 'module' ? 'module' : 'lesson';

  return (
    <div className="outline-pane min0">
      {editable && actions && (
        <div className="outline-tools" role="group" aria-label="Change the outline">
          <div className="actions">
            <button type="button" onClick={() => actions.addLesson(selection)}>
              Add lesson
            </button>
            <button type="button" onClick={actions.addModule}>
              Add module
            </button>
          </div>
          {selection && selectedTitle !== undefined && (
            <div className="actions" aria-label={`Selected ${noun}: ${selectedTitle}`} role="group">
              <button type="button" onClick={() => actions.step(selection, -1)} aria-keyshortcuts="Alt+ArrowUp">
                Move up
              </button>
              <button type="button" onClick={() => actions.step(selection, 1)} aria-keyshortcuts="Alt+ArrowDown">
                Move down
              </button>
              {selection.kind === 'lesson' && (
                <button type="button" onClick={() => actions.moveToModule(selection)}>
                  Move to module…
                </button>
              )}
              <button type="button" onClick={() => actions.duplicate(selection)}>
                Duplicate {noun}
              </button>
              <button type="button" className="danger" onClick={() => actions.remove(selection)}>
                Delete {noun}…
              </button>
            </div>
          )}
          <p className="hint" id="outline-keys">
            Alt+↑ and Alt+↓ move the selected row; rows can also be dragged onto another row.
          </p>
        </div>
      )}
      <div className="outline" ref={viewport} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="tree" aria-label="Syllabus outline" data-testid="outline">
        <div style={{ height: rows.length * rowHeight, position: 'relative' }}>
          {rows.slice(first, last).map((row, offset) => {
            const index = first + offset;
            const count = warningCounts.get(row.id) ?? 0;
            const selected = row.id === selectedId;
            return (
              <div
                key={`${row.kind}-${row.id}`}
                className={`outline-row ${row.kind} ${selected ? 'selected' : ''} ${dropTarget === `${row.kind}-${row.id}` ? 'drop-target' : ''}`}
                style={{ top: index * rowHeight, height: rowHeight }}
                {...dragHandlers(row)}
                role="treeitem"
                aria-selected={selected}
                aria-level={row.kind === 'module' ? 1 : 2}
                {...(row.kind === 'module' ? { 'aria-expanded': !collapsed.has(row.id) } : {})}
              >
                {row.kind === 'module' && (
                  <button type="button" className="twisty" aria-label={collapsed.has(row.id) ? 'Expand module' : 'Collapse module'} onClick={() => toggle(row.id)}>
                    {collapsed.has(row.id) ? '▸' : '▾'}
                  </button>
                )}
                <button
                  type="button"
                  className="outline-select"
                  data-row={index}
                  {...(editable && actions ? { 'aria-describedby': 'outline-keys' } : {})}
                  onKeyDown={(e) => onKey(e, index)}
                  onClick={() => onSelect(itemOf(row))}
                >
                  <span className="outline-title" dir="auto">
                    {row.kind === 'module' ? `${row.index + 1}. ` : `${row.number} `}
                    {row.title}
                  </span>
                  <span className="outline-meta">
                    {row.kind === 'module'
                      ? `${row.count} lesson${row.count === 1 ? '' : 's'} · ${formatMinutes(row.minutes)}`
                      : `${formatMinutes(row.minutes)} · ${row.objectives.length} objective${row.objectives.length === 1 ? '' : 's'}${row.prerequisites.length ? ` · after ${row.prerequisites.join(', ')}` : ''}`}
                  </span>
                </button>
                {count > 0 && (
                  <span className="warning-count" title={`${count} lint warning(s)`}>
                    ⚠ {count}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
