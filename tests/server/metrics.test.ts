import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { eventually, startTestServerWithJobs, type TestServerWithJobs } from './support/jobs.js';
import { asLearner, publishLive, signUpLearner } from './support/learning.js';

const pkg = samplePackage();

/** The value of one sample line in Prometheus text, 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...inside.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describeOnBothDatabases('GET /metrics: Prometheus text for admin and analyst keys', (target) => {
  let server: TestServerWithJobs;
  let tenant: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  const metrics = async (key: string) => {
    const response = await server.app.inject({ method: 'GET', url: '/metrics', headers: bearer(key) });
    expect(response.statusCode).toBe(200);
    return response.body;
  };
  beforeAll(async () => {
    server = await startTestServerWithJobs(await target.freshLocation());
    tenant = await server.tenantWithKeys('Metrics Academy');
    await publishLive(server, tenant.keys.author, pkg);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('admin and analyst keys read it as Prometheus text; author keys and learners are refused (403), no credentials 401', async () => {
    for (const key of [tenant.keys.admin, tenant.keys.analyst]) {
      const response = await server.app.inject({ method: 'GET', url: '/metrics', headers: bearer(key) });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toContain('# TYPE coursewright_http_requests_total counter');
    }
    expect((await server.app.inject({ method: 'GET', url: '/metrics', headers: bearer(tenant.keys.author) })).statusCode).toBe(403);
    const learner = await signUpLearner(server, tenant.id, 'max@metrics.example');
    expect((await asLearner(server, learner.token).get('/metrics')).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  it("a route's request count rises by the calls made, labelled by the route's pattern and status, never by the URL with its ids", async () => {
    const route = { method: 'GET', route: '/api/courses/:courseId', status: '200' };
    const missing = { ...route, status: '404' };
    const before = await metrics(tenant.keys.admin);
    for (let i = 0; i < 3; i++) expect((await server.app.inject({ method: 'GET', url: '/api/courses/course-sample', headers: bearer(tenant.keys.author) })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/courses/secret-course-id-41', headers: bearer(tenant.keys.author) })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/no/such/path/secret-token-77' })).statusCode).toBe(404);
    const after = await metrics(tenant.keys.admin);

    expect(sample(after, 'coursewright_http_requests_total', route) - sample(before, 'coursewright_http_requests_total', route)).toBe(3);
    expect(sample(after, 'coursewright_http_requests_total', missing) - sample(before, 'coursewright_http_requests_total', missing)).toBe(1);
    expect(sample(after, 'coursewright_http_request_duration_seconds_count', route) - sample(before, 'coursewright_http_request_duration_seconds_count', route)).toBe(3);
    expect(sample(after, 'coursewright_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBeGreaterThanOrEqual(1);
    for (const raw of ['course-sample', 'secret-course-id-41', 'secret-token-77', '/no/such/path']) expect(after).not.toContain(raw);
  });

  it('background jobs are counted by queue and state, with ids nowhere', async () => {
    const queued = await server.app.inject({ method: 'POST', url: '/api/courses/course-sample/versions/1/exports', headers: bearer(tenant.keys.author), payload: { format: 'html' } });
    const { jobId } = queued.json();
    await eventually('the export to complete', async () => ((await server.app.inject({ method: 'GET', url: `/api/exports/${jobId}`, headers: bearer(tenant.keys.author) })).json().state === 'completed' ? true : undefined));
    const text = await eventually('pg-boss to record the job as completed', async () => {
      const body = await metrics(tenant.keys.analyst);
      return sample(body, 'coursewright_jobs', { queue: 'package-exports', state: 'completed' }) >= 1 ? body : undefined;
    });
    expect(sample(text, 'coursewright_jobs', { queue: 'cleanup-expired', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(jobId);
    expect(sample(text, 'coursewright_http_requests_total', { method: 'GET', route: '/api/exports/:jobId', status: '200' })).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it(`reports the database pool (${target.kind === 'pglite' ? 'PGlite: one connection' : 'the pg pool'})`, async () => {
    const text = await metrics(tenant.keys.admin);
    const total = sample(text, 'coursewright_db_pool_connections', { database: target.kind });
    if (target.kind === 'pglite') expect(total).toBe(1);
    else expect(total).toBeGreaterThanOrEqual(1);
    for (const gauge of ['coursewright_db_pool_idle_connections', 'coursewright_db_pool_waiting_requests']) expect(text).toMatch(new RegExp(`^${gauge}\\{database="${target.kind}"\\} \\d+$`, 'm'));
  });

  it('answers on a database pg-boss never ran on, with no job counts', async () => {
    const bare = await startTestServer(await target.freshLocation());
    try {
      const { keys } = await bare.tenantWithKeys('No Jobs Academy');
      const response = await bare.app.inject({ method: 'GET', url: '/metrics', headers: bearer(keys.admin) });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('# TYPE coursewright_jobs gauge');
      expect(response.body).not.toMatch(/^coursewright_jobs\{/m);
    } finally {
      await bare.app.close();
    }
  }, 300_000);
});
