import { createHash } from 'node:crypto';
import { useSha256Implementation } from '../core/hash.js';

/**
 * Node's native SHA-256 is an order of magnitude faster than the portable one on a 300 KB
 * syllabus; both produce the same digest (tests/unit/hash.test.ts pins that).
 */
export function useNativeSha256(): void {
  useSha256Implementation((text) => createHash('sha256').update(text, 'utf8').digest('hex'));
}

useNativeSha256();
