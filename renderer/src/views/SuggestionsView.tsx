import { useCallback, useEffect, useId, useState } from 'react';
import type { AnalyticsSignal } from '../../../schemas/analytics.js';
import type { Course } from '../../../schemas/course.js';
import type { StudioSuggestion } from '../../../schemas/studio-analytics.js';
import { call } from '../api/client.js';
import { evidenceLabels, lessonNumber, optionLetter, signalLabels, suggestionKindLabels } from '../analytics-words.js';
import { FlagBadges } from '../components/analytics/AnalyticsFigure.js';
import { href, navigate, type SuggestionStatusFilter } from '../router.js';
import { useStudio } from '../store.js';
import { useSuggestionCount } from '../suggestion-count.js';
import './AnalyticsView.css';
import '../review.css';

const statusChoices: Array<{ status: SuggestionStatusFilter; label: string }> = [
  { status: 'OPEN', label: 'Open' },
  { status: 'ACCEPTED', label: 'Accepted' },
  { status: 'DISMISSED', label: 'Dismissed' },
  { status: 'all', label: 'All' },
];

/** The evidence behind a suggestion comes from its signal, which the course's analytics for that version carry. */
async function signalsFor(suggestions: StudioSuggestion[]): Promise<Map<string, AnalyticsSignal>> {
  const versions = new Map<string, { courseId: string; packageVersion: number }>();
  for (const s of suggestions) versions.set(`${s.target.courseId}/${s.target.packageVersion}`, { courseId: s.target.courseId, packageVersion: s.target.packageVersion });
  const found = new Map<string, AnalyticsSignal>();
  await Promise.all(
    [...versions.values()].map(async (v) => {
      // A course missing from this studio has no analytics to show; its suggestions still list their rationale.
      const analytics = await call('analytics.course', v).catch(() => null);
      for (const signal of analytics?.signals ?? []) found.set(signal.id, signal);
    }),
  );
  return found;
}

const formatEvidence = (key: string, value: number) => {
  const label = evidenceLabels[key] ?? key;
  const shown = /Rate$|^facility$|Share$/.test(key) && value >= 0 && value <= 1 ? `${(value * 100).toFixed(1)}%` : Number.isInteger(value) ? String(value) : value.toFixed(2);
  return { label, shown };
};

/** Where a suggestion points, as a designer names it. */
function targetText(s: StudioSuggestion): string {
  const t = s.target;
  const lesson = lessonNumber(t.lessonIndex);
  const parts = [`package v${t.packageVersion}`];
  if (t.kind === 'course') return `The whole course, ${parts[0]}`;
  if (t.kind === 'lesson') return `${lesson}, ${parts[0]}`;
  if (t.kind === 'quiz') return `Quiz of ${lesson}, ${parts[0]}`;
  const question = s.link?.questionId ?? t.questionId;
  return `A question${question ? ` (${question})` : ''} in the quiz of ${lesson}${t.kind === 'option' && t.optionIndex !== null ? `, option ${optionLetter(t.optionIndex)}` : ''}, ${parts[0]}`;
}

/**
 * Content suggestions made from learner analytics: the evidence and rationale for each, accepted
 * or dismissed with a reason. A decision goes to the hosted server when it answers and waits in
 * the outbox when it does not; nothing here changes content.
 */
export function SuggestionsView({ courseId, status = 'OPEN' }: { courseId?: string | undefined; status?: SuggestionStatusFilter | undefined }) {
  const notify = useStudio((s) => s.notify);
  const refreshCount = useSuggestionCount((s) => s.refresh);
  const [suggestions, setSuggestions] = useState<StudioSuggestion[] | null>(null);
  const [signals, setSignals] = useState<Map<string, AnalyticsSignal>>(new Map());
  const [courses, setCourses] = useState<Course[]>([]);
  const [dismissing, setDismissing] = useState<StudioSuggestion | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await call('suggestions.list', { ...(courseId ? { courseId } : {}), ...(status !== 'all' ? { status } : {}) });
      // Shown together, so a card never appears first without its evidence.
      const evidence = await signalsFor(list);
      setSignals(evidence);
      setSuggestions(list);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    refreshCount();
  }, [courseId, status, notify, refreshCount]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    call('courses.list', {}).then(setCourses, () => setCourses([]));
  }, []);

  async function decide(suggestion: StudioSuggestion, decision: { accept: true } | { reason: string }) {
    setBusy(suggestion.id);
    try {
      const result = 'accept' in decision ? await call('suggestions.accept', { id: suggestion.id }) : await call('suggestions.dismiss', { id: suggestion.id, reason: decision.reason });
      // Accepting also creates the suggestion's regeneration job, pending on the Jobs page until someone
      // triggers it; the host's message names the job (or says why none was made).
      notify('info', result.message);
      setDismissing(null);
      await load();
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const courseTitle = courses.find((c) => c.id === courseId)?.title;
  return (
    <section aria-labelledby="suggestions-heading" className="suggestions">
      <div className="page-head">
        <div className="min0">
          <h1 id="suggestions-heading">Suggestions</h1>
          <p className="muted">Fixes suggested by learner analytics. Accepting creates a regeneration job that waits on the Jobs page until someone triggers it; dismissing needs a reason. Neither changes content by itself.</p>
        </div>
      </div>
      <div className="review-filters panel">
        <div className="chips" role="group" aria-label="Status">
          {statusChoices.map((choice) => (
            <button key={choice.status} type="button" aria-pressed={status === choice.status} onClick={() => navigate({ name: 'suggestions', status: choice.status, ...(courseId ? { courseId } : {}) })}>
              {choice.label}
            </button>
          ))}
        </div>
        <div className="field suggestion-course-filter">
          <label htmlFor="suggestion-course">Course</label>
          <select id="suggestion-course" value={courseId ?? ''} onChange={(e) => navigate({ name: 'suggestions', status, ...(e.target.value ? { courseId: e.target.value } : {}) })}>
            <option value="">All courses</option>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
      </div>

      {!suggestions ? (
        <p className="muted">Loading…</p>
      ) : suggestions.length === 0 ? (
        <p className="empty" data-testid="suggestions-empty">
          {status === 'OPEN' ? 'No open suggestions' : status === 'all' ? 'No suggestions' : `No ${status.toLowerCase()} suggestions`}
          {courseTitle ? ` for “${courseTitle}”` : ''}. Suggestions arrive with learner analytics: publish a package, then run <code>coursewright sync</code>.
        </p>
      ) : (
        <ul className="card-list" data-testid="suggestion-list" aria-label="Suggestions">
          {suggestions.map((s) => (
            <SuggestionCard key={s.id} suggestion={s} signal={signals.get(s.signalId)} busy={busy === s.id} onAccept={() => decide(s, { accept: true })} onDismiss={() => setDismissing(s)} />
          ))}
        </ul>
      )}

      {dismissing && <DismissDialog suggestion={dismissing} onDismiss={(reason) => decide(dismissing, { reason })} onCancel={() => setDismissing(null)} />}
    </section>
  );
}

function SuggestionCard({ suggestion: s, signal, busy, onAccept, onDismiss }: { suggestion: StudioSuggestion; signal: AnalyticsSignal | undefined; busy: boolean; onAccept: () => void; onDismiss: () => void }) {
  const headingId = useId();
  const undecided = s.status === 'OPEN' && !s.delivery;
  const questionLink = s.link?.quizItemId ? href({ name: 'content', courseId: s.target.courseId, itemId: s.link.quizItemId, ...(s.link.questionId ? { questionId: s.link.questionId } : {}) }) : null;
  const evidence = signal ? Object.entries(signal.evidence).filter((entry): entry is [string, number] => typeof entry[1] === 'number') : [];
  return (
    <li className="card suggestion-card" aria-labelledby={headingId} data-testid="suggestion">
      <h2 id={headingId} className="card-title suggestion-title">
        {suggestionKindLabels[s.kind]} <FlagBadges flags={[s.signalType]} labels={signalLabels} />
      </h2>
      <p className="card-meta" dir="auto">
        {s.courseTitle ? `${s.courseTitle} · ` : ''}
        {targetText(s)}
      </p>
      <p className="suggestion-rationale" dir="auto">
        <strong>Why: </strong>
        {s.rationale}
      </p>
      {evidence.length > 0 && (
        <div className="suggestion-evidence">
          <strong>Evidence</strong>
          <dl>
            {evidence.map(([key, value]) => {
              const { label, shown } = formatEvidence(key, value);
              return (
                <div key={key}>
                  <dt>{label}</dt>
                  <dd>{shown}</dd>
                </div>
              );
            })}
          </dl>
          {signal && <p className="muted small">From the {signal.day} analytics ({signal.severity}).</p>}
        </div>
      )}
      <details>
        <summary>Instruction for a regeneration</summary>
        <p dir="auto">{s.draftInstruction}</p>
      </details>
      <p className="small suggestion-state">
        <DecisionState suggestion={s} />
      </p>
      <div className="card-actions">
        {undecided && (
          <>
            <button type="button" className="primary" onClick={onAccept} disabled={busy}>
              Accept and create job
            </button>
            <button type="button" onClick={onDismiss} disabled={busy}>
              Dismiss…
            </button>
          </>
        )}
        {questionLink && (
          <a className="button" href={questionLink}>
            Open the question
          </a>
        )}
        <a className="button" href={href({ name: 'analytics', courseId: s.target.courseId, version: s.target.packageVersion })}>
          Analytics of v{s.target.packageVersion}
        </a>
      </div>
    </li>
  );
}

function DecisionState({ suggestion: s }: { suggestion: StudioSuggestion }) {
  const d = s.delivery;
  if (d) {
    const what = d.decision === 'accept' ? 'Accepted' : 'Dismissed';
    const by = `${what} by ${d.decidedBy}, ${new Date(d.decidedAt).toLocaleString()}${d.reason ? `: “${d.reason}”` : ''}.`;
    if (d.state === 'delivered') return <>{by} The server has the decision.</>;
    if (d.state === 'refused') return <>{by} The server refused it{d.lastError ? `: ${d.lastError}` : ''}.</>;
    return (
      <>
        {by} Waiting in the outbox for the server{d.attempts > 0 ? ` (tried ${d.attempts} ${d.attempts === 1 ? 'time' : 'times'}${d.lastError ? `; ${d.lastError}` : ''})` : ''}.
      </>
    );
  }
  if (s.status === 'OPEN') return <span className="badge">open</span>;
  return (
    <>
      {s.status === 'ACCEPTED' ? 'Accepted' : 'Dismissed'}
      {s.decidedBy ? ` by ${s.decidedBy}` : ''}
      {s.decidedAt ? `, ${new Date(s.decidedAt).toLocaleString()}` : ''}
      {s.dismissReason ? `: “${s.dismissReason}”` : ''}.
    </>
  );
}

/** Dismissing needs a reason: an empty one is refused here with the reason why, and by the host again. */
function DismissDialog({ suggestion, onDismiss, onCancel }: { suggestion: StudioSuggestion; onDismiss: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!reason.trim()) return setError('Write a reason for dismissing: what you checked and why the content needs no change.');
    onDismiss(reason.trim());
  };
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="dismiss-heading" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="dismiss-heading">Dismiss “{suggestionKindLabels[suggestion.kind]}”</h2>
        <p dir="auto">{suggestion.rationale}</p>
        <div className={`field${error ? ' invalid' : ''}`}>
          <label htmlFor="dismiss-reason">Reason (required)</label>
          <textarea
            id="dismiss-reason"
            dir="auto"
            autoFocus
            rows={3}
            value={reason}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'dismiss-reason-error' : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim()) setError(null);
            }}
          />
          {error && (
            <p id="dismiss-reason-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="button" className="primary" onClick={submit}>
            Dismiss
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
