import { useState, type FormEvent, type ReactElement } from 'react';
import { LearningIntent } from '../../../schemas/intent.js';
import { call } from '../api/client.js';
import { navigate } from '../router.js';
import { useStudio } from '../store.js';

type Field = 'title' | 'audience' | 'level' | 'timeBudgetHours' | 'teachingStyle' | 'constraints' | 'language' | 'notes';

export function NewCourseForm() {
  const notify = useStudio((s) => s.notify);
  const [values, setValues] = useState({ title: '', audience: '', level: 'beginner', timeBudgetHours: '6', teachingStyle: '', constraints: '', language: 'en', notes: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [saving, setSaving] = useState(false);
  /** Fills the form from an intent JSON file (the same format `coursewright course create` reads). */
  async function importIntent(file: File | undefined) {
    if (!file) return;
    try {
      const data = JSON.parse(await file.text()) as Record<string, unknown>;
      const text = (key: string, fallback = '') => (typeof data[key] === 'string' ? (data[key] as string) : fallback);
      setValues({
        title: text('title'),
        audience: text('audience'),
        level: text('level', 'beginner'),
        timeBudgetHours: typeof data.timeBudgetHours === 'number' ? String(data.timeBudgetHours) : text('timeBudgetHours'),
        teachingStyle: text('teachingStyle'),
        constraints: Array.isArray(data.constraints) ? data.constraints.filter((c) => typeof c === 'string').join('\n') : '',
        language: text('language', 'en'),
        notes: text('notes'),
      });
      setErrors({});
      notify('info', `Loaded ${file.name}; check the fields, then create the course.`);
    } catch (error) {
      notify('error', `${file.name} is not a JSON intent file: ${(error as Error).message}`);
    }
  }
  const set = (field: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = {
      title: values.title,
      audience: values.audience,
      level: values.level,
      timeBudgetHours: values.timeBudgetHours.trim() === '' ? Number.NaN : Number(values.timeBudgetHours),
      teachingStyle: values.teachingStyle,
      constraints: values.constraints
        .split('\n')
        .map((c) => c.trim())
        .filter(Boolean),
      language: values.language.trim() || 'en',
      ...(values.notes.trim() ? { notes: values.notes.trim() } : {}),
    };
    // The same schema the host enforces, so mistakes show beside their field before any call.
    const parsed = LearningIntent.safeParse(candidate);
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'title') as Field;
        next[field] ??= field === 'timeBudgetHours' && Number.isNaN(candidate.timeBudgetHours) ? 'timeBudgetHours must be a number of hours greater than 0' : issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const course = await call('courses.create', { intent: parsed.data });
      notify('info', `Created “${course.title}”.`);
      navigate({ name: 'course', courseId: course.id });
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const field = (name: Field, label: string, input: ReactElement, hint?: string) => (
    <div className={`field ${errors[name] ? 'invalid' : ''}`}>
      <label htmlFor={`intent-${name}`}>{label}</label>
      {input}
      {hint && !errors[name] && <p className="hint">{hint}</p>}
      {errors[name] && (
        <p className="field-error" id={`intent-${name}-error`} role="alert">
          {errors[name]}
        </p>
      )}
    </div>
  );
  const described = (name: Field) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `intent-${name}-error` } : {});

  return (
    <section aria-labelledby="new-course-heading" className="narrow">
      <h1 id="new-course-heading">New course</h1>
      <p className="muted">Describe the learning intent. The model drafts a syllabus from it; nothing is published until people approve it.</p>
      <div className="field">
        <label htmlFor="intent-file">Start from an intent file (optional)</label>
        <input id="intent-file" type="file" accept="application/json,.json" onChange={(e) => void importIntent(e.target.files?.[0])} />
      </div>
      <form onSubmit={submit} noValidate>
        {field('title', 'Title', <input id="intent-title" dir="auto" value={values.title} onChange={set('title')} {...described('title')} />)}
        {field('audience', 'Audience', <input id="intent-audience" dir="auto" value={values.audience} onChange={set('audience')} {...described('audience')} />, 'Who the learners are and what they already know.')}
        <div className="row">
          {field(
            'level',
            'Level',
            <select id="intent-level" value={values.level} onChange={set('level')}>
              <option value="beginner">Beginner</option>
              <option value="intermediate">Intermediate</option>
              <option value="advanced">Advanced</option>
            </select>,
          )}
          {field('timeBudgetHours', 'Time budget (hours)', <input id="intent-timeBudgetHours" inputMode="decimal" value={values.timeBudgetHours} onChange={set('timeBudgetHours')} {...described('timeBudgetHours')} />)}
          {field('language', 'Language (BCP-47)', <input id="intent-language" value={values.language} onChange={set('language')} {...described('language')} />, 'e.g. en, ja, ar, pt-BR')}
        </div>
        {field('teachingStyle', 'Teaching style', <input id="intent-teachingStyle" dir="auto" value={values.teachingStyle} onChange={set('teachingStyle')} {...described('teachingStyle')} />)}
        {field('constraints', 'Constraints (one per line)', <textarea id="intent-constraints" dir="auto" rows={3} value={values.constraints} onChange={set('constraints')} {...described('constraints')} />)}
        {field('notes', 'Notes (optional)', <textarea id="intent-notes" dir="auto" rows={3} value={values.notes} onChange={set('notes')} />)}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Creating…' : 'Create course'}
          </button>
          <a className="button" href="#/courses">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
