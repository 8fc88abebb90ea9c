import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoursewrightError, type ErrorCode } from '../schemas/errors.js';
import { resolveDataDir } from '../host/data-dir.js';
import { processIsAlive } from '../node-common/process-alive.js';
import type { DatabaseLocation, OpenedDatabase } from '../server/db/connection.js';

export interface ServerCommandContext {
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

/**
 * PGlite is one process's database: two processes opening its folder corrupt it. The server
 * holds this lock file (with its pid) while it runs; admin commands refuse while a live process
 * holds it, and a file left by a process that died is taken over.
 */
function embeddedLockFile(folder: string): string {
  return path.join(folder, 'in-use.pid');
}

function holdEmbeddedDatabase(folder: string, purpose: string): () => void {
  fs.mkdirSync(folder, { recursive: true });
  const lock = embeddedLockFile(folder);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new CoursewrightError('STORAGE_LOCKED', `The embedded server database in ${folder} is in use by process ${holder} (a running \`coursewright server start\`), so it cannot ${purpose}. Stop that server first, or use PostgreSQL with --database postgres://… (or DATABASE_URL), which many processes can share.`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new CoursewrightError('STORAGE_LOCKED', `Could not take the lock ${lock}; remove it if no server is running.`);
}

function locationFrom(flag: string | undefined, dataDirFlag: string | undefined): DatabaseLocation {
  const url = flag ?? process.env.DATABASE_URL;
  if (url && url.trim()) {
    if (!/^postgres(ql)?:\/\//.test(url.trim())) throw new CoursewrightError('USAGE', `--database must be a PostgreSQL URL like postgres://user:password@host:5432/coursewright, not "${url}". Leave it out to use the embedded database in the data folder.`);
    return { kind: 'postgres', url: url.trim() };
  }
  return { kind: 'pglite', dataDir: path.join(resolveDataDir(dataDirFlag), 'server', 'pglite') };
}

/**
 * Origins allowed to call the server from a browser page on another site: `--cors-origin`, else
 * CORS_ORIGIN, comma-separated. Each must be an origin exactly as browsers send it (scheme, host,
 * port; no path), since CORS compares them as strings.
 */
function corsOriginsFrom(flag: string | undefined): string[] {
  const value = flag ?? process.env.CORS_ORIGIN ?? '';
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | null = null;
      try {
        url = new URL(entry);
      } catch {
        url = null;
      }
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
        throw new CoursewrightError('USAGE', `--cors-origin (or CORS_ORIGIN) takes origins like https://learn.example.org or http://localhost:5173 (scheme, host and port, no path), not "${entry}".`);
      }
      return url.origin;
    });
}

/** The server's refusals speak the CLI's error codes, so exit codes stay the CLI's contract. */
const cliCodes: Record<string, ErrorCode> = { INVALID_INPUT: 'INVALID_INPUT', NOT_FOUND: 'NOT_FOUND', CONFLICT: 'CONFLICT' };

async function withAdminDatabase<T>(cmd: Command, run: (database: OpenedDatabase) => Promise<T>): Promise<T> {
  const options = cmd.optsWithGlobals() as { database?: string; data?: string };
  const location = locationFrom(options.database, options.data);
  const release = location.kind === 'pglite' && location.dataDir ? holdEmbeddedDatabase(location.dataDir, 'be changed from the command line') : () => {};
  try {
    const { openServerDatabase } = await import('../server/db/connection.js');
    const database = await openServerDatabase(location);
    try {
      return await run(database);
    } catch (error) {
      const code = (error as { name?: string; code?: string }).name === 'ApiError' ? cliCodes[(error as { code: string }).code] : undefined;
      if (code) throw new CoursewrightError(code, (error as Error).message);
      throw error;
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli:operator';
  }
}

const inactiveAfterHelp = 'learner analytics: days without activity before a learner counts as dropped off at their furthest lesson (0: at once)';

function inactiveAfterDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(days) || days > 3650) throw new CoursewrightError('USAGE', `--inactive-after takes a whole number of days from 0 to 3650 (7 by default; 0 counts every learner's furthest lesson at once), not "${value}".`);
  return days;
}

export function registerServerCommands(program: Command, context: ServerCommandContext): void {
  const { print } = context;
  const server = program.command('server').description('the hosted learner server: start it, and administer tenants and API keys');
  const databaseOption = (cmd: Command) => cmd.option('--database <url>', 'PostgreSQL URL (default: DATABASE_URL, else the embedded database in the data folder)');

  databaseOption(server.command('start'))
    .description('start the hosted learner server')
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on; anything but loopback exposes the server to the network', '127.0.0.1')
    .option('--cors-origin <origins>', 'comma-separated origins whose pages may call the API from a browser (default: CORS_ORIGIN, else none: CORS closed)')
    .option('--inactive-after <days>', inactiveAfterHelp, '7')
    .action(async (opts: { database?: string; port: string; host: string; corsOrigin?: string; inactiveAfter: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CoursewrightError('USAGE', '--port must be a whole number from 0 to 65535.');
      const corsOrigins = corsOriginsFrom(opts.corsOrigin);
      const analytics = { inactiveAfterDays: inactiveAfterDays(opts.inactiveAfter) };
      const location = locationFrom(opts.database, (cmd.optsWithGlobals() as { data?: string }).data);
      const release = location.kind === 'pglite' && location.dataDir ? holdEmbeddedDatabase(location.dataDir, 'be served twice') : () => {};
      try {
        const { startServer } = await import('../server/start.js');
        // Logs are JSON lines on stderr; stdout carries only what scripts read (the address).
        const running = await startServer({ location, host: opts.host, port, corsOrigins, analytics, logger: { level: process.env.LOG_LEVEL ?? 'info', stream: process.stderr } });
        print(cmd, { url: running.url, database: location.kind }, () => `listening on ${running.url}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      } finally {
        release();
      }
    });

  const tenant = server.command('tenant').description('institutions served by this server');
  databaseOption(tenant.command('create <name>'))
    .description('create a tenant; prints its id')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const created = await withAdminDatabase(cmd, async (database) => {
        const { createTenant } = await import('../server/store/admin-store.js');
        return createTenant(database.db, name, cliActor());
      });
      print(cmd, { id: created.id, name: created.name }, () => `Tenant "${created.name}": ${created.id}`);
    });

  const key = server.command('key').description('API keys for admins, authors and analysts of one tenant');
  databaseOption(key.command('create'))
    .description('create an API key; it is shown once and stored only as a hash')
    .requiredOption('--tenant <id>', 'the tenant the key acts for')
    .requiredOption('--role <role>', 'admin, author or analyst')
    .action(async (opts: { tenant: string; role: string }, cmd: Command) => {
      if (!['admin', 'author', 'analyst'].includes(opts.role)) throw new CoursewrightError('USAGE', `--role must be admin, author or analyst, not "${opts.role}".`);
      const created = await withAdminDatabase(cmd, async (database) => {
        const { createApiKey } = await import('../server/store/admin-store.js');
        return createApiKey(database.db, opts.tenant, opts.role as 'admin' | 'author' | 'analyst', cliActor());
      });
      print(cmd, created, () => `Key ${created.id} (${created.role}) for tenant ${created.tenantId}:\n${created.key}\nThis is the only time the key is shown; store it now.`);
    });
  databaseOption(key.command('revoke <keyId>'))
    .description('revoke an API key at once')
    .action(async (keyId: string, _opts: unknown, cmd: Command) => {
      const revoked = await withAdminDatabase(cmd, async (database) => {
        const { revokeApiKey } = await import('../server/store/admin-store.js');
        return revokeApiKey(database.db, keyId, cliActor());
      });
      print(cmd, revoked, () => `Key ${revoked.id} revoked.`);
    });

  databaseOption(server.command('aggregate'))
    .description("compute learner analytics (aggregates, signals, suggestions) for a day now, as the nightly job does; recomputing a day gives the same rows")
    .option('--course <id>', 'one course (default: every live course of every tenant)')
    .option('--date <YYYY-MM-DD>', 'the UTC day (default: today)')
    .option('--inactive-after <days>', inactiveAfterHelp, '7')
    .action(async (opts: { course?: string; date?: string; inactiveAfter: string }, cmd: Command) => {
      const settings = { inactiveAfterDays: inactiveAfterDays(opts.inactiveAfter) };
      const { aggregateDay, checkDay, utcDay } = await import('../server/analytics/aggregate.js');
      const day = opts.date ?? utcDay(new Date());
      const problem = checkDay(day);
      if (problem) throw new CoursewrightError('USAGE', `--date: ${problem}.`);
      const runs = await withAdminDatabase(cmd, async (database) => {
        const outcomes = await aggregateDay(database, { courseId: opts.course }, day, settings);
        if (opts.course && outcomes.length === 0) throw new CoursewrightError('NOT_FOUND', `No tenant has a live course "${opts.course}"; \`coursewright server aggregate\` without --course runs every live course.`);
        return outcomes;
      });
      print(cmd, { day, inactiveAfterDays: settings.inactiveAfterDays, runs }, () =>
        runs.length === 0
          ? `No live courses to aggregate for ${day}.`
          : runs.map((run) => (run.packageVersion === null ? `${run.courseId} (${run.tenantId}): not live by the end of ${day}; nothing computed` : `${run.courseId} v${run.packageVersion} (${run.tenantId}) ${day}: ${run.written ? 'written' : 'unchanged'}; ${run.lessons} lessons, ${run.items} questions, ${run.signals} signals, ${run.suggestionsCreated} new suggestions`)).join('\n'),
      );
    });
}
