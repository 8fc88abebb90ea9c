import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processIsAlive } from '../node-common/process-alive.js';
import { stopPostgresCluster } from './server/support/postgres.js';

/**
 * Every temporary file of a test run lives in one folder, removed when the run ends. The tests
 * make thousands of data folders, export zips, Chromium profiles and PostgreSQL clusters, and
 * left in the system's temporary folder they add up to gigabytes over a few runs. Vitest's global
 * setup points TMPDIR at the run's folder before any test file starts, so what the test
 * processes create lands there, and so does what the studio servers and browsers they start
 * with their environment create.
 *
 * A run killed before its teardown (SIGKILL, a closed terminal) leaves its folder and maybe a
 * PostgreSQL cluster still running in it. The folder records the run's process id; the next run
 * stops the clusters of runs whose process has ended and removes their folders. Folders of runs
 * still going, and folders this code did not make, are left alone.
 */
const runFolderPrefix = 'coursewright-tests-';
const ownerFile = 'owner.pid';

/** The PostgreSQL clusters started in a run's folder: its folders holding a data folder with a postmaster.pid. */
function clustersIn(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(folder, entry.name, 'data', 'postmaster.pid')))
    .map((entry) => path.join(folder, entry.name));
}

/** Stops every PostgreSQL cluster in a run's folder, then removes the folder; a cluster that will not stop does not stop the rest. */
function removeRunFolder(folder: string): void {
  for (const cluster of clustersIn(folder)) {
    try {
      stopPostgresCluster({ folder: cluster });
    } catch (error) {
      // Most often its postgres ended with the run (a stale postmaster.pid); the folder goes either way.
      console.warn(`could not stop the test PostgreSQL cluster in ${cluster}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    fs.rmSync(folder, { recursive: true, force: true });
  } catch (error) {
    // A file system a test left mounted in it, say: what is left is named, and the run's result stands.
    console.warn(`could not remove all of the test run's temporary folder ${folder}: ${(error as Error).message}`);
  }
}

/** Removes the folders of runs whose process has ended, stopping their clusters; what it removed. */
export function removeFoldersOfEndedRuns(parent: string): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(runFolderPrefix)) continue;
    const folder = path.join(parent, name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(folder, ownerFile), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner <= 0 || processIsAlive(owner)) continue;
    removeRunFolder(folder);
    removed.push(folder);
  }
  return removed;
}

/** Makes a run folder owned by `pid` under `parent`; readable by the unprivileged account PostgreSQL runs as. */
export function makeRunFolder(parent: string, pid = process.pid): string {
  const folder = fs.mkdtempSync(path.join(parent, runFolderPrefix));
  fs.chmodSync(folder, 0o755);
  fs.writeFileSync(path.join(folder, ownerFile), String(pid));
  return folder;
}

/** Vitest global setup (listed first, so later setups already use the run's folder). */
export default function setup(): () => void {
  const parent = os.tmpdir();
  const removed = removeFoldersOfEndedRuns(parent);
  if (removed.length > 0) console.warn(`removed the temporary folders of ${removed.length} test run(s) that ended without cleaning up, and stopped their PostgreSQL clusters`);
  const folder = makeRunFolder(parent);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    removeRunFolder(folder);
  };
}
