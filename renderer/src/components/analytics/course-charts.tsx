import { useMemo } from 'react';
import uPlot, { type AlignedData } from 'uplot';
import type { FlaggedLesson } from '../../../../schemas/studio-analytics.js';
import { lessonNumber, percent, signalLabels } from '../../analytics-words.js';
import { AnalyticsFigure, FlagBadges } from './AnalyticsFigure.js';
import { barPaths, stepPaths, UPlotChart, type ChartOptions } from './UPlotChart.js';

const colors = { bar: '#1f5fbf', flagged: '#a32020', estimate: '#3d4654', median: '#b3400a', p90: '#c9a27a', versionA: '#6b7686', versionB: '#1f5fbf' };
const axisFont = '12px system-ui, sans-serif';
const axis = (label: string, values?: (u: unknown, splits: number[]) => string[]) => ({ label, font: axisFont, labelFont: axisFont, stroke: '#3d4654', grid: { stroke: '#eef1f5' }, ...(values ? { values } : {}) });
const lessonAxis = axis('Lesson', (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : '')));
/** Half a lesson of room at each end, so the first and last bars are drawn whole. */
const lessonScale = { time: false, range: (_u: unknown, min: number, max: number): [number, number] => [min - 0.5, max + 0.5] };
const minutes = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} min`);
const lessonName = (lesson: { lessonIndex: number; title: string }) => `${lessonNumber(lesson.lessonIndex)} “${lesson.title}”`;

/** Drop-off per lesson: flagged lessons in their own series (and named in words above the chart). */
export function DropOffChart({ lessons }: { lessons: FlaggedLesson[] }) {
  const { options, data } = useMemo(() => {
    const x = lessons.map((l) => l.lessonIndex + 1);
    const flagged = (l: FlaggedLesson) => l.flags.includes('high_dropoff');
    const options: ChartOptions = {
      scales: { x: lessonScale, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [lessonAxis, axis('Drop-off %')],
      series: [
        { label: 'Lesson' },
        { label: 'Drop-off', fill: colors.bar, stroke: colors.bar, paths: barPaths, points: { show: false } },
        { label: 'High drop-off', fill: colors.flagged, stroke: colors.flagged, paths: barPaths, points: { show: false } },
      ],
    };
    const data: AlignedData = [x, lessons.map((l) => (flagged(l) ? null : l.dropOffRate * 100)), lessons.map((l) => (flagged(l) ? l.dropOffRate * 100 : null))];
    return { options, data };
  }, [lessons]);
  const flagged = lessons.filter((l) => l.flags.includes('high_dropoff'));
  const worst = lessons.reduce<FlaggedLesson | null>((top, l) => (!top || l.dropOffRate > top.dropOffRate ? l : top), null);
  return (
    <AnalyticsFigure
      id="dropoff-chart"
      title="Drop-off per lesson"
      reading={
        <>
          Learners whose furthest lesson is this one and who stopped coming back.{' '}
          {flagged.length > 0 ? `Flagged high drop-off: ${flagged.map((l) => `${lessonName(l)} (${percent(l.dropOffRate)})`).join(', ')}.` : worst ? `Highest: ${lessonName(worst)} (${percent(worst.dropOffRate)}); none flagged.` : ''}
        </>
      }
      chart={<UPlotChart options={options} data={data} />}
      tableLabel="Drop-off per lesson as a table"
      table={
        <table className="table analytics-table">
          <thead>
            <tr>
              <th scope="col">Lesson</th>
              <th scope="col">Views</th>
              <th scope="col">Completions</th>
              <th scope="col">Stopped here</th>
              <th scope="col">Drop-off</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {lessons.map((l) => (
              <tr key={l.lessonId}>
                <th scope="row" dir="auto">
                  {lessonName(l)}
                </th>
                <td>{l.views}</td>
                <td>{l.completions}</td>
                <td>{l.dropOff}</td>
                <td>{percent(l.dropOffRate, 1)}</td>
                <td>
                  <FlagBadges flags={l.flags} labels={signalLabels} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Median (and 90th percentile) minutes per lesson against the lesson's estimate. */
export function TimeChart({ lessons }: { lessons: FlaggedLesson[] }) {
  const { options, data } = useMemo(() => {
    const options: ChartOptions = {
      scales: { x: lessonScale, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [lessonAxis, axis('Minutes')],
      series: [
        { label: 'Lesson' },
        { label: 'Estimate', stroke: colors.estimate, width: 1.5, paths: stepPaths, points: { show: false } },
        { label: 'Median', stroke: colors.median, paths: () => null, points: { show: true, size: 6, fill: colors.median, stroke: colors.median } },
        { label: '90th percentile', stroke: colors.p90, paths: () => null, points: { show: true, size: 4, fill: colors.p90, stroke: colors.p90 } },
      ],
    };
    const data: AlignedData = [lessons.map((l) => l.lessonIndex + 1), lessons.map((l) => l.estimatedMinutes), lessons.map((l) => l.medianMinutes), lessons.map((l) => l.p90Minutes)];
    return { options, data };
  }, [lessons]);
  const over = lessons.filter((l) => l.flags.includes('time_over_estimate'));
  return (
    <AnalyticsFigure
      id="time-chart"
      title="Time against estimate"
      reading={
        <>
          Dots: median (larger) and 90th-percentile minutes of learners who completed the lesson; line: the lesson’s estimate.{' '}
          {over.length > 0 ? `Over the estimate: ${over.map((l) => `${lessonName(l)} (median ${minutes(l.medianMinutes)} against ${l.estimatedMinutes} min)`).join(', ')}.` : 'No lesson flagged as over its estimate.'}
        </>
      }
      chart={<UPlotChart options={options} data={data} />}
      tableLabel="Time against estimate as a table"
      table={
        <table className="table analytics-table">
          <thead>
            <tr>
              <th scope="col">Lesson</th>
              <th scope="col">Estimate</th>
              <th scope="col">Median</th>
              <th scope="col">90th percentile</th>
              <th scope="col">Median ÷ estimate</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {lessons.map((l) => (
              <tr key={l.lessonId}>
                <th scope="row" dir="auto">
                  {lessonName(l)}
                </th>
                <td>{l.estimatedMinutes} min</td>
                <td>{minutes(l.medianMinutes)}</td>
                <td>{minutes(l.p90Minutes)}</td>
                <td>{l.timeVsEstimate === null ? '—' : `${l.timeVsEstimate.toFixed(2)} ×`}</td>
                <td>
                  <FlagBadges flags={l.flags.filter((f) => f === 'time_over_estimate')} labels={signalLabels} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

const dayToSeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function LearnersChart({ days }: { days: Array<{ day: string; activeLearners: number }> }) {
  const { options, data } = useMemo(() => {
    const options: ChartOptions = {
      // Aggregates are per UTC day: ticks fall on whole days and read as the days the tables name.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [{ ...axis('Day', (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(0, 10))), incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400, 91 * 86_400], space: 80 }, axis('Active learners')],
      series: [{ label: 'Day' }, { label: 'Active learners', stroke: colors.bar, width: 2, fill: 'rgba(31, 95, 191, 0.08)', points: { show: days.length < 40 } }],
    };
    const data: AlignedData = [days.map((d) => dayToSeconds(d.day)), days.map((d) => d.activeLearners)];
    return { options, data };
  }, [days]);
  const peak = days.reduce<{ day: string; activeLearners: number } | null>((top, d) => (!top || d.activeLearners > top.activeLearners ? d : top), null);
  return (
    <AnalyticsFigure
      id="learners-chart"
      title="Learners over time"
      reading={peak ? `Learners active each day, ${days[0]!.day} to ${days.at(-1)!.day}; the most on ${peak.day} (${peak.activeLearners}).` : 'No active learners in this period.'}
      chart={<UPlotChart options={options} data={data} height={180} />}
      tableLabel="Learners over time as a table"
      table={
        <table className="table analytics-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Active learners</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.activeLearners}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Two versions' drop-off per lesson drawn over each other, for lessons present in both. */
export function CompareDropOffChart({ lessons, versionA, versionB }: { lessons: Array<{ title: string; a: { dropOffRate: number }; b: { dropOffRate: number } }>; versionA: number; versionB: number }) {
  const { options, data } = useMemo(() => {
    const options: ChartOptions = {
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [axis('Lesson (in both versions)', (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : ''))), axis('Drop-off %')],
      series: [
        { label: 'Lesson' },
        { label: `v${versionA}`, stroke: colors.versionA, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
        { label: `v${versionB}`, stroke: colors.versionB, width: 2, points: { show: true, size: 5 } },
      ],
    };
    const data: AlignedData = [lessons.map((_, i) => i + 1), lessons.map((l) => l.a.dropOffRate * 100), lessons.map((l) => l.b.dropOffRate * 100)];
    return { options, data };
  }, [lessons, versionA, versionB]);
  return <UPlotChart options={options} data={data} />;
}
