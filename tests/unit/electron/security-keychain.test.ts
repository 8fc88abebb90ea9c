import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../host/content-security-policy.js';
import { appEntryUrl } from '../../../electron/app-protocol.js';
import { askToStoreKeyUnprotected, createKeychainKeyStore, keyProtection, type MessageBoxOptionsLike, type SafeStorageLike } from '../../../electron/keychain.js';
import { hardenSession, hardenWebContents, isAllowedExternalUrl, isAllowedRequest, openExternalSafely, secureWebPreferences, type SessionLike, type WebContentsLike } from '../../../electron/security.js';
import { tempDataDir } from '../../helpers.js';

/** A webContents that records its listeners by event name, as Electron's EventEmitter would hold them. */
function fakeWebContents() {
  const listeners = new Map<string, (...args: never[]) => void>();
  let openHandler: (details: { url: string }) => { action: string } = () => ({ action: 'allow' });
  const contents = {
    on: (event: string, listener: (...args: never[]) => void) => void listeners.set(event, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  } as unknown as WebContentsLike;
  const prevented = (event: string, url: string) => {
    const navigation = { url, preventDefault: vi.fn() };
    (listeners.get(event) as unknown as (e: typeof navigation, url: string) => void)(navigation, url);
    return navigation.preventDefault.mock.calls.length > 0;
  };
  return { contents, listeners, prevented, open: (url: string) => openHandler({ url }) };
}

describe('window security', () => {
  it('isolates the renderer: context isolation and sandbox on, Node off, web security on, no webview tag', () => {
    const preferences = secureWebPreferences('/app/preload.cjs');
    expect(preferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('stops every navigation and redirect away from the studio page (file:, data:, blob:, http:, other app:// paths), in any frame, and allows the page itself', () => {
    const { contents, prevented } = fakeWebContents();
    hardenWebContents(contents, { openExternal: vi.fn(async () => {}) });
    const refused = [
      'file:///etc/passwd',
      'file:///opt/coursewright/dist/renderer/index.html',
      'data:text/html,<script>alert(1)</script>',
      'blob:app://coursewright/0b6c1c5e-6a3f-4a4e-9d55-0c1d2a3b4c5d',
      'http://127.0.0.1:8080/',
      'https://attacker.example/phish',
      'app://coursewright/assets/index.js',
      'app://coursewright.attacker.example/index.html',
      'app://coursewright:8080/index.html',
      'javascript:alert(1)',
    ];
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of refused) expect(prevented(event, url), `${event} ${url}`).toBe(true);
      expect(prevented(event, appEntryUrl)).toBe(false);
      expect(prevented(event, `${appEntryUrl}#/courses/c_1/review`)).toBe(false);
    }
  });

  it('never attaches a webview', () => {
    const { contents, listeners } = fakeWebContents();
    hardenWebContents(contents, { openExternal: vi.fn(async () => {}) });
    const attach = { preventDefault: vi.fn() };
    (listeners.get('will-attach-webview') as unknown as (e: typeof attach) => void)(attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('denies every window.open, sending only https/mailto out to the OS', async () => {
    const { contents, open } = fakeWebContents();
    const shell = { openExternal: vi.fn(async () => {}) };
    hardenWebContents(contents, shell);
    for (const url of ['https://docs.example/guide', 'mailto:team@example.org', 'javascript:alert(1)', 'file:///etc/passwd', 'http://plain.example/', appEntryUrl, 'data:text/html,x']) expect(open(url)).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(shell.openExternal.mock.calls).toEqual([['https://docs.example/guide'], ['mailto:team@example.org']]);
  });

  it('vets external URLs', async () => {
    expect(isAllowedExternalUrl('https://example.org')).toBe(true);
    expect(isAllowedExternalUrl('mailto:team@example.org')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) expect(isAllowedExternalUrl(url)).toBe(false);
    const shell = { openExternal: vi.fn(async () => {}) };
    expect(await openExternalSafely(shell, 'file:///etc/passwd')).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  function hardenedFakeSession() {
    const hooks: {
      headers?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
      before?: Parameters<SessionLike['webRequest']['onBeforeRequest']>[0];
      permission?: Parameters<SessionLike['setPermissionRequestHandler']>[0];
      check?: Parameters<SessionLike['setPermissionCheckHandler']>[0];
    } = {};
    hardenSession(
      {
        setPermissionRequestHandler: (h) => void (hooks.permission = h),
        setPermissionCheckHandler: (h) => void (hooks.check = h),
        webRequest: { onHeadersReceived: (l) => void (hooks.headers = l), onBeforeRequest: (l) => void (hooks.before = l) },
      },
      contentSecurityPolicy,
    );
    return hooks;
  }

  it('sets the CSP on every response', () => {
    const hooks = hardenedFakeSession();
    let headers: Record<string, unknown> = {};
    hooks.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => void (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('cancels every request but the studio origin and devtools: file:, data:, blob:, http(s):, ws: and other app:// hosts', () => {
    const hooks = hardenedFakeSession();
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      hooks.before!({ url }, (r) => void (cancel = r.cancel));
      return cancel;
    };
    for (const url of [
      'file:///etc/passwd',
      'file:///opt/coursewright/dist/renderer/index.html',
      'data:text/html,<h1>x</h1>',
      'blob:app://coursewright/0b6c1c5e',
      'https://cdn.example/lib.js',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:9229/',
      'chrome-extension://abc/x.js',
      'app://elsewhere/index.html',
      'app://coursewright:1/index.html',
    ]) {
      expect(cancelled(url), url).toBe(true);
      expect(isAllowedRequest(url), url).toBe(false);
    }
    for (const url of [appEntryUrl, 'app://coursewright/assets/index-abc.js', 'app://coursewright/assets/font.woff2', 'devtools://devtools/bundled/devtools_app.html']) expect(cancelled(url), url).toBe(false);
  });

  it('denies every permission request and permission check', () => {
    const hooks = hardenedFakeSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      hooks.permission!({}, permission, (g) => void (granted = g));
      expect(granted, permission).toBe(false);
      expect(hooks.check!({}, permission), permission).toBe(false);
    }
  });
});

/** Stands in for the OS keychain: reversible, but never the plaintext bytes. */
const fakeSafeStorage = (available = true, backend?: string): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
  ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
});

const neverAsked = () => {
  throw new Error('asked about unprotected storage, but the keychain protects the key');
};

describe('API keys in the keychain', () => {
  it('stores only encrypted bytes, reads them back after a restart, and forgets on request', async () => {
    const file = path.join(tempDataDir('keychain'), 'user-data', 'model-api-key.bin');
    const options = { platform: 'darwin' as const, confirmUnprotectedStorage: neverAsked };
    const store = createKeychainKeyStore(fakeSafeStorage(), file, options);
    expect(store.kind).toBe('keychain');
    expect(await store.save('sk-live-1234567890')).toBe('stored');
    expect(fs.readFileSync(file).toString('latin1')).not.toContain('sk-live');
    expect(createKeychainKeyStore(fakeSafeStorage(), file, options).get()).toBe('sk-live-1234567890');
    expect(await store.save(null)).toBe('forgotten');
    expect(fs.existsSync(file)).toBe(false);
    expect(store.get()).toBeNull();
  });

  it('refuses to store a key when the keychain is unavailable, and writes nothing', async () => {
    const file = path.join(tempDataDir('keychain'), 'model-api-key.bin');
    const store = createKeychainKeyStore(fakeSafeStorage(false), file, { platform: 'linux', confirmUnprotectedStorage: neverAsked });
    await expect(store.save('sk-live')).rejects.toThrow(/keychain is not available/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('tells protected from unprotected storage by the Linux backend', () => {
    expect(keyProtection(fakeSafeStorage(true, 'basic_text'), 'linux')).toBe('unprotected');
    expect(keyProtection(fakeSafeStorage(true, 'unknown'), 'linux')).toBe('unprotected');
    expect(keyProtection(fakeSafeStorage(true), 'linux')).toBe('unprotected');
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) expect(keyProtection(fakeSafeStorage(true, backend), 'linux')).toBe('os-keychain');
    expect(keyProtection(fakeSafeStorage(true), 'darwin')).toBe('os-keychain');
    expect(keyProtection(fakeSafeStorage(true), 'win32')).toBe('os-keychain');
    expect(keyProtection(fakeSafeStorage(false, 'gnome_libsecret'), 'linux')).toBe('unavailable');
  });

  it('on Linux with basic_text, asks first; "no" keeps the key for this session and writes nothing', async () => {
    const file = path.join(tempDataDir('keychain'), 'model-api-key.bin');
    const confirm = vi.fn(async () => false);
    const store = createKeychainKeyStore(fakeSafeStorage(true, 'basic_text'), file, { platform: 'linux', confirmUnprotectedStorage: confirm });
    expect(await store.save('sk-live-session')).toBe('session-only');
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(store.get()).toBe('sk-live-session');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
    expect(createKeychainKeyStore(fakeSafeStorage(true, 'basic_text'), file, { platform: 'linux', confirmUnprotectedStorage: confirm }).get()).toBeNull();
  });

  it('on Linux with basic_text, "yes" writes the key', async () => {
    const file = path.join(tempDataDir('keychain'), 'model-api-key.bin');
    const confirm = vi.fn(async () => true);
    const store = createKeychainKeyStore(fakeSafeStorage(true, 'basic_text'), file, { platform: 'linux', confirmUnprotectedStorage: confirm });
    expect(await store.save('sk-live-agreed')).toBe('stored');
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(fs.existsSync(file)).toBe(true);
    expect(createKeychainKeyStore(fakeSafeStorage(true, 'basic_text'), file, { platform: 'linux', confirmUnprotectedStorage: confirm }).get()).toBe('sk-live-agreed');
  });

  it('on Linux with a real keyring, stores without asking; forgetting a key never asks', async () => {
    const file = path.join(tempDataDir('keychain'), 'model-api-key.bin');
    const confirm = vi.fn(async () => false);
    const store = createKeychainKeyStore(fakeSafeStorage(true, 'gnome_libsecret'), file, { platform: 'linux', confirmUnprotectedStorage: confirm });
    expect(await store.save('sk-live-keyring')).toBe('stored');
    expect(fs.existsSync(file)).toBe(true);
    const unprotected = createKeychainKeyStore(fakeSafeStorage(true, 'basic_text'), file, { platform: 'linux', confirmUnprotectedStorage: confirm });
    expect(await unprotected.save(null)).toBe('forgotten');
    expect(confirm).not.toHaveBeenCalled();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('the question explains the risk, keeps the key for the session by default, and only the save button means yes', async () => {
    const asked: MessageBoxOptionsLike[] = [];
    const answer = (response: number) => askToStoreKeyUnprotected(async (options) => (asked.push(options), { response }));
    expect(await answer(1)()).toBe(true);
    expect(await answer(0)()).toBe(false);
    const question = asked[0]!;
    expect(question.buttons[1]).toBe('Save without protection');
    expect(question.buttons[question.defaultId]).toBe('Keep for this session only');
    expect(question.cancelId).toBe(question.defaultId);
    expect(question.detail).toMatch(/any program running under your account can read/);
    expect(question.detail).toMatch(/nothing is written/);
  });
});

describe('the renderer page carries the policy itself', () => {
  it('index.html declares the same CSP the host sends (minus frame-ancestors, which a meta tag cannot set)', () => {
    const html = fs.readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy.replace("; frame-ancestors 'none'", ''));
  });
});
