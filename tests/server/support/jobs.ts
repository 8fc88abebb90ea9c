import type { FastifyInstance } from 'fastify';
import { buildServerApp, type ServerAppOptions } from '../../../server/app.js';
import { openServerDatabase, type DatabaseLocation, type OpenedDatabase } from '../../../server/db/connection.js';
import { createBackgroundJobs, type BackgroundJobs } from '../../../server/jobs/background-jobs.js';
import { createApiKey, createTenant } from '../../../server/store/admin-store.js';
import type { TestServer } from './app.js';

export interface TestServerWithJobs extends TestServer {
  jobs: BackgroundJobs;
}

/** A tenant with one key per role, made the way `coursewright server tenant/key create` make them. */
export async function tenantWithKeys(database: OpenedDatabase, name: string): ReturnType<TestServer['tenantWithKeys']> {
  const tenant = await createTenant(database.db, name, 'cli:test');
  const keys = {} as Awaited<ReturnType<TestServer['tenantWithKeys']>>['keys'];
  const keyIds = {} as Awaited<ReturnType<TestServer['tenantWithKeys']>>['keyIds'];
  for (const role of ['admin', 'author', 'analyst'] as const) {
    const created = await createApiKey(database.db, tenant.id, role, 'cli:test');
    keys[role] = created.key;
    keyIds[role] = created.id;
  }
  return { id: tenant.id, keys, keyIds };
}

/** The server app as server/start.ts builds it: pg-boss started on the same database, stopped when the app closes. */
export async function startTestServerWithJobs(location: DatabaseLocation, options: Partial<ServerAppOptions> = {}): Promise<TestServerWithJobs> {
  const database = await openServerDatabase(location);
  const jobs = createBackgroundJobs(database, { pollingIntervalSeconds: 0.5 });
  const app: FastifyInstance = await buildServerApp({ ...options, database, jobs });
  await jobs.start(app.log);
  return { app, database, jobs, tenantWithKeys: (name) => tenantWithKeys(database, name) };
}

/** Asks until `check` gives a value (not undefined), or fails naming what it waited for. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
