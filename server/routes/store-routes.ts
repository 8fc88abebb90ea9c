import { createHash } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { canonicalJson } from '../../core/hash.js';
import { newId } from '../auth/secrets.js';
import { Grant, GrantRequest, Product, ProductList, ProductRequest, Purchase, PurchaseRequest } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { grants, packages, products, purchases, releases, users } from '../db/schema.js';
import { ApiError, notFound } from '../http/errors.js';
import { actorOf, defineRoute, type RouteDefinition } from '../http/routes.js';
import { manualPaymentProvider, type PaymentProvider } from '../payments/port.js';
import { recordAudit } from '../store/audit.js';
import { learnerOf } from '../store/learning-store.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const iso = (timestamp: string) => new Date(timestamp).toISOString();

/**
 * Purchase attempts per learner per minute. The counter lives in this process
 * (@fastify/rate-limit's memory store), so behind N instances a learner gets at most N × this;
 * that bound is enough, because every purchase is idempotent per key and a course already bought
 * is refused, so the limit only slows a runaway client. Everything else the store decides on
 * (products, purchases, idempotency keys, grants) is in the shared database.
 */
export const PURCHASES_PER_MINUTE = 20;

/** Idempotency-Key: what clients send, e.g. a UUID; printable ASCII without spaces, as in the IETF draft's examples. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

type PurchaseRow = typeof purchases.$inferSelect;

function purchaseAnswer(row: PurchaseRow) {
  if (row.status === 'declined') throw new ApiError('PAYMENT_REQUIRED', `The payment was declined: ${row.declineReason ?? 'no reason given'}. Nothing was charged; try again with another Idempotency-Key.`, { purchaseId: row.id, productId: row.productId });
  return { purchaseId: row.id, productId: row.productId, courseId: row.courseId, amountCents: row.amountCents, currency: row.currency, status: 'paid' as const, provider: row.provider, providerReference: row.providerReference, purchasedAt: iso(row.createdAt) };
}

/** The latest title of each course the tenant published, for product lists. */
const courseTitleSql = sql<string>`(select ${packages.title} from ${packages} where ${packages.tenantId} = ${products.tenantId} and ${packages.courseId} = ${products.courseId} order by ${packages.version} desc limit 1)`;

/**
 * The store: products (what a course costs), purchases through a payment port, and grants (access
 * an admin gives without payment). Purchases, grants and product changes are audited.
 */
export function storeRoutes(db: ServerDb, options: { payments?: PaymentProvider } = {}): RouteDefinition[] {
  const payments = options.payments ?? manualPaymentProvider;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/store/products',
      access: ['learner', 'admin'],
      tag: 'store',
      summary: 'Products on sale for live courses (an admin key also sees products off sale and of courses not live)',
      success: { status: 200, schema: ProductList },
      handler: async ({ principal }) => {
        const base = db
          .select({ productId: products.id, courseId: products.courseId, courseTitle: courseTitleSql, priceCents: products.priceCents, currency: products.currency, active: products.active })
          .from(products)
          .leftJoin(releases, and(eq(releases.tenantId, products.tenantId), eq(releases.courseId, products.courseId)));
        const rows =
          principal.role === 'admin'
            ? await base.where(eq(products.tenantId, principal.tenantId)).orderBy(asc(products.courseId))
            : await base.where(and(eq(products.tenantId, principal.tenantId), eq(products.active, true), sql`${releases.liveHash} is not null`)).orderBy(asc(products.courseId));
        return rows;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/store/purchase',
      access: 'learner',
      tag: 'store',
      summary: `Buy a course's product. Requires an Idempotency-Key header: the same key with the same body answers as the first time and charges nothing more; with another body it is refused (422). At most ${PURCHASES_PER_MINUTE} a minute per learner (per server instance)`,
      body: PurchaseRequest,
      success: { status: 201, schema: Purchase },
      errors: ['NOT_FOUND', 'CONFLICT', 'PAYMENT_REQUIRED', 'IDEMPOTENCY_KEY_REUSED', 'RATE_LIMITED'],
      config: { rateLimit: { max: PURCHASES_PER_MINUTE, timeWindow: 60_000, keyGenerator: (request: { ip: string; principal?: { userId?: string } | null }) => `purchase|${request.principal?.userId ?? request.ip}` } },
      handler: async ({ body, principal, request, reply }) => {
        const learner = learnerOf(principal);
        const idempotencyKey = request.headers['idempotency-key'];
        if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
          throw new ApiError('INVALID_INPUT', 'A purchase needs an Idempotency-Key header: a new random value (a UUID) for each purchase, sent again unchanged only when retrying that same purchase.');
        }
        const requestHash = sha256(canonicalJson(body));
        const idempotencyReference = sha256(`${learner.tenantId}\u0000${learner.userId}\u0000${idempotencyKey}`);
        const row = await db.transaction(async (tx) => {
          // One purchase per learner at a time: two clicks, two tabs or a retry racing the first
          // request queue here, so the second finds the first's row instead of charging again.
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`purchase/${learner.tenantId}/${learner.userId}`}, 0))`);
          const [previous] = await tx.select().from(purchases).where(and(eq(purchases.tenantId, learner.tenantId), eq(purchases.userId, learner.userId), eq(purchases.idempotencyKey, idempotencyKey)));
          if (previous) {
            if (previous.requestHash !== requestHash) throw new ApiError('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used for another purchase (product ${previous.productId}); use a new key for a new purchase.`);
            reply.header('idempotent-replayed', 'true');
            return previous;
          }
          const [product] = await tx
            .select({ id: products.id, courseId: products.courseId, priceCents: products.priceCents, currency: products.currency })
            .from(products)
            .innerJoin(releases, and(eq(releases.tenantId, products.tenantId), eq(releases.courseId, products.courseId)))
            .where(and(eq(products.tenantId, learner.tenantId), eq(products.id, body.productId), eq(products.active, true)));
          if (!product) throw notFound(`Product "${body.productId}" (on sale)`);
          const [owned] = await tx.select({ createdAt: purchases.createdAt }).from(purchases).where(and(eq(purchases.tenantId, learner.tenantId), eq(purchases.userId, learner.userId), eq(purchases.courseId, product.courseId), eq(purchases.status, 'paid'))).limit(1);
          if (owned) throw new ApiError('CONFLICT', `You bought course "${product.courseId}" on ${iso(owned.createdAt).slice(0, 10)}; enrol in it instead of buying it again.`);
          const purchaseId = newId('pur');
          const outcome = await payments.charge({ tenantId: learner.tenantId, userId: learner.userId, purchaseId, productId: product.id, courseId: product.courseId, amountCents: product.priceCents, currency: product.currency, idempotencyReference });
          const [stored] = await tx
            .insert(purchases)
            .values({
              tenantId: learner.tenantId,
              id: purchaseId,
              userId: learner.userId,
              productId: product.id,
              courseId: product.courseId,
              amountCents: product.priceCents,
              currency: product.currency,
              provider: payments.name,
              providerReference: outcome.reference,
              status: outcome.status,
              declineReason: outcome.status === 'declined' ? outcome.reason : null,
              idempotencyKey,
              requestHash,
            })
            .returning();
          await recordAudit(tx as unknown as ServerDb, { tenantId: learner.tenantId, actor: actorOf(learner), action: outcome.status === 'paid' ? 'purchase.paid' : 'purchase.declined', entityType: 'purchase', entityId: purchaseId, metadata: { productId: product.id, courseId: product.courseId, amountCents: product.priceCents, currency: product.currency, provider: payments.name } }, request.log);
          return stored!;
        });
        // A declined payment is stored (so its retry answers the same) and then refused.
        return purchaseAnswer(row);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/admin/products',
      access: 'admin',
      tag: 'store',
      summary: "Set a course's price and whether it is on sale (201 a new product, 200 a changed one); a price of 0 on sale makes the course free",
      body: ProductRequest,
      success: { status: 201, schema: Product },
      errors: ['NOT_FOUND'],
      handler: async ({ body, principal, request, setStatus }) => {
        const tenantId = principal.tenantId;
        return db.transaction(async (tx) => {
          const [course] = await tx.select({ title: packages.title }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.courseId, body.courseId))).orderBy(desc(packages.version)).limit(1);
          if (!course) throw notFound(`Course "${body.courseId}" (publish a package of it first)`);
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`product/${tenantId}/${body.courseId}`}, 0))`);
          const [before] = await tx.select().from(products).where(and(eq(products.tenantId, tenantId), eq(products.courseId, body.courseId)));
          const values = { priceCents: body.priceCents, currency: body.currency, active: body.active };
          const [after] = before
            ? await tx.update(products).set({ ...values, updatedAt: sql`now()` }).where(and(eq(products.tenantId, tenantId), eq(products.id, before.id))).returning()
            : await tx.insert(products).values({ tenantId, id: newId('prd'), courseId: body.courseId, ...values }).returning();
          await recordAudit(
            tx as unknown as ServerDb,
            { tenantId, actor: actorOf(principal), action: before ? 'product.updated' : 'product.created', entityType: 'product', entityId: after!.id, metadata: { courseId: body.courseId, ...values, ...(before ? { before: { priceCents: before.priceCents, currency: before.currency, active: before.active } } : {}) } },
            request.log,
          );
          if (before) setStatus(200);
          return { productId: after!.id, courseId: body.courseId, courseTitle: course.title, ...values };
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/admin/grants',
      access: 'admin',
      tag: 'store',
      summary: 'Give a learner (by email or userId) access to a course without payment (201 granted now, 200 already granted)',
      body: GrantRequest,
      success: { status: 201, schema: Grant },
      errors: ['NOT_FOUND'],
      handler: async ({ body, principal, request, setStatus }) => {
        const tenantId = principal.tenantId;
        return db.transaction(async (tx) => {
          const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), body.email !== undefined ? eq(users.email, body.email) : eq(users.id, body.userId!)));
          if (!user) throw notFound(body.email !== undefined ? `A learner with the email ${body.email} in this tenant` : `Learner "${body.userId}" in this tenant`);
          const [course] = await tx.select({ courseId: packages.courseId }).from(packages).where(and(eq(packages.tenantId, tenantId), eq(packages.courseId, body.courseId))).limit(1);
          if (!course) throw notFound(`Course "${body.courseId}"`);
          const inserted = await tx.insert(grants).values({ tenantId, id: newId('grt'), userId: user.id, courseId: body.courseId, grantedBy: actorOf(principal) }).onConflictDoNothing().returning();
          const row = inserted[0] ?? (await tx.select().from(grants).where(and(eq(grants.tenantId, tenantId), eq(grants.userId, user.id), eq(grants.courseId, body.courseId))))[0]!;
          if (inserted[0]) await recordAudit(tx as unknown as ServerDb, { tenantId, actor: actorOf(principal), action: 'grant.created', entityType: 'grant', entityId: row.id, metadata: { userId: user.id, courseId: body.courseId } }, request.log);
          else setStatus(200);
          return { grantId: row.id, userId: row.userId, courseId: row.courseId, grantedAt: iso(row.createdAt), created: inserted.length > 0 };
        });
      },
    }),
  ];
}
