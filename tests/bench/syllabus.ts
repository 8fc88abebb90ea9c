import '../../host/native-hash.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../core/engine.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import type { ModelProvider, ModelRequest } from '../../core/ai/port.js';
import { openDatabase } from '../../db/open.js';
import { LearningIntent } from '../../schemas/intent.js';
import { median, timeRuns, type BenchRow } from './measure.js';

const intent = LearningIntent.parse({
  title: 'Distributed Systems Engineering',
  audience: 'Backend engineers moving into platform teams',
  level: 'advanced',
  timeBudgetHours: 240,
  teachingStyle: 'case studies and labs',
  constraints: ['every module ends with a lab'],
});

/** A provider that returns one fixed raw text instantly: isolates our pipeline from the model. */
function fixedTextProvider(content: string): ModelProvider {
  return {
    name: 'fixed',
    model: 'fixed',
    complete: async (_request: ModelRequest) => ({ content, provider: 'fixed', model: 'fixed', usage: { promptTokens: 0, completionTokens: 0 } }),
  };
}

export async function benchSyllabus(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-'));
  const opened = openDatabase(path.join(dir, 'coursewright.db'));
  try {
    const engine = createEngine({ store: opened.store });
    const course = engine.createCourse(intent, 'bench');
    const large = createMockProvider({ shape: { modules: 40, lessonsPerModule: 12 } });
    const raw = (await large.complete({ purpose: 'bench', messages: [], task: { kind: 'syllabus.generate', intent } })).content;
    const fixed = fixedTextProvider(raw);

    const pipeline = await timeRuns(20, () => engine.generateSyllabusDraft(course.id, { actor: 'bench', models: [fixed] }));
    const lessons = 40 * 12;

    const small = engine.createCourse({ ...intent, timeBudgetHours: 8 }, 'bench');
    const mock = createMockProvider();
    const start = performance.now();
    for (let i = 0; i < 100; i++) await engine.generateSyllabusDraft(small.id, { actor: 'bench', models: [mock] });
    const hundred = performance.now() - start;

    return [
      { name: `raw model text → persisted draft, 40×12 (${lessons} lessons, ${(raw.length / 1024).toFixed(0)} KB), median of 20`, value: median(pipeline), unit: 'ms', target: '< 50 ms' },
      { name: '100 mock generations end to end (8 h intent, real SQLite file)', value: hundred, unit: 'ms', note: `${(hundred / 100).toFixed(2)} ms each` },
    ];
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
