import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';

const sessionCookie = (setCookie: string | string[] | undefined) => [setCookie].flat().find((c) => c?.startsWith('cw_session='));

describeOnBothDatabases('learner sign-up, sign-in and sign-out', (target) => {
  let server: TestServer;
  let tenantId: string;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    tenantId = (await server.tenantWithKeys('Auth Academy')).id;
  }, 300_000);
  afterAll(() => server?.app.close());

  const signup = (email: string, password: string) => server.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { tenant: tenantId, email, password } });
  const login = (email: string, password: string, ip = '10.0.0.1') => server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { tenant: tenantId, email, password } });
  const me = (headers: Record<string, string>) => server.app.inject({ method: 'GET', url: '/api/auth/me', headers });

  it('signs up, then signs in with a token and an httpOnly SameSite=Lax cookie that both work', async () => {
    const created = await signup('Ana@Example.org', 'correct horse battery');
    expect(created.statusCode).toBe(201);
    const loggedIn = await login('ana@example.org', 'correct horse battery');
    expect(loggedIn.statusCode).toBe(200);
    const { token } = loggedIn.json();
    expect(token).toMatch(/^cws_/);
    const cookie = sessionCookie(loggedIn.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain(`cw_session=${token}`);

    const viaBearer = await me(bearer(token));
    expect(viaBearer.statusCode).toBe(200);
    expect(viaBearer.json()).toMatchObject({ tenantId, email: 'ana@example.org' });
    const viaCookie = await me({ cookie: `cw_session=${token}` });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.json().email).toBe('ana@example.org');
  });

  it('refuses a wrong password and an unknown email with the same 401, and a second account for one email with 409', async () => {
    const wrong = await login('ana@example.org', 'wrong horse battery');
    const unknown = await login('nobody@example.org', 'correct horse battery');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await signup('ana@example.org', 'another long password')).statusCode).toBe(409);
    expect((await signup('short@example.org', 'short')).statusCode).toBe(400);
  });

  it('stores the password only as a salted scrypt hash, different for two people with the same password', async () => {
    await signup('ben@example.org', 'correct horse battery');
    const rows = await server.database.query<{ email: string; password_hash: string }>("SELECT email, password_hash FROM users WHERE email IN ('ana@example.org', 'ben@example.org') ORDER BY email");
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.password_hash).not.toContain('correct horse');
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it('logout ends the session for the cookie and the bearer alike; another session stays', async () => {
    const kept = (await login('ana@example.org', 'correct horse battery')).json().token;
    const ended = (await login('ana@example.org', 'correct horse battery')).json().token;
    const out = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `cw_session=${ended}` } });
    expect(out.statusCode).toBe(204);
    expect((await me(bearer(ended))).statusCode).toBe(401);
    expect((await me({ cookie: `cw_session=${ended}` })).statusCode).toBe(401);
    expect((await me(bearer(kept))).statusCode).toBe(200);
  });

  it('a cookie-authenticated write from another site is refused; the same write with the bearer token is allowed', async () => {
    const token = (await login('ana@example.org', 'correct horse battery')).json().token;
    const crossSite = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `cw_session=${token}`, origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(403);
    expect((await me(bearer(token))).statusCode).toBe(200);
    const sameSite = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `cw_session=${token}`, origin: 'http://localhost:80', host: 'localhost:80' } });
    expect(sameSite.statusCode).toBe(204);
  });

  it('limits sign-in to 10 attempts a minute per address and email (429 with Retry-After); another email is not held back', async () => {
    for (let attempt = 0; attempt < 10; attempt++) expect((await login('ben@example.org', 'wrong password!', '10.0.0.9')).statusCode).toBe(401);
    const limited = await login('ben@example.org', 'correct horse battery', '10.0.0.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('ana@example.org', 'correct horse battery', '10.0.0.9')).statusCode).toBe(200);
  });
});
