import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import JSZip from 'jszip';
import '../../host/native-hash.js';
import { htmlSiteFiles, wholeData } from '../../core/export/html/site.js';
import { writeZip } from '../../host/zip-writer.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { median, timeRuns, type BenchRow } from './measure.js';

/**
 * How the exporters' zip writer was chosen: the 40 × 12 static-site export (one page per lesson,
 * about 480 files) zipped by each candidate at deflate level 6, against Info-ZIP's `zip -r` of
 * the same files on disk, in the same run.
 */
export async function benchZipLibraries(): Promise<BenchRow[]> {
  const files = htmlSiteFiles(samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } }));
  const modified = new Date('2026-01-06T10:30:00Z');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-ziplib-'));
  try {
    for (const file of files) {
      const target = path.join(dir, 'files', file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, wholeData(file));
    }
    const candidates: Array<[string, () => unknown]> = [
      [
        'zip -r (Info-ZIP, native)',
        () => {
          fs.rmSync(path.join(dir, 'out.zip'), { force: true });
          execFileSync('zip', ['-r', '-q', '-X', path.join(dir, 'out.zip'), '.'], { cwd: path.join(dir, 'files') });
        },
      ],
      ['yazl (native zlib) — chosen', () => writeZip(files, { modified })],
      ['fflate zipSync (JavaScript deflate)', () => zipSync(Object.fromEntries(files.map((f) => [f.path, [((d) => (typeof d === 'string' ? strToU8(d) : d))(wholeData(f)), { level: 6, mtime: modified }]])))],
      [
        'jszip (JavaScript deflate)',
        () => {
          const zip = new JSZip();
          for (const f of files) zip.file(f.path, wholeData(f), { date: modified });
          return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
        },
      ],
    ];
    const results: Array<[string, number]> = [];
    for (const [name, run] of candidates) results.push([name, median(await timeRuns(5, run, 1))]);
    const reference = results[0]![1];
    return results.map(([name, ms]) => ({ name: `zip ${files.length} files of the 40×12 site: ${name}`, value: ms, unit: 'ms', note: `${(ms / reference).toFixed(2)} × zip -r` }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
