import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../host/native-hash.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import type { BenchRow } from './measure.js';

/**
 * A 40 × 12 course (480 lessons, 480 quizzes, 40 projects) with the mock at 200 ms a call and
 * concurrency 8, against the ideal: calls × 0.2 s ÷ 8.
 */
export async function benchContent(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-content-'));
  const opened = openDatabase(path.join(dir, 'coursewright.db'));
  try {
    const engine = createEngine({ store: opened.store });
    const content = createContentEngine({ store: opened.store });
    const course = engine.createCourse({ title: 'Distributed Systems Engineering', audience: 'Backend engineers', level: 'advanced', timeBudgetHours: 240, teachingStyle: 'labs', constraints: [] }, 'bench');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'bench', models: [createMockProvider({ shape: { modules: 40, lessonsPerModule: 12 } })] });
    engine.submitSyllabus(draft.id, 'bench');
    engine.approveSyllabus(draft.id, { by: 'bench' });

    // Other suites ran in this process first: report the peak above what it held before the run.
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const summary = await content.generateContent(course.id, { actor: 'bench', models: [createMockProvider({ latencyMs: 200 })], concurrency: 8 });
    const wall = performance.now() - started;
    clearInterval(sampler);
    const calls = summary.generated.length + summary.failed.length;
    const ideal = (calls * 200) / 8;
    return [
      { name: `content for 40×12 (${calls} items: lessons, quizzes, projects), mock 200 ms/call, concurrency 8`, value: wall / 1000, unit: 's', target: `≤ 1.25 × ideal (${(ideal / 1000).toFixed(1)} s)`, note: `${(wall / ideal).toFixed(3)} × ideal; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (+${((peakRss - baseRss) / 2 ** 20).toFixed(0)} MiB during the run)` },
    ];
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
