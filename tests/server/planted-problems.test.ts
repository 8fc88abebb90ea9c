import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulate, type SimulationSummary } from '../../cli/simulate-command.js';
import type { AnalyticsSignal, ItemStatistics } from '../../schemas/analytics.js';
import { samplePackage } from '../fixtures/sample-package.js';
import type { TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { getJson, runAggregation, startAnalyticsServer } from './support/analytics.js';
import { publishLive } from './support/learning.js';

/**
 * Planted problems, found and nothing else: the learner simulator plants a miskeyed question, a
 * lesson where most learners stop and a lesson that takes far longer than its estimate; the
 * server aggregates with an inactivity window of 0 (every learner's furthest lesson counts at
 * once) and evaluates its rules. Over several seeds, every plant must be found by its signal
 * (recall 1.0) and the signals of those three types must point at plants (precision ≥ 0.9).
 *
 * Runs on PGlite only: each seed sends about 9,000 learner requests through HTTP, so three seeds
 * take several minutes on one database (12 on a busy two-core machine), and twice that with PostgreSQL. The aggregation SQL
 * and the rules this test relies on are checked on both databases by the analytics-* tests; what
 * this test adds is the simulator's model against the rules, which does not depend on the database.
 */

/** Six lessons (two modules of three), three four-option questions each. */
const pkg = samplePackage({ shape: { modules: 2, lessonsPerModule: 3 } });
const courseId = pkg.document.course.id;
const lessons = pkg.document.modules.flatMap((module) => module.lessons);

/**
 * 240 learners: behind a drop-off lesson about a fifth of them go on, so the lessons after it
 * still have n ≥ 30 (the rules' minimum) on every question, and no finding is missed for want of n.
 */
const LEARNERS = 240;

interface Planting {
  seed: number;
  miskey: { lessonIndex: number; questionIndex: number };
  dropoffLessonIndex: number;
  slowLessonIndex: number;
}

/** Each seed plants in other places, so no result depends on one position in the course. */
const plantings: Planting[] = [
  { seed: 11, miskey: { lessonIndex: 1, questionIndex: 1 }, dropoffLessonIndex: 3, slowLessonIndex: 0 },
  { seed: 23, miskey: { lessonIndex: 4, questionIndex: 0 }, dropoffLessonIndex: 2, slowLessonIndex: 5 },
  { seed: 37, miskey: { lessonIndex: 0, questionIndex: 2 }, dropoffLessonIndex: 4, slowLessonIndex: 2 },
];

const PLANTED_TYPES = ['item_suspect_key', 'high_dropoff', 'time_over_estimate'] as const;

const questionOf = (planting: Planting) => lessons[planting.miskey.lessonIndex]!.quiz.content.questions[planting.miskey.questionIndex]!;

/** The planted targets as "type lessonId[/questionId]" keys, the form the signals are compared in. */
function plantedKeys(planting: Planting): string[] {
  return [
    `item_suspect_key ${lessons[planting.miskey.lessonIndex]!.id}/${questionOf(planting).id}`,
    `high_dropoff ${lessons[planting.dropoffLessonIndex]!.id}`,
    `time_over_estimate ${lessons[planting.slowLessonIndex]!.id}`,
  ];
}

const signalKey = (signal: AnalyticsSignal) => `${signal.type} ${signal.target.lessonId}${signal.target.questionId === null ? '' : `/${signal.target.questionId}`}`;

interface SeedResult {
  planting: Planting;
  summary: SimulationSummary;
  signals: AnalyticsSignal[];
  items: ItemStatistics[];
  recall: number;
  precision: number;
}

const results: SeedResult[] = [];

describeOnBothDatabases('planted problems: the simulator plants them, aggregation and the rules find them and flag nothing else', (target) => {
  if (target.kind !== 'pglite') {
    it.skip('runs on PGlite only (see the note at the top of the file: the simulator, not the database, is under test)', () => {});
    return;
  }
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    server = await startAnalyticsServer(await target.freshLocation(), { analytics: { inactiveAfterDays: 0 } });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    for (const planting of plantings) {
      // A tenant per seed: the same course id, analysed apart.
      const tenant = await server.tenantWithKeys(`Planted Academy ${planting.seed}`);
      await publishLive(server, tenant.keys.author, pkg);
      const summary = await simulate({
        server: base,
        tenant: tenant.id,
        courseId,
        learners: LEARNERS,
        seed: planting.seed,
        concurrency: 8,
        plants: [`miskey:${lessons[planting.miskey.lessonIndex]!.id}/${questionOf(planting).id}`, `dropoff:${lessons[planting.dropoffLessonIndex]!.id}`, `slow:${lessons[planting.slowLessonIndex]!.id}`],
        progress: () => {},
      });
      const run = await runAggregation(server, tenant.keys.admin, { courseId });
      expect(run.inactiveAfterDays).toBe(0);
      const signals = (await getJson(server, tenant.keys.analyst, `/api/admin/signals?courseId=${courseId}`)) as AnalyticsSignal[];
      const items = (await getJson(server, tenant.keys.analyst, `/api/admin/analytics/items/${courseId}`)).items as ItemStatistics[];
      const found = new Set(signals.filter((signal) => (PLANTED_TYPES as readonly string[]).includes(signal.type)).map(signalKey));
      const planted = plantedKeys(planting);
      const ofPlantedTypes = signals.filter((signal) => (PLANTED_TYPES as readonly string[]).includes(signal.type));
      const recall = planted.filter((key) => found.has(key)).length / planted.length;
      const precision = ofPlantedTypes.length === 0 ? 0 : ofPlantedTypes.filter((signal) => planted.includes(signalKey(signal))).length / ofPlantedTypes.length;
      results.push({ planting, summary, signals, items, recall, precision });
      console.info(`planted problems, seed ${planting.seed}: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} (${ofPlantedTypes.length} signals of the planted types: ${ofPlantedTypes.map(signalKey).join('; ')}); all signal types: ${[...new Set(signals.map((signal) => signal.type))].join(', ')}`);
    }
  }, 1_800_000);
  afterAll(async () => {
    await server?.app.close();
  });

  it('every question, in every seed, was answered on at least 30 first attempts, so no rule is silent for want of n', () => {
    expect(results).toHaveLength(plantings.length);
    for (const { planting, items } of results) {
      expect(items, `seed ${planting.seed}`).toHaveLength(lessons.length * 3);
      const smallest = Math.min(...items.map((item) => item.n));
      expect(smallest, `seed ${planting.seed}: the least-answered question`).toBeGreaterThanOrEqual(30);
    }
  });

  it('recall 1.0: in every seed the miskeyed question has item_suspect_key, the drop-off lesson high_dropoff and the slow lesson time_over_estimate', () => {
    for (const { planting, signals, recall } of results) {
      const keys = signals.map(signalKey);
      for (const planted of plantedKeys(planting)) expect(keys, `seed ${planting.seed}: ${planted}`).toContain(planted);
      expect(recall).toBe(1);
    }
  });

  it('precision ≥ 0.9: of the signals of those three types, at least 9 in 10 point at a planted problem', () => {
    for (const { planting, precision } of results) expect(precision, `seed ${planting.seed}`).toBeGreaterThanOrEqual(0.9);
  });

  it('no clean question gets item_suspect_key, and no clean lesson high_dropoff or time_over_estimate', () => {
    for (const { planting, signals } of results) {
      const planted = plantedKeys(planting);
      const falseAlarms = signals.filter((signal) => (PLANTED_TYPES as readonly string[]).includes(signal.type) && !planted.includes(signalKey(signal))).map(signalKey);
      expect(falseAlarms, `seed ${planting.seed}`).toEqual([]);
    }
  });

  it('the planted numbers are what the signals report: the miskey scored against the strong, the drop-off over half, the slow lesson over 2× its estimate', () => {
    for (const { planting, summary, signals } of results) {
      const [miskey, dropoff, slow] = plantedKeys(planting).map((key) => signals.find((signal) => signalKey(signal) === key)!);
      // A miskey shows as negative discrimination or a distractor outdrawing the key among the top third.
      expect(miskey!.evidence.discrimination! < 0 || miskey!.evidence.distractorOutdrawsKeyInTopThird === 1, `seed ${planting.seed}`).toBe(true);
      const plantedDropoff = summary.planted.find((plant) => plant.kind === 'dropoff') as { reached: number; stopped: number };
      expect(dropoff!.evidence.dropOff, `seed ${planting.seed}`).toBe(plantedDropoff.stopped);
      expect(dropoff!.evidence.dropOffRate!).toBeGreaterThan(0.5);
      expect(slow!.evidence.medianMinutes! / slow!.evidence.estimatedMinutes!).toBeGreaterThan(2);
    }
  });
});
