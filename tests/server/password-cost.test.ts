import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_HASH_COST, SIMULATED_LEARNERS_PASSWORD_HASH_COST, checkedPasswordHashCost, hashPassword, passwordMatches } from '../../server/auth/secrets.js';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase } from '../../server/db/connection.js';
import type { TestServer } from './support/app.js';
import { startAnalyticsServer } from './support/analytics.js';
import { describeOnBothDatabases } from './support/databases.js';

/**
 * A server built for simulated learners hashes their passwords at the floor cost (N=1024) and
 * still signs them in; a cost below the floor stops the server from being built at all.
 * (The real cost, N=32768, is what auth.test.ts checks on the default server.)
 */
describeOnBothDatabases('the password hash cost of a server for simulated learners', (target) => {
  let server: TestServer;
  let tenantId: string;
  beforeAll(async () => {
    server = await startAnalyticsServer(await target.freshLocation());
    tenantId = (await server.tenantWithKeys('Simulated Academy')).id;
  }, 300_000);
  afterAll(() => server?.app.close());

  it('stores N=1024 with each hash, signs the learner in with the right password and refuses a wrong one', async () => {
    const payload = { tenant: tenantId, email: 'sim@example.org', password: 'simulated password' };
    expect((await server.app.inject({ method: 'POST', url: '/api/auth/signup', payload })).statusCode).toBe(201);
    const [row] = await server.database.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'sim@example.org'");
    expect(row!.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect((await server.app.inject({ method: 'POST', url: '/api/auth/login', payload })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...payload, password: 'simulated passwort' } })).statusCode).toBe(401);
  });

  it('a server asked for a cost below the floor is not built, and says why', async () => {
    const database = await openServerDatabase(await target.freshLocation());
    try {
      await expect(buildServerApp({ database, passwordHashCost: { N: 512, r: 8, p: 1 } })).rejects.toThrow('The password hash cost N=512, r=8, p=1 is not allowed');
    } finally {
      await database.close();
    }
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
    [{ N: 1000, r: 8, p: 1 }, 'not a power of two'],
    [{ N: 1024.5, r: 8, p: 1 }, 'not a whole number'],
    [{ N: 1024, r: 7, p: 1 }, 'r below 8'],
    [{ N: 1024, r: 8, p: 0 }, 'p below 1'],
    [{ N: 1024, r: 8.5, p: 1 }, 'r not whole'],
    [{ N: 1024, r: 8, p: 1.5 }, 'p not whole'],
  ])('refuses %o (%s), naming the cost and the rule', (cost) => {
    expect(() => checkedPasswordHashCost(cost)).toThrow(`The password hash cost N=${cost.N}, r=${cost.r}, p=${cost.p} is not allowed: N must be a power of two of at least 1024, r at least 8 and p at least 1.`);
  });
});
