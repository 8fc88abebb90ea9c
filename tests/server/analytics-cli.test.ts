import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServerDatabase, type DatabaseLocation } from '../../server/db/connection.js';
import { runCoursewright } from '../cli/run-cli.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { describeOnBothDatabases } from './support/databases.js';
import { learner, progress, startAnalyticsServer, todayUtc, clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES } from './support/analytics.js';
import { publishLive } from './support/learning.js';

const pkg = samplePackage();
const courseId = pkg.document.course.id;

describeOnBothDatabases('coursewright server aggregate: the aggregation from the command line, in a real process', (target) => {
  let location: DatabaseLocation;
  /** `--data` is the CLI's global option (before the command); `--database` belongs to the server commands. */
  let aggregate: (args: string[], json?: boolean) => ReturnType<typeof runCoursewright>;
  const folders: string[] = [];
  const dropOffs = async () => {
    const database = await openServerDatabase(location);
    try {
      return (await database.query<{ drop_off: number }>('SELECT drop_off FROM analytics_lesson_stats WHERE course_id = $1 ORDER BY lesson_index LIMIT 3', [courseId])).map((row) => row.drop_off);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
    const fresh = await target.freshLocation();
    if (fresh.kind === 'pglite') {
      // The CLI finds the embedded database at <data folder>/server/pglite.
      const data = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-aggregate-cli-'));
      folders.push(data);
      fs.mkdirSync(path.join(data, 'server'));
      fs.renameSync(fresh.dataDir!, path.join(data, 'server', 'pglite'));
      location = { kind: 'pglite', dataDir: path.join(data, 'server', 'pglite') };
      aggregate = (args, json = false) => runCoursewright([...(json ? ['--json'] : []), '--data', data, 'server', 'aggregate', ...args]);
    } else {
      location = fresh;
      aggregate = (args, json = false) => runCoursewright([...(json ? ['--json'] : []), 'server', 'aggregate', '--database', fresh.url, ...args]);
    }
    // Seeded through the public API, then the server stops: the embedded database is one process's at a time.
    const server = await startAnalyticsServer(location);
    const tenant = await server.tenantWithKeys('Command Line Academy');
    await publishLive(server, tenant.keys.author, pkg);
    const stopsAtLesson0 = await learner(server, tenant.id, 'stops@cli.example', courseId);
    await progress(stopsAtLesson0, courseId, 0, true, 300);
    const stopsAtLesson1 = await learner(server, tenant.id, 'later@cli.example', courseId);
    await progress(stopsAtLesson1, courseId, 1, false, 120);
    await server.app.close();
  }, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);
  afterAll(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('--inactive-after 0 counts each learner at their furthest lesson at once; the default 7 days counts nobody active today', async () => {
    const now = await aggregate(['--course', courseId, '--inactive-after', '0'], true);
    expect(now.code, now.stderr).toBe(0);
    expect(now.json()).toMatchObject({ day: todayUtc(), inactiveAfterDays: 0, runs: [{ courseId, packageVersion: 1, written: true, lessons: 18, items: 54 }] });
    expect(await dropOffs()).toEqual([1, 1, 0]);

    const again = await aggregate(['--course', courseId, '--inactive-after', '0'], true);
    expect(again.json().runs[0]).toMatchObject({ written: false });

    const weekly = await aggregate(['--date', todayUtc()]);
    expect(weekly.code, weekly.stderr).toBe(0);
    expect(weekly.stdout).toContain(`${courseId} v1`);
    expect(weekly.stdout).toContain('written');
    expect(await dropOffs()).toEqual([0, 0, 0]);
  }, 300_000);

  it('refuses a bad --inactive-after or --date (exit 2) and an unknown course (exit 4), saying what to do', async () => {
    const negative = await aggregate(['--inactive-after', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--inactive-after takes a whole number of days');
    const date = await aggregate(['--date', '2026-13-01']);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--date: 2026-13-01 is not a day of the calendar');
    const unknown = await aggregate(['--course', 'no-such-course']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No tenant has a live course "no-such-course"');
  }, 300_000);
});
