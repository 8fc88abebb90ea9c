import type { Clock, IdGenerator } from './ports.js';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids like `syl_4k9m2x7q1c0d`: a readable prefix naming the entity, then 60 random bits.
 * Short enough to type in a terminal, unique enough for one designer's lifetime of courses.
 */
export const randomIds: IdGenerator = {
  newId(prefix: string): string {
    const bytes = new Uint8Array(12);
    globalThis.crypto.getRandomValues(bytes);
    let suffix = '';
    for (const byte of bytes) suffix += alphabet[byte & 31];
    return `${prefix}_${suffix}`;
  },
};

export const systemClock: Clock = { now: () => new Date() };
