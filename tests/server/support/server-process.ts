import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCoursewright } from '../../cli/run-cli.js';
import { hashPassword, newId, newSecret, secretHash, SESSION_TOKEN_PREFIX } from '../../../server/auth/secrets.js';
import type { PackageDocument } from '../../../schemas/package.js';

const bin = fileURLToPath(new URL('../../../bin/coursewright.mjs', import.meta.url));

/** A port nobody listens on right now, so a restarted server can come back at the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGKILL: the process gets no chance to finish anything; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `coursewright server start --database URL` as a real process, as an operator starts one
 * instance of several behind a load balancer; resolves once it prints the address it listens on.
 */
export function startServerProcess(databaseUrl: string, options: { port?: number } = {}): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-server-process-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--data', dataDir, 'server', 'start', '--database', databaseUrl, '--port', String(options.port ?? 0)], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let listening = false;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    void exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match && !listening) {
        listening = true;
        resolve({
          url: match[1]!,
          child,
          stderr: () => stderr,
          async kill9() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      if (!listening) reject(new Error(`coursewright server start exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/** A tenant and an author key made with the admin commands an operator uses, on the shared database. */
export async function tenantWithAuthorKey(databaseUrl: string, name: string): Promise<{ tenantId: string; authorKey: string }> {
  const tenant = await runCoursewright(['--json', 'server', 'tenant', 'create', name, '--database', databaseUrl]);
  if (tenant.code !== 0) throw new Error(`server tenant create failed: ${tenant.stderr}`);
  const tenantId = tenant.json().id as string;
  const key = await runCoursewright(['--json', 'server', 'key', 'create', '--tenant', tenantId, '--role', 'author', '--database', databaseUrl]);
  if (key.code !== 0) throw new Error(`server key create failed: ${key.stderr}`);
  return { tenantId, authorKey: key.json().key as string };
}

export interface HttpAnswer {
  status: number;
  body: any;
}

/**
 * Requests over keep-alive connections, as a browser keeps them: node:http with an agent that
 * reuses sockets, so a load test measures the server and not connection set-up. A socket error
 * (refused, reset) rejects; any HTTP status resolves.
 */
export function httpClient(options: { maxSockets?: number } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? Infinity });
  let connectionsOpened = 0;
  function request(method: string, url: string, token: string | null, payload?: unknown, timeoutMs = 30_000): Promise<HttpAnswer> {
    const body = payload === undefined ? undefined : Buffer.from(JSON.stringify(payload));
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method,
        agent,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) },
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${method} ${url} within ${timeoutMs} ms`)));
      req.once('socket', () => {
        if (!req.reusedSocket) connectionsOpened++;
      });
      req.once('error', reject);
      req.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON: the caller sees the text.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      });
      req.end(body);
    });
  }
  return {
    request,
    get: (url: string, token: string | null) => request('GET', url, token),
    post: (url: string, token: string | null, payload: unknown) => request('POST', url, token, payload),
    put: (url: string, token: string | null, payload: unknown) => request('PUT', url, token, payload),
    /** TCP connections this client has opened so far (a request that found no free kept-alive one opens one). */
    connectionsOpened: () => connectionsOpened,
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;

function expectStatus(answer: HttpAnswer, allowed: number[], what: string): HttpAnswer {
  if (!allowed.includes(answer.status)) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** Uploads a package and makes it live, through one server; the release's answer. */
export async function publishAndRelease(client: HttpClient, baseUrl: string, authorKey: string, pkg: { contentHash: string; document: PackageDocument }, expectedCurrent: string | null): Promise<HttpAnswer> {
  expectStatus(await client.put(`${baseUrl}/api/packages/${pkg.contentHash}`, authorKey, pkg.document), [200, 201], 'package upload');
  return client.post(`${baseUrl}/api/courses/${pkg.document.course.id}/releases`, authorKey, { contentHash: pkg.contentHash, expectedCurrent });
}

/** Signs a learner up through a server and enrols them in a free course; their session token. */
export async function enrolledLearner(client: HttpClient, baseUrl: string, tenantId: string, email: string, courseId: string): Promise<string> {
  const signup = expectStatus(await client.post(`${baseUrl}/api/auth/signup`, null, { tenant: tenantId, email, password: 'a long enough password' }), [201], `sign-up of ${email}`);
  const token = signup.body.token as string;
  expectStatus(await client.post(`${baseUrl}/api/learn/enroll`, token, { courseId }), [200, 201], `enrolment of ${email}`);
  return token;
}

/**
 * Many learners at once for load tests, written straight into the database: each sign-up through
 * the API runs scrypt (tens of milliseconds of CPU by design), which would make setting up 200
 * learners take minutes on a busy machine and measure nothing the load tests are about. The rows
 * are the ones sign-up and a free enrolment write (user, session, enrolment); the session tokens
 * work with the API like any other.
 */
export async function seedEnrolledLearners(databaseUrl: string, tenantId: string, courseId: string, count: number, emailPrefix: string): Promise<string[]> {
  const passwordHash = await hashPassword('a long enough password');
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const tokens: string[] = [];
    await sql.query('BEGIN');
    for (let n = 0; n < count; n++) {
      const userId = newId('usr');
      const token = newSecret(SESSION_TOKEN_PREFIX);
      await sql.query('INSERT INTO users (id, tenant_id, email, password_hash) VALUES ($1, $2, $3, $4)', [userId, tenantId, `${emailPrefix}${n}@load.example`, passwordHash]);
      await sql.query("INSERT INTO sessions (id, tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 day')", [newId('ses'), tenantId, userId, secretHash(token)]);
      await sql.query("INSERT INTO enrolments (tenant_id, user_id, course_id, via) VALUES ($1, $2, $3, 'free')", [tenantId, userId, courseId]);
      tokens.push(token);
    }
    await sql.query('COMMIT');
    return tokens;
  } finally {
    await sql.end();
  }
}

/** Runs fn over items with at most `limit` at a time; results in item order. */
export async function inBatches<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!, index);
      }
    }),
  );
  return results;
}
