import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CoursewrightError } from '../schemas/errors.js';

/** Where the studio writes exports: the data folder's `exports/`. */
export const exportsFolder = (dataDir: string) => path.join(dataDir, 'exports');

/**
 * Temporary files are named `.coursewright-export-<pid>-<random>.partial` in the destination
 * folder, so a later export can tell whose they are and remove those whose writer is gone.
 */
const partialPattern = /^\.coursewright-export-(\d+)-[0-9a-f]{12}\.partial$/;
const partialName = () => `.coursewright-export-${process.pid}-${crypto.randomBytes(6).toString('hex')}.partial`;
/** A temporary file this old is removed even if a process with its pid runs (pids are reused). */
export const stalePartialAgeMs = 24 * 60 * 60 * 1000;

/** The full path of a finished export, accepting only a regular file directly inside the exports folder. */
export function exportedFile(dataDir: string, fileName: string): string {
  const folder = exportsFolder(dataDir);
  const target = path.resolve(folder, fileName);
  const missing = () => new CoursewrightError('NOT_FOUND', `No export named ${fileName}. Export the package again.`);
  if (path.dirname(target) !== folder || partialPattern.test(fileName)) throw missing();
  // lstat, not stat: a symbolic link in the exports folder (even to a regular file) could point
  // anywhere on the machine; folders, pipes and devices are never downloads either.
  let entry: fs.Stats;
  try {
    entry = fs.lstatSync(target);
  } catch {
    throw missing();
  }
  if (!entry.isFile()) throw missing();
  return target;
}

/** A destination checked and reserved before any export work: the final path and the temporary file beside it. */
export interface ExportDestination {
  target: string;
  partial: string;
  /** Open on `partial`; the bytes are written through it, so nobody can swap the file in between. */
  fd: number;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

function kindOf(entry: fs.Stats): string {
  if (entry.isDirectory()) return 'a folder';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  return 'not a regular file';
}

const tooLong = (target: string) =>
  new CoursewrightError('INVALID_INPUT', `The name ${path.basename(target)} (${Buffer.byteLength(path.basename(target))} bytes) is too long for the file system (${target.length} characters in all). Choose a shorter --out name.`);

/** Disk full and file too big read the same to a user: nothing was written, make room or go elsewhere. */
const diskFullCodes = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);
const diskFull = (target: string, bytes: number | null) =>
  new CoursewrightError(
    'INTERNAL',
    `Disk full: cannot write ${target}${bytes === null ? '' : ` (${bytes} bytes)`}. Nothing was left behind; free some space or choose another --out folder.`,
  );

/** lstat that turns "not there" into null and explains every other failure. */
function lstatOrNull(target: string): fs.Stats | null {
  try {
    return fs.lstatSync(target);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOENT') return null;
    if (code === 'ENAMETOOLONG') throw tooLong(target);
    if (code === 'ENOTDIR') throw new CoursewrightError('INVALID_INPUT', `Cannot write ${target}: a part of its folder path is a file, not a folder. Choose another --out path.`);
    throw new CoursewrightError('INVALID_INPUT', `Cannot use ${target}: ${(error as Error).message}. Choose another --out path.`);
  }
}

/**
 * The file an export may replace: a new name in an existing folder, or an existing regular file
 * (through a symbolic link, the file it points to, as `cp` does). Anything else is refused —
 * replacing `/dev/full` or a FIFO with a PDF must never happen, not even as root.
 */
function checkedTarget(target: string): string {
  const entry = lstatOrNull(target);
  if (entry === null) return target;
  if (entry.isSymbolicLink()) {
    let pointed: fs.Stats;
    try {
      pointed = fs.statSync(target);
    } catch {
      throw new CoursewrightError('INVALID_INPUT', `${target} is a symbolic link to ${fs.readlinkSync(target)}, which does not exist. Give the real file path with --out.`);
    }
    if (!pointed.isFile()) throw new CoursewrightError('INVALID_INPUT', `${target} is a symbolic link to ${kindOf(pointed)} (${fs.realpathSync(target)}); exports are written only to regular files. Choose another --out path.`);
    return fs.realpathSync(target);
  }
  if (!entry.isFile()) throw new CoursewrightError('INVALID_INPUT', `${target} is ${kindOf(entry)}; exports are written only to regular files. Choose another --out path.`);
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    throw new CoursewrightError('INVALID_INPUT', `${target} is read-only; it was left as it is. Make it writable or choose another --out path.`);
  }
  return target;
}

/**
 * Removes temporary files left in `folder` by exports that were killed before they could clean
 * up: their writer process is gone, or they are older than a day. Best effort — a file another
 * user owns or a folder we cannot list is left alone.
 */
export function removeStalePartials(folder: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = partialPattern.exec(name);
    if (!match) continue;
    const file = path.join(folder, name);
    const pid = Number(match[1]);
    let writerGone = false;
    if (pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        writerGone = errno(error) === 'ESRCH';
      }
    }
    try {
      const entry = fs.lstatSync(file);
      if (!entry.isFile()) continue;
      if (writerGone || now - entry.mtimeMs > stalePartialAgeMs) {
        fs.rmSync(file, { force: true });
        removed.push(file);
      }
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Checks where an export will go and reserves a temporary file there, before any export work:
 * `out` may be a file path or an existing folder (the suggested `fileName` goes inside, as with
 * `cp`); without `out`, the data folder's exports/. Refusals: a missing folder (NOT_FOUND), a
 * name too long, a path that is not a regular file, a folder we cannot write (INVALID_INPUT),
 * a full disk (INTERNAL, exit 1).
 */
export function reserveExportDestination(options: { out?: string; dataDir: string; fileName: string }): ExportDestination {
  let target: string;
  if (options.out === undefined) {
    const folder = exportsFolder(options.dataDir);
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new CoursewrightError('INVALID_INPUT', `Cannot create the exports folder ${folder}: ${(error as Error).message}. Use --out to write elsewhere.`);
    }
    target = path.join(folder, options.fileName);
  } else {
    if (options.out.trim() === '') throw new CoursewrightError('INVALID_INPUT', '--out is empty; give a file or folder path.');
    const resolved = path.resolve(options.out);
    const namesFolder = /[/\\]$/.test(options.out);
    const entry = lstatOrNull(resolved);
    let isFolder = entry?.isDirectory() ?? false;
    if (entry?.isSymbolicLink()) {
      try {
        isFolder = fs.statSync(resolved).isDirectory();
      } catch {
        isFolder = false;
      }
    }
    if (namesFolder && !isFolder) {
      if (entry === null) throw new CoursewrightError('NOT_FOUND', `The folder ${resolved} does not exist. Create it first (mkdir -p ${JSON.stringify(resolved)}) or choose another --out path.`);
      throw new CoursewrightError('INVALID_INPUT', `${resolved} is not a folder. Choose another --out path.`);
    }
    target = isFolder ? path.join(resolved, options.fileName) : resolved;
  }

  const folder = path.dirname(target);
  let folderEntry: fs.Stats;
  try {
    folderEntry = fs.statSync(folder);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOENT') throw new CoursewrightError('NOT_FOUND', `The folder ${folder} does not exist. Create it first (mkdir -p ${JSON.stringify(folder)}) or choose another --out path.`);
    if (code === 'ENAMETOOLONG') throw tooLong(target);
    throw new CoursewrightError('INVALID_INPUT', `Cannot use the folder ${folder}: ${(error as Error).message}. Choose another --out path.`);
  }
  if (!folderEntry.isDirectory()) throw new CoursewrightError('INVALID_INPUT', `${folder} is not a folder. Choose another --out path.`);
  target = checkedTarget(target);

  const targetFolder = path.dirname(target);
  removeStalePartials(targetFolder);
  // Creating the temporary file is the honest test of "can we write here": it catches read-only
  // mounts, permissions and full disks for root and everyone else alike, before the work starts.
  const partial = path.join(targetFolder, partialName());
  try {
    const fd = fs.openSync(partial, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o666);
    return { target, partial, fd };
  } catch (error) {
    const code = errno(error);
    if (code === 'EROFS') throw new CoursewrightError('INVALID_INPUT', `The folder ${targetFolder} is on a read-only file system. Choose another --out folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new CoursewrightError('INVALID_INPUT', `No permission to write in ${targetFolder}. Choose another --out folder.`);
    if (code === 'ENAMETOOLONG') throw tooLong(target);
    if (diskFullCodes.has(code ?? '')) throw diskFull(target, null);
    throw new CoursewrightError('INVALID_INPUT', `Cannot write in ${targetFolder}: ${(error as Error).message}. Choose another --out folder.`);
  }
}

/** Gives up a reservation: the temporary file goes, the destination is untouched. */
export function abandonExportDestination(destination: ExportDestination): void {
  try {
    fs.closeSync(destination.fd);
  } catch {
    // Closed already by a failed write.
  }
  fs.rmSync(destination.partial, { force: true });
}

/**
 * Writes the bytes to the reserved temporary file, flushes them to disk and renames the file
 * into place, so the destination holds either its old content or the whole export — never a
 * part. On any failure the temporary file is removed.
 */
export function commitExportDestination(destination: ExportDestination, bytes: Uint8Array): void {
  const { target, partial, fd } = destination;
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    // The destination was checked before the work; check again in case it changed meanwhile.
    const entry = fs.lstatSync(target, { throwIfNoEntry: false });
    if (entry && !entry.isFile()) throw new CoursewrightError('INVALID_INPUT', `${target} became ${kindOf(entry)} while the export ran; it was left as it is.`);
    fs.renameSync(partial, target);
  } catch (error) {
    abandonExportDestination(destination);
    if (error instanceof CoursewrightError) throw error;
    if (diskFullCodes.has(errno(error) ?? '')) throw diskFull(target, bytes.length);
    throw new CoursewrightError('INTERNAL', `Cannot write ${target}: ${(error as Error).message}. Nothing was left behind.`);
  }
}
