import { z } from 'zod';
import { AuditEntry } from './audit.js';
import { ContentItem, ContentKind } from './content.js';
import { Course, CourseListEntry, CourseListQuery, CourseStatus } from './course.js';
import { ErrorCode, ErrorEnvelope } from './errors.js';
import { LearningIntent } from './intent.js';
import { CoursePackage, CoursePackageSummary, ExportFormat, ScormScoMode } from './package.js';
import { SyllabusVersion, SyllabusWarning, SyllabusStatus } from './syllabus.js';
import { ContentDiff, ReadableChange } from './diff.js';
import { SearchQueryInput, SearchResult } from './search.js';
import { BlockPath, BulkApprovalPlan, CommentText, ItemReview, ReviewComment, ReviewItemKind, ReviewQueue, ReviewQueueStatus } from './review.js';
import { PackageReadiness } from './readiness.js';
import { ConnectionTest, OutboxEntryView, PublishResult, ServerKeyInput, ServerSettings, ServerUrlInput, SyncPublishEvent, SyncRunSummary } from './sync.js';
import { InstructionText, RegenerationJob, RegenerationJobDetail, RegenerationJobEvent, RegenerationJobStatus, RetryIntent, RetryReasonCode, RetryReasonText } from './regeneration.js';
import { Lineage } from './lineage.js';
import { AnalyticsCompareInput, AnalyticsComparison, AnalyticsCourseInput, DismissReasonInput, StudioCourseAnalytics, StudioSuggestion, SuggestionDecisionResult, SuggestionIdInput, SuggestionListInput } from './studio-analytics.js';

/**
 * The one contract between the studio UI and the host. Electron IPC, `coursewright serve`
 * (HTTP) and their tests are all derived from this table; nothing else may cross the boundary.
 * Inputs are validated by the host before the engine sees them — the renderer is untrusted.
 */
const Id = z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/, 'ids contain only letters, digits, _ and -');
const ActorName = z.string().trim().min(1).max(120);

export const SyllabusChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['added', 'removed']), entity: z.enum(['module', 'lesson']), id: z.string(), title: z.string(), moduleId: z.string().optional() }),
  z.object({ kind: z.literal('moved'), entity: z.enum(['module', 'lesson']), id: z.string(), title: z.string(), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal('changed'), entity: z.enum(['course', 'module', 'lesson']), id: z.string(), title: z.string(), field: z.string(), before: z.unknown(), after: z.unknown() }),
]);

export const SyllabusDiff = z.object({
  from: z.object({ id: z.string(), version: z.number(), status: SyllabusStatus }),
  to: z.object({ id: z.string(), version: z.number(), status: SyllabusStatus }),
  changes: z.array(SyllabusChange),
  /** The same changes named by module and lesson titles, text as word diffs (core/diff/readable.ts). */
  readable: z.array(ReadableChange).optional(),
});

export const ProviderName = z.enum(['mock', 'openai']);

export const CourseLifecycle = z.object({
  status: CourseStatus,
  transitions: z.array(z.object({ to: CourseStatus, allowed: z.boolean(), unmet: z.array(z.object({ rule: z.string(), message: z.string() })) })),
  log: z.array(z.object({ courseId: z.string(), from: CourseStatus, to: CourseStatus, actor: z.string(), reason: z.string().nullable(), at: z.string() })),
});

export const StudioSettings = z.object({
  actor: z.string(),
  provider: ProviderName,
  baseUrl: z.string(),
  model: z.string(),
  dataDir: z.string(),
  /** Whether a key is stored; the key itself never crosses back to the renderer. */
  hasApiKey: z.boolean(),
  /** A key is stored but was entered for another endpoint: it is not sent until entered again. */
  apiKeyNeedsReentry: z.boolean(),
  /** Where keys are kept: the OS keychain in the desktop app, process memory in served mode. */
  keyStorage: z.enum(['keychain', 'memory']),
  /** Whether someone has told the studio their name; until then it asks (the OS account is only a default). */
  actorChosen: z.boolean(),
  /** When on, whoever wrote a version may not approve it. */
  separationOfDuties: z.boolean(),
});
export type StudioSettings = z.infer<typeof StudioSettings>;

export const ExportRecord = z.object({
  packageId: z.string(),
  version: z.number().int(),
  format: ExportFormat,
  fileName: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export const Autosave = z.object({ key: z.string(), content: z.string(), savedAt: z.string() });

const operation = <I extends z.ZodType, O extends z.ZodType>(description: string, input: I, output: O, errors: ErrorCode[] = []) => ({
  description,
  input,
  output,
  errors: ['INVALID_INPUT', 'INTERNAL', ...errors] as ErrorCode[],
});

export const api = {
  'courses.list': operation(
    'Courses, newest first unless sorted otherwise; archived courses only when asked for (archived: include or only)',
    CourseListQuery,
    z.array(CourseListEntry),
  ),
  'courses.get': operation('One course', z.object({ courseId: Id }).strict(), Course, ['NOT_FOUND']),
  'courses.create': operation('Create a course from a learning intent', z.object({ intent: LearningIntent }).strict(), Course),
  // Managing courses: edit the intent, duplicate, archive and restore, delete a course that never had anything approved.
  'courses.updateIntent': operation('Replace the learning intent; the next generated syllabus draft follows it', z.object({ courseId: Id, intent: LearningIntent }).strict(), Course, ['NOT_FOUND']),
  'courses.duplicate': operation(
    'A new course with a copy of the intent, titled "… (copy)", and optionally the latest syllabus as a fresh draft; approvals never carry over',
    z.object({ courseId: Id, includeSyllabus: z.boolean().optional() }).strict(),
    z.object({ course: Course, syllabusVersion: SyllabusVersion.nullable() }),
    ['NOT_FOUND'],
  ),
  'courses.archive': operation('Hide a course from the course list; nothing is lost and it can be restored', z.object({ courseId: Id }).strict(), Course, ['NOT_FOUND', 'CONFLICT']),
  'courses.restore': operation('Show an archived course in the course list again', z.object({ courseId: Id }).strict(), Course, ['NOT_FOUND', 'CONFLICT']),
  'courses.delete': operation(
    'Delete a course that never had an approved version, content or package, with its drafts; otherwise refused, suggesting Archive',
    z.object({ courseId: Id }).strict(),
    z.object({ courseId: z.string(), title: z.string(), removed: z.object({ syllabusVersions: z.number().int(), contentItems: z.number().int(), autosaves: z.number().int() }) }),
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'syllabus.generate': operation(
    'Generate a syllabus draft; progress arrives as generation events tagged with runId',
    z.object({ courseId: Id, runId: Id, maxRepairs: z.number().int().min(0).max(10).optional() }).strict(),
    SyllabusVersion,
    ['NOT_FOUND', 'MODEL_OUTPUT_INVALID', 'MODEL_UNAVAILABLE', 'MISSING_API_KEY', 'CANCELLED'],
  ),
  'syllabus.cancelGeneration': operation('Cancel a running generation', z.object({ runId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  'syllabus.list': operation("A course's syllabus versions, oldest first", z.object({ courseId: Id }).strict(), z.array(SyllabusVersion), ['NOT_FOUND']),
  'syllabus.get': operation('One syllabus version', z.object({ versionId: Id }).strict(), SyllabusVersion, ['NOT_FOUND']),
  'syllabus.edit': operation(
    'Save an edited syllabus as a new draft version',
    z.object({ versionId: Id, syllabus: z.unknown() }).strict(),
    SyllabusVersion,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'syllabus.lint': operation(
    'Validate and lint a syllabus being edited, without saving',
    z.object({ courseId: Id, syllabus: z.unknown() }).strict(),
    z.object({ valid: z.boolean(), issues: z.array(z.string()), warnings: z.array(SyllabusWarning) }),
    ['NOT_FOUND'],
  ),
  'syllabus.revise': operation('Start a new draft from an approved or rejected version', z.object({ versionId: Id }).strict(), SyllabusVersion, ['NOT_FOUND', 'CONFLICT']),
  'syllabus.diff': operation('Compare two versions', z.object({ fromId: Id, toId: Id }).strict(), SyllabusDiff, ['NOT_FOUND']),
  'syllabus.submit': operation('Submit a draft for review', z.object({ versionId: Id }).strict(), SyllabusVersion, ['NOT_FOUND', 'CONFLICT']),
  'syllabus.approve': operation(
    'Approve a version in review; it becomes immutable',
    z.object({ versionId: Id, note: z.string().max(2000).optional() }).strict(),
    SyllabusVersion,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'syllabus.reject': operation(
    'Reject a version in review with a reason',
    z.object({ versionId: Id, reason: z.string().trim().min(1, 'a rejection needs a reason').max(2000) }).strict(),
    SyllabusVersion,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'review.queue': operation('Every version awaiting review, across courses', z.object({}).strict(), z.array(SyllabusVersion)),
  // Review for reviewers: one queue for syllabus versions and content, comments on items and their blocks, bulk approval explained.
  'review.items': operation(
    'Everything in a review status (waiting for review by default), syllabus versions and content items, grouped by course, with counts per kind',
    z.object({ kind: ReviewItemKind.optional(), status: ReviewQueueStatus.optional() }).strict(),
    ReviewQueue,
  ),
  'review.comment': operation(
    'Comment on a syllabus version or content item, on the whole of it or on one block (blockPath), or reply to a comment',
    z.object({ itemId: Id, text: CommentText, blockPath: BlockPath.optional(), replyTo: Id.optional() }).strict(),
    ReviewComment,
    ['NOT_FOUND'],
  ),
  'review.comments': operation(
    "An item's comments (carried forward from earlier versions), its latest rejection and the blocks a comment can point at",
    z.object({ itemId: Id }).strict(),
    ItemReview,
    ['NOT_FOUND'],
  ),
  'review.resolveComment': operation('Resolve or reopen the thread a comment belongs to', z.object({ commentId: Id, resolved: z.boolean() }).strict(), ReviewComment, ['NOT_FOUND']),
  'review.bulkPlan': operation(
    'Which content items in review you may approve together (opened by you and, with separation of duties on, not written by you) and why the others may not',
    z.object({ courseId: Id.optional() }).strict(),
    BulkApprovalPlan,
  ),
  'audit.list': operation(
    'Audit entries, for one entity or all, with the course and entity titles people know them by where they still exist (core/studio/audit-titles.ts)',
    z.object({ entityId: Id.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    z.array(AuditEntry.extend({ entityTitle: z.string().optional(), courseTitle: z.string().optional() })),
  ),
  'settings.get': operation('Studio settings', z.object({}).strict(), StudioSettings),
  'settings.update': operation(
    'Change studio settings',
    z
      .object({ actor: ActorName.optional(), provider: ProviderName.optional(), baseUrl: z.string().max(500).optional(), model: z.string().max(200).optional(), separationOfDuties: z.boolean().optional() })
      .strict(),
    StudioSettings,
  ),
  'settings.setApiKey': operation('Store the model API key (never in the database)', z.object({ apiKey: z.string().max(500) }).strict(), StudioSettings),
  'autosave.put': operation(
    'Keep editor work in progress so a crash loses nothing',
    z.object({ key: z.string().min(1).max(200), content: z.string().max(5_000_000) }).strict(),
    Autosave,
  ),
  'autosave.get': operation('Work in progress saved for a key, if any', z.object({ key: z.string().min(1).max(200) }).strict(), Autosave.nullable()),
  'autosave.list': operation('All saved work in progress', z.object({}).strict(), z.array(Autosave)),
  'autosave.clear': operation('Forget saved work in progress', z.object({ key: z.string().min(1).max(200) }).strict(), z.object({ cleared: z.boolean() })),
  'content.generate': operation(
    'Generate missing lessons, quizzes and projects from the approved syllabus; progress arrives as content events tagged with runId',
    z.object({ courseId: Id, runId: Id, moduleId: Id.optional(), lessonId: Id.optional(), kind: ContentKind.optional(), concurrency: z.number().int().min(1).max(32).optional() }).strict(),
    z.object({ syllabusVersionId: z.string(), planned: z.number(), generated: z.array(ContentItem), skipped: z.number(), failed: z.array(z.object({ unit: z.object({ kind: ContentKind, targetId: z.string() }), error: z.string() })), cancelled: z.boolean(), tokens: z.number() }),
    ['NOT_FOUND', 'CONFLICT', 'MODEL_UNAVAILABLE', 'MISSING_API_KEY'],
  ),
  'content.cancelGeneration': operation('Cancel a running content generation', z.object({ runId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  'content.list': operation("A course's content items", z.object({ courseId: Id }).strict(), z.array(ContentItem), ['NOT_FOUND']),
  'content.open': operation('Open one item for review (recorded: bulk approval needs it)', z.object({ itemId: Id }).strict(), ContentItem, ['NOT_FOUND']),
  'content.submit': operation('Submit drafts for review', z.object({ itemIds: z.array(Id).min(1).max(2000) }).strict(), z.array(ContentItem), ['NOT_FOUND', 'CONFLICT']),
  'content.approve': operation(
    'Approve items in review; several at once only when each has been opened',
    z.object({ itemIds: z.array(Id).min(1).max(2000), note: z.string().max(2000).optional() }).strict(),
    z.array(ContentItem),
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'content.reject': operation('Reject an item in review with a reason', z.object({ itemId: Id, reason: z.string().trim().min(1, 'a rejection needs a reason').max(2000) }).strict(), ContentItem, ['NOT_FOUND', 'CONFLICT']),
  'content.regenerate': operation(
    'Write a new draft version of one item, optionally with an instruction',
    z.object({ itemId: Id, instruction: z.string().max(2000).optional() }).strict(),
    ContentItem,
    ['NOT_FOUND', 'CONFLICT', 'MODEL_OUTPUT_INVALID', 'MODEL_UNAVAILABLE'],
  ),
  // Editing lessons, quizzes and projects by hand (core/content/edit.ts).
  'content.edit': operation(
    'Save an edited lesson, quiz or project as a new draft version; checked like model output, the old version stays',
    z.object({ itemId: Id, content: z.unknown() }).strict(),
    ContentItem,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'course.status': operation('Lifecycle status with the rules of each next step', z.object({ courseId: Id }).strict(), CourseLifecycle, ['NOT_FOUND']),
  'course.transition': operation('Move the course to another lifecycle state', z.object({ courseId: Id, to: CourseStatus, reason: z.string().max(2000).optional() }).strict(), CourseLifecycle, ['NOT_FOUND', 'CONFLICT']),
  'packages.build': operation(
    'Freeze the approved syllabus and all approved content into the next package version; refused, listing every missing piece, until all is approved',
    z.object({ courseId: Id }).strict(),
    CoursePackageSummary.extend({ sameContentAs: z.number().int().nullable() }),
    ['NOT_FOUND', 'CONFLICT'],
  ),
  // Whether a package can be built now, and each missing piece as a sentence with its place (core/lifecycle/readiness.ts, the build's own rule).
  'packages.readiness': operation(
    'What a package build of the course still waits for, read-only: every lesson, quiz, required project (or the syllabus) without an approved version, with its place and a sentence',
    z.object({ courseId: Id }).strict(),
    PackageReadiness,
    ['NOT_FOUND'],
  ),
  'packages.list': operation("Packages, newest first: one course's or all", z.object({ courseId: Id.optional() }).strict(), z.array(CoursePackageSummary), ['NOT_FOUND']),
  'packages.get': operation('One package with its frozen document', z.object({ packageId: Id }).strict(), CoursePackage, ['NOT_FOUND']),
  'packages.archive': operation('Archive a published package (the one change a package allows)', z.object({ packageId: Id, reason: z.string().max(2000).optional() }).strict(), CoursePackageSummary, ['NOT_FOUND', 'CONFLICT']),
  'packages.export': operation(
    "Export a package to a file in the data folder's exports/; progress arrives as package.export events tagged with runId",
    z.object({ packageId: Id, format: ExportFormat, scoMode: ScormScoMode.optional(), runId: Id }).strict(),
    ExportRecord,
    ['NOT_FOUND', 'CANCELLED'],
  ),
  'packages.cancelExport': operation('Cancel a running export', z.object({ runId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  'exports.reveal': operation(
    'Show an exported file in the system file manager',
    z.object({ fileName: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name, not a path') }).strict(),
    z.object({ path: z.string() }),
    ['NOT_FOUND'],
  ),
  // The course as a learner sees it, from the current drafts or a package (core/packaging/preview.ts).
  'preview.course': operation(
    'One self-contained learner page of the course (the exports\' runtime), from the latest version of every item or from one package of the course; nothing is written',
    z.object({ courseId: Id, packageId: Id.optional() }).strict(),
    z.object({
      html: z.string(),
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('drafts'), syllabusVersion: z.number().int(), syllabusStatus: z.string() }),
        z.object({ kind: z.literal('package'), version: z.number().int(), contentHash: z.string() }),
      ]),
      notWritten: z.number().int().min(0),
    }),
    ['NOT_FOUND', 'CONFLICT'],
  ),
  // Finding things across courses, content and the audit log; readable diffs of content versions (core/search, core/diff).
  'search.query': operation(
    'Search courses, syllabus outlines, lessons, quiz questions, projects and the audit log (latest versions only); hits name their place and where the UI jumps to',
    SearchQueryInput,
    SearchResult,
    ['NOT_FOUND'],
  ),
  'content.diff': operation(
    'What changed between two versions of one lesson, quiz or project: text as word diffs, quizzes question by question',
    z.object({ fromId: Id, toId: Id }).strict(),
    ContentDiff,
    ['NOT_FOUND'],
  ),
  // Publishing to a hosted learner server through the outbox (core/sync): Settings → Servers and "Publish to server".
  'sync.settings': operation('The hosted server the studio publishes to and whether an author key is stored for it (never the key)', z.object({}).strict(), ServerSettings),
  'sync.updateServer': operation('Set the hosted server address (empty: none); a stored key is not sent to another origin until entered again', z.object({ serverUrl: ServerUrlInput }).strict(), ServerSettings),
  'sync.setServerKey': operation('Store the author key for the hosted server (OS keychain or memory, never the database); empty removes it', z.object({ serverKey: ServerKeyInput }).strict(), ServerSettings),
  'sync.testConnection': operation('Whether the hosted server answers and accepts the stored author key', z.object({}).strict(), ConnectionTest, ['USAGE']),
  'sync.status': operation("What the outbox holds for the hosted server: one row per package, with its state and last error", z.object({ courseId: Id.optional() }).strict(), z.object({ serverUrl: z.string().nullable(), entries: z.array(OutboxEntryView) })),
  'sync.flush': operation('Send every package waiting in the outbox to the hosted server now', z.object({}).strict(), SyncRunSummary, ['USAGE', 'MISSING_API_KEY']),
  'packages.publish': operation(
    'Upload a package to the hosted server (the same content twice is a no-op there) and optionally make it the live version; queued when the server does not answer; progress arrives as sync.publish events tagged with runId',
    z.object({ packageId: Id, release: z.boolean(), runId: Id }).strict(),
    PublishResult,
    ['NOT_FOUND', 'CONFLICT', 'USAGE', 'MISSING_API_KEY', 'UNAUTHORIZED'],
  ),
  // Learner analytics and content suggestions pulled from the hosted server into the studio's own tables (core/analytics-sync); decisions go back through a small outbox.
  'analytics.course': operation(
    "One course's learner analytics as synced: versions with analytics, and for the chosen one (default newest) funnel totals, learners over time, lessons (drop-off, time against estimate), quizzes and questions with their flags and where each lives",
    AnalyticsCourseInput,
    StudioCourseAnalytics,
    ['NOT_FOUND'],
  ),
  'analytics.compare': operation('Two package versions of a course side by side, per lesson and per question present in both', AnalyticsCompareInput, AnalyticsComparison, ['NOT_FOUND']),
  'suggestions.list': operation('Content suggestions synced from the server, open ones first, with this studio\'s decisions still on their way', SuggestionListInput, z.array(StudioSuggestion), ['NOT_FOUND']),
  'suggestions.accept': operation(
    'Accept a suggestion: sent to the server now, or queued and sent by the background sync when offline; deciding twice is refused',
    z.object({ id: SuggestionIdInput }).strict(),
    SuggestionDecisionResult,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'suggestions.dismiss': operation(
    'Dismiss a suggestion with a reason: sent to the server now, or queued when offline; deciding twice is refused',
    z.object({ id: SuggestionIdInput, reason: DismissReasonInput }).strict(),
    SuggestionDecisionResult,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  // Governed regeneration (core/regeneration): people create, trigger and cancel jobs and decide retry intents; only a worker runs jobs.
  'jobs.list': operation(
    'Regeneration jobs, newest first: all, one course\'s, or those in one status',
    z.object({ courseId: Id.optional(), status: RegenerationJobStatus.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    z.array(RegenerationJob),
    ['NOT_FOUND'],
  ),
  'jobs.show': operation('One job with its retry chain, retry intents and the retries left', z.object({ jobId: Id }).strict(), RegenerationJobDetail, ['NOT_FOUND']),
  'jobs.create': operation(
    'Create a PENDING job to regenerate one lesson, quiz or project version, one question of a quiz version (questionId), or the syllabus from a syllabus version (trigger: true triggers it at once)',
    z.object({ targetItemId: Id, questionId: Id.optional(), instruction: InstructionText, trigger: z.boolean().optional() }).strict(),
    RegenerationJob,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'jobs.trigger': operation('Trigger pending jobs: all named, or none if one is not pending', z.object({ jobIds: z.array(Id).min(1).max(2000) }).strict(), z.array(RegenerationJob), ['NOT_FOUND', 'CONFLICT']),
  'jobs.cancel': operation('Cancel a pending, triggered or running job; it ends FAILED "cancelled" and nothing it was writing is saved', z.object({ jobId: Id }).strict(), RegenerationJob, ['NOT_FOUND', 'CONFLICT']),
  'retryIntents.create': operation(
    'Ask for a failed job to run again, with a reason (and optionally a changed instruction)',
    z.object({ jobId: Id, reasonCode: RetryReasonCode, reasonText: RetryReasonText, instruction: InstructionText.optional() }).strict(),
    RetryIntent,
    ['NOT_FOUND', 'CONFLICT'],
  ),
  'retryIntents.execute': operation('Consume a retry intent once: a new triggered job retrying the failed one', z.object({ intentId: Id }).strict(), z.object({ intent: RetryIntent, job: RegenerationJob }), ['NOT_FOUND', 'CONFLICT']),
  'retryIntents.reject': operation('Reject a retry intent with a reason', z.object({ intentId: Id, reason: RetryReasonText }).strict(), RetryIntent, ['NOT_FOUND', 'CONFLICT']),
  'retryIntents.list': operation('Retry intents, all or of one job, oldest first', z.object({ jobId: Id.optional() }).strict(), z.array(RetryIntent), ['NOT_FOUND']),
  // Lineage (core/lineage): where a content or syllabus version came from and what followed it; reads only.
  'lineage.show': operation(
    'Where one lesson, quiz, project (itemId) or syllabus version (versionId) came from: intent, syllabus, model call or edit, review, packages, signals, suggestions, jobs, next version',
    z
      .object({ itemId: Id.optional(), versionId: Id.optional() })
      .strict()
      .refine((input) => (input.itemId === undefined) !== (input.versionId === undefined), { message: 'name one version: itemId for a lesson, quiz or project, or versionId for a syllabus version' }),
    Lineage,
    ['NOT_FOUND'],
  ),
  'jobs.createFromSuggestion': operation(
    "Create the PENDING job an accepted suggestion asks for, on the version learners saw (or its latest version), from the suggestion's draft instruction unless one is given; a suggestion that already has a job gets that job back",
    z.object({ suggestionId: SuggestionIdInput, instruction: InstructionText.optional() }).strict(),
    RegenerationJob,
    ['NOT_FOUND', 'CONFLICT'],
  ),
} as const;

export type Api = typeof api;
export type OperationName = keyof Api;
export type OperationInput<N extends OperationName> = z.input<Api[N]['input']>;
export type OperationOutput<N extends OperationName> = z.infer<Api[N]['output']>;
export const operationNames = Object.keys(api) as OperationName[];

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorEnvelope };

/** Progress of long work, pushed from host to UI over the same transport. */
export const StudioEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('content.generation'),
    runId: z.string(),
    courseId: z.string(),
    done: z.number(),
    failed: z.number(),
    remaining: z.number(),
    skipped: z.number(),
    tokens: z.number(),
    message: z.string(),
  }),
  z.object({
    type: z.literal('package.export'),
    runId: z.string(),
    packageId: z.string(),
    format: ExportFormat,
    /** `queued` while the export waits for one of the few export slots; then the exporter's own phases. */
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    /** While queued: 1 for the next export to start. */
    position: z.number().int().min(1).optional(),
  }),
  z.object({
    type: z.literal('syllabus.generation'),
    runId: z.string(),
    courseId: z.string(),
    stage: z.enum(['started', 'calling-model', 'validating', 'repairing', 'normalizing', 'done', 'failed', 'cancelled']),
    attempt: z.number(),
    maxAttempts: z.number(),
    message: z.string(),
  }),
  SyncPublishEvent,
  RegenerationJobEvent,
]);
export type StudioEvent = z.infer<typeof StudioEvent>;

/** The typed client the renderer uses, whichever transport is underneath. */
export interface StudioClient {
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

export { ErrorEnvelope };
