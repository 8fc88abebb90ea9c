import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import type { ModelProvider } from '../../core/ai/port.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createRegenerationService, type RegenerationService } from '../../core/regeneration/service.js';
import { createRegenerationWorker } from '../../core/regeneration/worker.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem } from '../../schemas/content.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';

/**
 * Jobs and retry intents in process against a real database file: the state machine from both
 * sides, the one-active-job rule, the retry limit, cancelling a running job, lease expiry.
 */

let opened: ReturnType<typeof openDatabase>;
let service: RegenerationService;
let quizzes: ContentItem[];
let clockAt: number;
const clock = { now: () => new Date(clockAt) };

beforeEach(async () => {
  opened = openDatabase(path.join(tempDataDir('regeneration-jobs'), 'coursewright.db'));
  const engine = createEngine({ store: opened.store });
  const { course } = await createCourseWithApprovedSyllabus(engine);
  const content = createContentEngine({ store: opened.store });
  quizzes = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'quiz' } })).generated;
  clockAt = Date.UTC(2026, 5, 1, 9, 0, 0);
  service = createRegenerationService({ store: opened.store, clock });
});
afterEach(() => opened.close());

const raw = () => opened.db;
const auditActions = (entityId: string) => opened.store.audit.list({ entityId }).map((entry) => entry.action);

/** A model that answers like the mock but only once released: a job can be held RUNNING. */
function gatedModel() {
  const mock = createMockProvider();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let called!: () => void;
  const reached = new Promise<void>((resolve) => (called = resolve));
  const provider: ModelProvider = {
    name: mock.name,
    model: mock.model,
    complete: async (request) => {
      called();
      await Promise.race([gate, new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))))]);
      return mock.complete(request);
    },
  };
  return { provider, release, reached };
}

describe('the job state machine', () => {
  it('creates PENDING, triggers once, and a worker completes it with a new draft linked to the job', async () => {
    const job = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder distractors', actor: 'dana' });
    expect(job).toMatchObject({ status: 'PENDING', targetKind: 'quiz', targetRef: quizzes[0]!.targetId, originalJobId: job.id, retryOfJobId: null, triggeredBy: null });
    expect(service.triggerJobs([job.id], 'rui')).toMatchObject([{ status: 'TRIGGERED', triggeredBy: 'rui' }]);
    expect(() => service.triggerJobs([job.id], 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`Job ${job.id} is TRIGGERED, not PENDING`) }));

    const worker = createRegenerationWorker({ service, models: () => [createMockProvider()], workerId: 'w1' });
    const summary = await worker.run({ untilIdle: true });
    expect(summary).toEqual({ completed: 1, failed: 0, lost: 0, expired: 0 });
    const done = service.getJob(job.id);
    expect(done).toMatchObject({ status: 'COMPLETED', workerId: 'w1', error: null });
    const output = opened.store.content.get(done.outputItemId!)!;
    expect(output).toMatchObject({ status: 'DRAFT', version: 2, targetId: quizzes[0]!.targetId, metadata: { createdBy: 'dana', params: { instruction: 'harder distractors' } } });
    expect(raw().prepare('SELECT job_id, output_id FROM regeneration_job_outputs').all()).toEqual([{ job_id: job.id, output_id: output.id }]);
    expect(auditActions(job.id)).toEqual(['job.created', 'job.triggered', 'job.locked', 'job.started', 'job.completed']);
    // Completed is final: not triggered, cancelled or retried again.
    expect(() => service.triggerJobs([job.id], 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => service.cancelJob(job.id, 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('has already ended') }));
    expect(() => service.createRetryIntent({ jobId: job.id, reasonCode: 'other', reasonText: 'again', actor: 'rui' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('only a FAILED job is retried') }));
  });

  it('allows one active job per target, naming the first; once it ends, another may be created', () => {
    const first = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    expect(() => service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'easier', actor: 'rui' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`already has an active regeneration job, ${first.id} (PENDING)`) }),
    );
    // Another target is free.
    expect(service.createJob({ targetItemId: quizzes[1]!.id, instruction: 'easier', actor: 'rui' }).status).toBe('PENDING');
    service.cancelJob(first.id, 'dana');
    expect(service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'easier', actor: 'rui' }).status).toBe('PENDING');
  });

  it('triggers many jobs together, or none when one of them is not pending', () => {
    const a = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'a', actor: 'dana' });
    const b = service.createJob({ targetItemId: quizzes[1]!.id, instruction: 'b', actor: 'dana' });
    const c = service.createJob({ targetItemId: quizzes[2]!.id, instruction: 'c', actor: 'dana' });
    service.cancelJob(c.id, 'dana');
    expect(() => service.triggerJobs([a.id, b.id, c.id], 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`Job ${c.id} is FAILED`) }));
    expect([service.getJob(a.id).status, service.getJob(b.id).status]).toEqual(['PENDING', 'PENDING']);
    expect(service.triggerJobs([a.id, b.id], 'rui').map((j) => j.status)).toEqual(['TRIGGERED', 'TRIGGERED']);
  });

  it('refuses a job for an item in review or replaced, and allows one for an approved or draft item', async () => {
    const content = createContentEngine({ store: opened.store });
    content.submitContent([quizzes[0]!.id], 'dana');
    expect(() => service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('is in review') }));
    expect(() => service.createJob({ targetItemId: 'qz_missing', instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const next = await content.regenerateContent(quizzes[1]!.id, { actor: 'dana', models: [createMockProvider()], instruction: 'different' });
    expect(() => service.createJob({ targetItemId: quizzes[1]!.id, instruction: 'x', actor: 'dana' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('replaced by a newer version') }));
    expect(service.createJob({ targetItemId: next.id, instruction: 'x', actor: 'dana' }).status).toBe('PENDING');
  });

  it('cancelling a running job ends it FAILED "cancelled"; the worker saves nothing', async () => {
    const job = service.createAndTrigger({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    const model = gatedModel();
    const worker = createRegenerationWorker({ service, models: () => [model.provider], workerId: 'w1' });
    const running = worker.run({ untilIdle: true });
    await model.reached;
    expect(service.getJob(job.id).status).toBe('RUNNING');
    expect(service.cancelJob(job.id, 'rui')).toMatchObject({ status: 'FAILED', error: 'cancelled' });
    model.release();
    expect(await running).toMatchObject({ completed: 0, lost: 1 });
    expect(service.getJob(job.id)).toMatchObject({ status: 'FAILED', error: 'cancelled', outputItemId: null });
    expect(opened.store.content.listByCourse(quizzes[0]!.courseId).filter((i) => i.targetId === quizzes[0]!.targetId && i.kind === 'quiz')).toHaveLength(1);
    expect(raw().prepare('SELECT count(*) AS n FROM regeneration_job_outputs').get()).toEqual({ n: 0 });
    expect(auditActions(job.id)).toEqual(['job.created', 'job.triggered', 'job.locked', 'job.started', 'job.failed']);
  });

  it('a lease that runs out ends the job FAILED "worker stopped" and the late worker saves nothing', async () => {
    const job = service.createAndTrigger({ targetItemId: quizzes[0]!.id, instruction: 'harder', actor: 'dana' });
    const model = gatedModel();
    const worker = createRegenerationWorker({ service, models: () => [model.provider], workerId: 'stalled', leaseMs: 60_000 });
    const running = worker.run({ untilIdle: true });
    await model.reached;
    // Before the lease ends nothing is swept; after it, the job fails for good.
    clockAt += 59_000;
    expect(service.sweepExpiredLeases()).toEqual([]);
    clockAt += 2_000;
    expect(service.sweepExpiredLeases().map((j) => j.id)).toEqual([job.id]);
    model.release();
    expect(await running).toMatchObject({ completed: 0, lost: 1 });
    expect(service.getJob(job.id)).toMatchObject({ status: 'FAILED', error: 'worker stopped', outputItemId: null });
  });
});

describe('retry intents', () => {
  function failedJob(target = quizzes[0]!) {
    const job = service.createJob({ targetItemId: target.id, instruction: 'harder', actor: 'dana' });
    return service.cancelJob(job.id, 'dana');
  }

  it('creates a new triggered job linked to the failed one, once; the failed job row never changes', async () => {
    const failed = failedJob();
    const before = raw().prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(failed.id);
    const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'cancelled_by_mistake', reasonText: 'meant to run it', instruction: 'plausible distractors', actor: 'rui' });
    expect(intent).toMatchObject({ status: 'PENDING', jobId: failed.id, originalJobId: failed.id });
    expect(() => service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'twice', actor: 'rui' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(intent.id) }));
    const { job } = service.executeRetryIntent(intent.id, 'rui');
    expect(job).toMatchObject({ status: 'TRIGGERED', retryOfJobId: failed.id, retryIntentId: intent.id, originalJobId: failed.id, instruction: 'plausible distractors', source: { type: 'retry' } });
    expect(() => service.executeRetryIntent(intent.id, 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(`it created job ${job.id}`) }));
    await createRegenerationWorker({ service, models: () => [createMockProvider()], workerId: 'w' }).run({ untilIdle: true });
    expect(service.getJob(job.id).status).toBe('COMPLETED');
    expect(raw().prepare('SELECT * FROM regeneration_jobs WHERE id = ?').get(failed.id)).toEqual(before);
    expect(service.showJob(job.id)).toMatchObject({ chain: [{ id: failed.id }, { id: job.id }], retriesLeft: 2 });
  });

  it('a rejected intent creates nothing and stays rejected; another may then be asked for', () => {
    const failed = failedJob();
    const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'try again', actor: 'rui' });
    expect(service.rejectRetryIntent(intent.id, 'lead', 'the item is being rewritten by hand')).toMatchObject({ status: 'REJECTED', decidedBy: 'lead' });
    expect(() => service.executeRetryIntent(intent.id, 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('rejected by lead') }));
    expect(service.listJobs()).toHaveLength(1);
    expect(service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'now', actor: 'rui' }).status).toBe('PENDING');
  });

  it('stops at the retry limit (default 3) per first job, and follows the setting', () => {
    let failed = failedJob();
    const original = failed.id;
    for (let retry = 1; retry <= 3; retry++) {
      const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: `retry ${retry}`, actor: 'rui' });
      failed = service.cancelJob(service.executeRetryIntent(intent.id, 'rui').job.id, 'rui');
      expect(failed.originalJobId).toBe(original);
    }
    expect(() => service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'fourth', actor: 'rui' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('retried 3 time(s), the limit') }),
    );
    opened.store.settings.set('regenerationRetryLimit', 4);
    expect(service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'fourth', actor: 'rui' }).status).toBe('PENDING');
  });

  it('a retry is refused while another job holds the target', () => {
    const failed = failedJob();
    const intent = service.createRetryIntent({ jobId: failed.id, reasonCode: 'other', reasonText: 'again', actor: 'rui' });
    const other = service.createJob({ targetItemId: quizzes[0]!.id, instruction: 'something else', actor: 'dana' });
    expect(() => service.executeRetryIntent(intent.id, 'rui')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(other.id) }));
    expect(service.listRetryIntents({ jobId: failed.id })).toMatchObject([{ status: 'PENDING' }]);
  });
});
