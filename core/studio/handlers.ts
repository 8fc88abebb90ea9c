import { CoursewrightError, describeZodIssues } from '../../schemas/errors.js';
import { ProviderName, type ExportRecord, type StudioEvent, type StudioSettings } from '../../schemas/api.js';
import type { ExportFormat, ScormScoMode } from '../../schemas/package.js';
import { SyllabusCandidate } from '../../schemas/syllabus.js';
import { createMockProvider } from '../ai/mock-provider.js';
import { BlocklistModeration } from '../ai/moderation.js';
import { createOpenAiProvider } from '../ai/openai-provider.js';
import type { ModelProvider } from '../ai/port.js';
import { createContentEngine } from '../content/engine.js';
import type { ExportProgress } from '../export/types.js';
import { createPackageEngine } from '../packaging/engine.js';
import type { Engine } from '../engine.js';
import type { Clock, KeyStore, Store } from '../ports.js';
import { systemClock } from '../ids.js';
import { finishSyllabus } from '../syllabus/generate.js';
import type { StudioHandlers } from './dispatch.js';
import { createCourseManagementHandlers } from './course-handlers.js';
import { createReviewHandlers } from './review-handlers.js';
import { separationOfDutiesOn } from '../review/separation.js';
import { createPreviewHandlers } from './preview-handlers.js';
import { createSearchHandlers } from './search-handlers.js';
import { createContentEditHandlers } from './content-edit-handlers.js';
import { createSyncHandlers } from './sync-handlers.js';
import { createAnalyticsHandlers } from './analytics-handlers.js';
import { createReadinessHandlers } from './readiness-handlers.js';
import { withAuditTitles } from './audit-titles.js';
import { createMemoryKeyStore } from './events.js';
import { createRegenerationHandlers } from './regeneration-handlers.js';
import { createLineageHandlers } from './lineage-handlers.js';
import { createRegenerationRuntime, type RegenerationRuntime } from '../regeneration/runtime.js';
import { createModelCallLimit, limitModelCalls, modelCallLimitFrom, modelCallLimitSetting } from '../ai/model-call-limit.js';

export interface StudioHostContext {
  engine: Engine;
  store: Store;
  keys: KeyStore;
  dataDir: string;
  /** The OS account name: the actor until the designer sets one. */
  defaultActor: string;
  /** The default actor was named by whoever started the studio (COURSEWRIGHT_ACTOR), not guessed from the OS account: no need to ask. */
  defaultActorChosen?: boolean;
  emit: (event: StudioEvent) => void;
  clock?: Clock;
  /** Replaces the model chain (tests and benchmarks); settings decide otherwise. */
  models?: () => ModelProvider[];
  /** Model calls in flight at once in this process (content batches and the regeneration worker share it); else the modelCallLimit setting, else 4. */
  modelCallLimit?: number;
  /** Writing export files and showing them is the host's (core never touches the disk). */
  exports: PackageExportPort;
  /** The hosted server's author key, kept like the model key; process memory when not given. */
  serverKeys?: KeyStore;
  /** Replaces fetch for calls to the hosted server (tests). */
  serverFetch?: typeof fetch;
  /** Receives this studio's regeneration runtime, so the host can run its worker in the background and stop it on close. */
  attachRegeneration?: (runtime: RegenerationRuntime) => void;
}

export interface PackageExportPort {
  /** Progress with a `position` means the export waits in line (phase `queued`). */
  run(job: { packageId: string; format: ExportFormat; scoMode?: ScormScoMode; actor: string; onProgress: (progress: ExportProgress & { position?: number }) => void; signal: AbortSignal }): Promise<ExportRecord>;
  /** Shows a file of the exports folder in the system file manager; returns its full path. */
  reveal(fileName: string): string;
}

const defaults = { provider: 'mock' as const, baseUrl: '', model: 'gpt-4o-mini' };

/** Where the stored API key may be sent: the origin of the base URL it was entered for. */
const apiKeyOriginSetting = 'apiKeyOrigin';

/** The origin model calls go to; an empty base URL is the provider's own default endpoint. */
export function endpointOrigin(baseUrl: string): string {
  if (!baseUrl.trim()) return 'the provider default';
  try {
    return new URL(baseUrl.trim()).origin;
  } catch {
    return baseUrl.trim();
  }
}

/**
 * The studio's operations, implemented once for every transport. Each receives input already
 * validated against schemas/api.ts; the actor always comes from settings, never from the UI's
 * say-so per call.
 */
export function createStudioHandlers(context: StudioHostContext): StudioHandlers {
  const { engine, store, keys } = context;
  const clock = context.clock ?? systemClock;
  const runs = new Map<string, AbortController>();
  const contentEngine = createContentEngine({ store });
  const packageEngine = createPackageEngine({ store });
  // One key store for publishing and analytics, so a key entered in Settings → Servers serves both.
  const serverKeys = context.serverKeys ?? createMemoryKeyStore();

  function startRun(runId: string): AbortController {
    if (runs.has(runId)) throw new CoursewrightError('CONFLICT', `A run with id ${runId} is already going.`);
    const abort = new AbortController();
    runs.set(runId, abort);
    return abort;
  }

  function settings(): StudioSettings {
    const provider = ProviderName.safeParse(store.settings.get('provider'));
    return {
      actor: text('actor', context.defaultActor),
      provider: provider.success ? provider.data : defaults.provider,
      baseUrl: text('baseUrl', defaults.baseUrl),
      model: text('model', defaults.model),
      dataDir: context.dataDir,
      hasApiKey: usableApiKey() !== null,
      apiKeyNeedsReentry: Boolean(keys.get()) && usableApiKey() === null,
      keyStorage: keys.kind,
      actorChosen: typeof store.settings.get('actor') === 'string' || context.defaultActorChosen === true,
      separationOfDuties: separationOfDutiesOn(store.settings),
    };
  }

  /**
   * A stored key belongs to the endpoint it was entered for: after the base URL moves to another
   * origin, the key is not sent anywhere until someone enters it again, so a changed setting
   * alone can never hand the key to a new address. A key that arrived without a recorded origin
   * (the keychain at start, COURSEWRIGHT_API_KEY) belongs to the endpoint in force; `settings.update`
   * records that before it moves the endpoint.
   */
  function usableApiKey(): string | null {
    const key = keys.get();
    if (!key) return null;
    const boundTo = store.settings.get(apiKeyOriginSetting);
    return boundTo === undefined || boundTo === endpointOrigin(text('baseUrl', defaults.baseUrl)) ? key : null;
  }

  function text(key: string, fallback: string): string {
    const value = store.settings.get(key);
    return typeof value === 'string' ? value : fallback;
  }

  // One limit for every model call of this process, read once: a content batch and the background regeneration worker draw from it together.
  const modelCalls = createModelCallLimit(modelCallLimitFrom(context.modelCallLimit, store.settings.get(modelCallLimitSetting)));
  const modelChain = (): ModelProvider[] => unlimitedModelChain().map((provider) => limitModelCalls(provider, modelCalls));

  function unlimitedModelChain(): ModelProvider[] {
    if (context.models) return context.models();
    const current = settings();
    if (current.provider === 'mock') return [createMockProvider()];
    if (current.apiKeyNeedsReentry) {
      throw new CoursewrightError(
        'MISSING_API_KEY',
        `The model base URL changed to ${endpointOrigin(current.baseUrl)} after the API key was entered, so the key is not sent there. Enter the API key again in Settings.`,
      );
    }
    return [createOpenAiProvider({ apiKey: usableApiKey() ?? '', model: current.model, audience: 'studio', ...(current.baseUrl ? { baseURL: current.baseUrl } : {}) })];
  }

  const regeneration = createRegenerationRuntime({ store, models: () => modelChain(), emit: context.emit, ...(context.clock ? { clock: context.clock } : {}) });
  context.attachRegeneration?.(regeneration);

  return {
    'courses.get': ({ courseId }) => engine.getCourse(courseId),
    'courses.create': ({ intent }) => engine.createCourse(intent, settings().actor),
    ...createCourseManagementHandlers({ store, actor: () => settings().actor, ...(context.clock ? { clock: context.clock } : {}) }),

    'syllabus.generate': async ({ courseId, runId, maxRepairs }) => {
      const abort = startRun(runId);
      const event = (stage: Extract<StudioEvent, { type: 'syllabus.generation' }>['stage'], message: string, attempt = 0, maxAttempts = 0) =>
        context.emit({ type: 'syllabus.generation', runId, courseId, stage, attempt, maxAttempts, message });
      event('started', 'starting generation');
      try {
        const version = await engine.generateSyllabusDraft(courseId, {
          actor: settings().actor,
          models: modelChain(),
          moderation: new BlocklistModeration(),
          signal: abort.signal,
          ...(maxRepairs === undefined ? {} : { maxRepairs }),
          onProgress: (p) => event(p.stage, p.message, p.attempt, p.maxAttempts),
        });
        return version;
      } catch (error) {
        if (abort.signal.aborted) {
          event('cancelled', 'generation cancelled; nothing was saved');
          throw new CoursewrightError('CANCELLED', 'Generation cancelled; nothing was saved.');
        }
        event('failed', error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        runs.delete(runId);
      }
    },
    'syllabus.cancelGeneration': ({ runId }) => {
      const run = runs.get(runId);
      run?.abort();
      return { cancelled: Boolean(run) };
    },
    'syllabus.list': ({ courseId }) => engine.listSyllabusVersions(courseId),
    'syllabus.get': ({ versionId }) => engine.getSyllabusVersion(versionId),
    'syllabus.edit': ({ versionId, syllabus }) => engine.editSyllabus(versionId, syllabus, settings().actor),
    'syllabus.lint': ({ courseId, syllabus }) => {
      const course = engine.getCourse(courseId);
      const parsed = SyllabusCandidate.safeParse(syllabus);
      if (!parsed.success) return { valid: false, issues: describeZodIssues(parsed.error, 50), warnings: [] };
      const finished = finishSyllabus(parsed.data, course.intent, { fitTimeBudget: false });
      return { valid: true, issues: [], warnings: finished.warnings };
    },
    'syllabus.revise': ({ versionId }) => engine.reviseSyllabus(versionId, settings().actor),
    'syllabus.diff': ({ fromId, toId }) => engine.diffSyllabusVersions(fromId, toId),
    'syllabus.submit': ({ versionId }) => engine.submitSyllabus(versionId, settings().actor),
    'syllabus.approve': ({ versionId, note }) => engine.approveSyllabus(versionId, { by: settings().actor, note }),
    'syllabus.reject': ({ versionId, reason }) => engine.rejectSyllabus(versionId, { by: settings().actor, reason }),
    'review.queue': () => engine.reviewQueue(),
    'audit.list': ({ entityId, limit }) => withAuditTitles(store, engine.listAudit({ ...(entityId ? { entityId } : {}), limit: limit ?? 500 })),

    'settings.get': () => settings(),
    'settings.update': (changes) => {
      const before = settings();
      const originBefore = endpointOrigin(before.baseUrl);
      const movesEndpoint = changes.baseUrl !== undefined && endpointOrigin(changes.baseUrl) !== originBefore;
      store.transaction(() => {
        if (movesEndpoint && keys.get() && store.settings.get(apiKeyOriginSetting) === undefined) store.settings.set(apiKeyOriginSetting, originBefore);
        for (const [key, value] of Object.entries(changes)) if (value !== undefined) store.settings.set(key, value);
        store.audit.append({
          actor: settings().actor,
          action: 'settings.changed',
          entityType: 'settings',
          entityId: 'studio',
          metadata: { changed: Object.keys(changes), previousActor: before.actor, ...(movesEndpoint ? { endpointFrom: originBefore, endpointTo: endpointOrigin(changes.baseUrl!) } : {}) },
        });
      });
      return settings();
    },
    'settings.setApiKey': ({ apiKey }) => {
      const stored = apiKey.trim() ? apiKey.trim() : null;
      store.transaction(() => {
        keys.set(stored);
        store.settings.set(apiKeyOriginSetting, endpointOrigin(text('baseUrl', defaults.baseUrl)));
        store.audit.append({ actor: settings().actor, action: 'settings.changed', entityType: 'settings', entityId: 'studio', metadata: { changed: ['apiKey'], stored: Boolean(stored) } });
      });
      return settings();
    },

    'content.generate': async ({ courseId, runId, moduleId, lessonId, kind, concurrency }) => {
      const abort = startRun(runId);
      try {
        return await contentEngine.generateContent(courseId, {
          actor: settings().actor,
          models: modelChain(),
          moderation: new BlocklistModeration(),
          filter: { moduleId, lessonId, kind },
          ...(concurrency ? { concurrency } : {}),
          signal: abort.signal,
          onProgress: (p) =>
            context.emit({
              type: 'content.generation',
              runId,
              courseId,
              done: p.done,
              failed: p.failed,
              remaining: p.remaining,
              skipped: p.skipped,
              tokens: p.tokens,
              message: p.last ? `${p.last.outcome} ${p.last.unit.kind} ${p.last.unit.targetId}${p.last.message ? `: ${p.last.message}` : ''}` : 'starting',
            }),
        });
      } finally {
        runs.delete(runId);
      }
    },
    'content.cancelGeneration': ({ runId }) => {
      const run = runs.get(runId);
      run?.abort();
      return { cancelled: Boolean(run) };
    },
    'content.list': ({ courseId }) => contentEngine.listContent(courseId),
    'content.open': ({ itemId }) => contentEngine.openContent(itemId, settings().actor),
    'content.submit': ({ itemIds }) => contentEngine.submitContent(itemIds, settings().actor),
    'content.approve': ({ itemIds, note }) => contentEngine.approveContent(itemIds, { by: settings().actor, note, requireOpened: itemIds.length > 1 }),
    'content.reject': ({ itemId, reason }) => contentEngine.rejectContent(itemId, { by: settings().actor, reason }),
    // Interactive regeneration is a job created, triggered and run at once, so it has the lineage and audit of every other regeneration.
    'content.regenerate': ({ itemId, instruction }) => regeneration.regenerateNow({ itemId, instruction, actor: settings().actor }),
    'course.status': ({ courseId }) => contentEngine.courseStatus(courseId),
    'course.transition': ({ courseId, to, reason }) => contentEngine.transitionCourse(courseId, to, settings().actor, reason),

    'packages.build': ({ courseId }) => packageEngine.buildPackage(courseId, settings().actor),
    'packages.list': ({ courseId }) => packageEngine.listPackages(courseId),
    'packages.get': ({ packageId }) => packageEngine.getPackage(packageId),
    'packages.archive': ({ packageId, reason }) => packageEngine.archivePackage(packageId, settings().actor, reason),
    'packages.export': async ({ packageId, format, scoMode, runId }) => {
      packageEngine.getPackage(packageId);
      const abort = startRun(runId);
      // Progress arrives per lesson; the UI needs a few updates a second, not hundreds.
      let lastEmit = 0;
      try {
        return await context.exports.run({
          packageId,
          format,
          ...(scoMode ? { scoMode } : {}),
          actor: settings().actor,
          signal: abort.signal,
          onProgress: (p) => {
            const at = Date.now();
            if (p.done < p.total && at - lastEmit < 100) return;
            lastEmit = at;
            context.emit({ type: 'package.export', runId, packageId, format, phase: p.phase, done: p.done, total: p.total, ...(p.position ? { position: p.position } : {}) });
          },
        });
      } finally {
        runs.delete(runId);
      }
    },
    'packages.cancelExport': ({ runId }) => {
      const run = runs.get(runId);
      run?.abort();
      return { cancelled: Boolean(run) };
    },
    'exports.reveal': ({ fileName }) => ({ path: context.exports.reveal(fileName) }),

    'autosave.put': ({ key, content }) => {
      const record = { key, content, savedAt: clock.now().toISOString() };
      store.autosaves.put(record);
      return record;
    },
    'autosave.get': ({ key }) => store.autosaves.get(key) ?? null,
    'autosave.list': () => store.autosaves.list(),
    'autosave.clear': ({ key }) => ({ cleared: store.autosaves.clear(key) }),
    ...createReviewHandlers({ store, actor: () => settings().actor }),
    ...createPreviewHandlers({ store }),
    ...createSearchHandlers({ store }),
    ...createContentEditHandlers({ store, actor: () => settings().actor, clock }),
    ...createReadinessHandlers({ store }),
    ...createRegenerationHandlers({ runtime: regeneration, actor: () => settings().actor }),
    ...createLineageHandlers({ store, actor: () => settings().actor }),
    ...createSyncHandlers({ store, serverKeys, actor: () => settings().actor, emit: context.emit, ...(context.clock ? { clock: context.clock } : {}), ...(context.serverFetch ? { fetch: context.serverFetch } : {}) }),
    ...createAnalyticsHandlers({ store, serverKeys, actor: () => settings().actor, ...(context.clock ? { clock: context.clock } : {}), ...(context.serverFetch ? { fetch: context.serverFetch } : {}) }),
  };
}
