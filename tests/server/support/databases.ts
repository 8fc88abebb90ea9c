import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import type { DatabaseLocation } from '../../../server/db/connection.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from './postgres.js';

/**
 * The database a server suite runs on. `freshLocation()` gives an empty database nobody else
 * uses: on PostgreSQL a new database in the test file's private cluster, on PGlite a new data
 * folder. A suite usually takes one in beforeAll and starts its app there.
 */
export interface DatabaseTarget {
  kind: DatabaseLocation['kind'];
  freshLocation(): Promise<DatabaseLocation>;
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

const pgliteFolders: string[] = [];

/** The embedded default alone (the caller removes the folder it gets), for a suite whose subject does not depend on the database. */
export const pgliteTarget: DatabaseTarget = {
  kind: 'pglite',
  async freshLocation() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-pglite-'));
    fs.cpSync(await pgliteTemplate(), dataDir, { recursive: true });
    pgliteFolders.push(dataDir);
    return { kind: 'pglite', dataDir };
  },
};

let cluster: Promise<PostgresCluster> | null = null;
let cleanupRegistered = false;

const postgresTarget: DatabaseTarget = {
  kind: 'postgres',
  async freshLocation() {
    cluster ??= startPostgresCluster();
    return { kind: 'postgres', url: await (await cluster).createDatabase() };
  },
};

/** The PostgreSQL cluster of this test file, for tests that need to reach it directly. */
export function postgresTarget15(): DatabaseTarget {
  return postgresTarget;
}

/**
 * Runs a suite twice: on PGlite (the embedded default) and on a real PostgreSQL 15 that this
 * test file starts once and stops after its last suite. Without PostgreSQL the second run is
 * reported as skipped, naming why.
 */
export function describeOnBothDatabases(name: string, suite: (target: DatabaseTarget) => void): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      if (cluster) (await cluster).stop();
      for (const folder of pgliteFolders) fs.rmSync(folder, { recursive: true, force: true });
    });
  }
  describe(`${name} [PGlite]`, () => suite(pgliteTarget));
  if (postgresUnavailable) describe.skip(`${name} [PostgreSQL 15] skipped: ${postgresUnavailable}`, () => suite(postgresTarget));
  else describe(`${name} [PostgreSQL 15]`, () => suite(postgresTarget));
}
