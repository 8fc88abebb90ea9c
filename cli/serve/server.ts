import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../../schemas/errors.js';
import type { ModelProvider } from '../../core/ai/port.js';
import { createMemoryKeyStore } from '../../core/studio/events.js';
import { contentSecurityPolicy } from '../../host/content-security-policy.js';
import { exportedFile } from '../../host/exports-folder.js';
import { openStudioHost } from '../../host/studio-host.js';

export interface StudioServerOptions {
  dataDir: string;
  port?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  token?: string;
  apiKey?: string | null;
  models?: () => ModelProvider[];
}

const httpStatusFor: Record<ErrorCode, number> = {
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
  INTERNAL: 500,
};

/**
 * `coursewright serve`: the studio's operations over HTTP on 127.0.0.1, guarded by a
 * per-launch token, plus the built renderer. The browser learns the token from the URL
 * fragment, which never reaches the server's logs or a Referer header.
 */
export async function startStudioServer(options: StudioServerOptions) {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const host = openStudioHost({
    dataDir: options.dataDir,
    keys: createMemoryKeyStore(options.apiKey ?? null),
    ...(options.models ? { models: options.models } : {}),
  });
  // Open event streams must not keep a stopping server alive: Ctrl+C ends them with it.
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024, logger: false, forceCloseConnections: true });
  const eventStreams = new Set<import('node:http').ServerResponse>();
  app.addHook('onClose', async () => {
    for (const stream of eventStreams) stream.end();
  });
  const expected = Buffer.from(token);
  const tokenMatches = (candidate: string | undefined) => {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Loopback only, and only under a loopback name: a DNS-rebinding page cannot reach us.
    const hostHeader = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostHeader)) {
      return reply.code(403).send({ ok: false, error: { code: 'USAGE', message: 'Coursewright serves only 127.0.0.1.' } });
    }
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!request.url.startsWith('/api/')) return;
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    const queryToken = (request.query as { token?: string } | undefined)?.token;
    if (!tokenMatches(bearer ?? queryToken)) {
      return reply.code(401).send({ ok: false, error: { code: 'USAGE', message: 'Missing or wrong studio token. Open the URL `coursewright serve` printed.' } });
    }
  });

  app.post<{ Params: { name: string } }>('/api/call/:name', async (request, reply) => {
    const result = await host.dispatch(request.params.name, request.body ?? {});
    return reply.code(result.ok ? 200 : httpStatusFor[result.error.code]).send(result);
  });

  // A finished export, for the browser to save: only plain file names inside the exports folder.
  app.get<{ Params: { fileName: string } }>('/api/exports/:fileName', (request, reply) => {
    let target: string;
    try {
      target = exportedFile(options.dataDir, request.params.fileName);
    } catch (error) {
      return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: (error as Error).message } });
    }
    return reply
      .type('application/octet-stream')
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(target))}`)
      .send(fs.createReadStream(target));
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    raw.write(': connected\n\n');
    eventStreams.add(raw);
    const unsubscribe = host.events.subscribe((event) => raw.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), 15_000);
    request.raw.on('close', () => {
      eventStreams.delete(raw);
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  const indexFile = path.join(options.rendererDir, 'index.html');
  if (fs.existsSync(indexFile)) {
    await app.register(fastifyStatic, { root: path.resolve(options.rendererDir), index: ['index.html'], cacheControl: false });
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
      return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` } });
    });
  } else {
    app.get('/', (_request, reply) =>
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
    dispatch: host.dispatch,
    close: async () => {
      await app.close();
      host.close();
    },
  };
}
