import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connection.js';
import { apiKeys, tenants, type ApiKeyRole } from '../db/schema.js';
import { API_KEY_PREFIX, newId, newSecret, secretHash } from '../auth/secrets.js';
import { ApiError } from '../http/errors.js';
import { recordAudit } from './audit.js';

type Log = { error: (...args: never[]) => void };
const silentLog = { error: () => {} };

/** What the server's operator does from the command line: tenants and API keys. */
export async function createTenant(db: ServerDb, name: string, actor: string, log: Log = silentLog): Promise<{ id: string; name: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new ApiError('INVALID_INPUT', 'A tenant needs a name, for example "Acme Academy".');
  const id = newId('ten');
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(tenants).values({ id, name: trimmed }).onConflictDoNothing().returning({ id: tenants.id });
    if (inserted.length === 0) throw new ApiError('CONFLICT', `A tenant named "${trimmed}" already exists; pick another name.`);
    await recordAudit(tx as unknown as ServerDb, { tenantId: id, actor, action: 'tenant.created', entityType: 'tenant', entityId: id, metadata: { name: trimmed } }, log as never);
    return { id, name: trimmed };
  });
}

/** Creates a key; the returned `key` is the only time anyone sees it, only its hash is stored. */
export async function createApiKey(db: ServerDb, tenantId: string, role: ApiKeyRole, actor: string, log: Log = silentLog): Promise<{ id: string; key: string; tenantId: string; role: ApiKeyRole }> {
  return db.transaction(async (tx) => {
    const tenant = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    if (tenant.length === 0) throw new ApiError('NOT_FOUND', `No tenant has the id "${tenantId}"; \`coursewright server tenant create NAME\` prints the id of a new one.`);
    const id = newId('key');
    const key = newSecret(API_KEY_PREFIX);
    await tx.insert(apiKeys).values({ id, tenantId, role, keyHash: secretHash(key) });
    await recordAudit(tx as unknown as ServerDb, { tenantId, actor, action: 'api_key.created', entityType: 'api_key', entityId: id, metadata: { role } }, log as never);
    return { id, key, tenantId, role };
  });
}

export async function revokeApiKey(db: ServerDb, keyId: string, actor: string, log: Log = silentLog): Promise<{ id: string; revokedAt: string }> {
  return db.transaction(async (tx) => {
    const revoked = await tx.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id, tenantId: apiKeys.tenantId, revokedAt: apiKeys.revokedAt });
    const row = revoked[0];
    if (!row) {
      const existing = await tx.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, keyId));
      if (existing[0]) throw new ApiError('CONFLICT', `Key ${keyId} was already revoked at ${existing[0].revokedAt}.`);
      throw new ApiError('NOT_FOUND', `No API key has the id "${keyId}" (the id is printed with the key when it is created, e.g. key_…).`);
    }
    await recordAudit(tx as unknown as ServerDb, { tenantId: row.tenantId, actor, action: 'api_key.revoked', entityType: 'api_key', entityId: keyId }, log as never);
    return { id: row.id, revokedAt: row.revokedAt! };
  });
}
