import type { ModelCallRecord } from '../../schemas/ledger.js';

/** A usage-ledger row with the id people quote ("ledger #12"). */
export type LedgerEntry = ModelCallRecord & { id: number };

/**
 * The reads lineage needs that no other port offers (db/lineage-store.ts): ledger rows with their
 * ids. Everything else lineage reads through the ordinary repositories.
 */
export interface LineageRepository {
  /** Calls for one course whose purpose is one of those given, made at or before `until`, oldest first. */
  modelCalls(filter: { courseId: string; purposes: string[]; until: string }): LedgerEntry[];
}
