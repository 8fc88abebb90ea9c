import type { FastifyBaseLogger } from 'fastify';
import type { ServerDb } from '../db/connection.js';
import { auditLog } from '../db/schema.js';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  metadata?: Record<string, unknown>;
}

/**
 * Writes an audit row inside the caller's transaction, under a savepoint: when the action
 * commits, its audit row commits with it; when only the audit insert fails, the savepoint rolls
 * back, the failure is logged, and the action still goes through (audit never blocks the action).
 */
export async function recordAudit(tx: ServerDb, entry: AuditEntry, log: Pick<FastifyBaseLogger, 'error'>): Promise<void> {
  try {
    await tx.transaction(async (savepoint) => {
      await savepoint.insert(auditLog).values({ ...entry, metadata: entry.metadata ?? {} });
    });
  } catch (error) {
    log.error({ err: error, audit: entry }, 'audit row could not be written; the action went through');
  }
}
