import type BetterSqlite3 from 'better-sqlite3';
import { and, desc, eq, max, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { NewCoursePackage, PackageRepository } from '../core/ports.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { CoursePackage, CoursePackageSummary } from '../schemas/package.js';
import { mapSqliteError } from './errors.js';
import { coursePackages, courses } from './schema.js';

type PackageRow = typeof coursePackages.$inferSelect;

function packageFromRow(row: PackageRow): CoursePackage {
  return {
    id: row.id,
    courseId: row.courseId,
    version: row.version,
    status: row.status,
    contentHash: row.contentHash,
    itemHashes: JSON.parse(row.itemHashesJson) as CoursePackage['itemHashes'],
    document: JSON.parse(row.documentJson) as CoursePackage['document'],
    sizeBytes: row.sizeBytes,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    archivedAt: row.archivedAt,
    archivedBy: row.archivedBy,
  };
}

/**
 * Lists read only the columns a list shows plus the counts, never the whole document of every
 * package (a 40 × 12 course's document is a few megabytes).
 */
const summaryColumns = {
  id: coursePackages.id,
  courseId: coursePackages.courseId,
  version: coursePackages.version,
  status: coursePackages.status,
  contentHash: coursePackages.contentHash,
  sizeBytes: coursePackages.sizeBytes,
  createdBy: coursePackages.createdBy,
  createdAt: coursePackages.createdAt,
  archivedAt: coursePackages.archivedAt,
  archivedBy: coursePackages.archivedBy,
  courseTitle: courses.title,
  moduleCount: coursePackages.moduleCount,
  lessonCount: coursePackages.lessonCount,
};

export function createPackageRepository(db: BetterSqlite3.Database): PackageRepository {
  const orm = drizzle(db);
  const file = db.name;
  const guarded = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  };
  const summaries = () => orm.select(summaryColumns).from(coursePackages).innerJoin(courses, eq(courses.id, coursePackages.courseId));

  return {
    insert(pkg: NewCoursePackage) {
      guarded(() =>
        orm
          .insert(coursePackages)
          .values({
            id: pkg.id,
            courseId: pkg.courseId,
            syllabusVersionId: pkg.syllabusVersionId,
            version: pkg.version,
            status: 'PUBLISHED',
            contentHash: pkg.contentHash,
            itemHashesJson: JSON.stringify(pkg.itemHashes),
            documentJson: pkg.documentJson,
            sizeBytes: pkg.sizeBytes,
            moduleCount: pkg.moduleCount,
            lessonCount: pkg.lessonCount,
            createdBy: pkg.createdBy,
            createdAt: pkg.createdAt,
          })
          .run(),
      );
    },
    get(id) {
      const row = guarded(() => orm.select().from(coursePackages).where(eq(coursePackages.id, id)).get());
      return row ? packageFromRow(row) : undefined;
    },
    list(courseId) {
      const rows = guarded(() => (courseId ? summaries().where(eq(coursePackages.courseId, courseId)) : summaries()).orderBy(desc(coursePackages.createdAt), desc(coursePackages.version)).all());
      return rows satisfies CoursePackageSummary[];
    },
    summary(id) {
      return guarded(() => summaries().where(eq(coursePackages.id, id)).get());
    },
    latest(courseId) {
      const row = guarded(() => orm.select().from(coursePackages).where(eq(coursePackages.courseId, courseId)).orderBy(desc(coursePackages.version)).limit(1).get());
      return row ? packageFromRow(row) : undefined;
    },
    nextVersion(courseId) {
      const row = guarded(() => orm.select({ top: max(coursePackages.version) }).from(coursePackages).where(eq(coursePackages.courseId, courseId)).get());
      return (row?.top ?? 0) + 1;
    },
    countPublished(syllabusVersionId) {
      const row = guarded(() =>
        orm
          .select({ n: sql<number>`count(*)` })
          .from(coursePackages)
          .where(and(eq(coursePackages.syllabusVersionId, syllabusVersionId), eq(coursePackages.status, 'PUBLISHED')))
          .get(),
      );
      return row?.n ?? 0;
    },
    archive(id, change) {
      const result = guarded(() =>
        orm.update(coursePackages).set({ status: 'ARCHIVED', archivedAt: change.at, archivedBy: change.by }).where(and(eq(coursePackages.id, id), eq(coursePackages.status, 'PUBLISHED'))).run(),
      );
      if (result.changes === 0) {
        const existing = guarded(() => orm.select({ status: coursePackages.status, version: coursePackages.version }).from(coursePackages).where(eq(coursePackages.id, id)).get());
        if (!existing) throw new CoursewrightError('NOT_FOUND', `No package "${id}". List packages with \`coursewright package list\`.`, { packageId: id });
        throw new CoursewrightError('CONFLICT', `Package v${existing.version} is already archived; archiving happens once.`, { packageId: id });
      }
    },
  };
}
