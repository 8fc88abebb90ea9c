import { useState } from 'react';
import type { ContentItem } from '../../../schemas/content.js';
import { StatusBadge } from './StatusBadge.js';

const pretty = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 1));

/** Every version of one lesson, quiz or project, and what changed between two of them, field by field. */
export function ContentHistory({ item, versions }: { item: ContentItem; versions: ContentItem[] }) {
  const others = versions.filter((v) => v.id !== item.id);
  const [otherId, setOtherId] = useState(others[0]?.id ?? '');
  const other = others.find((v) => v.id === otherId);
  const [older, newer] = other && other.version < item.version ? [other, item] : [item, other];
  const before = (older?.content ?? {}) as Record<string, unknown>;
  const after = (newer?.content ?? {}) as Record<string, unknown>;
  const changed = newer ? [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])) : [];
  return (
    <div data-testid="content-history">
      <ul className="version-list">
        {versions.map((v) => (
          <li key={v.id}>
            v{v.version} <StatusBadge status={v.status} /> <span className="muted small">{new Date(v.metadata.createdAt).toLocaleString()} · {v.metadata.provider === 'human' ? `edited by ${v.metadata.createdBy}` : v.metadata.provider}{typeof v.metadata.params.instruction === 'string' ? ` · “${v.metadata.params.instruction}”` : ''}</span>
          </li>
        ))}
      </ul>
      {others.length === 0 ? (
        <p className="muted">This is the only version.</p>
      ) : (
        <>
          <label htmlFor="content-compare">Compare v{item.version} with </label>
          <select id="content-compare" value={otherId} onChange={(e) => setOtherId(e.target.value)}>
            {others.map((v) => (
              <option key={v.id} value={v.id}>
                v{v.version} ({v.status.toLowerCase()})
              </option>
            ))}
          </select>
          {older && newer && (
            <table className="table diff">
              <caption>
                {changed.length} field(s) differ between v{older.version} and v{newer.version}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">v{older.version}</th>
                  <th scope="col">v{newer.version}</th>
                </tr>
              </thead>
              <tbody>
                {changed.map((key) => (
                  <tr key={key}>
                    <th scope="row">{key}</th>
                    <td className="before" dir="auto">
                      {pretty(before[key])}
                    </td>
                    <td className="after" dir="auto">
                      {pretty(after[key])}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
