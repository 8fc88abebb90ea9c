import { afterAll, expect, it } from 'vitest';
import { openServerDatabase, type OpenedDatabase } from '../../server/db/connection.js';
import { createBackgroundJobs, jobQueues, type BackgroundJobs } from '../../server/jobs/background-jobs.js';
import { analyticsQueues } from '../../server/analytics/jobs.js';
import { describeOnBothDatabases } from './support/databases.js';

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {}, fatal() {}, child() { return silent; }, level: 'silent', silent() {} } as never;

/**
 * Several instances starting at once on a new database (a deployment rolling out, or two
 * processes a supervisor starts together) each set up the same queues. On PostgreSQL that is DDL
 * pg-boss does not serialise; starting them one at a time is what keeps every start alive.
 */
describeOnBothDatabases('background jobs of several instances starting at once on a new database', (target) => {
  const opened: OpenedDatabase[] = [];
  const started: BackgroundJobs[] = [];
  afterAll(async () => {
    for (const jobs of started) await jobs.stop();
    for (const database of opened) await database.close();
  });

  it('every instance starts, and each of the server\'s queues exists once', async () => {
    const location = await target.freshLocation();
    // PGlite is one process's files: its instances share one opened database, as they would share one process.
    const instances = target.kind === 'postgres' ? 4 : 1;
    for (let i = 0; i < instances; i++) opened.push(await openServerDatabase(location));
    const jobs = opened.map((database) => createBackgroundJobs(database, { pollingIntervalSeconds: 0.5 }));
    const outcomes = await Promise.allSettled(jobs.map((instance) => instance.start(silent)));
    jobs.forEach((instance, index) => outcomes[index]!.status === 'fulfilled' && started.push(instance));
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'started'))).toEqual(Array(instances).fill('started'));

    const queues = await opened[0]!.query<{ name: string }>("SELECT name FROM pgboss.queue WHERE name NOT LIKE '\\_\\_pgboss%' ORDER BY name");
    expect(queues.map((queue) => queue.name)).toEqual([analyticsQueues.aggregate, analyticsQueues.nightly, jobQueues.cleanup, jobQueues.exports].sort());
  }, 180_000);
});
