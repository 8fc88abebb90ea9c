import type { FastifyInstance } from 'fastify';
import { buildServerApp } from '../../../server/app.js';
import { openServerDatabase, type DatabaseLocation, type OpenedDatabase } from '../../../server/db/connection.js';
import { createApiKey, createTenant } from '../../../server/store/admin-store.js';
import type { ApiKeyRole } from '../../../server/db/schema.js';

export interface TestServer {
  app: FastifyInstance;
  database: OpenedDatabase;
  /** A new tenant with one key per role. */
  tenantWithKeys(name: string): Promise<{ id: string; keys: Record<ApiKeyRole, string>; keyIds: Record<ApiKeyRole, string> }>;
}

/** The server app on a database, driven through app.inject (the real router, hooks and plugins). */
export async function startTestServer(location: DatabaseLocation): Promise<TestServer> {
  const database = await openServerDatabase(location);
  const app = await buildServerApp({ database });
  return {
    app,
    database,
    async tenantWithKeys(name) {
      const tenant = await createTenant(database.db, name, 'cli:test');
      const keys = {} as Record<ApiKeyRole, string>;
      const keyIds = {} as Record<ApiKeyRole, string>;
      for (const role of ['admin', 'author', 'analyst'] as const) {
        const created = await createApiKey(database.db, tenant.id, role, 'cli:test');
        keys[role] = created.key;
        keyIds[role] = created.id;
      }
      return { id: tenant.id, keys, keyIds };
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
