import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { initPostgresCluster, postgresDatabases, stopPostgresCluster, type PostgresCluster, type PostgresClusterPlace } from './postgres.js';

/**
 * One PostgreSQL cluster for a whole test run instead of one per test file: initdb and start cost
 * each file seconds, and its tests never needed a cluster of their own, only databases of their
 * own. The run's global setup (vitest.config.ts) only makes a folder for the run; the first file
 * that needs PostgreSQL starts the cluster there, the other files (in any worker) wait for it and
 * then use it; each file drops the databases it created when it ends; the global teardown stops
 * the cluster. A run in which no file needs PostgreSQL starts none.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder for its shared PostgreSQL cluster; absent when the config has no such setup. */
    sharedPostgresRunFolder: string;
  }
}

/** Allows for the pools of the two files running at once (each app and pg-boss have one). */
const sharedMaxConnections = 200;
const placeFile = (runFolder: string) => path.join(runFolder, 'cluster.json');
const failureFile = (runFolder: string) => path.join(runFolder, 'failed.txt');

async function sharedPlace(runFolder: string): Promise<PostgresClusterPlace> {
  if (!fs.existsSync(placeFile(runFolder))) {
    let starter = false;
    try {
      fs.mkdirSync(path.join(runFolder, 'starting'));
      starter = true;
    } catch {
      // Another file is starting it; wait below.
    }
    if (starter) {
      try {
        const place = await initPostgresCluster(sharedMaxConnections);
        const written = `${placeFile(runFolder)}.${process.pid}`;
        fs.writeFileSync(written, JSON.stringify(place));
        fs.renameSync(written, placeFile(runFolder));
      } catch (error) {
        fs.writeFileSync(failureFile(runFolder), String((error as Error).stack ?? error));
        throw error;
      }
    }
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(placeFile(runFolder))) {
      if (fs.existsSync(failureFile(runFolder))) throw new Error(`The test run's PostgreSQL cluster did not start: ${fs.readFileSync(failureFile(runFolder), 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`The test run's PostgreSQL cluster did not start within 120 s (nothing in ${runFolder}).`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return JSON.parse(fs.readFileSync(placeFile(runFolder), 'utf8')) as PostgresClusterPlace;
}

/** This file's handle on the run's cluster: its stop() drops the databases the file created (closing whatever still uses them). */
export async function joinSharedPostgresCluster(runFolder: string): Promise<PostgresCluster> {
  const { port } = await sharedPlace(runFolder);
  const databases = postgresDatabases(port);
  return {
    port,
    createDatabase: databases.createDatabase,
    async stop() {
      const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await admin.connect();
      try {
        for (const name of databases.created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Vitest global setup: a folder for the run's cluster; the teardown stops the cluster if a file started one. */
export default function setup(project: TestProject): () => void {
  const runFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'coursewright-test-run-'));
  project.provide('sharedPostgresRunFolder', runFolder);
  return () => {
    try {
      if (fs.existsSync(placeFile(runFolder))) stopPostgresCluster(JSON.parse(fs.readFileSync(placeFile(runFolder), 'utf8')) as PostgresClusterPlace);
    } finally {
      fs.rmSync(runFolder, { recursive: true, force: true });
    }
  };
}
