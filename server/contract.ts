import { z } from 'zod';

/**
 * The shapes of the hosted server's routes: the server validates with them, the OpenAPI document
 * is generated from them, and clients (the studio's sync, the learner player) import them.
 */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hexadecimal characters (SHA-256)');

export const Credentials = z.object({
  tenant: z.string().min(1).max(200).describe('The tenant id the institution gave you'),
  email: z.string().trim().toLowerCase().pipe(z.email('an email address like ana@example.org')).describe('Email address'),
  password: z.string().min(1).max(1024),
}).strict();
export const Signup = Credentials.extend({ password: z.string().min(10, 'a password of at least 10 characters').max(1024) }).strict();
export const SessionIssued = z.object({ token: z.string(), expiresAt: z.string() });
export const Me = z.object({ tenantId: z.string(), userId: z.string(), email: z.string() });

export const ContentHashParams = z.object({ contentHash: Sha256 }).strict();
export const PackagePublished = z.object({ contentHash: Sha256, courseId: z.string(), version: z.number().int(), created: z.boolean() });

export const CourseParams = z.object({ courseId: z.string().min(1).max(200) }).strict();
export const CourseVersionParams = CourseParams.extend({ version: z.coerce.number().int().min(1) }).strict();
export const ReleaseRequest = z.object({ contentHash: Sha256, expectedCurrent: Sha256.nullable().describe('The live hash you saw, or null for a course never released') }).strict();
export const Release = z.object({ courseId: z.string(), liveHash: Sha256, previousHash: Sha256.nullable(), revision: z.number().int(), version: z.number().int() });

export const CourseSummary = z.object({ courseId: z.string(), title: z.string(), latestVersion: z.number().int(), liveHash: Sha256.nullable() });
export const CourseList = z.array(CourseSummary);
export const CourseVersions = z.object({
  courseId: z.string(),
  title: z.string(),
  liveHash: Sha256.nullable(),
  versions: z.array(z.object({ version: z.number().int(), contentHash: Sha256, title: z.string(), sizeBytes: z.number().int(), publishedAt: z.string(), live: z.boolean() })),
});
export const CourseVersionDocument = z.object({ courseId: z.string(), version: z.number().int(), contentHash: Sha256, document: z.unknown() });

export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']) });
