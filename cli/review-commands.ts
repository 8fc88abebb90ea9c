import { type Command, Option } from 'commander';
import { createReviewEngine } from '../core/review/engine.js';
import type { Store } from '../core/ports.js';
import { CoursewrightError } from '../schemas/errors.js';
import { ReviewItemKind, ReviewQueueStatus, type ItemReview, type ReviewQueue } from '../schemas/review.js';

export interface ReviewCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

function formatQueue(queue: ReviewQueue): string {
  if (queue.groups.length === 0) return queue.status === 'IN_REVIEW' ? 'Nothing awaits review.' : `Nothing is ${queue.status}.`;
  const lines = [`${queue.counts.all} ${queue.status} · ${queue.counts.syllabus} syllabus · ${queue.counts.lesson} lessons · ${queue.counts.quiz} quizzes · ${queue.counts.project} projects`];
  for (const group of queue.groups) {
    lines.push('', `${group.courseTitle} (${group.courseId})`);
    for (const item of group.items) {
      const extra = [item.openThreads ? `${item.openThreads} open comment thread(s)` : '', item.rejectionReason ? `rejected: ${item.rejectionReason}` : ''].filter(Boolean).join(' · ');
      lines.push(`  ${item.id}  ${item.kind.padEnd(8)} v${item.version}  ${item.title}  by ${item.author}${extra ? `  — ${extra}` : ''}`);
    }
  }
  return lines.join('\n');
}

function formatComments(review: ItemReview): string {
  const lines = [`${review.kind} v${review.version} (${review.itemId}) — ${review.status}, by ${review.author}`];
  if (review.rejection) lines.push(`Rejected v${review.rejection.version} by ${review.rejection.by}: ${review.rejection.reason}`);
  if (review.comments.length === 0) lines.push('No comments.');
  for (const c of review.comments) {
    const marks = [c.carriedForward ? `from v${c.itemVersion}` : '', c.blockMissing ? 'block no longer there' : c.changedSince ? 'changed since' : '', c.resolvedAt ? `resolved by ${c.resolvedBy}` : ''].filter(Boolean).join(', ');
    const indent = c.replyTo ? '    ↳ ' : '  ';
    lines.push(`${indent}${c.id} [${c.blockLabel}${c.blockPath ? ` ${c.blockPath}` : ''}]${marks ? ` (${marks})` : ''} ${c.author}: ${c.text}`);
  }
  return lines.join('\n');
}

/** `review queue`, `review comment`, `review comments`: the review queue and comments from a terminal. */
export function registerReviewCommands(program: Command, context: ReviewCommandContext): void {
  const { session, print } = context;
  const review = program.command('review').description('everything waiting for review, and reviewers\' comments');

  review
    .command('queue')
    .description('syllabus versions and content items waiting for review, grouped by course')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(ReviewItemKind.options))
    .addOption(new Option('--status <status>', 'another status than IN_REVIEW').choices(ReviewQueueStatus.options))
    .option('--by <name>', 'whose opened items to mark')
    .action((opts: { kind?: ReviewItemKind; status?: ReviewQueueStatus; by?: string }, cmd: Command) => {
      const s = session(cmd);
      const queue = createReviewEngine({ store: s.store }).queue({ kind: opts.kind, status: opts.status }, s.actor(opts.by));
      print(cmd, queue, () => formatQueue(queue));
    });

  review
    .command('comment')
    .description('comment on a syllabus version or content item, on the whole of it or one block')
    .argument('<id>', 'syllabus version or content item id')
    .requiredOption('--by <name>', 'who is commenting')
    .requiredOption('--text <text>', 'the comment')
    .option('--block <path>', 'the block, e.g. questions/2/options/1 or modules/1/lessons/0 (positions count from 0)')
    .option('--reply-to <comment>', 'the comment this answers')
    .action((id: string, opts: { by: string; text: string; block?: string; replyTo?: string }, cmd: Command) => {
      if (opts.block !== undefined && !/^[A-Za-z][A-Za-z0-9_]*(\/([A-Za-z][A-Za-z0-9_]*|\d{1,4}))*$/.test(opts.block.trim())) {
        throw new CoursewrightError('USAGE', `--block "${opts.block}" is not a block path: field names and positions separated by /, like questions/2/options/1.`);
      }
      const s = session(cmd);
      const comment = createReviewEngine({ store: s.store }).addComment({ itemId: id, text: opts.text, blockPath: opts.block, replyTo: opts.replyTo }, opts.by);
      print(cmd, comment, () => `Comment ${comment.id} on ${comment.blockLabel} of ${comment.itemKind} v${comment.itemVersion}${comment.replyTo ? `, replying to ${comment.replyTo}` : ''}.`);
    });

  review
    .command('comments')
    .description("an item's comments, carried forward from earlier versions, and its latest rejection")
    .argument('<id>', 'syllabus version or content item id')
    .action((id: string, _opts, cmd: Command) => {
      const s = session(cmd);
      const result = createReviewEngine({ store: s.store }).itemReview(id);
      print(cmd, result, () => formatComments(result));
    });
}
