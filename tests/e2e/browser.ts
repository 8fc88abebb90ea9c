import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildRenderer, rendererBuildIsStale } from '../../host/renderer-build.js';

export const chromiumPath = process.env.COURSEWRIGHT_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));

if (!hasChromium) console.warn(`end-to-end tests skipped: no Chromium at ${chromiumPath} (install Debian's chromium, or set COURSEWRIGHT_CHROMIUM)`);

/** Debian's Chromium, never a downloaded one; flags keep it off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function ensureRendererBuilt(): Promise<void> {
  if (rendererBuildIsStale()) await buildRenderer();
}

export interface ServedStudio {
  studioUrl: string;
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts the real `coursewright serve` on a free port with the given data folder. */
export function serveStudio(dataDir: string, env: Record<string, string> = {}): Promise<ServedStudio> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-build', '--data', dataDir, '--json'], {
      env: { ...process.env, COURSEWRIGHT_ACTOR: 'E2E Designer', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      try {
        const info = JSON.parse(out) as { url: string; studioUrl: string };
        resolve({
          ...info,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      } catch {
        // the JSON is still arriving
      }
    });
    child.on('exit', (code) => reject(new Error(`coursewright serve exited with ${code}: ${err}`)));
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
}
