import { expect, it } from 'vitest';
import { openServerDatabase } from '../../server/db/connection.js';
import { latestMigrationVersion, migrationChecksum, migrations } from '../../server/db/migrations.js';
import { describeOnBothDatabases } from './support/databases.js';

describeOnBothDatabases('schema migrations', (target) => {
  it('migrates an empty database once, records each version with its checksum, and finds nothing to do on the next start', async () => {
    const location = await target.emptyLocation();
    const opened = await openServerDatabase(location);
    expect(opened.migrated).toEqual(migrations.map((m) => m.version));
    expect(await opened.query('SELECT version, checksum FROM schema_migrations ORDER BY version')).toEqual(migrations.map((m) => ({ version: m.version, checksum: migrationChecksum(m) })));
    await opened.close();
    const reopened = await openServerDatabase(location);
    expect(reopened.migrated).toEqual([]);
    // An applied migration that differs from this build's (history edited) stops the start.
    await reopened.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    await reopened.close();
    await expect(openServerDatabase(location)).rejects.toThrow(/Migration 1 .* differs from the one applied/);
  }, 300_000);
});

describeOnBothDatabases('several instances starting at once', (target) => {
  it.skipIf(target.kind === 'pglite')('(PostgreSQL only: PGlite is one process\'s database) three instances migrating one PostgreSQL together all start; each migration is applied once', async () => {
    const location = await target.emptyLocation();
    const [one, two, three] = await Promise.all([openServerDatabase(location), openServerDatabase(location), openServerDatabase(location)]);
    expect([...one!.migrated, ...two!.migrated, ...three!.migrated].sort()).toEqual(migrations.map((m) => m.version).sort());
    expect(await one!.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(migrations.map((m) => ({ version: m.version })));
    expect(latestMigrationVersion).toBe(migrations.at(-1)!.version);
    await Promise.all([one!.close(), two!.close(), three!.close()]);
  }, 300_000);
});
