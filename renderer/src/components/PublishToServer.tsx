import { useCallback, useEffect, useState } from 'react';
import type { OperationOutput, StudioEvent } from '../../../schemas/api.js';
import type { CoursePackageSummary } from '../../../schemas/package.js';
import type { OutboxEntryView } from '../../../schemas/sync.js';
import { call, client } from '../api/client.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';
import './ServerSettings.css';

type SyncStatus = OperationOutput<'sync.status'>;
type PublishProgress = Extract<StudioEvent, { type: 'sync.publish' }>;

let runCounter = 0;

/** The live row is the one sent last among those the server reported live; older "live" rows were replaced since. */
function liveEntry(entries: OutboxEntryView[]): OutboxEntryView | null {
  return entries.filter((e) => e.state === 'live').sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''))[0] ?? null;
}

function stateText(entry: OutboxEntryView | undefined, live: OutboxEntryView | null): string {
  if (!entry) return 'Not sent';
  switch (entry.state) {
    case 'pending':
      return entry.lastError ? `Queued: the server did not answer; retrying at ${new Date(entry.nextAttemptAt).toLocaleTimeString()}` : 'Queued';
    case 'sent':
      return `Sent (server version ${entry.serverVersion})`;
    case 'live':
      return entry.id === live?.id ? `Live on server (server version ${entry.serverVersion})` : `Sent (server version ${entry.serverVersion}); another version was made live since`;
    case 'failed':
      return `Failed: ${entry.lastError ?? 'the server refused it'}`;
  }
}

/** "Publish to server" on the packages page: each package's state on the hosted server, and what is live there. */
export function PublishToServer({ courseId, packages }: { courseId: string; packages: CoursePackageSummary[] }) {
  const notify = useStudio((s) => s.notify);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [release, setRelease] = useState(true);
  const [runId, setRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<PublishProgress | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await call('sync.status', { courseId }));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }, [courseId, notify]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => client.onEvent((e) => e.type === 'sync.publish' && e.runId === runId && setProgress(e)), [runId]);
  // The studio keeps retrying queued packages in the background; the page follows along.
  const waiting = status?.entries.some((e) => e.state === 'pending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void reload(), 3000);
    return () => clearInterval(timer);
  }, [waiting, reload]);

  async function publish(summary: CoursePackageSummary) {
    const id = `publish-${Date.now()}-${++runCounter}`;
    setRunId(id);
    setProgress(null);
    try {
      const result = await call('packages.publish', { packageId: summary.id, release, runId: id });
      notify('info', result.message);
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setRunId(null);
      await reload();
    }
  }

  if (!status) return null;
  const live = liveEntry(status.entries);
  const livePackage = live ? packages.find((p) => p.id === live.packageId) : undefined;
  return (
    <section className="panel publish-server" aria-labelledby="publish-heading" data-testid="publish-to-server">
      <h2 id="publish-heading">Publish to server</h2>
      {!status.serverUrl ? (
        <p>
          No hosted server is set. <a href={href({ name: 'settings' })}>Set one in Settings → Servers</a> to publish packages where learners take the course.
        </p>
      ) : (
        <>
          <p className="live-where" data-testid="live-on-server">
            {live ? (
              <>
                Live on <strong>{status.serverUrl}</strong>: package v{livePackage?.version ?? live.packageVersion}
              </>
            ) : (
              <>Nothing of this course is live on {status.serverUrl} yet.</>
            )}
          </p>
          <label className="release-choice">
            <input type="checkbox" checked={release} onChange={(e) => setRelease(e.target.checked)} /> Make the published version live for learners
          </label>
          <p role="status" className="muted" data-testid="publish-progress">
            {runId ? (progress ? progress.message : 'Starting…') : ''}
          </p>
          <ul className="publish-list">
            {packages.map((p) => {
              const entry = status.entries.find((e) => e.packageId === p.id);
              return (
                <li key={p.id} data-testid={`server-state-v${p.version}`}>
                  <div>
                    <strong>v{p.version}</strong>{' '}
                    <span className={`state state-${entry?.state ?? 'none'}`}>{stateText(entry, live)}</span>
                  </div>
                  <button type="button" onClick={() => publish(p)} disabled={runId !== null} aria-label={`Publish to server: package v${p.version}`}>
                    Publish to server
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
