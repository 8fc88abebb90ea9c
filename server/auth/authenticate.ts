import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { ServerDb } from '../db/connection.js';
import { apiKeys, sessions } from '../db/schema.js';
import type { Principal } from '../http/routes.js';
import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX, secretHash } from './secrets.js';

export const SESSION_COOKIE = 'cw_session';

/**
 * Every authenticated request runs one of these two lookups, so each is a named prepared statement:
 * PostgreSQL parses and plans it once per connection, and drizzle builds its SQL once per process
 * instead of once per request. They still read the database every time: a revoked key or an ended
 * session stops working on every instance at once.
 */
function prepareLookups(db: ServerDb) {
  return {
    apiKey: db
      .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, role: apiKeys.role })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, sql.placeholder('keyHash')), isNull(apiKeys.revokedAt)))
      .prepare('cw_api_key_by_hash'),
    session: db
      .select({ id: sessions.id, tenantId: sessions.tenantId, userId: sessions.userId })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql`now()`)))
      .prepare('cw_session_by_token_hash'),
  };
}
const lookupsByDatabase = new WeakMap<ServerDb, ReturnType<typeof prepareLookups>>();

function lookupsOf(db: ServerDb): ReturnType<typeof prepareLookups> {
  let lookups = lookupsByDatabase.get(db);
  if (!lookups) lookupsByDatabase.set(db, (lookups = prepareLookups(db)));
  return lookups;
}

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
    const [key] = await lookupsOf(db).apiKey.execute({ keyHash: secretHash(credential) });
    return key ? { role: key.role, tenantId: key.tenantId, keyId: key.id, via: 'bearer' } : null;
  }
  if (credential.startsWith(SESSION_TOKEN_PREFIX)) {
    const [session] = await lookupsOf(db).session.execute({ tokenHash: secretHash(credential) });
    return session ? { role: 'learner', tenantId: session.tenantId, userId: session.userId, sessionId: session.id, via } : null;
  }
  return null;
}
