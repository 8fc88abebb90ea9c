import { useState } from 'react';
import type { LessonContent, Project, Quiz } from '../../../schemas/content.js';
import type { ContentItem } from '../../../schemas/content.js';

/** What learners will see: the lesson body, an interactive quiz, the project with its rubric. */
export function ContentPreview({ item }: { item: ContentItem }) {
  if (item.kind === 'lesson') return <LessonPreview lesson={item.content as LessonContent} />;
  if (item.kind === 'quiz') return <QuizPreview quiz={item.content as Quiz} />;
  return <ProjectPreview project={item.content as Project} />;
}

function LessonPreview({ lesson }: { lesson: LessonContent }) {
  return (
    <article className="learner" data-testid="lesson-preview">
      <h2 dir="auto">{lesson.title}</h2>
      <p className="muted">{lesson.durationMinutes} minutes</p>
      <h3>You will be able to</h3>
      <ul>
        {lesson.objectives.map((o) => (
          <li key={o} dir="auto">
            {o}
          </li>
        ))}
      </ul>
      <p dir="auto">{lesson.explanation.overview}</p>
      {lesson.explanation.concepts.map((c) => (
        <section key={c.title}>
          <h3 dir="auto">{c.title}</h3>
          <p dir="auto">{c.explanation}</p>
          {c.example && (
            <p className="example" dir="auto">
              <strong>Example: </strong>
              {c.example}
            </p>
          )}
        </section>
      ))}
      <h3>Key takeaways</h3>
      <ul>
        {lesson.keyTakeaways.map((t) => (
          <li key={t} dir="auto">
            {t}
          </li>
        ))}
      </ul>
      <h3>Practice</h3>
      <p dir="auto">{lesson.practice.prompt}</p>
      <p className="muted" dir="auto">
        A good answer: {lesson.practice.expectedOutcome}
      </p>
    </article>
  );
}

function QuizPreview({ quiz }: { quiz: Quiz }) {
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const score = quiz.questions.filter((q) => answers[q.id] === q.correctIndex).length;
  return (
    <article className="learner" data-testid="quiz-preview">
      <h2 dir="auto">{quiz.title}</h2>
      {quiz.questions.map((q, qi) => {
        const chosen = answers[q.id];
        return (
          <fieldset key={q.id} className="question">
            <legend dir="auto">
              {qi + 1}. {q.prompt}
            </legend>
            {q.options.map((option, oi) => (
              <label key={oi} className={`check option ${chosen !== undefined && oi === q.correctIndex ? 'correct' : ''} ${chosen === oi && oi !== q.correctIndex ? 'wrong' : ''}`}>
                <input type="radio" name={`${quiz.id}-${q.id}`} checked={chosen === oi} onChange={() => setAnswers((a) => ({ ...a, [q.id]: oi }))} />
                <span dir="auto">{option}</span>
              </label>
            ))}
            {chosen !== undefined && (
              <p className={chosen === q.correctIndex ? 'feedback correct' : 'feedback wrong'} role="status">
                {chosen === q.correctIndex ? 'Correct. ' : 'Not quite. '}
                <span dir="auto">{q.explanation}</span>
              </p>
            )}
          </fieldset>
        );
      })}
      <p data-testid="quiz-score">
        Score: {score} / {quiz.questions.length}
      </p>
    </article>
  );
}

function ProjectPreview({ project }: { project: Project }) {
  const levels = Math.max(...project.rubric.criteria.map((c) => c.levels.length));
  return (
    <article className="learner" data-testid="project-preview">
      <h2 dir="auto">{project.title}</h2>
      <p dir="auto">{project.problemStatement}</p>
      <h3>Constraints</h3>
      <ul>
        {project.constraints.map((c) => (
          <li key={c} dir="auto">
            {c}
          </li>
        ))}
      </ul>
      <h3>Deliverables</h3>
      <ul>
        {project.deliverables.map((d) => (
          <li key={d} dir="auto">
            {d}
          </li>
        ))}
      </ul>
      <table className="table rubric">
        <caption>Rubric — {project.rubric.totalPoints} points in total</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            {Array.from({ length: levels }, (_, i) => (
              <th key={i} scope="col">
                Level {i + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {project.rubric.criteria.map((c) => (
            <tr key={c.id}>
              <th scope="row" dir="auto">
                {c.title}
              </th>
              {Array.from({ length: levels }, (_, i) => {
                const level = c.levels[i];
                return (
                  <td key={i} dir="auto">
                    {level ? (
                      <>
                        <strong>
                          {level.label} ({level.points})
                        </strong>{' '}
                        {level.descriptor}
                      </>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
