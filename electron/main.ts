import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { api, type OperationName, type Result, type StudioSettings } from '../schemas/api.js';
import { describeZodIssues } from '../schemas/errors.js';
import { contentSecurityPolicy } from '../host/content-security-policy.js';
import { resolveDataDir } from '../host/data-dir.js';
import { exportedFile } from '../host/exports-folder.js';
import { registerIpcHandlers, eventChannel } from './ipc.js';
import { appEntryUrl, appScheme, createAppProtocolHandler, isAppOrigin, registerAppScheme } from './app-protocol.js';
import { askToStoreKeyUnprotected, createKeychainKeyStore } from './keychain.js';
import { hardenSession, hardenWebContents, openExternalSafely, secureWebPreferences } from './security.js';
import { createWorkerClient, type WorkerLike } from '../host/engine-client.js';

// Bundled to dist/electron/*.cjs by scripts/build-electron.ts; the renderer build sits beside it.
const here = __dirname;
const rendererDir = path.join(here, '..', 'renderer');

// Before ready, as Electron requires: the studio's origin gets its privileges at start-up.
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(() => {
    const dataDir = resolveDataDir(undefined);
    const keychain = createKeychainKeyStore(safeStorage, path.join(app.getPath('userData'), 'model-api-key.bin'), {
      platform: process.platform,
      confirmUnprotectedStorage: askToStoreKeyUnprotected((options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))),
    });
    const engine = createWorkerClient(
      () => new Worker(path.join(here, 'engine-worker.cjs'), { workerData: { dataDir } }) as unknown as WorkerLike,
      (event) => window?.webContents.send(eventChannel, event),
    );
    engine.setApiKey(keychain.get());
    // The hosted server's author key: a keychain file of its own, handed to the engine thread like the model key.
    const serverKeychain = createKeychainKeyStore(safeStorage, path.join(app.getPath('userData'), 'server-author-key.bin'), {
      platform: process.platform,
      confirmUnprotectedStorage: askToStoreKeyUnprotected((options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))),
    });
    engine.setServerKey(serverKeychain.get());

    // The key is the one thing main keeps itself: encrypted by the OS before the worker hears of it.
    let keptForSessionOnly = false;
    const forward = async (name: OperationName, input: unknown): Promise<Result<unknown>> => {
      if (name === 'settings.setApiKey') {
        const parsed = api['settings.setApiKey'].input.safeParse(input);
        if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: describeZodIssues(parsed.error).join('; ') } };
        try {
          keptForSessionOnly = (await keychain.save(parsed.data.apiKey.trim() || null)) === 'session-only';
        } catch (error) {
          return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } };
        }
        engine.setApiKey(keychain.get());
      }
      if (name === 'sync.setServerKey') {
        const parsed = api['sync.setServerKey'].input.safeParse(input);
        if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: describeZodIssues(parsed.error).join('; ') } };
        try {
          await serverKeychain.save(parsed.data.serverKey.trim() || null);
        } catch (error) {
          return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } };
        }
        engine.setServerKey(serverKeychain.get());
      }
      // Showing a file is the desktop's job: main selects it in the system file manager.
      if (name === 'exports.reveal') {
        const parsed = api['exports.reveal'].input.safeParse(input);
        if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: describeZodIssues(parsed.error).join('; ') } };
        try {
          const file = exportedFile(dataDir, parsed.data.fileName);
          shell.showItemInFolder(file);
          return { ok: true, value: { path: file } };
        } catch (error) {
          return { ok: false, error: { code: 'NOT_FOUND', message: (error as Error).message } };
        }
      }
      const result = await engine.call(name, input);
      // A key the person chose not to write unprotected lives in memory: the studio says so.
      if (result.ok && keptForSessionOnly && (name === 'settings.get' || name === 'settings.update' || name === 'settings.setApiKey')) {
        return { ok: true, value: { ...(result.value as StudioSettings), keyStorage: 'memory' } };
      }
      return result;
    };
    registerIpcHandlers(ipcMain, forward, isAppOrigin);
    hardenSession(session.defaultSession, contentSecurityPolicy);
    protocol.handle(appScheme, createAppProtocolHandler(rendererDir, contentSecurityPolicy));

    window = new BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 1280,
      minHeight: 800,
      title: 'Coursewright',
      show: false,
      webPreferences: secureWebPreferences(path.join(here, 'preload.cjs')),
    });
    hardenWebContents(window.webContents, shell);
    window.once('ready-to-show', () => window?.show());
    void window.loadURL(appEntryUrl);

    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        {
          label: 'File',
          submenu: [
            { label: 'Open data folder', click: () => void shell.openPath(dataDir) },
            {
              label: 'Choose another data folder…',
              click: async () => {
                const picked = await dialog.showOpenDialog({ title: 'Choose a Coursewright data folder', properties: ['openDirectory', 'createDirectory'] });
                if (!picked.canceled && picked.filePaths[0]) {
                  process.env.COURSEWRIGHT_DATA = picked.filePaths[0];
                  app.relaunch();
                  app.exit(0);
                }
              },
            },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
        { role: 'editMenu' },
        { label: 'View', submenu: app.isPackaged ? [{ role: 'togglefullscreen' }] : [{ role: 'reload' }, { role: 'toggleDevTools' }, { role: 'togglefullscreen' }] },
        { label: 'Help', submenu: [{ label: 'About Coursewright', click: () => void dialog.showMessageBox({ message: `Coursewright ${app.getVersion()}`, detail: `Data: ${dataDir}` }) }, { label: 'Project page', click: () => void openExternalSafely(shell, 'https://github.com/') }] },
      ]),
    );

    app.on('before-quit', () => void engine.close());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
