import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
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

const axeSource = fs.readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns "rule: target" lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Injected through the DevTools protocol, so the page's CSP (script-src 'self') still holds for the app.
  await page.addScriptTag({ content: axeSource }).catch(async () => {
    await page.evaluate(axeSource);
  });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** A typed call straight over HTTP, for arranging a scene faster than clicking through it. */
export async function callStudio<T = unknown>(studio: ServedStudio, name: string, input: unknown): Promise<T> {
  const token = new URL(studio.studioUrl).hash.replace('#token=', '');
  const response = await fetch(new URL(`api/call/${name}`, studio.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * Holds the studio's calls of one operation (say content.list) until release(), so a test can
 * look at the screen while that answer is still on its way, as on a slow machine. release() lets
 * them through and stops holding.
 */
export async function holdCalls(page: Page, operation: string): Promise<{ release(): Promise<void> }> {
  let releaseHeld = () => {};
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const pattern = `**/api/call/${operation}`;
  const letThrough: Promise<void>[] = [];
  await page.route(pattern, (route) => {
    const passed = held.then(() => route.continue());
    letThrough.push(passed);
    return passed;
  });
  return {
    async release() {
      releaseHeld();
      // Every held call is let through before the route goes, or removing it would answer them twice.
      await Promise.all(letThrough);
      await page.unroute(pattern);
    },
  };
}

/**
 * Changes who the studio acts as through Settings, and returns once the host has stored it: a
 * "Settings saved." notice from an earlier save (info notices last 4 s) must not stand in for
 * this one, or the next steps would be recorded under the previous name.
 */
export async function actAs(page: Page, studio: ServedStudio, name: string): Promise<void> {
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.locator('#settings-actor').fill(name);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(async () => (await callStudio<{ actor: string }>(studio, 'settings.get', {})).actor).toBe(name);
}

/**
 * Writes a course with a 40 × 12 mock syllabus straight into a data folder, the way the studio
 * would have stored it; the served studio then opens it like any other course.
 */
export async function seedLargeSyllabus(dataDir: string, title = 'Distributed Systems Engineering'): Promise<{ courseId: string }> {
  // Loaded here, not with this module: most browser tests never seed, and the engine, the SQLite
  // driver and the mock model are seconds of every test file's start on a busy machine.
  const [{ createMockProvider }, { createEngine }, { openDatabase }, { databaseFile }] = await Promise.all([
    import('../../core/ai/mock-provider.js'),
    import('../../core/engine.js'),
    import('../../db/open.js'),
    import('../../host/data-dir.js'),
  ]);
  const opened = openDatabase(databaseFile(dataDir));
  try {
    const engine = createEngine({ store: opened.store });
    const course = engine.createCourse({ title, audience: 'Backend engineers', level: 'advanced', timeBudgetHours: 240, teachingStyle: 'labs', constraints: [] }, 'seed');
    await engine.generateSyllabusDraft(course.id, { actor: 'seed', models: [createMockProvider({ shape: { modules: 40, lessonsPerModule: 12 } })] });
    return { courseId: course.id };
  } finally {
    opened.close();
  }
}
