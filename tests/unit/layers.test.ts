import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true, recursive: true }).flatMap((entry) =>
    entry.isFile() && /\.(ts|tsx)$/.test(entry.name) ? [path.join(entry.parentPath, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Which layers each layer may reach, as in DESIGN.md: core and schemas run anywhere. */
/** forbiddenDirs: top-level folders a relative import must not resolve into (server/ has a db/ of its own). */
const rules: Array<{ layer: string; forbidden: RegExp; forbiddenDirs?: string[]; why: string }> = [
  { layer: 'schemas', forbidden: /^node:|^(fs|path|os|crypto|child_process|better-sqlite3|electron|react)$|\.\.\/(core|db|cli|host|electron|renderer)\//, why: 'schemas run anywhere and depend on nothing but zod' },
  { layer: 'core', forbidden: /^node:|^(fs|path|os|crypto|child_process|better-sqlite3|drizzle-orm.*|electron|react|react-dom)$|\.\.\/(db|cli|host|electron|renderer)\//, why: 'core is pure TypeScript that talks to storage through ports' },
  { layer: 'db', forbidden: /^(electron|react|react-dom)$|\.\.\/(cli|host|electron|renderer)\//, why: 'db is the storage layer only' },
  { layer: 'server', forbidden: /^(better-sqlite3|electron|react|react-dom)$/, forbiddenDirs: ['db', 'cli', 'host', 'electron', 'renderer'], why: 'the hosted server is its own deployable: core and schemas only, its own PostgreSQL storage, never the studio\'s SQLite' },
  { layer: 'renderer/src', forbidden: /^node:|^(fs|path|os|better-sqlite3|drizzle-orm.*|electron)$|\.\.\/(db|cli|host|electron)\//, why: 'the renderer is untrusted DOM code that reaches the host only through the contract' },
];

describe('layer boundaries', () => {
  it.each(rules)('$layer imports nothing it must not ($why)', ({ layer, forbidden, forbiddenDirs = [] }) => {
    const resolvesInto = (file: string, spec: string) => spec.startsWith('.') && forbiddenDirs.some((dir) => path.relative(root, path.resolve(path.dirname(file), spec)).startsWith(`${dir}${path.sep}`));
    const offences = sourceFiles(layer).flatMap((file) => importsOf(file).filter((spec) => forbidden.test(spec) || resolvesInto(file, spec)).map((spec) => `${path.relative(root, file)} → ${spec}`));
    expect(offences).toEqual([]);
  });

  it('the server check tells the studio\'s db/ from the server\'s own server/db/', () => {
    const server = rules.find((rule) => rule.layer === 'server')!;
    const resolved = (file: string, spec: string) => path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec));
    expect(resolved('server/app.ts', './db/connection.js')).toBe(path.join('server', 'db', 'connection.js'));
    expect(server.forbiddenDirs).toContain(resolved('server/app.ts', '../db/open.js').split(path.sep)[0]);
  });

  it('the checker sees imports at all', () => {
    expect(importsOf(path.join(root, 'core/engine.ts'))).toContain('./syllabus/generate.js');
  });
});
