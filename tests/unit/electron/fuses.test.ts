import { FuseV1Options } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../../..', import.meta.url));

/** The packaging config exactly as `electron-builder --config electron-builder.yml` reads it. */
const readBuilderConfig = () => getConfig(projectDir, 'electron-builder.yml', null);

describe('Electron fuses in the packaged app', () => {
  it('sets every security fuse of the checklist in electron-builder.yml', async () => {
    const config = await readBuilderConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Only-from-asar needs an asar to load from.
    expect(config.asar).not.toBe(false);
  });

  it('decides every fuse the installed @electron/fuses knows, except the V8 snapshot choice, which is not a security control', async () => {
    const config = await readBuilderConfig();
    const fuseNames = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)) && k !== 'LoadBrowserProcessSpecificV8Snapshot');
    const configKey = (fuse: string) => fuse[0]!.toLowerCase() + fuse.slice(1);
    expect(fuseNames.length).toBeGreaterThanOrEqual(7);
    for (const fuse of fuseNames) expect(typeof (config.electronFuses as Record<string, unknown>)[configKey(fuse)], fuse).toBe('boolean');
  });

  it('electron-builder accepts the config, and would refuse a misspelt fuse (so the keys above are ones it applies)', async () => {
    const config = await readBuilderConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
