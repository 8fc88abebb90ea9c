import { useEffect, useState } from 'react';
import type { Lineage, LineageStep } from '../../../schemas/lineage.js';
import { call } from '../api/client.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href, type Route } from '../router.js';
import './JobsView.css';

const stepNames: Record<LineageStep['kind'], string> = {
  intent: 'Intent',
  syllabus: 'Syllabus',
  previous_version: 'Previous version',
  job: 'Job',
  model_call: 'Model call',
  edit: 'Edit',
  review: 'Review',
  comment: 'Comment',
  package: 'Package',
  signal: 'Learner signal',
  suggestion: 'Suggestion',
  retry_intent: 'Retry intent',
  next_version: 'Next version',
};

/** Where a step's link leads in the studio. */
function routeOf(step: LineageStep): Route | null {
  const target = step.link;
  if (!target) return null;
  switch (target.kind) {
    case 'course':
      return { name: 'course', courseId: target.courseId };
    case 'syllabus':
      return { name: 'lineage', id: target.id };
    case 'content':
      return { name: 'lineage', id: target.id };
    case 'package':
      return { name: 'packages', courseId: target.courseId };
    case 'job':
      return { name: 'job', jobId: target.id };
    case 'retry_intent':
      return typeof step.details.jobId === 'string' ? { name: 'job', jobId: step.details.jobId } : null;
    case 'suggestion':
      return { name: 'suggestions', status: 'all', courseId: target.courseId };
    case 'signal':
      return { name: 'analytics', courseId: target.courseId };
  }
}

const linkText: Partial<Record<LineageStep['kind'], string>> = {
  intent: 'Open the course',
  syllabus: 'Its lineage',
  previous_version: 'Its lineage',
  next_version: 'Its lineage',
  package: 'Packages',
  job: 'Job details',
  retry_intent: 'Job details',
  suggestion: 'Suggestions',
  signal: 'Analytics',
};

/** "Where this came from": a version's lineage as an ordered list, each step linked to where it lives. */
export function LineageView({ id }: { id: string }) {
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    setLineage(null);
    setFailure(null);
    call('lineage.show', id.startsWith('syl') ? { versionId: id } : { itemId: id }).then(setLineage, (error: Error) => setFailure(error.message));
  }, [id]);
  if (failure)
    return (
      <p className="field-error" role="alert">
        {failure}
      </p>
    );
  if (!lineage) return <p className="muted">Loading…</p>;
  const { subject } = lineage;
  const back: Route = subject.kind === 'syllabus' ? { name: 'course', courseId: subject.courseId, versionId: subject.id } : { name: 'content', courseId: subject.courseId, itemId: subject.id };
  return (
    <section aria-labelledby="lineage-heading" className="jobs-view">
      <div className="page-head">
        <h1 id="lineage-heading">Where this came from</h1>
        <a className="button" href={href(back)}>
          Open {subject.kind} v{subject.version}
        </a>
      </div>
      <p dir="auto" data-testid="lineage-headline">
        {lineage.headline} <StatusBadge status={subject.status} />
      </p>
      <p className="muted small" dir="auto">
        {subject.courseTitle} · {subject.id}
      </p>
      <ol className="lineage-steps" data-testid="lineage-steps">
        {lineage.steps.map((step, index) => {
          const to = routeOf(step);
          return (
            <li key={index} data-kind={step.kind}>
              <span className="lineage-step-kind muted">{stepNames[step.kind]}</span>
              {step.at ? <span className="muted small"> · {new Date(step.at).toLocaleString()}</span> : null}
              <br />
              <span dir="auto">{step.summary}</span>
              {to ? (
                <>
                  {' '}
                  <a href={href(to)}>
                    {linkText[step.kind] ?? 'Open'}
                    <span className="visually-hidden"> for step {index + 1}</span>
                  </a>
                </>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
