import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../host/content-security-policy.js';
import { appEntryUrl, appSchemePrivileges, createAppProtocolHandler, isAppEntry, isAppOrigin, registerAppScheme, type CustomSchemeLike } from '../../../electron/app-protocol.js';
import { tempDataDir } from '../../helpers.js';

describe('the app:// scheme', () => {
  it('is registered as privileged: standard and secure, fetch for modules and workers; never CORS-readable, CSP-bypassing or with service workers', () => {
    const registered: CustomSchemeLike[][] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void registered.push(schemes) });
    expect(registered).toEqual([[appSchemePrivileges]]);
    expect(appSchemePrivileges.scheme).toBe('app');
    expect(appSchemePrivileges.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    for (const privilege of ['corsEnabled', 'bypassCSP', 'allowServiceWorkers', 'stream'] as const) expect(appSchemePrivileges.privileges[privilege], privilege).toBeFalsy();
  });

  it('knows its own origin and page from look-alikes', () => {
    expect(appEntryUrl).toBe('app://coursewright/index.html');
    for (const url of [appEntryUrl, `${appEntryUrl}#/courses`, 'app://coursewright/assets/x.js']) expect(isAppOrigin(url), url).toBe(true);
    for (const url of ['app://coursewright.evil/index.html', 'app://coursewright:1/index.html', 'app://a:b@coursewright/index.html', 'file:///index.html', 'https://coursewright/index.html', 'not a url']) expect(isAppOrigin(url), url).toBe(false);
    expect(isAppEntry(`${appEntryUrl}#/review`)).toBe(true);
    expect(isAppEntry('app://coursewright/assets/x.js')).toBe(false);
    expect(isAppEntry(`${appEntryUrl}?next=file:///etc/passwd`)).toBe(false);
  });
});

describe('serving the renderer build over app://', () => {
  let root: string;
  let rendererDir: string;
  let handle: ReturnType<typeof createAppProtocolHandler>;
  const get = (url: string, method = 'GET') => handle({ url, method });

  beforeAll(() => {
    root = tempDataDir('app-protocol');
    rendererDir = path.join(root, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursewright</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'export const x = 1;');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'codicon.ttf'), Buffer.from([0, 1, 0, 0]));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'noto.woff2'), Buffer.from('wOF2'));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'json.worker-abc.js'), 'self.onmessage = () => {};');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'a file.json'), '{}');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'sk-live-outside');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link-out.txt'));
    fs.symlinkSync(root, path.join(rendererDir, 'up'));
    handle = createAppProtocolHandler(rendererDir, contentSecurityPolicy);
  });

  it('serves the studio files with their content types, nosniff and the CSP', async () => {
    const expected: Array<[string, RegExp]> = [
      [appEntryUrl, /^text\/html; charset=utf-8$/],
      ['app://coursewright/', /^text\/html/],
      ['app://coursewright/assets/index-abc.js', /^(application|text)\/javascript; charset=utf-8$/],
      ['app://coursewright/assets/json.worker-abc.js', /^(application|text)\/javascript/],
      ['app://coursewright/assets/index-abc.css', /^text\/css; charset=utf-8$/],
      ['app://coursewright/assets/codicon.ttf', /^font\/ttf$/],
      ['app://coursewright/assets/noto.woff2', /^font\/woff2$/],
      ['app://coursewright/assets/logo.svg', /^image\/svg\+xml/],
      ['app://coursewright/assets/a%20file.json', /^application\/json/],
    ];
    for (const [url, type] of expected) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(type);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
    expect(await (await get(appEntryUrl)).text()).toContain('<title>Coursewright</title>');
    const head = await get('app://coursewright/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses every way out of the renderer build: dot segments, encoded separators, NUL, symlinks', async () => {
    const escapes = [
      'app://coursewright/%2e%2e/secret.txt',
      'app://coursewright/..%2fsecret.txt',
      'app://coursewright/assets/..%2f..%2fsecret.txt',
      'app://coursewright/%2E%2E%5Csecret.txt',
      'app://coursewright/..%5c..%5csecret.txt',
      'app://coursewright/assets%2f..%2f..%2fsecret.txt',
      'app://coursewright/index.html%00.js',
      'app://coursewright/%252e%252e/secret.txt',
      'app://coursewright/assets/link-out.txt',
      'app://coursewright/up/secret.txt',
    ];
    for (const url of escapes) {
      const response = await get(url);
      expect([403, 404], url).toContain(response.status);
      expect(await response.text(), url).not.toContain('sk-live-outside');
    }
    // WHATWG URL parsing resolves plain and percent-encoded dot segments before the handler sees
    // the path, so these land inside the build, never above it.
    for (const url of ['app://coursewright/../secret.txt', 'app://coursewright/assets/../../secret.txt', 'app://coursewright/%2e%2e/%2e%2e/secret.txt']) {
      expect(await (await get(url)).text(), url).not.toContain('sk-live-outside');
    }
    expect((await get('app://coursewright/assets/..%2f..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://coursewright/assets/link-out.txt')).status).toBe(403);
  });

  it('answers only GET and HEAD, only for its own host, and 404 for folders and missing files', async () => {
    expect((await get(appEntryUrl, 'POST')).status).toBe(405);
    expect((await get(appEntryUrl, 'PUT')).status).toBe(405);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://coursewright/assets')).status).toBe(404);
    expect((await get('app://coursewright/missing.js')).status).toBe(404);
    expect((await get('app://coursewright/%E0%A4%A')).status).toBe(400);
  });

  it('says how to build the studio when there is no renderer build', async () => {
    const missing = createAppProtocolHandler(path.join(root, 'not-built'), contentSecurityPolicy);
    const response = await missing({ url: appEntryUrl, method: 'GET' });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/npm run build:renderer/);
  });
});
