import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../schemas/audit.js';
import { call } from '../api/client.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';

export function AuditView({ entityId, entryId }: { entityId?: string | undefined; entryId?: number | undefined }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const notify = useStudio((s) => s.notify);
  useEffect(() => {
    call('audit.list', { ...(entityId ? { entityId } : {}), limit: 500 }).then((list) => setEntries([...list].reverse()), (error: Error) => notify('error', error.message));
  }, [entityId, notify]);
  return (
    <section aria-labelledby="audit-heading">
      <div className="page-head">
        <h1 id="audit-heading">Audit log{entityId ? ` · ${entityId}` : ''}</h1>
        {entityId && (
          <a className="button" href={href({ name: 'audit' })}>
            Show everything
          </a>
        )}
      </div>
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="empty">No audit entries yet.</p>
      ) : (
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Entity</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className={e.id === entryId ? 'search-focus' : undefined} aria-current={e.id === entryId ? 'true' : undefined} ref={e.id === entryId ? (row) => row?.scrollIntoView({ block: 'center' }) : undefined}>
                <td className="nowrap">{new Date(e.at).toLocaleString()}</td>
                <td dir="auto">{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <a href={href({ name: 'audit', entityId: e.entityId })}>{e.entityId}</a>
                </td>
                <td className="details" dir="auto">
                  {Object.entries(e.metadata)
                    .filter(([, v]) => v !== null && typeof v !== 'object')
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
