import { sql } from 'drizzle-orm';
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
        // The batch travels as one JSON parameter the database unpacks, not as a VALUES row of 8
        // parameters per event: building, sending and binding 800 parameters took about a third
        // more CPU in both the server and PostgreSQL (tests/bench/server-ingest.ts).
        // A field left out (no lessonIndex, no data) is SQL NULL, as before; JSON null would store a jsonb null.
        const rows = JSON.stringify(events.map((event) => ({ id: event.id, type: event.type, course_id: event.courseId, lesson_index: event.lessonIndex, occurred_at: event.occurredAt, data: event.data })));
        // One round trip: the same statement checks the courses and inserts. Events name courses of
        // the learner's own tenant; if any names one of another tenant's, or a made-up one, nothing
        // is inserted and the answer lists the courses that are not there (the refusal below names
        // the first event that has one).
        const result = await db.execute(sql`
          WITH batch AS (
            SELECT e.* FROM jsonb_to_recordset(${rows}::jsonb) AS e(id text, type text, course_id text, lesson_index integer, occurred_at timestamptz, data jsonb)
          ),
          unknown AS (
            SELECT array_agg(DISTINCT b.course_id) AS course_ids FROM batch b
            WHERE NOT EXISTS (SELECT 1 FROM ${packages} p WHERE p.tenant_id = ${learner.tenantId} AND p.course_id = b.course_id)
          ),
          inserted AS (
            INSERT INTO ${analyticsEvents} (tenant_id, id, user_id, type, course_id, lesson_index, occurred_at, data)
            SELECT ${learner.tenantId}, b.id, ${learner.userId}, b.type, b.course_id, b.lesson_index, b.occurred_at, b.data
            FROM batch b
            WHERE (SELECT course_ids FROM unknown) IS NULL
            ON CONFLICT (tenant_id, id) DO NOTHING
            RETURNING 1
          )
          SELECT (SELECT course_ids FROM unknown) AS unknown_course_ids, (SELECT count(*) FROM inserted)::int AS stored`);
        const [answer] = (result as unknown as { rows: Array<{ unknown_course_ids: string[] | null; stored: number }> }).rows;
        if (answer!.unknown_course_ids) {
          const unknown = new Set(answer!.unknown_course_ids);
          const unknownIndex = events.findIndex((event) => unknown.has(event.courseId));
          throw new ApiError('NOT_FOUND', `events[${unknownIndex}].courseId: course "${events[unknownIndex]!.courseId}" was not found; nothing in this batch was stored.`, { index: unknownIndex });
        }
        const stored = Number(answer!.stored);
        return { received: events.length, stored, duplicates: events.length - stored };
      },
    }),
  ];
}
