import type { ReactNode } from 'react';

/**
 * A chart with its numbers: the heading and a one-line reading of the chart in words, the drawing
 * (hidden from assistive technology), and the same numbers as a table under a disclosure, so every
 * chart can be read without seeing it.
 */
export function AnalyticsFigure({ id, title, reading, chart, tableLabel, table }: { id: string; title: string; reading: ReactNode; chart: ReactNode; tableLabel: string; table: ReactNode }) {
  return (
    <figure className="panel analytics-figure" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption>
        <h2 id={`${id}-title`}>{title}</h2>
        <p className="muted analytics-reading">{reading}</p>
      </figcaption>
      {chart}
      <details>
        <summary>{tableLabel}</summary>
        <div className="table-scroll" role="region" aria-label={tableLabel} tabIndex={0}>
          {table}
        </div>
      </details>
    </figure>
  );
}

export function FlagBadges({ flags, labels }: { flags: readonly string[]; labels: Record<string, string> }) {
  if (flags.length === 0) return null;
  return (
    <span className="flag-badges">
      {flags.map((flag) => (
        <span key={flag} className={`badge flag-badge flag-${flag}`}>
          {labels[flag] ?? flag}
        </span>
      ))}
    </span>
  );
}
