import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL 15 cluster for tests: its own data folder in a fresh temporary folder, its own port
 * on 127.0.0.1 and its unix socket inside that folder, so it never meets a system PostgreSQL.
 * A test run shares one such cluster between its files, each on databases of its own
 * (tests/server/support/shared-postgres.ts); a file that stops or restarts PostgreSQL starts a
 * private one (startPostgresCluster). PostgreSQL refuses to run as root, so under
 * root the cluster runs as the unprivileged `nobody` account (through runuser).
 */
const binDir = process.env.COURSEWRIGHT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function whyPostgresIsUnavailable(): string | null {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!fs.existsSync(path.join(binDir, tool))) return `PostgreSQL 15 is not installed (${path.join(binDir, tool)} is missing; install Debian's postgresql-15 package)`;
  }
  if (isRoot && spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status !== 0) return 'tests run as root and runuser is missing, so PostgreSQL cannot be started as an unprivileged user';
  return null;
}

/** Why the PostgreSQL half of the server tests is skipped, or null when it runs. */
export const postgresUnavailable: string | null = whyPostgresIsUnavailable();

function asClusterOwner(tool: string, args: string[]): string {
  const file = path.join(binDir, tool);
  return isRoot ? execFileSync('runuser', ['-u', 'nobody', '--', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) : execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface PostgresCluster {
  port: number;
  /** A new, empty database on this cluster; its connection URL. */
  createDatabase(): Promise<string>;
  /** Stops a cluster this file started; on the run's shared cluster, drops the databases this file created instead. */
  stop(): void | Promise<void>;
}

/** Where a running cluster lives: enough for another process to use it or to stop it. */
export interface PostgresClusterPlace {
  port: number;
  /** The cluster's temporary folder (data, log and unix socket), removed when it stops. */
  folder: string;
}

/**
 * Creates and starts a cluster in a fresh temporary folder. Durability settings are off: a test
 * cluster is thrown away, and fsync costs seconds per file. `maxConnections` is per cluster, so a
 * cluster several test files share needs room for all of their pools at once. `parent` must be
 * a folder the cluster's account can pass through.
 */
export async function initPostgresCluster(maxConnections = 60, parent = os.tmpdir()): Promise<PostgresClusterPlace> {
  if (postgresUnavailable) throw new Error(postgresUnavailable);
  const folder = fs.mkdtempSync(path.join(parent, 'coursewright-pg-'));
  if (isRoot) execFileSync('chown', ['nobody', folder]);
  const dataDir = path.join(folder, 'data');
  const port = await freePort();
  asClusterOwner('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const settings = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${folder}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', `-c max_connections=${maxConnections}`].join(' ');
  asClusterOwner('pg_ctl', ['-D', dataDir, '-l', path.join(folder, 'postgres.log'), '-o', settings, '-w', '-t', '60', 'start']);
  return { port, folder };
}

/** Stops a cluster at once (its data is thrown away) and removes its folder. */
export function stopPostgresCluster(place: Pick<PostgresClusterPlace, 'folder'>): void {
  try {
    asClusterOwner('pg_ctl', ['-D', path.join(place.folder, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    fs.rmSync(place.folder, { recursive: true, force: true });
  }
}

/**
 * Creates databases on a running cluster. Names carry the process id and a random part, so files
 * sharing one cluster never pick the same name, even when a process id comes round again.
 */
export function postgresDatabases(port: number): { created: string[]; createDatabase(): Promise<string> } {
  const created: string[] = [];
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    created,
    async createDatabase() {
      const name = `test_${process.pid}_${created.length + 1}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      created.push(name);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}

/** A private cluster for one test file, stopped by its stop() or when the process exits. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const place = await initPostgresCluster();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopPostgresCluster(place);
  };
  // A test run that dies before its afterAll still takes its cluster down with it.
  process.once('exit', stop);
  const { createDatabase } = postgresDatabases(place.port);
  return { port: place.port, createDatabase, stop };
}
