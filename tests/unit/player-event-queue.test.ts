import { describe, expect, it } from 'vitest';
import { createEventQueue, KEEPALIVE_BYTES, MAX_BATCH, outcomeOfStatus, type LearnerEvent, type SendOutcome } from '../../player/src/event-queue.js';
import { MAX_EVENTS_PER_BATCH } from '../../server/contract.js';

/** localStorage as the browser has it: strings in, strings out, shared by every queue on the same storage. */
function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

function recordingServer(answers: (SendOutcome | Error)[] = []) {
  const batches: { events: LearnerEvent[]; keepalive: boolean }[] = [];
  const stored = new Map<string, LearnerEvent>();
  return {
    batches,
    stored,
    async send(events: LearnerEvent[], options: { keepalive: boolean }): Promise<SendOutcome> {
      batches.push({ events, keepalive: options.keepalive });
      const answer = answers.shift() ?? 'accepted';
      if (answer instanceof Error) throw answer;
      if (answer === 'accepted') for (const event of events) stored.set(event.id, event);
      return answer;
    },
  };
}

let counter = 0;
const sequentialIds = () => `evt-${++counter}`;

describe('the player’s event queue', () => {
  it('sends at most the server’s batch size at a time, every event once', async () => {
    expect(MAX_BATCH).toBe(MAX_EVENTS_PER_BATCH);
    const server = recordingServer();
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: server.send, newId: sequentialIds });
    for (let i = 0; i < 1_201; i++) queue.record('heartbeat', 'course-a', { lessonIndex: i % 7 });
    expect(await queue.flush()).toBe(true);
    expect(server.batches.map((batch) => batch.events.length)).toEqual([500, 500, 201]);
    expect(server.stored.size).toBe(1_201);
    expect(queue.pending()).toEqual([]);
  });

  it('keeps what it could not send in storage: a new page on the same storage sends it with the same ids', async () => {
    const storage = memoryStorage();
    const offline = recordingServer([new TypeError('Failed to fetch')]);
    const before = createEventQueue({ storage, key: 'q', send: offline.send, newId: sequentialIds });
    const viewed = before.record('lesson_viewed', 'course-a', { lessonIndex: 2 });
    const attempted = before.record('quiz_attempted', 'course-a', { lessonIndex: 2, data: { score: 1 } });
    expect(await before.flush()).toBe(false);
    expect(offline.stored.size).toBe(0);

    // The reload: a new queue over the same storage.
    const online = recordingServer();
    const after = createEventQueue({ storage, key: 'q', send: online.send, newId: sequentialIds });
    expect(after.pending().map((event) => event.id)).toEqual([viewed.id, attempted.id]);
    expect(await after.flush()).toBe(true);
    expect([...online.stored.values()]).toEqual([viewed, attempted]);
    expect(after.pending()).toEqual([]);
  });

  it('after a failed send it resends the same events unchanged, and nothing twice once accepted', async () => {
    const server = recordingServer(['retry', 'accepted']);
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: server.send, newId: sequentialIds });
    queue.record('course_viewed', 'course-a');
    queue.record('lesson_viewed', 'course-a', { lessonIndex: 0 });
    expect(await queue.flush()).toBe(false);
    expect(queue.pending()).toHaveLength(2);
    expect(await queue.flush()).toBe(true);
    expect(server.batches[1]!.events).toEqual(server.batches[0]!.events);
    expect(await queue.flush()).toBe(true);
    expect(server.batches).toHaveLength(2);
  });

  it('keeps an event recorded while its batch is on the way', async () => {
    let release!: () => void;
    const storage = memoryStorage();
    const sent: string[][] = [];
    const queue = createEventQueue({
      storage,
      key: 'q',
      newId: sequentialIds,
      send: async (events) => {
        sent.push(events.map((event) => event.type));
        if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return 'accepted';
      },
    });
    queue.record('lesson_viewed', 'course-a', { lessonIndex: 0 });
    const flushing = queue.flush();
    await Promise.resolve();
    queue.record('lesson_completed', 'course-a', { lessonIndex: 0 });
    release();
    expect(await flushing).toBe(true);
    expect(sent).toEqual([['lesson_viewed'], ['lesson_completed']]);
    expect(queue.pending()).toEqual([]);
  });

  it('one background send at a time: a second flush while one runs shares it', async () => {
    const server = recordingServer();
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: server.send, newId: sequentialIds });
    queue.record('heartbeat', 'course-a', { lessonIndex: 0 });
    await Promise.all([queue.flush(), queue.flush(), queue.flush()]);
    expect(server.batches).toHaveLength(1);
  });

  it('as the page goes away it sends one keepalive request under the browser’s size limit, and keeps the rest', async () => {
    const server = recordingServer();
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: server.send, newId: sequentialIds });
    const padding = 'x'.repeat(400);
    for (let i = 0; i < 400; i++) queue.record('heartbeat', 'course-a', { lessonIndex: 1, data: { note: padding } });
    expect(await queue.flush({ keepalive: true })).toBe(false);
    expect(server.batches).toHaveLength(1);
    expect(server.batches[0]!.keepalive).toBe(true);
    expect(JSON.stringify({ events: server.batches[0]!.events }).length).toBeLessThanOrEqual(KEEPALIVE_BYTES);
    const remaining = queue.pending();
    expect(remaining.length).toBe(400 - server.batches[0]!.events.length);
    expect(remaining.length).toBeGreaterThan(0);
    // A background send afterwards carries the rest, ignoring the keepalive limit (up to 500 a batch).
    expect(await queue.flush()).toBe(true);
    expect(server.stored.size).toBe(400);
  });

  it('drops a batch the server refuses for good, so it cannot block the events after it; keeps one refused for now', async () => {
    expect(['200', '400', '404', '413', '422', '401', '403', '429', '500', '503'].map((status) => outcomeOfStatus(Number(status)))).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'retry', 'retry', 'retry', 'retry', 'retry']);
    const server = recordingServer(['rejected', 'accepted']);
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: server.send, newId: sequentialIds });
    queue.record('course_viewed', 'course-gone');
    expect(await queue.flush()).toBe(true);
    expect(queue.pending()).toEqual([]);
    queue.record('course_viewed', 'course-a');
    expect(await queue.flush()).toBe(true);
    expect([...server.stored.values()].map((event) => event.courseId)).toEqual(['course-a']);
  });

  it('gives each event a random UUID and the time it happened', () => {
    const queue = createEventQueue({ storage: memoryStorage(), key: 'q', send: async () => 'accepted', now: () => new Date('2026-03-01T09:30:00Z') });
    const first = queue.record('lesson_viewed', 'course-a', { lessonIndex: 4 });
    const second = queue.record('lesson_viewed', 'course-a', { lessonIndex: 4 });
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.id).not.toBe(first.id);
    expect(first).toMatchObject({ type: 'lesson_viewed', courseId: 'course-a', lessonIndex: 4, occurredAt: '2026-03-01T09:30:00.000Z' });
  });

  it('queues of two learners on one browser never mix', async () => {
    const storage = memoryStorage();
    const ana = recordingServer();
    const bo = recordingServer();
    createEventQueue({ storage, key: 'events.ana', send: ana.send, newId: sequentialIds }).record('course_viewed', 'course-a');
    const boQueue = createEventQueue({ storage, key: 'events.bo', send: bo.send, newId: sequentialIds });
    expect(await boQueue.flush()).toBe(true);
    expect(bo.batches).toHaveLength(0);
    expect(JSON.parse(storage.items.get('events.ana')!)).toHaveLength(1);
  });
});
