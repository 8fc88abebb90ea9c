import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, PASSWORD_HASH_COST, SESSION_TOKEN_PREFIX, SIMULATED_LEARNERS_PASSWORD_HASH_COST, checkedPasswordHashCost, hashPassword, newId, newSecret, passwordMatches, secretHash, unknownAccountPasswordHash } from '../../server/auth/secrets.js';

/** A stored password hash made the way the server's format describes it, by node's scrypt directly (not by the code under test). */
function storedHash(password: string, cost: { N: number; r: number; p: number }, salt = Buffer.alloc(16, 7)): string {
  const hash = scryptSync(password, salt, 32, { ...cost, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

describe('secrets the server hands out', () => {
  it('API keys and session tokens carry their prefix and 256 random bits (43 base64url characters), never the same twice', () => {
    expect(API_KEY_PREFIX).toBe('cwk_');
    expect(SESSION_TOKEN_PREFIX).toBe('cws_');
    const key = newSecret('cwk_');
    expect(key).toMatch(/^cwk_[A-Za-z0-9_-]{43}$/);
    expect(newSecret('cws_')).toMatch(/^cws_[A-Za-z0-9_-]{43}$/);
    expect(newSecret('cwk_')).not.toBe(key);
  });

  it('ids are the prefix, an underscore and 96 random bits (16 base64url characters)', () => {
    const id = newId('ten');
    expect(id).toMatch(/^ten_[A-Za-z0-9_-]{16}$/);
    expect(newId('ten')).not.toBe(id);
  });

  it('a secret is stored as the hex SHA-256 of its UTF-8 bytes', () => {
    // Published SHA-256 test vector ("abc"), and a non-ASCII secret hashed from its UTF-8 bytes.
    expect(secretHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(secretHash('\u00e9')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});

describe('passwords', () => {
  it('are stored as scrypt N=32768 r=8 p=1 with a 16-byte salt and a 32-byte hash; two hashes of one password differ', async () => {
    const first = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toContain('correct horse');
    expect(await hashPassword('correct horse battery')).not.toBe(first);
    expect(await passwordMatches('correct horse battery', first)).toBe(true);
    expect(await passwordMatches('correct horse batterY', first)).toBe(false);
  });

  it('match a hash made elsewhere with the same scheme, reading its cost from the stored value', async () => {
    expect(await passwordMatches('lower cost password', storedHash('lower cost password', { N: 1024, r: 8, p: 1 }))).toBe(true);
    expect(await passwordMatches('lower cost password', storedHash('another password', { N: 1024, r: 8, p: 1 }))).toBe(false);
    expect(await passwordMatches('two lanes', storedHash('two lanes', { N: 1024, r: 4, p: 2 }))).toBe(true);
  });

  it('the same word typed composed or decomposed (é as one or two code points) is the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait');
    expect(await passwordMatches('cafe\u0301 au lait', stored)).toBe(true);
    expect(await passwordMatches('cafe au lait', stored)).toBe(false);
    expect(await passwordMatches('caf\u00e9 au lait', storedHash('cafe\u0301 au lait'.normalize('NFC'), { N: 1024, r: 8, p: 1 }))).toBe(true);
  });

  it('a stored value of another scheme, or missing its salt or hash, or with a hash of another length, matches nothing', async () => {
    const good = storedHash('pw of mine', { N: 1024, r: 8, p: 1 });
    const [, n, r, p, salt, hash] = good.split('$');
    expect(await passwordMatches('pw of mine', ['bcrypt', n, r, p, salt, hash].join('$'))).toBe(false);
    expect(await passwordMatches('pw of mine', ['scrypt', n, r, p, '', hash].join('$'))).toBe(false);
    expect(await passwordMatches('pw of mine', ['scrypt', n, r, p, salt].join('$'))).toBe(false);
    expect(await passwordMatches('pw of mine', ['scrypt', n, r, p, salt, ''].join('$'))).toBe(false);
    // The stored hash cut to 16 bytes: scrypt then derives 16 bytes, which are the first 16 of the real hash, so it matches.
    const short = Buffer.from(hash!, 'base64').subarray(0, 16).toString('base64');
    expect(await passwordMatches('pw of mine', ['scrypt', n, r, p, salt, short].join('$'))).toBe(true);
    expect(await passwordMatches('not mine', ['scrypt', n, r, p, salt, short].join('$'))).toBe(false);
  });

  it('the stand-in hash for unknown accounts has the format and the cost of the server it is made for, and no password matches it', async () => {
    const stand = unknownAccountPasswordHash(PASSWORD_HASH_COST);
    expect(stand).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await passwordMatches('', stand)).toBe(false);
    expect(await passwordMatches('correct horse battery', stand)).toBe(false);
    expect(unknownAccountPasswordHash({ N: 2048, r: 8, p: 1 })).toMatch(/^scrypt\$2048\$8\$1\$/);
  });
});

describe('passwords of simulated learners', () => {
  it('are hashed at a lower cost only when asked, and that cost is stored with the hash', async () => {
    expect(SIMULATED_LEARNERS_PASSWORD_HASH_COST).toEqual({ N: 1024, r: 8, p: 1 });
    const cheap = await hashPassword('simulated learner', SIMULATED_LEARNERS_PASSWORD_HASH_COST);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await passwordMatches('simulated learner', cheap)).toBe(true);
    expect(await passwordMatches('simulated learnex', cheap)).toBe(false);
  });
});

describe('the password hash cost a server may be given', () => {
  it('allows the real cost, the simulated learners\' floor and anything stronger', () => {
    expect(PASSWORD_HASH_COST).toEqual({ N: 32768, r: 8, p: 1 });
    for (const cost of [PASSWORD_HASH_COST, SIMULATED_LEARNERS_PASSWORD_HASH_COST, { N: 65536, r: 8, p: 1 }, { N: 1024, r: 16, p: 2 }]) expect(checkedPasswordHashCost(cost)).toEqual(cost);
  });

  it.each([
    [{ N: 512, r: 8, p: 1 }, 'below the floor'],
    [{ N: 1536, r: 8, p: 1 }, 'above the floor but not a power of two'],
    [{ N: 0, r: 8, p: 1 }, 'zero'],
    [{ N: 1024.5, r: 8, p: 1 }, 'not a whole number'],
    [{ N: 1024, r: 7, p: 1 }, 'r below 8'],
    [{ N: 1024, r: 8, p: 0 }, 'p below 1'],
    [{ N: 1024, r: 8.5, p: 1 }, 'r not whole'],
    [{ N: 1024, r: 8, p: 1.5 }, 'p not whole'],
  ])('refuses %o (%s), naming the cost and the rule', (cost) => {
    expect(() => checkedPasswordHashCost(cost)).toThrow(`The password hash cost N=${cost.N}, r=${cost.r}, p=${cost.p} is not allowed: N must be a power of two of at least 1024, r at least 8 and p at least 1.`);
  });
});
