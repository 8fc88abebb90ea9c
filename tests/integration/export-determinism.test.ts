import { describe, expect, it } from 'vitest';
import { exportPackage } from '../../core/export/index.js';
import { exportHost } from '../../host/export-assets.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { ExportFormat, MAX_EXPORT_PACKAGE_BYTES } from '../../schemas/package.js';
import { samplePackage } from '../fixtures/sample-package.js';

describe('every exporter', () => {
  const pkg = samplePackage({ shape: { modules: 2, lessonsPerModule: 2 } });

  it.each(ExportFormat.options)('%s: the same package exported twice gives byte-identical files', async (format) => {
    const first = await exportPackage(pkg, { format }, exportHost());
    const second = await exportPackage(structuredClone(pkg), { format }, exportHost());
    expect(first.bytes.length).toBeGreaterThan(1000);
    expect(Buffer.compare(Buffer.from(first.bytes), Buffer.from(second.bytes))).toBe(0);
  });

  it('a different build time changes the bytes (the build time is the only timestamp)', async () => {
    const first = await exportPackage(pkg, { format: 'scorm12' }, exportHost());
    const later = await exportPackage({ ...pkg, createdAt: '2026-03-01T08:00:00.000Z' }, { format: 'scorm12' }, exportHost());
    expect(Buffer.compare(Buffer.from(first.bytes), Buffer.from(later.bytes))).not.toBe(0);
  });

  it('refuses a package over 5 MB with a clear error, before any work', async () => {
    const huge = structuredClone(pkg);
    huge.document.course.summary = 'x'.repeat(MAX_EXPORT_PACKAGE_BYTES);
    delete huge.sizeBytes;
    const progress: unknown[] = [];
    const attempt = exportPackage(huge, { format: 'html', onProgress: (p) => progress.push(p) }, exportHost());
    await expect(attempt).rejects.toThrow(CoursewrightError);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/5\.0 MB of JSON; exports accept packages up to 5\.0 MB/) });
    expect(progress).toEqual([]);
    // A stored package carries the size measured when it was built.
    await expect(exportPackage({ ...pkg, sizeBytes: MAX_EXPORT_PACKAGE_BYTES + 1 }, { format: 'pdf' }, exportHost())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each(ExportFormat.options)('%s: reports progress and stops when cancelled', async (format) => {
    const abort = new AbortController();
    const phases: string[] = [];
    const attempt = exportPackage(pkg, { format, signal: abort.signal, onProgress: (p) => { phases.push(p.phase); if (p.done >= 1) abort.abort(); } }, exportHost());
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(phases.length).toBeGreaterThan(0);
  });
});
