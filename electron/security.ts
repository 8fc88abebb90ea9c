import { appScheme, isAppEntry, isAppOrigin } from './app-protocol.js';

/**
 * Window and session hardening, kept apart from main.ts so tests can drive it with fakes.
 * What must stay true: the renderer cannot reach Node, cannot navigate away from the studio's
 * page, cannot open windows or attach webviews, loads nothing but the studio's own origin, and
 * gets no permissions.
 */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Only web pages over TLS and mail links leave the app, and only through the OS. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'mailto:';
  } catch {
    return false;
  }
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export async function openExternalSafely(shell: ShellLike, url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await shell.openExternal(url);
  return true;
}

export interface NavigationEventLike {
  preventDefault(): void;
}
export interface FrameNavigationEventLike extends NavigationEventLike {
  url: string;
  isMainFrame: boolean;
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: FrameNavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
}

/**
 * The window shows the studio's page and nothing else: a navigation or redirect anywhere but
 * `app://coursewright/index.html` (file:, data:, blob:, http:, another app:// path) is stopped,
 * in the main frame and in any frame (a frame may also show the preview's about:srcdoc); no webview is ever attached; window.open never opens a
 * window, and https/mailto links go to the OS browser instead.
 */
export function hardenWebContents(contents: WebContentsLike, shell: ShellLike): void {
  const stayOnStudioPage = (event: NavigationEventLike, url: string) => {
    if (!isAppEntry(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnStudioPage);
  contents.on('will-redirect', stayOnStudioPage);
  // The course preview is a sandboxed frame written from a string (about:srcdoc): the one place
  // a frame may go besides the studio page, and never the window itself.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && /^about:srcdoc(#.*)?$/.test(event.url)) return;
    stayOnStudioPage(event, event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(shell, url);
    return { action: 'deny' };
  });
}

type Headers = Record<string, string[] | string>;
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Headers }, callback: (response: { responseHeaders: Headers }) => void) => void): void;
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
  };
}

/**
 * Deny by default: a request goes out only to the studio's own origin, or to devtools: (the
 * developer tools' own pages). file:, data:, blob:, http(s):, ws: and every other scheme are
 * cancelled, so neither a bug nor injected markup can load or send anything elsewhere.
 */
export function isAllowedRequest(url: string): boolean {
  if (url.startsWith(`${appScheme}:`)) return isAppOrigin(url);
  return url.startsWith('devtools://');
}

export function hardenSession(session: SessionLike, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }));
}
