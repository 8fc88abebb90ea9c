import type { Command } from 'commander';
import type { Store } from '../core/ports.js';
import { createAnalyticsSync, type DeliveryRun, type PullResult } from '../core/analytics-sync/service.js';
import { createSuggestionJobs, suggestionJobSentence } from '../core/analytics-sync/suggestion-jobs.js';
import { analyticsServer, courseAnalyticsView, requireCourse, suggestionView, suggestionViews } from '../core/analytics-sync/views.js';
import { serverUrlSetting } from '../core/studio/sync-handlers.js';
import { normalizeServerUrl } from '../core/sync/client.js';
import { SuggestionStatus } from '../schemas/analytics.js';
import { CoursewrightError } from '../schemas/errors.js';
import type { StudioCourseAnalytics, StudioSuggestion } from '../schemas/studio-analytics.js';
import { DismissReasonInput, SuggestionIdInput } from '../schemas/studio-analytics.js';

export interface AnalyticsCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

/** The server whose analytics the command works with: --server, else Settings → Servers, else the one last synced from. */
function serverOf(store: Store, flag: string | undefined): string | null {
  if (flag) return normalizeServerUrl(flag);
  const configured = store.settings.get(serverUrlSetting);
  return analyticsServer(store, typeof configured === 'string' && configured ? configured : null);
}

/** As for publishing, the command line's key comes from COURSEWRIGHT_SERVER_KEY; without one, decisions wait in the outbox. */
const keyFromEnvironment = (): string | null => process.env.COURSEWRIGHT_SERVER_KEY?.trim() || null;

const percent = (share: number) => `${Math.round(share * 100)}%`;
const minutes = (value: number | null) => (value === null ? '—' : `${Math.round(value * 10) / 10} min`);
const signalWords: Record<string, string> = {
  high_dropoff: 'many stop here',
  low_pass_rate: 'low first-attempt pass rate',
  item_too_hard: 'too hard',
  item_too_easy: 'too easy',
  item_poor_discrimination: 'does not separate stronger from weaker learners',
  item_suspect_key: 'answer key suspect',
  nonfunctional_distractor: 'an option almost nobody picks',
  time_over_estimate: 'takes much longer than estimated',
  low_completion: 'low completion',
};
const flagText = (flags: string[]) => (flags.length ? ` ⚑ ${flags.map((f) => signalWords[f] ?? f).join('; ')}` : '');

export function formatCourseAnalytics(view: StudioCourseAnalytics): string {
  const lines = [`Analytics for ${view.courseTitle} (${view.courseId})`];
  if (view.packageVersion === null || !view.funnel) {
    lines.push(view.syncedAt ? 'No learner analytics for this course yet.' : 'No learner analytics yet: run `coursewright sync` to pull them from the server.');
    return lines.join('\n');
  }
  const others = view.versions.filter((v) => v.packageVersion !== view.packageVersion).map((v) => `v${v.packageVersion}`);
  lines.push(`Package v${view.packageVersion}, ${view.from} to ${view.to}${others.length ? ` (also: ${others.join(', ')}; --package-version N)` : ''}${view.syncedAt ? `, synced ${view.syncedAt}` : ''}`);
  const f = view.funnel;
  lines.push('', 'Funnel', `  viewed ${f.courseViewed} → enrolled ${f.enrolled}${f.purchased === null ? '' : ` → purchased ${f.purchased}`} → started ${f.started} → completed ${f.completed} (completion ${percent(f.completionRate)})`);
  lines.push('', 'Lessons (drop-off, median time against the estimate)');
  for (const lesson of view.lessons) {
    const time = lesson.medianMinutes === null ? 'no completions yet' : `${minutes(lesson.medianMinutes)} of ${lesson.estimatedMinutes} min estimated${lesson.timeVsEstimate === null ? '' : ` (${Math.round(lesson.timeVsEstimate * 10) / 10}×)`}`;
    lines.push(`  ${lesson.lessonIndex + 1}. ${lesson.title}: ${lesson.views} views, drop-off ${lesson.dropOff} (${percent(lesson.dropOffRate)}), ${time}${flagText(lesson.flags)}`);
  }
  const flagged = view.items.filter((item) => item.flags.length > 0);
  lines.push('', flagged.length ? 'Flagged questions' : 'Flagged questions: none');
  for (const item of flagged) {
    lines.push(`  lesson ${item.lessonId}, question ${item.questionIndex + 1} (${item.questionId}): p ${item.facility.toFixed(2)}, r ${item.discrimination === null ? '—' : item.discrimination.toFixed(2)}, n ${item.n}${flagText(item.flags)}`);
  }
  if (view.openSuggestions > 0) lines.push('', `${view.openSuggestions} open suggestion${view.openSuggestions === 1 ? '' : 's'}: coursewright suggestions list --course ${view.courseId}`);
  return lines.join('\n');
}

function suggestionLine(s: StudioSuggestion): string {
  const where = s.courseTitle ? `${s.courseTitle}` : s.target.courseId;
  const travelling = s.delivery && s.delivery.state !== 'delivered' ? ` [${s.delivery.state === 'queued' ? 'waiting to reach the server' : `refused by the server: ${s.delivery.lastError ?? ''}`}]` : '';
  const decided = s.status === 'OPEN' ? '' : ` by ${s.decidedBy ?? 'someone'}${s.dismissReason ? ` — ${s.dismissReason}` : ''}`;
  return `${s.id}  ${s.status}${decided}${travelling}\n  ${s.kind.replaceAll('_', ' ')} · ${where} v${s.target.packageVersion}\n  ${s.rationale}`;
}

function pullLine(pull: PullResult): string {
  const received = pull.received.days + pull.received.signals + pull.received.suggestions;
  if (received === 0) return `Analytics from ${pull.serverUrl}: nothing new since the last sync.`;
  return `Analytics from ${pull.serverUrl}: ${pull.applied.days} day(s), ${pull.applied.signals} signal(s), ${pull.applied.suggestions} suggestion change(s) stored${pull.applied.skipped ? `; ${pull.applied.skipped} row(s) of courses not in this studio skipped` : ''}.`;
}

/**
 * The analytics half of `coursewright sync`: decisions waiting in the outbox first, then the
 * change feed after the stored cursor. Returns what it did and a line for people.
 */
export async function syncAnalyticsFromCli(store: Store, serverUrl: string, key: string, actor: () => string): Promise<{ delivery: DeliveryRun; pull: PullResult; summary: string }> {
  const sync = createAnalyticsSync({ store, keyFor: (url) => (url === serverUrl ? key : null), actor });
  const { delivery, pull } = await sync.sync({ serverUrl, due: false });
  const decisions = delivery.delivered + delivery.refused + delivery.queued > 0 ? `Suggestion decisions: ${delivery.delivered} delivered, ${delivery.refused} refused, ${delivery.queued} still queued.\n` : '';
  return { delivery, pull, summary: `${decisions}${pullLine(pull)}` };
}

/** `analytics show` and `suggestions list|accept|dismiss`: learner analytics synced into this studio, and deciding suggestions. */
export function registerAnalyticsCommands(program: Command, context: AnalyticsCommandContext): void {
  const { session, print } = context;

  program
    .command('analytics')
    .description('learner analytics synced from the hosted server (`coursewright sync` pulls them)')
    .command('show')
    .description("a course's funnel, lessons with drop-off and time against the estimate, and flagged questions")
    .argument('<course>', 'course id')
    // Not --version: the program's own --version (print the CLI version) is recognised after subcommands too.
    .option('--package-version <n>', 'package version (default: the newest with analytics)')
    .option('--server <url>', 'the server the analytics came from (default: the one in the studio settings)')
    .action((courseId: string, opts: { packageVersion?: string; server?: string }, cmd: Command) => {
      const s = session(cmd);
      const packageVersion = opts.packageVersion === undefined ? undefined : Number(opts.packageVersion);
      if (packageVersion !== undefined && (!Number.isInteger(packageVersion) || packageVersion < 0)) throw new CoursewrightError('INVALID_INPUT', `--package-version takes a package version number like 2, not "${opts.packageVersion}".`);
      requireCourse(s.store, courseId);
      const view = courseAnalyticsView(s.store, serverOf(s.store, opts.server), { courseId, ...(packageVersion !== undefined ? { packageVersion } : {}) });
      print(cmd, view, () => formatCourseAnalytics(view));
    });

  const suggestions = program.command('suggestions').description('content suggestions from learner analytics: list, accept, dismiss with a reason');

  suggestions
    .command('list')
    .description('suggestions synced from the server, open ones first')
    .option('--course <id>', 'one course')
    .option('--status <status>', 'OPEN, ACCEPTED or DISMISSED')
    .option('--server <url>', 'the server the suggestions came from')
    .action((opts: { course?: string; status?: string; server?: string }, cmd: Command) => {
      const s = session(cmd);
      const status = opts.status === undefined ? undefined : SuggestionStatus.safeParse(opts.status.toUpperCase());
      if (status && !status.success) throw new CoursewrightError('INVALID_INPUT', `--status is OPEN, ACCEPTED or DISMISSED, not "${opts.status}".`);
      if (opts.course) requireCourse(s.store, opts.course);
      const serverUrl = serverOf(s.store, opts.server);
      const list = serverUrl ? suggestionViews(s.store, serverUrl, { ...(opts.course ? { courseId: opts.course } : {}), ...(status ? { status: status.data } : {}) }) : [];
      print(cmd, list, () => (list.length ? list.map(suggestionLine).join('\n\n') : serverUrl ? 'No suggestions.' : 'No suggestions yet: run `coursewright sync` to pull them from the server.'));
    });

  const decide = async (cmd: Command, rawId: string, decision: 'accept' | 'dismiss', opts: { reason?: string; server?: string; by?: string }) => {
    const id = SuggestionIdInput.safeParse(rawId);
    if (!id.success) throw new CoursewrightError('INVALID_INPUT', `"${rawId}" is not a suggestion id; \`coursewright suggestions list\` shows them.`);
    let reason: string | null = null;
    if (decision === 'dismiss') {
      const parsed = DismissReasonInput.safeParse(opts.reason ?? '');
      if (!parsed.success) throw new CoursewrightError('INVALID_INPUT', 'Dismissing a suggestion needs a reason: add --reason "what you checked and why the content stays as it is".');
      reason = parsed.data;
    }
    const s = session(cmd);
    const serverUrl = serverOf(s.store, opts.server);
    if (!serverUrl) throw new CoursewrightError('NOT_FOUND', `No suggestion "${id.data}": nothing has been synced from a server yet. Run \`coursewright sync --server URL\` first.`);
    const key = keyFromEnvironment();
    const sync = createAnalyticsSync({ store: s.store, keyFor: (url) => (key && url === serverUrl ? key : null), actor: () => s.actor(opts.by) });
    const suggestionJobs = createSuggestionJobs({ store: s.store });
    let outcome: Awaited<ReturnType<typeof sync.decide>>;
    try {
      outcome = await sync.decide({ serverUrl, suggestionId: id.data, decision, reason });
    } catch (error) {
      // Accepting again: the decision stands (exit 5), and the job it created is named.
      const decided = s.store.analytics.suggestion(serverUrl, id.data);
      const job = decision === 'accept' && error instanceof CoursewrightError && error.code === 'CONFLICT' && decided ? suggestionJobs.existingJob(decided) : undefined;
      if (!job) throw error;
      throw new CoursewrightError('CONFLICT', `${(error as CoursewrightError).message} ${suggestionJobSentence({ job, created: false, reason: null })}`, { suggestionId: id.data, jobId: job.id });
    }
    const stored = s.store.analytics.suggestion(serverUrl, id.data)!;
    const view = suggestionView(stored, outcome.decision, s.store.courses.get(stored.courseId)?.title ?? null);
    const verb = decision === 'accept' ? 'Accepted' : 'Dismissed';
    const decisionMessage = outcome.delivered
      ? `${verb} ${id.data}; ${serverUrl} has the decision.`
      : `${verb} ${id.data} here; the decision is queued and goes to ${serverUrl} with the next \`coursewright sync\`${key ? '' : ' (set COURSEWRIGHT_SERVER_KEY)'} or the studio's background sync.${outcome.error ? ` (${outcome.error})` : ''}`;
    // Accepting creates the suggestion's regeneration job (PENDING), as in the studio.
    const jobOutcome = decision === 'accept' ? suggestionJobs.jobForAccepted(stored, s.actor(opts.by)) : null;
    const message = jobOutcome ? `${decisionMessage}\n${suggestionJobSentence(jobOutcome)}` : decisionMessage;
    print(cmd, { suggestion: view, delivered: outcome.delivered, message, ...(jobOutcome ? { job: jobOutcome.job } : {}) }, () => message);
  };

  suggestions
    .command('accept')
    .description('accept a suggestion (sent to the server now, or queued until it answers) and create its regeneration job, PENDING until triggered')
    .argument('<id>', 'suggestion id (`coursewright suggestions list`)')
    .option('--server <url>', 'the server the suggestion came from')
    .option('--by <name>', 'who is deciding')
    .action((id: string, opts: { server?: string; by?: string }, cmd: Command) => decide(cmd, id, 'accept', opts));

  suggestions
    .command('dismiss')
    .description('dismiss a suggestion with a reason (sent to the server now, or queued until it answers)')
    .argument('<id>', 'suggestion id (`coursewright suggestions list`)')
    .option('--reason <text>', 'why the content stays as it is (required)')
    .option('--server <url>', 'the server the suggestion came from')
    .option('--by <name>', 'who is deciding')
    .action((id: string, opts: { reason?: string; server?: string; by?: string }, cmd: Command) => decide(cmd, id, 'dismiss', opts));
}
