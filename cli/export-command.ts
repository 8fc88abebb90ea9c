import { type Command, Option } from 'commander';
import type { Store } from '../core/ports.js';
import { CoursewrightError } from '../schemas/errors.js';
import { ExportFormat, ScormScoMode } from '../schemas/package.js';
import { createPackageEngine } from '../core/packaging/engine.js';
import { exportStoredPackage } from '../host/package-export.js';

export interface ExportCommandContext {
  session: (cmd: Command) => { store: Store; dataDir: string; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (line: string) => void;
}

const formatBytes = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** `export PACKAGE --format … [--out PATH]`: a stored package to a file an LMS, a browser or a printer takes. */
export function registerExportCommand(program: Command, context: ExportCommandContext): void {
  program
    .command('export')
    .description('export a course package: pdf, html (zip), scorm12, scorm2004 or imscc')
    .argument('<package>', 'package id (see `coursewright package list`)')
    .addOption(new Option('--format <format>', 'export format').choices(ExportFormat.options).makeOptionMandatory())
    .option('--out <path>', 'file to write, or an existing folder to write the suggested name into (default: the data folder’s exports/); must be a regular file or a new name in an existing folder')
    .addOption(new Option('--sco <mode>', 'SCORM: one SCO for the whole course, or one per module').choices(ScormScoMode.options).default('course'))
    .option('--by <name>', 'who is exporting (recorded in the audit log)')
    .action(async (packageId: string, opts: { format: ExportFormat; out?: string; sco: ScormScoMode; by?: string }, cmd: Command) => {
      const s = context.session(cmd);
      if (opts.sco !== 'course' && opts.format !== 'scorm12' && opts.format !== 'scorm2004') throw new CoursewrightError('USAGE', '--sco applies to SCORM exports only (--format scorm12 or scorm2004).');
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      let lastReport = 0;
      let lastPhase = '';
      try {
        const record = await exportStoredPackage(
          { getPackage: (id) => createPackageEngine({ store: s.store }).getPackage(id), audit: s.store.audit, dataDir: s.dataDir },
          {
            packageId,
            format: opts.format,
            ...(opts.format === 'scorm12' || opts.format === 'scorm2004' ? { scoMode: opts.sco } : {}),
            ...(opts.out ? { out: opts.out } : {}),
            actor: s.actor(opts.by),
            signal: abort.signal,
            onProgress: (p) => {
              const now = Date.now();
              // Every new phase is shown; within a phase, a line every quarter second is enough.
              if (p.phase !== lastPhase || p.done === p.total || now - lastReport > 250) {
                lastReport = now;
                lastPhase = p.phase;
                context.progress(`${p.phase}: ${p.done}/${p.total}`);
              }
            },
          },
        );
        context.print(cmd, record, () => `Exported package v${record.version} as ${record.format}: ${record.path} (${formatBytes(record.bytes)}, sha256 ${record.sha256.slice(0, 16)}…)`);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
