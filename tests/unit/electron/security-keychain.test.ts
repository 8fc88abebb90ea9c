import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../host/content-security-policy.js';
import { createKeychainKeyStore, type SafeStorageLike } from '../../../electron/keychain.js';
import { hardenSession, hardenWebContents, isAllowedExternalUrl, openExternalSafely, secureWebPreferences, type SessionLike } from '../../../electron/security.js';
import { tempDataDir } from '../../helpers.js';

const appUrl = 'file:///opt/coursewright/dist/renderer/index.html';

describe('window security', () => {
  it('isolates the renderer: context isolation and sandbox on, Node off', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, preload: '/app/preload.cjs' });
  });

  it('blocks navigation away from the app and every window.open, sending only https/mailto out', async () => {
    let navigate: (event: { preventDefault(): void }, url: string) => void = () => {};
    let openHandler: (details: { url: string }) => { action: string } = () => ({ action: 'allow' });
    const shell = { openExternal: vi.fn(async () => {}) };
    hardenWebContents({ on: (_e, l) => void (navigate = l), setWindowOpenHandler: (h) => void (openHandler = h) }, appUrl, shell);

    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://attacker.example/phish');
    expect(away.preventDefault).toHaveBeenCalled();
    const within = { preventDefault: vi.fn() };
    navigate(within, `${appUrl}#/review`);
    expect(within.preventDefault).not.toHaveBeenCalled();

    for (const url of ['https://docs.example/guide', 'javascript:alert(1)', 'file:///etc/passwd', 'http://plain.example/']) expect(openHandler({ url })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(shell.openExternal.mock.calls).toEqual([['https://docs.example/guide']]);
  });

  it('vets external URLs', async () => {
    expect(isAllowedExternalUrl('https://example.org')).toBe(true);
    expect(isAllowedExternalUrl('mailto:team@example.org')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) expect(isAllowedExternalUrl(url)).toBe(false);
    const shell = { openExternal: vi.fn(async () => {}) };
    expect(await openExternalSafely(shell, 'file:///etc/passwd')).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('sets the CSP on every response, cancels remote requests and denies permissions', () => {
    const hooks: { headers?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0]; before?: Parameters<SessionLike['webRequest']['onBeforeRequest']>[0]; permission?: Parameters<SessionLike['setPermissionRequestHandler']>[0] } = {};
    hardenSession({ setPermissionRequestHandler: (h) => void (hooks.permission = h), webRequest: { onHeadersReceived: (l) => void (hooks.headers = l), onBeforeRequest: (l) => void (hooks.before = l) } }, contentSecurityPolicy);

    let headers: Record<string, unknown> = {};
    hooks.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => void (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);

    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      hooks.before!({ url }, (r) => void (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('https://cdn.example/lib.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled(`${appUrl}`)).toBe(false);
    let granted: boolean | undefined;
    hooks.permission!({}, 'media', (g) => void (granted = g));
    expect(granted).toBe(false);
  });
});

/** Stands in for the OS keychain: reversible, but never the plaintext bytes. */
const fakeSafeStorage = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
});

describe('API keys in the keychain', () => {
  it('stores only encrypted bytes, reads them back after a restart, and forgets on request', () => {
    const file = path.join(tempDataDir('keychain'), 'user-data', 'model-api-key.bin');
    const store = createKeychainKeyStore(fakeSafeStorage(), file);
    expect(store.kind).toBe('keychain');
    store.set('sk-live-1234567890');
    expect(fs.readFileSync(file).toString('latin1')).not.toContain('sk-live');
    expect(createKeychainKeyStore(fakeSafeStorage(), file).get()).toBe('sk-live-1234567890');
    store.set(null);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.get()).toBeNull();
  });

  it('refuses to store a key when the keychain is unavailable, and writes nothing', () => {
    const file = path.join(tempDataDir('keychain'), 'model-api-key.bin');
    const store = createKeychainKeyStore(fakeSafeStorage(false), file);
    expect(() => store.set('sk-live')).toThrow(/keychain is not available/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the renderer page carries the policy itself', () => {
  it('index.html declares the same CSP the host sends (minus frame-ancestors, which a meta tag cannot set)', () => {
    const html = fs.readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy.replace("; frame-ancestors 'none'", ''));
  });
});
