import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Two values
 * that mean the same serialise to the same bytes, which is what content hashes rely on.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeysDeep(member);
    }
    return sorted;
  }
  return value;
}

type Sha256Hex = (text: string) => string;

/** Portable default; a Node host swaps in its native implementation (see host/native-hash.ts). */
let sha256Implementation: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

export function useSha256Implementation(implementation: Sha256Hex): void {
  sha256Implementation = implementation;
}

export function sha256Hex(text: string): string {
  return sha256Implementation(text);
}

/** SHA-256 of the canonical JSON: the identity of an approved artifact. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
