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

/** scrypt's cost: N (a power of two), r and p. Stored with each hash, so it can be raised later. */
export interface PasswordHashCost {
  N: number;
  r: number;
  p: number;
}

/** N=2^15, r=8: 32 MiB and tens of milliseconds per guess. What every real server runs. */
export const PASSWORD_HASH_COST: PasswordHashCost = { N: 1 << 15, r: 8, p: 1 };

/**
 * The lowest cost a server accepts (N=2^10): for servers whose every account is a simulated
 * learner (tests, `coursewright demo --analytics`), where thousands of sign-ups at the real cost
 * would spend minutes hashing passwords nobody types.
 */
export const SIMULATED_LEARNERS_PASSWORD_HASH_COST: PasswordHashCost = { N: 1 << 10, r: 8, p: 1 };

const keyLength = 32;

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Refuses a cost below the floor or one scrypt cannot take, naming it. */
export function checkedPasswordHashCost(cost: PasswordHashCost): PasswordHashCost {
  const { N, r, p } = cost;
  // N below the floor is refused next, so N & (N − 1) only ever sees N ≥ 1024 here.
  const powerOfTwo = Number.isInteger(N) && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < SIMULATED_LEARNERS_PASSWORD_HASH_COST.N || !Number.isInteger(r) || r < 8 || !Number.isInteger(p) || p < 1) {
    throw new Error(`The password hash cost N=${N}, r=${r}, p=${p} is not allowed: N must be a power of two of at least ${SIMULATED_LEARNERS_PASSWORD_HASH_COST.N}, r at least 8 and p at least 1.`);
  }
  return cost;
}

export async function hashPassword(password: string, cost: PasswordHashCost = PASSWORD_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFC'), salt, keyLength, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
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
 * scrypt run as one with a wrong password (at the server's own cost) and timing does not tell
 * which accounts exist.
 */
export function unknownAccountPasswordHash(cost: PasswordHashCost): string {
  return ['scrypt', cost.N, cost.r, cost.p, randomBytes(16).toString('base64'), randomBytes(keyLength).toString('base64')].join('$');
}
