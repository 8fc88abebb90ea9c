import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../scripts/build-electron.js';
import { tempDataDir } from '../helpers.js';
import { ensureRendererBuilt, screenshotPath } from './browser.js';

/** `require('electron')` is the binary's path; installs with ELECTRON_SKIP_BINARY_DOWNLOAD have none. */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
if (!binary) console.warn('Electron window test skipped: the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).');

describe.skipIf(!binary)('the desktop window (Electron)', () => {
  let app: Awaited<ReturnType<typeof _electron.launch>>;
  beforeAll(async () => {
    await ensureRendererBuilt();
    await buildElectron();
    app = await _electron.launch({ executablePath: binary!, args: [path.resolve('dist/electron/main.cjs')], env: { ...process.env, COURSEWRIGHT_DATA: tempDataDir('electron') } });
  }, 180_000);
  afterAll(async () => app?.close());

  it('opens the studio with the secure bridge and no Node in the page', async () => {
    const window = await app.firstWindow();
    await window.getByRole('heading', { name: 'Courses' }).waitFor();
    expect(await window.evaluate(() => Object.keys((window as unknown as { coursewright: object }).coursewright).sort())).toEqual(['call', 'onEvent']);
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await window.screenshot({ path: screenshotPath('electron-window') });
  });
});
