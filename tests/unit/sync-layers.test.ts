import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true }).flatMap((entry) => (entry.isFile() && /\.tsx?$/.test(entry.name) ? [path.join(entry.parentPath, entry.name)] : []));
}

const importSpecs = (text: string) => [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);

/** Where relative imports of core/ files land inside server/: only the zod contract may be among them. */
function serverImportsOfCore(): string[] {
  return tsFiles('core').flatMap((file) =>
    importSpecs(fs.readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.relative(root, path.resolve(path.dirname(file), spec)))
      .filter((target) => target.startsWith(`server${path.sep}`))
      .map((target) => `${path.relative(root, file)} → ${target}`),
  );
}

describe('core/sync and the hosted server', () => {
  it('core reaches server/ only for its zod contract, never its runtime (routes, database, auth)', () => {
    const offences = serverImportsOfCore().filter((line) => !line.endsWith(`server${path.sep}contract.js`));
    expect(offences).toEqual([]);
  });

  it('the check sees the sync client importing the contract', () => {
    expect(serverImportsOfCore()).toContain(`${path.join('core', 'sync', 'client.ts')} → ${path.join('server', 'contract.js')}`);
  });

  it('the contract itself depends on nothing but zod and the shared schemas, so importing it brings no server code along', () => {
    const imports = importSpecs(fs.readFileSync(path.join(root, 'server', 'contract.ts'), 'utf8'));
    expect(imports).toContain('zod');
    expect(imports.filter((spec) => spec !== 'zod' && !/^\.\.\/schemas\/[\w-]+\.js$/.test(spec))).toEqual([]);
  });
});
