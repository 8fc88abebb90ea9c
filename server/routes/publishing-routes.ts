import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../core/hash.js';
import { MAX_EXPORT_PACKAGE_BYTES, PackageDocument } from '../../schemas/package.js';
import { ContentHashParams, CourseList, CourseParams, CourseVersionDocument, CourseVersionParams, CourseVersions, PackagePublished, Release, ReleaseRequest } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { packages, releases } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';
import { actorOf, defineRoute, type RouteDefinition } from '../http/routes.js';
import { recordAudit } from '../store/audit.js';

/** Package documents the server accepts: the same bound the studio's exporters use. */
export const MAX_PACKAGE_BYTES = MAX_EXPORT_PACKAGE_BYTES;

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Publishing: packages travel content-addressed and are stored insert-only; a course's live
 * version is a pointer moved by compare-and-swap. Every query names the caller's tenant, and
 * something of another tenant is "not found", exactly like something that does not exist.
 */
export function publishingRoutes(db: ServerDb): RouteDefinition[] {
  return [
    defineRoute({
      method: 'PUT',
      url: '/api/packages/:contentHash',
      access: ['author', 'admin'],
      tag: 'publishing',
      summary: 'Upload a frozen course package under its content hash (idempotent: 201 stored, 200 already there)',
      params: ContentHashParams,
      body: PackageDocument,
      bodyLimit: MAX_PACKAGE_BYTES,
      success: { status: 201, schema: PackagePublished },
      alsoSucceedsWith: { status: 200, description: 'This tenant already had this content: nothing changed' },
      errors: ['HASH_MISMATCH', 'PAYLOAD_TOO_LARGE'],
      // A re-publish is answered from the bytes: when they hash to the address and this tenant
      // already stored that address, they are the canonical form of what it stored (the hash was
      // checked against the canonical JSON when it was stored), so there is nothing to parse,
      // validate or re-hash. Other bytes for a stored address (another key order, spacing or a
      // different document) take the full path below and are judged as before.
      answerFromRawBody: async ({ params, principal, raw }) => {
        if (!principal || createHash('sha256').update(raw).digest('hex') !== params.contentHash) return undefined;
        const [existing] = await db.select({ courseId: packages.courseId, version: packages.version }).from(packages).where(and(eq(packages.tenantId, principal.tenantId), eq(packages.contentHash, params.contentHash)));
        return existing ? { status: 200, body: { contentHash: params.contentHash, courseId: existing.courseId, version: existing.version, created: false } } : undefined;
      },
      handler: async ({ params, body, principal, request, setStatus }) => {
        // The hash is of what was sent, not of what validation kept: a field the package format
        // does not define would otherwise vanish silently from a package its author hashed with it.
        const received = canonicalJson(request.body);
        if (canonicalJson(body) !== received) throw new ApiError('INVALID_INPUT', 'The package has fields the package format does not define; upload the document exactly as the studio froze it.');
        const sizeBytes = utf8Length(received);
        if (sizeBytes > MAX_PACKAGE_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `The package is ${sizeBytes} bytes; the server takes packages up to ${MAX_PACKAGE_BYTES} bytes.`);
        // canonicalJson(body) is `received` (checked above), so its hash is the hash of `received`.
        const actual = sha256Hex(received);
        if (actual !== params.contentHash) throw new ApiError('HASH_MISMATCH', `The package's content hash is ${actual}, not ${params.contentHash} as the address says; it changed on the way or was edited after freezing.`, { expected: params.contentHash, actual });
        const courseId = body.course.id;
        const outcome = await db.transaction(async (tx) => {
          // One publish per course at a time, so version numbers are handed out without gaps or races.
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${principal.tenantId}/${courseId}`}, 0))`);
          const [existing] = await tx.select({ courseId: packages.courseId, version: packages.version }).from(packages).where(and(eq(packages.tenantId, principal.tenantId), eq(packages.contentHash, actual)));
          if (existing) return { courseId: existing.courseId, version: existing.version, created: false };
          const [latest] = await tx.select({ version: sql<number>`coalesce(max(${packages.version}), 0)::int` }).from(packages).where(and(eq(packages.tenantId, principal.tenantId), eq(packages.courseId, courseId)));
          const version = (latest?.version ?? 0) + 1;
          await tx.insert(packages).values({ tenantId: principal.tenantId, contentHash: actual, courseId, version, title: body.course.title, document: sql`${received}::jsonb`, sizeBytes, publishedBy: actorOf(principal) });
          await recordAudit(tx as unknown as ServerDb, { tenantId: principal.tenantId, actor: actorOf(principal), action: 'package.published', entityType: 'package', entityId: actual, metadata: { courseId, version, sizeBytes } }, request.log);
          return { courseId, version, created: true };
        });
        if (!outcome.created) setStatus(200);
        return { contentHash: actual, ...outcome };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/courses/:courseId/releases',
      access: ['author', 'admin'],
      tag: 'publishing',
      summary: 'Make a published package the live version of its course (compare-and-swap on expectedCurrent; rollback is a release of an older hash)',
      params: CourseParams,
      body: ReleaseRequest,
      success: { status: 200, schema: Release },
      errors: ['NOT_FOUND', 'CONFLICT'],
      handler: async ({ params, body, principal, request }) => {
        const tenantId = principal.tenantId;
        return db.transaction(async (tx) => {
          const [target] = await tx.select({ version: packages.version }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.courseId, params.courseId), eq(packages.contentHash, body.contentHash)));
          if (!target) throw notFound(`A package ${body.contentHash} of course "${params.courseId}"`);
          const moved =
            body.expectedCurrent === null
              ? await tx.insert(releases).values({ tenantId, courseId: params.courseId, liveHash: body.contentHash, revision: 1, releasedBy: actorOf(principal) }).onConflictDoNothing().returning({ revision: releases.revision })
              : await tx
                  .update(releases)
                  .set({ liveHash: body.contentHash, revision: sql`${releases.revision} + 1`, releasedBy: actorOf(principal), releasedAt: sql`now()` })
                  .where(and(eq(releases.tenantId, tenantId), eq(releases.courseId, params.courseId), eq(releases.liveHash, body.expectedCurrent)))
                  .returning({ revision: releases.revision });
          if (!moved[0]) {
            const [current] = await tx.select({ liveHash: releases.liveHash }).from(releases).where(and(eq(releases.tenantId, tenantId), eq(releases.courseId, params.courseId)));
            const live = current?.liveHash ?? null;
            throw new ApiError('CONFLICT', `The live version of "${params.courseId}" is ${live ?? 'none (never released)'}, not ${body.expectedCurrent ?? 'none'} as this release expected; someone released since you looked. Reload and decide again.`, { current: live });
          }
          const [previous] = body.expectedCurrent ? await tx.select({ version: packages.version }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.contentHash, body.expectedCurrent))) : [];
          const rollback = previous !== undefined && target.version < previous.version;
          await recordAudit(tx as unknown as ServerDb, { tenantId, actor: actorOf(principal), action: rollback ? 'release.rolled_back' : 'release.made_live', entityType: 'course', entityId: params.courseId, metadata: { liveHash: body.contentHash, previousHash: body.expectedCurrent, version: target.version } }, request.log);
          return { courseId: params.courseId, liveHash: body.contentHash, previousHash: body.expectedCurrent, revision: moved[0].revision, version: target.version };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/courses',
      access: ['author', 'admin', 'analyst'],
      tag: 'publishing',
      summary: "The tenant's published courses, newest version and live hash of each",
      success: { status: 200, schema: CourseList },
      handler: async ({ principal }) => {
        const rows = await db
          .selectDistinctOn([packages.courseId], { courseId: packages.courseId, title: packages.title, latestVersion: packages.version, liveHash: releases.liveHash })
          .from(packages)
          .leftJoin(releases, and(eq(releases.tenantId, packages.tenantId), eq(releases.courseId, packages.courseId)))
          .where(eq(packages.tenantId, principal.tenantId))
          .orderBy(asc(packages.courseId), desc(packages.version));
        return rows;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/courses/:courseId',
      access: ['author', 'admin', 'analyst'],
      tag: 'publishing',
      summary: "A course's published versions, newest first, and which one is live",
      params: CourseParams,
      success: { status: 200, schema: CourseVersions },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const versions = await db
          .select({ version: packages.version, contentHash: packages.contentHash, title: packages.title, sizeBytes: packages.sizeBytes, publishedAt: packages.createdAt })
          .from(packages)
          .where(and(eq(packages.tenantId, principal.tenantId), eq(packages.courseId, params.courseId)))
          .orderBy(desc(packages.version));
        if (versions.length === 0) throw notFound(`Course "${params.courseId}"`);
        const [release] = await db.select({ liveHash: releases.liveHash }).from(releases).where(and(eq(releases.tenantId, principal.tenantId), eq(releases.courseId, params.courseId)));
        const liveHash = release?.liveHash ?? null;
        return { courseId: params.courseId, title: versions[0]!.title, liveHash, versions: versions.map((v) => ({ ...v, publishedAt: new Date(v.publishedAt).toISOString(), live: v.contentHash === liveHash })) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/courses/:courseId/:version',
      access: ['author', 'admin', 'analyst'],
      tag: 'publishing',
      summary: 'One published version of a course, with its package document',
      params: CourseVersionParams,
      success: { status: 200, schema: CourseVersionDocument },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const [row] = await db.select({ contentHash: packages.contentHash, document: packages.document }).from(packages).where(and(eq(packages.tenantId, principal.tenantId), eq(packages.courseId, params.courseId), eq(packages.version, params.version)));
        if (!row) throw notFound(`Version ${params.version} of course "${params.courseId}"`);
        return { courseId: params.courseId, version: params.version, contentHash: row.contentHash, document: row.document };
      },
    }),
  ];
}
