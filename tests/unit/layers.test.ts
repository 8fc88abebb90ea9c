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
  { layer: 'server', forbidden: /^(better-sqlite3|electron|react|react-dom)$/, forbiddenDirs: ['db', 'cli', 'host', 'electron', 'renderer'], why: 'the hosted server is its own deployable: core, schemas and node-common only, its own PostgreSQL storage, never the studio\'s SQLite' },
  { layer: 'node-common', forbidden: /^(better-sqlite3|drizzle-orm.*|electron|react|react-dom|fastify|pg)$/, forbiddenDirs: ['db', 'cli', 'host', 'electron', 'renderer', 'server', 'player'], why: 'the Node-only pieces the studio\'s host and the hosted server share depend on neither of them, nor on any storage' },
  { layer: 'renderer/src', forbidden: /^node:|^(fs|path|os|better-sqlite3|drizzle-orm.*|electron)$|\.\.\/(db|cli|host|electron)\//, why: 'the renderer is untrusted DOM code that reaches the host only through the contract' },
];

type LayerRule = (typeof rules)[number];

/** The imports of one file of a layer that its rule forbids, as "file → specifier". */
function offencesOf({ forbidden, forbiddenDirs = [] }: LayerRule, file: string, specs: string[]): string[] {
  const resolvesInto = (spec: string) => spec.startsWith('.') && forbiddenDirs.some((dir) => path.relative(root, path.resolve(path.dirname(file), spec)).startsWith(`${dir}${path.sep}`));
  return specs.filter((spec) => forbidden.test(spec) || resolvesInto(spec)).map((spec) => `${path.relative(root, file)} → ${spec}`);
}

describe('layer boundaries', () => {
  it.each(rules)('$layer imports nothing it must not ($why)', (rule) => {
    const offences = sourceFiles(rule.layer).flatMap((file) => offencesOf(rule, file, importsOf(file)));
    expect(offences).toEqual([]);
  });

  it('the server and the studio host may share node-common/; the server still may not reach host/, nor node-common reach either side', () => {
    const server = rules.find((rule) => rule.layer === 'server')!;
    const nodeCommon = rules.find((rule) => rule.layer === 'node-common')!;
    const runExport = path.join(root, 'server', 'exports', 'run-export.ts');
    expect(offencesOf(server, runExport, ['../../node-common/export-assets.js', '../../core/export/index.js'])).toEqual([]);
    expect(offencesOf(server, runExport, ['../../host/export-assets.js'])).toEqual([`${path.join('server', 'exports', 'run-export.ts')} → ../../host/export-assets.js`]);
    const zipWriter = path.join(root, 'node-common', 'zip-writer.ts');
    expect(offencesOf(nodeCommon, zipWriter, ['node:stream', '../core/export/zip.js', 'yazl'])).toEqual([]);
    for (const spec of ['../host/project-root.js', '../server/db/connection.js', '../db/open.js', 'better-sqlite3', 'electron']) expect(offencesOf(nodeCommon, zipWriter, [spec]), spec).toHaveLength(1);
    // And the real files: the server's exports import the shared host, not a copy of their own.
    expect(importsOf(runExport)).toContain('../../node-common/export-assets.js');
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
