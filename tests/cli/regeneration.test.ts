import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import type { ContentItem } from '../../schemas/content.js';
import { createCourseWithApprovedSyllabus, tempDataDir } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

/** `coursewright jobs …`, `retry-intents …` and `worker` as a shell runs them: output, exit codes, and what ends up stored. */

let dataDir: string;
let quizzes: ContentItem[];

beforeAll(async () => {
  dataDir = tempDataDir('cli-regeneration');
  const opened = openDatabase(path.join(dataDir, 'coursewright.db'));
  const { course } = await createCourseWithApprovedSyllabus(createEngine({ store: opened.store }));
  quizzes = (await createContentEngine({ store: opened.store }).generateContent(course.id, { actor: 'dana', models: [createMockProvider()], filter: { kind: 'quiz' } })).generated;
  opened.close();
}, 60_000);

const cw = (...args: string[]) => runCoursewright(['--data', dataDir, ...args]);

describe('coursewright jobs, retry-intents and worker', () => {
  it('creates, refuses a second active job (exit 5 naming the first), triggers once, and a worker runs it', async () => {
    const created = await cw('--json', 'jobs', 'create', '--target', quizzes[0]!.id, '--instruction', 'harder distractors');
    expect(created.code, created.stderr).toBe(0);
    const job = created.json();
    expect(job).toMatchObject({ status: 'PENDING', targetItemId: quizzes[0]!.id, instruction: 'harder distractors', createdBy: 'cli-tester' });

    const second = await cw('jobs', 'create', '--target', quizzes[0]!.id, '--instruction', 'easier');
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`already has an active regeneration job, ${job.id} (PENDING)`);

    expect((await cw('jobs', 'trigger', job.id)).code).toBe(0);
    const again = await cw('jobs', 'trigger', job.id);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain(`Job ${job.id} is TRIGGERED, not PENDING`);
    expect((await cw('jobs', 'trigger', 'job_missing')).code).toBe(4);

    const listed = await cw('--json', 'jobs', 'list', '--status', 'TRIGGERED');
    expect(listed.json().map((j: { id: string }) => j.id)).toEqual([job.id]);

    const worker = await cw('--json', 'worker', '--until-idle', '--concurrency', '2');
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.json()).toMatchObject({ completed: 1, failed: 0 });
    const shown = await cw('--json', 'jobs', 'show', job.id);
    expect(shown.json()).toMatchObject({ job: { status: 'COMPLETED', outputItemId: expect.stringMatching(/^qz_/) }, retriesLeft: 3 });
    const human = await cw('jobs', 'show', job.id);
    expect(human.stdout).toContain(`Job ${job.id} — COMPLETED`);
    expect(human.stdout).toContain('instruction  harder distractors');
  }, 120_000);

  it('cancels, retries through an intent once, and refuses bad flags with exit 2', async () => {
    const job = (await cw('--json', 'jobs', 'create', '--target', quizzes[1]!.id, '--instruction', 'use a retail example')).json();
    const cancelled = await cw('--json', 'jobs', 'cancel', job.id);
    expect(cancelled.json()).toMatchObject({ status: 'FAILED', error: 'cancelled' });
    expect((await cw('jobs', 'cancel', job.id)).code).toBe(5);

    expect((await cw('retry-intents', 'create', job.id, '--reason', 'because', '--text', 'x')).code).toBe(2);
    const intent = await cw('--json', 'retry-intents', 'create', job.id, '--reason', 'cancelled_by_mistake', '--text', 'meant to run it', '--instruction', 'use a grocery example');
    expect(intent.code, intent.stderr).toBe(0);
    const executed = await cw('--json', 'retry-intents', 'execute', intent.json().id);
    expect(executed.json()).toMatchObject({ intent: { status: 'CONSUMED' }, job: { status: 'TRIGGERED', retryOfJobId: job.id, instruction: 'use a grocery example' } });
    const twice = await cw('retry-intents', 'execute', intent.json().id);
    expect(twice.code).toBe(5);
    expect(twice.stderr).toContain('an intent is decided once');
    const intents = await cw('--json', 'retry-intents', 'list', '--job', job.id);
    expect(intents.json()).toMatchObject([{ id: intent.json().id, status: 'CONSUMED', newJobId: executed.json().job.id }]);

    expect((await cw('worker', '--until-idle', '--concurrency', '0')).code).toBe(2);
    expect((await cw('jobs', 'list', '--status', 'DONE')).code).toBe(2);
  }, 120_000);
});
