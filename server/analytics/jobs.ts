import type PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerDatabase } from '../db/connection.js';
import { aggregateCourseDay, checkDay, previousUtcDay, type AggregationSettings } from './aggregate.js';
import { liveCourses } from './gather.js';

/** The analytics queues, shared by every instance on one database. */
export const analyticsQueues = {
  /** Once a day: queues one aggregation per tenant and live course for the day that just ended. */
  nightly: 'analytics-nightly',
  /** One course and day of one tenant. */
  aggregate: 'analytics-aggregate',
} as const;

/** Every day at 00:15 UTC, once the day before is complete (events sent late by offline players have had a quarter hour). */
export const ANALYTICS_SCHEDULE = '15 0 * * *';

export interface NightlyAnalyticsData {
  /** The day to compute; the UTC day before the job runs when absent (the scheduled case). */
  day?: string;
}
export interface CourseDayJobData {
  tenantId: string;
  courseId: string;
  day: string;
}

/**
 * One aggregation job per (tenant, course, day): pg-boss refuses a second job with the same
 * singletonKey in the same twelve-hour slot (the longest it allows: its archive interval), and
 * the nightly fan-out runs at 00:15, so two instances running it queue each course once. Should two runs of one course and day still meet (the admin's "run now" while the
 * nightly job works), the advisory lock in aggregateCourseDay serialises them and the second finds
 * the rows already right: nothing is ever counted twice.
 */
export function courseDayJob(data: CourseDayJobData): { data: CourseDayJobData; options: PgBoss.SendOptions } {
  return { data, options: { singletonKey: `analytics/${data.tenantId}/${data.courseId}/${data.day}`, singletonSeconds: 12 * 60 * 60 } };
}

export async function queueCourseDays(boss: PgBoss, database: Pick<ServerDatabase, 'db'>, day: string): Promise<{ queued: number; alreadyQueued: number }> {
  let queued = 0;
  let alreadyQueued = 0;
  for (const course of await liveCourses(database.db)) {
    const job = courseDayJob({ ...course, day });
    if (await boss.send(analyticsQueues.aggregate, job.data, job.options)) queued += 1;
    else alreadyQueued += 1;
  }
  return { queued, alreadyQueued };
}

/** Creates the queues, starts their workers and schedules the nightly run (one schedule in the database for all instances). */
export async function startAnalyticsJobs(boss: PgBoss, database: ServerDatabase, log: FastifyBaseLogger, settings: AggregationSettings, polling: { pollingIntervalSeconds: number }): Promise<void> {
  await boss.createQueue(analyticsQueues.nightly, { name: analyticsQueues.nightly, retryLimit: 2, expireInSeconds: 15 * 60 });
  await boss.createQueue(analyticsQueues.aggregate, { name: analyticsQueues.aggregate, retryLimit: 2, retryDelay: 60, expireInSeconds: 30 * 60 });
  await boss.work<NightlyAnalyticsData>(analyticsQueues.nightly, polling, async ([job]) => {
    const day = job?.data.day ?? previousUtcDay(new Date());
    const problem = checkDay(day);
    if (problem) throw new Error(`The nightly analytics job was given ${problem}.`);
    const result = await queueCourseDays(boss, database, day);
    log.info({ day, ...result }, 'analytics: aggregation queued for every live course');
    return { day, ...result };
  });
  await boss.work<CourseDayJobData>(analyticsQueues.aggregate, { ...polling, batchSize: 1 }, async ([job]) => {
    if (!job) return null;
    const outcome = await aggregateCourseDay(database.db, job.data.tenantId, job.data.courseId, job.data.day, settings);
    log.info({ tenantId: job.data.tenantId, ...outcome }, 'analytics: course day aggregated');
    return outcome;
  });
  await boss.schedule(analyticsQueues.nightly, ANALYTICS_SCHEDULE, {}, { tz: 'UTC' });
}
