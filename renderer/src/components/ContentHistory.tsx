import { useEffect, useState } from 'react';
import type { ContentItem } from '../../../schemas/content.js';
import type { ContentDiff } from '../../../schemas/diff.js';
import { call } from '../api/client.js';
import { StatusBadge } from './StatusBadge.js';
import { ReadableChanges } from './WordDiff.js';

/** Every version of one lesson, quiz or project, and what changed between two of them: text word by word, quizzes question by question. */
export function ContentHistory({ item, versions }: { item: ContentItem; versions: ContentItem[] }) {
  const others = versions.filter((v) => v.id !== item.id);
  const [otherId, setOtherId] = useState(others[0]?.id ?? '');
  const other = others.find((v) => v.id === otherId);
  const [older, newer] = other && other.version < item.version ? [other, item] : [item, other];
  const [diff, setDiff] = useState<ContentDiff | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setDiff(null);
    setFailure(null);
    if (!older || !newer) return;
    let current = true;
    call('content.diff', { fromId: older.id, toId: newer.id }).then(
      (result) => current && setDiff(result),
      (error: Error) => current && setFailure(error.message),
    );
    return () => {
      current = false;
    };
  }, [older?.id, newer?.id]);

  return (
    <div data-testid="content-history" className="readable-diff-box">
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
          {failure ? (
            <p className="field-error" role="alert">
              {failure}
            </p>
          ) : !diff ? (
            <p className="muted">Comparing…</p>
          ) : diff.changes.length === 0 ? (
            <p className="empty">v{diff.from.version} and v{diff.to.version} say the same.</p>
          ) : (
            <ReadableChanges changes={diff.changes} caption={`${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'} from v${diff.from.version} to v${diff.to.version}`} />
          )}
        </>
      )}
    </div>
  );
}
