import { useEffect, useState } from 'react';
import type { OperationOutput } from '../../../schemas/api.js';
import { call } from '../api/client.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';
import './AuditView.css';

type AuditEntry = OperationOutput<'audit.list'>[number];

export function AuditView({ entityId, entryId }: { entityId?: string | undefined; entryId?: number | undefined }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const notify = useStudio((s) => s.notify);
  useEffect(() => {
    // Another entity's trail must never stand under this title: show Loading… until this one's
    // list arrives, and drop an answer that comes back after the entity changed again.
    let current = true;
    setEntries(null);
    call('audit.list', { ...(entityId ? { entityId } : {}), limit: 500 }).then(
      (list) => current && setEntries([...list].reverse()),
      (error: Error) => current && notify('error', error.message),
    );
    return () => {
      current = false;
    };
  }, [entityId, notify]);
  return (
    <section aria-labelledby="audit-heading">
      <div className="page-head">
        <h1 id="audit-heading" dir="auto">Audit log{entityId ? ` · ${entries?.find((e) => e.entityId === entityId)?.entityTitle ?? entityId}` : ''}</h1>
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
        <div className="table-scroll" role="region" aria-label="Audit entries" tabIndex={0}>
        <table className="table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Course</th>
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
                <td dir="auto" data-testid="audit-course">
                  {e.courseTitle ?? <span className="muted">—</span>}
                </td>
                <td>
                  {/* The id stays at hand (hover, and the details toggle) for scripts and support. */}
                  <a href={href({ name: 'audit', entityId: e.entityId })} title={`${e.entityType} ${e.entityId}`} dir="auto">
                    {e.entityTitle ?? e.entityId}
                  </a>
                  {e.entityTitle && (
                    <details className="audit-id">
                      <summary>id</summary>
                      <code>{e.entityId}</code>
                    </details>
                  )}
                </td>
                <td className="details" dir="auto">
                  {Object.entries(e.metadata)
                    .filter(([k, v]) => v !== null && typeof v !== 'object' && !(k === 'courseId' && e.courseTitle))
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}
