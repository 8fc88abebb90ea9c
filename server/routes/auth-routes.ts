import { and, eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { hashPassword, newId, newSecret, passwordMatches, secretHash, SESSION_TOKEN_PREFIX, unknownAccountPasswordHash, type PasswordHashCost } from '../auth/secrets.js';
import { Credentials, Me, SessionIssued, Signup } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { sessions, tenants, users } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { defineRoute, type RouteDefinition } from '../http/routes.js';

const SESSION_DAYS = 14;

/**
 * Login attempts per client address and email, per minute. The counter lives in this process
 * (@fastify/rate-limit's memory store): behind a load balancer with N instances an attacker gets
 * at most N × 10 tries a minute, which scrypt's cost still makes slow. A store shared through
 * the database replaces it when that bound is not enough.
 */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;

async function issueSession(db: ServerDb, reply: FastifyReply, tenantId: string, userId: string, secureCookie: boolean) {
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.insert(sessions).values({ id: newId('ses'), tenantId, userId, tokenHash: secretHash(token), expiresAt: expiresAt.toISOString() });
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookie, expires: expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

export function authRoutes(db: ServerDb, options: { secureCookie: boolean; passwordHashCost: PasswordHashCost }): RouteDefinition[] {
  const unknownAccount = unknownAccountPasswordHash(options.passwordHashCost);
  return [
    defineRoute({
      method: 'POST',
      url: '/api/auth/signup',
      access: 'public',
      tag: 'auth',
      summary: 'Create a learner account in a tenant and sign in',
      body: Signup,
      success: { status: 201, schema: SessionIssued },
      errors: ['NOT_FOUND', 'CONFLICT'],
      handler: async ({ body, reply }) => {
        const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, body.tenant));
        if (!tenant) throw new ApiError('NOT_FOUND', `No tenant has the id "${body.tenant}"; ask your institution for its tenant id.`);
        const userId = newId('usr');
        const inserted = await db.insert(users).values({ id: userId, tenantId: tenant.id, email: body.email, passwordHash: await hashPassword(body.password, options.passwordHashCost) }).onConflictDoNothing().returning({ id: users.id });
        if (inserted.length === 0) throw new ApiError('CONFLICT', 'An account with this email already exists here; sign in instead.');
        return issueSession(db, reply, tenant.id, userId, options.secureCookie);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/login',
      access: 'public',
      tag: 'auth',
      summary: `Sign in; at most ${LOGIN_ATTEMPTS_PER_MINUTE} attempts a minute per address and email (per server instance)`,
      body: Credentials,
      success: { status: 200, schema: SessionIssued },
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
      config: {
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request: { ip: string; body?: unknown }) => {
            const email = (request.body as { email?: unknown } | undefined)?.email;
            return `login|${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
          },
        },
      },
      handler: async ({ body, reply }) => {
        const [user] = await db.select({ id: users.id, tenantId: users.tenantId, passwordHash: users.passwordHash }).from(users).where(and(eq(users.tenantId, body.tenant), eq(users.email, body.email)));
        const matches = await passwordMatches(body.password, user?.passwordHash ?? unknownAccount);
        if (!user || !matches) throw new ApiError('UNAUTHENTICATED', 'The email or the password is wrong.');
        return issueSession(db, reply, user.tenantId, user.id, options.secureCookie);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/logout',
      access: 'learner',
      tag: 'auth',
      summary: 'End this session (its token stops working everywhere)',
      success: { status: 204, schema: z.null() },
      handler: async ({ principal, reply }) => {
        if (principal.role === 'learner') await db.delete(sessions).where(and(eq(sessions.tenantId, principal.tenantId), eq(sessions.id, principal.sessionId)));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return null;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/auth/me',
      access: 'learner',
      tag: 'auth',
      summary: 'The signed-in learner',
      success: { status: 200, schema: Me },
      handler: async ({ principal }) => {
        if (principal.role !== 'learner') throw new ApiError('FORBIDDEN', 'Only a signed-in learner has a profile.');
        const [user] = await db.select({ email: users.email }).from(users).where(and(eq(users.tenantId, principal.tenantId), eq(users.id, principal.userId)));
        if (!user) throw new ApiError('UNAUTHENTICATED', 'This account no longer exists; sign in again.');
        return { tenantId: principal.tenantId, userId: principal.userId, email: user.email };
      },
    }),
  ];
}
