import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Syllabus, SyllabusWarning } from '../../../schemas/syllabus.js';

export type Selection = { kind: 'module'; moduleId: string } | { kind: 'lesson'; moduleId: string; lessonId: string } | null;

type Row =
  | { kind: 'module'; id: string; moduleId: string; title: string; minutes: number; count: number; index: number }
  | { kind: 'lesson'; id: string; moduleId: string; title: string; minutes: number; objectives: string[]; prerequisites: string[]; number: string };

const rowHeight = 52;
const overscan = 8;

/**
 * The syllabus outline as one flat, windowed list: only the rows in view are in the DOM, so a
 * 40 × 12 syllabus opens as fast as a small one.
 */
export function Outline({ syllabus, warnings, selection, onSelect }: { syllabus: Syllabus; warnings: SyllabusWarning[]; selection: Selection; onSelect: (s: Selection) => void }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);

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
    for (const m of syllabus.modules) {
      list.push({ kind: 'module', id: m.id, moduleId: m.id, title: m.title, minutes: m.estimatedMinutes, count: m.lessons.length, index: m.index });
      if (collapsed.has(m.id)) continue;
      for (const l of m.lessons) {
        list.push({ kind: 'lesson', id: l.id, moduleId: m.id, title: l.title, minutes: l.estimatedMinutes, objectives: l.objectives, prerequisites: l.prerequisites, number: `${m.index + 1}.${l.index + 1}` });
      }
    }
    return list;
  }, [syllabus, collapsed]);

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

  function onKey(event: KeyboardEvent, index: number) {
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!move) return;
    event.preventDefault();
    const target = Math.max(0, Math.min(rows.length - 1, index + move));
    const row = rows[target]!;
    onSelect(row.kind === 'module' ? { kind: 'module', moduleId: row.moduleId } : { kind: 'lesson', moduleId: row.moduleId, lessonId: row.id });
    const el = viewport.current;
    if (el) {
      if (target * rowHeight < el.scrollTop) el.scrollTop = target * rowHeight;
      else if ((target + 1) * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = (target + 1) * rowHeight - el.clientHeight;
    }
    requestAnimationFrame(() => viewport.current?.querySelector<HTMLElement>(`[data-row="${target}"]`)?.focus());
  }

  return (
    <div className="outline" ref={viewport} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="tree" aria-label="Syllabus outline" data-testid="outline">
      <div style={{ height: rows.length * rowHeight, position: 'relative' }}>
        {rows.slice(first, last).map((row, offset) => {
          const index = first + offset;
          const count = warningCounts.get(row.id) ?? 0;
          const selected = row.id === selectedId;
          return (
            <div
              key={`${row.kind}-${row.id}`}
              className={`outline-row ${row.kind} ${selected ? 'selected' : ''}`}
              style={{ top: index * rowHeight, height: rowHeight }}
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
                onKeyDown={(e) => onKey(e, index)}
                onClick={() => onSelect(row.kind === 'module' ? { kind: 'module', moduleId: row.moduleId } : { kind: 'lesson', moduleId: row.moduleId, lessonId: row.id })}
              >
                <span className="outline-title" dir="auto">
                  {row.kind === 'module' ? `${row.index + 1}. ` : `${row.number} `}
                  {row.title}
                </span>
                <span className="outline-meta">
                  {row.kind === 'module'
                    ? `${row.count} lessons · ${row.minutes} min`
                    : `${row.minutes} min · ${row.objectives.length} objective${row.objectives.length === 1 ? '' : 's'}${row.prerequisites.length ? ` · after ${row.prerequisites.join(', ')}` : ''}`}
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
  );
}
