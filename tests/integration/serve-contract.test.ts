import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioServer } from '../../cli/serve/server.js';
import { operationNames, type OperationName, type Result } from '../../schemas/api.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

let server: Awaited<ReturnType<typeof startStudioServer>>;

beforeAll(async () => {
  server = await startStudioServer({ dataDir: tempDataDir('serve'), rendererDir: path.join(tempDataDir('no-ui'), 'missing') });
});
afterAll(async () => server.close());

async function overHttp(name: string, input: unknown, token = server.token): Promise<{ status: number; result: Result<any> }> {
  const response = await fetch(`${server.url}api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, result: (await response.json()) as Result<any> };
}

async function value(name: OperationName, input: unknown): Promise<any> {
  const { result } = await overHttp(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Reads the server-sent event stream until `enough` says so, then closes it. */
async function eventStream(enough: (events: Array<Record<string, unknown>>) => boolean) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}api/events?token=${server.token}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const events = (async () => {
    const seen: Array<Record<string, unknown>> = [];
    let buffered = '';
    while (!enough(seen)) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffered += new TextDecoder().decode(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('data: ')) seen.push(JSON.parse(line.slice(6)));
    }
    controller.abort();
    return seen;
  })();
  return { events };
}

describe('the studio contract over HTTP', () => {
  it('refuses calls without the per-launch token, and foreign Host headers', async () => {
    expect((await overHttp('courses.list', {}, 'wrong-token')).status).toBe(401);
    // A DNS-rebinding page reaches 127.0.0.1 under a foreign name; fetch cannot forge Host, node:http can.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${server.url}api/call/courses.list`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, host: 'evil.example', 'content-type': 'application/json' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves every operation with the same result the in-process dispatcher gives', async () => {
    const covered = new Set<string>();
    const same = async (name: OperationName, input: unknown) => {
      covered.add(name);
      const http = await overHttp(name, input);
      const direct = await server.dispatch(name, input);
      expect(http.result).toEqual(direct);
      return http.result;
    };
    const mutate = async (name: OperationName, input: unknown) => {
      covered.add(name);
      return value(name, input);
    };

    const course = await mutate('courses.create', { intent: sampleIntent });
    await same('courses.list', {});
    await same('courses.get', { courseId: course.id });
    const draft = await mutate('syllabus.generate', { courseId: course.id, runId: 'run-1' });
    await same('syllabus.cancelGeneration', { runId: 'run-not-running' });
    await same('syllabus.list', { courseId: course.id });
    await same('syllabus.get', { versionId: draft.id });
    await same('syllabus.lint', { courseId: course.id, syllabus: draft.syllabus });
    const edited = structuredClone(draft.syllabus);
    edited.modules[0].title = 'Renamed first module';
    const v2 = await mutate('syllabus.edit', { versionId: draft.id, syllabus: edited });
    await same('syllabus.diff', { fromId: draft.id, toId: v2.id });
    await mutate('syllabus.submit', { versionId: v2.id });
    await same('review.queue', {});
    const approved = await mutate('syllabus.approve', { versionId: v2.id, note: 'fine' });
    expect(approved.status).toBe('APPROVED');
    const lessonId = approved.syllabus.modules[0].lessons[0].id;
    const run = await mutate('content.generate', { courseId: course.id, runId: 'run-content', lessonId });
    expect(run.generated).toHaveLength(2);
    await same('content.cancelGeneration', { runId: 'run-not-running' });
    await same('content.list', { courseId: course.id });
    const [lessonItem, quizItem] = run.generated;
    await mutate('content.open', { itemId: lessonItem.id });
    await mutate('content.submit', { itemIds: [lessonItem.id, quizItem.id] });
    const unopened = await overHttp('content.approve', { itemIds: [lessonItem.id, quizItem.id] });
    expect(unopened.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await mutate('content.approve', { itemIds: [lessonItem.id], note: 'good' }))[0].status).toBe('APPROVED');
    const regenerated = await mutate('content.regenerate', { itemId: lessonItem.id, instruction: 'shorter examples' });
    await mutate('content.submit', { itemIds: [regenerated.id] });
    expect((await mutate('content.reject', { itemId: regenerated.id, reason: 'keep the first version' })).status).toBe('REJECTED');
    const versionDiff = await same('content.diff', { fromId: lessonItem.id, toId: regenerated.id });
    expect(versionDiff).toMatchObject({ ok: true, value: { kind: 'lesson', from: { version: 1 }, to: { version: 2 } } });
    const found = await same('search.query', { query: 'Renamed first mod', courseId: course.id, kinds: ['module'] });
    expect(found).toMatchObject({ ok: true, value: { hits: [{ kind: 'module', title: 'Renamed first module' }] } });
    await same('course.status', { courseId: course.id });
    expect((await mutate('course.transition', { courseId: course.id, to: 'review' })).status).toBe('review');
    const v3 = await mutate('syllabus.revise', { versionId: v2.id });
    await mutate('syllabus.submit', { versionId: v3.id });
    const rejected = await mutate('syllabus.reject', { versionId: v3.id, reason: 'not needed yet' });
    expect(rejected.status).toBe('REJECTED');
    await same('audit.list', { entityId: v2.id });
    const settings = await mutate('settings.update', { actor: 'Dana Reviewer' });
    expect(settings.actor).toBe('Dana Reviewer');
    await same('settings.get', {});
    const keyed = await mutate('settings.setApiKey', { apiKey: 'sk-secret' });
    expect(keyed).toMatchObject({ hasApiKey: true, keyStorage: 'memory' });
    expect(JSON.stringify(keyed)).not.toContain('sk-secret');
    await mutate('autosave.put', { key: `syllabus:${v3.id}`, content: '{"draft":true}' });
    await same('autosave.get', { key: `syllabus:${v3.id}` });
    await same('autosave.list', {});
    await mutate('autosave.clear', { key: `syllabus:${v3.id}` });

    // Packages: refused with the missing pieces, then built once everything is approved, exported and archived.
    const second = await mutate('courses.create', { intent: { ...sampleIntent, title: 'Packaging over HTTP', timeBudgetHours: 2 } });
    const secondDraft = await mutate('syllabus.generate', { courseId: second.id, runId: 'run-2' });
    await mutate('syllabus.submit', { versionId: secondDraft.id });
    await mutate('syllabus.approve', { versionId: secondDraft.id });
    const refused = await same('packages.build', { courseId: second.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const all = await mutate('content.generate', { courseId: second.id, runId: 'run-content-2' });
    const ids = all.generated.map((item: { id: string }) => item.id);
    for (const id of ids) await value('content.open', { itemId: id });
    await value('content.submit', { itemIds: ids });
    await value('content.approve', { itemIds: ids });
    const built = await mutate('packages.build', { courseId: second.id });
    expect(built).toMatchObject({ version: 1, status: 'PUBLISHED', sameContentAs: null });
    await same('packages.list', { courseId: second.id });
    await same('packages.get', { packageId: built.id });
    const exported = await mutate('packages.export', { packageId: built.id, format: 'html', runId: 'run-export' });
    expect(exported).toMatchObject({ format: 'html', fileName: expect.stringMatching(/^packaging-over-http-v1-html\.zip$/) });
    const download = await fetch(`${server.url}api/exports/${encodeURIComponent(exported.fileName)}?token=${server.token}`);
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(exported.bytes);
    expect((await fetch(`${server.url}api/exports/..%2Fcoursewright.db?token=${server.token}`)).status).toBe(404);
    await same('packages.cancelExport', { runId: 'run-not-running' });
    await same('exports.reveal', { fileName: 'no-such-export.zip' });
    expect((await mutate('packages.archive', { packageId: built.id, reason: 'superseded by v2' })).status).toBe('ARCHIVED');
    expect(await overHttp('packages.archive', { packageId: built.id })).toMatchObject({ result: { ok: false, error: { code: 'CONFLICT' } } });

    // Managing courses: edit the intent, duplicate, archive, restore, and delete only a course that never had approvals.
    const managed = await mutate('courses.create', { intent: { ...sampleIntent, title: 'Managed over HTTP' } });
    expect((await mutate('courses.updateIntent', { courseId: managed.id, intent: { ...sampleIntent, title: 'Managed over HTTP, edited' } })).title).toBe('Managed over HTTP, edited');
    const copy = await mutate('courses.duplicate', { courseId: managed.id });
    expect(copy.course.title).toBe('Managed over HTTP, edited (copy)');
    expect((await mutate('courses.archive', { courseId: copy.course.id })).archivedAt).toEqual(expect.any(String));
    await same('courses.list', { archived: 'only', sort: 'title' });
    await mutate('courses.restore', { courseId: copy.course.id });
    expect(await mutate('courses.delete', { courseId: copy.course.id })).toMatchObject({ courseId: copy.course.id, title: 'Managed over HTTP, edited (copy)' });
    expect(await overHttp('courses.delete', { courseId: second.id })).toMatchObject({ result: { ok: false, error: { code: 'CONFLICT' } } });

    // Review comments, hand edits and the learner preview.
    await same('review.items', {});
    const comment = await mutate('review.comment', { itemId: quizItem.id, text: 'The first question gives its answer away', blockPath: 'questions/0' });
    expect(comment).toMatchObject({ blockPath: 'questions/0', author: 'Dana Reviewer', replyTo: null });
    await same('review.comments', { itemId: quizItem.id });
    expect(await mutate('review.resolveComment', { commentId: comment.id, resolved: true })).toMatchObject({ id: comment.id, resolvedBy: 'Dana Reviewer' });
    await same('review.bulkPlan', { courseId: course.id });
    const editedLesson = structuredClone(regenerated.content);
    editedLesson.explanation.overview = `${editedLesson.explanation.overview} Edited by hand in the served studio.`;
    expect(await mutate('content.edit', { itemId: regenerated.id, content: editedLesson })).toMatchObject({ version: 3, status: 'DRAFT' });
    expect(await overHttp('content.edit', { itemId: regenerated.id, content: { title: 'x' } })).toMatchObject({ result: { ok: false } });
    const preview = await mutate('preview.course', { courseId: second.id, packageId: built.id });
    expect(preview).toMatchObject({ source: { kind: 'package', version: 1 }, notWritten: 0 });
    expect((await same('packages.readiness', { courseId: second.id })) as Result<any>).toMatchObject({ ok: true, value: { ready: true, missing: [] } });

    // Publishing to a hosted server: none is set at first, so the studio says what to set; then one that does not answer.
    await same('sync.settings', {});
    await same('sync.status', {});
    expect(await overHttp('sync.testConnection', {})).toMatchObject({ result: { ok: false, error: { code: 'USAGE' } } });
    expect(await overHttp('sync.setServerKey', { serverKey: 'cwk_not_yet_a_server_for_this_key' })).toMatchObject({ result: { ok: false, error: { code: 'USAGE' } } });
    expect(await mutate('sync.updateServer', { serverUrl: 'http://127.0.0.1:9' })).toMatchObject({ serverUrl: 'http://127.0.0.1:9', hasKey: false });
    const keyedServer = await mutate('sync.setServerKey', { serverKey: 'cwk_served_contract_key_0123456789' });
    expect(keyedServer).toMatchObject({ hasKey: true, keyStorage: 'memory' });
    expect(JSON.stringify(keyedServer)).not.toContain('cwk_served_contract_key_0123456789');
    // A server that does not answer: the test says so, the publish is queued, and a flush gives up for now instead of retrying in a loop.
    const unreachable = await mutate('sync.testConnection', {});
    expect(unreachable).toMatchObject({ reachable: false, authenticated: false });
    const queued = await mutate('packages.publish', { packageId: built.id, release: true, runId: 'run-publish' });
    expect(queued).toMatchObject({ queued: true, entry: { packageId: built.id, state: 'pending', attempts: 1 } });
    const flushed = await mutate('sync.flush', {});
    expect(flushed).toMatchObject({ sent: 0, live: 0, retrying: 1 });
    expect(JSON.stringify([unreachable, queued, flushed])).not.toContain('cwk_served_contract_key_0123456789');
    expect(await mutate('sync.updateServer', { serverUrl: '' })).toMatchObject({ serverUrl: null });

    // Regeneration jobs: the interactive regenerate above ran as a job; a job triggered here is run by the studio's own background worker.
    expect(await same('jobs.list', { courseId: course.id })).toMatchObject({ ok: true, value: [{ status: 'COMPLETED', targetItemId: lessonItem.id, instruction: 'shorter examples', outputItemId: regenerated.id }] });
    const approvedQuiz = (await value('content.list', { courseId: second.id })).find((item: { kind: string }) => item.kind === 'quiz');
    const pendingJob = await mutate('jobs.create', { targetItemId: approvedQuiz.id, instruction: 'harder distractors' });
    expect(pendingJob).toMatchObject({ status: 'PENDING', createdBy: 'Dana Reviewer' });
    expect(await overHttp('jobs.create', { targetItemId: approvedQuiz.id, instruction: 'again' })).toMatchObject({ result: { ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(pendingJob.id) } } });
    expect(await mutate('jobs.cancel', { jobId: pendingJob.id })).toMatchObject({ status: 'FAILED', error: 'cancelled' });
    const intent = await mutate('retryIntents.create', { jobId: pendingJob.id, reasonCode: 'cancelled_by_mistake', reasonText: 'meant to run it' });
    await same('retryIntents.list', { jobId: pendingJob.id });
    expect(await mutate('retryIntents.reject', { intentId: intent.id, reason: 'ask again with a better instruction' })).toMatchObject({ status: 'REJECTED' });
    const secondIntent = await mutate('retryIntents.create', { jobId: pendingJob.id, reasonCode: 'cancelled_by_mistake', reasonText: 'meant to run it', instruction: 'plausible distractors' });
    const retried = await mutate('retryIntents.execute', { intentId: secondIntent.id });
    expect(retried).toMatchObject({ intent: { status: 'CONSUMED' }, job: { status: 'TRIGGERED', retryOfJobId: pendingJob.id, instruction: 'plausible distractors' } });
    expect(await overHttp('jobs.trigger', { jobIds: [retried.job.id] })).toMatchObject({ result: { ok: false, error: { code: 'CONFLICT' } } });
    covered.add('jobs.trigger');
    let ran = await mutate('jobs.show', { jobId: retried.job.id });
    for (let tries = 0; tries < 200 && ran.job.status !== 'COMPLETED' && ran.job.status !== 'FAILED'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ran = await value('jobs.show', { jobId: retried.job.id });
    }
    expect(ran).toMatchObject({ job: { status: 'COMPLETED', outputItemId: expect.any(String) }, chain: [{ id: pendingJob.id, status: 'FAILED' }, { id: retried.job.id }], retriesLeft: 2 });

    // Learner analytics and suggestions, before any sync: an empty view, an empty queue, and refusals in words.
    expect(await same('analytics.course', { courseId: second.id })).toMatchObject({ ok: true, value: { courseId: second.id, packageVersion: null, versions: [], funnel: null } });
    expect(await same('analytics.compare', { courseId: second.id, versionA: 1, versionB: 2 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await same('suggestions.list', { courseId: second.id })).toEqual({ ok: true, value: [] });
    expect(await same('suggestions.accept', { id: 'sug_not_synced' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await same('suggestions.dismiss', { id: 'sug_not_synced', reason: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/reason/i) } });

    // Lineage: the regenerated lesson names the job that made it; a version that does not exist is NOT_FOUND; one id, not two.
    expect(await same('lineage.show', { itemId: regenerated.id })).toMatchObject({ ok: true, value: { steps: expect.arrayContaining([expect.objectContaining({ kind: 'job' })]) } });
    expect(await same('lineage.show', { itemId: 'itm_missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await same('lineage.show', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // A suggestion that was never synced has no job to create.
    expect(await same('jobs.createFromSuggestion', { suggestionId: 'sug_not_synced' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    expect(operationNames.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('rejects invalid input at the host with the error code, over both transports', async () => {
    for (const [name, input] of [
      ['courses.create', { intent: { ...sampleIntent, level: 'wizard' } }],
      ['syllabus.reject', { versionId: 'syl_1', reason: '' }],
      ['syllabus.get', { versionId: "x'; DROP TABLE courses;--" }],
      ['courses.list', { unexpected: true }],
    ] as const) {
      const http = await overHttp(name, input);
      expect(http.status).toBe(400);
      expect(http.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await server.dispatch(name, input)).toEqual(http.result);
    }
    const unknown = await overHttp('courses.dropAll', {});
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('maps engine failures to HTTP statuses with the same envelope', async () => {
    const missing = await overHttp('syllabus.get', { versionId: 'syl_missing' });
    expect(missing.status).toBe(404);
    expect(missing.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('streams generation progress as server-sent events', async () => {
    const course = await value('courses.create', { intent: sampleIntent });
    const stream = await eventStream((events) => events.some((e) => e.stage === 'done'));
    await value('syllabus.generate', { courseId: course.id, runId: 'run-events' });
    const seen = (await stream.events).map((e) => (e.stage as string | undefined) ?? 'other');
    expect(seen).toEqual(expect.arrayContaining(['started', 'calling-model', 'validating', 'normalizing', 'done']));
  });
});

describe('export progress', () => {
  it('streams package.export events from the first phase to Done', async () => {
    const course = await value('courses.create', { intent: { ...sampleIntent, title: 'Progress over events' } });
    const draft = await value('syllabus.generate', { courseId: course.id, runId: 'run-progress' });
    await value('syllabus.submit', { versionId: draft.id });
    await value('syllabus.approve', { versionId: draft.id });
    const ids = (await value('content.generate', { courseId: course.id, runId: 'run-progress-content' })).generated.map((i: { id: string }) => i.id);
    for (const itemId of ids) await value('content.open', { itemId });
    await value('content.submit', { itemIds: ids });
    await value('content.approve', { itemIds: ids });
    const built = await value('packages.build', { courseId: course.id });

    const ofRun = (events: Array<Record<string, unknown>>) => events.filter((e) => e.type === 'package.export' && e.runId === 'run-export-progress') as unknown as Array<{ phase: string; done: number; total: number }>;
    const stream = await eventStream((events) => ofRun(events).some((p) => p.phase === 'Done'));
    await value('packages.export', { packageId: built.id, format: 'pdf', runId: 'run-export-progress' });
    const progress = ofRun(await stream.events);
    expect(progress[0]!.phase).toBe('Laying out lessons');
    const lessons = progress.filter((p) => p.phase === 'Laying out lessons');
    expect(lessons.at(-1)).toMatchObject({ done: built.lessonCount, total: built.lessonCount });
    expect(progress.at(-1)).toMatchObject({ phase: 'Done', done: 1, total: 1 });
  });
});

describe('stopping the served studio', () => {
  it('ends open event streams instead of waiting for the browser to leave', async () => {
    const other = await startStudioServer({ dataDir: tempDataDir('serve-stop'), rendererDir: path.join(tempDataDir('no-ui'), 'missing') });
    const stream = await fetch(`${other.url}api/events?token=${other.token}`);
    const reader = stream.body!.getReader();
    await reader.read();
    // Before the fix, close() waited for the browser to disconnect: this line timed out.
    await other.close();
    expect((await fetch(`${other.url}api/call/courses.list`, { method: 'POST', body: '{}' }).catch(() => null)) === null).toBe(true);
  });
});
