import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { JobQueueConnection, ServerDatabase } from '../db/connection.js';
import { runExportJob, type ExportJobData } from '../exports/run-export.js';
import { defaultAggregationSettings, type AggregationSettings } from '../analytics/aggregate.js';
import { analyticsQueues, startAnalyticsJobs } from '../analytics/jobs.js';

/** The queues this server works. Names are pg-boss's, shared by every instance on one database. */
export const jobQueues = {
  /** Removes expired learner sessions and export files past their retention. */
  cleanup: 'cleanup-expired',
  /** Turns a published package into an export file (see server/exports/). */
  exports: 'package-exports',
} as const;

/** Every hour on the hour, and once at each start; the work is idempotent, so overlaps are harmless. */
export const CLEANUP_SCHEDULE = '0 * * * *';

/** Export files are kept this long after they are produced; a later download asks for a new export. */
export const EXPORT_FILE_RETENTION_DAYS = 7;

export interface CleanupResult {
  sessionsRemoved: number;
  exportFilesRemoved: number;
}

export interface BackgroundJobs {
  /** Starts pg-boss (creating or migrating its schema), the workers and the hourly cleanup, and queues one cleanup now. */
  start(log: FastifyBaseLogger): Promise<void>;
  /** Queues an export whose export_jobs row already exists; the row's id is the job's id. */
  enqueueExport(data: ExportJobData): Promise<void>;
  /** Queues a cleanup run now; its pg-boss job id. */
  enqueueCleanup(): Promise<string>;
  /** Queues the nightly analytics fan-out now (for `day`, default the UTC day before); its pg-boss job id. */
  enqueueNightlyAnalytics(day?: string): Promise<string>;
  /** pg-boss's own state of one job (created, retry, active, completed, cancelled, failed), or null once it is gone. */
  jobState(queue: string, id: string): Promise<{ state: string; output: unknown } | null>;
  /** Lets the jobs in hand finish (up to 20 s), then stops polling; the database stays open. Nothing when never started. */
  stop(): Promise<void>;
}

/** Deletes what has expired, for every tenant at once: this is upkeep of the database, not a tenant's action. */
export async function cleanUpExpired(database: ServerDatabase): Promise<CleanupResult> {
  const sessions = await database.query<{ id: string }>('DELETE FROM sessions WHERE expires_at <= now() RETURNING id');
  const files = await database.query<{ export_id: string }>(`DELETE FROM export_files WHERE created_at < now() - interval '${EXPORT_FILE_RETENTION_DAYS} days' RETURNING export_id`);
  return { sessionsRemoved: sessions.length, exportFilesRemoved: files.length };
}

/**
 * pg-boss answers a job it did not insert with no id instead of an error. For these queues (no
 * singleton policy) that happens when the queue is missing from the database (deleted since this
 * server created it at start); a caller must never be handed a job id that is not one.
 */
function notQueued(job: string, queue: string): Error {
  return new Error(`The ${job} job was not queued: pg-boss has no queue "${queue}" on this database. Restart the server (it creates its queues) and ask again.`);
}

/** Any fixed 64-bit number every instance shares; this spells "cw-jobs". */
const JOB_SETUP_LOCK_KEY = 0x63772d6a6f6273n.toString();

/**
 * Runs the job queue's set-up while no other instance runs its own. pg-boss migrates its schema
 * under a lock of its own, but creating a queue is DDL (a partition of pgboss.job, attached, with
 * foreign keys to pgboss.queue) that it does not serialise: two instances creating the same new
 * queues at once can deadlock, and PostgreSQL then ends one of them's start. A session advisory
 * lock on a connection of its own (labelled as the jobs' connections are) lets one instance set
 * up while the others wait, then find every queue there. PGlite has one process, so nothing to wait for.
 */
async function oneInstanceAtATime(connection: JobQueueConnection, setUp: () => Promise<void>): Promise<void> {
  if (connection.kind !== 'postgres') return setUp();
  const { default: pg } = await import('pg');
  const session = new pg.Client({ connectionString: connection.url, application_name: 'coursewright-jobs' });
  // A lost connection fails the set-up through its next query; it must not also crash the process.
  session.on('error', () => {});
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1::bigint)', [JOB_SETUP_LOCK_KEY]);
    await setUp();
  } finally {
    // Ending the session releases its lock, also when the set-up failed.
    await session.end();
  }
}

export interface BackgroundJobOptions {
  /** How often an idle worker asks for work; pg-boss's default is 2 s, tests use less. */
  pollingIntervalSeconds?: number;
  /** Learner analytics settings for the nightly aggregation (the drop-off inactivity window). */
  analytics?: AggregationSettings;
}

/**
 * pg-boss on the server's database. On PostgreSQL it has its own small pool (jobs never take the
 * request pool's connections); on PGlite it runs through the one embedded connection via pg-boss's
 * `db` executor. Its tables live in the `pgboss` schema, which pg-boss creates and migrates itself
 * under its own advisory lock; the queues are set up one instance at a time (oneInstanceAtATime),
 * so several instances may start at once. Jobs are claimed with
 * SKIP LOCKED: with several instances each job runs on one of them. Created before the app (whose
 * routes queue work) and started with the app's logger.
 */
export function createBackgroundJobs(database: ServerDatabase, options: BackgroundJobOptions = {}): BackgroundJobs {
  const connection = database.jobQueueConnection;
  const boss =
    connection.kind === 'postgres'
      ? new PgBoss({ connectionString: connection.url, max: 3, application_name: 'coursewright-jobs' })
      : new PgBoss({ db: connection.executor as PgBoss.Db });
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  let started = false;

  /** pg-boss, its queues, workers and schedules: everything start() does before queueing work. */
  async function setUp(log: FastifyBaseLogger): Promise<void> {
    await boss.start();
    started = true;
    // An export is a pure function of a stored package: a failure would repeat, so the handler
    // records it and ends the job. A retry happens only when an instance died mid-export (expiry).
    await boss.createQueue(jobQueues.exports, { name: jobQueues.exports, retryLimit: 2, expireInSeconds: 15 * 60 });
    await boss.createQueue(jobQueues.cleanup, { name: jobQueues.cleanup, retryLimit: 1, expireInSeconds: 5 * 60 });
    await boss.work<ExportJobData>(jobQueues.exports, { ...polling, batchSize: 1 }, async ([job]) => {
      if (job) await runExportJob(database, job.data, log);
    });
    await boss.work(jobQueues.cleanup, polling, async () => {
      const result = await cleanUpExpired(database);
      log.info(result, 'background jobs: expired sessions and export files removed');
      return result;
    });
    await boss.schedule(jobQueues.cleanup, CLEANUP_SCHEDULE);
    await startAnalyticsJobs(boss, database, log, options.analytics ?? defaultAggregationSettings, polling);
  }

  const jobs: BackgroundJobs = {
    async start(log) {
      boss.on('error', (error) => log.error({ err: error }, 'background jobs: pg-boss reported an error'));
      await oneInstanceAtATime(connection, () => setUp(log));
      await jobs.enqueueCleanup();
    },
    async enqueueExport(data) {
      // Each export has a new id, so no id back means no queue: the route then marks the export failed instead of leaving it "created" for ever.
      const id = await boss.send(jobQueues.exports, data, { id: data.exportId });
      if (!id) throw notQueued('export', jobQueues.exports);
    },
    async enqueueCleanup() {
      const id = await boss.send(jobQueues.cleanup, {});
      if (!id) throw notQueued('cleanup', jobQueues.cleanup);
      return id;
    },
    async enqueueNightlyAnalytics(day) {
      const id = await boss.send(analyticsQueues.nightly, day ? { day } : {});
      if (!id) throw notQueued('nightly analytics', analyticsQueues.nightly);
      return id;
    },
    async jobState(queue, id) {
      const job = await boss.getJobById(queue, id, { includeArchive: true });
      return job ? { state: job.state, output: job.output } : null;
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: 20_000, close: true });
    },
  };
  return jobs;
}
