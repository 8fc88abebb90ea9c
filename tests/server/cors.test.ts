import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerApp } from '../../server/app.js';
import { openServerDatabase } from '../../server/db/connection.js';
import { describeOnBothDatabases } from './support/databases.js';

const allowed = 'https://learn.example.org';
const unknown = 'https://elsewhere.example.com';
const preflight = (origin: string) => ({ method: 'OPTIONS' as const, url: '/api/auth/login', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

describeOnBothDatabases('CORS: closed unless an origin is configured', (target) => {
  describe('with https://learn.example.org configured', () => {
    let app: Awaited<ReturnType<typeof buildServerApp>>;
    beforeAll(async () => {
      app = await buildServerApp({ database: await openServerDatabase(await target.freshLocation()), corsOrigins: [allowed] });
    }, 300_000);
    afterAll(() => app?.close());

    it('the configured origin gets Access-Control-Allow-Origin on requests and preflights', async () => {
      const response = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: allowed } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(allowed);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      const answer = await app.inject(preflight(allowed));
      expect(answer.statusCode).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(allowed);
      expect(String(answer.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(answer.headers['access-control-allow-headers'])).toContain('authorization');
    });

    it('another origin gets no CORS header, on requests or preflights', async () => {
      const response = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: unknown } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const answer = await app.inject(preflight(unknown));
      // Without Access-Control-Allow-Origin naming it, a browser refuses the page the answer.
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('with no origin configured (the default)', () => {
    let app: Awaited<ReturnType<typeof buildServerApp>>;
    beforeAll(async () => {
      app = await buildServerApp({ database: await openServerDatabase(await target.freshLocation()) });
    }, 300_000);
    afterAll(() => app?.close());

    it('no origin gets a CORS header, not even one that would be allowed elsewhere; preflights find nothing', async () => {
      for (const origin of [allowed, unknown]) {
        expect((await app.inject({ method: 'GET', url: '/healthz', headers: { origin } })).headers['access-control-allow-origin']).toBeUndefined();
        const answer = await app.inject(preflight(origin));
        expect(answer.statusCode).toBe(404);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      }
    });
  });
});
