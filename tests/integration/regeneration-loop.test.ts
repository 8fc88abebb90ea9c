import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../cli/simulate-command.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createAnalyticsSync } from '../../core/analytics-sync/service.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createPackageEngine } from '../../core/packaging/engine.js';
import { createAnalyticsHandlers } from '../../core/studio/analytics-handlers.js';
import { createMemoryKeyStore } from '../../core/studio/events.js';
import { serverUrlSetting } from '../../core/studio/sync-handlers.js';
import { createSyncService } from '../../core/sync/service.js';
import { openDatabase, type OpenedDatabase } from '../../db/open.js';
import type { AnalyticsSignal, ContentSuggestion } from '../../schemas/analytics.js';
import type { ContentItem, Quiz } from '../../schemas/content.js';
import type { Lineage } from '../../schemas/lineage.js';
import type { RegenerationJob } from '../../schemas/regeneration.js';
import { runCoursewright } from '../cli/run-cli.js';
import { sampleIntent, tempDataDir } from '../helpers.js';
import type { TestServer } from '../server/support/app.js';
import { getJson, runAggregation, startAnalyticsServer, clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES } from '../server/support/analytics.js';
import { pgliteTarget } from '../server/support/databases.js';

/**
 * The whole loop of issue 13 on a real studio database file and a real hosted server (its router,
 * auth, aggregation, rules and suggestions on PGlite), with the studio's commands run as a user's
 * shell runs them: a course written by the mock model, approved, packaged and published live;
 * simulated learners with a planted miskeyed question; aggregation finds it (item_suspect_key) and
 * suggests checking the key; the studio syncs, `coursewright suggestions accept` creates the job,
 * `jobs trigger` and `worker --until-idle` write the new quiz draft, which is approved, packaged as
 * v2 and published live; the same learners (same seed) answer v2 without the plant, and the
 * signal is gone for v2 while v1's stays; the lineage of the new quiz names every step.
 *
 * The simulator plants a miskey in how learners answer (those who know pick another option than
 * the key), not in the quiz; the regenerated quiz stands for the corrected one, so v2 is answered
 * without the plant. The mock model follows an instruction in the first question's explanation
 * only, which makes the regenerated quiz a new version with its own content hash.
 *
 * Sizes: one module of two lessons (three questions each) and 60 learners. Every learner reaches
 * the first lesson, so the miskeyed question there has n = 61 (with the simulator's answer-key
 * probe), twice the rules' minimum of 30, enough for a clearly negative discrimination. Each
 * learner's sign-up (and, the second time, sign-in) costs a deliberately slow scrypt hash on the
 * server, which is much of the runtime on a busy machine: with 120 learners the two simulations
 * took 290 s against 180 s with 60 (load 12 on two cores), for the same findings. Two lessons
 * keep each simulation to about 800 learner requests.
 *
 * The server keeps one package version per course and day (the day's rows are replaced when it is
 * computed again), so v1 is aggregated for today and v2 for tomorrow: what the nightly run does
 * the day after the fix goes live.
 */

const LEARNERS = 60;
const SEED = 31;
const MISKEYED_QUESTION_INDEX = 1;

let opened: OpenedDatabase;
let dataDir: string;
let server: TestServer;
let serverUrl: string;
let tenant: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
let pgliteFolder: string;
let courseId: string;
let quizV1: ContentItem;
let packageV1: { id: string };
let miskeyedQuestionId: string;
let dayV1: string;
let dayV2: string;

const cli = (args: string[]) => runCoursewright(['--data', dataDir, ...args], { COURSEWRIGHT_SERVER_KEY: tenant.keys.author });
const isSuspectKeyOn = (questionId: string) => (signal: AnalyticsSignal) => signal.type === 'item_suspect_key' && signal.target.questionId === questionId;
const publishLive = (packageId: string) => createSyncService({ store: opened.store, outbox: opened.store.outbox, keyFor: () => tenant.keys.author, actor: () => 'dana' }).publish({ serverUrl, packageId, release: true });
const pull = () => createAnalyticsSync({ store: opened.store, keyFor: () => tenant.keys.author, actor: () => 'dana' }).pull(serverUrl);
const quiet = () => {};
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
  dataDir = tempDataDir('regeneration-loop');
  opened = openDatabase(path.join(dataDir, 'coursewright.db'));
  const { store } = opened;
  const engine = createEngine({ store });
  const course = engine.createCourse({ ...sampleIntent, timeBudgetHours: 1 }, 'dana');
  courseId = course.id;
  const syllabus = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider({ shape: { modules: 1, lessonsPerModule: 2 } })] });
  engine.submitSyllabus(syllabus.id, 'dana');
  engine.approveSyllabus(syllabus.id, { by: 'rui' });
  const content = createContentEngine({ store });
  const generated = (await content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()] })).generated;
  for (const item of generated) content.openContent(item.id);
  content.submitContent(generated.map((item) => item.id), 'dana');
  content.approveContent(generated.map((item) => item.id), { by: 'rui', requireOpened: true });
  const firstLessonId = syllabus.syllabus.modules[0]!.lessons[0]!.id;
  quizV1 = store.content.get(generated.find((item) => item.kind === 'quiz' && item.targetId === firstLessonId)!.id)!;
  miskeyedQuestionId = (quizV1.content as Quiz).questions[MISKEYED_QUESTION_INDEX]!.id;
  packageV1 = createPackageEngine({ store }).buildPackage(course.id, 'dana');

  pgliteFolder = ((await pgliteTarget.freshLocation()) as { dataDir: string }).dataDir;
  // Inactivity window 0 (the helper's default): every learner's furthest lesson counts at once.
  server = await startAnalyticsServer({ kind: 'pglite', dataDir: pgliteFolder });
  tenant = await server.tenantWithKeys('Loop Academy');
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  serverUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  store.settings.set(serverUrlSetting, serverUrl);
}, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);

afterAll(async () => {
  opened?.close();
  await server?.app.close();
  if (pgliteFolder) fs.rmSync(pgliteFolder, { recursive: true, force: true });
});

describe('learner signal → suggestion → job → new version → the signal is gone', () => {
  let suggestion: ContentSuggestion & { courseId: string };
  let signalV1: AnalyticsSignal;
  let job: RegenerationJob;
  let quizV2: ContentItem;

  it('v1 live, learners with a planted miskey: the server signals a suspect key on that question and suggests checking it', async () => {
    expect((await publishLive(packageV1.id)).entry.state).toBe('live');
    const run = await simulate({ server: serverUrl, tenant: tenant.id, courseId, learners: LEARNERS, seed: SEED, plants: [`miskey:${quizV1.targetId}/${miskeyedQuestionId}`], concurrency: 6, progress: quiet });
    expect(run.planted).toHaveLength(1);
    expect(run.planted[0]).toMatchObject({ kind: 'miskey', questionId: miskeyedQuestionId, lessonId: quizV1.targetId });

    dayV1 = new Date().toISOString().slice(0, 10);
    const aggregated = await runAggregation(server, tenant.keys.admin, { courseId, date: dayV1 });
    expect(aggregated.runs).toMatchObject([{ courseId, packageVersion: 1, written: true }]);
    const signals: AnalyticsSignal[] = await getJson(server, tenant.keys.admin, `/api/admin/signals?courseId=${courseId}`);
    const suspect = signals.filter((s) => s.type === 'item_suspect_key');
    expect(suspect.map((s) => [s.target.packageVersion, s.target.quizItemId, s.target.questionId])).toEqual([[1, quizV1.id, miskeyedQuestionId]]);
    expect(suspect[0]!.evidence.n).toBeGreaterThanOrEqual(30);
  });

  it('the studio syncs the signal and its suggestion; `coursewright suggestions accept` creates the PENDING job and prints its id', async () => {
    await pull();
    signalV1 = opened.store.analytics.signals(serverUrl, courseId).find(isSuspectKeyOn(miskeyedQuestionId))!;
    expect(signalV1).toMatchObject({ day: dayV1, target: { packageVersion: 1, quizItemId: quizV1.id, quizContentHash: quizV1.review.contentHash } });
    suggestion = opened.store.analytics.suggestions({ serverUrl, courseId }).find((s) => s.signalId === signalV1.id && s.kind === 'check_answer_key')!;
    expect(suggestion.status).toBe('OPEN');
    expect(suggestion.draftInstruction).toContain(`question 2 (${miskeyedQuestionId})`);

    const accepted = await cli(['suggestions', 'accept', suggestion.id, '--by', 'dana']);
    expect(accepted.code, accepted.stderr).toBe(0);
    const jobs = opened.store.regeneration.listJobs({ courseId });
    expect(jobs).toHaveLength(1);
    job = jobs[0]!;
    expect(accepted.stdout).toBe(`Accepted ${suggestion.id}; ${serverUrl} has the decision.\nRegeneration job ${job.id} for question ${miskeyedQuestionId} of quiz ${quizV1.targetId} is PENDING: nothing runs until someone triggers it (the Jobs page, or \`coursewright jobs trigger ${job.id}\`).\n`);
    expect(job).toMatchObject({
      status: 'PENDING',
      targetKind: 'question',
      targetItemId: quizV1.id,
      targetQuestionId: miskeyedQuestionId,
      instruction: suggestion.draftInstruction,
      source: { type: 'suggestion', suggestionId: suggestion.id, signalId: signalV1.id },
      createdBy: 'dana',
    });
    const onServer: ContentSuggestion[] = await getJson(server, tenant.keys.admin, `/api/admin/suggestions?courseId=${courseId}&status=ACCEPTED`);
    expect(onServer.map((s) => s.id)).toEqual([suggestion.id]);

    // Accepting again: the decision is made once (exit 5), the answer names the job, and nothing new is created.
    const again = await cli(['suggestions', 'accept', suggestion.id, '--by', 'dana']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain(`Its regeneration job is ${job.id} (PENDING) for question ${miskeyedQuestionId} of quiz ${quizV1.targetId}.`);
    expect(opened.store.regeneration.listJobs({ courseId })).toEqual([job]);
  });

  it('a person triggers the job and the worker writes the new quiz draft from it', async () => {
    const triggered = await cli(['jobs', 'trigger', job.id, '--by', 'rui']);
    expect(triggered.code, triggered.stderr).toBe(0);
    expect(opened.store.regeneration.getJob(job.id)).toMatchObject({ status: 'TRIGGERED', triggeredBy: 'rui' });

    const worked = await cli(['worker', '--until-idle']);
    expect(worked.code, worked.stderr).toBe(0);
    job = opened.store.regeneration.getJob(job.id)!;
    expect(job).toMatchObject({ status: 'COMPLETED', error: null });
    quizV2 = opened.store.content.get(job.outputItemId!)!;
    expect(quizV2).toMatchObject({ kind: 'quiz', targetId: quizV1.targetId, version: 2, status: 'DRAFT', review: { basedOnId: quizV1.id } });
    expect(quizV2.metadata.params.instruction).toBe(suggestion.draftInstruction);
    expect(quizV2.review.contentHash).not.toBe(quizV1.review.contentHash);
    // Only the question the suggestion named was rewritten.
    const changed = (quizV2.content as Quiz).questions.filter((q, i) => JSON.stringify(q) !== JSON.stringify((quizV1.content as Quiz).questions[i]));
    expect(changed.map((q) => q.id)).toEqual([miskeyedQuestionId]);
  });

  it('the new draft is approved, packaged as v2 and published live; the same learners without the plant leave no suspect key on v2, while v1 keeps its signal', async () => {
    const content = createContentEngine({ store: opened.store });
    content.openContent(quizV2.id);
    content.submitContent([quizV2.id], 'dana');
    content.approveContent([quizV2.id], { by: 'rui', requireOpened: true });
    quizV2 = opened.store.content.get(quizV2.id)!;
    const packageV2 = opened.store.packages.get(createPackageEngine({ store: opened.store }).buildPackage(courseId, 'dana').id)!;
    expect(packageV2.version).toBe(2);
    expect(packageV2.itemHashes.filter((h) => h.kind === 'quiz' && h.targetId === quizV1.targetId).map((h) => h.itemId)).toEqual([quizV2.id]);
    expect((await publishLive(packageV2.id)).entry.state).toBe('live');

    const run = await simulate({ server: serverUrl, tenant: tenant.id, courseId, learners: LEARNERS, seed: SEED, plants: [], concurrency: 6, progress: quiet });
    expect(run.planted).toEqual([]);
    dayV2 = nextDay(dayV1);
    const aggregated = await runAggregation(server, tenant.keys.admin, { courseId, date: dayV2 });
    expect(aggregated.runs).toMatchObject([{ courseId, packageVersion: 2, written: true }]);
    const current: AnalyticsSignal[] = await getJson(server, tenant.keys.admin, `/api/admin/signals?courseId=${courseId}`);
    expect(current.filter((s) => s.type === 'item_suspect_key')).toEqual([]);
    expect(current.every((s) => s.target.packageVersion === 2)).toBe(true);

    await pull();
    const stored = opened.store.analytics.signals(serverUrl, courseId);
    expect(stored.filter((s) => s.type === 'item_suspect_key').map((s) => [s.id, s.day, s.target.packageVersion, s.target.quizItemId])).toEqual([[signalV1.id, dayV1, 1, quizV1.id]]);

    // Did the fix work: the question side by side in the two versions, flagged in v1 only.
    const handlers = createAnalyticsHandlers({ store: opened.store, serverKeys: createMemoryKeyStore(), actor: () => 'dana' });
    const compared = await handlers['analytics.compare']({ courseId, versionA: 1, versionB: 2 });
    const question = compared.questions.find((q) => q.questionId === miskeyedQuestionId)!;
    expect(question.quizItemId).toBe(quizV2.id);
    expect(question.a.flags).toContain('item_suspect_key');
    expect(question.b.flags).not.toContain('item_suspect_key');
    expect(question.a.discrimination).toBeLessThan(0);
    expect(question.b.discrimination).toBeGreaterThan(0);
  });

  it('`coursewright lineage` of the new quiz version: the version before, the job from the suggestion on the signal, the model call, the approval and package v2', async () => {
    const shown = await cli(['--json', 'lineage', quizV2.id]);
    expect(shown.code, shown.stderr).toBe(0);
    const lineage = shown.json() as Lineage;
    const kinds = lineage.steps.map((s) => s.kind);
    expect(kinds.slice(0, 8)).toEqual(['intent', 'syllabus', 'previous_version', 'job', 'model_call', 'review', 'review', 'package']);
    // After the package, only what learners showed on v2 itself (with 60 learners a rarely chosen distractor may be flagged), never the key.
    expect(new Set(kinds.slice(8))).toEqual(new Set(kinds.length > 8 ? ['signal', 'suggestion'] : []));
    const [, , previous, made, modelCall, submitted, approved, inPackage] = lineage.steps;
    expect(previous).toMatchObject({ summary: 'Based on v1 (approved)', link: { kind: 'content', id: quizV1.id } });
    const evidence = `r = ${Math.round(signalV1.evidence.discrimination! * 100) / 100}, p = ${Math.round(signalV1.evidence.facility! * 100) / 100}, n = ${signalV1.evidence.n}`;
    expect(made).toMatchObject({
      summary: `Regenerated by job ${job.id} from suggestion ${suggestion.id} (check_answer_key) for signal item_suspect_key on question ${miskeyedQuestionId} (${evidence})`,
      link: { kind: 'job', id: job.id },
      details: { suggestionId: suggestion.id, signalId: signalV1.id, status: 'COMPLETED', createdBy: 'dana', triggeredBy: 'rui', outputItemId: quizV2.id },
    });
    expect(modelCall!.summary).toMatch(/^Written by the model mock\/\S+ with prompt content\.question\.v\d+, \d+ \+ \d+ tokens, ledger #\d+, instruction “Check the answer key of question 2/);
    expect(submitted!.summary).toBe('Submitted for review');
    expect(approved!.summary).toBe('Approved by rui');
    expect(inPackage!.summary).toBe('In package v2, built by dana');
    expect(lineage.steps.filter((s) => s.kind === 'signal').map((s) => s.details.type)).not.toContain('item_suspect_key');
    expect(lineage.steps.filter((s) => s.kind === 'suggestion').map((s) => s.details.kind)).not.toContain('check_answer_key');

    // And the version learners flagged: its signal, the suggestion accepted, the job it asked for, and the next version.
    const before = await cli(['--json', 'lineage', quizV1.id]);
    expect(before.code, before.stderr).toBe(0);
    const steps = (before.json() as Lineage).steps;
    const at = (predicate: (s: Lineage['steps'][number]) => boolean) => steps.findIndex(predicate);
    const signalAt = at((s) => s.kind === 'signal' && s.details.signalId === signalV1.id);
    const suggestionAt = at((s) => s.kind === 'suggestion' && s.details.suggestionId === suggestion.id);
    const jobAt = at((s) => s.kind === 'job' && s.details.jobId === job.id);
    const nextAt = at((s) => s.kind === 'next_version');
    expect([signalAt, suggestionAt, jobAt, nextAt].every((i) => i > 0)).toBe(true);
    expect(signalAt).toBeLessThan(suggestionAt);
    expect(suggestionAt).toBeLessThan(jobAt);
    expect(jobAt).toBeLessThan(nextAt);
    expect(steps[suggestionAt]!.summary).toMatch(/ — accepted by dana$/);
    expect(steps[nextAt]).toMatchObject({ summary: `Next version: v2 (approved), regenerated by job ${job.id}`, link: { kind: 'content', id: quizV2.id } });
  });
});
