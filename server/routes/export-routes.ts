import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CourseVersionParams, ExportJobParams, ExportJobQueued, ExportJobRequest, ExportJobStatus } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { exportFiles, exportJobs, packages } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';
import { actorOf, defineRoute, type RouteDefinition } from '../http/routes.js';
import { EXPORT_FILE_RETENTION_DAYS, type BackgroundJobs } from '../jobs/background-jobs.js';
import { recordAudit } from '../store/audit.js';

/** Exports one requester (an API key, or a learner were they ever allowed) may start per window. */
export const EXPORTS_PER_WINDOW = 3;
export const EXPORT_WINDOW_SECONDS = 10 * 60;

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Export jobs. The rate limit is counted in the database, not in the process: the export_jobs rows
 * the requester created in the last ten minutes, counted and inserted under a transaction-level
 * advisory lock on (tenant, requester), so every instance behind a load balancer sees the same
 * count and two requests at once cannot both take the last slot.
 */
export function exportRoutes(db: ServerDb, jobs: BackgroundJobs | undefined): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/courses/:courseId/versions/:version/exports',
      access: ['author', 'admin'],
      tag: 'exports',
      summary: `Export a published version to a file in the background (pdf, html, scorm12, scorm2004, imscc); ${EXPORTS_PER_WINDOW} per ${EXPORT_WINDOW_SECONDS / 60} minutes per key, counted across all instances`,
      params: CourseVersionParams,
      body: ExportJobRequest,
      success: { status: 202, schema: ExportJobQueued },
      errors: ['NOT_FOUND', 'RATE_LIMITED', 'NOT_READY'],
      handler: async ({ params, body, principal, request, reply }) => {
        if (!jobs) throw new ApiError('NOT_READY', 'Background jobs are not running on this server, so it cannot export now; try again once it has started fully.');
        const tenantId = principal.tenantId;
        const requester = actorOf(principal);
        const [pkg] = await db.select({ contentHash: packages.contentHash }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.courseId, params.courseId), eq(packages.version, params.version)));
        if (!pkg) throw notFound(`Version ${params.version} of course "${params.courseId}"`);
        const exportId = randomUUID();
        const outcome = await db.transaction(async (tx) => {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`export-rate/${tenantId}/${requester}`}, 0))`);
          const recent = await tx
            .select({ createdAt: exportJobs.createdAt, waitSeconds: sql<number>`ceil(extract(epoch from (${exportJobs.createdAt} + make_interval(secs => ${EXPORT_WINDOW_SECONDS}) - now())))::int` })
            .from(exportJobs)
            .where(and(eq(exportJobs.tenantId, tenantId), eq(exportJobs.requestedBy, requester), gt(exportJobs.createdAt, sql`now() - make_interval(secs => ${EXPORT_WINDOW_SECONDS})`)))
            .orderBy(asc(exportJobs.createdAt));
          if (recent.length >= EXPORTS_PER_WINDOW) {
            // The window frees a slot when the oldest export in it is ten minutes old.
            return { limited: Math.max(1, recent[recent.length - EXPORTS_PER_WINDOW]!.waitSeconds) };
          }
          await tx.insert(exportJobs).values({ tenantId, id: exportId, requestedBy: requester, courseId: params.courseId, version: params.version, contentHash: pkg.contentHash, format: body.format, state: 'created' });
          await recordAudit(tx as unknown as ServerDb, { tenantId, actor: requester, action: 'package.export_requested', entityType: 'export', entityId: exportId, metadata: { courseId: params.courseId, version: params.version, format: body.format } }, request.log);
          return { limited: null };
        });
        if (outcome.limited !== null) {
          reply.header('retry-after', String(outcome.limited));
          throw new ApiError('RATE_LIMITED', `You have started ${EXPORTS_PER_WINDOW} exports in the last ${EXPORT_WINDOW_SECONDS / 60} minutes, the most a key may; try again in ${outcome.limited} seconds.`, { retryAfterSeconds: outcome.limited });
        }
        try {
          await jobs.enqueueExport({ tenantId, exportId });
        } catch (error) {
          await db.update(exportJobs).set({ state: 'failed', error: 'The job queue did not accept the export.', finishedAt: sql`now()` }).where(and(eq(exportJobs.tenantId, tenantId), eq(exportJobs.id, exportId)));
          throw error;
        }
        reply.header('location', `/api/exports/${exportId}`);
        return { jobId: exportId, state: 'created' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/exports/:jobId',
      access: ['author', 'admin'],
      tag: 'exports',
      summary: 'Where an export job stands (created, active, completed, failed) and, once completed, its file',
      params: ExportJobParams,
      success: { status: 200, schema: ExportJobStatus },
      errors: ['NOT_FOUND'],
      handler: async ({ params, principal }) => {
        const [row] = await db
          .select({ job: exportJobs, file: { fileName: exportFiles.fileName, mediaType: exportFiles.mediaType, sizeBytes: exportFiles.sizeBytes, sha256: exportFiles.sha256 } })
          .from(exportJobs)
          .leftJoin(exportFiles, and(eq(exportFiles.tenantId, exportJobs.tenantId), eq(exportFiles.exportId, exportJobs.id)))
          .where(and(eq(exportJobs.tenantId, principal.tenantId), eq(exportJobs.id, params.jobId)));
        if (!row) throw notFound(`Export job ${params.jobId}`);
        const { job, file } = row;
        return {
          jobId: job.id,
          state: job.state,
          courseId: job.courseId,
          version: job.version,
          contentHash: job.contentHash,
          format: job.format,
          requestedAt: iso(job.createdAt)!,
          startedAt: iso(job.startedAt),
          finishedAt: iso(job.finishedAt),
          error: job.error,
          file: file ? { ...file, url: `/api/exports/${job.id}/file` } : null,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/exports/:jobId/file',
      access: ['author', 'admin'],
      tag: 'exports',
      summary: `Download a completed export (application/zip or application/pdf); kept ${EXPORT_FILE_RETENTION_DAYS} days`,
      params: ExportJobParams,
      success: { status: 200, schema: z.unknown().describe('The file itself, not JSON') },
      errors: ['NOT_FOUND', 'CONFLICT'],
      handler: async ({ params, principal, reply }) => {
        const [job] = await db.select({ state: exportJobs.state, error: exportJobs.error }).from(exportJobs).where(and(eq(exportJobs.tenantId, principal.tenantId), eq(exportJobs.id, params.jobId)));
        if (!job) throw notFound(`Export job ${params.jobId}`);
        if (job.state === 'failed') throw new ApiError('CONFLICT', `This export failed, so there is no file: ${job.error ?? 'no reason was recorded'}. Request a new export.`);
        if (job.state !== 'completed') throw new ApiError('CONFLICT', `This export is ${job.state === 'created' ? 'waiting to start' : 'running'}; ask GET /api/exports/${params.jobId} until it is completed, then download.`);
        const [file] = await db.select().from(exportFiles).where(and(eq(exportFiles.tenantId, principal.tenantId), eq(exportFiles.exportId, params.jobId)));
        if (!file) throw new ApiError('NOT_FOUND', `The file of export ${params.jobId} was removed ${EXPORT_FILE_RETENTION_DAYS} days after it was made; request a new export.`);
        const asciiName = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
        reply
          .header('content-type', file.mediaType)
          .header('content-length', String(file.bytes.length))
          .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
          .header('x-content-sha256', file.sha256)
          .code(200)
          .send(file.bytes);
        return undefined;
      },
    }),
  ];
}
