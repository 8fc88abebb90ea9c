import { randomUUID } from 'node:crypto';
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyticsQueues } from '../../server/analytics/jobs.js';
import { openServerDatabase, type OpenedDatabase } from '../../server/db/connection.js';
import { createBackgroundJobs, jobQueues, type BackgroundJobs } from '../../server/jobs/background-jobs.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { clearOfMidnightUtc, MIDNIGHT_GUARD_MINUTES, todayUtc } from './support/analytics.js';
import { startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually } from './support/jobs.js';
import { publishLive } from './support/learning.js';

/** One line of the server's JSON log, as an operator reads it. */
interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}
const INFO = 30;
const ERROR = 50;

/** A real Fastify (pino) logger whose lines land in `lines`, the way they would reach the server's log. */
function recordingLogger(lines: LogLine[]): FastifyInstance {
  return Fastify({ logger: { level: 'info', stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } } });
}

/** How a pg-boss of the test's own reaches the suite's database, as the server's does. */
const bossConnection = (database: OpenedDatabase): PgBoss.ConstructorOptions => {
  const connection = database.jobQueueConnection;
  return connection.kind === 'postgres' ? { connectionString: connection.url, max: 1 } : { db: connection.executor as PgBoss.Db };
};

/**
 * A listener that speaks just enough of PostgreSQL's protocol to read a client's startup message
 * and refuse it, so what the jobs send to a PostgreSQL server is seen without one (mutation runs
 * use PGlite only).
 */
async function refusingPostgres(refusal: string): Promise<{ port: number; startups: Record<string, string>[]; close(): Promise<void> }> {
  const startups: Record<string, string>[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (message) => {
      // Int32 length, Int32 protocol version, then name\0value\0 pairs ending in \0.
      const fields = message.subarray(8, message.readInt32BE(0)).toString('utf8').split('\0');
      const startup: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) startup[fields[i]!] = fields[i + 1]!;
      startups.push(startup);
      const body = Buffer.from(`SFATAL\0C28000\0M${refusal}\0\0`, 'utf8');
      const header = Buffer.alloc(5);
      header.write('E', 0, 'ascii');
      header.writeInt32BE(body.length + 4, 1);
      socket.end(Buffer.concat([header, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    startups,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What an operator of the hosted server relies on from its background jobs beyond the jobs'
 * own work: a job pg-boss will not take is an error naming the queue (never a job id that does
 * not exist), a finished job can still be looked up after pg-boss archives it, both the
 * cleanup's result and pg-boss's own failures reach the server's log, on PostgreSQL the jobs
 * work through their own few connections, named so in pg_stat_activity, and stopped jobs take
 * no more work.
 */
describeOnBothDatabases('background jobs as an operator sees them: refused jobs, archived states, the log', (target) => {
  let database: OpenedDatabase;
  let jobs: BackgroundJobs;
  let logger: FastifyInstance;
  const lines: LogLine[] = [];
  const ended = (queue: string, id: string) =>
    eventually(`job ${id} of ${queue} to end`, async () => {
      const job = await jobs.jobState(queue, id);
      return job?.state === 'completed' || job?.state === 'failed' ? job : undefined;
    });

  beforeAll(async () => {
    database = await openServerDatabase(await target.freshLocation());
    logger = recordingLogger(lines);
    jobs = createBackgroundJobs(database, { pollingIntervalSeconds: 0.5 });
    await jobs.start(logger.log);
  }, 300_000);
  afterAll(async () => {
    await jobs?.stop();
    await logger?.close();
    await database?.close();
  });

  it('a cleanup or nightly run asked for after its queue was deleted from the database is refused naming the queue; a restarted server queues both again', async () => {
    const cleanup = await jobs.enqueueCleanup();
    expect(await ended(jobQueues.cleanup, cleanup)).toEqual({ state: 'completed', output: { sessionsRemoved: 0, exportFilesRemoved: 0 } });
    const nightly = await jobs.enqueueNightlyAnalytics('2026-01-05');
    expect(await ended(analyticsQueues.nightly, nightly)).toEqual({ state: 'completed', output: { day: '2026-01-05', queued: 0, alreadyQueued: 0 } });

    // An operator clears the two queues out of pg-boss while the server runs (pg-boss deletes a queue only once its jobs are gone).
    const operatorTool = new PgBoss({ ...bossConnection(database), supervise: false, schedule: false });
    await operatorTool.start();
    for (const queue of [jobQueues.cleanup, analyticsQueues.nightly, jobQueues.exports]) {
      await database.query('DELETE FROM pgboss.job WHERE name = $1', [queue]);
      await operatorTool.deleteQueue(queue);
    }
    await operatorTool.stop({ graceful: false });
    expect(await database.query(`SELECT name FROM pgboss.queue WHERE name IN ('cleanup-expired', 'analytics-nightly', '${jobQueues.exports}')`)).toEqual([]);
    await expect(jobs.enqueueCleanup()).rejects.toEqual(new Error('The cleanup job was not queued: pg-boss has no queue "cleanup-expired" on this database. Restart the server (it creates its queues) and ask again.'));
    await expect(jobs.enqueueExport({ tenantId: 'tenant-gone-queue', exportId: randomUUID() })).rejects.toEqual(new Error(`The export job was not queued: pg-boss has no queue "${jobQueues.exports}" on this database. Restart the server (it creates its queues) and ask again.`));
    await expect(jobs.enqueueNightlyAnalytics('2026-01-05')).rejects.toEqual(new Error('The nightly analytics job was not queued: pg-boss has no queue "analytics-nightly" on this database. Restart the server (it creates its queues) and ask again.'));

    await jobs.stop();
    jobs = createBackgroundJobs(database, { pollingIntervalSeconds: 0.5 });
    await jobs.start(logger.log);
    expect(await ended(jobQueues.cleanup, await jobs.enqueueCleanup())).toMatchObject({ state: 'completed' });
    expect(await ended(analyticsQueues.nightly, await jobs.enqueueNightlyAnalytics('2026-01-05'))).toMatchObject({ state: 'completed' });
  }, 120_000);

  it('a finished job still reads with its state and output after pg-boss has moved it to its archive; a job that never existed reads as gone', async () => {
    const id = await jobs.enqueueCleanup();
    await ended(jobQueues.cleanup, id);
    // pg-boss's own archiving (a maintenance step it runs every few minutes), with a one-second age limit.
    const archiver = new PgBoss({ ...bossConnection(database), archiveCompletedAfterSeconds: 1, supervise: false, schedule: false });
    await archiver.start();
    await eventually(`cleanup job ${id} to be archived`, async () => {
      await archiver.archive();
      const [where] = await database.query<{ archived: number; live: number }>('SELECT (SELECT count(*)::int FROM pgboss.archive WHERE id = $1) AS archived, (SELECT count(*)::int FROM pgboss.job WHERE id = $1) AS live', [id]);
      return where!.archived === 1 && where!.live === 0 ? true : undefined;
    });
    await archiver.stop({ graceful: false });

    expect(await jobs.jobState(jobQueues.cleanup, id)).toEqual({ state: 'completed', output: { sessionsRemoved: 0, exportFilesRemoved: 0 } });
    expect(await jobs.jobState(jobQueues.cleanup, randomUUID())).toBeNull();
  }, 120_000);

  it("the cleanup's result is logged at info with what it removed; a working queue logs no error", async () => {
    const id = await jobs.enqueueCleanup();
    await ended(jobQueues.cleanup, id);
    expect(lines).toContainEqual(expect.objectContaining({ level: INFO, msg: 'background jobs: expired sessions and export files removed', sessionsRemoved: 0, exportFilesRemoved: 0 }));
    expect(lines.filter((line) => line.level >= ERROR)).toEqual([]);
  }, 120_000);

  it("the nightly analytics run is logged at info with its day and how many course days it queued", async () => {
    const id = await jobs.enqueueNightlyAnalytics('2026-01-06');
    expect(await ended(analyticsQueues.nightly, id)).toMatchObject({ state: 'completed' });
    expect(lines).toContainEqual(expect.objectContaining({ level: INFO, msg: 'analytics: aggregation queued for every live course', day: '2026-01-06', queued: 0, alreadyQueued: 0 }));
  }, 120_000);

  it.skipIf(target.kind !== 'postgres')('a job connection that PostgreSQL ends is logged as an error by the server, and the jobs go on working (PostgreSQL only: on PGlite pg-boss has no connection of its own to lose)', async () => {
    await database.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'coursewright-jobs' AND datname = current_database() AND state = 'idle'");
    const failure = await eventually('the lost job connection to be logged', async () => lines.find((line) => line.level === ERROR));
    expect(failure.msg).toBe('background jobs: pg-boss reported an error');
    expect((failure.err as { message: string }).message).toMatch(/terminat/);
    // A send that meets a connection not yet known to be lost fails once; the pool then opens new ones.
    const recovered = await eventually('a cleanup to be queued again', async () => jobs.enqueueCleanup().catch(() => undefined));
    expect(await ended(jobQueues.cleanup, recovered)).toMatchObject({ state: 'completed' });
  }, 120_000);

  it("the jobs open their own connection to the URL's database as its user, labelled coursewright-jobs, and a refusal stops the start with the server's reason", async () => {
    const postgres = await refusingPostgres('the operator closed this database to job connections');
    const refusedLogger = recordingLogger([]);
    try {
      const jobs = createBackgroundJobs({ ...database, jobQueueConnection: { kind: 'postgres', url: `postgresql://reporter:secret@127.0.0.1:${postgres.port}/coursewright_jobs` } });
      await expect(jobs.start(refusedLogger.log)).rejects.toThrow('the operator closed this database to job connections');
      expect(postgres.startups.length).toBeGreaterThanOrEqual(1);
      expect(postgres.startups[0]).toMatchObject({ user: 'reporter', database: 'coursewright_jobs', application_name: 'coursewright-jobs' });
      // A start that failed has nothing to stop.
      await expect(jobs.stop()).resolves.toBeUndefined();
    } finally {
      await refusedLogger.close();
      await postgres.close();
    }
  }, 60_000);

  it.skipIf(target.kind !== 'postgres')('on PostgreSQL the jobs hold at most 3 connections of their own, labelled coursewright-jobs, and close them when stopped (PostgreSQL only: PGlite has one connection)', async () => {
    const labelled = async () => (await database.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'coursewright-jobs' AND datname = current_database()"))[0]!.n;
    // Idle workers poll every half second, so at least one connection is open again soon after any was lost.
    const open = await eventually('a job connection to be open', async () => ((await labelled()) >= 1 ? labelled() : undefined));
    expect(open).toBeLessThanOrEqual(3);
    await jobs.stop();
    await eventually('the job connections to close', async () => ((await labelled()) === 0 ? true : undefined));
  }, 120_000);

  it('stopped jobs take no more work: a cleanup queued after the stop waits in the database until a server starts again, which runs it', async () => {
    await jobs.stop();
    const operatorTool = new PgBoss({ ...bossConnection(database), supervise: false, schedule: false });
    await operatorTool.start();
    const id = await operatorTool.send(jobQueues.cleanup, {});
    await operatorTool.stop({ graceful: false });
    // Four polling intervals of the stopped workers.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await database.query('SELECT state FROM pgboss.job WHERE id = $1', [id])).toEqual([{ state: 'created' }]);

    jobs = createBackgroundJobs(database, { pollingIntervalSeconds: 0.5 });
    await jobs.start(logger.log);
    expect(await ended(jobQueues.cleanup, id!)).toEqual({ state: 'completed', output: { sessionsRemoved: 0, exportFilesRemoved: 0 } });
  }, 120_000);
});

describeOnBothDatabases("the nightly analytics run uses the server's learner-inactivity window", (target) => {
  let server: TestServer;
  let author: string;
  let tenantId: string;
  let jobs: BackgroundJobs | undefined;
  /** Runs the nightly job for `day` and waits until the course's day is stored; the window it was computed with. */
  const nightlyWindow = async (day: string) => {
    const nightly = await jobs!.enqueueNightlyAnalytics(day);
    await eventually(`nightly analytics for ${day}`, async () => ((await jobs!.jobState(analyticsQueues.nightly, nightly))?.state === 'completed' ? true : undefined));
    return eventually(`the course day ${day} to be aggregated`, async () => (await server.database.query<{ inactive_after_days: number }>("SELECT inactive_after_days FROM analytics_days WHERE course_id = 'course-sample' AND day = $1", [day]))[0]?.inactive_after_days);
  };

  beforeAll(async () => {
    await clearOfMidnightUtc(MIDNIGHT_GUARD_MINUTES);
    server = await startTestServer(await target.freshLocation());
    const tenant = await server.tenantWithKeys('Nightly Academy');
    author = tenant.keys.author;
    tenantId = tenant.id;
    await publishLive(server, author, samplePackage());
  }, 300_000 + MIDNIGHT_GUARD_MINUTES * 60_000);
  afterAll(async () => {
    await jobs?.stop();
    await server?.app.close();
  });

  it('without a setting the window is the documented 7 days; with --inactive-after 3 it is 3', async () => {
    // Two days the course is live at the end of (one nightly run per day and course is queued at most).
    const today = todayUtc();
    const tomorrow = new Date(Date.parse(`${today}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
    const lines: LogLine[] = [];
    jobs = createBackgroundJobs(server.database, { pollingIntervalSeconds: 0.5 });
    await jobs.start(recordingLogger(lines).log);
    expect(await nightlyWindow(today)).toBe(7);
    // Each course day the nightly run queued is logged with its tenant, course, day and the version it was computed on (the first release).
    const courseDay = await eventually('the course day to be logged', async () => lines.find((line) => line.msg === 'analytics: course day aggregated'));
    expect(courseDay).toMatchObject({ level: INFO, tenantId, courseId: 'course-sample', day: today, written: true, packageVersion: 1 });
    await jobs.stop();

    jobs = createBackgroundJobs(server.database, { pollingIntervalSeconds: 0.5, analytics: { inactiveAfterDays: 3 } });
    await jobs.start(server.app.log);
    expect(await nightlyWindow(tomorrow)).toBe(3);
  }, 120_000);
});
