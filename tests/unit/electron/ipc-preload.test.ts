import { describe, expect, it, vi } from 'vitest';
import { OperationRegistry, type StudioHandlers } from '../../../core/studio/dispatch.js';
import { channelFor, eventChannel, registerIpcHandlers, type IpcMainLike } from '../../../electron/ipc.js';
import { isAppOrigin } from '../../../electron/app-protocol.js';
import { createPreloadClient, type IpcRendererLike } from '../../../electron/preload-client.js';
import { operationNames } from '../../../schemas/api.js';

const appUrl = 'app://coursewright/index.html';

function fakeIpcMain() {
  const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      // Electron itself refuses a second handler for a channel; the fake does too.
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
  };
  return { ipcMain, handlers };
}

function spyRegistry() {
  const registry = new OperationRegistry();
  const spies = Object.fromEntries(operationNames.map((name) => [name, vi.fn(async () => ({ handled: name }))])) as unknown as StudioHandlers;
  registry.registerAll(spies);
  return { registry, spies: spies as unknown as Record<string, ReturnType<typeof vi.fn>> };
}

describe('IPC handlers in the main process', () => {
  it('registers exactly one prefixed handler per contract operation', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerIpcHandlers(ipcMain, spyRegistry().registry.dispatch, (url) => url === appUrl);
    expect([...handlers.keys()].sort()).toEqual(operationNames.map(channelFor).sort());
    expect([...handlers.keys()].every((c) => c.startsWith('coursewright:'))).toBe(true);
  });

  it('refuses to register the same operations twice', () => {
    const { ipcMain } = fakeIpcMain();
    const { registry } = spyRegistry();
    registerIpcHandlers(ipcMain, registry.dispatch, () => true);
    expect(() => registerIpcHandlers(ipcMain, registry.dispatch, () => true)).toThrow(/already registered/);
  });

  it('validates input before any handler runs, and answers valid calls', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { registry, spies } = spyRegistry();
    registerIpcHandlers(ipcMain, registry.dispatch, (url) => url === appUrl);
    const frame = { senderFrame: { url: appUrl } };
    const bad = await handlers.get(channelFor('syllabus.approve'))!(frame, { versionId: 'syl 1; DROP', note: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(spies['syllabus.approve']).not.toHaveBeenCalled();
    const good = await handlers.get(channelFor('syllabus.approve'))!(frame, { versionId: 'syl_1', note: 'ok' });
    expect(good).toEqual({ ok: true, value: { handled: 'syllabus.approve' } });
  });

  it('refuses calls from any frame outside the app://coursewright origin, and answers the studio page', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { registry, spies } = spyRegistry();
    registerIpcHandlers(ipcMain, registry.dispatch, isAppOrigin);
    const refused = [
      'https://attacker.example/',
      'file:///tmp/other.html',
      'file:///opt/coursewright/dist/renderer/index.html',
      'data:text/html,<script>1</script>',
      'blob:app://coursewright/0b6c1c5e',
      'app://elsewhere/index.html',
      'app://coursewright.attacker.example/index.html',
      'app://coursewright:8080/index.html',
      'app://user@coursewright/index.html',
      'http://coursewright/index.html',
      '',
    ];
    for (const url of refused) {
      const result = await handlers.get(channelFor('courses.list'))!({ senderFrame: url ? { url } : null }, {});
      expect(result, url).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    expect(spies['courses.list']).not.toHaveBeenCalled();
    expect(await handlers.get(channelFor('courses.list'))!({ senderFrame: { url: `${appUrl}#/courses` } }, {})).toMatchObject({ ok: true });
    expect(await handlers.get(channelFor('courses.list'))!({ senderFrame: { url: appUrl } }, {})).toMatchObject({ ok: true });
  });
});

describe('the preload bridge', () => {
  function fakeIpcRenderer() {
    const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
    const ipc: IpcRendererLike & { invoked: Array<[string, unknown]> } = {
      invoked: [],
      invoke: async (channel, input) => {
        ipc.invoked.push([channel, input]);
        return { ok: true, value: 'from main' };
      },
      on: (channel, listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
      removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
    };
    const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipc internals' }, payload));
    return { ipc, emit };
  }

  it('invokes only prefixed channels of known operations', async () => {
    const { ipc } = fakeIpcRenderer();
    const client = createPreloadClient(ipc);
    expect(await client.call('courses.list', {})).toEqual({ ok: true, value: 'from main' });
    expect(ipc.invoked).toEqual([['coursewright:courses.list', {}]]);
    const refused = await client.call('shell.openExternal' as 'courses.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(ipc.invoked).toHaveLength(1);
  });

  it('relays event payloads without the IPC event object, and unsubscribes', () => {
    const { ipc, emit } = fakeIpcRenderer();
    const client = createPreloadClient(ipc);
    const seen: unknown[] = [];
    const stop = client.onEvent((event) => seen.push(event));
    emit(eventChannel, { type: 'syllabus.generation', stage: 'started' });
    stop();
    emit(eventChannel, { type: 'syllabus.generation', stage: 'done' });
    expect(seen).toEqual([{ type: 'syllabus.generation', stage: 'started' }]);
  });

  it('exposes exactly call and onEvent as window.coursewright, never ipcRenderer', async () => {
    const exposed: Record<string, unknown> = {};
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
      ipcRenderer: fakeIpcRenderer().ipc,
    }));
    await import('../../../electron/preload.js');
    expect(Object.keys(exposed)).toEqual(['coursewright']);
    expect(Object.keys(exposed.coursewright as object).sort()).toEqual(['call', 'onEvent']);
    vi.doUnmock('electron');
  });
});
