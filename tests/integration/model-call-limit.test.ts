import { afterEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import type { ModelProvider } from '../../core/ai/port.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService } from '../../core/regeneration/service.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { openStudioHost } from '../../host/studio-host.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import { tempDataDir } from '../helpers.js';

/**
 * One studio process, one limit on model calls in flight: a content batch and the background
 * regeneration worker draw from it together. The model here counts the calls it is answering at
 * once; each answer takes a little while, so calls would pile up if nothing held them back.
 */

let close: (() => void) | undefined;
afterEach(() => close?.());

function countingModel() {
  const mock = createMockProvider({ latencyMs: 40 });
  const seen = { inFlight: 0, most: 0, calls: 0 };
  const provider: ModelProvider = {
    name: mock.name,
    model: mock.model,
    async complete(request) {
      seen.calls++;
      seen.most = Math.max(seen.most, ++seen.inFlight);
      try {
        return await mock.complete(request);
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { provider, seen };
}

/** A course of two modules of three lessons: its six quizzes exist already (four get jobs), its six lessons are the batch. */
async function prepare() {
  const dataDir = tempDataDir('model-call-limit');
  const opened = openDatabase(databaseFile(dataDir));
  const engine = createEngine({ store: opened.store });
  const course = engine.createCourse({ title: 'Reading Financial Statements', audience: 'New analysts', level: 'beginner', timeBudgetHours: 3, teachingStyle: 'worked examples', constraints: [], language: 'en' }, 'dana');
  const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider({ shape: { modules: 2, lessonsPerModule: 3 } })] });
  engine.submitSyllabus(draft.id, 'dana');
  const approved = engine.approveSyllabus(draft.id, { by: 'rui' });
  const content = createContentEngine({ store: opened.store });
  const existing = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'quiz' } })).generated;
  expect(content.planContent(approved.syllabus, { kind: 'lesson' }).length, 'the batch is six items').toBe(6);
  const service = createRegenerationService({ store: opened.store });
  const jobs = existing.slice(0, 4).map((item) => service.createJob({ targetItemId: item.id, instruction: 'Use an example from a small bakery', actor: 'dana' }));
  opened.close();
  return { dataDir, courseId: course.id, jobIds: jobs.map((j) => j.id) };
}

async function runBoth(modelCallLimit: number) {
  const { dataDir, courseId, jobIds } = await prepare();
  const { provider, seen } = countingModel();
  const host = openStudioHost({ dataDir, keys: { kind: 'memory', get: () => null, set: () => undefined }, models: () => [provider], modelCallLimit, backgroundRegeneration: true });
  close = host.close;
  const batch = host.dispatch('content.generate', { courseId, runId: 'batch-1', kind: 'lesson', concurrency: 4 });
  const triggered = await host.dispatch('jobs.trigger', { jobIds });
  expect(triggered.ok).toBe(true);
  const generated = await batch;
  let jobs: RegenerationJob[] = [];
  for (let i = 0; i < 400; i++) {
    const listed = await host.dispatch('jobs.list', { courseId });
    jobs = listed.ok ? (listed.value as RegenerationJob[]) : [];
    if (jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { generated, jobs, seen };
}

describe('model calls in flight, shared by a content batch and the regeneration worker', () => {
  it('with a limit of 2, a batch of 6 items and 4 triggered jobs never have more than 2 calls in flight, and both finish', async () => {
    const { generated, jobs, seen } = await runBoth(2);
    expect(generated).toMatchObject({ ok: true, value: { planned: 6, failed: [], cancelled: false } });
    expect((generated as { value: { generated: unknown[] } }).value.generated).toHaveLength(6);
    expect(jobs.map((j) => j.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(seen.calls).toBe(10);
    expect(seen.most).toBeLessThanOrEqual(2);
  }, 60_000);

  it('with room for 8, the same work does run more than 2 calls at once (so the limit above is what held it to 2)', async () => {
    const { jobs, seen } = await runBoth(8);
    expect(jobs.map((j) => j.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(seen.calls).toBe(10);
    expect(seen.most).toBeGreaterThan(2);
  }, 60_000);
});
