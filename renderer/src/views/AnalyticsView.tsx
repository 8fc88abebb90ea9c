import { useEffect, useMemo, useState } from 'react';
import type { AnalyticsComparison, AnalyticsFunnelTotals, FlaggedItem, StudioCourseAnalytics } from '../../../schemas/studio-analytics.js';
import { call } from '../api/client.js';
import { lessonNumber, optionLetter, percent, signalLabels } from '../analytics-words.js';
import { AnalyticsFigure, FlagBadges } from '../components/analytics/AnalyticsFigure.js';
import { CompareDropOffChart, DropOffChart, LearnersChart, TimeChart } from '../components/analytics/course-charts.js';
import { href, navigate } from '../router.js';
import { useStudio } from '../store.js';
import './AnalyticsView.css';

/**
 * One course's learner analytics as this studio synced them: a version at a time, or two versions
 * side by side. Everything here only reads; acting on a finding goes through the Suggestions
 * queue or the content screen the question links to.
 */
export function AnalyticsView({ courseId, version, compareWith }: { courseId: string; version?: number | undefined; compareWith?: number | undefined }) {
  const notify = useStudio((s) => s.notify);
  const [analytics, setAnalytics] = useState<StudioCourseAnalytics | null>(null);
  const [comparison, setComparison] = useState<AnalyticsComparison | null>(null);

  useEffect(() => {
    let current = true;
    setComparison(null);
    call('analytics.course', { courseId, ...(version !== undefined ? { packageVersion: version } : {}) }).then(
      async (loaded) => {
        if (!current) return;
        setAnalytics(loaded);
        if (compareWith !== undefined && loaded.packageVersion !== null && compareWith !== loaded.packageVersion) {
          try {
            const compared = await call('analytics.compare', { courseId, versionA: loaded.packageVersion, versionB: compareWith });
            if (current) setComparison(compared);
          } catch (error) {
            if (current) notify('error', (error as Error).message);
          }
        }
      },
      (error: Error) => current && notify('error', error.message),
    );
    return () => {
      current = false;
    };
  }, [courseId, version, compareWith, notify]);

  if (!analytics) return <p className="muted">Loading…</p>;
  const shown = analytics.packageVersion;

  return (
    <section aria-labelledby="analytics-heading" className="analytics">
      <div className="page-head">
        <div className="min0">
          <h1 id="analytics-heading" dir="auto">
            {analytics.courseTitle} · analytics
          </h1>
          <p className="muted">
            <a href={href({ name: 'course', courseId })}>Syllabus workspace</a> · <a href={href({ name: 'content', courseId })}>Content &amp; status</a> · <a href={href({ name: 'packages', courseId })}>Packages and exports</a> ·{' '}
            <a href={href({ name: 'suggestions', courseId })}>Suggestions for this course{analytics.openSuggestions ? ` (${analytics.openSuggestions} open)` : ''}</a>
          </p>
        </div>
      </div>

      {shown === null ? (
        <div className="empty analytics-empty" data-testid="analytics-empty">
          <p>
            <strong>No learner analytics for this course yet.</strong>
          </p>
          <p>
            Analytics come from the hosted learner server. Publish a package of this course (<a href={href({ name: 'packages', courseId })}>Packages and exports</a> → Publish), let learners use it, then run{' '}
            <code>coursewright sync</code> in a terminal (the desktop studio also syncs in the background). Funnel, drop-off, time and question statistics then appear here, per package version.
          </p>
        </div>
      ) : (
        <>
          <VersionBar analytics={analytics} courseId={courseId} compareWith={compareWith !== shown ? compareWith : undefined} />
          {comparison ? <ComparisonPanels comparison={comparison} courseId={courseId} /> : <SingleVersion analytics={analytics} courseId={courseId} />}
        </>
      )}
    </section>
  );
}

function VersionBar({ analytics, courseId, compareWith }: { analytics: StudioCourseAnalytics; courseId: string; compareWith: number | undefined }) {
  const shown = analytics.packageVersion!;
  const others = analytics.versions.filter((v) => v.packageVersion !== shown);
  return (
    <div className="panel analytics-versions">
      <div className="field">
        <label htmlFor="analytics-version">Package version</label>
        <select id="analytics-version" value={shown} onChange={(e) => navigate({ name: 'analytics', courseId, version: Number(e.target.value), ...(compareWith !== undefined && Number(e.target.value) !== compareWith ? { compareWith } : {}) })}>
          {analytics.versions.map((v) => (
            <option key={v.packageVersion} value={v.packageVersion}>
              v{v.packageVersion} · {v.firstDay} to {v.lastDay}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="analytics-compare">Compare with</label>
        <select
          id="analytics-compare"
          value={compareWith ?? ''}
          disabled={others.length === 0}
          onChange={(e) => navigate({ name: 'analytics', courseId, version: shown, ...(e.target.value ? { compareWith: Number(e.target.value) } : {}) })}
        >
          <option value="">{others.length === 0 ? 'No other version has analytics' : 'No comparison'}</option>
          {others.map((v) => (
            <option key={v.packageVersion} value={v.packageVersion}>
              v{v.packageVersion}
            </option>
          ))}
        </select>
      </div>
      <p className="muted small analytics-synced">
        {analytics.from && analytics.to ? `Days ${analytics.from} to ${analytics.to}. ` : ''}
        {analytics.syncedAt ? `Last synced ${new Date(analytics.syncedAt).toLocaleString()}.` : ''}
      </p>
    </div>
  );
}

const funnelStages = (funnel: AnalyticsFunnelTotals): Array<[string, number]> => [
  ['Viewed the course page', funnel.courseViewed],
  ['Enrolled', funnel.enrolled],
  ...(funnel.purchased !== null ? ([['Purchased', funnel.purchased]] as Array<[string, number]>) : []),
  ['Started', funnel.started],
  ['Completed', funnel.completed],
];

/**
 * The funnel as labelled bars: each row says its number and its share of the largest stage. That is
 * the course page's viewers in an ordinary funnel; learners enrolled without a recorded view (an
 * admin grant, an API client) can make a later stage larger, and a share over 100% would mislead.
 */
function Funnel({ funnel, id, title, lastDay }: { funnel: AnalyticsFunnelTotals; id: string; title: string; lastDay: string | null }) {
  const stages = funnelStages(funnel);
  const top = Math.max(1, ...stages.map(([, value]) => value));
  return (
    <section className="panel" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      <table className="funnel">
        <caption className="visually-hidden">{title}: learners at each stage, and their share of the largest stage</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Learners</th>
            <th scope="col">Share of the largest stage</th>
          </tr>
        </thead>
        <tbody>
          {stages.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="funnel-number">{value}</td>
              <td className="funnel-bar-cell">
                <span className="funnel-bar" style={{ width: `${Math.max(0.5, (value / top) * 100)}%` }} />
                <span className="funnel-share">{percent(value / top)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* The server's rate as of the range's end: everyone who had started by then, not only those
          counted in the days above (a learner may start in one range and complete in the next). */}
      <p className="muted small">
        Completion rate{lastDay ? ` by ${lastDay}` : ''}: {percent(funnel.completionRate, 1)} of everyone who had started by then completed.
      </p>
    </section>
  );
}

function SingleVersion({ analytics, courseId }: { analytics: StudioCourseAnalytics; courseId: string }) {
  const courseFlags = [...new Set(analytics.signals.filter((s) => s.target.kind === 'course').map((s) => s.type))];
  return (
    <>
      {courseFlags.length > 0 && (
        <p className="banner">
          Course-wide: <FlagBadges flags={courseFlags} labels={signalLabels} />
        </p>
      )}
      <div className="analytics-grid">
        {analytics.funnel && <Funnel funnel={analytics.funnel} id="funnel-heading" title={`Funnel, package v${analytics.packageVersion}`} lastDay={analytics.to} />}
        <LearnersChart days={analytics.learnersOverTime} />
      </div>
      <DropOffChart lessons={analytics.lessons} />
      <TimeChart lessons={analytics.lessons} />
      <ItemTable analytics={analytics} courseId={courseId} />
    </>
  );
}

type ItemSortKey = 'position' | 'n' | 'facility' | 'discrimination' | 'flags';
const sortColumns: Array<[ItemSortKey, string]> = [
  ['position', 'Question'],
  ['n', 'n'],
  ['facility', 'Facility p'],
  ['discrimination', 'Discrimination r'],
  ['flags', 'Flags'],
];

/** Item analysis: every question's first-attempt statistics, sortable by any column, each linking to the question. */
function ItemTable({ analytics, courseId }: { analytics: StudioCourseAnalytics; courseId: string }) {
  const [sort, setSort] = useState<{ key: ItemSortKey; direction: 'ascending' | 'descending' }>({ key: 'position', direction: 'ascending' });
  const lessonsById = useMemo(() => new Map(analytics.lessons.map((l) => [l.lessonId, l])), [analytics.lessons]);
  const rows = useMemo(() => {
    const position = (item: FlaggedItem) => (lessonsById.get(item.lessonId)?.lessonIndex ?? 0) * 10_000 + item.questionIndex;
    const value = (item: FlaggedItem): number => {
      switch (sort.key) {
        case 'position':
          return position(item);
        case 'n':
          return item.n;
        case 'facility':
          return item.facility;
        case 'discrimination':
          // Undefined discrimination sorts below every number, in either direction's start.
          return item.discrimination ?? -2;
        case 'flags':
          return item.flags.length;
      }
    };
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...analytics.items].sort((a, b) => sign * (value(a) - value(b)) || position(a) - position(b));
  }, [analytics.items, lessonsById, sort]);
  const quizFlags = analytics.quizzes.filter((q) => q.flags.length > 0);

  const toggle = (key: ItemSortKey) => setSort((current) => ({ key, direction: current.key === key && current.direction === 'ascending' ? 'descending' : key === 'position' || current.key === key ? 'ascending' : 'descending' }));

  return (
    <section className="panel" aria-labelledby="items-heading" data-testid="item-analysis">
      <h2 id="items-heading">Item analysis</h2>
      <p className="muted small">
        First attempts only. Facility p is the share answering correctly; discrimination r is the corrected point-biserial (the question against the rest of its quiz). Column headings sort the table.
      </p>
      {quizFlags.length > 0 && (
        <ul className="quiz-flags">
          {quizFlags.map((q) => (
            <li key={q.quizItemId}>
              Quiz of {lessonLabel(lessonsById.get(q.lessonId))}: first-attempt pass rate {percent(q.firstAttemptPassRate)} (n = {q.n}) <FlagBadges flags={q.flags} labels={signalLabels} />
            </li>
          ))}
        </ul>
      )}
      {rows.length === 0 ? (
        <p className="muted">No quiz answers in this version yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Item analysis table" tabIndex={0}>
          <table className="table analytics-table items-table">
            <thead>
              <tr>
                {sortColumns.map(([key, label]) => (
                  <th key={key} scope="col" aria-sort={sort.key === key ? sort.direction : 'none'}>
                    <button type="button" className="sort-button" onClick={() => toggle(key)}>
                      {label}
                      <span aria-hidden="true">{sort.key === key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
                <th scope="col">Options chosen</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => {
                const lesson = lessonsById.get(item.lessonId);
                return (
                  <tr key={`${item.quizItemId}/${item.questionId}`}>
                    <th scope="row" dir="auto">
                      <a href={href({ name: 'content', courseId, itemId: item.link.quizItemId ?? item.quizItemId, questionId: item.link.questionId ?? item.questionId })}>
                        Question {item.questionIndex + 1}
                      </a>
                      <span className="muted small"> · {lessonLabel(lesson)}</span>
                    </th>
                    <td>{item.n}</td>
                    <td>{item.facility.toFixed(2)}</td>
                    <td>{item.discrimination === null ? '—' : item.discrimination.toFixed(2)}</td>
                    <td>
                      <FlagBadges flags={item.flags} labels={signalLabels} />
                    </td>
                    <td className="option-shares">
                      {item.optionShares.map((share, index) => (
                        <span key={index} className={index === item.keyIndex ? 'option-key' : item.nonFunctionalDistractors.includes(index) ? 'option-unused' : ''}>
                          {optionLetter(index)} {percent(share)}
                          {index === item.keyIndex ? ' (key)' : ''}
                        </span>
                      ))}
                      {item.distractorOutdrawsKeyInTopThird && <span className="option-warning">A distractor outdraws the key among the top third</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const lessonLabel = (lesson: { lessonIndex: number; title: string } | undefined) => (lesson ? `${lessonNumber(lesson.lessonIndex)} “${lesson.title}”` : 'a lesson not in this version');

const change = (a: number, b: number, asPercent: boolean) => {
  const delta = b - a;
  if (Math.abs(delta) < 1e-9) return 'no change';
  const text = asPercent ? `${(Math.abs(delta) * 100).toFixed(1)} points` : Math.abs(delta).toFixed(2);
  return `${delta > 0 ? 'up' : 'down'} ${text}`;
};

/** Two versions side by side: their funnels next to each other, then lesson and question numbers for both. */
function ComparisonPanels({ comparison, courseId }: { comparison: AnalyticsComparison; courseId: string }) {
  const { versionA: a, versionB: b } = comparison;
  const titleA = `v${a.packageVersion}`;
  const titleB = `v${b.packageVersion}`;
  return (
    <div data-testid="analytics-comparison">
      <p className="muted">
        Comparing package {titleA} ({a.from} to {a.to}) with {titleB} ({b.from} to {b.to}): did the change work? Lessons and questions appear when both versions have them.
      </p>
      <div className="compare-grid">
        <Funnel funnel={a.funnel} id="funnel-a-heading" title={`Funnel, package ${titleA}`} lastDay={a.to} />
        <Funnel funnel={b.funnel} id="funnel-b-heading" title={`Funnel, package ${titleB}`} lastDay={b.to} />
      </div>
      <AnalyticsFigure
        id="compare-dropoff"
        title={`Drop-off per lesson, ${titleA} against ${titleB}`}
        reading={`Dashed grey line: ${titleA}; solid blue line: ${titleB}.`}
        chart={<CompareDropOffChart lessons={comparison.lessons} versionA={a.packageVersion} versionB={b.packageVersion} />}
        tableLabel={`Lessons in ${titleA} and ${titleB} as a table`}
        table={
          <table className="table analytics-table">
            <thead>
              <tr>
                <th scope="col">Lesson</th>
                <th scope="col">Drop-off {titleA}</th>
                <th scope="col">Drop-off {titleB}</th>
                <th scope="col">Median ÷ estimate {titleA}</th>
                <th scope="col">Median ÷ estimate {titleB}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.lessons.map((l) => (
                <tr key={l.lessonId}>
                  <th scope="row" dir="auto">
                    {l.title}
                  </th>
                  <td>{percent(l.a.dropOffRate, 1)}</td>
                  <td>
                    {percent(l.b.dropOffRate, 1)} <span className="muted small">({change(l.a.dropOffRate, l.b.dropOffRate, true)})</span>
                  </td>
                  <td>{l.a.timeVsEstimate === null ? '—' : `${l.a.timeVsEstimate.toFixed(2)} ×`}</td>
                  <td>{l.b.timeVsEstimate === null ? '—' : `${l.b.timeVsEstimate.toFixed(2)} ×`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <section className="panel" aria-labelledby="compare-items-heading" data-testid="compare-items">
        <h2 id="compare-items-heading">
          Questions, {titleA} against {titleB}
        </h2>
        {comparison.questions.length === 0 ? (
          <p className="muted">No question has first-attempt answers in both versions.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label={`Questions in ${titleA} and ${titleB}`} tabIndex={0}>
            <table className="table analytics-table">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Facility p {titleA}</th>
                  <th scope="col">Facility p {titleB}</th>
                  <th scope="col">Discrimination r {titleA}</th>
                  <th scope="col">Discrimination r {titleB}</th>
                </tr>
              </thead>
              <tbody>
                {comparison.questions.map((q) => (
                  <tr key={`${q.quizItemId}/${q.questionId}`}>
                    <th scope="row">
                      <a href={href({ name: 'content', courseId, itemId: q.link.quizItemId ?? q.quizItemId, questionId: q.link.questionId ?? q.questionId })}>Question {q.questionIndex + 1}</a>
                      <span className="muted small"> · {comparison.lessons.find((l) => l.lessonId === q.lessonId)?.title ?? q.lessonId}</span>
                    </th>
                    <td>
                      {q.a.facility.toFixed(2)} <span className="muted small">n = {q.a.n}</span> <FlagBadges flags={q.a.flags} labels={signalLabels} />
                    </td>
                    <td>
                      {q.b.facility.toFixed(2)} <span className="muted small">n = {q.b.n}</span> <FlagBadges flags={q.b.flags} labels={signalLabels} />
                    </td>
                    <td>{q.a.discrimination === null ? '—' : q.a.discrimination.toFixed(2)}</td>
                    <td>{q.b.discrimination === null ? '—' : q.b.discrimination.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
