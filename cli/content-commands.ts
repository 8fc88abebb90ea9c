import { type Command, Option } from 'commander';
import { BlocklistModeration } from '../core/ai/moderation.js';
import { createContentEngine, type OpenedApproval } from '../core/content/engine.js';
import type { Store } from '../core/ports.js';
import { ContentKind, type ContentItem } from '../schemas/content.js';
import { CourseStatus } from '../schemas/course.js';
import { CoursewrightError } from '../schemas/errors.js';
import { modelChainFromOptions, providerNames, type ModelOptions } from './models.js';
import { registerContentEditCommand } from './content-edit-command.js';

export interface CommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (line: string) => void;
}

function formatItems(items: ContentItem[]): string {
  if (items.length === 0) return 'No content yet. Generate it with `coursewright content generate COURSE` once the syllabus is approved.';
  return items.map((i) => `${i.id}  ${i.kind.padEnd(7)} ${i.targetId.padEnd(28)} v${i.version}  ${i.status.padEnd(10)} ${'title' in i.content ? i.content.title : ''}`).join('\n');
}

function formatItem(item: ContentItem): string {
  return [`${item.kind} ${item.targetId} v${item.version} (${item.id}) — ${item.status}`, `prompt ${item.metadata.promptVersion.slice(0, 32)}… · ${item.metadata.provider}/${item.metadata.model} · sha256 ${item.review.contentHash.slice(0, 16)}…`, '', JSON.stringify(item.content, null, 2)].join('\n');
}

function formatOpenedApproval(courseId: string, reviewer: string, result: OpenedApproval): string {
  const line = (item: ContentItem) => `${item.id}  ${item.kind.padEnd(7)} ${item.targetId} v${item.version}`;
  const lines = [`Approved ${result.approved.length} item(s) of course ${courseId} in review that ${reviewer} opened${result.approved.length ? ':' : '.'}`, ...result.approved.map((item) => `  ✓ ${line(item)}`)];
  if (result.notApproved.length) {
    lines.push('', `Left in review: ${result.notApproved.length} item(s) ${reviewer} has not opened. Open them with \`coursewright content show ID… --by ${reviewer}\`, then run this again:`);
    lines.push(...result.notApproved.map(({ item, reason }) => `  – ${line(item)}: ${reason}`));
  }
  return lines.join('\n');
}

/** `content …` and the lifecycle commands `course status` / `course transition`. */
export function registerContentCommands(program: Command, course: Command, context: CommandContext): void {
  const { session, print } = context;
  const engineFor = (cmd: Command) => {
    const s = session(cmd);
    return { content: createContentEngine({ store: s.store }), actor: s.actor };
  };
  const content = program.command('content').description('lessons, quizzes and projects written inside the approved syllabus');

  content
    .command('generate')
    .description('generate missing content from the approved syllabus (resumes where it stopped)')
    .argument('<course>', 'course id')
    .option('--module <id>', 'only this module')
    .option('--lesson <id>', 'only this lesson')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(ContentKind.options))
    .option('--concurrency <n>', 'model calls at once', '4')
    .addOption(new Option('--provider <name>', 'model provider').choices([...providerNames]))
    .option('--model <name>', 'model name for the OpenAI-compatible provider')
    .option('--base-url <url>', 'OpenAI-compatible endpoint')
    .option('--cassette <file>', 'JSONL of recorded responses for --provider replay')
    .option('--record <file>', 'append every raw model response to this cassette')
    .option('--mock-latency-ms <ms>', 'latency of the mock model')
    .option('--by <name>', 'who is generating')
    .action(async (courseId: string, opts: ModelOptions & { module?: string; lesson?: string; kind?: ContentKind; concurrency: string; by?: string }, cmd: Command) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new CoursewrightError('USAGE', '--concurrency must be a whole number from 1 to 32.');
      const { content: engine, actor } = engineFor(cmd);
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        const summary = await engine.generateContent(courseId, {
          actor: actor(opts.by),
          models: modelChainFromOptions(opts),
          moderation: new BlocklistModeration(),
          filter: { moduleId: opts.module, lessonId: opts.lesson, kind: opts.kind },
          concurrency,
          signal: abort.signal,
          onProgress: (p) => context.progress(`done ${p.done} · failed ${p.failed} · remaining ${p.remaining} · skipped ${p.skipped} · tokens ${p.tokens}${p.last ? ` · ${p.last.outcome} ${p.last.unit.kind} ${p.last.unit.targetId}` : ''}`),
        });
        print(cmd, summary, () =>
          [
            `${summary.generated.length} generated, ${summary.skipped} already there, ${summary.failed.length} failed${summary.cancelled ? ', cancelled (run again to resume)' : ''}.`,
            ...summary.failed.map((f) => `  ! ${f.unit.kind} ${f.unit.targetId}: ${f.error}`),
          ].join('\n'),
        );
        if (summary.failed.length && !summary.cancelled) process.exitCode = 1;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });

  content
    .command('list')
    .description("list a course's content items")
    .argument('<course>', 'course id')
    .action((courseId: string, _o, cmd: Command) => {
      const items = engineFor(cmd).content.listContent(courseId);
      print(cmd, items, () => formatItems(items));
    });
  content
    .command('show')
    .description('show content items, one after another (records that you opened each: bulk approval needs it)')
    .argument('<ids...>', 'content item ids')
    .option('--by <name>', 'who is reviewing (default: COURSEWRIGHT_ACTOR, the configured actor, or your user name)')
    .action((ids: string[], opts: { by?: string }, cmd: Command) => {
      const { content: engine, actor } = engineFor(cmd);
      // Every id must exist before any is recorded as opened: a typo in the list opens nothing.
      for (const id of ids) engine.getContent(id);
      const reviewer = actor(opts.by);
      const items = ids.map((id) => engine.openContent(id, reviewer));
      print(cmd, items.length === 1 ? items[0] : items, () => items.map(formatItem).join(`\n\n${'─'.repeat(72)}\n\n`));
    });
  content
    .command('submit')
    .description('submit drafts for review')
    .argument('<ids...>', 'content item ids')
    .option('--by <name>', 'who is submitting')
    .action((ids: string[], opts: { by?: string }, cmd: Command) => {
      const { content: engine, actor } = engineFor(cmd);
      const items = engine.submitContent(ids, actor(opts.by));
      print(cmd, items, () => `Submitted ${items.length} item(s) for review.`);
    });
  content
    .command('approve')
    .description('approve items in review (several at once only after each was opened), or with --all-opened every item of a course you opened')
    .argument('[ids...]', 'content item ids')
    .option('--all-opened <course>', 'approve every item of this course that is in review and that --by NAME opened (with `content show`)')
    .requiredOption('--by <name>', 'approver')
    .option('--note <text>', 'approval note')
    .action((ids: string[], opts: { allOpened?: string; by: string; note?: string }, cmd: Command) => {
      const { content: engine } = engineFor(cmd);
      if (opts.allOpened !== undefined) {
        if (ids.length) throw new CoursewrightError('USAGE', 'Give either item ids or --all-opened COURSE, not both.');
        const result = engine.approveOpenedContent(opts.allOpened, { by: opts.by, note: opts.note });
        print(cmd, { approved: result.approved, notApproved: result.notApproved.map(({ item, reason }) => ({ id: item.id, kind: item.kind, targetId: item.targetId, version: item.version, reason })) }, () => formatOpenedApproval(opts.allOpened!, opts.by.trim(), result));
        return;
      }
      if (!ids.length) throw new CoursewrightError('USAGE', 'Name the items to approve (content approve ID… --by NAME), or approve every item you opened with --all-opened COURSE.');
      const items = engine.approveContent(ids, { by: opts.by, note: opts.note, requireOpened: ids.length > 1 });
      print(cmd, items, () => `Approved ${items.length} item(s).`);
    });
  content
    .command('reject')
    .description('reject an item in review, with a reason')
    .argument('<id>', 'content item id')
    .requiredOption('--by <name>', 'reviewer')
    .requiredOption('--reason <text>', 'what must change')
    .action((id: string, opts: { by: string; reason: string }, cmd: Command) => {
      const item = engineFor(cmd).content.rejectContent(id, { by: opts.by, reason: opts.reason });
      print(cmd, item, () => `Rejected ${item.kind} ${item.targetId} v${item.version}: ${item.review.rejectionReason}`);
    });
  content
    .command('regenerate')
    .description('write a new draft version of one item; the previous one stays')
    .argument('<id>', 'content item id')
    .option('--instruction <text>', 'what the new version should do differently')
    .addOption(new Option('--provider <name>', 'model provider').choices([...providerNames]))
    .option('--model <name>', 'model name')
    .option('--base-url <url>', 'OpenAI-compatible endpoint')
    .option('--cassette <file>', 'JSONL of recorded responses for --provider replay')
    .option('--by <name>', 'who is regenerating')
    .action(async (id: string, opts: ModelOptions & { instruction?: string; by?: string }, cmd: Command) => {
      const { content: engine, actor } = engineFor(cmd);
      const item = await engine.regenerateContent(id, { actor: actor(opts.by), models: modelChainFromOptions(opts), moderation: new BlocklistModeration(), ...(opts.instruction ? { instruction: opts.instruction } : {}) });
      print(cmd, item, () => `Saved ${item.kind} ${item.targetId} v${item.version} (${item.id}) as a draft.`);
    });
  registerContentEditCommand(content, context);

  course
    .command('status')
    .description("a course's lifecycle status and the rules for its next steps")
    .argument('<course>', 'course id')
    .action((courseId: string, _o, cmd: Command) => {
      const status = engineFor(cmd).content.courseStatus(courseId);
      print(cmd, status, () =>
        [
          `Status: ${status.status}`,
          ...status.transitions.map((t) => (t.allowed ? `  → ${t.to}: allowed` : `  → ${t.to}: blocked\n${t.unmet.map((u) => `      - ${u.rule}: ${u.message}${u.rule === 'package-built' ? ` From the terminal: \`coursewright package build ${courseId}\`.` : ''}`).join('\n')}`)),
          ...status.log.map((l) => `  ${l.at}  ${l.from} → ${l.to} by ${l.actor}${l.reason ? ` (${l.reason})` : ''}`),
        ].join('\n'),
      );
    });
  course
    .command('transition')
    .description('move a course through draft → review → ready → published → retired')
    .argument('<course>', 'course id')
    .addOption(new Option('--to <state>', 'target state').choices(CourseStatus.options).makeOptionMandatory())
    .option('--reason <text>', 'why')
    .option('--by <name>', 'who')
    .action((courseId: string, opts: { to: CourseStatus; reason?: string; by?: string }, cmd: Command) => {
      const { content: engine, actor } = engineFor(cmd);
      const status = engine.transitionCourse(courseId, opts.to, actor(opts.by), opts.reason);
      print(cmd, status, () => `Course ${courseId} is now ${status.status}.`);
    });
}
