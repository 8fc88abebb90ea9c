import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A private PostgreSQL 15 cluster for one test file: its own data folder in a fresh temporary
 * folder, its own port on 127.0.0.1 and its unix socket inside that folder, so it never meets a
 * system PostgreSQL or another test file's cluster. PostgreSQL refuses to run as root, so under
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
  stop(): void;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (postgresUnavailable) throw new Error(postgresUnavailable);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-pg-'));
  if (isRoot) execFileSync('chown', ['nobody', folder]);
  const dataDir = path.join(folder, 'data');
  const port = await freePort();
  asClusterOwner('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  // Durability settings are off: a test cluster is thrown away, and fsync costs seconds per file.
  const settings = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${folder}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=60'].join(' ');
  asClusterOwner('pg_ctl', ['-D', dataDir, '-l', path.join(folder, 'postgres.log'), '-o', settings, '-w', '-t', '60', 'start']);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asClusterOwner('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  };
  // A test run that dies before its afterAll still takes its cluster down with it.
  process.once('exit', stop);

  let databases = 0;
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
