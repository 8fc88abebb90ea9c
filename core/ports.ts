import type { NewAuditEntry, AuditEntry } from '../schemas/audit.js';
import type { ContentItem } from '../schemas/content.js';
import type { Course, CourseStatus } from '../schemas/course.js';
import type { ModelCallRecord } from '../schemas/ledger.js';
import type { CoursePackage, CoursePackageSummary } from '../schemas/package.js';
import type { CourseManagementRepository } from './courses/manage.js';
import type { SearchIndex } from './search/port.js';
import type { ReviewRepository } from './review/ports.js';
import type { GenerationMetadata, Syllabus, SyllabusStatus, SyllabusVersion, SyllabusWarning } from '../schemas/syllabus.js';
import type { OutboxRepository } from './sync/ports.js';
import type { AnalyticsRepository } from './analytics-sync/ports.js';
import type { RegenerationRepository } from './regeneration/ports.js';
import type { LineageRepository } from './lineage/ports.js';

/**
 * Storage ports. The engine sees only these; db/ implements them with SQLite, tests may too.
 * Calls are synchronous because the studio's store is an embedded database on its own thread.
 */
export interface CourseRepository {
  insert(course: Course): void;
  get(id: string): Course | undefined;
  list(): Course[];
  setStatus(id: string, status: CourseStatus): void;
}

export type NewContentItem = Omit<ContentItem, 'review'> & { basedOnId: string | null; contentHash: string };

export type ContentStatusChange =
  | { status: 'IN_REVIEW'; at: string }
  | { status: 'APPROVED'; at: string; by: string; note: string | null }
  | { status: 'REJECTED'; at: string; by: string; reason: string }
  | { status: 'SUPERSEDED'; at: string };

export interface ContentRepository {
  insert(item: NewContentItem): void;
  get(id: string): ContentItem | undefined;
  listByCourse(courseId: string): ContentItem[];
  listBySyllabusVersion(syllabusVersionId: string): ContentItem[];
  /** The DRAFT or IN_REVIEW versions of one unit, oldest first (the database allows at most one). */
  listLiveVersions(syllabusVersionId: string, kind: ContentItem['kind'], targetId: string): ContentItem[];
  nextVersion(syllabusVersionId: string, kind: ContentItem['kind'], targetId: string): number;
  changeStatus(id: string, change: ContentStatusChange): void;
  markOpened(id: string, at: string): void;
}

export type NewCoursePackage = Omit<CoursePackage, 'status' | 'document' | 'archivedAt' | 'archivedBy'> & {
  /** The document as stored: its canonical JSON, the bytes the content hash was taken over. */
  documentJson: string;
  /** Kept beside the document so lists and lifecycle checks never parse it. */
  syllabusVersionId: string;
  moduleCount: number;
  lessonCount: number;
};

/** Course packages: insert-only; archiving a published package is the only change (a trigger enforces it). */
export interface PackageRepository {
  insert(pkg: NewCoursePackage): void;
  get(id: string): CoursePackage | undefined;
  /** Summaries, newest first; of one course or of all. */
  list(courseId?: string): CoursePackageSummary[];
  summary(id: string): CoursePackageSummary | undefined;
  latest(courseId: string): CoursePackage | undefined;
  nextVersion(courseId: string): number;
  /** Published packages built from the given syllabus version. */
  countPublished(syllabusVersionId: string): number;
  archive(id: string, change: { at: string; by: string }): void;
}

export interface CourseStatusLogEntry {
  courseId: string;
  from: CourseStatus;
  to: CourseStatus;
  actor: string;
  reason: string | null;
  at: string;
}

export interface CourseStatusLog {
  append(entry: CourseStatusLogEntry): void;
  list(courseId: string): CourseStatusLogEntry[];
}

export interface NewSyllabusVersion {
  id: string;
  courseId: string;
  version: number;
  status: SyllabusStatus;
  syllabus: Syllabus;
  metadata: GenerationMetadata;
  warnings: SyllabusWarning[];
  basedOnId: string | null;
  contentHash: string;
  createdAt: string;
}

export type SyllabusStatusChange =
  | { status: 'IN_REVIEW'; at: string }
  | { status: 'APPROVED'; at: string; by: string; note: string | null }
  | { status: 'REJECTED'; at: string; by: string; reason: string }
  | { status: 'SUPERSEDED'; at: string };

export interface SyllabusRepository {
  insert(version: NewSyllabusVersion): void;
  get(id: string): SyllabusVersion | undefined;
  listByCourse(courseId: string): SyllabusVersion[];
  /** Versions awaiting review, across courses, oldest first. */
  listInReview(): SyllabusVersion[];
  nextVersionNumber(courseId: string): number;
  /** Moves a version's status. Approved rows never change again (a database trigger enforces it). */
  changeStatus(id: string, change: SyllabusStatusChange): void;
}

export interface AuditFilter {
  entityId?: string;
  limit?: number;
}

export interface AuditLog {
  append(entry: NewAuditEntry): void;
  list(filter?: AuditFilter): AuditEntry[];
}

export interface ModelCallLedger {
  record(call: ModelCallRecord): void;
  list(filter?: { courseId?: string; limit?: number }): ModelCallRecord[];
}

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  all(): Record<string, unknown>;
}

export interface AutosaveRecord {
  key: string;
  content: string;
  savedAt: string;
}

/** Editor work in progress, kept so a crash or a closed window loses nothing. */
export interface AutosaveRepository {
  put(record: AutosaveRecord): void;
  get(key: string): AutosaveRecord | undefined;
  list(): AutosaveRecord[];
  clear(key: string): boolean;
}

/** Model API keys live outside the database: the OS keychain on the desktop, memory when served. */
export interface KeyStore {
  readonly kind: 'keychain' | 'memory';
  get(): string | null;
  set(apiKey: string | null): void;
}

export interface Store {
  courses: CourseRepository;
  syllabi: SyllabusRepository;
  audit: AuditLog;
  ledger: ModelCallLedger;
  settings: SettingsStore;
  autosaves: AutosaveRepository;
  content: ContentRepository;
  courseStatusLog: CourseStatusLog;
  packages: PackageRepository;
  /** Course-wide changes: intent edits, archiving, deleting drafts-only courses (core/courses). */
  courseManagement: CourseManagementRepository;
  /** Review comments and the review queue's reads (core/review). */
  review: ReviewRepository;
  /** Full-text search over the latest version of everything findable (core/search). */
  search: SearchIndex;
  /** What the studio sends to hosted learner servers, kept until it is sent (core/sync). */
  outbox: OutboxRepository;
  /** Learner analytics, signals and suggestions pulled from hosted servers, and decisions on their way back (core/analytics-sync). */
  analytics: AnalyticsRepository;
  /** Regeneration jobs, their outputs and retry intents (core/regeneration). */
  regeneration: RegenerationRepository;
  /** Reads that explain where a version came from (core/lineage). */
  lineage: LineageRepository;
  /** Runs fn atomically: everything or nothing. Nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;
}

export type CourseStatusUpdate = { id: string; status: CourseStatus };

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(prefix: string): string;
}
