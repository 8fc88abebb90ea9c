import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../host/content-security-policy.js';
import { appEntryUrl, appSchemePrivileges } from '../../../electron/app-protocol.js';
import { channelFor } from '../../../electron/ipc.js';
import { tempDataDir } from '../../helpers.js';

/**
 * main.ts as Electron runs it, with a fake `electron` module (the binary is not installed here)
 * and a fake engine thread: what main registers before ready, and how it builds the window.
 */
type Listener = (...args: never[]) => unknown;

function fakeElectron(backend: string) {
  const order: string[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const userData = tempDataDir('main-user-data');
  const webContentsListeners = new Map<string, Listener>();
  const windows: Array<{ options: { webPreferences: Record<string, unknown> }; loaded?: string }> = [];
  const ipcHandlers = new Map<string, (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const sessionHooks = new Map<string, Listener>();
  const dialogAnswers: number[] = [];

  class BrowserWindow {
    webContents = {
      on: (event: string, listener: Listener) => void webContentsListeners.set(event, listener),
      setWindowOpenHandler: (handler: Listener) => void webContentsListeners.set('window-open', handler),
      send: () => {},
    };
    loaded?: string;
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      order.push('new BrowserWindow');
      windows.push(this);
    }
    once() {}
    show() {}
    loadURL(url: string) {
      order.push('loadURL');
      this.loaded = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      requestSingleInstanceLock: () => true,
      on: () => {},
      whenReady: () => whenReady,
      getPath: () => userData,
      isPackaged: true,
      getVersion: () => '0.0.0-test',
      quit: () => {},
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void order.push('registerSchemesAsPrivileged')),
      handle: (scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>) => {
        order.push(`protocol.handle ${scheme}`);
        protocolHandlers.set(scheme, handler);
      },
    },
    BrowserWindow,
    dialog: { showMessageBox: vi.fn(async () => ({ response: dialogAnswers.shift() ?? 0 })), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (channel: string, listener: never) => void ipcHandlers.set(channel, listener) },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => backend,
      encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
      decryptString: (encrypted: Buffer) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => void sessionHooks.set('permission-request', h),
        setPermissionCheckHandler: (h: Listener) => void sessionHooks.set('permission-check', h),
        webRequest: {
          onBeforeRequest: (l: Listener) => void sessionHooks.set('before-request', l),
          onHeadersReceived: (l: Listener) => void sessionHooks.set('headers-received', l),
        },
      },
    },
    shell: { openExternal: vi.fn(async () => {}), showItemInFolder: () => {}, openPath: async () => '' },
  };
  return { electron, order, ready, userData, windows, webContentsListeners, ipcHandlers, protocolHandlers, sessionHooks, dialogAnswers };
}

/** The engine thread answers every call and remembers the key main hands it. */
const workerMessages: Array<{ type: string; apiKey?: string | null }> = [];
class FakeWorker extends EventEmitter {
  postMessage(message: { type: string; id?: number; name?: string; apiKey?: string | null }) {
    workerMessages.push(message);
    const value = message.name?.startsWith('settings.') ? { keyStorage: 'keychain' } : {};
    if (message.type === 'call') queueMicrotask(() => this.emit('message', { type: 'result', id: message.id, result: { ok: true, value } }));
  }
  terminate() {
    return Promise.resolve(0);
  }
}

async function startMain(backend = 'gnome_libsecret') {
  vi.resetModules();
  workerMessages.length = 0;
  const fake = fakeElectron(backend);
  vi.stubEnv('COURSEWRIGHT_DATA', tempDataDir('main-data'));
  vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
  vi.doMock('node:worker_threads', () => ({ Worker: FakeWorker, default: { Worker: FakeWorker } }));
  await import('../../../electron/main.js');
  const beforeReady = [...fake.order];
  fake.ready();
  await vi.waitFor(() => expect(fake.windows[0]?.loaded).toBeDefined());
  return { ...fake, beforeReady };
}

afterEach(() => {
  vi.doUnmock('electron');
  vi.doUnmock('node:worker_threads');
  vi.unstubAllEnvs();
});

describe('the desktop main process', () => {
  it('registers app:// as privileged before ready, serves it after, and loads the studio from app://, not file://', async () => {
    const main = await startMain();
    expect(main.beforeReady).toEqual(['registerSchemesAsPrivileged']);
    expect(main.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([appSchemePrivileges]);
    expect(main.order.indexOf('protocol.handle app')).toBeLessThan(main.order.indexOf('loadURL'));
    expect(main.windows[0]!.loaded).toBe(appEntryUrl);
    expect(main.windows[0]!.loaded).not.toMatch(/^file:/);

    // The handler main registered serves from the renderer build beside dist/electron, with the CSP.
    const handler = main.protocolHandlers.get('app')!;
    const refused = await handler({ url: 'app://coursewright/..%2f..%2fpackage.json', method: 'GET' });
    expect(refused.status).toBe(403);
    const page = await handler({ url: appEntryUrl, method: 'GET' });
    expect([200, 404]).toContain(page.status);
    if (page.status === 200) expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('builds the window isolated and sandboxed, Node off, web security on, no webview tag', async () => {
    const main = await startMain();
    expect(main.windows).toHaveLength(1);
    expect(main.windows[0]!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(String(main.windows[0]!.options.webPreferences.preload)).toMatch(/preload\.cjs$/);
  });

  it('hardens the window it opens: file:/data:/blob:/http: navigations stopped and app:// allowed, window.open denied, webviews refused', async () => {
    const main = await startMain();
    const navigate = main.webContentsListeners.get('will-navigate') as unknown as (event: { preventDefault(): void }, url: string) => void;
    const stopped = (url: string) => {
      const event = { preventDefault: vi.fn() };
      navigate(event, url);
      return event.preventDefault.mock.calls.length === 1;
    };
    for (const url of ['file:///etc/passwd', 'data:text/html,x', 'blob:app://coursewright/1', 'http://127.0.0.1/']) expect(stopped(url), url).toBe(true);
    expect(stopped(`${appEntryUrl}#/courses`)).toBe(false);
    expect((main.webContentsListeners.get('window-open') as unknown as (d: { url: string }) => unknown)({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    (main.webContentsListeners.get('will-attach-webview') as unknown as (e: typeof attach) => void)(attach);
    expect(attach.preventDefault).toHaveBeenCalled();
    expect(main.webContentsListeners.has('will-redirect')).toBe(true);
    expect(main.webContentsListeners.has('will-frame-navigate')).toBe(true);
  });

  it('hardens the session: permissions denied, requests other than app:// and devtools: cancelled', async () => {
    const main = await startMain();
    let granted: boolean | undefined;
    (main.sessionHooks.get('permission-request') as unknown as (w: unknown, p: string, cb: (g: boolean) => void) => void)({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      (main.sessionHooks.get('before-request') as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('https://cdn.example/x.js')).toBe(true);
    expect(cancelled('app://coursewright/assets/index.js')).toBe(false);
  });

  it('answers IPC only from the app:// studio origin, not from file:// pages', async () => {
    const main = await startMain();
    const call = main.ipcHandlers.get(channelFor('courses.list'))!;
    expect(await call({ senderFrame: { url: 'file:///opt/coursewright/dist/renderer/index.html' } }, {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call({ senderFrame: { url: `${appEntryUrl}#/courses` } }, {})).toMatchObject({ ok: true });
  });

  describe.skipIf(process.platform !== 'linux')('saving the model API key on Linux (the storage backend question is Linux-only)', () => {
    const keyFile = (userData: string) => path.join(userData, 'model-api-key.bin');
    const saveKey = (main: Awaited<ReturnType<typeof startMain>>, apiKey: string) => main.ipcHandlers.get(channelFor('settings.setApiKey'))!({ senderFrame: { url: appEntryUrl } }, { apiKey });

    it('with basic_text, asks in a dialog over the window; "keep for this session" writes nothing but the engine still gets the key', async () => {
      const main = await startMain('basic_text');
      main.dialogAnswers.push(0);
      expect(await saveKey(main, 'sk-live-session')).toMatchObject({ ok: true, value: { keyStorage: 'memory' } });
      const settingsGet = main.ipcHandlers.get(channelFor('settings.get'))!;
      expect(await settingsGet({ senderFrame: { url: appEntryUrl } }, {})).toMatchObject({ ok: true, value: { keyStorage: 'memory' } });
      expect(main.electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
      expect((main.electron.dialog.showMessageBox.mock.calls[0] as unknown[])[0]).toBe(main.windows[0]);
      expect(fs.existsSync(keyFile(main.userData))).toBe(false);
      expect(workerMessages).toContainEqual({ type: 'set-api-key', apiKey: 'sk-live-session' });
    });

    it('with basic_text, "save without protection" writes the key file', async () => {
      const main = await startMain('basic_text');
      main.dialogAnswers.push(1);
      expect(await saveKey(main, 'sk-live-agreed')).toMatchObject({ ok: true, value: { keyStorage: 'keychain' } });
      expect(main.electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
      expect(fs.existsSync(keyFile(main.userData))).toBe(true);
    });

    it('with a keyring, saves without asking', async () => {
      const main = await startMain('gnome_libsecret');
      expect(await saveKey(main, 'sk-live-keyring')).toMatchObject({ ok: true, value: { keyStorage: 'keychain' } });
      expect(main.electron.dialog.showMessageBox).not.toHaveBeenCalled();
      expect(fs.existsSync(keyFile(main.userData))).toBe(true);
    });
  });
});
