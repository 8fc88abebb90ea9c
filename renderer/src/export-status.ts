import type { StudioEvent } from '../../schemas/api.js';

type ExportProgress = Extract<StudioEvent, { type: 'package.export' }>;

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st: English ordinals for a place in line. */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** The export dialog's one-line status: its place in line while it waits, then the exporter's phase. */
export function exportStatusLine(progress: ExportProgress | null): string {
  if (!progress) return 'Starting…';
  if (progress.phase === 'queued') return progress.position ? `Waiting: ${ordinal(progress.position)} in line` : 'Waiting in line…';
  if (progress.total === 0) return `${progress.phase}…`;
  return `${progress.phase}: ${progress.done} of ${progress.total}`;
}
