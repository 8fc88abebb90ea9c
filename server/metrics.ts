import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import type { ServerDatabase } from './db/connection.js';
import { defineRoute, type RouteDefinition } from './http/routes.js';

/** Label for requests no route matched: their paths are whatever a client typed, never a label. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Prometheus metrics of one instance (each instance is scraped on its own; Prometheus sums them).
 * Requests are labelled by the route the router matched (`/api/exports/:jobId`), never by the raw
 * URL, so ids, tokens or anything a client puts in a path never reach a label and the number of
 * series stays bounded. Job counts and pool use are read from the database at scrape time.
 *
 * Access: an admin or analyst API key. Metrics are server-wide (every tenant's traffic in one
 * count) but carry no tenant's data: route templates, statuses, queue names and counts.
 */
export function installMetrics(app: FastifyInstance, database: ServerDatabase): RouteDefinition {
  const registry = new Registry();
  registry.setDefaultLabels({ database: database.kind });
  collectDefaultMetrics({ register: registry, prefix: 'coursewright_' });

  const requests = new Counter({ name: 'coursewright_http_requests_total', help: 'HTTP requests answered, by matched route, method and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'coursewright_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its answer, by matched route, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'coursewright_jobs',
    help: 'Background jobs held by pg-boss, by queue and state (completed jobs until pg-boss archives them)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      // Before pg-boss first starts on this database its schema does not exist; then there is nothing to count.
      const [present] = await database.query<{ table: string | null }>("SELECT to_regclass('pgboss.job')::text AS table");
      if (!present?.table) return;
      for (const row of await database.query<{ name: string; state: string; count: number }>('SELECT name, state::text AS state, count(*)::int AS count FROM pgboss.job GROUP BY name, state')) {
        this.set({ queue: row.name, state: row.state }, row.count);
      }
    },
  });
  const pool = (name: string, help: string, pick: (use: ReturnType<ServerDatabase['poolUse']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(database.poolUse()));
      },
    });
  pool('coursewright_db_pool_connections', 'Connections open in the request pool (PGlite: always 1)', (use) => use.total);
  pool('coursewright_db_pool_idle_connections', 'Open connections not serving a query', (use) => use.idle);
  pool('coursewright_db_pool_waiting_requests', 'Queries waiting for a free connection', (use) => use.waiting);

  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  return defineRoute({
    method: 'GET',
    url: '/metrics',
    access: ['admin', 'analyst'],
    tag: 'operations',
    summary: "This instance's Prometheus metrics (text format): requests and latencies by route, background jobs by queue and state, database pool use; admin or analyst key",
    success: { status: 200, schema: z.string().describe('Prometheus text exposition format') },
    handler: async ({ reply }) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  });
}
