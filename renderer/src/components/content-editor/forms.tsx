import { memo } from 'react';
import type { LessonContent, Project, Quiz, RubricCriterion } from '../../../../schemas/content.js';
import { rubricTotal } from '../../../../schemas/content.js';
import { fieldId } from './draft.js';
import { ErrorText, ListEditor, NumberField, TextField, type FieldContext } from './fields.js';
import { MarkdownField } from './MarkdownField.js';

const markdownHint = 'Markdown: headings, lists, emphasis, links, code and tables.';

// Memoised like the other fields (fields.tsx): a keystroke re-renders only the field typed in.
const Markdown = memo(function Markdown({ ctx, path, label, value, rows, hint }: { ctx: FieldContext; path: string; label: string; value: string; rows?: number; hint?: string }) {
  return <MarkdownField id={fieldId(path)} label={label} value={value} error={ctx.errorOf(path)} onChange={(v) => ctx.set(path, v)} onBlur={() => ctx.touch(path)} hint={hint ?? markdownHint} {...(rows ? { rows } : {})} />;
});

/** A lesson: its objectives come from the approved syllabus; everything a learner reads is editable. */
export function LessonForm({ ctx, lesson }: { ctx: FieldContext; lesson: LessonContent }) {
  return (
    <>
      <TextField ctx={ctx} path="title" label="Title" value={lesson.title} />
      <div className="field" id={fieldId('objectives')} tabIndex={-1}>
        <span className="field-label" id="ce-objectives-label">
          Objectives
        </span>
        <p className="hint">From the approved syllabus; change objectives there, and the lesson follows on its next version.</p>
        <ul className="objective-list" aria-labelledby="ce-objectives-label">
          {lesson.objectives.map((objective, i) => (
            <li key={i} dir="auto">
              {objective}
            </li>
          ))}
        </ul>
        <ErrorText path="objectives" error={ctx.errorOf('objectives')} />
      </div>
      <Markdown ctx={ctx} path="explanation.overview" label="Overview" value={lesson.explanation.overview} rows={6} />
      <ListEditor
        ctx={ctx}
        path="explanation.concepts"
        legend="Concepts"
        items={lesson.explanation.concepts}
        entryLabel={(i) => `Concept ${i + 1}`}
        addLabel="Add a concept"
        min={1}
        max={12}
        makeEntry={() => ({ title: '', explanation: '', example: '' })}
        renderEntry={(concept, i) => (
          <>
            <TextField ctx={ctx} path={`explanation.concepts.${i}.title`} label={`Concept ${i + 1}, title`} value={concept.title} />
            <Markdown ctx={ctx} path={`explanation.concepts.${i}.explanation`} label={`Concept ${i + 1}, explanation`} value={concept.explanation} />
            <Markdown ctx={ctx} path={`explanation.concepts.${i}.example`} label={`Concept ${i + 1}, example (optional)`} value={concept.example ?? ''} rows={3} />
          </>
        )}
      />
      <ListEditor
        ctx={ctx}
        path="keyTakeaways"
        legend="Key takeaways"
        items={lesson.keyTakeaways}
        entryLabel={(i) => `Takeaway ${i + 1}`}
        addLabel="Add a takeaway"
        min={2}
        max={10}
        makeEntry={() => ''}
        renderEntry={(takeaway, i) => <TextField ctx={ctx} path={`keyTakeaways.${i}`} label={`Takeaway ${i + 1}`} value={takeaway} />}
      />
      <Markdown ctx={ctx} path="practice.prompt" label="Practice prompt" value={lesson.practice.prompt} rows={4} />
      <Markdown ctx={ctx} path="practice.expectedOutcome" label="Practice, expected outcome" value={lesson.practice.expectedOutcome} rows={3} />
    </>
  );
}

const optionLetters = ['A', 'B', 'C', 'D'];

/** A quiz: every question has exactly four options, one correct, and assesses one of the lesson's objectives. */
export function QuizForm({ ctx, quiz, objectives }: { ctx: FieldContext; quiz: Quiz; objectives: string[] }) {
  const nextId = () => {
    const taken = new Set(quiz.questions.map((q) => q.id));
    let n = quiz.questions.length + 1;
    while (taken.has(`q${n}`)) n++;
    return `q${n}`;
  };
  return (
    <>
      <TextField ctx={ctx} path="title" label="Title" value={quiz.title} />
      <ListEditor
        ctx={ctx}
        path="questions"
        legend="Questions"
        items={quiz.questions}
        entryLabel={(i) => `Question ${i + 1}`}
        addLabel="Add a question"
        min={3}
        max={20}
        makeEntry={() => ({ id: nextId(), prompt: '', options: ['', '', '', ''], correctIndex: 0, explanation: '', objective: objectives[0] ?? '' })}
        renderEntry={(question, i) => {
          const base = `questions.${i}`;
          const objectiveId = fieldId(`${base}.objective`);
          const objectiveError = ctx.errorOf(`${base}.objective`);
          const optionsError = ctx.errorOf(`${base}.options`);
          return (
            <div className="question-editor">
              <TextField ctx={ctx} path={`${base}.prompt`} label={`Question ${i + 1}`} value={question.prompt} multiline />
              <fieldset className={`field options-field${optionsError ? ' invalid' : ''}`} id={fieldId(`${base}.options`)} tabIndex={-1}>
                <legend>Question {i + 1}: options (choose the correct one)</legend>
                <ErrorText path={`${base}.options`} error={optionsError} />
                {question.options.map((option, j) => {
                  const optionPath = `${base}.options.${j}`;
                  const error = ctx.errorOf(optionPath);
                  return (
                    <div key={j} className={`option-row${error ? ' invalid' : ''}`}>
                      <input
                        type="radio"
                        id={fieldId(`${base}.correctIndex`) + `-${j}`}
                        name={`ce-correct-${i}`}
                        checked={question.correctIndex === j}
                        aria-label={`Option ${optionLetters[j]} is correct`}
                        onChange={() => ctx.set(`${base}.correctIndex`, j)}
                      />
                      <div className="option-text">
                        <label htmlFor={fieldId(optionPath)} className="option-label">
                          Option {optionLetters[j]}
                          {question.correctIndex === j ? ' (correct)' : ''}
                        </label>
                        <input id={fieldId(optionPath)} type="text" dir="auto" value={option} aria-invalid={error ? true : undefined} aria-describedby={error ? `${fieldId(optionPath)}-error` : undefined} onBlur={() => ctx.touch(optionPath)} onChange={(e) => ctx.set(optionPath, e.target.value)} />
                        <ErrorText path={optionPath} error={error} />
                      </div>
                    </div>
                  );
                })}
              </fieldset>
              <Markdown ctx={ctx} path={`${base}.explanation`} label={`Question ${i + 1}, explanation`} value={question.explanation} rows={3} />
              <div className={`field${objectiveError ? ' invalid' : ''}`}>
                <label htmlFor={objectiveId}>Question {i + 1}, objective it assesses</label>
                <select id={objectiveId} dir="auto" value={objectives.includes(question.objective) ? question.objective : ''} aria-invalid={objectiveError ? true : undefined} aria-describedby={objectiveError ? `${objectiveId}-error` : undefined} onChange={(e) => ctx.set(`${base}.objective`, e.target.value)}>
                  {!objectives.includes(question.objective) && <option value="">{question.objective ? `“${question.objective}” is not an objective of this lesson` : 'Choose an objective'}</option>}
                  {objectives.map((objective) => (
                    <option key={objective} value={objective}>
                      {objective}
                    </option>
                  ))}
                </select>
                <ErrorText path={`${base}.objective`} error={objectiveError} />
              </div>
            </div>
          );
        }}
      />
    </>
  );
}

const criterionTotal = (criterion: RubricCriterion) => (criterion.levels.length && criterion.levels.every((l) => Number.isFinite(l.points)) ? Math.max(...criterion.levels.map((l) => l.points)) : 0);

/** A project: brief, constraints, deliverables and a rubric whose total is each criterion's best level, added up. */
export function ProjectForm({ ctx, project }: { ctx: FieldContext; project: Project }) {
  const computed = rubricTotal(project.rubric.criteria.map((c) => ({ ...c, levels: c.levels.length ? c.levels : [{ label: '', descriptor: '', points: 0 }] })));
  const adds = Number.isFinite(computed) && computed === project.rubric.totalPoints;
  const nextCriterionId = () => {
    const taken = new Set(project.rubric.criteria.map((c) => c.id));
    let n = project.rubric.criteria.length + 1;
    while (taken.has(`c${n}`)) n++;
    return `c${n}`;
  };
  return (
    <>
      <TextField ctx={ctx} path="title" label="Title" value={project.title} />
      <Markdown ctx={ctx} path="problemStatement" label="Problem statement" value={project.problemStatement} rows={6} />
      <ListEditor ctx={ctx} path="constraints" legend="Constraints" items={project.constraints} entryLabel={(i) => `Constraint ${i + 1}`} addLabel="Add a constraint" max={20} makeEntry={() => ''} renderEntry={(text, i) => <TextField ctx={ctx} path={`constraints.${i}`} label={`Constraint ${i + 1}`} value={text} />} />
      <ListEditor ctx={ctx} path="deliverables" legend="Deliverables" items={project.deliverables} entryLabel={(i) => `Deliverable ${i + 1}`} addLabel="Add a deliverable" min={1} max={20} makeEntry={() => ''} renderEntry={(text, i) => <TextField ctx={ctx} path={`deliverables.${i}`} label={`Deliverable ${i + 1}`} value={text} />} />
      <ListEditor
        ctx={ctx}
        path="rubric.criteria"
        legend="Rubric criteria"
        items={project.rubric.criteria}
        entryLabel={(i) => `Criterion ${i + 1}`}
        addLabel="Add a criterion"
        min={2}
        max={12}
        makeEntry={() => ({ id: nextCriterionId(), title: '', levels: [{ label: 'Excellent', descriptor: '', points: 10 }, { label: 'Developing', descriptor: '', points: 3 }] })}
        renderEntry={(criterion, i) => (
          <>
            <TextField ctx={ctx} path={`rubric.criteria.${i}.title`} label={`Criterion ${i + 1}, title`} value={criterion.title} />
            <ListEditor
              ctx={ctx}
              path={`rubric.criteria.${i}.levels`}
              legend={`Criterion ${i + 1}: levels (worth ${criterionTotal(criterion)} points at best)`}
              items={criterion.levels}
              entryLabel={(j) => `Criterion ${i + 1}, level ${j + 1}`}
              addLabel="Add a level"
              min={2}
              max={6}
              makeEntry={() => ({ label: '', descriptor: '', points: 0 })}
              renderEntry={(level, j) => {
                const base = `rubric.criteria.${i}.levels.${j}`;
                return (
                  <div className="level-editor">
                    <TextField ctx={ctx} path={`${base}.label`} label={`Level ${j + 1}, label`} value={level.label} />
                    <NumberField ctx={ctx} path={`${base}.points`} label={`Level ${j + 1}, points`} value={level.points} />
                    <TextField ctx={ctx} path={`${base}.descriptor`} label={`Level ${j + 1}, description`} value={level.descriptor} multiline />
                  </div>
                );
              }}
            />
          </>
        )}
      />
      <div className="rubric-total">
        <NumberField ctx={ctx} path="rubric.totalPoints" label="Rubric total points" value={project.rubric.totalPoints} hint="The sum of each criterion's highest level." />
        <p className={adds ? 'total-ok' : 'total-off'} role="status" data-testid="rubric-computed-total">
          {Number.isFinite(computed) ? `The criteria add up to ${computed} points${adds ? '.' : ` — the total says ${Number.isFinite(project.rubric.totalPoints) ? project.rubric.totalPoints : 'nothing'}.`}` : 'Give every level its points to see the total.'}
          {!adds && Number.isFinite(computed) && (
            <button type="button" className="link" onClick={() => ctx.set('rubric.totalPoints', computed)}>
              Use {computed}
            </button>
          )}
        </p>
      </div>
    </>
  );
}
