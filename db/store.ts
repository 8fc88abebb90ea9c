import type BetterSqlite3 from 'better-sqlite3';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { AuditEntry, NewAuditEntry } from '../schemas/audit.js';
import type { Course } from '../schemas/course.js';
import type { ModelCallRecord } from '../schemas/ledger.js';
import type { SyllabusVersion } from '../schemas/syllabus.js';
import type {
  AuditFilter,
  AutosaveRecord,
  NewSyllabusVersion,
  Store,
  SyllabusStatusChange,
} from '../core/ports.js';
import { CoursewrightError } from '../schemas/errors.js';
import { createContentRepositories } from './content-store.js';
import { createPackageRepository } from './package-store.js';
import { createCourseManagementRepository } from './course-management-store.js';
import { createSearchStore } from './search-store.js';
import { createReviewRepository } from './review-store.js';
import { createOutboxRepository } from './outbox-store.js';
import { createAnalyticsRepository } from './analytics-store.js';
import { createRegenerationRepository } from './regeneration-store.js';
import { createLineageRepository } from './lineage-store.js';
import { mapSqliteError } from './errors.js';
import { auditLog, autosaves, courses, modelCalls, settings, syllabusVersions } from './schema.js';

type CourseRow = typeof courses.$inferSelect;
type SyllabusRow = typeof syllabusVersions.$inferSelect;
type AuditRow = typeof auditLog.$inferSelect;
type ModelCallRow = typeof modelCalls.$inferSelect;

/** SQLite's LIMIT -1 means "no limit", so one prepared statement serves both cases. */
const NO_LIMIT = -1;

function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/*
 * Rows are trusted on the way out: only this module writes them, every write is validated by
 * the engine before it gets here, and an approved version's content hash is checked again at
 * approval. Parsing a 300 KB syllabus with zod on every read would cost more than the query.
 */

function courseFromRow(row: CourseRow): Course {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    intent: JSON.parse(row.intentJson) as Course['intent'],
    // Present only when set, so a course reads back exactly as it was inserted.
    ...(row.archivedAt ? { archivedAt: row.archivedAt, archivedBy: row.archivedBy } : {}),
    ...(row.updatedAt ? { updatedAt: row.updatedAt } : {}),
  };
}

function syllabusVersionFromRow(row: SyllabusRow): SyllabusVersion {
  return {
    id: row.id,
    courseId: row.courseId,
    version: row.version,
    status: row.status,
    syllabus: JSON.parse(row.syllabusJson) as SyllabusVersion['syllabus'],
    metadata: JSON.parse(row.metadataJson) as SyllabusVersion['metadata'],
    warnings: JSON.parse(row.warningsJson) as SyllabusVersion['warnings'],
    review: {
      basedOnId: row.basedOnId,
      contentHash: row.contentHash,
      submittedAt: row.submittedAt,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
      note: row.note,
      rejectionReason: row.rejectionReason,
    },
  };
}

function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditEntry['action'],
    entityType: row.entityType as AuditEntry['entityType'],
    entityId: row.entityId,
    metadata: JSON.parse(row.metadataJson) as AuditEntry['metadata'],
  };
}

function modelCallFromRow(row: ModelCallRow): ModelCallRecord {
  return {
    at: row.at,
    provider: row.provider,
    model: row.model,
    purpose: row.purpose,
    promptHash: row.promptHash,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    latencyMs: row.latencyMs,
    outcome: row.outcome as ModelCallRecord['outcome'],
    error: row.error,
    courseId: row.courseId,
  };
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return NO_LIMIT;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new CoursewrightError('INVALID_INPUT', `limit must be a positive whole number, got ${limit}.`, { limit });
  }
  return limit;
}

/**
 * The SQLite implementation of core's Store. Every statement is prepared once here, because
 * the studio writes whole syllabi (hundreds of KB) on its hot path. Every SQLite failure leaves
 * as a CoursewrightError (see mapSqliteError), except from audit.append, which never throws.
 */
export function createSqliteStore(db: BetterSqlite3.Database): Store {
  const file = db.name;
  const orm = drizzle(db);
  const p = sql.placeholder;

  /** Runs one repository operation, translating driver failures for the person at the keyboard. */
  function guarded<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  }

  const statements = {
    insertCourse: orm
      .insert(courses)
      .values({ id: p('id'), title: p('title'), status: p('status'), createdAt: p('createdAt'), createdBy: p('createdBy'), intentJson: p('intentJson') })
      .prepare(),
    getCourse: orm.select().from(courses).where(eq(courses.id, p('id'))).prepare(),
    listCourses: orm.select().from(courses).orderBy(asc(courses.createdAt), asc(sql`rowid`)).prepare(),

    insertSyllabusVersion: orm
      .insert(syllabusVersions)
      .values({
        id: p('id'),
        courseId: p('courseId'),
        version: p('version'),
        status: p('status'),
        syllabusJson: p('syllabusJson'),
        metadataJson: p('metadataJson'),
        warningsJson: p('warningsJson'),
        basedOnId: p('basedOnId'),
        contentHash: p('contentHash'),
        createdAt: p('createdAt'),
      })
      .prepare(),
    getSyllabusVersion: orm.select().from(syllabusVersions).where(eq(syllabusVersions.id, p('id'))).prepare(),
    listSyllabusVersionsByCourse: orm
      .select()
      .from(syllabusVersions)
      .where(eq(syllabusVersions.courseId, p('courseId')))
      .orderBy(asc(syllabusVersions.version))
      .prepare(),
    listSyllabusVersionsInReview: orm
      .select()
      .from(syllabusVersions)
      .where(eq(syllabusVersions.status, 'IN_REVIEW'))
      .orderBy(asc(syllabusVersions.submittedAt), asc(syllabusVersions.createdAt), asc(sql`rowid`))
      .prepare(),
    maxSyllabusVersion: orm
      .select({ max: sql<number | null>`max(${syllabusVersions.version})` })
      .from(syllabusVersions)
      .where(eq(syllabusVersions.courseId, p('courseId')))
      .prepare(),
    submitSyllabusVersion: orm
      .update(syllabusVersions)
      .set({ status: 'IN_REVIEW', submittedAt: sql`${p('at')}` })
      .where(eq(syllabusVersions.id, p('id')))
      .prepare(),
    approveSyllabusVersion: orm
      .update(syllabusVersions)
      .set({ status: 'APPROVED', decidedAt: sql`${p('at')}`, decidedBy: sql`${p('by')}`, note: sql`${p('note')}` })
      .where(eq(syllabusVersions.id, p('id')))
      .prepare(),
    rejectSyllabusVersion: orm
      .update(syllabusVersions)
      .set({ status: 'REJECTED', decidedAt: sql`${p('at')}`, decidedBy: sql`${p('by')}`, rejectionReason: sql`${p('reason')}` })
      .where(eq(syllabusVersions.id, p('id')))
      .prepare(),
    supersedeSyllabusVersion: orm.update(syllabusVersions).set({ status: 'SUPERSEDED' }).where(eq(syllabusVersions.id, p('id'))).prepare(),

    appendAudit: orm
      .insert(auditLog)
      .values({ at: p('at'), actor: p('actor'), action: p('action'), entityType: p('entityType'), entityId: p('entityId'), metadataJson: p('metadataJson') })
      .prepare(),
    recentAudit: orm.select().from(auditLog).orderBy(desc(auditLog.id)).limit(p('limit')).prepare(),
    recentAuditForEntity: orm.select().from(auditLog).where(eq(auditLog.entityId, p('entityId'))).orderBy(desc(auditLog.id)).limit(p('limit')).prepare(),

    recordModelCall: orm
      .insert(modelCalls)
      .values({
        at: p('at'),
        provider: p('provider'),
        model: p('model'),
        purpose: p('purpose'),
        promptHash: p('promptHash'),
        promptTokens: p('promptTokens'),
        completionTokens: p('completionTokens'),
        latencyMs: p('latencyMs'),
        outcome: p('outcome'),
        error: p('error'),
        courseId: p('courseId'),
      })
      .prepare(),
    recentModelCalls: orm.select().from(modelCalls).orderBy(desc(modelCalls.id)).limit(p('limit')).prepare(),
    recentModelCallsForCourse: orm.select().from(modelCalls).where(eq(modelCalls.courseId, p('courseId'))).orderBy(desc(modelCalls.id)).limit(p('limit')).prepare(),

    getSetting: orm.select().from(settings).where(eq(settings.key, p('key'))).prepare(),
    putSetting: orm
      .insert(settings)
      .values({ key: p('key'), valueJson: p('valueJson') })
      .onConflictDoUpdate({ target: settings.key, set: { valueJson: sql`excluded.value_json` } })
      .prepare(),
    allSettings: orm.select().from(settings).orderBy(asc(settings.key)).prepare(),

    putAutosave: orm
      .insert(autosaves)
      .values({ key: p('key'), content: p('content'), savedAt: p('savedAt') })
      .onConflictDoUpdate({ target: autosaves.key, set: { content: sql`excluded.content`, savedAt: sql`excluded.saved_at` } })
      .prepare(),
    getAutosave: orm.select().from(autosaves).where(eq(autosaves.key, p('key'))).prepare(),
    listAutosaves: orm.select().from(autosaves).orderBy(desc(autosaves.savedAt), asc(autosaves.key)).prepare(),
    clearAutosave: orm.delete(autosaves).where(eq(autosaves.key, p('key'))).prepare(),
  };

  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and writes
  // later can fail with SQLITE_BUSY_SNAPSHOT in WAL mode without waiting for the busy timeout.
  // Called inside another transaction, better-sqlite3 turns this into a savepoint.
  const runInTransaction = db.transaction((fn: () => unknown) => fn());

  function changeStatus(id: string, change: SyllabusStatusChange): void {
    const result = guarded(() => {
      switch (change.status) {
        case 'IN_REVIEW':
          return statements.submitSyllabusVersion.run({ id, at: change.at });
        case 'APPROVED':
          return statements.approveSyllabusVersion.run({ id, at: change.at, by: change.by, note: change.note });
        case 'REJECTED':
          return statements.rejectSyllabusVersion.run({ id, at: change.at, by: change.by, reason: change.reason });
        case 'SUPERSEDED':
          return statements.supersedeSyllabusVersion.run({ id });
        default:
          return missingCase(change);
      }
    });
    if (result.changes === 0) {
      throw new CoursewrightError('NOT_FOUND', `No syllabus version "${id}". List a course's versions with \`coursewright syllabus list COURSE\`.`, { versionId: id });
    }
  }

  const contentRepositories = createContentRepositories(db);

  return {
    content: contentRepositories.content,
    courseStatusLog: contentRepositories.courseStatusLog,
    packages: createPackageRepository(db),
    courseManagement: createCourseManagementRepository(db),
    search: createSearchStore(db),
    review: createReviewRepository(db),
    outbox: createOutboxRepository(db),
    analytics: createAnalyticsRepository(db),
    regeneration: createRegenerationRepository(db),
    lineage: createLineageRepository(db),
    courses: {
      setStatus: contentRepositories.setCourseStatus,
      insert(course: Course) {
        guarded(() =>
          statements.insertCourse.run({
            id: course.id,
            title: course.title,
            status: course.status,
            createdAt: course.createdAt,
            createdBy: course.createdBy,
            intentJson: JSON.stringify(course.intent),
          }),
        );
      },
      get(id: string) {
        const row = guarded(() => statements.getCourse.get({ id }));
        return row ? courseFromRow(row) : undefined;
      },
      list() {
        return guarded(() => statements.listCourses.all()).map(courseFromRow);
      },
    },

    syllabi: {
      insert(version: NewSyllabusVersion) {
        guarded(() =>
          statements.insertSyllabusVersion.run({
            id: version.id,
            courseId: version.courseId,
            version: version.version,
            status: version.status,
            syllabusJson: JSON.stringify(version.syllabus),
            metadataJson: JSON.stringify(version.metadata),
            warningsJson: JSON.stringify(version.warnings),
            basedOnId: version.basedOnId,
            contentHash: version.contentHash,
            createdAt: version.createdAt,
          }),
        );
      },
      get(id: string) {
        const row = guarded(() => statements.getSyllabusVersion.get({ id }));
        return row ? syllabusVersionFromRow(row) : undefined;
      },
      listByCourse(courseId: string) {
        return guarded(() => statements.listSyllabusVersionsByCourse.all({ courseId })).map(syllabusVersionFromRow);
      },
      listInReview() {
        return guarded(() => statements.listSyllabusVersionsInReview.all()).map(syllabusVersionFromRow);
      },
      nextVersionNumber(courseId: string) {
        const row = guarded(() => statements.maxSyllabusVersion.get({ courseId }));
        return (row?.max ?? 0) + 1;
      },
      changeStatus,
    },

    audit: {
      append(entry: NewAuditEntry) {
        // Invariant 4: a failed audit write never blocks the action it records, and is itself
        // reported. Inside a transaction the row shares the caller's fate: rolled back with it.
        try {
          statements.appendAudit.run({
            at: entry.at ?? new Date().toISOString(),
            actor: entry.actor,
            action: entry.action,
            entityType: entry.entityType,
            entityId: entry.entityId,
            metadataJson: JSON.stringify(entry.metadata ?? {}),
          });
        } catch (error) {
          const mapped = mapSqliteError(error, file);
          console.error(`Coursewright could not write an audit entry (${entry.action} ${entry.entityType}:${entry.entityId} by ${entry.actor}): ${mapped.message}`);
        }
      },
      list(filter: AuditFilter = {}) {
        const limit = limitOf(filter.limit);
        const rows = guarded(() =>
          filter.entityId === undefined ? statements.recentAudit.all({ limit }) : statements.recentAuditForEntity.all({ entityId: filter.entityId, limit }),
        );
        return rows.reverse().map(auditEntryFromRow);
      },
    },

    ledger: {
      record(call: ModelCallRecord) {
        guarded(() =>
          statements.recordModelCall.run({
            at: call.at,
            provider: call.provider,
            model: call.model,
            purpose: call.purpose,
            promptHash: call.promptHash,
            promptTokens: call.promptTokens,
            completionTokens: call.completionTokens,
            latencyMs: call.latencyMs,
            outcome: call.outcome,
            error: call.error,
            courseId: call.courseId,
          }),
        );
      },
      list(filter: { courseId?: string; limit?: number } = {}) {
        const limit = limitOf(filter.limit);
        const rows = guarded(() =>
          filter.courseId === undefined ? statements.recentModelCalls.all({ limit }) : statements.recentModelCallsForCourse.all({ courseId: filter.courseId, limit }),
        );
        return rows.reverse().map(modelCallFromRow);
      },
    },

    settings: {
      get(key: string) {
        const row = guarded(() => statements.getSetting.get({ key }));
        return row ? (JSON.parse(row.valueJson) as unknown) : undefined;
      },
      set(key: string, value: unknown) {
        if (value === undefined) {
          throw new CoursewrightError('INVALID_INPUT', `Setting "${key}" needs a value; undefined cannot be stored.`, { key });
        }
        guarded(() => statements.putSetting.run({ key, valueJson: JSON.stringify(value) }));
      },
      all() {
        const result: Record<string, unknown> = {};
        for (const row of guarded(() => statements.allSettings.all())) result[row.key] = JSON.parse(row.valueJson) as unknown;
        return result;
      },
    },

    autosaves: {
      put(record: AutosaveRecord) {
        guarded(() => statements.putAutosave.run({ key: record.key, content: record.content, savedAt: record.savedAt }));
      },
      get(key: string) {
        const row = guarded(() => statements.getAutosave.get({ key }));
        return row ? { key: row.key, content: row.content, savedAt: row.savedAt } : undefined;
      },
      list() {
        return guarded(() => statements.listAutosaves.all()).map((row) => ({ key: row.key, content: row.content, savedAt: row.savedAt }));
      },
      clear(key: string) {
        return guarded(() => statements.clearAutosave.run({ key })).changes > 0;
      },
    },

    transaction<T>(fn: () => T): T {
      return guarded(() => runInTransaction.immediate(fn) as T);
    },
  };
}
