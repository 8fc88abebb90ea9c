import { formatMinutes } from '../../../core/syllabus/time-budget.js';
import type { Syllabus, SyllabusLesson, SyllabusWarning } from '../../../schemas/syllabus.js';
import type { Selection } from './Outline.js';

interface Props {
  syllabus: Syllabus;
  selection: Selection;
  warnings: SyllabusWarning[];
  readOnly: boolean;
  onChange: (update: (draft: Syllabus) => void) => void;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** Form editor for the selected module or lesson; every keystroke is an undoable change. */
export function ItemForm({ syllabus, selection, warnings, readOnly, onChange }: Props) {
  if (!selection) return <p className="muted">Select a module or lesson in the outline to see and edit it.</p>;
  const moduleIndex = syllabus.modules.findIndex((m) => m.id === selection.moduleId);
  const module = syllabus.modules[moduleIndex];
  if (!module) return <p className="muted">That item is not in this version.</p>;
  const here = warnings.filter((w) => (selection.kind === 'lesson' ? w.lessonId === selection.lessonId : w.moduleId === selection.moduleId && !w.lessonId));
  const warningList = here.length > 0 && (
    <ul className="warnings" aria-label="Warnings for this item">
      {here.map((w, i) => (
        <li key={i} className={w.severity}>
          <strong>{w.code}</strong> <span dir="auto">{w.message}</span>
        </li>
      ))}
    </ul>
  );

  if (selection.kind === 'module') {
    return (
      <div className="item-form" aria-label="Module editor">
        <h2>Module {moduleIndex + 1}</h2>
        {warningList}
        <div className="field">
          <label htmlFor="module-title">Title</label>
          <input id="module-title" dir="auto" readOnly={readOnly} value={module.title} onChange={(e) => onChange((d) => void (d.modules[moduleIndex]!.title = e.target.value))} />
        </div>
        <div className="field">
          <label htmlFor="module-summary">Summary</label>
          <textarea id="module-summary" dir="auto" rows={3} readOnly={readOnly} value={module.summary} onChange={(e) => onChange((d) => void (d.modules[moduleIndex]!.summary = e.target.value))} />
        </div>
        <p className="muted">
          {module.lessons.length} lesson{module.lessons.length === 1 ? '' : 's'} · {formatMinutes(module.lessons.reduce((sum, l) => sum + l.estimatedMinutes, 0))} in total (the sum of its lessons)
        </p>
      </div>
    );
  }

  const lessonIndex = module.lessons.findIndex((l) => l.id === selection.lessonId);
  const lesson = module.lessons[lessonIndex];
  if (!lesson) return <p className="muted">That lesson is not in this version.</p>;
  const edit = (update: (l: SyllabusLesson) => void) => onChange((d) => update(d.modules[moduleIndex]!.lessons[lessonIndex]!));
  const earlier = syllabus.modules.flatMap((m) => m.lessons).slice(0, syllabus.modules.slice(0, moduleIndex).reduce((n, m) => n + m.lessons.length, 0) + lessonIndex);

  return (
    <div className="item-form" aria-label="Lesson editor">
      <h2>
        Lesson {moduleIndex + 1}.{lessonIndex + 1} <code className="muted">{lesson.id}</code>
      </h2>
      {warningList}
      <div className="field">
        <label htmlFor="lesson-title">Title</label>
        <input id="lesson-title" dir="auto" readOnly={readOnly} value={lesson.title} onChange={(e) => edit((l) => void (l.title = e.target.value))} />
      </div>
      <div className="field">
        <label htmlFor="lesson-summary">Summary</label>
        <textarea id="lesson-summary" dir="auto" rows={2} readOnly={readOnly} value={lesson.summary} onChange={(e) => edit((l) => void (l.summary = e.target.value))} />
      </div>
      <div className="field">
        <label htmlFor="lesson-minutes">Estimated minutes</label>
        <input
          id="lesson-minutes"
          type="number"
          min={5}
          max={600}
          readOnly={readOnly}
          value={lesson.estimatedMinutes}
          onChange={(e) => edit((l) => void (l.estimatedMinutes = Math.round(Number(e.target.value) || 0)))}
        />
      </div>
      <div className="field">
        <label htmlFor="lesson-objectives">Objectives (one per line, starting with a measurable verb)</label>
        <textarea
          id="lesson-objectives"
          dir="auto"
          rows={Math.max(3, lesson.objectives.length + 1)}
          readOnly={readOnly}
          value={lesson.objectives.join('\n')}
          onChange={(e) => edit((l) => void (l.objectives = e.target.value.split('\n')))}
          onBlur={() => {
            // Tidying blank lines is an edit only when it changes something: a bare focus change
            // must not add an undo step, nor mark a read-only version as changed.
            const tidy = lines(lesson.objectives.join('\n'));
            if (!readOnly && tidy.join('\n') !== lesson.objectives.join('\n')) edit((l) => void (l.objectives = tidy));
          }}
        />
      </div>
      <fieldset className="field">
        <legend>Prerequisites (earlier lessons only)</legend>
        {earlier.length === 0 ? (
          <p className="muted">This is the first lesson; it has no earlier lessons to depend on.</p>
        ) : (
          <div className="prereq-list">
            {earlier.slice(-12).map((p) => (
              <label key={p.id} className="check">
                <input
                  type="checkbox"
                  disabled={readOnly}
                  checked={lesson.prerequisites.includes(p.id)}
                  onChange={(e) => edit((l) => void (l.prerequisites = e.target.checked ? [...l.prerequisites, p.id] : l.prerequisites.filter((x) => x !== p.id)))}
                />
                <span dir="auto">{p.title}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <p className="muted">Assessment: {lesson.assessmentHooks.map((h) => `${h.kind} — ${h.description}`).join('; ') || 'none'}</p>
    </div>
  );
}
