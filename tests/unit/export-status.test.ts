import { describe, expect, it } from 'vitest';
import { exportStatusLine, ordinal } from '../../renderer/src/export-status.js';

const event = (phase: string, done: number, total: number, position?: number) => ({
  type: 'package.export' as const,
  runId: 'r',
  packageId: 'p',
  format: 'pdf' as const,
  phase,
  done,
  total,
  ...(position ? { position } : {}),
});

describe('the export dialog status line', () => {
  it('shows a queued export’s place in line as an ordinal', () => {
    expect(exportStatusLine(event('queued', 0, 0, 3))).toBe('Waiting: 3rd in line');
    expect(exportStatusLine(event('queued', 0, 0, 1))).toBe('Waiting: 1st in line');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '112th']);
  });

  it('shows the exporter’s own phases once the export runs', () => {
    expect(exportStatusLine(null)).toBe('Starting…');
    expect(exportStatusLine(event('Starting', 0, 0))).toBe('Starting…');
    expect(exportStatusLine(event('Laying out lessons', 4, 9))).toBe('Laying out lessons: 4 of 9');
  });
});
