import { useCallback, useEffect, useRef, useState } from 'react';
import type { OperationOutput } from '../../../schemas/api.js';
import type { RegenerationJob, RetryReasonCode } from '../../../schemas/regeneration.js';
import { call, client } from '../api/client.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { ReadableChanges } from '../components/WordDiff.js';
import { href, navigate } from '../router.js';
import { useStudio } from '../store.js';
import './JobsView.css';

const statuses = ['PENDING', 'TRIGGERED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
const isActive = (job: RegenerationJob) => job.status === 'PENDING' || job.status === 'TRIGGERED' || job.status === 'RUNNING';

/** The fixed reasons a person gives for running a failed job again, as the form names them. */
export const retryReasonLabels: Record<RetryReasonCode, string> = {
  worker_stopped: 'The worker stopped',
  model_unavailable: 'The model was unavailable',
  invalid_output: 'The model gave invalid output',
  instruction_changed: 'The instruction needed changing',
  cancelled_by_mistake: 'Cancelled by mistake',
  other: 'Other',
};

/** What a job regenerates, as the list and the detail name it: "quiz lesson-2", "question q3 of quiz lesson-2", "the syllabus". */
export function describeTarget(job: RegenerationJob): string {
  if (job.targetKind === 'syllabus') return 'the syllabus';
  if (job.targetKind === 'question') return `question ${job.targetQuestionId ?? ''} of quiz ${job.targetRef}`;
  return `${job.targetKind} ${job.targetRef}`;
}

/** Where a job's starting version or its output opens: the syllabus version in the course, otherwise the content item (at the question, for a question job). */
function versionHref(job: RegenerationJob, versionId: string): string {
  if (job.targetKind === 'syllabus') return href({ name: 'course', courseId: job.courseId, versionId });
  return href({ name: 'content', courseId: job.courseId, itemId: versionId, ...(job.targetKind === 'question' && job.targetQuestionId ? { questionId: job.targetQuestionId } : {}) });
}

/** The changes a job made, from the content or the syllabus diff. */
type JobDiff = { from: { version: number }; to: { version: number }; changes: ContentDiff['changes'] };

function describeSource(job: RegenerationJob): string {
  if (job.source.type === 'suggestion') return `Suggestion ${job.source.suggestionId}`;
  if (job.source.type === 'retry') return `Retry of ${job.source.retryOfJobId}`;
  return `Request by ${job.createdBy}`;
}

/** Live progress lines per job, from the worker's events; the list itself is reloaded on each. */
function useJobEvents(onChange: () => void) {
  const [stages, setStages] = useState<Record<string, string>>({});
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'regeneration.job') return;
        setStages((now) => ({ ...now, [event.jobId]: event.message }));
        changed.current();
      }),
    [],
  );
  return stages;
}

/** The regeneration queue: filter, trigger what is pending, follow what runs, cancel, and ask for retries of what failed. */
export function JobsView({ status, courseId }: { status?: string | undefined; courseId?: string | undefined }) {
  const notify = useStudio((s) => s.notify);
  const [jobs, setJobs] = useState<RegenerationJob[] | null>(null);
  const [courses, setCourses] = useState<Array<{ id: string; title: string }>>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [retrying, setRetrying] = useState<RegenerationJob | null>(null);
  const [busy, setBusy] = useState(false);
  const statusFilter = statuses.find((s) => s === status);

  const load = useCallback(
    () =>
      call('jobs.list', { ...(statusFilter ? { status: statusFilter } : {}), ...(courseId ? { courseId } : {}) }).then(
        (list) => setJobs(list),
        (error: Error) => notify('error', error.message),
      ),
    [statusFilter, courseId, notify],
  );
  useEffect(() => void load(), [load]);
  useEffect(() => {
    call('courses.list', {}).then((list) => setCourses(list.map((c) => ({ id: c.id, title: c.title }))), () => setCourses([]));
  }, []);
  const stages = useJobEvents(() => void load());
  // Events can be missed (a reconnect); while anything is queued or running, look again every two seconds too.
  const waiting = jobs?.some((j) => j.status === 'TRIGGERED' || j.status === 'RUNNING') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [waiting, load]);

  const titleOf = (id: string) => courses.find((c) => c.id === id)?.title ?? id;
  const pendingSelected = [...selected].filter((id) => jobs?.some((j) => j.id === id && j.status === 'PENDING'));

  async function trigger() {
    setBusy(true);
    try {
      const triggered = await call('jobs.trigger', { jobIds: pendingSelected });
      notify('info', `Triggered ${triggered.length} job${triggered.length === 1 ? '' : 's'}; the worker runs them now.`);
      setSelected(new Set());
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(false);
      void load();
    }
  }

  async function cancel(job: RegenerationJob) {
    try {
      await call('jobs.cancel', { jobId: job.id });
      notify('info', `Cancelled ${job.id}; nothing it was writing is saved.`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    void load();
  }

  const setFilter = (next: { status?: string | undefined; courseId?: string | undefined }) => navigate({ name: 'jobs', ...(next.status ? { status: next.status } : {}), ...(next.courseId ? { courseId: next.courseId } : {}) });

  return (
    <section aria-labelledby="jobs-heading" className="jobs-view">
      <div className="page-head">
        <h1 id="jobs-heading">Regeneration jobs</h1>
      </div>
      <p className="muted">A job asks the model for a new draft of one lesson, quiz, project, quiz question or the syllabus. Nothing runs until someone triggers it; the new draft goes through review like any other.</p>
      <div className="jobs-filters">
        <label>
          Status{' '}
          <select value={statusFilter ?? ''} onChange={(e) => setFilter({ status: e.target.value || undefined, courseId })}>
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Course{' '}
          <select value={courseId ?? ''} onChange={(e) => setFilter({ status: statusFilter, courseId: e.target.value || undefined })}>
            <option value="">All courses</option>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={busy || pendingSelected.length === 0} onClick={() => void trigger()}>
          Trigger selected ({pendingSelected.length})
        </button>
      </div>
      {jobs === null ? (
        <p className="muted">Loading…</p>
      ) : jobs.length === 0 ? (
        <p className="empty">No jobs{statusFilter || courseId ? ' match these filters' : ' yet. Regenerate an item, or accept a suggestion and create its job'}.</p>
      ) : (
        <ul className="job-list" aria-label="Jobs">
          {jobs.map((job) => (
            <li key={job.id} className="job-card" data-testid="job-row" data-job={job.id}>
              <div className="job-line">
                {job.status === 'PENDING' ? (
                  <input
                    type="checkbox"
                    id={`select-${job.id}`}
                    checked={selected.has(job.id)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.target.checked) next.add(job.id);
                      else next.delete(job.id);
                      setSelected(next);
                    }}
                  />
                ) : null}
                <label htmlFor={job.status === 'PENDING' ? `select-${job.id}` : undefined} className="job-title">
                  <span className="visually-hidden">Select </span>
                  {describeTarget(job)} <span className="muted">in</span> <span dir="auto">{titleOf(job.courseId)}</span>
                </label>
                <StatusBadge status={job.status} />
              </div>
              <p className="job-instruction" dir="auto">
                “{job.instruction || 'a fresh answer to the same request'}”
              </p>
              <p className="muted small">
                {job.id} · {describeSource(job)} · created {new Date(job.createdAt).toLocaleString()} by <span dir="auto">{job.createdBy}</span>
              </p>
              {(job.status === 'RUNNING' || job.status === 'TRIGGERED') && (
                <p className="job-progress" role="status">
                  {job.status === 'TRIGGERED' ? 'Waiting for the worker' : 'Running'}
                  {stages[job.id] ? `: ${stages[job.id]}` : '…'}
                </p>
              )}
              {job.status === 'FAILED' && (
                <p className="field-error" data-testid="job-error">
                  Failed: {job.error}
                </p>
              )}
              <div className="actions">
                <a className="button" href={href({ name: 'job', jobId: job.id })}>
                  Details<span className="visually-hidden"> of {job.id}</span>
                </a>
                {isActive(job) && (
                  <button type="button" onClick={() => void cancel(job)}>
                    Cancel<span className="visually-hidden"> {job.id}</span>
                  </button>
                )}
                {job.status === 'FAILED' && (
                  <button type="button" onClick={() => setRetrying(job)}>
                    Create retry intent…
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {retrying && (
        <RetryIntentDialog
          job={retrying}
          onCancel={() => setRetrying(null)}
          onCreated={(message) => {
            setRetrying(null);
            notify('info', message);
            void load();
          }}
        />
      )}
    </section>
  );
}

/** Reason code from the fixed list and a reason in words (both required, here and by the host), optionally a changed instruction. */
export function RetryIntentDialog({ job, onCancel, onCreated }: { job: RegenerationJob; onCancel: () => void; onCreated: (message: string) => void }) {
  const [reasonCode, setReasonCode] = useState<RetryReasonCode | ''>('');
  const [reasonText, setReasonText] = useState('');
  const [instruction, setInstruction] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ready = reasonCode !== '' && reasonText.trim() !== '';

  async function create() {
    if (!reasonCode) return;
    setSaving(true);
    setFailure(null);
    try {
      const intent = await call('retryIntents.create', { jobId: job.id, reasonCode, reasonText, ...(instruction.trim() ? { instruction } : {}) });
      onCreated(`Retry intent ${intent.id} created for ${job.id}. Run it from the job's details.`);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="retry-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="retry-heading">Retry {job.id}</h2>
        <p>
          The failed job stays as it is; the retry runs as a new job. It failed with: <span dir="auto">{job.error}</span>
        </p>
        <label htmlFor="retry-reason-code">Reason (required)</label>
        <select id="retry-reason-code" autoFocus value={reasonCode} onChange={(e) => setReasonCode(e.target.value as RetryReasonCode | '')} aria-required="true">
          <option value="">Choose a reason…</option>
          {(Object.keys(retryReasonLabels) as RetryReasonCode[]).map((code) => (
            <option key={code} value={code}>
              {retryReasonLabels[code]}
            </option>
          ))}
        </select>
        <label htmlFor="retry-reason-text">Why, in words (required)</label>
        <textarea id="retry-reason-text" dir="auto" rows={3} value={reasonText} onChange={(e) => setReasonText(e.target.value)} aria-required="true" />
        <label htmlFor="retry-instruction">Changed instruction (optional)</label>
        <textarea id="retry-instruction" dir="auto" rows={2} value={instruction} placeholder={job.instruction} onChange={(e) => setInstruction(e.target.value)} />
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        <div className="actions">
          <button type="button" className="primary" disabled={!ready || saving} onClick={() => void create()}>
            Create retry intent
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

type JobDetail = OperationOutput<'jobs.show'>;
type AuditEntry = OperationOutput<'audit.list'>[number];
type ContentDiff = OperationOutput<'content.diff'>;

/** One job: what it was asked, where the request came from, what it wrote (as a readable diff), its retries and its audit trail. */
export function JobDetailView({ jobId }: { jobId: string }) {
  const notify = useStudio((s) => s.notify);
  const [detail, setDetail] = useState<JobDetail | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [diff, setDiff] = useState<JobDiff | null>(null);
  const [retrying, setRetrying] = useState(false);
  const load = useCallback(() => {
    call('jobs.show', { jobId }).then(setDetail, (error: Error) => notify('error', error.message));
    call('audit.list', { entityId: jobId, limit: 200 }).then(setAudit, () => setAudit([]));
  }, [jobId, notify]);
  useEffect(load, [load]);
  useJobEvents(load);
  const job = detail?.job;
  useEffect(() => {
    if (!job?.outputItemId) return;
    if (job.targetKind === 'syllabus') call('syllabus.diff', { fromId: job.targetItemId, toId: job.outputItemId }).then((d) => setDiff({ from: d.from, to: d.to, changes: d.readable ?? [] }), () => setDiff(null));
    else call('content.diff', { fromId: job.targetItemId, toId: job.outputItemId }).then(setDiff, () => setDiff(null));
  }, [job?.targetKind, job?.targetItemId, job?.outputItemId]);

  async function execute(intentId: string) {
    try {
      const result = await call('retryIntents.execute', { intentId });
      notify('info', `Retry running as ${result.job.id}.`);
      navigate({ name: 'job', jobId: result.job.id });
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  if (!detail || !job) return <p className="muted">Loading…</p>;
  return (
    <section aria-labelledby="job-heading" className="jobs-view">
      <div className="page-head">
        <h1 id="job-heading">
          Job {job.id} <StatusBadge status={job.status} />
        </h1>
        <a className="button" href={href({ name: 'jobs' })}>
          All jobs
        </a>
      </div>
      <dl className="job-facts">
        <dt>Target</dt>
        <dd>
          <a href={versionHref(job, job.targetItemId)}>{describeTarget(job)}</a>{' '}
          · <a href={href({ name: 'lineage', id: job.targetItemId })}>where this version came from</a>
        </dd>
        <dt>Instruction</dt>
        <dd dir="auto">{job.instruction || 'a fresh answer to the same request'}</dd>
        <dt>Source</dt>
        <dd>
          {job.source.type === 'suggestion' ? (
            <>
              <a href={href({ name: 'suggestions', status: 'all', courseId: job.courseId })}>suggestion {job.source.suggestionId}</a>
              {job.source.signalId ? ` for signal ${job.source.signalId}` : ''}
            </>
          ) : job.source.type === 'retry' ? (
            <>
              retry of <a href={href({ name: 'job', jobId: job.source.retryOfJobId })}>{job.source.retryOfJobId}</a>
            </>
          ) : (
            `a request by ${job.createdBy}`
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          {new Date(job.createdAt).toLocaleString()} by <span dir="auto">{job.createdBy}</span>
          {job.triggeredBy ? ` · triggered by ${job.triggeredBy}` : ''}
        </dd>
        {job.error && (
          <>
            <dt>Error</dt>
            <dd className="field-error" data-testid="job-error">
              {job.error}
            </dd>
          </>
        )}
        {job.outputItemId && (
          <>
            <dt>New version</dt>
            <dd>
              <a href={versionHref(job, job.outputItemId)}>{job.outputItemId}</a> (a draft, waiting for review)
            </dd>
          </>
        )}
      </dl>
      {job.status === 'FAILED' && (
        <button type="button" onClick={() => setRetrying(true)}>
          Create retry intent…
        </button>
      )}
      {job.outputItemId && (
        <section aria-labelledby="job-diff-heading">
          <h2 id="job-diff-heading">What the job changed</h2>
          {!diff ? <p className="muted">Comparing…</p> : diff.changes.length === 0 ? <p className="empty">The new version says the same.</p> : <ReadableChanges changes={diff.changes} caption={`${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'} from v${diff.from.version} to v${diff.to.version}`} />}
        </section>
      )}
      {(detail.chain.length > 1 || detail.retryIntents.length > 0) && (
        <section aria-labelledby="job-chain-heading">
          <h2 id="job-chain-heading">Retries</h2>
          <ol className="job-chain">
            {detail.chain.map((j) => (
              <li key={j.id}>
                {j.id === job.id ? <strong>{j.id}</strong> : <a href={href({ name: 'job', jobId: j.id })}>{j.id}</a>} <StatusBadge status={j.status} />
              </li>
            ))}
          </ol>
          <ul className="job-chain">
            {detail.retryIntents.map((intent) => (
              <li key={intent.id}>
                Retry intent {intent.id} for {intent.jobId}: {retryReasonLabels[intent.reasonCode]} — <span dir="auto">{intent.reasonText}</span> <StatusBadge status={intent.status} />
                {intent.status === 'PENDING' && (
                  <button type="button" className="primary" onClick={() => void execute(intent.id)}>
                    Run the retry
                  </button>
                )}
              </li>
            ))}
          </ul>
          <p className="muted small">{detail.retriesLeft} retr{detail.retriesLeft === 1 ? 'y' : 'ies'} left for this chain.</p>
        </section>
      )}
      <section aria-labelledby="job-audit-heading">
        <h2 id="job-audit-heading">Audit trail</h2>
        <ol className="job-audit" data-testid="job-audit">
          {audit.map((entry) => (
            <li key={entry.id}>
              <span className="nowrap">{new Date(entry.at).toLocaleString()}</span> · <code>{entry.action}</code> by <span dir="auto">{entry.actor}</span>
            </li>
          ))}
        </ol>
      </section>
      {retrying && (
        <RetryIntentDialog
          job={job}
          onCancel={() => setRetrying(false)}
          onCreated={(message) => {
            setRetrying(false);
            notify('info', message);
            load();
          }}
        />
      )}
    </section>
  );
}
