import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, errorStatus } from './errors.js';

/** Who may call a route. Learners sign in with a session; admins, authors and analysts use API keys. */
export const principalRoles = ['learner', 'admin', 'author', 'analyst'] as const;
export type PrincipalRole = (typeof principalRoles)[number];
export type Access = 'public' | PrincipalRole | readonly PrincipalRole[];

export type Principal =
  | { role: 'learner'; tenantId: string; userId: string; sessionId: string; via: 'cookie' | 'bearer' }
  | { role: 'admin' | 'author' | 'analyst'; tenantId: string; keyId: string; via: 'bearer' };

/** The audit actor for a principal: which key or which learner did it. */
export function actorOf(principal: Principal): string {
  return principal.role === 'learner' ? `user:${principal.userId}` : `key:${principal.keyId}`;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Required on every route of the hosted server: a route without it is refused for everyone
     * (see server/app.ts). Named apart from the studio's own `access` (cli/serve), whose rules differ.
     */
    serverAccess?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function isAccess(value: unknown): value is Access {
  if (value === 'public') return true;
  if (typeof value === 'string') return (principalRoles as readonly string[]).includes(value);
  return Array.isArray(value) && value.length > 0 && value.every((role) => (principalRoles as readonly string[]).includes(role));
}

export function allows(access: Exclude<Access, 'public'>, role: PrincipalRole): boolean {
  return typeof access === 'string' ? access === role : access.includes(role);
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B, A extends Access> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  /** Non-null on every route that is not public: the access hook has authenticated it. */
  principal: A extends 'public' ? Principal | null : Principal;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Answer with another success status than the route's usual one (e.g. 200 for an idempotent repeat of a 201). */
  setStatus(status: number): void;
}

/**
 * One route: its access rule, its zod schemas and its handler. The same object registers the
 * Fastify route (validating with the schemas) and describes it in the OpenAPI document, so the
 * contract clients read is the one the server enforces.
 */
export interface RouteDefinition<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined, R extends Schema = Schema, A extends Access = Access> {
  method: Method;
  url: string;
  access: A;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status and body; refusals use the shared error envelope. */
  success: { status: 200 | 201 | 202 | 204; schema: R };
  /** Another success status the handler may choose with setStatus, answering the same shape. */
  alsoSucceedsWith?: { status: 200 | 201; description: string };
  /** Error codes this route may answer with, for the OpenAPI document. */
  errors?: readonly (keyof typeof errorStatus)[];
  /** Extra Fastify route config (for example `rateLimit`). */
  config?: Record<string, unknown>;
  bodyLimit?: number;
  /**
   * Answers from the body's bytes, before they are parsed and validated, when it can (undefined:
   * the handler runs as usual). For large bodies whose answer is often known from their bytes
   * alone, such as a re-upload of a package the server already has. It runs after the access rule,
   * and with a JSON body only; anything it cannot decide is left to the handler.
   */
  answerFromRawBody?: (context: { params: Infer<P>; principal: Principal | null; raw: Buffer }) => Promise<{ status: 200 | 201; body: z.input<R> } | undefined>;
  handler: (context: RouteContext<P, Q, B, A>) => Promise<z.input<R>> | z.input<R>;
}

export function defineRoute<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema, A extends Access>(route: RouteDefinition<P, Q, B, R, A>): RouteDefinition {
  return route as unknown as RouteDefinition;
}

function parsePart(schema: Schema | undefined, value: unknown, part: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: [part, ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new ApiError('INVALID_INPUT', `The request's ${part} is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}.`, details);
}

/** Answers decided from a request's raw body (see answerFromRawBody), until its handler sends them. */
const rawBodyAnswers = new WeakMap<FastifyRequest, { status: number; body: unknown }>();

export function registerRoute(app: FastifyInstance, route: RouteDefinition): void {
  const answerFromRawBody = route.answerFromRawBody;
  if (!answerFromRawBody) {
    addRoute(app, route);
    return;
  }
  // A JSON parser of this route's own (content type parsers belong to an encapsulated scope, so
  // every other route keeps Fastify's): it sees the bytes first and parses them exactly as the
  // default parser does (prototype poisoning refused) only when they did not decide the answer.
  void app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}) }, async (request: FastifyRequest, raw: Buffer) => {
      const params = route.params ? route.params.safeParse(request.params) : { success: true as const, data: undefined };
      if (params.success && raw.length > 0) {
        const answer = await answerFromRawBody({ params: params.data, principal: request.principal, raw });
        if (answer) {
          rawBodyAnswers.set(request, answer);
          return null;
        }
      }
      return new Promise((resolve, reject) => parseJson(request, raw.toString('utf8'), (error: Error | null, parsed?: unknown) => (error ? reject(error) : resolve(parsed))));
    });
    addRoute(scope, route);
  });
}

function addRoute(app: FastifyInstance, route: RouteDefinition): void {
  app.route({
    method: route.method,
    url: route.url,
    config: { ...route.config, serverAccess: route.access },
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    handler: async (request, reply) => {
      const decided = rawBodyAnswers.get(request);
      if (decided) return reply.code(decided.status).send(decided.body);
      let status: number = route.success.status;
      const context = {
        params: parsePart(route.params, request.params, 'path'),
        query: parsePart(route.query, request.query, 'query'),
        body: parsePart(route.body, request.body, 'body'),
        principal: request.principal,
        request,
        reply,
        setStatus: (chosen: number) => {
          status = chosen;
        },
      };
      const result = await route.handler(context as never);
      if (reply.sent) return reply;
      reply.code(status);
      return status === 204 ? reply.send() : reply.send(result);
    },
  });
}

export const ErrorEnvelope = z.object({ error: z.object({ code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus]), message: z.string(), details: z.unknown().optional() }) });

const jsonSchema = (schema: Schema) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** OpenAPI 3.1 (whose schemas are JSON Schema 2020-12, what zod emits) for a list of routes. */
export function openApiDocument(routes: readonly RouteDefinition[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
      if (!schema) continue;
      const properties = (jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] });
      for (const [name, property] of Object.entries(properties.properties ?? {})) parameters.push({ name, in: location, required: location === 'path' || (properties.required ?? []).includes(name), schema: property });
    }
    const responses: Record<string, unknown> = {
      [route.success.status]: route.success.status === 204 ? { description: 'Done' } : { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.success.schema) } } },
    };
    if (route.alsoSucceedsWith) responses[route.alsoSucceedsWith.status] = { description: route.alsoSucceedsWith.description, content: { 'application/json': { schema: jsonSchema(route.success.schema) } } };
    const errorCodes = new Set([...(route.access === 'public' ? [] : (['UNAUTHENTICATED', 'FORBIDDEN'] as const)), ...(route.params || route.query || route.body ? (['INVALID_INPUT'] as const) : []), ...(route.errors ?? [])]);
    for (const code of errorCodes) {
      const status = String(errorStatus[code]);
      const existing = responses[status] as { description: string } | undefined;
      responses[status] = { description: existing ? `${existing.description}, ${code}` : code, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      'x-access': route.access,
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ErrorEnvelope: jsonSchema(ErrorEnvelope) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (cwk_…) or a learner session token (cws_…)' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 'cw_session' } },
    },
    security: [{ bearer: [] }, { sessionCookie: [] }],
  };
}
