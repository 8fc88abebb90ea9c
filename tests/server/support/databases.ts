import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, inject } from 'vitest';
import type { DatabaseLocation } from '../../../server/db/connection.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from './postgres.js';
import { joinSharedPostgresCluster } from './shared-postgres.js';

/**
 * The database a server suite runs on. A suite usually takes one location in beforeAll and starts
 * its app there.
 */
export interface DatabaseTarget {
  kind: DatabaseLocation['kind'];
  /**
   * A new database nobody else uses, as the server leaves it after its first start: on PostgreSQL
   * a new, empty database in the run's PostgreSQL cluster (the app migrates it when it opens
   * it); on PGlite a new data folder copied from a cluster the server's migrations were applied
   * to once, because migrating PGlite anew costs each suite seconds of WebAssembly.
   */
  freshLocation(): Promise<DatabaseLocation>;
  /**
   * A new database with no schema at all (on PostgreSQL the same as freshLocation), for suites
   * whose subject is migrating a database or a server's very first start on it.
   */
  emptyLocation(): Promise<DatabaseLocation>;
}

const pgliteVersion = (JSON.parse(fs.readFileSync(new URL('../../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * PGlite runs initdb inside WebAssembly on every new data folder, which takes tens of seconds on a
 * busy machine; copying a folder it initialised once takes about one. The template is an empty,
 * unmigrated cluster (so migration tests still start from nothing), kept per PGlite version in
 * the temporary folder and built into a private folder then renamed, so parallel test files never
 * see half of one.
 */
async function pgliteTemplate(): Promise<string> {
  const template = path.join(os.tmpdir(), `coursewright-pglite-template-${pgliteVersion}`);
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) return template;
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-pglite-building-'));
  const { PGlite } = await import('@electric-sql/pglite');
  const client = new PGlite(building);
  await client.waitReady;
  await client.close();
  try {
    fs.renameSync(building, template);
  } catch {
    // Another test file finished its template first; theirs is as good as ours.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/**
 * The same empty cluster with the server's migrations applied, behind freshLocation on PGlite:
 * migrating a new cluster costs a suite (and, in mutation runs, each mutant's rerun of it) more
 * than its tests. Kept per PGlite version and per set of migration checksums, so a new or changed
 * migration builds a new template. Migrating an empty PGlite stays tested where it is the
 * subject (tests/server/migrations.test.ts, and the real server's first start in
 * tests/server/cli.test.ts and tests/server/simulate-cli.test.ts, all on emptyLocation).
 */
async function migratedPgliteTemplate(): Promise<string> {
  const { migrations, migrationChecksum } = await import('../../../server/db/migrations.js');
  const key = createHash('sha256').update(migrations.map(migrationChecksum).join(',')).digest('hex').slice(0, 16);
  const template = path.join(os.tmpdir(), `coursewright-pglite-migrated-${pgliteVersion}-${key}`);
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) return template;
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-pglite-building-'));
  fs.cpSync(await pgliteTemplate(), building, { recursive: true });
  const { openServerDatabase } = await import('../../../server/db/connection.js');
  await (await openServerDatabase({ kind: 'pglite', dataDir: building })).close();
  try {
    fs.renameSync(building, template);
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return template;
}
const pgliteFolders: string[] = [];

async function pgliteCopyOf(template: Promise<string>): Promise<DatabaseLocation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-pglite-'));
  fs.cpSync(await template, dataDir, { recursive: true });
  pgliteFolders.push(dataDir);
  return { kind: 'pglite', dataDir };
}

/** The embedded default alone (the caller removes the folder it gets), for a suite whose subject does not depend on the database. */
export const pgliteTarget: DatabaseTarget = {
  kind: 'pglite',
  freshLocation: () => pgliteCopyOf(migratedPgliteTemplate()),
  emptyLocation: () => pgliteCopyOf(pgliteTemplate()),
};

let cluster: Promise<PostgresCluster> | null = null;
let cleanupRegistered = false;

const postgresTarget: DatabaseTarget = {
  kind: 'postgres',
  async freshLocation() {
    // The run's shared cluster when the config provides one (vitest.config.ts), else this file's own.
    const runFolder = inject('sharedPostgresRunFolder');
    cluster ??= runFolder ? joinSharedPostgresCluster(runFolder) : startPostgresCluster();
    return { kind: 'postgres', url: await (await cluster).createDatabase() };
  },
  emptyLocation() {
    return postgresTarget.freshLocation();
  },
};

/** This test file's PostgreSQL target (its databases on the run's cluster), for tests that need to reach it directly. */
export function postgresTarget15(): DatabaseTarget {
  return postgresTarget;
}

/**
 * COURSEWRIGHT_SERVER_TESTS_DATABASES=pglite runs the server suites on PGlite alone: mutation
 * testing (vitest.mutation.config.ts) reruns them once per mutant, where a PostgreSQL cluster per
 * rerun would cost more than the tests. The skipped half says so.
 */
const pgliteOnly = process.env.COURSEWRIGHT_SERVER_TESTS_DATABASES === 'pglite' ? 'COURSEWRIGHT_SERVER_TESTS_DATABASES=pglite (the mutation run) asks for PGlite only' : null;

/**
 * Runs a suite twice: on PGlite (the embedded default) and on a real PostgreSQL 15, in databases
 * this test file creates and drops after its last suite (on the run's shared cluster, see
 * shared-postgres.ts). Without PostgreSQL the second run is
 * reported as skipped, naming why.
 */
export function describeOnBothDatabases(name: string, suite: (target: DatabaseTarget) => void): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      if (cluster) await (await cluster).stop();
      for (const folder of pgliteFolders) fs.rmSync(folder, { recursive: true, force: true });
    });
  }
  describe(`${name} [PGlite]`, () => suite(pgliteTarget));
  if (pgliteOnly) describe.skip(`${name} [PostgreSQL 15] skipped: ${pgliteOnly}`, () => suite(postgresTarget));
  else if (postgresUnavailable) describe.skip(`${name} [PostgreSQL 15] skipped: ${postgresUnavailable}`, () => suite(postgresTarget));
  else describe(`${name} [PostgreSQL 15]`, () => suite(postgresTarget));
}
