import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Secrets the server hands out (API keys, session tokens) carry 256 random bits, so a plain
 * SHA-256 of them is safe to store and look up: nobody can guess a preimage. Passwords are
 * chosen by people and need a slow, memory-hard hash with a salt of their own: scrypt.
 */
export const API_KEY_PREFIX = 'cwk_';
export const SESSION_TOKEN_PREFIX = 'cws_';

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** N=2^15, r=8: 32 MiB and tens of milliseconds per guess; stored with each hash, so it can be raised later. */
const scryptCost = { N: 1 << 15, r: 8, p: 1 };
const keyLength = 32;

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFC'), salt, keyLength, scryptCost);
  return ['scrypt', scryptCost.N, scryptCost.r, scryptCost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Checked against when the email is unknown, so a login for a missing account costs the same
 * scrypt run as one with a wrong password and timing does not tell which accounts exist.
 */
export const unknownAccountPasswordHash = ['scrypt', scryptCost.N, scryptCost.r, scryptCost.p, randomBytes(16).toString('base64'), randomBytes(keyLength).toString('base64')].join('$');
