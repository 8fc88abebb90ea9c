/**
 * How the server takes payment for a course. The store calls `charge` inside the purchase's
 * database transaction, at most once per (tenant, learner, Idempotency-Key); a provider that
 * talks to a payment service must pass `idempotencyReference` on as that service's own
 * idempotency key, so a retry after a crash between the charge and the commit never charges twice.
 */
export interface PaymentRequest {
  tenantId: string;
  userId: string;
  purchaseId: string;
  productId: string;
  courseId: string;
  amountCents: number;
  currency: string;
  /** Stable across retries of one purchase: derived from the tenant, the learner and their Idempotency-Key. */
  idempotencyReference: string;
}

export type PaymentOutcome = { status: 'paid'; reference: string } | { status: 'declined'; reference: string; reason: string };

export interface PaymentProvider {
  /** Stored with every purchase, e.g. "manual". */
  readonly name: string;
  charge(request: PaymentRequest): Promise<PaymentOutcome>;
}

/**
 * The built-in provider: records the purchase as paid at once, without moving money. For
 * institutions that invoice outside the server, and for tests; admins give access without any
 * purchase through grants.
 */
export const manualPaymentProvider: PaymentProvider = {
  name: 'manual',
  charge: async (request) => ({ status: 'paid', reference: `manual:${request.idempotencyReference}` }),
};
