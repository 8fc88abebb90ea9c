import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../host/native-hash.js';
import { exportPackage } from '../../core/export/index.js';
import { wholeData } from '../../core/export/html/site.js';
import { scormFiles } from '../../core/export/scorm.js';
import { exportHost, loadExportAssets } from '../../host/export-assets.js';
import { ExportFormat } from '../../schemas/package.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { median, timeRuns, type BenchRow } from './measure.js';

const exportOne = fileURLToPath(new URL('./export-one.ts', import.meta.url));

/**
 * Every exporter on the 40 × 12 course, each in its own process for a clean peak-memory figure;
 * then the SCORM export against `zip -r` of the very files it contains, in this same run.
 */
export async function benchExports(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const format of ExportFormat.options) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', exportOne, format], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; bytes: number; peakRssMiB: number; baseRssMiB: number };
    rows.push({
      name: `export ${format}, 40×12 (480 lessons)`,
      value: result.ms,
      unit: 'ms',
      note: `${(result.bytes / 2 ** 20).toFixed(1)} MiB file; peak RSS ${result.peakRssMiB.toFixed(0)} MiB (+${(result.peakRssMiB - result.baseRssMiB).toFixed(0)} MiB exporting)`,
    });
  }

  const pkg = samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } });
  const assets = loadExportAssets();
  const host = exportHost();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-zip-'));
  try {
    for (const file of scormFiles(pkg, 'scorm12', assets.schemaFiles.scorm12)) {
      const target = path.join(dir, 'files', file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, wholeData(file));
    }
    const zipTimes = await timeRuns(5, () => {
      fs.rmSync(path.join(dir, 'out.zip'), { force: true });
      execFileSync('zip', ['-r', '-q', '-X', path.join(dir, 'out.zip'), '.'], { cwd: path.join(dir, 'files') });
    }, 1);
    const exportTimes = await timeRuns(5, () => exportPackage(pkg, { format: 'scorm12' }, host), 1);
    const ratio = median(exportTimes) / median(zipTimes);
    rows.push({
      name: 'SCORM 1.2 export vs `zip -r` of the same files',
      value: ratio,
      unit: '×',
      target: '≤ 1.5 ×',
      note: `export ${median(exportTimes).toFixed(0)} ms (writing every file and zipping) vs zip -r ${median(zipTimes).toFixed(0)} ms (zipping files already on disk)`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
