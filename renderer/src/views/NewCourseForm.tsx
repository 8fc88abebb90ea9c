import { useRef, useState, type FormEvent, type ReactElement } from 'react';
import { fieldErrors, intentFieldLabel } from '../../../schemas/field-labels.js';
import { courseTitleMaxLength, LearningIntent } from '../../../schemas/intent.js';
import { call } from '../api/client.js';
import { navigate } from '../router.js';
import { useStudio } from '../store.js';
import { useFocusFirstError } from '../forms.js';
import './IntentForm.css';

type Field = 'title' | 'audience' | 'level' | 'timeBudgetHours' | 'teachingStyle' | 'constraints' | 'language' | 'notes';

/** The form's text values: what the inputs hold, before they become a LearningIntent. */
export type IntentFormValues = Record<Field, string>;

export const emptyIntentValues: IntentFormValues = { title: '', audience: '', level: 'beginner', timeBudgetHours: '6', teachingStyle: '', constraints: '', language: 'en', notes: '' };

/** A stored intent as form values, for editing it. */
export function intentToValues(intent: LearningIntent): IntentFormValues {
  return {
    title: intent.title,
    audience: intent.audience,
    level: intent.level,
    timeBudgetHours: String(intent.timeBudgetHours),
    teachingStyle: intent.teachingStyle,
    constraints: intent.constraints.join('\n'),
    language: intent.language,
    notes: intent.notes ?? '',
  };
}

function candidateOf(values: IntentFormValues) {
  return {
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
}

/**
 * The same schema the host enforces, so mistakes show beside their field before any call, in the
 * same sentences the host would answer with ("Time budget (hours) must be more than 0").
 */
function validate(values: IntentFormValues): { intent: LearningIntent | null; errors: Partial<Record<Field, string>> } {
  const parsed = LearningIntent.safeParse(candidateOf(values));
  if (parsed.success) return { intent: parsed.data, errors: {} };
  return { intent: null, errors: fieldErrors<Field>(parsed.error, intentFieldLabel) };
}

/**
 * The learning intent's fields, for creating a course and for editing its intent. Each field is
 * checked as it is typed once it has been changed, so a title the generator cannot fit is
 * refused while it is being written; submitting checks every field and moves focus to the first error.
 */
export function IntentForm({ initial, submitLabel, savingLabel, onSubmit, cancelHref }: { initial: IntentFormValues; submitLabel: string; savingLabel: string; onSubmit: (intent: LearningIntent) => Promise<void>; cancelHref: string }) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [saving, setSaving] = useState(false);
  const touched = useRef(new Set<Field>());
  const { formRef, focusFirstError } = useFocusFirstError();

  const set = (field: Field) => (event: { target: { value: string } }) => {
    const next = { ...values, [field]: event.target.value };
    touched.current.add(field);
    setValues(next);
    const { errors: all } = validate(next);
    setErrors(Object.fromEntries([...touched.current].filter((f) => all[f]).map((f) => [f, all[f]])) as Partial<Record<Field, string>>);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(values);
    if (!checked.intent) {
      // Fields refused on submit stay checked as they are typed: each message goes the moment its value is valid.
      for (const name of Object.keys(checked.errors) as Field[]) touched.current.add(name);
      setErrors(checked.errors);
      focusFirstError();
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await onSubmit(checked.intent);
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
    <form ref={formRef} onSubmit={submit} noValidate>
      {field('title', 'Title', <input id="intent-title" dir="auto" value={values.title} onChange={set('title')} {...described('title')} />, `At most ${courseTitleMaxLength} characters: the generator writes it into lesson and quiz titles.`)}
      {field('audience', 'Audience', <input id="intent-audience" dir="auto" value={values.audience} onChange={set('audience')} {...described('audience')} />, 'Who the learners are and what they already know.')}
      <div className="row intent-row">
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
      {field('notes', 'Notes (optional)', <textarea id="intent-notes" dir="auto" rows={3} value={values.notes} onChange={set('notes')} {...described('notes')} />)}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? savingLabel : submitLabel}
        </button>
        <a className="button" href={cancelHref}>
          Cancel
        </a>
      </div>
    </form>
  );
}

export function NewCourseForm() {
  const notify = useStudio((s) => s.notify);
  // A new key remounts the form with the imported values.
  const [loaded, setLoaded] = useState({ values: emptyIntentValues, key: 0 });
  /** Fills the form from an intent JSON file (the same format `coursewright course create` reads). */
  async function importIntent(file: File | undefined) {
    if (!file) return;
    try {
      const data = JSON.parse(await file.text()) as Record<string, unknown>;
      const text = (key: string, fallback = '') => (typeof data[key] === 'string' ? (data[key] as string) : fallback);
      setLoaded((previous) => ({
        key: previous.key + 1,
        values: {
          title: text('title'),
          audience: text('audience'),
          level: text('level', 'beginner'),
          timeBudgetHours: typeof data.timeBudgetHours === 'number' ? String(data.timeBudgetHours) : text('timeBudgetHours'),
          teachingStyle: text('teachingStyle'),
          constraints: Array.isArray(data.constraints) ? data.constraints.filter((c) => typeof c === 'string').join('\n') : '',
          language: text('language', 'en'),
          notes: text('notes'),
        },
      }));
      notify('info', `Loaded ${file.name}; check the fields, then create the course.`);
    } catch (error) {
      notify('error', `${file.name} is not a JSON intent file: ${(error as Error).message}`);
    }
  }

  async function create(intent: LearningIntent) {
    try {
      const course = await call('courses.create', { intent });
      notify('info', `Created “${course.title}”.`);
      navigate({ name: 'course', courseId: course.id });
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  return (
    <section aria-labelledby="new-course-heading" className="narrow">
      <h1 id="new-course-heading">New course</h1>
      <p className="muted">Describe the learning intent. The model drafts a syllabus from it; nothing is published until people approve it.</p>
      <div className="field">
        <label htmlFor="intent-file">Start from an intent file (optional)</label>
        <input id="intent-file" type="file" accept="application/json,.json" onChange={(e) => void importIntent(e.target.files?.[0])} />
      </div>
      <IntentForm key={loaded.key} initial={loaded.values} submitLabel="Create course" savingLabel="Creating…" onSubmit={create} cancelHref="#/courses" />
    </section>
  );
}
