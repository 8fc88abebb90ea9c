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
import { CoursewrightError } from '../schemas/errors.js';

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
  /** Model calls in flight at once in this studio (content batches and the background worker together); else COURSEWRIGHT_MODEL_CALLS, else the modelCallLimit setting, else 4. */
  modelCallLimit?: number;
}

/** COURSEWRIGHT_MODEL_CALLS as a limit, if set; a value that is not a whole number from 1 to 64 is refused by name. */
function modelCallLimitFromEnvironment(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.COURSEWRIGHT_MODEL_CALLS?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) throw new CoursewrightError('USAGE', `COURSEWRIGHT_MODEL_CALLS must be a whole number from 1 to 64 (model calls at once), not "${raw}". Unset it to use the default of 4.`);
  return value;
}

/** Database, engine, handlers and event hub for one data folder: what every transport wraps. */
export function openStudioHost(options: StudioHostOptions) {
  const modelCallLimit = options.modelCallLimit ?? modelCallLimitFromEnvironment(process.env);
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
      ...(modelCallLimit !== undefined ? { modelCallLimit } : {}),
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
