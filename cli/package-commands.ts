import type { Command } from 'commander';
import { createPackageEngine, type BuiltPackage } from '../core/packaging/engine.js';
import type { Store } from '../core/ports.js';
import type { CoursePackage, CoursePackageSummary } from '../schemas/package.js';

export interface PackageCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function summaryLine(p: CoursePackageSummary): string {
  return `${p.id}  v${p.version}  ${p.status.padEnd(9)} ${p.createdAt.slice(0, 19).replace('T', ' ')}  ${plural(p.moduleCount, 'module')}, ${plural(p.lessonCount, 'lesson')}  sha256 ${p.contentHash.slice(0, 16)}…  ${p.courseTitle}`;
}

function describePackage(p: CoursePackage): string {
  const counts = (kind: string) => p.itemHashes.filter((i) => i.kind === kind).length;
  return [
    `Package v${p.version} of ${p.document.course.title} (${p.id}) — ${p.status}${p.archivedAt ? ` since ${p.archivedAt} by ${p.archivedBy}` : ''}`,
    `built ${p.createdAt} by ${p.createdBy} from syllabus v${p.document.syllabus.version} (${p.document.syllabus.versionId})`,
    `content sha256 ${p.contentHash}`,
    `${p.document.modules.length} modules · ${counts('lesson')} lessons · ${counts('quiz')} quizzes · ${counts('project')} projects · ${size(p.sizeBytes)} of JSON`,
    '',
    ...p.document.modules.map((m, i) => `  ${i + 1}. ${m.title} — ${m.lessons.length} lessons${m.project ? ', project' : ''}`),
    '',
    `Export it: coursewright export ${p.id} --format pdf|html|scorm12|scorm2004|imscc`,
  ].join('\n');
}

/** `package build|list|show|archive`: freezing approved content into versioned, immutable packages. */
export function registerPackageCommands(program: Command, context: PackageCommandContext): void {
  const { session, print } = context;
  const engineFor = (cmd: Command) => {
    const s = session(cmd);
    return { packages: createPackageEngine({ store: s.store }), actor: s.actor };
  };
  const pkg = program.command('package').description('course packages: the approved course frozen into a versioned, immutable document');

  pkg
    .command('build')
    .description('build the next package version from the approved syllabus and all approved content')
    .argument('<course>', 'course id')
    .option('--by <name>', 'who is building')
    .action((courseId: string, opts: { by?: string }, cmd: Command) => {
      const { packages, actor } = engineFor(cmd);
      const built: BuiltPackage = packages.buildPackage(courseId, actor(opts.by));
      print(cmd, built, () =>
        [
          `Built package v${built.version} (${built.id}): ${plural(built.moduleCount, 'module')}, ${plural(built.lessonCount, 'lesson')}, ${size(built.sizeBytes)}.`,
          `content sha256 ${built.contentHash}`,
          ...(built.sameContentAs ? [`Same content as v${built.sameContentAs}: nothing approved has changed since.`] : []),
          `Export it: coursewright export ${built.id} --format scorm12`,
        ].join('\n'),
      );
    });

  pkg
    .command('list')
    .description('list packages, newest first')
    .option('--course <id>', 'only this course')
    .action((opts: { course?: string }, cmd: Command) => {
      const list = engineFor(cmd).packages.listPackages(opts.course);
      print(cmd, list, () => (list.length ? list.map(summaryLine).join('\n') : 'No packages yet. Build one with `coursewright package build COURSE` once all content is approved.'));
    });

  pkg
    .command('show')
    .description('show a package: version, status, hash, contents')
    .argument('<package>', 'package id')
    .option('--document', 'print the frozen package document as JSON')
    .action((packageId: string, opts: { document?: boolean }, cmd: Command) => {
      const found = engineFor(cmd).packages.getPackage(packageId);
      if (opts.document) return print(cmd, found.document, () => JSON.stringify(found.document, null, 2));
      print(cmd, found, () => describePackage(found));
    });

  pkg
    .command('archive')
    .description('archive a published package (it stays readable and exportable)')
    .argument('<package>', 'package id')
    .option('--reason <text>', 'why')
    .option('--by <name>', 'who is archiving')
    .action((packageId: string, opts: { reason?: string; by?: string }, cmd: Command) => {
      const { packages, actor } = engineFor(cmd);
      const archived = packages.archivePackage(packageId, actor(opts.by), opts.reason);
      print(cmd, archived, () => `Archived package v${archived.version} (${archived.id}).`);
    });
}
