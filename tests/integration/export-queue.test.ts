import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createPackageEngine } from '../../core/packaging/engine.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { packageExportPort } from '../../host/package-export.js';
import { openStudioHost } from '../../host/studio-host.js';
import type { StudioEvent } from '../../schemas/api.js';
import type { ExportFormat } from '../../schemas/package.js';
import { createCourseWithApprovedSyllabus, tempDataDir, approveAllContent } from '../helpers.js';

/** A data folder (real SQLite file) with one package built from a course whose every item is approved. */
async function dataFolderWithPackage() {
  const dataDir = tempDataDir('export-queue');
  const opened = openDatabase(databaseFile(dataDir));
  const engine = createEngine({ store: opened.store });
  const content = createContentEngine({ store: opened.store });
  const { course } = await createCourseWithApprovedSyllabus(engine);
  await approveAllContent(content, course.id);
  const pkg = createPackageEngine({ store: opened.store }).buildPackage(course.id, 'dana');
  return { dataDir, opened, packageId: pkg.id };
}

const formats: ExportFormat[] = ['pdf', 'html', 'scorm12', 'scorm2004', 'imscc'];
const magic: Record<ExportFormat, string> = { pdf: '%PDF-', html: 'PK', scorm12: 'PK', scorm2004: 'PK', imscc: 'PK' };

describe('the bounded export queue', () => {
  it('runs at most two of five exports at once, reports the others’ places in line, finishes all five, and never starts a cancelled one', async () => {
    const { dataDir, opened, packageId } = await dataFolderWithPackage();
    try {
      const port = packageExportPort(opened.store, dataDir);
      let running = 0;
      let mostRunning = 0;
      const phases: string[][] = [];
      const positions: number[][] = [];
      const start = (format: ExportFormat, signal: AbortSignal, onQueued?: () => void) => {
        const index = phases.push([]) - 1;
        positions.push([]);
        return port.run({
          packageId,
          format,
          actor: 'dana',
          signal,
          onProgress: (p) => {
            phases[index]!.push(p.phase);
            if (p.phase === 'queued') {
              positions[index]!.push(p.position!);
              onQueued?.();
            }
            // A run holds a slot from its first event that is not `queued` until its `Saved`, the last
            // event sent while the slot is held: the running count is read off the events.
            const first = p.phase !== 'queued' && phases[index]!.filter((phase) => phase !== 'queued').length === 1;
            if (first) mostRunning = Math.max(mostRunning, ++running);
            if (p.phase === 'Saved') running--;
          },
        });
      };
      const exports = formats.map((format) => start(format, new AbortController().signal));
      const cancel = new AbortController();
      // Cancelled the moment it is told its place: it rejects at once, so its outcome is taken at once.
      const cancelled = start('pdf', cancel.signal, () => cancel.abort()).then(
        () => 'finished',
        (error: unknown) => error,
      );

      const records = await Promise.all(exports);
      expect(await cancelled).toMatchObject({ code: 'CANCELLED' });

      expect(mostRunning).toBe(2);
      expect(running).toBe(0);
      // The first two start at once; the rest wait at places 1, 2, 3 and move up as slots free.
      expect(positions.slice(0, 2)).toEqual([[], []]);
      expect(positions[2]![0]).toBe(1);
      expect(positions[3]!.slice(0, 2)).toEqual([2, 1]);
      expect(positions[4]!.slice(0, 3)).toEqual([3, 2, 1]);
      expect(positions[5]).toEqual([4]);
      // Those that waited hear when their turn comes; those that started at once go straight to work.
      for (const seen of phases.slice(2, 5)) expect(seen.filter((phase) => phase !== 'queued')[0]).toBe('Starting');
      for (const seen of phases.slice(0, 2)) expect(seen).not.toContain('Starting');
      for (const seen of phases.slice(0, 5)) expect(seen.at(-1)).toBe('Saved');
      expect(phases[5]).toEqual(['queued']);

      for (const [i, record] of records.entries()) {
        expect(record.format).toBe(formats[i]);
        const bytes = fs.readFileSync(record.path);
        expect(bytes.subarray(0, magic[record.format].length).toString()).toBe(magic[record.format]);
        expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(record.sha256);
      }
      expect(new Set(records.map((r) => r.fileName)).size).toBe(5);
      expect(opened.store.audit.list({ entityId: packageId }).filter((a) => a.action === 'package.exported')).toHaveLength(5);
    } finally {
      opened.close();
    }
  });

  it('through the studio host: queued exports carry their position in package.export events, and cancelling one by runId takes it out of the line', async () => {
    const seeded = await dataFolderWithPackage();
    seeded.opened.close();
    const host = openStudioHost({ dataDir: seeded.dataDir, keys: { kind: 'memory', get: () => null, set: () => undefined } });
    try {
      const events: Array<Extract<StudioEvent, { type: 'package.export' }>> = [];
      let thirdQueued!: () => void;
      const thirdInLine = new Promise<void>((resolve) => (thirdQueued = resolve));
      host.events.subscribe((e) => {
        if (e.type !== 'package.export') return;
        events.push(e);
        if (e.runId === 'run-2' && e.phase === 'queued') thirdQueued();
      });
      const calls = ['pdf', 'html', 'imscc'].map((format, i) => host.dispatch('packages.export', { packageId: seeded.packageId, format, runId: `run-${i}` }));
      await thirdInLine;
      expect(events.filter((e) => e.phase === 'queued').map((e) => [e.runId, e.position])).toEqual([['run-2', 1]]);
      expect(await host.dispatch('packages.cancelExport', { runId: 'run-2' })).toEqual({ ok: true, value: { cancelled: true } });
      const [pdf, html, imscc] = await Promise.all(calls);
      expect(pdf).toMatchObject({ ok: true, value: { format: 'pdf' } });
      expect(html).toMatchObject({ ok: true, value: { format: 'html' } });
      expect(imscc).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      expect(events.filter((e) => e.runId === 'run-2').map((e) => e.phase)).toEqual(['queued']);
    } finally {
      host.close();
    }
  });
});
