import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { ServerDb } from '../db/connection.js';
import { apiKeys, sessions } from '../db/schema.js';
import type { Principal } from '../http/routes.js';
import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX, secretHash } from './secrets.js';

export const SESSION_COOKIE = 'cw_session';

/**
 * Who sent the request: an API key or a session token as `Authorization: Bearer …`, or a
 * session token in the cookie. A bearer credential wins over the cookie. Null when there is
 * none, or it is unknown, revoked or expired (the caller answers 401 without saying which).
 */
export async function authenticate(db: ServerDb, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  const cookie = request.cookies?.[SESSION_COOKIE];
  const credential = bearer ?? cookie;
  if (!credential) return null;
  const via = bearer ? 'bearer' : 'cookie';
  if (credential.startsWith(API_KEY_PREFIX)) {
    if (via !== 'bearer') return null;
    const [key] = await db.select({ id: apiKeys.id, tenantId: apiKeys.tenantId, role: apiKeys.role }).from(apiKeys).where(and(eq(apiKeys.keyHash, secretHash(credential)), isNull(apiKeys.revokedAt)));
    return key ? { role: key.role, tenantId: key.tenantId, keyId: key.id, via: 'bearer' } : null;
  }
  if (credential.startsWith(SESSION_TOKEN_PREFIX)) {
    const [session] = await db.select({ id: sessions.id, tenantId: sessions.tenantId, userId: sessions.userId }).from(sessions).where(and(eq(sessions.tokenHash, secretHash(credential)), gt(sessions.expiresAt, sql`now()`)));
    return session ? { role: 'learner', tenantId: session.tenantId, userId: session.userId, sessionId: session.id, via } : null;
  }
  return null;
}
