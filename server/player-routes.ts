import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../node-common/project-root.js';
import type { Access } from './http/routes.js';

/** Where `npm run build:player` (player/build.ts) writes the learner player. */
export const defaultPlayerDirectory = (): string => path.join(projectRoot(), 'dist', 'player');

/**
 * The player's policy: its own script and stylesheet and calls to this server, nothing else. No
 * inline script or style is allowed, none is needed (player/index.html has none), and the page
 * may not be framed. Behind HTTPS, stray http:// requests are upgraded as well.
 */
export function playerContentSecurityPolicy(upgradeInsecureRequests: boolean): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    ...(upgradeInsecureRequests ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** Asset names esbuild writes ([name]-[hash].js|css); anything else under /player/assets/ is not ours. */
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(js|css)$/;

const notBuiltPage = (directory: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Course player not built</title></head>
<body><main><h1>The course player is not built yet</h1>
<p>This server serves learners the web player from <code>${directory.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>, which has no <code>index.html</code>.</p>
<p>Build it in the Coursewright checkout with <code>npm run build:player</code>, then reload this page. The learner API under <code>/api/</code> works without it.</p>
</main></body></html>`;

/**
 * The learner player as static files: `/` is its page and `/player/assets/NAME` its script and
 * stylesheet. These are the only public routes that are not API routes, each declares its access
 * through the same `serverAccess` rule the gate in app.ts checks, and none is under `/api/`, so
 * the API's paths never reach a file.
 */
export async function registerPlayerRoutes(app: FastifyInstance, options: { directory: string; upgradeInsecureRequests: boolean }): Promise<void> {
  const { directory } = options;
  const access: Access = 'public';
  const config = { serverAccess: access, helmet: { contentSecurityPolicy: { useDefaults: false, directives: playerContentSecurityPolicy(options.upgradeInsecureRequests) } } };
  await app.register(fastifyStatic, { root: directory, serve: false, index: false, dotfiles: 'deny', etag: true, lastModified: true });
  app.route({
    method: 'GET',
    url: '/',
    config,
    handler: (_request, reply) => {
      // The page names the current build's assets, so browsers ask again each time (a 304 when unchanged).
      reply.header('cache-control', 'no-cache');
      if (!fs.existsSync(path.join(directory, 'index.html'))) return reply.code(503).type('text/html; charset=utf-8').send(notBuiltPage(directory));
      return reply.sendFile('index.html', { cacheControl: false });
    },
  });
  app.route({
    method: 'GET',
    url: '/player/assets/:name',
    config,
    handler: (request, reply) => {
      const { name } = request.params as { name: string };
      if (!ASSET_NAME.test(name)) return reply.callNotFound();
      // Names carry their content's hash: a new build has new names, so browsers may keep these for good.
      return reply.sendFile(`assets/${name}`, { immutable: true, maxAge: 365 * 86_400_000 });
    },
  });
}
