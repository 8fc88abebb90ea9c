import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeRunFolder, removeFoldersOfEndedRuns } from '../run-temp-folder.js';
import { initPostgresCluster, postgresUnavailable, stopPostgresCluster, type PostgresClusterPlace } from './support/postgres.js';

/**
 * A developer's test runs keep their temporary files in one folder per run, and a run that was
 * killed before it could clean up is cleaned up by the next one: its PostgreSQL cluster stopped,
 * its folder gone. Runs still going are never touched.
 */
describe('temporary folders of test runs', () => {
  let parent: string;
  const started: PostgresClusterPlace[] = [];

  /** The process id of a process that has ended. */
  const endedPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  const answers = async (port: number) => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one === 1;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const parents: string[] = [];
  beforeEach(() => {
    // Beside this run's folder, not in it: a cluster's unix socket path must stay under 108
    // bytes. The cluster's unprivileged account must pass through it, as through the system's temporary folder.
    parent = fs.mkdtempSync(path.join(path.dirname(os.tmpdir()), 'cw-rf-'));
    fs.chmodSync(parent, 0o755);
    parents.push(parent);
  });
  afterAll(() => {
    for (const place of started) if (fs.existsSync(place.folder)) stopPostgresCluster(place);
    for (const folder of parents) fs.rmSync(folder, { recursive: true, force: true });
  });

  it("this run's test files already work in a folder of the run's own, which records the run's process", () => {
    const runFolder = os.tmpdir();
    expect(path.basename(runFolder)).toMatch(/^coursewright-tests-/);
    expect(fs.readFileSync(path.join(runFolder, 'owner.pid'), 'utf8')).toBe(String(process.ppid));
  });

  it('makes a folder for the run recording its process id', () => {
    const folder = makeRunFolder(parent);
    expect(path.basename(folder)).toMatch(/^coursewright-tests-/);
    expect(fs.readFileSync(path.join(folder, 'owner.pid'), 'utf8')).toBe(String(process.pid));
  });

  it('removes the folder of an ended run with what is in it, and leaves a running run, unmarked folders and other folders alone', () => {
    const ended = makeRunFolder(parent, endedPid());
    fs.mkdirSync(path.join(ended, 'cw-data-1'));
    fs.writeFileSync(path.join(ended, 'cw-data-1', 'coursewright.db'), 'data');
    const running = makeRunFolder(parent);
    const unmarked = fs.mkdtempSync(path.join(parent, 'coursewright-tests-'));
    const other = fs.mkdtempSync(path.join(parent, 'cw-'));

    expect(removeFoldersOfEndedRuns(parent)).toEqual([ended]);
    expect(fs.existsSync(ended)).toBe(false);
    for (const kept of [running, unmarked, other]) expect(fs.existsSync(kept)).toBe(true);
    expect(removeFoldersOfEndedRuns(parent)).toEqual([]);
  });

  it.skipIf(postgresUnavailable !== null)(`stops the PostgreSQL cluster an ended run left running, and not a running run's${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, async () => {
    const ended = makeRunFolder(parent, endedPid());
    const leaked = await initPostgresCluster(10, ended);
    started.push(leaked);
    const running = makeRunFolder(parent);
    const inUse = await initPostgresCluster(10, running);
    started.push(inUse);
    expect(await answers(leaked.port)).toBe(true);

    expect(removeFoldersOfEndedRuns(parent)).toEqual([ended]);
    expect(await answers(leaked.port)).toBe(false);
    expect(fs.existsSync(ended)).toBe(false);
    expect(await answers(inUse.port)).toBe(true);
    expect(fs.existsSync(running)).toBe(true);
  }, 120_000);

  it.skipIf(postgresUnavailable !== null)('still removes an ended run whose PostgreSQL already ended with it (a stale postmaster.pid)', async () => {
    const ended = makeRunFolder(parent, endedPid());
    const place = await initPostgresCluster(10, ended);
    started.push(place);
    const postmaster = Number(fs.readFileSync(path.join(place.folder, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The cluster dies with nothing cleaned up, as when the machine's processes were killed at once.
    process.kill(postmaster, 'SIGKILL');
    await expect.poll(() => answers(place.port)).toBe(false);
    expect(fs.existsSync(path.join(place.folder, 'data', 'postmaster.pid'))).toBe(true);

    expect(removeFoldersOfEndedRuns(parent)).toEqual([ended]);
    expect(fs.existsSync(ended)).toBe(false);
  }, 120_000);
});
