import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildServerApp } from './app.js';
import { openServerDatabase, type DatabaseLocation } from './db/connection.js';
import { createBackgroundJobs } from './jobs/background-jobs.js';
import type { AggregationSettings } from './analytics/aggregate.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Stops accepting connections, lets in-flight requests and running background jobs finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(options: { location: DatabaseLocation; host: string; port: number; logger?: FastifyServerOptions['logger']; version?: string; corsOrigins?: readonly string[]; analytics?: AggregationSettings }): Promise<RunningServer> {
  const database = await openServerDatabase(options.location);
  const jobs = createBackgroundJobs(database, { analytics: options.analytics });
  const app = await buildServerApp({ database, jobs, logger: options.logger, version: options.version, corsOrigins: options.corsOrigins, analytics: options.analytics });
  try {
    await jobs.start(app.log);
  } catch (error) {
    await app.close();
    throw error;
  }
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
