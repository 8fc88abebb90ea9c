import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { hasTool } from '../export-tools.js';
import { createCourseWithApprovedSyllabus, tempDataDir, approveAllContent } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

/**
 * Where `coursewright export --out` may write, from the outside: real processes, real folders,
 * devices, FIFOs, sockets, links, a full tmpfs and a read-only mount. A refusal must come before
 * the work: no temporary file ever appears in the destination folder and no `package.exported`
 * audit row is written.
 */
let dir: string;
let packageId: string;
const pdfName = 'practical-data-visualisation-with-python-v1.pdf';
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);
const isRoot = process.getuid?.() === 0;
const hasMkfifo = hasTool('mkfifo');
const partialPattern = /^\.coursewright-export-\d+-[0-9a-f]+\.partial$/;

beforeAll(async () => {
  dir = tempDataDir('cli-export-out');
  const opened = openDatabase(databaseFile(dir));
  try {
    const engine = createEngine({ store: opened.store });
    const content = createContentEngine({ store: opened.store });
    const { course } = await createCourseWithApprovedSyllabus(engine);
    await approveAllContent(content, course.id);
  } finally {
    opened.close();
  }
  const courseId = (await cw('course', 'list', '--json')).json()[0].id as string;
  const built = await cw('package', 'build', courseId, '--json');
  expect(built.code, built.stderr).toBe(0);
  packageId = built.json().id;
});

/** `package.exported` audit rows so far, read from the data folder's database between CLI runs. */
async function exportRows(): Promise<number> {
  const opened = openDatabase(databaseFile(dir));
  try {
    return opened.store.audit.list({ entityId: packageId }).filter((a) => a.action === 'package.exported').length;
  } finally {
    opened.close();
  }
}

/** Runs an export while watching `folder`, returning what the CLI said and every file name that appeared there meanwhile. */
async function exportWatching(folder: string, ...args: string[]) {
  const appeared = new Set<string>();
  const watcher = fs.watch(folder, (_event, name) => name && appeared.add(name.toString()));
  try {
    const result = await cw('export', packageId, ...args);
    return { ...result, appeared: [...appeared] };
  } finally {
    watcher.close();
  }
}

/** Asserts a refusal came before any work: the exit code, the message, no temporary file ever, no audit row. */
async function expectRefusedUpFront(out: string, watchFolder: string, code: number, message: RegExp) {
  const before = await exportRows();
  const refused = await exportWatching(watchFolder, '--format', 'pdf', '--out', out);
  expect(refused.code, refused.stderr).toBe(code);
  expect(refused.stderr).toMatch(message);
  expect(refused.appeared.filter((n) => partialPattern.test(n))).toEqual([]);
  expect(await exportRows()).toBe(before);
}

function mountTmpfs(folder: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMakeDevices = (() => {
  if (!isRoot || !fs.existsSync('/dev/full')) return false;
  const probe = path.join(tempDataDir('mknod-probe'), 'full');
  try {
    execFileSync('mknod', [probe, 'c', '1', '7'], { stdio: 'ignore' });
    return fs.lstatSync(probe).isCharacterDevice();
  } catch {
    return false;
  }
})();
const canMount = (() => {
  if (!isRoot) return false;
  const probe = tempDataDir('mount-probe');
  if (!mountTmpfs(probe, 'size=16k')) return false;
  execFileSync('umount', [probe]);
  return true;
})();

describe('export --out: where the file goes', () => {
  it('writes the suggested name inside an existing folder, as cp does, with or without a trailing slash', async () => {
    const into = tempDataDir('out-folder');
    const exported = await cw('export', packageId, '--format', 'pdf', '--out', into, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json().path).toBe(path.join(into, pdfName));
    expect(fs.readFileSync(path.join(into, pdfName)).subarray(0, 5).toString()).toBe('%PDF-');
    const slashed = await cw('export', packageId, '--format', 'html', '--out', `${into}/`, '--json');
    expect(slashed.code, slashed.stderr).toBe(0);
    expect(slashed.json().path).toBe(path.join(into, 'practical-data-visualisation-with-python-v1-html.zip'));
    expect(fs.readdirSync(into).sort()).toEqual(['practical-data-visualisation-with-python-v1-html.zip', pdfName]);
  });

  it('still writes a new file path and overwrites an existing regular file', async () => {
    const folder = tempDataDir('out-file');
    const fresh = path.join(folder, 'handout.pdf');
    expect((await cw('export', packageId, '--format', 'pdf', '--out', fresh)).code).toBe(0);
    expect(fs.readFileSync(fresh).subarray(0, 5).toString()).toBe('%PDF-');
    const existing = path.join(folder, 'old.pdf');
    fs.writeFileSync(existing, 'an older handout');
    const overwritten = await cw('export', packageId, '--format', 'pdf', '--out', existing);
    expect(overwritten.code, overwritten.stderr).toBe(0);
    expect(fs.lstatSync(existing).isFile()).toBe(true);
    expect(fs.readFileSync(existing).subarray(0, 5).toString()).toBe('%PDF-');
    // Through a symbolic link to a regular file, the file it points to is replaced, as cp does; the link stays.
    const link = path.join(folder, 'latest.pdf');
    fs.symlinkSync(fresh, link);
    fs.writeFileSync(fresh, 'replace me');
    const throughLink = await cw('export', packageId, '--format', 'pdf', '--out', link, '--json');
    expect(throughLink.code, throughLink.stderr).toBe(0);
    expect(throughLink.json().path).toBe(fs.realpathSync(fresh));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(fresh).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fs.readdirSync(folder).sort()).toEqual(['handout.pdf', 'latest.pdf', 'old.pdf']);
  });

  it.skipIf(!canMakeDevices)('refuses a character device (/dev/full) up front and leaves the device a device (skipped where mknod is not permitted)', async () => {
    // The same device as /dev/full (1,7) in a folder of our own: if the rule ever regressed, the
    // machine's /dev/full would be replaced by a PDF, which is exactly what this guards against.
    const folder = tempDataDir('out-dev');
    const full = path.join(folder, 'full');
    execFileSync('mknod', ['-m', '666', full, 'c', '1', '7']);
    await expectRefusedUpFront(full, folder, 3, /full is a character device; exports are written only to regular files/);
    expect(fs.lstatSync(full).isCharacterDevice()).toBe(true);
    expect(fs.lstatSync(full).rdev).toBe(fs.statSync('/dev/full').rdev);
  });

  it('refuses a symbolic link to /dev/null and leaves both as they were', async () => {
    const folder = tempDataDir('out-link');
    const link = path.join(folder, 'course.pdf');
    fs.symlinkSync('/dev/null', link);
    await expectRefusedUpFront(link, folder, 3, /is a symbolic link to a character device \(\/dev\/null\)/);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO up front and leaves it a FIFO (skipped without mkfifo)', async () => {
    const folder = tempDataDir('out-fifo');
    const fifo = path.join(folder, 'course.pdf');
    execFileSync('mkfifo', [fifo]);
    await expectRefusedUpFront(fifo, folder, 3, /is a named pipe \(FIFO\); exports are written only to regular files/);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a socket up front', async () => {
    const folder = tempDataDir('out-sock');
    const socket = path.join(folder, 's.pdf');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await expectRefusedUpFront(socket, folder, 3, /is a socket; exports are written only to regular files/);
      expect(fs.lstatSync(socket).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a path in a missing folder with exit 4 and creates nothing', async () => {
    const folder = tempDataDir('out-missing');
    await expectRefusedUpFront(path.join(folder, 'not', 'there', 'course.pdf'), folder, 4, /The folder .*not\/there does not exist\. Create it first/);
    expect(fs.readdirSync(folder)).toEqual([]);
    await expectRefusedUpFront(path.join(folder, 'nofolder') + '/', folder, 4, /does not exist/);
  });

  it('refuses a name too long for the file system', async () => {
    const folder = tempDataDir('out-long');
    await expectRefusedUpFront(path.join(folder, `${'x'.repeat(300)}.pdf`), folder, 3, /is too long for the file system.*Choose a shorter --out name/);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it.skipIf(!canMount)('refuses a folder on a read-only file system up front, even as root (skipped where mount is not permitted)', async () => {
    const folder = tempDataDir('out-ro');
    expect(mountTmpfs(folder, 'ro,size=64k')).toBe(true);
    try {
      await expectRefusedUpFront(path.join(folder, 'course.pdf'), folder, 3, /is on a read-only file system/);
    } finally {
      execFileSync('umount', [folder]);
    }
  });

  it.skipIf(!canMount)('says "disk full" with the path, exits 1 and leaves nothing behind on a full disk (skipped where mount is not permitted)', async () => {
    const folder = tempDataDir('out-full');
    expect(mountTmpfs(folder, 'size=64k')).toBe(true);
    try {
      const target = path.join(folder, 'course.pdf');
      const before = await exportRows();
      const full = await cw('export', packageId, '--format', 'pdf', '--out', target);
      expect(full.code, full.stderr).toBe(1);
      expect(full.stderr).toContain(`Disk full: cannot write ${target}`);
      expect(fs.readdirSync(folder)).toEqual([]);
      expect(await exportRows()).toBe(before);
      // The same folder still takes an export that fits.
      const small = await cw('export', packageId, '--format', 'imscc', '--out', folder, '--json');
      expect(small.code, small.stderr).toBe(0);
      expect(small.json().bytes).toBeLessThan(64 * 1024);
    } finally {
      execFileSync('umount', [folder]);
    }
  });

  it('cleans up the temporary file of an export killed before its rename, and keeps one whose writer still runs', async () => {
    const folder = tempDataDir('out-killed');
    const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'export', packageId, '--format', 'pdf', '--out', folder, '--data', dir], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // The temporary file is reserved before the work; kill the writer the moment it appears.
    const orphan = await new Promise<string>((resolve, reject) => {
      const watcher = fs.watch(folder, (_event, name) => {
        if (name && partialPattern.test(name.toString())) {
          child.kill('SIGKILL');
          watcher.close();
          resolve(name.toString());
        }
      });
      child.on('exit', () => {
        watcher.close();
        reject(new Error(`The export ended before any temporary file appeared in ${folder}: ${fs.readdirSync(folder).join(', ')}`));
      });
    });
    expect(await exited).toBe('SIGKILL');
    expect(fs.readdirSync(folder)).toEqual([orphan]);
    // Another export's temporary file, whose writer (this test process) is alive and recent: not ours to remove.
    const inUse = `.coursewright-export-${process.pid}-0123456789ab.partial`;
    fs.writeFileSync(path.join(folder, inUse), '');

    const next = await cw('export', packageId, '--format', 'imscc', '--out', folder);
    expect(next.code, next.stderr).toBe(0);
    expect(fs.readdirSync(folder).sort()).toEqual([inUse, 'practical-data-visualisation-with-python-v1.imscc'].sort());
  });
});
