import '../host/native-hash.js';
import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { CoursewrightError, type ErrorCode } from '../schemas/errors.js';
import { createEngine, type Engine } from '../core/engine.js';
import { BlocklistModeration } from '../core/ai/moderation.js';
import { asCoursewrightError } from '../core/failures.js';
import { openDatabase } from '../db/open.js';
import { databaseFile, resolveActor, resolveDataDir } from '../host/data-dir.js';
import { projectRoot } from '../host/project-root.js';
import { formatAudit, formatDiff, formatSyllabusVersion, formatVersionList } from './format.js';
import { registerContentCommands } from './content-commands.js';
import { registerCourseCommands } from './course-commands.js';
import { registerDemoCommand } from './demo-command.js';
import { registerExportCommand } from './export-command.js';
import { registerPackageCommands } from './package-commands.js';
import { registerServerCommands } from './server-commands.js';
import { registerReviewCommands } from './review-commands.js';
import { registerSearchCommand } from './search-command.js';
import { registerSyncCommands } from './sync-commands.js';
import { registerAnalyticsCommands } from './analytics-commands.js';
import { registerRegenerationCommands } from './regeneration-commands.js';
import { registerLineageCommand } from './lineage-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { readJsonFile } from './read-json-file.js';
import { modelChainFromOptions, providerNames, type ModelOptions } from './models.js';

/** The version of this copy, as its package.json says (the bundle and the sources share one). */
function cliVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Exit codes are part of the CLI's contract with scripts. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'MISSING_API_KEY':
    case 'UNAUTHORIZED':
      return 2;
    case 'INVALID_INPUT':
    case 'MODEL_OUTPUT_INVALID':
      return 3;
    case 'NOT_FOUND':
      return 4;
    case 'CONFLICT':
      return 5;
    case 'SERVER_UNAVAILABLE':
      return 6;
    case 'MODEL_UNAVAILABLE':
    case 'CANCELLED':
    case 'STORAGE_LOCKED':
    case 'STORAGE_CORRUPT':
    case 'STORAGE_TOO_NEW':
    case 'INTERNAL':
      return 1;
  }
}

interface GlobalOptions {
  json?: boolean;
  data?: string;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runCli(argv: string[], io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }): Promise<number> {
  let exitCode = 0;
  let opened: ReturnType<typeof openDatabase> | undefined;
  const program = new Command();

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;
  const session = (cmd: Command) => {
    const options = globals(cmd);
    const dataDir = resolveDataDir(options.data);
    opened ??= openDatabase(databaseFile(dataDir));
    const engine: Engine = createEngine({ store: opened.store });
    const actor = (flag?: string) => resolveActor(flag, opened!.store.settings.get('actor'));
    return { engine, dataDir, file: opened.file, json: options.json === true, actor, store: opened.store };
  };
  const print = (cmd: Command, value: unknown, human: () => string) => {
    io.out(globals(cmd).json ? JSON.stringify(value, null, 2) : human());
  };

  program
    .name('coursewright')
    .description('Coursewright: from a learning intent to an approved, immutable syllabus.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable output')
    .option('--data <dir>', 'data folder (default: your user data folder; COURSEWRIGHT_DATA overrides)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) });

  program
    .command('init')
    .description('create the data folder and database')
    .action((_opts, cmd: Command) => {
      const s = session(cmd);
      print(cmd, { dataDir: s.dataDir, database: s.file, schemaVersion: opened!.schemaVersion }, () => `Coursewright data is in ${s.dataDir}\nDatabase: ${s.file} (schema v${opened!.schemaVersion})`);
    });

  const course = program.command('course').description('courses and their learning intents');
  course
    .command('create')
    .description('create a course from a learning intent JSON file')
    .requiredOption('--intent <file>', 'learning intent JSON file')
    .option('--by <name>', 'who is creating it')
    .action((opts: { intent: string; by?: string }, cmd: Command) => {
      const s = session(cmd);
      const created = s.engine.createCourse(readJsonFile(opts.intent, 'intent'), s.actor(opts.by));
      print(cmd, created, () => `Created course ${created.id}: ${created.title}\nNext: coursewright syllabus generate ${created.id}`);
    });
  registerCourseCommands(course, { session, print });

  registerContentCommands(program, course, { session, print, progress: io.err });
  registerPackageCommands(program, { session, print });
  registerReviewCommands(program, { session, print });
  registerExportCommand(program, { session, print, progress: io.err });
  registerSearchCommand(program, { session, print });
  registerSyncCommands(program, { session, print, progress: io.err });
  registerAnalyticsCommands(program, { session, print });
  registerRegenerationCommands(program, { session, print, progress: io.err });
  registerLineageCommand(program, { session, print });

  const syllabus = program.command('syllabus').description('generate, edit, review and approve syllabus versions');
  syllabus
    .command('generate')
    .description('ask a model for a new syllabus draft')
    .argument('<course>', 'course id')
    .addOption(new Option('--provider <name>', 'model provider').choices([...providerNames]))
    .option('--model <name>', 'model name for the OpenAI-compatible provider')
    .option('--fallback-model <name...>', 'models to try, in order, when the first fails')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (COURSEWRIGHT_BASE_URL)')
    .option('--cassette <file>', 'JSONL of recorded responses for --provider replay')
    .option('--record <file>', 'append every raw model response to this JSONL cassette')
    .option('--max-repairs <n>', 'repair round-trips after an invalid answer', '2')
    .option('--timeout-ms <ms>', 'timeout per model call', '120000')
    .option('--mock-latency-ms <ms>', 'latency of the mock model')
    .option('--mock-faults <list>', 'faults the mock injects, e.g. rate_limited,malformed')
    .option('--by <name>', 'who is generating')
    .action(async (courseId: string, opts: ModelOptions & { maxRepairs: string; timeoutMs: string; by?: string }, cmd: Command) => {
      const maxRepairs = Number(opts.maxRepairs);
      const timeoutMs = Number(opts.timeoutMs);
      if (!Number.isInteger(maxRepairs) || maxRepairs < 0 || maxRepairs > 10) throw new CoursewrightError('USAGE', '--max-repairs must be a whole number from 0 to 10.');
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CoursewrightError('USAGE', '--timeout-ms must be a positive number of milliseconds.');
      const s = session(cmd);
      s.engine.getCourse(courseId);
      const models = modelChainFromOptions(opts);
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        const version = await s.engine.generateSyllabusDraft(courseId, {
          actor: s.actor(opts.by),
          models,
          moderation: new BlocklistModeration(),
          maxRepairs,
          timeoutMs,
          signal: abort.signal,
          params: { maxRepairs, timeoutMs },
          onProgress: (p) => io.err(`[${p.attempt}/${p.maxAttempts}] ${p.stage}: ${p.message}`),
        });
        print(cmd, version, () => `${formatSyllabusVersion(version)}\n\nSaved draft v${version.version} (${version.id}). Review it, then: coursewright syllabus submit ${version.id}`);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
  syllabus
    .command('list')
    .description("list a course's syllabus versions")
    .argument('<course>', 'course id')
    .action((courseId: string, _opts, cmd: Command) => {
      const s = session(cmd);
      const versions = s.engine.listSyllabusVersions(courseId);
      print(cmd, versions, () => formatVersionList(versions));
    });
  syllabus
    .command('show')
    .description('show one syllabus version')
    .argument('<id>', 'syllabus version id')
    .action((id: string, _opts, cmd: Command) => {
      const version = session(cmd).engine.getSyllabusVersion(id);
      print(cmd, version, () => formatSyllabusVersion(version));
    });
  syllabus
    .command('edit')
    .description('save an edited syllabus as a new draft version (the old one stays)')
    .argument('<id>', 'syllabus version id to edit')
    .requiredOption('--file <file>', 'the edited syllabus JSON (or the output of `syllabus show --json`)')
    .option('--by <name>', 'who is editing')
    .action((id: string, opts: { file: string; by?: string }, cmd: Command) => {
      const s = session(cmd);
      const input = readJsonFile(opts.file, 'syllabus');
      // `show --json` output wraps the content; accept it so show → edit → edit round-trips.
      const content = input && typeof input === 'object' && 'syllabus' in input && 'metadata' in input ? (input as { syllabus: unknown }).syllabus : input;
      const version = s.engine.editSyllabus(id, content, s.actor(opts.by));
      print(cmd, version, () => `Saved draft v${version.version} (${version.id}), based on ${id}.${version.warnings.filter((w) => w.severity === 'warning').length ? ` ${version.warnings.filter((w) => w.severity === 'warning').length} lint warning(s): see \`coursewright syllabus show ${version.id}\`.` : ''}`);
    });
  syllabus
    .command('revise')
    .description('start a new draft from an approved or rejected version')
    .argument('<id>', 'syllabus version id')
    .option('--by <name>', 'who is revising')
    .action((id: string, opts: { by?: string }, cmd: Command) => {
      const s = session(cmd);
      const version = s.engine.reviseSyllabus(id, s.actor(opts.by));
      print(cmd, version, () => `Started draft v${version.version} (${version.id}) from ${id}. Edit it with \`coursewright syllabus edit ${version.id} --file FILE\`.`);
    });
  syllabus
    .command('diff')
    .description('compare two syllabus versions')
    .argument('<a>', 'older version id')
    .argument('<b>', 'newer version id')
    .action((a: string, b: string, _opts, cmd: Command) => {
      const diff = session(cmd).engine.diffSyllabusVersions(a, b);
      print(cmd, diff, () => formatDiff(diff));
    });
  syllabus
    .command('submit')
    .description('submit a draft for review')
    .argument('<id>', 'syllabus version id')
    .option('--by <name>', 'who is submitting')
    .action((id: string, opts: { by?: string }, cmd: Command) => {
      const s = session(cmd);
      const version = s.engine.submitSyllabus(id, s.actor(opts.by));
      print(cmd, version, () => `Submitted v${version.version} (${version.id}) for review.`);
    });
  syllabus
    .command('approve')
    .description('approve a version in review; it becomes immutable')
    .argument('<id>', 'syllabus version id')
    .requiredOption('--by <name>', 'approver')
    .option('--note <text>', 'approval note')
    .action((id: string, opts: { by: string; note?: string }, cmd: Command) => {
      const version = session(cmd).engine.approveSyllabus(id, { by: opts.by, note: opts.note });
      print(cmd, version, () => `Approved v${version.version} (${version.id}) by ${version.review.decidedBy}. sha256 ${version.review.contentHash}`);
    });
  syllabus
    .command('reject')
    .description('reject a version in review, with a reason')
    .argument('<id>', 'syllabus version id')
    .requiredOption('--by <name>', 'reviewer')
    .requiredOption('--reason <text>', 'what must change')
    .action((id: string, opts: { by: string; reason: string }, cmd: Command) => {
      const version = session(cmd).engine.rejectSyllabus(id, { by: opts.by, reason: opts.reason });
      print(cmd, version, () => `Rejected v${version.version} (${version.id}): ${version.review.rejectionReason}`);
    });

  program
    .command('audit')
    .description('show the audit log, for one entity or everything')
    .argument('[entity]', 'entity id (course or syllabus version)')
    .option('--limit <n>', 'most recent entries to show', '200')
    .action((entityId: string | undefined, opts: { limit: string }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new CoursewrightError('USAGE', '--limit must be a positive whole number.');
      const entries = session(cmd).engine.listAudit({ ...(entityId ? { entityId } : {}), limit });
      print(cmd, entries, () => formatAudit(entries));
    });

  program
    .command('serve')
    .description('run the studio in your browser: the same operations over HTTP on 127.0.0.1')
    .option('--port <n>', 'port (default: any free port)', '0')
    .option('--no-build', 'serve the existing UI build even if sources are newer')
    .action(async (opts: { port: string; build: boolean }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CoursewrightError('USAGE', '--port must be a whole number from 0 to 65535.');
      const { buildRenderer, rendererBuildDir, rendererBuildIsStale } = await import('../host/renderer-build.js');
      const { startStudioServer } = await import('./serve/server.js');
      if (opts.build && rendererBuildIsStale()) await buildRenderer(io.err);
      const dataDir = resolveDataDir(globals(cmd).data);
      const server = await startStudioServer({ dataDir, port, rendererDir: rendererBuildDir, apiKey: process.env.COURSEWRIGHT_API_KEY ?? process.env.OPENAI_API_KEY ?? null });
      print(cmd, { url: server.url, studioUrl: server.studioUrl, dataDir }, () => `Coursewright studio: ${server.studioUrl}\nData: ${dataDir}\nPress Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });

  registerDemoCommand(program, { session, print, progress: io.err, readIntent: (file) => readJsonFile(file, 'intent') });
  registerServerCommands(program, { print });
  registerSimulateCommand(program, { print, progress: io.err });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander rejects is usage.
      exitCode = error.exitCode === 0 ? 0 : 2;
    } else {
      const failure = asCoursewrightError(error);
      exitCode = exitCodeFor(failure.code);
      if (globals(program).json) io.err(JSON.stringify({ error: failure.toEnvelope() }, null, 2));
      else io.err(`error (${failure.code}): ${failure.message}`);
    }
  } finally {
    opened?.close();
  }
  return exitCode;
}
