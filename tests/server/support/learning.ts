import { expect } from 'vitest';
import type { PackageDocument } from '../../../schemas/package.js';
import { bearer, type TestServer } from './app.js';

/** Uploads a package with an author key and makes it the live version of its course. */
export async function publishLive(server: TestServer, authorKey: string, pkg: { contentHash: string; document: PackageDocument }, expectedCurrent: string | null = null): Promise<void> {
  expect((await server.app.inject({ method: 'PUT', url: `/api/packages/${pkg.contentHash}`, headers: bearer(authorKey), payload: pkg.document })).statusCode).toBeLessThan(300);
  const release = await server.app.inject({ method: 'POST', url: `/api/courses/${pkg.document.course.id}/releases`, headers: bearer(authorKey), payload: { contentHash: pkg.contentHash, expectedCurrent } });
  expect(release.statusCode, release.body).toBe(200);
}

/** Signs a new learner up in a tenant; their session token. */
export async function signUpLearner(server: TestServer, tenantId: string, email: string): Promise<{ token: string; userId: string }> {
  const signup = await server.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { tenant: tenantId, email, password: 'a long enough password' } });
  expect(signup.statusCode, signup.body).toBe(201);
  const token = signup.json().token as string;
  const me = await server.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
  return { token, userId: me.json().userId as string };
}

/** The course's lessons in learner order (module by module), straight from the package document. */
export function lessonsInOrder(document: PackageDocument) {
  return document.modules.flatMap((module) => module.lessons);
}

/** A learner request as the player makes it: bearer session, JSON body. */
export function asLearner(server: TestServer, token: string) {
  return {
    get: (url: string) => server.app.inject({ method: 'GET', url, headers: bearer(token) }),
    post: (url: string, payload: object, headers: Record<string, string> = {}) => server.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...headers }, payload }),
  };
}

/** The same package under another course id (a second course), with its own content hash. */
export async function asCourse(pkg: { document: PackageDocument }, courseId: string, title: string): Promise<{ contentHash: string; document: PackageDocument }> {
  const { contentHash } = await import('../../../core/hash.js');
  const document = structuredClone(pkg.document);
  document.course.id = courseId;
  document.course.title = title;
  return { contentHash: contentHash(document), document };
}
