import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Whether a command-line tool the checks rely on is installed. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** The official schema files, in ../shared/standards beside the checkout; undefined when absent. */
export function standardsDir(): string | undefined {
  const dir = path.resolve(repoRoot, '..', 'shared', 'standards');
  return fs.existsSync(dir) ? dir : undefined;
}

/** Unpacks a zip with Info-ZIP's unzip, as an LMS would, into a fresh folder. */
export function unzipToTemp(bytes: Uint8Array, label = 'cw-unzip'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const file = path.join(dir, 'export.zip');
  fs.writeFileSync(file, bytes);
  const run = spawnSync('unzip', ['-q', file, '-d', path.join(dir, 'files')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`unzip failed (${run.status}): ${run.stderr}`);
  return path.join(dir, 'files');
}

export function xmllintValidate(xmlFile: string, xsdFile: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdFile, xmlFile], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
