import { operationNames, type OperationName, type StudioClient, type StudioEvent } from '../schemas/api.js';
import { channelFor, eventChannel } from './ipc.js';

export interface IpcRendererLike {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

const known = new Set<string>(operationNames);

/**
 * The only thing the renderer gets: call a contract operation, or listen to progress events.
 * ipcRenderer itself never crosses the bridge, and no other channel can be reached.
 */
export function createPreloadClient(ipc: IpcRendererLike): StudioClient {
  const client = {
    call(name: OperationName, input: unknown) {
      if (typeof name !== 'string' || !known.has(name)) {
        return Promise.resolve({ ok: false as const, error: { code: 'USAGE' as const, message: `Unknown operation "${String(name)}".` } });
      }
      return ipc.invoke(channelFor(name), input) as never;
    },
    onEvent(listener: (event: StudioEvent) => void) {
      const relay = (_event: unknown, payload: unknown) => listener(payload as StudioEvent);
      ipc.on(eventChannel, relay);
      return () => ipc.removeListener(eventChannel, relay);
    },
  } satisfies StudioClient;
  return client;
}
