import fs from 'node:fs';
import path from 'node:path';
import mime from 'mime-types';

/**
 * The desktop window loads the studio from `app://coursewright/…`, served from the renderer
 * build by main, never from file://: a file:// page shares one opaque origin with every file on
 * the disk, while this origin holds nothing but the studio's own files.
 */
export const appScheme = 'app';
export const appHost = 'coursewright';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

export interface CustomSchemeLike {
  scheme: string;
  privileges: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; codeCache?: boolean; corsEnabled?: boolean; bypassCSP?: boolean; allowServiceWorkers?: boolean; stream?: boolean };
}

/**
 * standard: a real origin, so 'self' in the CSP, relative URLs and storage work as on https;
 * secure: a secure context, like https; supportFetchAPI: module scripts, workers and fonts load
 * through fetch; codeCache: compiled scripts are cached between starts.
 * Left off on purpose: corsEnabled (would let other origins read these files), bypassCSP,
 * allowServiceWorkers and stream, which the studio does not need.
 */
export const appSchemePrivileges: CustomSchemeLike = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export interface PrivilegedSchemeRegistry {
  registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void;
}

/** Electron accepts this only before the app is ready, and only once: main calls it at load. */
export function registerAppScheme(protocol: PrivilegedSchemeRegistry): void {
  protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a URL belongs to the studio's origin. Node's URL gives `null` as the origin of a
 * custom scheme, so scheme and host are compared themselves; a port or credentials make it
 * another origin.
 */
export function isAppOrigin(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}

/** The studio's one page, with any in-app route after the `#`. */
export function isAppEntry(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && isAppOrigin(url) && parsed.pathname === '/index.html' && parsed.search === '';
}

export interface AppRequest {
  url: string;
  method: string;
}

const refusal = (status: number, message: string) => new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });

/** Inside `root` after every symlink is followed: a link that leads out of the build is outside. */
function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The handler for `protocol.handle('app', …)`: answers GET and HEAD for files under
 * `rendererDir` only, with the content type for the file's extension and the studio's CSP on
 * every response. A path that decodes to `..`, a separator or NUL, or that resolves (through a
 * symlink too) outside `rendererDir`, is refused with 403 before anything is read.
 */
export function createAppProtocolHandler(rendererDir: string, contentSecurityPolicy: string): (request: AppRequest) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, `${request.method} is not supported here; the studio's files are read-only.`);
    const url = parse(request.url);
    if (!url || !isAppOrigin(request.url)) return refusal(404, 'Not found.');
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return refusal(400, 'The path is not valid percent-encoded UTF-8.');
    }
    if (segments.some((s) => s === '.' || s === '..' || /[/\\\0]/.test(s))) return refusal(403, 'The path leaves the studio\'s files.');
    if (segments.length === 0) segments = ['index.html'];

    let root: string;
    let file: string;
    try {
      root = await fs.promises.realpath(rendererDir);
    } catch {
      return refusal(404, 'The studio has not been built: run `npm run build:renderer`.');
    }
    try {
      file = await fs.promises.realpath(path.join(root, ...segments));
    } catch {
      return refusal(404, 'Not found.');
    }
    if (!isInside(root, file)) return refusal(403, 'The path leaves the studio\'s files.');
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return refusal(404, 'Not found.');

    const headers = {
      'Content-Type': mime.contentType(path.extname(file)) || 'application/octet-stream',
      'Content-Length': String(stat.size),
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : await fs.promises.readFile(file), { status: 200, headers });
  };
}
