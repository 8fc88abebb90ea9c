import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { checkEditedContent, type ContentFieldIssue } from '../../../../core/content/edit-check.js';
import type { ContentItem, LessonContent, Project, Quiz } from '../../../../schemas/content.js';
import type { SyllabusVersion } from '../../../../schemas/syllabus.js';
import { client } from '../../api/client.js';
import { fieldId, setAt, useDraftHistory, type FieldPath } from './draft.js';
import type { FieldContext } from './fields.js';
import { LessonForm, ProjectForm, QuizForm } from './forms.js';
import './content-editor.css';

type Content = ContentItem['content'];

const autosaveEveryMs = 3000;
const kindTitle = { lesson: 'lesson', quiz: 'quiz', project: 'project' } as const;

/** The control to focus for an issue: the field itself, or the closest enclosing part the form shows. */
function focusTarget(path: FieldPath): HTMLElement | null {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const el = document.getElementById(fieldId(parts.slice(0, n).join('.')));
    if (el) return el;
  }
  return null;
}

/**
 * The structured editor for one lesson, quiz or project. It runs the same checks the host runs
 * (core/content/edit-check.ts) as the person types; saving sends the content to `content.edit`,
 * which makes it the next draft version. Work in progress is kept with `autosave.put` so a
 * closed window loses nothing, and offered back when the same version is opened again.
 */
export function ContentEditor({ item, syllabus, onSaved, onClose }: { item: ContentItem; syllabus: SyllabusVersion; onSaved: (saved: ContentItem) => void; onClose: () => void }) {
  const history = useDraftHistory<Content>(item.content);
  const { draft, change, undo, redo, reset, canUndo, canRedo } = history;
  const [touched, setTouched] = useState<Set<FieldPath>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [restore, setRestore] = useState<{ content: string; savedAt: string } | null>(null);
  const [hostIssues, setHostIssues] = useState<ContentFieldIssue[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const autosaveKey = `content:${item.id}`;
  const original = useMemo(() => JSON.stringify(item.content), [item.content]);
  const dirty = JSON.stringify(draft) !== original;
  const latest = useRef({ draft, dirty });
  latest.current = { draft, dirty };

  const checkAgainst = useMemo(() => ({ syllabus: syllabus.syllabus, syllabusVersionId: item.syllabusVersionId, targetId: item.targetId }), [item, syllabus]);
  // The checks run on the draft a moment after each keystroke, in a render React yields from, so
  // typing never waits for them; saving checks the draft as it is at that moment.
  const checkedDraft = useDeferredValue(draft);
  const check = useMemo(() => checkEditedContent(item.kind, checkedDraft, checkAgainst), [checkedDraft, item.kind, checkAgainst]);
  const issues = useMemo(() => (check.ok ? [] : check.issues), [check]);
  // The same errors as before keep the same map, and so the same field context: fields whose
  // value and error did not change are not re-rendered.
  const issueKey = issues.map((issue) => `${issue.path}\u0000${issue.message}`).join('\u0001');
  const issueByPath = useMemo(() => {
    const map = new Map<FieldPath, string>();
    for (const issue of issues) if (!map.has(issue.path)) map.set(issue.path, issue.message);
    return map;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the errors' content, not the array's identity
  }, [issueKey]);

  const ctx: FieldContext = useMemo(
    () => ({
      // A field shows its error once it was left or a save was tried, and the error goes as soon as the value is valid.
      errorOf: (path) => (submitted || touched.has(path) ? issueByPath.get(path) : undefined),
      set: (path, value) => {
        change(setAt(latest.current.draft, path, value), path);
        setMessage(null);
        setHostIssues(null);
      },
      touch: (path) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))),
    }),
    [submitted, touched, issueByPath, change],
  );

  // Offer unsaved work kept for this version.
  useEffect(() => {
    reset(item.content);
    setRestore(null);
    client.call('autosave.get', { key: autosaveKey }).then((result) => {
      if (result.ok && result.value && result.value.content !== JSON.stringify(item.content)) setRestore({ content: result.value.content, savedAt: result.value.savedAt });
    });
  }, [autosaveKey, item.content, reset]);

  const keepWorkInProgress = useCallback(async () => {
    if (!latest.current.dirty) return;
    const result = await client.call('autosave.put', { key: autosaveKey, content: JSON.stringify(latest.current.draft) });
    if (!result.ok) setMessage({ kind: 'error', text: `Autosave failed: ${result.error.message}` });
  }, [autosaveKey]);

  useEffect(() => {
    const timer = setInterval(keepWorkInProgress, autosaveEveryMs);
    window.addEventListener('blur', keepWorkInProgress);
    return () => {
      clearInterval(timer);
      window.removeEventListener('blur', keepWorkInProgress);
      void keepWorkInProgress();
    };
  }, [keepWorkInProgress]);

  async function save() {
    setSubmitted(true);
    setMessage(null);
    setHostIssues(null);
    const check = checkEditedContent(item.kind, draft, checkAgainst);
    if (!check.ok) {
      // The first field in error gets focus; fields the form does not show fall back to the summary.
      requestAnimationFrame(() => (focusTarget(check.issues[0]!.path) ?? summaryRef.current)?.focus());
      return;
    }
    setSaving(true);
    const result = await client.call('content.edit', { itemId: item.id, content: draft });
    setSaving(false);
    if (result.ok) {
      await client.call('autosave.clear', { key: autosaveKey });
      latest.current.dirty = false;
      onSaved(result.value);
      return;
    }
    const details = result.error.details as { issues?: ContentFieldIssue[]; unchanged?: boolean } | undefined;
    if (details?.unchanged) {
      setMessage({ kind: 'info', text: 'No changes to save: this is the same as the version you opened.' });
      return;
    }
    if (result.error.code === 'INVALID_INPUT' && details?.issues?.length) {
      setHostIssues(details.issues);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setMessage({ kind: 'error', text: result.error.message });
  }

  // Ctrl+Z / Ctrl+Shift+Z anywhere in the editor, and on the page itself (where focus lands when an
  // undo removes the field that had it). The editor's own history replaces the browser's per-field
  // undo, so one undo also covers adding, removing and moving entries.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'z') return;
      const target = event.target as Node | null;
      if (target !== document.body && !formRef.current?.contains(target)) return;
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [undo, redo]);

  const shownIssues = hostIssues ?? (submitted ? issues : []);
  const lessonObjectives = useMemo(() => {
    if (item.kind !== 'quiz') return [];
    for (const module of syllabus.syllabus.modules) for (const lesson of module.lessons) if (lesson.id === item.targetId) return lesson.objectives;
    return [];
  }, [item, syllabus]);

  return (
    <form
      className="panel content-editor"
      aria-labelledby="content-editor-heading"
      noValidate
      ref={formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="editor-head">
        <h2 id="content-editor-heading" dir="auto">
          Edit {kindTitle[item.kind]} · v{item.version}
        </h2>
        <div className="actions" role="group" aria-label="Editing">
          <button type="button" onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z">
            Redo
          </button>
          <button type="button" onClick={onClose}>
            Close editor
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save as new draft'}
          </button>
        </div>
      </div>
      <p className="hint">Saving keeps v{item.version} as it is and adds the next draft version. {dirty ? 'Unsaved changes are kept on this computer while you work.' : ''}</p>
      {restore && (
        <div className="banner restore" role="alert">
          <span>Unsaved changes from {new Date(restore.savedAt).toLocaleString()} were kept for this version.</span>
          <button
            type="button"
            onClick={() => {
              change(JSON.parse(restore.content) as Content);
              setRestore(null);
            }}
          >
            Restore unsaved work
          </button>
          <button
            type="button"
            onClick={() => {
              void client.call('autosave.clear', { key: autosaveKey });
              setRestore(null);
            }}
          >
            Discard it
          </button>
        </div>
      )}
      {message && (
        <p className={message.kind === 'error' ? 'banner rejected' : 'banner'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {shownIssues.length > 0 && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="content-editor-errors">
          <p id="content-editor-errors">
            <strong>{hostIssues ? 'The studio did not save this:' : `Fix ${shownIssues.length === 1 ? 'this' : `these ${shownIssues.length} things`} before saving:`}</strong>
          </p>
          <ul>
            {shownIssues.slice(0, 20).map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <button type="button" className="link" onClick={() => focusTarget(issue.path)?.focus()}>
                  {issue.field}
                </button>
                : {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {item.kind === 'lesson' && <LessonForm ctx={ctx} lesson={draft as LessonContent} />}
      {item.kind === 'quiz' && <QuizForm ctx={ctx} quiz={draft as Quiz} objectives={lessonObjectives} />}
      {item.kind === 'project' && <ProjectForm ctx={ctx} project={draft as Project} />}
      <div className="actions editor-foot">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save as new draft'}
        </button>
        <button type="button" onClick={onClose}>
          Close editor
        </button>
      </div>
    </form>
  );
}
