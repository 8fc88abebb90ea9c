import { operationNames, type OperationName, type Result } from '../schemas/api.js';

/** Every channel the app uses starts with this; the preload invokes nothing else. */
export const channelPrefix = 'coursewright:';
export const eventChannel = `${channelPrefix}event`;
export const channelFor = (name: OperationName) => `${channelPrefix}${name}`;

export interface IpcInvokeEventLike {
  senderFrame: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, input: unknown) => Promise<unknown>): void;
}

const registeredOn = new WeakMap<object, Set<string>>();

/**
 * One `ipcMain.handle` per contract operation. The sender must be the app's own page; the
 * input goes on untouched to `forward`, whose dispatcher validates it before anything runs.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, forward: (name: OperationName, input: unknown) => Promise<Result<unknown>>, isTrustedSender: (url: string) => boolean): void {
  const registered = registeredOn.get(ipcMain) ?? new Set<string>();
  registeredOn.set(ipcMain, registered);
  for (const name of operationNames) {
    const channel = channelFor(name);
    if (registered.has(channel)) throw new Error(`IPC channel ${channel} is already registered.`);
    registered.add(channel);
    ipcMain.handle(channel, async (event, input) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return { ok: false, error: { code: 'USAGE', message: `Refused ${name} from a page that is not the studio (${url || 'unknown frame'}).` } } satisfies Result<never>;
      }
      return forward(name, input);
    });
  }
}
