import { and, eq, inArray } from 'drizzle-orm';
import { EventBatch, EventsAccepted, MAX_EVENTS_PER_BATCH } from '../contract.js';
import type { ServerDb } from '../db/connection.js';
import { analyticsEvents, packages } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { defineRoute, type RouteDefinition } from '../http/routes.js';
import { learnerOf } from '../store/learning-store.js';

/** 500 events with a little data each fit well inside this; a larger body is refused with 413 before it is parsed. */
export const MAX_EVENT_BATCH_BYTES = 1024 * 1024;

/**
 * Learner events as the player sends them, in batches. A batch is stored with one multi-row
 * INSERT … ON CONFLICT DO NOTHING on (tenant, event id), so a batch resent after a lost answer
 * stores nothing twice, two instances receiving the same batch store it once, and the answer
 * says how many events were new. Nothing about a batch is kept in the process; no rate limit
 * applies beyond the session and the batch bounds (a per-process counter would let N instances
 * take N times as much and protect nothing the database does not already bound).
 */
export function eventRoutes(db: ServerDb): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/analytics/event',
      access: 'learner',
      tag: 'analytics',
      summary: `Record a batch of 1 to ${MAX_EVENTS_PER_BATCH} learner events; idempotent by event id (a resent event is counted as a duplicate, not stored again)`,
      body: EventBatch,
      bodyLimit: MAX_EVENT_BATCH_BYTES,
      success: { status: 200, schema: EventsAccepted },
      errors: ['NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
      handler: async ({ body, principal }) => {
        const learner = learnerOf(principal);
        const { events } = body;
        if (events.length > MAX_EVENTS_PER_BATCH) throw new ApiError('PAYLOAD_TOO_LARGE', `A batch holds at most ${MAX_EVENTS_PER_BATCH} events and this one has ${events.length}; send them in several batches.`, { maxEvents: MAX_EVENTS_PER_BATCH, received: events.length });
        // Events name courses of the learner's own tenant; one of another tenant's, or a made-up
        // one, is refused like any course that is not there (and names the first event that has it).
        const courseIds = [...new Set(events.map((event) => event.courseId))];
        const known = new Set((await db.selectDistinct({ courseId: packages.courseId }).from(packages).where(and(eq(packages.tenantId, learner.tenantId), inArray(packages.courseId, courseIds)))).map((row) => row.courseId));
        const unknownIndex = events.findIndex((event) => !known.has(event.courseId));
        if (unknownIndex >= 0) throw new ApiError('NOT_FOUND', `events[${unknownIndex}].courseId: course "${events[unknownIndex]!.courseId}" was not found; nothing in this batch was stored.`, { index: unknownIndex });
        const stored = await db
          .insert(analyticsEvents)
          .values(events.map((event) => ({ tenantId: learner.tenantId, id: event.id, userId: learner.userId, type: event.type, courseId: event.courseId, lessonIndex: event.lessonIndex ?? null, occurredAt: event.occurredAt, data: event.data ?? null })))
          .onConflictDoNothing({ target: [analyticsEvents.tenantId, analyticsEvents.id] })
          .returning({ id: analyticsEvents.id });
        return { received: events.length, stored: stored.length, duplicates: events.length - stored.length };
      },
    }),
  ];
}
