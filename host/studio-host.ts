import './native-hash.js';
import { createEngine } from '../core/engine.js';
import type { ModelProvider } from '../core/ai/port.js';
import type { KeyStore } from '../core/ports.js';
import { OperationRegistry } from '../core/studio/dispatch.js';
import { StudioEventHub } from '../core/studio/events.js';
import { createStudioHandlers } from '../core/studio/handlers.js';
import { openDatabase } from '../db/open.js';
import { databaseFile, resolveActor } from './data-dir.js';
import { packageExportPort } from './package-export.js';
import { startSyncLoop } from './sync-loop.js';
import type { RegenerationRuntime } from '../core/regeneration/runtime.js';

export interface StudioHostOptions {
  dataDir: string;
  keys: KeyStore;
  models?: () => ModelProvider[];
  /** Each export in a thread of its own, so this thread keeps answering meanwhile (the engine thread). */
  exportsInThreads?: boolean;
  /** The hosted server's author key (kept like the model key). */
  serverKeys?: KeyStore;
  /** Send the outbox in the background, retrying with backoff (the engine thread does; tests and the CLI do not). */
  backgroundSync?: boolean;
  /** Run triggered regeneration jobs in the background (the engine thread does; tests and the CLI do not). */
  backgroundRegeneration?: boolean;
}

/** Database, engine, handlers and event hub for one data folder: what every transport wraps. */
export function openStudioHost(options: StudioHostOptions) {
  const opened = openDatabase(databaseFile(options.dataDir));
  const engine = createEngine({ store: opened.store });
  const events = new StudioEventHub();
  const registry = new OperationRegistry();
  let regeneration: RegenerationRuntime | undefined;
  registry.registerAll(
    createStudioHandlers({
      engine,
      store: opened.store,
      keys: options.keys,
      dataDir: options.dataDir,
      defaultActor: resolveActor(undefined, undefined),
      defaultActorChosen: Boolean(process.env.COURSEWRIGHT_ACTOR?.trim()),
      emit: events.emit,
      exports: packageExportPort(opened.store, options.dataDir, { inThreads: options.exportsInThreads ?? false }),
      ...(options.models ? { models: options.models } : {}),
      ...(options.serverKeys ? { serverKeys: options.serverKeys } : {}),
      attachRegeneration: (runtime) => {
        regeneration = runtime;
        if (options.backgroundRegeneration) runtime.startBackground();
      },
    }),
  );
  const actor = () => {
    const named = opened.store.settings.get('actor');
    return typeof named === 'string' ? named : resolveActor(undefined, undefined);
  };
  const syncLoop = options.backgroundSync && options.serverKeys ? startSyncLoop({ store: opened.store, serverKeys: options.serverKeys, actor }) : null;
  return {
    dispatch: registry.dispatch,
    events,
    store: opened.store,
    file: opened.file,
    close: () => {
      syncLoop?.stop();
      regeneration?.stop();
      opened.close();
    },
  };
}
