import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import {
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  duplicateLesson,
  duplicateModule,
  lessonStep,
  moveLesson,
  moveModule,
  type OutlineEditResult,
  type PrerequisiteChoice,
} from '../../../core/syllabus/outline-edit.js';
import { formatMinutes, timeBudgetTotals } from '../../../core/syllabus/time-budget.js';
import type { StudioEvent, SyllabusDiff } from '../../../schemas/api.js';
import type { Course } from '../../../schemas/course.js';
import type { Syllabus, SyllabusVersion, SyllabusWarning } from '../../../schemas/syllabus.js';
import { call, client, StudioCallError } from '../api/client.js';
import { DecisionDialog } from '../components/DecisionDialog.js';
import { DiffView } from '../components/DiffView.js';
import { ItemForm } from '../components/ItemForm.js';
import { JsonViewer } from '../components/JsonViewer.js';
import { ReviewComments } from '../components/ReviewComments.js';
import { Outline, type OutlineActions, type Selection } from '../components/Outline.js';
import { MoveToModuleDialog, OutlineConfirmDialog } from '../components/OutlineDialogs.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { describeIssueLocation } from '../issue-location.js';
import { href, navigate, type OutlineFocus } from '../router.js';
import { useEditor, useStudio } from '../store.js';

const MonacoJsonEditor = lazy(() => import('../components/MonacoJsonEditor.js').then((m) => ({ default: m.MonacoJsonEditor })));

type Tab = 'outline' | 'json' | 'history' | 'raw';
type Progress = Extract<StudioEvent, { type: 'syllabus.generation' }>;
/** An outline change, run against the draft as it is when it runs (a dialog may sit in between). */
type OutlineOperation = (syllabus: Syllabus, choice: PrerequisiteChoice) => OutlineEditResult;
interface OutlineQuestion {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  run: () => void;
}
const autosaveEveryMs = 3000;

export function Workspace({ courseId, versionId, focus }: { courseId: string; versionId?: string | undefined; focus?: OutlineFocus | undefined }) {
  const notify = useStudio((s) => s.notify);
  const editor = useEditor();
  const [course, setCourse] = useState<Course | null>(null);
  const [versions, setVersions] = useState<SyllabusVersion[] | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [tab, setTab] = useState<Tab>('outline');
  const [progress, setProgress] = useState<Progress[]>([]);
  const [runId, setRunId] = useState<string | null>(null);
  const [liveWarnings, setLiveWarnings] = useState<SyllabusWarning[] | null>(null);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [restore, setRestore] = useState<{ content: string; savedAt: string } | null>(null);
  const [compareWith, setCompareWith] = useState<string>('');
  const [diff, setDiff] = useState<z.infer<typeof SyllabusDiff> | null>(null);
  const [decision, setDecision] = useState<null | 'approve' | 'reject'>(null);
  const [jsonText, setJsonText] = useState<string | null>(null);
  const [question, setQuestion] = useState<OutlineQuestion | null>(null);
  const [movingLesson, setMovingLesson] = useState<string | null>(null);
  const [outlineFocus, setOutlineFocus] = useState(0);

  const current = useMemo(() => versions?.find((v) => v.id === versionId) ?? versions?.at(-1), [versions, versionId]);
  const editable = current?.status === 'DRAFT' || current?.status === 'REJECTED';
  const autosaveKey = current ? `syllabus:${current.id}` : null;

  const reload = useCallback(async () => {
    try {
      const [c, v] = await Promise.all([call('courses.get', { courseId }), call('syllabus.list', { courseId })]);
      setCourse(c);
      setVersions(v);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }, [courseId, notify]);
  useEffect(() => void reload(), [reload]);

  // Load the selected version into the editor, and offer any unsaved work kept for it.
  useEffect(() => {
    if (!current) return;
    editor.load(current.id, current.syllabus);
    setLiveWarnings(null);
    setInvalid([]);
    setDiff(null);
    setJsonText(null);
    setRestore(null);
    setSelection((s) => s ?? (current.syllabus.modules[0]?.lessons[0] ? { kind: 'lesson', moduleId: current.syllabus.modules[0].id, lessonId: current.syllabus.modules[0].lessons[0].id } : null));
    call('autosave.get', { key: `syllabus:${current.id}` }).then((saved) => {
      if (saved && saved.content !== JSON.stringify(current.syllabus)) setRestore({ content: saved.content, savedAt: saved.savedAt });
    }, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.id]);

  // A link to one module or lesson (a search hit) opens the editor on it.
  useEffect(() => {
    if (!current || !focus) return;
    for (const m of current.syllabus.modules) {
      const lesson = focus.kind === 'lesson' ? m.lessons.find((l) => l.id === focus.id) : undefined;
      if (lesson) return setSelection({ kind: 'lesson', moduleId: m.id, lessonId: lesson.id });
      if (focus.kind === 'module' && m.id === focus.id) return setSelection({ kind: 'module', moduleId: m.id });
    }
  }, [current, focus?.kind, focus?.id]);

  const saveWorkInProgress = useCallback(async () => {
    const { draft, dirty, versionId: editing } = useEditor.getState();
    if (!dirty || !draft || !editing || !editable || editing !== current?.id) return;
    try {
      await call('autosave.put', { key: `syllabus:${editing}`, content: JSON.stringify(draft) });
    } catch (error) {
      notify('error', `Autosave failed: ${(error as Error).message}`);
    }
  }, [editable, current?.id, notify]);

  useEffect(() => {
    const timer = setInterval(saveWorkInProgress, autosaveEveryMs);
    window.addEventListener('blur', saveWorkInProgress);
    return () => {
      clearInterval(timer);
      window.removeEventListener('blur', saveWorkInProgress);
    };
  }, [saveWorkInProgress]);

  // Lint while editing, a moment after the typing stops.
  useEffect(() => {
    if (!editor.draft) return;
    // Back to the saved version (every change undone): its own checks and warnings apply again.
    if (!editor.dirty) {
      setInvalid([]);
      setLiveWarnings(null);
      return;
    }
    const draft = editor.draft;
    const timer = setTimeout(() => {
      call('syllabus.lint', { courseId, syllabus: draft }).then(
        (result) => {
          setInvalid(result.issues);
          if (result.valid) setLiveWarnings(result.warnings);
        },
        () => {},
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [editor.draft, editor.dirty, courseId]);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'syllabus.generation' && event.courseId === courseId) setProgress((p) => (event.runId === p[0]?.runId || p.length === 0 ? [...p, event] : [event]));
      }),
    [courseId],
  );

  async function generate() {
    const id = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    setRunId(id);
    setProgress([]);
    try {
      const version = await call('syllabus.generate', { courseId, runId: id });
      notify('info', `Draft v${version.version} generated.`);
      await reload();
      navigate({ name: 'course', courseId, versionId: version.id });
    } catch (error) {
      // Cancelling is the designer's own choice, not a failure to alarm them about.
      notify(error instanceof StudioCallError && error.code === 'CANCELLED' ? 'info' : 'error', (error as Error).message);
    } finally {
      setRunId(null);
    }
  }

  async function act(label: string, run: () => Promise<SyllabusVersion>) {
    try {
      const version = await run();
      notify('info', `${label}: v${version.version}.`);
      await reload();
      navigate({ name: 'course', courseId, versionId: version.id });
      return version;
    } catch (error) {
      notify('error', (error as Error).message);
      return null;
    }
  }

  async function saveAsNewVersion() {
    if (!current || !editor.draft) return;
    const key = `syllabus:${current.id}`;
    const saved = await act('Saved as new version', () => call('syllabus.edit', { versionId: current.id, syllabus: editor.draft }));
    if (saved) {
      editor.markSaved();
      await call('autosave.clear', { key }).catch(() => {});
    }
  }

  async function decide(text: string) {
    if (!current || !decision) return;
    const ok = await act(decision === 'approve' ? 'Approved' : 'Rejected', () =>
      decision === 'approve' ? call('syllabus.approve', { versionId: current.id, ...(text.trim() ? { note: text.trim() } : {}) }) : call('syllabus.reject', { versionId: current.id, reason: text }),
    );
    if (ok) setDecision(null);
  }

  useEffect(() => {
    if (!compareWith || !current) return setDiff(null);
    call('syllabus.diff', { fromId: compareWith, toId: current.id }).then(setDiff, (error: Error) => notify('error', error.message));
  }, [compareWith, current, notify]);

  function onEditorKeys(event: KeyboardEvent) {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || !editable) return;
    event.preventDefault();
    if (event.shiftKey) editor.redo();
    else editor.undo();
  }

  /** Puts a finished outline change into the editor (one undo step) and selects what it made or moved. */
  function commitOutline(result: Extract<OutlineEditResult, { ok: true }>, focus: 'row' | 'title') {
    editor.replace(result.syllabus);
    const { moduleId, lessonId } = result.place;
    setSelection(lessonId ? { kind: 'lesson', moduleId, lessonId } : { kind: 'module', moduleId });
    if (result.droppedPrerequisites.length) {
      notify('info', `Dropped ${result.droppedPrerequisites.map((d) => `‘${d.prerequisiteTitle}’ from the prerequisites of ‘${d.lessonTitle}’`).join('; ')}.`);
    }
    if (focus === 'title') requestAnimationFrame(() => (document.getElementById(lessonId ? 'lesson-title' : 'module-title') as HTMLInputElement | null)?.select());
    else setOutlineFocus((n) => n + 1);
  }

  /**
   * Runs an outline change; a change that would break a prerequisite first asks whether to drop
   * it, naming the lessons; a refused one says why.
   */
  function runOutlineEdit(operation: OutlineOperation, verb: string, focus: 'row' | 'title' = 'row') {
    const syllabus = useEditor.getState().draft;
    if (!syllabus || !editable) return;
    const result = operation(syllabus, {});
    if (result.ok) return commitOutline(result, focus);
    if (result.reason === 'refused') return notify('error', result.message);
    const several = result.broken.length > 1;
    setQuestion({
      title: several ? 'This breaks prerequisites' : 'This breaks a prerequisite',
      body: (
        <>
          <p>{result.message}</p>
          <p>A lesson’s prerequisites must come earlier in the course. Drop {several ? 'these prerequisites' : 'this prerequisite'} and {verb} anyway?</p>
        </>
      ),
      confirmLabel: `Drop ${several ? 'prerequisites' : 'prerequisite'} and ${verb}`,
      run: () => {
        const latest = useEditor.getState().draft;
        const again = latest ? operation(latest, { dropBrokenPrerequisites: true }) : null;
        setQuestion(null);
        if (again?.ok) commitOutline(again, 'row');
        else if (again) notify('error', again.message);
      },
    });
  }

  const outlineActions: OutlineActions = {
    addModule: () => {
      const after = selection ? (useEditor.getState().draft?.modules.findIndex((m) => m.id === selection.moduleId) ?? -1) + 1 : undefined;
      runOutlineEdit((s) => addModule(s, after ? { at: after } : {}), 'add', 'title');
    },
    addLesson: (near) =>
      runOutlineEdit(
        (s) => {
          const module = s.modules.find((m) => m.id === near?.moduleId) ?? s.modules.at(-1)!;
          const at = near?.kind === 'lesson' ? module.lessons.findIndex((l) => l.id === near.lessonId) + 1 : module.lessons.length;
          return addLesson(s, module.id, { at });
        },
        'add',
        'title',
      ),
    duplicate: (item) => runOutlineEdit((s) => (item.kind === 'lesson' ? duplicateLesson(s, item.lessonId) : duplicateModule(s, item.moduleId)), 'duplicate'),
    step: (item, direction) => {
      const syllabus = useEditor.getState().draft;
      if (!syllabus || !editable) return;
      const edge = direction === -1 ? 'first' : 'last';
      if (item.kind === 'module') {
        const index = syllabus.modules.findIndex((m) => m.id === item.moduleId);
        const to = index + direction;
        if (to < 0 || to >= syllabus.modules.length) return notify('info', `‘${syllabus.modules[index]?.title}’ is already the ${edge} module.`);
        return runOutlineEdit((s, c) => moveModule(s, item.moduleId, to, c), 'move');
      }
      const to = lessonStep(syllabus, item.lessonId, direction);
      if (!to) return notify('info', `That is already the ${edge} lesson of the course.`);
      runOutlineEdit((s, c) => moveLesson(s, item.lessonId, to.toModuleId, to.toIndex, c), 'move');
    },
    moveToModule: (item) => setMovingLesson(item.lessonId),
    drop: (dragged, target) => {
      if (dragged.kind === 'module') {
        return runOutlineEdit((s, c) => moveModule(s, dragged.moduleId, s.modules.findIndex((m) => m.id === target.moduleId), c), 'move');
      }
      if (target.kind === 'lesson' && target.lessonId === dragged.lessonId) return;
      runOutlineEdit((s, c) => {
        const module = s.modules.find((m) => m.id === target.moduleId);
        const toIndex = target.kind === 'lesson' ? (module?.lessons.findIndex((l) => l.id === target.lessonId) ?? 0) : (module?.lessons.length ?? 0);
        return moveLesson(s, dragged.lessonId, target.moduleId, toIndex, c);
      }, 'move');
    },
    remove: (item) => {
      const syllabus = useEditor.getState().draft;
      if (!syllabus || !editable) return;
      const module = syllabus.modules.find((m) => m.id === item.moduleId);
      const lesson = item.kind === 'lesson' ? module?.lessons.find((l) => l.id === item.lessonId) : undefined;
      const operation: OutlineOperation = (s, c) => (item.kind === 'lesson' ? deleteLesson(s, item.lessonId, c) : deleteModule(s, item.moduleId, c));
      const preview = operation(syllabus, {});
      if (!preview.ok && preview.reason === 'refused') return notify('error', preview.message);
      const broken = preview.ok ? null : preview;
      const noun = item.kind === 'lesson' ? 'lesson' : 'module';
      setQuestion({
        title: `Delete ${noun} ‘${item.kind === 'lesson' ? lesson?.title : module?.title}’?`,
        danger: true,
        body: (
          <>
            <p>
              {item.kind === 'lesson'
                ? 'The lesson and its objectives leave this draft.'
                : `The module and its ${module?.lessons.length ?? 0} lesson${module?.lessons.length === 1 ? '' : 's'} leave this draft.`}{' '}
              Undo (Ctrl+Z) brings {item.kind === 'lesson' ? 'it' : 'them'} back until you leave; saved versions keep {item.kind === 'lesson' ? 'it' : 'them'}.
            </p>
            {broken && (
              <p>
                <strong>{broken.message}</strong> Deleting also drops {broken.broken.length > 1 ? 'these prerequisites' : 'this prerequisite'}.
              </p>
            )}
          </>
        ),
        confirmLabel: broken ? `Drop ${broken.broken.length > 1 ? 'prerequisites' : 'prerequisite'} and delete` : `Delete ${noun}`,
        run: () => {
          const latest = useEditor.getState().draft;
          const done = latest ? operation(latest, { dropBrokenPrerequisites: true }) : null;
          setQuestion(null);
          if (done?.ok) commitOutline(done, 'row');
          else if (done) notify('error', done.message);
        },
      });
    },
  };

  const editingDraft = editor.versionId === current?.id ? editor.draft : null;
  // Counted once per change of the draft, so the outline rows (keyed on these totals) are not rebuilt on every render.
  const budgetHours = course?.intent.timeBudgetHours;
  const totals = useMemo(() => (editingDraft && budgetHours !== undefined ? timeBudgetTotals(editingDraft, budgetHours) : null), [editingDraft, budgetHours]);

  if (!course || !versions) return <p className="muted">Loading…</p>;
  const draft = editingDraft;
  const warnings = liveWarnings ?? current?.warnings ?? [];
  const running = runId !== null;
  const lastProgress = progress.at(-1);

  return (
    <section className="workspace" aria-labelledby="course-heading">
      <div className="page-head">
        <div className="min0">
          <h1 id="course-heading" dir="auto">
            {course.title}
          </h1>
          <p className="muted" dir="auto">
            {course.intent.level} · {course.intent.timeBudgetHours} h · {course.intent.language} · for {course.intent.audience}
          </p>
        </div>
        <div className="actions">
          <button type="button" className={versions.length ? '' : 'primary'} onClick={generate} disabled={running}>
            {versions.length ? 'Generate a new draft' : 'Generate syllabus'}
          </button>
          <a className="button" href={href({ name: 'content', courseId })}>
            Content &amp; status
          </a>
          <a className="button" href={href({ name: 'preview', courseId })}>Preview as a learner</a>
          <a className="button" href={href({ name: 'analytics', courseId })}>Analytics</a>
          <a className="button" href={href({ name: 'audit', entityId: current?.id ?? course.id })}>
            Audit
          </a>
        </div>
      </div>

      {(running || (lastProgress && lastProgress.stage !== 'done')) && (
        <div className="panel progress" role="status" aria-live="polite" data-testid="generation-progress">
          <strong>{running ? 'Generating…' : lastProgress?.stage === 'failed' ? 'Generation failed' : lastProgress?.stage === 'cancelled' ? 'Generation cancelled' : ''}</strong>
          <ol>
            {progress.map((p, i) => (
              <li key={i}>
                {p.stage}
                {p.maxAttempts ? ` (attempt ${p.attempt} of ${p.maxAttempts})` : ''}: <span dir="auto">{p.message}</span>
              </li>
            ))}
          </ol>
          {running && (
            <button type="button" onClick={() => runId && call('syllabus.cancelGeneration', { runId })}>
              Cancel
            </button>
          )}
        </div>
      )}

      {versions.length === 0 ? (
        <p className="empty">No syllabus yet. “Generate syllabus” asks the model for a first draft from the intent.</p>
      ) : (
        <div className="workspace-grid">
          <aside className="versions" aria-label="Versions">
            <h2>Versions</h2>
            <ul>
              {[...versions].reverse().map((v) => (
                <li key={v.id}>
                  <a href={href({ name: 'course', courseId, versionId: v.id })} aria-current={v.id === current?.id ? 'true' : undefined} className={v.id === current?.id ? 'active' : ''}>
                    v{v.version} <StatusBadge status={v.status} />
                    <span className="muted small">{new Date(v.metadata.createdAt).toLocaleString()}</span>
                  </a>
                </li>
              ))}
            </ul>
          </aside>

          {current && draft && (
            <div className="editor-area min0" onKeyDown={onEditorKeys}>
              <div className="version-bar">
                <span>
                  v{current.version} <StatusBadge status={current.status} /> {current.metadata.provider}/{current.metadata.model}
                </span>
                <span className="actions">
                  {editable && (
                    <>
                      <button type="button" onClick={editor.undo} disabled={!editor.past.length} aria-keyshortcuts="Control+Z">
                        Undo
                      </button>
                      <button type="button" onClick={editor.redo} disabled={!editor.future.length} aria-keyshortcuts="Control+Shift+Z">
                        Redo
                      </button>
                      <button type="button" className="primary" onClick={saveAsNewVersion} disabled={!editor.dirty || invalid.length > 0}>
                        Save as new version
                      </button>
                    </>
                  )}
                  {current.status === 'DRAFT' && !editor.dirty && (
                    <button type="button" onClick={() => act('Submitted for review', () => call('syllabus.submit', { versionId: current.id }))}>
                      Submit for review
                    </button>
                  )}
                  {current.status === 'IN_REVIEW' && (
                    <>
                      <button type="button" className="primary" onClick={() => setDecision('approve')}>
                        Approve…
                      </button>
                      <button type="button" onClick={() => setDecision('reject')}>
                        Reject…
                      </button>
                    </>
                  )}
                  {(current.status === 'APPROVED' || current.status === 'REJECTED') && (
                    <button type="button" onClick={() => act('New draft started', () => call('syllabus.revise', { versionId: current.id }))}>
                      Create new version
                    </button>
                  )}
                </span>
              </div>
              {current.status === 'APPROVED' && (
                <p className="banner approved" data-testid="read-only-banner">
                  <span>
                    Approved by <bdi>{current.review.decidedBy}</bdi> on {new Date(current.review.decidedAt ?? '').toLocaleString()}
                    {current.review.note ? <> — “<bdi>{current.review.note}</bdi>”</> : null}. Approved versions are read-only; “Create new version” starts a draft from it.
                  </span>
                </p>
              )}
              {current.status === 'REJECTED' && (
                <p className="banner rejected">
                  <span>
                    Rejected by <bdi>{current.review.decidedBy}</bdi>: <bdi>{current.review.rejectionReason}</bdi>
                  </span>
                </p>
              )}
              {current.status === 'IN_REVIEW' && <p className="banner">In review: read-only until a reviewer decides.</p>}
              <ReviewComments key={`review-${current.id}`} itemId={current.id} showCurrentRejection={false} />
              {restore && editable && (
                <div className="banner restore" role="alert">
                  <span>Unsaved changes from {new Date(restore.savedAt).toLocaleString()} were kept for this version.</span>
                  <button
                    type="button"
                    className="primary"
                    onClick={() => {
                      editor.load(current.id, JSON.parse(restore.content) as Syllabus, true);
                      setRestore(null);
                    }}
                  >
                    Restore unsaved changes
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      call('autosave.clear', { key: autosaveKey! }).catch(() => {});
                      setRestore(null);
                    }}
                  >
                    Discard
                  </button>
                </div>
              )}
              {invalid.length > 0 && (
                <div className="banner rejected" role="alert">
                  Not valid yet: {invalid.slice(0, 4).map(describeIssueLocation).join('; ')}
                </div>
              )}

              {totals && <TimeBudgetLine totals={totals} />}

              <div role="tablist" aria-label="Views of this version" className="tabs">
                {(
                  [
                    ['outline', 'Outline & form'],
                    ['json', 'JSON editor'],
                    ['history', 'Compare versions'],
                    ['raw', 'Version record'],
                  ] as const
                ).map(([id, label]) => (
                  <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'active' : ''} onClick={() => setTab(id)}>
                    {label}
                  </button>
                ))}
              </div>

              {tab === 'outline' && (
                <div className="split" onBlur={saveWorkInProgress}>
                  <Outline
                    syllabus={draft}
                    warnings={warnings}
                    selection={selection}
                    onSelect={setSelection}
                    moduleMinutes={totals?.moduleMinutes}
                    editable={editable}
                    actions={outlineActions}
                    focusRequest={outlineFocus}
                  />
                  <div className="form-pane min0">
                    <ItemForm syllabus={draft} selection={selection} warnings={warnings} readOnly={!editable} onChange={editor.change} />
                    <CourseWarnings warnings={warnings} />
                  </div>
                </div>
              )}
              {tab === 'json' && (
                <Suspense fallback={<p className="muted">Loading the JSON editor…</p>}>
                  <MonacoJsonEditor
                    fileName={`syllabus-${current.id}.json`}
                    readOnly={!editable}
                    value={jsonText ?? JSON.stringify(draft, null, 2)}
                    onChange={(text) => {
                      setJsonText(text);
                      try {
                        editor.replace(JSON.parse(text) as Syllabus);
                      } catch {
                        setInvalid(['the JSON does not parse']);
                      }
                    }}
                  />
                </Suspense>
              )}
              {tab === 'history' && (
                <div>
                  <label htmlFor="compare-with">Compare v{current.version} with </label>
                  <select id="compare-with" value={compareWith} onChange={(e) => setCompareWith(e.target.value)}>
                    <option value="">choose a version…</option>
                    {versions
                      .filter((v) => v.id !== current.id)
                      .map((v) => (
                        <option key={v.id} value={v.id}>
                          v{v.version} ({v.status.toLowerCase()})
                        </option>
                      ))}
                  </select>
                  {diff && <DiffView diff={diff} />}
                </div>
              )}
              {tab === 'raw' && <JsonViewer value={current} name={`syllabus-v${current.version}`} />}
            </div>
          )}
        </div>
      )}

      {question && (
        <OutlineConfirmDialog
          title={question.title}
          confirmLabel={question.confirmLabel}
          danger={question.danger}
          onConfirm={question.run}
          onCancel={() => {
            setQuestion(null);
            setOutlineFocus((n) => n + 1);
          }}
        >
          {question.body}
        </OutlineConfirmDialog>
      )}
      {movingLesson && draft && (
        <MoveToModuleDialog
          syllabus={draft}
          lessonId={movingLesson}
          onCancel={() => {
            setMovingLesson(null);
            setOutlineFocus((n) => n + 1);
          }}
          onMove={(moduleId) => {
            setMovingLesson(null);
            runOutlineEdit((s, c) => moveLesson(s, movingLesson, moduleId, s.modules.find((m) => m.id === moduleId)?.lessons.length ?? 0, c), 'move');
          }}
        />
      )}
      {decision && current && <DecisionDialog kind={decision} subject={<>v{current.version}</>} onDecide={decide} onCancel={() => setDecision(null)} />}
    </section>
  );
}

/**
 * The course's minutes against the intent's time budget, for everyone looking at the version:
 * over budget is said in words ("Over budget by 1 h 10 min"), not only in colour.
 */
function TimeBudgetLine({ totals }: { totals: ReturnType<typeof timeBudgetTotals> }) {
  const over = totals.overByMinutes > 0;
  return (
    <div className={`budget ${over ? 'over' : ''}`} role="status" data-testid="time-budget">
      <span>
        Course total: <strong>{formatMinutes(totals.totalMinutes)} of {formatMinutes(totals.budgetMinutes)} budget</strong>
      </span>
      {over ? (
        <span className="over-by">⚠ Over budget by {formatMinutes(totals.overByMinutes)}</span>
      ) : (
        <span className="muted">{formatMinutes(totals.budgetMinutes - totals.totalMinutes)} left</span>
      )}
    </div>
  );
}

function CourseWarnings({ warnings }: { warnings: SyllabusWarning[] }) {
  const general = warnings.filter((w) => !w.lessonId && !w.moduleId);
  if (!general.length) return null;
  return (
    <div className="panel">
      <h3>Course-level notes</h3>
      <ul className="warnings">
        {general.map((w, i) => (
          <li key={i} className={w.severity}>
            <strong>{w.code}</strong> <span dir="auto">{w.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
