import type { z } from 'zod';
import type { SyllabusDiff } from '../../../schemas/api.js';

type Diff = z.infer<typeof SyllabusDiff>;

const show = (value: unknown) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 1));

/** Side by side: what the older version said, what the newer one says, per changed field. */
export function DiffView({ diff }: { diff: Diff }) {
  if (diff.changes.length === 0) return <p className="empty">v{diff.from.version} and v{diff.to.version} have the same content.</p>;
  return (
    <table className="table diff" data-testid="diff-table">
      <caption>
        {diff.changes.length} change(s) from v{diff.from.version} to v{diff.to.version}
      </caption>
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">v{diff.from.version}</th>
          <th scope="col">v{diff.to.version}</th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.map((c, i) => (
          <tr key={i} className={`change-${c.kind}`}>
            <th scope="row">
              {c.kind} {c.entity} <code>{c.id}</code>
              {c.kind === 'changed' ? ` · ${c.field}` : ''}
            </th>
            <td dir="auto" className="before">
              {c.kind === 'changed' ? show(c.before) : c.kind === 'removed' ? c.title : c.kind === 'moved' ? c.from : ''}
            </td>
            <td dir="auto" className="after">
              {c.kind === 'changed' ? show(c.after) : c.kind === 'added' ? c.title : c.kind === 'moved' ? c.to : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
