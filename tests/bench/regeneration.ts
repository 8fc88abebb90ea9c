import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../host/native-hash.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService } from '../../core/regeneration/service.js';
import { createRegenerationWorker } from '../../core/regeneration/worker.js';
import { openDatabase } from '../../db/open.js';
import { median } from './measure.js';
import type { BenchRow } from './measure.js';

/**
 * 1,000 triggered regeneration jobs (quizzes and lessons across 25 courses of 40 items) run by one
 * worker at concurrency 8 with the mock at 200 ms a call, against the ideal 1,000 × 0.2 s ÷ 8; and
 * a trivial read (jobs list of one course) timed while the worker runs, against the same read idle.
 */
export async function benchRegeneration(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-regeneration-'));
  const opened = openDatabase(path.join(dir, 'coursewright.db'));
  try {
    const engine = createEngine({ store: opened.store });
    const content = createContentEngine({ store: opened.store });
    const service = createRegenerationService({ store: opened.store });
    const targets: string[] = [];
    let firstCourse = '';
    for (let c = 0; c < 25; c++) {
      const course = engine.createCourse({ title: `Regeneration bench course ${c + 1}`, audience: 'Backend engineers', level: 'advanced', timeBudgetHours: 40, teachingStyle: 'labs', constraints: [] }, 'bench');
      firstCourse ||= course.id;
      const draft = await engine.generateSyllabusDraft(course.id, { actor: 'bench', models: [createMockProvider({ shape: { modules: 4, lessonsPerModule: 5 } })] });
      engine.submitSyllabus(draft.id, 'bench');
      engine.approveSyllabus(draft.id, { by: 'bench' });
      const generated = await content.generateContent(course.id, { actor: 'bench', models: [createMockProvider()], concurrency: 8 });
      targets.push(...generated.generated.filter((i) => i.kind !== 'project').map((i) => i.id));
    }
    const jobIds = targets.slice(0, 1000).map((id) => service.createJob({ targetItemId: id, instruction: 'use a worked example', actor: 'bench' }).id);
    service.triggerJobs(jobIds, 'bench');

    const probe = () => {
      const start = performance.now();
      service.listJobs({ courseId: firstCourse, limit: 50 });
      return performance.now() - start;
    };
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) idle.push(probe());

    const worker = createRegenerationWorker({ service, models: () => [createMockProvider({ latencyMs: 200 })], workerId: 'bench', concurrency: 8 });
    const busy: number[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        busy.push(probe());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = performance.now();
    const summary = await worker.run({ untilIdle: true });
    const wall = performance.now() - started;
    running = false;
    await sampler;
    const ideal = (jobIds.length * 200) / 8;
    return [
      {
        name: `regeneration: ${jobIds.length} jobs, mock 200 ms/call, concurrency 8 (${summary.completed} completed, ${summary.failed} failed)`,
        value: wall / 1000,
        unit: 's',
        target: `≤ 1.25 × ideal (${(ideal / 1000).toFixed(1)} s)`,
        note: `${(wall / ideal).toFixed(3)} × ideal`,
      },
      {
        name: 'regeneration: a jobs list call while the worker runs (median)',
        value: median(busy),
        unit: 'ms',
        target: `≤ 3 × idle median (${median(idle).toFixed(2)} ms)`,
        note: `${(median(busy) / median(idle)).toFixed(2)} × idle over ${busy.length} calls`,
      },
    ];
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
