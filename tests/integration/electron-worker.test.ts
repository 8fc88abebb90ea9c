import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerClient, type WorkerLike, type WorkerReply, type WorkerRequest } from '../../host/engine-client.js';
import { buildElectron } from '../../scripts/build-electron.js';
import type { StudioEvent } from '../../schemas/api.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

let outdir: string;
beforeAll(async () => {
  // Build beside the project so the bundles resolve better-sqlite3 from its node_modules.
  outdir = fs.mkdtempSync(path.join(process.cwd(), 'dist', 'electron-test-'));
  await buildElectron(outdir);
}, 120_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the Electron bundles', () => {
  it('the sandboxed preload is one file that requires nothing but electron', () => {
    const preload = fs.readFileSync(path.join(outdir, 'preload.cjs'), 'utf8');
    const required = new Set([...preload.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
  });

  it('runs the engine in a worker thread with its own database connection', async () => {
    const events: StudioEvent[] = [];
    const dataDir = tempDataDir('worker');
    const client = createWorkerClient(() => new Worker(path.join(outdir, 'engine-worker.cjs'), { workerData: { dataDir } }) as unknown as WorkerLike, (e) => events.push(e));
    try {
      const created = await client.call('courses.create', { intent: sampleIntent });
      expect(created).toMatchObject({ ok: true, value: { title: sampleIntent.title } });
      const courseId = (created as { value: { id: string } }).value.id;
      const generated = await client.call('syllabus.generate', { courseId, runId: 'run-worker' });
      expect(generated).toMatchObject({ ok: true, value: { status: 'DRAFT', version: 1 } });
      expect(events.map((e) => (e.type === 'syllabus.generation' ? e.stage : e.type))).toEqual(expect.arrayContaining(['started', 'done']));
      expect(await client.call('syllabus.get', { versionId: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(fs.existsSync(path.join(dataDir, 'coursewright.db'))).toBe(true);

      // Packaging and exporting from the bundled worker: fonts and schema files must resolve there too.
      const draft = (generated as { value: { id: string } }).value;
      await client.call('syllabus.submit', { versionId: draft.id });
      await client.call('syllabus.approve', { versionId: draft.id });
      const content = (await client.call('content.generate', { courseId, runId: 'run-worker-content' })) as { value: { generated: Array<{ id: string }> } };
      const ids = content.value.generated.map((i) => i.id);
      for (const itemId of ids) await client.call('content.open', { itemId });
      await client.call('content.submit', { itemIds: ids });
      await client.call('content.approve', { itemIds: ids });
      const built = (await client.call('packages.build', { courseId })) as { ok: boolean; value: { id: string } };
      expect(built.ok).toBe(true);
      for (const format of ['pdf', 'scorm12'] as const) {
        const exported = await client.call('packages.export', { packageId: built.value.id, format, runId: `run-export-${format}` });
        expect(exported).toMatchObject({ ok: true, value: { format } });
        expect(fs.statSync((exported as { value: { path: string } }).value.path).size).toBeGreaterThan(1000);
      }
    } finally {
      await client.close();
    }
  });
});

describe('a crashed engine worker', () => {
  it('fails pending calls with INTERNAL instead of hanging, and a new worker answers the next call', async () => {
    const spawned: Array<EventEmitter & WorkerLike> = [];
    const spawn = () => {
      const worker = Object.assign(new EventEmitter(), {
        posted: [] as WorkerRequest[],
        postMessage(message: WorkerRequest) {
          this.posted.push(message);
          // The second worker answers; the first never does before it dies.
          if (spawned.length > 1 && message.type === 'call') queueMicrotask(() => worker.emit('message', { type: 'result', id: message.id, result: { ok: true, value: 'second worker' } } satisfies WorkerReply));
        },
        terminate: async () => 0,
      });
      spawned.push(worker as EventEmitter & WorkerLike);
      return worker as unknown as WorkerLike;
    };
    const client = createWorkerClient(spawn, () => {});
    client.setApiKey('sk-remembered');
    const pending = client.call('courses.list', {});
    spawned[0]!.emit('exit', 1);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('engine worker stopped') } });
    expect(spawned).toHaveLength(2);
    expect((spawned[1] as unknown as { posted: WorkerRequest[] }).posted[0]).toEqual({ type: 'set-api-key', apiKey: 'sk-remembered' });
    expect(await client.call('courses.list', {})).toEqual({ ok: true, value: 'second worker' });
  });
});
