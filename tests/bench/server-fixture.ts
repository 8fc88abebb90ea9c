import type { ExportablePackage } from '../../core/export/types.js';
import { startPostgresCluster, postgresUnavailable, type PostgresCluster } from '../server/support/postgres.js';
import { httpClient, publishAndRelease, startServerProcess, tenantWithAuthorKey, type HttpClient, type ServerProcess } from '../server/support/server-process.js';

export interface BenchServer {
  cluster: PostgresCluster;
  databaseUrl: string;
  server: ServerProcess;
  client: HttpClient;
  tenantId: string;
  authorKey: string;
  stop(): Promise<void>;
}

/** Why the server benchmarks cannot run here, or null. */
export const serverBenchUnavailable = postgresUnavailable;

/**
 * One `coursewright server start` process on a private PostgreSQL 15 cluster (the test harness's,
 * with fsync off: the figures are of the server and its queries, not of this machine's disk),
 * a tenant with an author key, and optionally a package live.
 */
export async function startBenchServer(name: string, live?: ExportablePackage): Promise<BenchServer> {
  const cluster = await startPostgresCluster();
  try {
    const databaseUrl = await cluster.createDatabase();
    const server = await startServerProcess(databaseUrl);
    const client = httpClient();
    const { tenantId, authorKey } = await tenantWithAuthorKey(databaseUrl, name);
    if (live) {
      const released = await publishAndRelease(client, server.url, authorKey, live, null);
      if (released.status !== 200) throw new Error(`release answered ${released.status}: ${JSON.stringify(released.body)}`);
    }
    return {
      cluster,
      databaseUrl,
      server,
      client,
      tenantId,
      authorKey,
      async stop() {
        client.close();
        await server.stop();
        cluster.stop();
      },
    };
  } catch (error) {
    cluster.stop();
    throw error;
  }
}
