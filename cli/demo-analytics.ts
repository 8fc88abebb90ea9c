import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAnalyticsSync } from '../core/analytics-sync/service.js';
import { courseAnalyticsView } from '../core/analytics-sync/views.js';
import type { Store } from '../core/ports.js';
import { serverUrlSetting } from '../core/studio/sync-handlers.js';
import { createSyncService } from '../core/sync/service.js';
import type { PackageDocument } from '../schemas/package.js';
import { CoursewrightError } from '../schemas/errors.js';
import { simulate, type SimulationSummary } from './simulate-command.js';

/** Sizes of the demo's learner run: enough learners that the planted miskey reaches the rules' minimum sample. */
export const DEMO_LEARNERS = 60;
export const DEMO_SEED = 7;
const DEMO_CONCURRENCY = 6;

export interface DemoAnalyticsResult {
  serverUrl: string;
  tenantId: string;
  simulation: SimulationSummary;
  planted: { miskeyedQuestion: { lessonId: string; lessonTitle: string; questionId: string; questionNumber: number }; dropOffLesson: { lessonId: string; lessonTitle: string } };
  flaggedQuestions: Array<{ lessonId: string; questionId: string; flags: string[] }>;
  flaggedLessons: Array<{ lessonId: string; title: string; flags: string[] }>;
  openSuggestions: number;
}

/**
 * The Analytics half of `coursewright demo --analytics`: a hosted learner server in this process
 * on an embedded database in a temporary folder, the package published live through the studio's
 * own publish path, simulated learners with a miskeyed question and a drop-off lesson planted,
 * the server's aggregation for today (inactivity window 0, so every learner's furthest lesson
 * counts at once), and the studio's analytics sync pulling the result into the studio file. The
 * server and its folder are gone afterwards; the studio keeps the synced analytics and suggestions.
 */
export async function runDemoAnalytics(input: { store: Store; courseId: string; packageId: string; actor: string; progress: (line: string) => void }): Promise<DemoAnalyticsResult> {
  const { store, progress } = input;
  const pkg = store.packages.get(input.packageId);
  if (!pkg) throw new CoursewrightError('NOT_FOUND', `Package ${input.packageId} is not in this studio.`);
  const lessons = (pkg.document as PackageDocument).modules.flatMap((m) => m.lessons);
  const miskeyLesson = lessons[1];
  const dropOffLesson = lessons[2];
  const miskeyedQuestion = miskeyLesson?.quiz.content.questions[1];
  if (!miskeyLesson || !dropOffLesson || !miskeyedQuestion) throw new CoursewrightError('CONFLICT', 'The demo course needs at least three lessons and two questions in the second lesson to plant its problems.');

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-demo-server-'));
  // Loaded here so `coursewright demo` without --analytics never loads the server and its database.
  const { openServerDatabase } = await import('../server/db/connection.js');
  const { buildServerApp } = await import('../server/app.js');
  const { SIMULATED_LEARNERS_PASSWORD_HASH_COST } = await import('../server/auth/secrets.js');
  const { createApiKey, createTenant } = await import('../server/store/admin-store.js');
  const { aggregateDay, utcDay } = await import('../server/analytics/aggregate.js');
  const analytics = { inactiveAfterDays: 0 };
  try {
    progress(`Starting a learner server on an embedded database in ${folder}…`);
    const database = await openServerDatabase({ kind: 'pglite', dataDir: folder });
    // The app owns the database from here: closing the app closes it. Every account on this
    // temporary server is a simulated learner, so passwords are hashed at the floor cost.
    const app = await buildServerApp({ database, logger: false, analytics, passwordHashCost: SIMULATED_LEARNERS_PASSWORD_HASH_COST });
    try {
      const tenant = await createTenant(database.db, 'Demo Academy', 'demo');
      const authorKey = (await createApiKey(database.db, tenant.id, 'author', 'demo')).key;
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      progress(`Learner server at ${serverUrl}, tenant ${tenant.id}. Publishing package v${pkg.version} live…`);

      const published = await createSyncService({ store, outbox: store.outbox, keyFor: () => authorKey, actor: () => input.actor }).publish({ serverUrl, packageId: pkg.id, release: true });
      if (published.entry.state !== 'live') throw new CoursewrightError('SERVER_UNAVAILABLE', `The demo server did not take the package live (${published.entry.state}${published.entry.lastError ? `: ${published.entry.lastError}` : ''}).`);

      progress(`Simulating ${DEMO_LEARNERS} learners (seed ${DEMO_SEED}) with a miskeyed question in "${miskeyLesson.title}" and a drop-off at "${dropOffLesson.title}"; this takes a few minutes…`);
      const simulation = await simulate({
        server: serverUrl,
        tenant: tenant.id,
        courseId: input.courseId,
        learners: DEMO_LEARNERS,
        seed: DEMO_SEED,
        plants: [`miskey:${miskeyLesson.id}/${miskeyedQuestion.id}`, `dropoff:${dropOffLesson.id}`],
        concurrency: DEMO_CONCURRENCY,
        progress,
      });

      const day = utcDay(new Date());
      progress(`Aggregating ${day} on the server (inactivity window 0 days)…`);
      await aggregateDay(database, { tenantId: tenant.id, courseId: input.courseId }, day, analytics);

      progress('Pulling analytics and suggestions into the studio…');
      await createAnalyticsSync({ store, keyFor: (url) => (url === serverUrl ? authorKey : null), actor: () => input.actor }).pull(serverUrl);
      // Analytics and Suggestions read the configured server's rows. The key is not stored: the
      // studio keeps server keys in the keychain or in memory only, and this server is about to stop.
      store.settings.set(serverUrlSetting, serverUrl);

      const view = courseAnalyticsView(store, serverUrl, { courseId: input.courseId });
      return {
        serverUrl,
        tenantId: tenant.id,
        simulation,
        planted: { miskeyedQuestion: { lessonId: miskeyLesson.id, lessonTitle: miskeyLesson.title, questionId: miskeyedQuestion.id, questionNumber: 2 }, dropOffLesson: { lessonId: dropOffLesson.id, lessonTitle: dropOffLesson.title } },
        flaggedQuestions: view.items.filter((i) => i.flags.length > 0).map((i) => ({ lessonId: i.lessonId, questionId: i.questionId, flags: i.flags })),
        flaggedLessons: view.lessons.filter((l) => l.flags.length > 0).map((l) => ({ lessonId: l.lessonId, title: l.title, flags: l.flags })),
        openSuggestions: view.openSuggestions,
      };
    } finally {
      progress('Stopping the learner server…');
      await app.close();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
