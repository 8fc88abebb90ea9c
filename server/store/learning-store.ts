import { and, eq, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connection.js';
import { enrolments, grants, packages, products, purchases, releases } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';
import type { Principal } from '../http/routes.js';

export type Learner = Extract<Principal, { role: 'learner' }>;

/** Learner routes admit only sessions; this narrows the principal the access rule already checked. */
export function learnerOf(principal: Principal): Learner {
  if (principal.role !== 'learner') throw new ApiError('FORBIDDEN', 'This is for signed-in learners; API keys cannot act as one.');
  return principal;
}

export interface LiveCourse {
  courseId: string;
  liveHash: string;
  version: number;
  /** How the learner enrolled, or null when they have not. */
  enrolledVia: 'free' | 'purchase' | 'grant' | null;
}

/**
 * The live package of a course in the learner's tenant and whether they are enrolled, in one
 * query. A course of another tenant, or one never released, is "not found" either way.
 */
export async function liveCourse(db: ServerDb, learner: Learner, courseId: string): Promise<LiveCourse> {
  const [row] = await liveCourseLookupOf(db).execute({ tenantId: learner.tenantId, userId: learner.userId, courseId });
  if (!row) throw notFound(`Course "${courseId}"`);
  return { courseId, liveHash: row.liveHash, version: row.version, enrolledVia: row.enrolledVia ?? null };
}

/** Every lesson fetch, progress report and quiz attempt runs this lookup: a named prepared statement (see server/auth/authenticate.ts). */
function prepareLiveCourseLookup(db: ServerDb) {
  return db
    .select({ liveHash: releases.liveHash, version: packages.version, enrolledVia: enrolments.via })
    .from(releases)
    .innerJoin(packages, and(eq(packages.tenantId, releases.tenantId), eq(packages.contentHash, releases.liveHash)))
    .leftJoin(enrolments, and(eq(enrolments.tenantId, releases.tenantId), eq(enrolments.courseId, releases.courseId), eq(enrolments.userId, sql.placeholder('userId'))))
    .where(and(eq(releases.tenantId, sql.placeholder('tenantId')), eq(releases.courseId, sql.placeholder('courseId'))))
    .prepare('cw_live_course_of_learner');
}
const liveCourseLookups = new WeakMap<ServerDb, ReturnType<typeof prepareLiveCourseLookup>>();

function liveCourseLookupOf(db: ServerDb): ReturnType<typeof prepareLiveCourseLookup> {
  let lookup = liveCourseLookups.get(db);
  if (!lookup) liveCourseLookups.set(db, (lookup = prepareLiveCourseLookup(db)));
  return lookup;
}

/** Lessons, progress and quizzes are for enrolled learners; the course's existence is no secret to its own tenant. */
export async function enrolledCourse(db: ServerDb, learner: Learner, courseId: string): Promise<LiveCourse> {
  const course = await liveCourse(db, learner, courseId);
  if (!course.enrolledVia) throw new ApiError('FORBIDDEN', `Enrol in course "${courseId}" first (POST /api/learn/enroll with its courseId).`);
  return course;
}

export interface CourseProduct {
  productId: string;
  priceCents: number;
  currency: string;
  active: boolean;
}

export type CourseAccess = 'enrolled' | 'free' | 'owned' | 'for_sale' | 'not_for_sale';

/**
 * Who may enrol: a course with no product, or an active product at price 0, is free; a paid or
 * inactive one needs a purchase or a grant. An inactive product is off sale, not free: people
 * who bought it or were granted it keep their way in, nobody new may buy.
 */
export function accessOf(product: CourseProduct | null, owned: boolean, enrolled: boolean): CourseAccess {
  if (enrolled) return 'enrolled';
  if (owned) return 'owned';
  if (!product || (product.active && product.priceCents === 0)) return 'free';
  return product.active ? 'for_sale' : 'not_for_sale';
}

/** SQL: the learner bought (paid) or was granted this course. Both sides name the tenant. */
export function ownsCourseSql(tenantId: string, userId: string, courseId: unknown) {
  return sql<boolean>`(exists (select 1 from ${purchases} where ${purchases.tenantId} = ${tenantId} and ${purchases.userId} = ${userId} and ${purchases.courseId} = ${courseId} and ${purchases.status} = 'paid') or exists (select 1 from ${grants} where ${grants.tenantId} = ${tenantId} and ${grants.userId} = ${userId} and ${grants.courseId} = ${courseId}))`;
}

export async function productOfCourse(db: ServerDb, tenantId: string, courseId: string): Promise<CourseProduct | null> {
  const [row] = await db.select({ productId: products.id, priceCents: products.priceCents, currency: products.currency, active: products.active }).from(products).where(and(eq(products.tenantId, tenantId), eq(products.courseId, courseId)));
  return row ?? null;
}
