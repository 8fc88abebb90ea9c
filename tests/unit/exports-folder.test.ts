import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedFile, exportsFolder, removeStalePartials, stalePartialAgeMs } from '../../host/exports-folder.js';
import { hasTool } from '../export-tools.js';
import { tempDataDir } from '../helpers.js';

const hasMkfifo = hasTool('mkfifo');

/** A data folder whose exports/ holds one finished export. */
function dataFolderWithExport() {
  const dataDir = tempDataDir('exported-file');
  const folder = exportsFolder(dataDir);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'course-v1.pdf'), '%PDF-1.7');
  return { dataDir, folder };
}

const refused = (dataDir: string, fileName: string) => expect(() => exportedFile(dataDir, fileName)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

describe('exportedFile: what the served download route may send', () => {
  it('allows a regular file in the exports folder', () => {
    const { dataDir, folder } = dataFolderWithExport();
    expect(exportedFile(dataDir, 'course-v1.pdf')).toBe(path.join(folder, 'course-v1.pdf'));
  });

  it('refuses a symbolic link, whether it points outside (/etc/passwd) or at a regular export beside it', () => {
    const { dataDir, folder } = dataFolderWithExport();
    fs.symlinkSync('/etc/passwd', path.join(folder, 'passwd.pdf'));
    fs.symlinkSync(path.join(folder, 'course-v1.pdf'), path.join(folder, 'alias.pdf'));
    refused(dataDir, 'passwd.pdf');
    refused(dataDir, 'alias.pdf');
  });

  it('refuses a folder, a missing name, a path outside the folder and an export still being written', () => {
    const { dataDir, folder } = dataFolderWithExport();
    fs.mkdirSync(path.join(folder, 'nested.pdf'));
    fs.writeFileSync(path.join(folder, `.coursewright-export-${process.pid}-0123456789ab.partial`), 'half');
    refused(dataDir, 'nested.pdf');
    refused(dataDir, 'absent.pdf');
    refused(dataDir, '../coursewright.db');
    refused(dataDir, `.coursewright-export-${process.pid}-0123456789ab.partial`);
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO (skipped without mkfifo)', () => {
    const { dataDir, folder } = dataFolderWithExport();
    execFileSync('mkfifo', [path.join(folder, 'pipe.pdf')]);
    refused(dataDir, 'pipe.pdf');
  });

  it('names no absolute path of the data folder in its refusal', () => {
    const { dataDir } = dataFolderWithExport();
    expect(() => exportedFile(dataDir, 'absent.pdf')).toThrow(expect.objectContaining({ message: expect.not.stringContaining(dataDir) }));
  });
});

describe('removeStalePartials', () => {
  it('removes temporary files whose writer is gone or that are older than a day, and keeps everything else', () => {
    const folder = tempDataDir('stale-partials');
    // A pid that is certainly gone: a process that already exited.
    const gonePid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    const gone = `.coursewright-export-${gonePid}-aaaaaaaaaaaa.partial`;
    const live = `.coursewright-export-${process.pid}-bbbbbbbbbbbb.partial`;
    const oldButLive = `.coursewright-export-${process.ppid}-cccccccccccc.partial`;
    const unrelated = ['course-v1.pdf', '.coursewright-export-notes.partial', 'x.partial'];
    for (const name of [gone, live, oldButLive, ...unrelated]) fs.writeFileSync(path.join(folder, name), '');
    const dayAndMore = new Date(Date.now() - stalePartialAgeMs - 60_000);
    fs.utimesSync(path.join(folder, oldButLive), dayAndMore, dayAndMore);

    expect(removeStalePartials(folder).map((f) => path.basename(f)).sort()).toEqual([gone, oldButLive].sort());
    expect(fs.readdirSync(folder).sort()).toEqual([live, ...unrelated].sort());
  });
});
