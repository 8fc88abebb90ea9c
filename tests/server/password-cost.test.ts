import { afterAll, beforeAll, expect, it } from 'vitest';
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
