import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../../db/open.js';
import { studioTables } from '../../../db/schema.js';
import { openFresh } from './fixtures.js';

/*
 * db/schema.ts (what drizzle queries) and db/migrations.ts (what the database really is) are
 * written by hand, separately. These checks fail as soon as one changes without the other.
 */

let opened: OpenedDatabase;
beforeAll(() => {
  opened = openFresh('schema-agreement');
});
afterAll(() => opened.close());

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
  dflt_value: string | null;
}

/** A drizzle column default as SQLite reports it in PRAGMA table_info. */
function sqlLiteral(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(Number(value));
  throw new Error(`no literal for default ${String(value)}`);
}

const tables = Object.values(studioTables) as SQLiteTable[];

describe('drizzle schema and migrated database agree', () => {
  it('the database has exactly the drizzle tables, plus migration bookkeeping', () => {
    // FTS5 full-text indexes (virtual tables) and the shadow tables SQLite keeps for them are
    // not drizzle tables; search_text is the one the migrations create.
    const fullTextTables = ['search_text', 'search_text_config', 'search_text_data', 'search_text_docsize', 'search_text_idx'];
    const inDatabase = opened.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .pluck()
      .all();
    expect(inDatabase).toEqual([...tables.map((t) => getTableConfig(t).name), 'schema_migrations', ...fullTextTables].sort());
  });

  describe.each(tables.map((t) => [getTableConfig(t).name, t] as const))('%s', (name, table) => {
    const config = getTableConfig(table);

    it('has the same columns, types, nullability, keys and defaults', () => {
      const actual = (opened.db.pragma(`table_info(${name})`) as ColumnInfo[]).map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        notNull: c.notnull === 1 || c.pk === 1,
        primaryKey: c.pk === 1,
        defaultValue: c.dflt_value,
      }));
      const declared = config.columns.map((c) => ({
        name: c.name,
        type: c.getSQLType(),
        notNull: c.notNull || c.primary,
        primaryKey: c.primary,
        defaultValue: sqlLiteral(c.default),
      }));
      expect(actual).toEqual(declared);
    });

    it('has the same indexes', () => {
      const actual = (opened.db.pragma(`index_list(${name})`) as { name: string; origin: string }[])
        .filter((i) => i.origin === 'c')
        .map((i) => ({ name: i.name, columns: (opened.db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const declared = config.indexes
        .map((i) => ({ name: i.config.name, columns: i.config.columns.map((c) => (c as { name: string }).name) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(actual).toEqual(declared);
    });

    it('has the same unique constraints and foreign keys', () => {
      const uniques = (opened.db.pragma(`index_list(${name})`) as { name: string; origin: string }[])
        .filter((i) => i.origin === 'u')
        .map((i) => (opened.db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name));
      expect(uniques).toEqual(config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)));

      const foreignKeys = (opened.db.pragma(`foreign_key_list(${name})`) as { table: string; from: string; to: string }[])
        .map((f) => `${f.from} → ${f.table}.${f.to}`)
        .sort();
      const declaredForeignKeys = config.foreignKeys
        .map((fk) => {
          const ref = fk.reference();
          return `${ref.columns[0]!.name} → ${getTableConfig(ref.foreignTable).name}.${ref.foreignColumns[0]!.name}`;
        })
        .sort();
      expect(foreignKeys).toEqual(declaredForeignKeys);
    });
  });
});
