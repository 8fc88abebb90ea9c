import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { CourseLifecycle, StudioEvent } from '../../../schemas/api.js';
import type { ContentItem } from '../../../schemas/content.js';
import type { Course } from '../../../schemas/course.js';
import type { SyllabusVersion } from '../../../schemas/syllabus.js';
import { call, client } from '../api/client.js';
import { ContentHistory } from '../components/ContentHistory.js';
import { ContentPreview } from '../components/ContentPreview.js';
import { ContentEditor } from '../components/content-editor/ContentEditor.js';
import { DecisionDialog } from '../components/DecisionDialog.js';
import { JsonViewer } from '../components/JsonViewer.js';
import { ReviewComments } from '../components/ReviewComments.js';
import { LifecycleChecklist } from '../components/ReadinessList.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';

type Progress = Extract<StudioEvent, { type: 'content.generation' }>;
const current = (items: ContentItem[]) => items.filter((i) => i.status !== 'SUPERSEDED');

/** Lessons, quizzes and projects of the approved syllabus: generate, preview, review; and the course lifecycle. */
export function ContentView({ courseId, focusItemId, focusQuestionId }: { courseId: string; focusItemId?: string | undefined; focusQuestionId?: string | undefined }) {
  const notify = useStudio((s) => s.notify);
  const [course, setCourse] = useState<Course | null>(null);
  const [syllabus, setSyllabus] = useState<SyllabusVersion | null>(null);
  const [items, setItems] = useState<ContentItem[]>([]);
  const [lifecycle, setLifecycle] = useState<z.infer<typeof CourseLifecycle> | null>(null);
  const [scope, setScope] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [open, setOpen] = useState<ContentItem | null>(null);
  const [tab, setTab] = useState<'preview' | 'history' | 'json'>('preview');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [decision, setDecision] = useState<'approve' | 'reject' | 'regenerate' | null>(null);
  const [editing, setEditing] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [c, versions, list, status] = await Promise.all([call('courses.get', { courseId }), call('syllabus.list', { courseId }), call('content.list', { courseId }), call('course.status', { courseId })]);
      setCourse(c);
      setSyllabus(versions.filter((v) => v.status === 'APPROVED').at(-1) ?? null);
      setItems(list);
      setLifecycle(status);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }, [courseId, notify]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => client.onEvent((e) => e.type === 'content.generation' && e.courseId === courseId && setProgress(e)), [courseId]);

  const byTarget = useMemo(() => {
    const map = new Map<string, ContentItem>();
    for (const item of current(items).filter((i) => i.syllabusVersionId === syllabus?.id)) map.set(`${item.kind}:${item.targetId}`, item);
    return map;
  }, [items, syllabus]);

  async function generate() {
    const id = `content-${Date.now().toString(36)}`;
    setRunId(id);
    setProgress(null);
    try {
      const summary = await call('content.generate', { courseId, runId: id, ...(scope ? { moduleId: scope } : {}) });
      notify(summary.failed.length ? 'error' : 'info', `${summary.generated.length} generated, ${summary.skipped} already there, ${summary.failed.length} failed${summary.cancelled ? ' (cancelled: generate again to resume)' : ''}.`);
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setRunId(null);
      await reload();
    }
  }

  // A link to one item (a search hit) opens it here, and a quiz question is scrolled to.
  const focused = useRef<string | null>(null);
  useEffect(() => {
    if (!focusItemId || focused.current === `${focusItemId}/${focusQuestionId ?? ''}`) return;
    const item = items.find((i) => i.id === focusItemId);
    if (!item) return;
    focused.current = `${focusItemId}/${focusQuestionId ?? ''}`;
    void openItem(item).then(() => {
      const index = item.kind === 'quiz' && focusQuestionId ? (item.content as { questions: Array<{ id: string }> }).questions.findIndex((q) => q.id === focusQuestionId) : -1;
      requestAnimationFrame(() => {
        const question = index >= 0 ? document.querySelectorAll<HTMLElement>('.preview-pane fieldset.question')[index] : undefined;
        question?.classList.add('search-focus');
        (question ?? document.querySelector<HTMLElement>('.preview-pane'))?.scrollIntoView({ block: 'center' });
      });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, focusItemId, focusQuestionId]);

  async function openItem(item: ContentItem) {
    try {
      setOpen(await call('content.open', { itemId: item.id }));
      setEditing(false);
      setTab('preview');
      await reload();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  async function act(label: string, run: () => Promise<unknown>) {
    try {
      await run();
      notify('info', label);
      await reload();
      if (open) setOpen(await call('content.open', { itemId: open.id }).catch(() => null));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  async function decide(text: string) {
    if (!open || !decision) return;
    const target = open;
    setDecision(null);
    if (decision === 'approve') await act('Approved.', () => call('content.approve', { itemIds: [target.id], ...(text.trim() ? { note: text.trim() } : {}) }));
    if (decision === 'reject') await act('Rejected.', () => call('content.reject', { itemId: target.id, reason: text }));
    if (decision === 'regenerate') {
      try {
        const fresh = await call('content.regenerate', { itemId: target.id, ...(text.trim() ? { instruction: text.trim() } : {}) });
        notify('info', `New draft v${fresh.version} written.`);
        await reload();
        setOpen(await call('content.open', { itemId: fresh.id }));
      } catch (error) {
        notify('error', (error as Error).message);
      }
    }
  }

  if (!course || !lifecycle) return <p className="muted">Loading…</p>;
  const drafts = current(items).filter((i) => i.status === 'DRAFT' && i.syllabusVersionId === syllabus?.id);
  const selectable = [...selected].filter((id) => items.some((i) => i.id === id && i.status === 'IN_REVIEW'));

  return (
    <section aria-labelledby="content-heading">
      <div className="page-head">
        <div className="min0">
          <h1 id="content-heading" dir="auto">
            {course.title} · content
          </h1>
          <p className="muted">
            <a href={href({ name: 'course', courseId })}>Syllabus workspace</a> · <a href={href({ name: 'packages', courseId })}>Packages and exports</a> · <a href={href({ name: 'preview', courseId })}>Preview as a learner</a> · <a href={href({ name: 'analytics', courseId })}>Learner analytics</a>
            {syllabus ? ` · from approved syllabus v${syllabus.version}` : ''}
          </p>
        </div>
      </div>

      <div className="panel status-bar" data-testid="lifecycle">
        <span>
          Course status: <StatusBadge status={lifecycle.status} />
        </span>
        {lifecycle.transitions.map((t) => (
          <div key={t.to} className="transition">
            <button type="button" disabled={!t.allowed} onClick={() => act(`Course moved to ${t.to}.`, () => call('course.transition', { courseId, to: t.to }))}>
              Move to {t.to}
            </button>
            <LifecycleChecklist courseId={courseId} unmet={t.unmet} stamp={lifecycle} />
          </div>
        ))}
      </div>

      {!syllabus ? (
        <p className="empty">Content is written only from an approved syllabus. Approve a syllabus version in the workspace first.</p>
      ) : (
        <>
          <div className="actions panel">
            <label htmlFor="content-scope">Generate for</label>
            <select id="content-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">the whole course</option>
              {syllabus.syllabus.modules.map((m) => (
                <option key={m.id} value={m.id}>
                  module {m.index + 1}: {m.title}
                </option>
              ))}
            </select>
            <button type="button" className="primary" onClick={generate} disabled={runId !== null}>
              Generate missing content
            </button>
            {runId && (
              <button type="button" onClick={() => call('content.cancelGeneration', { runId })}>
                Cancel
              </button>
            )}
            <button type="button" disabled={!drafts.length} onClick={() => act(`Submitted ${drafts.length} draft(s).`, () => call('content.submit', { itemIds: drafts.map((d) => d.id) }))}>
              Submit all drafts ({drafts.length})
            </button>
            <button type="button" disabled={!selectable.length} onClick={() => act(`Approved ${selectable.length} item(s).`, () => call('content.approve', { itemIds: selectable })).then(() => setSelected(new Set()))}>
              Approve selected ({selectable.length})
            </button>
          </div>
          {progress && (
            <p className="panel" role="status" data-testid="content-progress">
              done {progress.done} · failed {progress.failed} · remaining {progress.remaining} · skipped {progress.skipped} · tokens {progress.tokens} — <span dir="auto">{progress.message}</span>
            </p>
          )}
          {editing && open && (
            <ContentEditor
              key={open.id}
              item={open}
              syllabus={syllabus}
              onClose={() => setEditing(false)}
              onSaved={async (saved) => {
                // The pane shows the saved version at once: an Edit clicked while the table reloads
                // must open the new draft, never the version it replaced.
                setEditing(false);
                setOpen(saved);
                setTab('history');
                notify('info', `Saved as draft v${saved.version}.`);
                await reload();
                const opened = await call('content.open', { itemId: saved.id }).catch(() => saved);
                setOpen((current) => (current?.id === saved.id ? opened : current));
              }}
            />
          )}
          <div className="content-grid" style={editing && open ? { display: 'none' } : undefined}>
            <table className="table content-table" data-testid="content-table">
              <thead>
                <tr>
                  <th scope="col">Lesson / module</th>
                  <th scope="col">Lesson</th>
                  <th scope="col">Quiz</th>
                  <th scope="col">Project</th>
                </tr>
              </thead>
              <tbody>
                {syllabus.syllabus.modules.flatMap((m) => [
                  <tr key={m.id} className="module-row">
                    <th scope="row" dir="auto">
                      {m.index + 1}. {m.title}
                    </th>
                    <td />
                    <td />
                    <td>
                      <Cell item={byTarget.get(`project:${m.id}`)} onOpen={openItem} selected={selected} setSelected={setSelected} />
                    </td>
                  </tr>,
                  ...m.lessons.map((l) => (
                    <tr key={l.id}>
                      <th scope="row" dir="auto" className="lesson-cell">
                        {m.index + 1}.{l.index + 1} {l.title}
                      </th>
                      <td>
                        <Cell item={byTarget.get(`lesson:${l.id}`)} onOpen={openItem} selected={selected} setSelected={setSelected} />
                      </td>
                      <td>
                        <Cell item={byTarget.get(`quiz:${l.id}`)} onOpen={openItem} selected={selected} setSelected={setSelected} />
                      </td>
                      <td />
                    </tr>
                  )),
                ])}
              </tbody>
            </table>
            {open && (
              <div className="panel preview-pane min0" aria-label="Content item">
                <div className="version-bar">
                  <span>
                    {open.kind} v{open.version} <StatusBadge status={open.status} />
                  </span>
                  <span className="actions">
                    {open.status === 'DRAFT' && (
                      <button type="button" onClick={() => act('Submitted for review.', () => call('content.submit', { itemIds: [open.id] }))}>
                        Submit
                      </button>
                    )}
                    {open.status === 'IN_REVIEW' && (
                      <>
                        <button type="button" className="primary" onClick={() => setDecision('approve')}>
                          Approve…
                        </button>
                        <button type="button" onClick={() => setDecision('reject')}>
                          Reject…
                        </button>
                      </>
                    )}
                    {open.status !== 'IN_REVIEW' && open.status !== 'SUPERSEDED' && (
                      <button type="button" onClick={() => setEditing(true)}>
                        Edit
                      </button>
                    )}
                    {open.status !== 'IN_REVIEW' && open.status !== 'SUPERSEDED' && (
                      <button type="button" onClick={() => setDecision('regenerate')}>
                        Regenerate…
                      </button>
                    )}
                    <a className="button" href={href({ name: 'lineage', id: open.id })}>
                      Where this came from
                    </a>
                  </span>
                </div>
                <div role="tablist" className="tabs" aria-label="Views of this item">
                  <button type="button" role="tab" aria-selected={tab === 'preview'} className={tab === 'preview' ? 'active' : ''} onClick={() => setTab('preview')}>
                    Learner preview
                  </button>
                  <button type="button" role="tab" aria-selected={tab === 'history'} className={tab === 'history' ? 'active' : ''} onClick={() => setTab('history')}>
                    Versions
                  </button>
                  <button type="button" role="tab" aria-selected={tab === 'json'} className={tab === 'json' ? 'active' : ''} onClick={() => setTab('json')}>
                    JSON
                  </button>
                </div>
                {tab === 'preview' && <ContentPreview item={open} />}
                {tab === 'history' && <ContentHistory key={open.id} item={open} versions={items.filter((i) => i.kind === open.kind && i.targetId === open.targetId && i.syllabusVersionId === open.syllabusVersionId)} />}
                {tab === 'json' && <JsonViewer value={open} name={`${open.kind}-${open.targetId}-v${open.version}`} />}
                <ReviewComments key={`review-${open.id}`} itemId={open.id} />
              </div>
            )}
          </div>
        </>
      )}
      {decision && open && <DecisionDialog kind={decision} subject={<>{open.kind} v{open.version}</>} onDecide={decide} onCancel={() => setDecision(null)} />}
    </section>
  );
}

function Cell({ item, onOpen, selected, setSelected }: { item: ContentItem | undefined; onOpen: (i: ContentItem) => void; selected: Set<string>; setSelected: (s: Set<string>) => void }) {
  if (!item) return <span className="muted small">not generated</span>;
  const reviewable = item.status === 'IN_REVIEW' && item.review.openedAt;
  return (
    <span className="cell">
      {reviewable && (
        <input
          type="checkbox"
          aria-label={`Select ${item.kind} ${item.targetId} for bulk approval`}
          checked={selected.has(item.id)}
          onChange={(e) => {
            const next = new Set(selected);
            if (e.target.checked) next.add(item.id);
            else next.delete(item.id);
            setSelected(next);
          }}
        />
      )}
      <button type="button" className="link" onClick={() => onOpen(item)}>
        v{item.version}
      </button>
      <StatusBadge status={item.status} />
    </span>
  );
}
