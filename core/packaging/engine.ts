import { CoursewrightError } from '../../schemas/errors.js';
import { PackageDocument, type CoursePackage, type CoursePackageSummary } from '../../schemas/package.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { randomIds, systemClock } from '../ids.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { assemblePackageDocument } from './assemble.js';

export type BuiltPackage = CoursePackageSummary & {
  /** The version of the latest earlier package with exactly this content, if the content has not changed since. */
  sameContentAs: number | null;
};

/** Course packages: freeze the approved course, list, read, archive. */
export function createPackageEngine(deps: { store: Store; clock?: Clock; ids?: IdGenerator }) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;

  function requirePackage(packageId: string): CoursePackage {
    const pkg = store.packages.get(packageId);
    if (!pkg) throw new CoursewrightError('NOT_FOUND', `No package "${packageId}". List packages with \`coursewright package list\`.`, { packageId });
    return pkg;
  }

  function summaryOf(packageId: string): CoursePackageSummary {
    const summary = store.packages.summary(packageId);
    if (!summary) throw new CoursewrightError('NOT_FOUND', `No package "${packageId}". List packages with \`coursewright package list\`.`, { packageId });
    return summary;
  }

  /**
   * Builds the next package version from the latest approved syllabus and its approved content.
   * Reading the content, numbering the version and writing the row happen in one transaction, so
   * a package always matches what was approved at one instant.
   */
  function buildPackage(courseId: string, actor: string): BuiltPackage {
    return store.transaction(() => {
      const course = store.courses.get(courseId);
      if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list\`.`, { courseId });
      const approved = store.syllabi
        .listByCourse(courseId)
        .filter((v) => v.status === 'APPROVED')
        .at(-1);
      if (!approved) throw new CoursewrightError('CONFLICT', `Course ${courseId} has no approved syllabus; approve a syllabus version and its content before building a package.`, { missing: [] });
      const { document, itemHashes } = assemblePackageDocument(
        course,
        { id: approved.id, version: approved.version, contentHash: approved.review.contentHash, syllabus: approved.syllabus },
        store.content.listBySyllabusVersion(approved.id),
      );
      const documentJson = canonicalJson(PackageDocument.parse(document));
      const contentHash = sha256Hex(documentJson);
      const previous = store.packages.latest(courseId);
      const id = ids.newId('pkg');
      const version = store.packages.nextVersion(courseId);
      store.packages.insert({
        id,
        courseId,
        syllabusVersionId: approved.id,
        version,
        contentHash,
        itemHashes,
        documentJson,
        moduleCount: document.modules.length,
        lessonCount: itemHashes.filter((i) => i.kind === 'lesson').length,
        sizeBytes: new TextEncoder().encode(documentJson).length,
        createdBy: actor,
        createdAt: clock.now().toISOString(),
      });
      const sameContentAs = previous && previous.contentHash === contentHash ? previous.version : null;
      store.audit.append({
        actor,
        action: 'package.built',
        entityType: 'course_package',
        entityId: id,
        metadata: { courseId, version, contentHash, syllabusVersionId: approved.id, items: itemHashes.length, sameContentAs },
      });
      return { ...summaryOf(id), sameContentAs };
    });
  }

  function archivePackage(packageId: string, actor: string, reason?: string): CoursePackageSummary {
    return store.transaction(() => {
      const pkg = requirePackage(packageId);
      store.packages.archive(packageId, { at: clock.now().toISOString(), by: actor });
      store.audit.append({ actor, action: 'package.archived', entityType: 'course_package', entityId: packageId, metadata: { courseId: pkg.courseId, version: pkg.version, reason: reason?.trim() || null } });
      return summaryOf(packageId);
    });
  }

  return {
    buildPackage,
    archivePackage,
    getPackage: requirePackage,
    listPackages: (courseId?: string) => {
      if (courseId && !store.courses.get(courseId)) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". List courses with \`coursewright course list\`.`, { courseId });
      return store.packages.list(courseId);
    },
  };
}

export type PackageEngine = ReturnType<typeof createPackageEngine>;
