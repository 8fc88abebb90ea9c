import { createHash, randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { useSha256Implementation } from '../core/hash.js';
import { authenticate } from './auth/authenticate.js';
import { checkedPasswordHashCost, PASSWORD_HASH_COST, type PasswordHashCost } from './auth/secrets.js';
import { Health, Readiness } from './contract.js';
import { databaseIsReady, type ServerDatabase } from './db/connection.js';
import { ApiError, errorStatus, type ServerErrorCode } from './http/errors.js';
import { allows, defineRoute, isAccess, openApiDocument, registerRoute, type RouteDefinition } from './http/routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { MAX_PACKAGE_BYTES, publishingRoutes } from './routes/publishing-routes.js';
import { eventRoutes } from './routes/events-routes.js';
import { learnerRoutes } from './routes/learner-routes.js';
import { defaultPlayerDirectory, registerPlayerRoutes } from './player-routes.js';
import { storeRoutes } from './routes/store-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import type { AggregationSettings } from './analytics/aggregate.js';
import type { BackgroundJobs } from './jobs/background-jobs.js';
import { installMetrics } from './metrics.js';
import type { PaymentProvider } from './payments/port.js';
import { z } from 'zod';

// Content hashes of multi-megabyte packages: Node's native SHA-256, same digest as core's portable one.
useSha256Implementation((text) => createHash('sha256').update(text, 'utf8').digest('hex'));

export interface ServerAppOptions {
  database: ServerDatabase;
  /** Fastify's pino logger options; false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Mark the session cookie Secure: on whenever learners reach the server over HTTPS. */
  secureCookie?: boolean;
  /** Trust X-Forwarded-* from a load balancer in front (client addresses for rate limits). */
  trustProxy?: boolean;
  version?: string;
  /** Takes payment for purchases; the built-in "manual" provider records them as paid at once. */
  payments?: PaymentProvider;
  /** pg-boss, started by server/start.ts; without it export requests answer 503. Stopped when the app closes. */
  jobs?: BackgroundJobs;
  /** Origins (scheme://host[:port]) whose pages may call this API from the browser; none: CORS stays closed. */
  corsOrigins?: readonly string[];
  /** The built learner player served at `/` (default dist/player of the checkout; see player/build.ts). */
  playerDirectory?: string;
  /** Learner analytics settings (the drop-off inactivity window); default 7 days. */
  analytics?: AggregationSettings;
  /**
   * scrypt's cost for learners' passwords; default PASSWORD_HASH_COST. Lowered only for servers
   * whose every account is a simulated learner (SIMULATED_LEARNERS_PASSWORD_HASH_COST); never
   * below that floor.
   */
  passwordHashCost?: PasswordHashCost;
}

/** Bodies above this are refused with 413 before they are parsed: the largest package plus nothing. */
export const BODY_LIMIT_BYTES = MAX_PACKAGE_BYTES;

const fastifyErrorCodes: Record<number, ServerErrorCode> = { 400: 'INVALID_INPUT', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED', 503: 'NOT_READY' };

/**
 * The hosted learner server as a Fastify instance (not listening: see server/start.ts). Routes
 * are added here only, through registerRoute, each with an access rule; a route that reaches the
 * router without one is refused for everyone, so forgetting the rule can never open a route.
 */
export async function buildServerApp(options: ServerAppOptions): Promise<FastifyInstance> {
  const { database } = options;
  const passwordHashCost = checkedPasswordHashCost(options.passwordHashCost ?? PASSWORD_HASH_COST);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Spellings are not folded: /API/courses and /api//courses are different paths, and not routes.
    routerOptions: { caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    return503OnClosing: true,
  });
  app.decorateRequest('principal', null);

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    const code = fastifyErrorCodes[status];
    if (status >= 500 || !code) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: { code: 'INTERNAL', message: 'The server failed to handle this request; the error is in its log under this request id.', details: { requestId: request.id } } });
    }
    const message =
      code === 'PAYLOAD_TOO_LARGE'
        ? `The request body is larger than the server takes (${BODY_LIMIT_BYTES} bytes).`
        : code === 'INVALID_INPUT'
          ? `The request could not be read: ${(error as Error).message}.`
          : (error as Error).message;
    return reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `Nothing is at ${request.method} ${request.url.split('?')[0]}.` } }));

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, { global: true });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    // After body parsing, so a route's key may include a field of the body (the login's email).
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) => new ApiError('RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} seconds.`),
  });
  // CORS only for configured origins, and before the access hook: a browser's preflight carries no
  // credentials and must be answered here. Cross-origin pages send the session token as a bearer
  // header (credentials stay off), which is why the cookie CSRF rule below needs no exception.
  if (options.corsOrigins?.length) {
    await app.register(fastifyCors, { origin: [...options.corsOrigins], credentials: false, methods: ['GET', 'HEAD', 'POST', 'PUT'], allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'], exposedHeaders: ['retry-after', 'location', 'x-request-id', 'content-disposition'], maxAge: 600 });
  }

  // The one gate: authorise against the route the router matched, never against the raw URL.
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.serverAccess;
    if (!isAccess(access)) {
      request.log.error({ route: request.routeOptions.url, method: request.method }, 'route has no access rule; refused for everyone');
      throw new ApiError('FORBIDDEN', 'This route is not open to anyone.');
    }
    if (access === 'public') return;
    const principal = await authenticate(database.db, request);
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'Sign in, or send an API key as "Authorization: Bearer cwk_…".');
    if (!allows(access, principal.role)) throw new ApiError('FORBIDDEN', `This needs ${[access].flat().join(' or ')} access; your ${principal.role === 'learner' ? 'session' : `${principal.role} key`} does not give it.`);
    // A cookie rides along with cross-site requests; a write authenticated by one must come from
    // this site (browsers send Origin on every cross-origin write and Sec-Fetch-Site on all).
    if (principal.via === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const site = request.headers['sec-fetch-site'];
      const origin = request.headers.origin;
      if ((typeof site === 'string' && site !== 'same-origin' && site !== 'none') || (typeof origin === 'string' && origin !== `${request.protocol}://${request.host}`)) {
        throw new ApiError('FORBIDDEN', 'A cookie-authenticated change must come from this site; other sites send the session token as a bearer header.');
      }
    }
    request.principal = principal;
  });

  const routes: RouteDefinition[] = [
    defineRoute({ method: 'GET', url: '/healthz', access: 'public', tag: 'operations', summary: 'The process is up', success: { status: 200, schema: Health }, handler: () => ({ status: 'ok' as const }) }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      access: 'public',
      tag: 'operations',
      summary: 'The database answers and its schema is current',
      success: { status: 200, schema: Readiness },
      errors: ['NOT_READY'],
      handler: async () => {
        if (!(await databaseIsReady(database))) throw new ApiError('NOT_READY', 'The database is not reachable or not migrated yet.');
        return { status: 'ready' as const, database: database.kind };
      },
    }),
    ...authRoutes(database.db, { secureCookie: options.secureCookie ?? false, passwordHashCost }),
    ...publishingRoutes(database.db),
    ...learnerRoutes(database.db),
    ...storeRoutes(database.db, { payments: options.payments }),
    ...eventRoutes(database.db),
    ...exportRoutes(database.db, options.jobs),
    ...analyticsRoutes(database.db, options.analytics),
    installMetrics(app, database),
  ];
  const openApi = openApiDocument(
    [...routes, defineRoute({ method: 'GET', url: '/api/openapi.json', access: 'public', tag: 'operations', summary: 'This document', success: { status: 200, schema: z.record(z.string(), z.unknown()) }, handler: () => ({}) })],
    { title: 'Coursewright hosted learner server', version: options.version ?? '0' },
  );
  routes.push(defineRoute({ method: 'GET', url: '/api/openapi.json', access: 'public', tag: 'operations', summary: 'This document', success: { status: 200, schema: z.record(z.string(), z.unknown()) }, handler: () => openApi }));
  for (const route of routes) registerRoute(app, route);
  await registerPlayerRoutes(app, { directory: options.playerDirectory ?? defaultPlayerDirectory(), upgradeInsecureRequests: options.secureCookie ?? false });

  app.addHook('onClose', async () => {
    await database.close();
  });
  // onClose hooks run in reverse order of registration: this one, registered later, stops the jobs
  // (letting a running export finish) before the hook above closes the database under them.
  const jobs = options.jobs;
  if (jobs) app.addHook('onClose', () => jobs.stop());
  return app;
}

export { errorStatus };
