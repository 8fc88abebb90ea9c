import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioServer } from '../../cli/serve/server.js';
import { exportsFolder } from '../../host/exports-folder.js';
import { hasTool } from '../export-tools.js';
import { tempDataDir } from '../helpers.js';

const hasMkfifo = hasTool('mkfifo');

let server: Awaited<ReturnType<typeof startStudioServer>>;
let folder: string;

beforeAll(async () => {
  const dataDir = tempDataDir('export-download');
  folder = exportsFolder(dataDir);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'course-v1.pdf'), '%PDF-1.7 a finished export');
  fs.symlinkSync('/etc/passwd', path.join(folder, 'passwd.pdf'));
  fs.symlinkSync(path.join(folder, 'course-v1.pdf'), path.join(folder, 'alias.pdf'));
  fs.mkdirSync(path.join(folder, 'folder.zip'));
  if (hasMkfifo) execFileSync('mkfifo', [path.join(folder, 'pipe.pdf')]);
  server = await startStudioServer({ dataDir, rendererDir: path.join(tempDataDir('no-ui'), 'missing') });
});
afterAll(async () => server.close());

const download = (fileName: string) => fetch(`${server.url}api/exports/${encodeURIComponent(fileName)}?token=${server.token}`);

describe('GET /api/exports/:fileName over real HTTP', () => {
  it('sends a regular file of the exports folder', async () => {
    const response = await download('course-v1.pdf');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7 a finished export');
  });

  it('never follows a symbolic link, whether to /etc/passwd or to an export beside it, and never serves a folder', async () => {
    for (const name of ['passwd.pdf', 'alias.pdf', 'folder.zip']) {
      const response = await download(name);
      expect(response.status, name).toBe(404);
      expect(await response.text()).not.toContain('root:');
    }
  });

  it.skipIf(!hasMkfifo)('never opens a FIFO (which would hang the request) (skipped without mkfifo)', async () => {
    expect((await download('pipe.pdf')).status).toBe(404);
  });
});
