import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { api, type OperationName, type Result, type StudioEvent } from '../../schemas/api.js';
import { describeZodIssues, type ErrorCode, type ErrorEnvelope } from '../../schemas/errors.js';
import { contentSecurityPolicy } from '../../host/content-security-policy.js';
import { createWorkerClient, type WorkerLike } from '../../host/engine-client.js';
import { exportedFile } from '../../host/exports-folder.js';
import { startHostThread } from '../../host/threads.js';

export interface StudioServerOptions {
  dataDir: string;
  port?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  token?: string;
  apiKey?: string | null;
}

/** The HTTP status of each error code: what scripts and the browser's network panel see. */
export const httpStatusFor: Record<ErrorCode, number> = {
  USAGE: 400,
  INVALID_INPUT: 400,
  MODEL_OUTPUT_INVALID: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MISSING_API_KEY: 400,
  MODEL_UNAVAILABLE: 502,
  CANCELLED: 409,
  STORAGE_LOCKED: 503,
  STORAGE_CORRUPT: 500,
  STORAGE_TOO_NEW: 500,
  SERVER_UNAVAILABLE: 502,
  UNAUTHORIZED: 400,
  INTERNAL: 500,
};

/**
 * Who may use a route. Every route needs the token unless it says `public`; the check reads the
 * route the router matched (after it decoded the path), never the raw URL, so no spelling of a
 * path can reach a token route without the token.
 */
type RouteAccess = 'public' | 'token';
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const bodyLimitBytes = 16 * 1024 * 1024;

/** Fastify's own refusals, in the studio's words and in the envelope every answer uses. */
function envelopeForFrameworkError(error: FastifyError): { status: number; envelope: ErrorEnvelope } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, envelope: { code: 'INVALID_INPUT', message: `The request body is larger than the studio accepts (${bodyLimitBytes / 1024 / 1024} MB).` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, envelope: { code: 'INVALID_INPUT', message: 'Send the request body as JSON (Content-Type: application/json).' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, envelope: { code: 'INVALID_INPUT', message: 'The request body is empty; send a JSON object ({} when the operation takes no input).' } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, envelope: { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' } };
  }
  const status = error.statusCode ?? 500;
  if (status < 500) return { status, envelope: { code: 'INVALID_INPUT', message: `The request was refused: ${error.message}` } };
  return { status: 500, envelope: { code: 'INTERNAL', message: 'The studio server failed to answer this request; the operation may not have run. Try again.' } };
}

/**
 * `coursewright serve`: the studio's operations over HTTP on 127.0.0.1, guarded by a
 * per-launch token, plus the built renderer. The browser learns the token from the URL
 * fragment, which never reaches the server's logs or a Referer header.
 *
 * The engine runs in a thread of its own, as in the desktop app: this thread only routes, so a
 * database lock, a model call or a big export never stalls the page or other calls.
 */
export async function startStudioServer(options: StudioServerOptions) {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const dataDir = path.resolve(options.dataDir);

  // Answers go to a browser page: they name the data folder, never its absolute path.
  const jsonDataDir = JSON.stringify(dataDir).slice(1, -1);
  const withoutDataDir = <T>(value: T): T => {
    const text = JSON.stringify(value);
    return text.includes(jsonDataDir) ? (JSON.parse(text.split(jsonDataDir).join('<data folder>')) as T) : value;
  };

  const eventStreams = new Set<ServerResponse>();
  const broadcast = (event: StudioEvent) => {
    const frame = `data: ${JSON.stringify(withoutDataDir(event))}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
  };
  const engine = createWorkerClient(() => startHostThread('engine-worker', { dataDir, keyStorage: 'memory' }) as unknown as WorkerLike, broadcast);
  // The engine client keeps the key in this thread's memory, so an engine thread that restarts
  // gets it back; a blank key is no key.
  const startKey = options.apiKey?.trim() || null;
  if (startKey) engine.setApiKey(startKey);

  const dispatch = async (name: string, input: unknown): Promise<Result<unknown>> => {
    if (name === 'settings.setApiKey') {
      const parsed = api['settings.setApiKey'].input.safeParse(input);
      if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: describeZodIssues(parsed.error).join('; ') } };
      engine.setApiKey(parsed.data.apiKey.trim() || null);
    }
    // The engine thread validates the name and the input before anything runs.
    const result = await engine.call(name as OperationName, input);
    // The hosted server's author key stays in this thread's memory too, for a restarted engine thread.
    if (name === 'sync.setServerKey' && result.ok) {
      const parsed = api['sync.setServerKey'].input.safeParse(input);
      if (parsed.success) engine.setServerKey(parsed.data.serverKey.trim() || null);
    }
    return result;
  };

  // Open event streams must not keep a stopping server alive: Ctrl+C ends them with it.
  const app = Fastify({
    bodyLimit: bodyLimitBytes,
    logger: false,
    forceCloseConnections: true,
    // Refusals made before routing (a path that does not decode) skip the error handler.
    frameworkErrors: (error, _request, reply) => {
      const { status, envelope } = error.code === 'FST_ERR_BAD_URL' ? { status: 400, envelope: { code: 'INVALID_INPUT' as const, message: 'The request path is not valid percent-encoded UTF-8.' } } : envelopeForFrameworkError(error);
      return (reply as FastifyReply).code(status).send({ ok: false, error: envelope });
    },
  });
  app.removeContentTypeParser('text/plain');
  app.addHook('onClose', async () => {
    for (const stream of eventStreams) stream.end();
  });
  const expected = Buffer.from(token);
  const tokenMatches = (candidate: string | undefined) => {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  // Runs after routing: `routeOptions.config` is the matched route's, or the not-found handler's.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Loopback only, and only under a loopback name: a DNS-rebinding page cannot reach us.
    const hostHeader = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostHeader)) {
      return reply.code(403).send({ ok: false, error: { code: 'USAGE', message: 'Coursewright serves only 127.0.0.1.' } });
    }
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (request.routeOptions.config?.access === 'public') return;
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const queryToken = (request.query as { token?: unknown } | undefined)?.token;
    if (!tokenMatches(bearer ?? (typeof queryToken === 'string' ? queryToken : undefined))) {
      return reply.code(401).send({ ok: false, error: { code: 'USAGE', message: 'Missing or wrong studio token. Open the URL `coursewright serve` printed.' } });
    }
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const { status, envelope } = envelopeForFrameworkError(error);
    return reply.code(status).send({ ok: false, error: withoutDataDir(envelope) });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` } }),
  );

  app.post<{ Params: { name: string } }>('/api/call/:name', { config: { access: 'token' } }, async (request, reply) => {
    const result = await dispatch(request.params.name, request.body ?? {});
    return reply.code(result.ok ? 200 : httpStatusFor[result.error.code]).send(result.ok ? result : withoutDataDir(result));
  });

  // A finished export, for the browser to save: only regular files directly inside the exports
  // folder, opened without following a link that may have been put there since the check.
  app.get<{ Params: { fileName: string } }>('/api/exports/:fileName', { config: { access: 'token' } }, async (request, reply) => {
    let target: string;
    let handle: fs.promises.FileHandle;
    try {
      target = exportedFile(dataDir, request.params.fileName);
      handle = await fs.promises.open(target, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new Error(`${request.params.fileName} is not an exported file.`);
      }
    } catch (error) {
      return reply.code(404).send({ ok: false, error: withoutDataDir({ code: 'NOT_FOUND', message: (error as Error).message }) });
    }
    return reply
      .type('application/octet-stream')
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(target))}`)
      .send(handle.createReadStream());
  });

  app.get('/api/events', { config: { access: 'token' } }, (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    raw.write(': connected\n\n');
    eventStreams.add(raw);
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), 15_000);
    request.raw.on('close', () => {
      eventStreams.delete(raw);
      clearInterval(heartbeat);
    });
  });

  // The UI shell is the one public part: static files of the renderer build, nothing else.
  const indexFile = path.join(options.rendererDir, 'index.html');
  if (fs.existsSync(indexFile)) {
    await app.register(async (ui) => {
      ui.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: 'public' };
      });
      await ui.register(fastifyStatic, { root: path.resolve(options.rendererDir), index: ['index.html'], cacheControl: false, dotfiles: 'deny', allowedPath: (pathName) => !pathName.startsWith('/api/') });
    });
  } else {
    app.get('/', { config: { access: 'public' } }, (_request, reply) =>
      reply.type('text/html').send('<!doctype html><title>Coursewright</title><p>The studio UI is not built. Run <code>npm run build:renderer</code>, then start <code>coursewright serve</code> again.</p>'),
    );
  }

  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = Number(new URL(address).port);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    port,
    token,
    /** What a person opens: the token rides in the fragment. */
    studioUrl: `${url}#token=${token}`,
    /** The operations as the HTTP route runs them, without HTTP (tests compare the two). */
    dispatch: dispatch as (name: OperationName, input: unknown) => Promise<Result<unknown>>,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
