import { canonicalJson } from '../../core/hash.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { callStudio, seedLargeSyllabus, serveStudio } from '../e2e/browser.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { tempDataDir } from '../helpers.js';
import { median, type BenchRow } from './measure.js';

/** A 40 × 12 package stored in a data folder as `package build` would have stored it. */
async function seedLargePackage(dataDir: string): Promise<string> {
  const { courseId } = await seedLargeSyllabus(dataDir);
  const opened = openDatabase(databaseFile(dataDir));
  try {
    const [syllabus] = opened.store.syllabi.listByCourse(courseId);
    const pkg = samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } });
    const documentJson = canonicalJson(pkg.document);
    opened.store.packages.insert({
      id: 'pkg-bench-large',
      courseId,
      syllabusVersionId: syllabus!.id,
      version: 1,
      contentHash: pkg.contentHash,
      itemHashes: [],
      documentJson,
      sizeBytes: Buffer.byteLength(documentJson),
      moduleCount: 40,
      lessonCount: 480,
      createdBy: 'bench',
      createdAt: pkg.createdAt,
    });
    return 'pkg-bench-large';
  } finally {
    opened.close();
  }
}

/**
 * The served studio's answer time for a trivial call while a 480-lesson PDF export runs, against
 * the same call on an idle server: the export runs in a thread of its own, so other calls barely
 * notice it.
 */
export async function benchServedLatency(): Promise<BenchRow[]> {
  const dataDir = tempDataDir('bench-served');
  const packageId = await seedLargePackage(dataDir);
  const studio = await serveStudio(dataDir);
  const trivialCall = async () => {
    const started = performance.now();
    await callStudio(studio, 'settings.get', {});
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 20; i++) await trivialCall();
    const idle: number[] = [];
    for (let i = 0; i < 100; i++) idle.push(await trivialCall());

    let exporting = true;
    const exportStarted = performance.now();
    const exported = callStudio(studio, 'packages.export', { packageId, format: 'pdf', runId: 'bench-export' }).finally(() => (exporting = false));
    const busy: number[] = [];
    while (exporting) {
      busy.push(await trivialCall());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await exported;
    const exportMs = performance.now() - exportStarted;
    const ratio = median(busy) / median(idle);
    return [
      { name: 'served studio: trivial call, idle (median of 100)', value: median(idle), unit: 'ms' },
      {
        name: 'served studio: trivial call during a 480-lesson PDF export, ÷ idle',
        value: ratio,
        unit: '×',
        target: '≤ 3×',
        note: `median ${median(busy).toFixed(1)} ms over ${busy.length} calls; max ${Math.max(...busy).toFixed(0)} ms; export ${(exportMs / 1000).toFixed(1)} s`,
      },
    ];
  } finally {
    await studio.stop();
  }
}
