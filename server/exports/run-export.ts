import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { exportPackage } from '../../core/export/index.js';
import type { PackageDocument } from '../../schemas/package.js';
import type { ServerDatabase, ServerDb } from '../db/connection.js';
import { exportFiles, exportJobs, packages } from '../db/schema.js';
import { recordAudit } from '../store/audit.js';
import { exportHost } from '../../node-common/export-assets.js';

/** What an export job carries: only ids; everything else is read from the database when it runs. */
export interface ExportJobData {
  tenantId: string;
  exportId: string;
}

/**
 * Runs one export: marks it active, exports the stored package with core's exporters, and stores
 * the file and the completed state in one transaction (so a file is never half there). A failure
 * is recorded on the row with its reason and the job ends normally: an export is a pure function
 * of the package, so running it again would fail the same way. A job found completed or failed
 * (a redelivery after an instance died at the very end) is left as it is.
 */
export async function runExportJob(database: ServerDatabase, data: ExportJobData, log: FastifyBaseLogger): Promise<void> {
  const db = database.db;
  const [job] = await db
    .update(exportJobs)
    .set({ state: 'active', startedAt: sql`now()` })
    .where(and(eq(exportJobs.tenantId, data.tenantId), eq(exportJobs.id, data.exportId), inArray(exportJobs.state, ['created', 'active'])))
    .returning();
  if (!job) return;
  try {
    const [stored] = await db
      .select({ document: packages.document, createdAt: packages.createdAt, sizeBytes: packages.sizeBytes })
      .from(packages)
      .where(and(eq(packages.tenantId, job.tenantId), eq(packages.contentHash, job.contentHash)));
    if (!stored) throw new Error(`package ${job.contentHash} is not stored for this tenant`);
    const file = await exportPackage(
      // The server's receipt time is the package's build time here: the same stored package exports to the same bytes.
      { id: job.contentHash, courseId: job.courseId, version: job.version, contentHash: job.contentHash, createdAt: new Date(stored.createdAt).toISOString(), document: stored.document as PackageDocument, sizeBytes: stored.sizeBytes },
      { format: job.format },
      exportHost(),
    );
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await db.transaction(async (tx) => {
      await tx.insert(exportFiles).values({ tenantId: job.tenantId, exportId: job.id, fileName: file.fileName, mediaType: file.mediaType, sizeBytes: bytes.length, sha256, bytes });
      await tx.update(exportJobs).set({ state: 'completed', finishedAt: sql`now()` }).where(and(eq(exportJobs.tenantId, job.tenantId), eq(exportJobs.id, job.id)));
      await recordAudit(tx as unknown as ServerDb, { tenantId: job.tenantId, actor: job.requestedBy, action: 'package.exported', entityType: 'export', entityId: job.id, metadata: { courseId: job.courseId, version: job.version, format: job.format, bytes: bytes.length, sha256 } }, log);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.error({ err: error, exportId: job.id }, 'export job failed');
    await db.transaction(async (tx) => {
      await tx.update(exportJobs).set({ state: 'failed', error: reason, finishedAt: sql`now()` }).where(and(eq(exportJobs.tenantId, job.tenantId), eq(exportJobs.id, job.id)));
      await recordAudit(tx as unknown as ServerDb, { tenantId: job.tenantId, actor: job.requestedBy, action: 'package.export_failed', entityType: 'export', entityId: job.id, metadata: { courseId: job.courseId, version: job.version, format: job.format, reason } }, log);
    });
  }
}
