import path from 'node:path';
import type { Command } from 'commander';
import { BlocklistModeration } from '../core/ai/moderation.js';
import { createContentEngine } from '../core/content/engine.js';
import type { Engine } from '../core/engine.js';
import { createPackageEngine } from '../core/packaging/engine.js';
import type { Store } from '../core/ports.js';
import { exportStoredPackage } from '../host/package-export.js';
import { projectRoot } from '../host/project-root.js';
import { ExportFormat, type ExportFormat as Format } from '../schemas/package.js';
import type { ExportRecord } from '../schemas/api.js';
import { runDemoAnalytics, type DemoAnalyticsResult } from './demo-analytics.js';
import { formatSyllabusVersion } from './format.js';
import { modelChainFromOptions } from './models.js';

export interface DemoContext {
  session: (cmd: Command) => { engine: Engine; store: Store; dataDir: string; file: string; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (line: string) => void;
  readIntent: (file: string) => unknown;
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** What to open once the demo's learners have been simulated and their analytics synced. */
function analyticsLines(courseId: string, a: DemoAnalyticsResult): string[] {
  const { miskeyedQuestion: q, dropOffLesson: d } = a.planted;
  const questionFlagged = a.flaggedQuestions.some((f) => f.questionId === q.questionId && f.lessonId === q.lessonId && f.flags.includes('item_suspect_key'));
  const lessonFlagged = a.flaggedLessons.some((f) => f.lessonId === d.lessonId && f.flags.includes('high_dropoff'));
  return [
    '',
    `${a.simulation.learners} simulated learners (seed ${a.simulation.seed}) used the course on a temporary learner server; their analytics are synced into the studio.`,
    `  Planted: question ${q.questionNumber} of "${q.lessonTitle}" answered as if miskeyed (${questionFlagged ? 'flagged: answer key suspect' : 'not flagged this time'}),`,
    `  and learners stopping at "${d.lessonTitle}" (${lessonFlagged ? 'flagged: many stop here' : 'not flagged this time'}).`,
    'See them:',
    `  coursewright serve → the course → Analytics: question ${q.questionNumber} of "${q.lessonTitle}" and the lesson "${d.lessonTitle}" are flagged`,
    `  … → Suggestions: ${a.openSuggestions} open suggestion${a.openSuggestions === 1 ? '' : 's'}`,
    `  coursewright analytics show ${courseId}`,
    `The learner server has stopped, so accepting or dismissing a suggestion is queued in the outbox (it cannot reach ${a.serverUrl} any more).`,
  ];
}

/**
 * `coursewright demo`: the whole job on the embedded defaults (the SQLite file, the mock model).
 * A sample intent becomes a syllabus, content, a package and every export format. The review
 * steps a person takes are taken by a reviewer named "Demo reviewer", so the audit log shows
 * plainly who approved what.
 */
export function registerDemoCommand(program: Command, context: DemoContext): void {
  program
    .command('demo')
    .description('run the whole job on the mock model: syllabus, content, review, package, and every export format')
    .option('--syllabus-only', 'stop after the syllabus draft (nothing is approved)')
    .option('--analytics', 'then publish it to a temporary learner server, simulate learners and sync their analytics into the studio (takes a few minutes)')
    .action(async (opts: { syllabusOnly?: boolean; analytics?: boolean }, cmd: Command) => {
      const s = context.session(cmd);
      const designer = s.actor();
      const reviewer = 'Demo reviewer';
      const models = () => modelChainFromOptions({ provider: 'mock' }, {});
      const created = s.engine.createCourse(context.readIntent(path.join(projectRoot(), 'resources', 'samples', 'intent.json')), designer);
      const version = await s.engine.generateSyllabusDraft(created.id, { actor: designer, models: models(), moderation: new BlocklistModeration() });
      if (opts.syllabusOnly) {
        return context.print(cmd, { course: created, syllabus: version, dataDir: s.dataDir, database: s.file }, () =>
          [
            formatSyllabusVersion(version),
            '',
            `Course ${created.id} and draft v${version.version} (${version.id}) are saved in ${s.file}.`,
            'Next steps:',
            `  coursewright syllabus submit ${version.id}`,
            `  coursewright syllabus approve ${version.id} --by "Your Name" --note "Looks good"`,
          ].join('\n'),
        );
      }

      context.progress(`Syllabus v${version.version}: ${version.syllabus.modules.length} modules, ${version.syllabus.modules.reduce((n, m) => n + m.lessons.length, 0)} lessons. Submitting and approving as ${reviewer}…`);
      s.engine.submitSyllabus(version.id, designer);
      s.engine.approveSyllabus(version.id, { by: reviewer, note: 'approved by the demo' });

      const content = createContentEngine({ store: s.store });
      const run = await content.generateContent(created.id, {
        actor: designer,
        models: models(),
        moderation: new BlocklistModeration(),
        onProgress: (p) => p.remaining % 10 === 0 && context.progress(`Writing lessons, quizzes and projects: ${p.done} done, ${p.remaining} to go`),
      });
      const ids = run.generated.map((i) => i.id);
      for (const id of ids) content.openContent(id);
      content.submitContent(ids, designer);
      content.approveContent(ids, { by: reviewer, note: 'approved by the demo', requireOpened: true });
      content.transitionCourse(created.id, 'review', designer);
      content.transitionCourse(created.id, 'ready', designer);

      const built = createPackageEngine({ store: s.store }).buildPackage(created.id, designer);
      content.transitionCourse(created.id, 'published', designer);
      const pkg = s.store.packages.get(built.id)!;
      const exports: ExportRecord[] = [];
      for (const format of ExportFormat.options as Format[]) {
        context.progress(`Exporting ${format}…`);
        exports.push(await exportStoredPackage({ getPackage: () => pkg, audit: s.store.audit, dataDir: s.dataDir }, { packageId: pkg.id, format, actor: designer }));
      }

      const analytics = opts.analytics ? await runDemoAnalytics({ store: s.store, courseId: created.id, packageId: built.id, actor: designer, progress: context.progress }) : null;

      context.print(cmd, { course: created, syllabus: version, contentItems: ids.length, package: built, exports, ...(analytics ? { analytics } : {}), dataDir: s.dataDir, database: s.file }, () =>
        [
          formatSyllabusVersion(version),
          '',
          `${ids.length} lessons, quizzes and projects written and approved; the course is published as package v${built.version} (${built.id}).`,
          `content sha256 ${built.contentHash}`,
          '',
          'Exports:',
          ...exports.map((e) => `  ${e.format.padEnd(9)} ${e.path} (${size(e.bytes)})`),
          '',
          `Everything is saved in ${s.file}; ${reviewer} appears as the approver in the audit log.`,
          'Look around:',
          `  coursewright package show ${built.id}`,
          `  coursewright audit ${built.id}`,
          '  coursewright serve        # the studio in your browser',
          ...(analytics ? analyticsLines(created.id, analytics) : []),
        ].join('\n'),
      );
    });
}
