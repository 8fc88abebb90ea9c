import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { type Command, Option } from 'commander';
import { BlocklistModeration } from '../core/ai/moderation.js';
import type { Store } from '../core/ports.js';
import { createRegenerationService } from '../core/regeneration/service.js';
import { createRegenerationWorker, type WorkerCheckpoint } from '../core/regeneration/worker.js';
import { CoursewrightError } from '../schemas/errors.js';
import { RegenerationJobStatus, RetryReasonCode, type RegenerationJob, type RegenerationJobDetail, type RetryIntent } from '../schemas/regeneration.js';
import { modelChainFromOptions, providerNames, type ModelOptions } from './models.js';
import { describeJobTarget } from '../core/regeneration/targets.js';

export interface RegenerationCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
  progress: (line: string) => void;
}

function jobLine(job: RegenerationJob): string {
  const ending = job.status === 'COMPLETED' ? ` → ${job.outputItemId}` : job.status === 'FAILED' ? `: ${job.error}` : '';
  return `${job.id}  ${job.status.padEnd(9)} ${describeJobTarget(job).padEnd(34)} ${job.targetItemId}${job.retryOfJobId ? ` (retry of ${job.retryOfJobId})` : ''}${ending}`;
}

function jobDetail(detail: RegenerationJobDetail): string {
  const { job } = detail;
  const lines = [
    `Job ${job.id} — ${job.status}`,
    `target       ${describeJobTarget(job)} (version ${job.targetItemId}) in course ${job.courseId}`,
    `instruction  ${job.instruction}`,
    `source       ${job.source.type === 'suggestion' ? `suggestion ${job.source.suggestionId}${job.source.signalId ? ` (signal ${job.source.signalId})` : ''}` : job.source.type === 'retry' ? `retry intent ${job.source.retryIntentId} for job ${job.source.retryOfJobId}` : 'designer request'}`,
    `created      ${job.createdAt} by ${job.createdBy}`,
    ...(job.triggeredAt ? [`triggered    ${job.triggeredAt} by ${job.triggeredBy}`] : []),
    ...(job.startedAt ? [`started      ${job.startedAt} by worker ${job.workerId}`] : []),
    ...(job.finishedAt ? [`finished     ${job.finishedAt}`] : []),
    ...(job.outputItemId ? [`output       ${job.outputItemId} (a new draft: review it with \`coursewright ${job.targetKind === 'syllabus' ? 'syllabus' : 'content'} show ${job.outputItemId}\`)`] : []),
    ...(job.error ? [`error        ${job.error}`] : []),
  ];
  if (detail.chain.length > 1) lines.push('', 'Retry chain:', ...detail.chain.map((j) => `  ${j.id === job.id ? '▸' : ' '} ${jobLine(j)}`));
  if (detail.retryIntents.length) lines.push('', 'Retry intents:', ...detail.retryIntents.map((i) => `  ${intentLine(i)}`));
  lines.push('', `Retries left for this chain: ${detail.retriesLeft}`);
  return lines.join('\n');
}

function intentLine(intent: RetryIntent): string {
  const decided = intent.status === 'CONSUMED' ? ` → job ${intent.newJobId}` : intent.status === 'REJECTED' ? `: ${intent.rejectionReason}` : '';
  return `${intent.id}  ${intent.status.padEnd(8)} job ${intent.jobId}  ${intent.reasonCode}: ${intent.reasonText}${decided}`;
}

const checkpoints: readonly WorkerCheckpoint[] = ['before-model', 'after-model', 'in-output-transaction'];

/**
 * For crash tests only: COURSEWRIGHT_TEST_WORKER_STOP_AT names a checkpoint where the worker
 * writes the job id to COURSEWRIGHT_TEST_WORKER_STOP_FILE and then blocks its thread (so the
 * test can kill -9 it there, inside the output transaction too). Unset, nothing happens.
 */
function testStopHook(env: NodeJS.ProcessEnv): ((point: WorkerCheckpoint, job: RegenerationJob) => void) | undefined {
  const at = env.COURSEWRIGHT_TEST_WORKER_STOP_AT;
  const file = env.COURSEWRIGHT_TEST_WORKER_STOP_FILE;
  if (!at || !file) return undefined;
  if (!(checkpoints as readonly string[]).includes(at)) throw new CoursewrightError('USAGE', `COURSEWRIGHT_TEST_WORKER_STOP_AT must be one of ${checkpoints.join(', ')}.`);
  return (point, job) => {
    if (point !== at) return;
    fs.writeFileSync(file, job.id);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
  };
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CoursewrightError('USAGE', `${flag} must be a whole number from ${min} to ${max}.`);
  return n;
}

/** `jobs …`, `retry-intents …` and `worker`: governed regeneration from a terminal. */
export function registerRegenerationCommands(program: Command, context: RegenerationCommandContext): void {
  const { print } = context;
  const serviceFor = (cmd: Command) => {
    const s = context.session(cmd);
    return { service: createRegenerationService({ store: s.store }), actor: s.actor };
  };

  const jobs = program.command('jobs').description('regeneration jobs: create, trigger, cancel, inspect (a worker runs them)');
  jobs
    .command('list')
    .description('list regeneration jobs, newest first')
    .option('--course <id>', 'only this course')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(RegenerationJobStatus.options))
    .action((opts: { course?: string; status?: RegenerationJobStatus }, cmd: Command) => {
      const { service } = serviceFor(cmd);
      service.sweepExpiredLeases();
      const list = service.listJobs({ courseId: opts.course, status: opts.status });
      print(cmd, list, () => (list.length ? list.map(jobLine).join('\n') : 'No regeneration jobs. Create one with `coursewright jobs create --target ITEM --instruction TEXT`.'));
    });
  jobs
    .command('show')
    .description('show one job with its retry chain and retry intents')
    .argument('<id>', 'job id')
    .action((id: string, _o, cmd: Command) => {
      const { service } = serviceFor(cmd);
      service.sweepExpiredLeases();
      const detail = service.showJob(id);
      print(cmd, detail, () => jobDetail(detail));
    });
  jobs
    .command('create')
    .description('create a PENDING job to regenerate one lesson, quiz or project version, one question of a quiz, or the syllabus (nothing runs until triggered)')
    .requiredOption('--target <id>', 'a lesson, quiz or project version, or a syllabus version (the course\'s latest) for a new syllabus draft')
    .option('--question <id>', 'with a quiz --target: regenerate only this question; the rest of the quiz stays as it is')
    .requiredOption('--instruction <text>', 'what the new version should change')
    .option('--trigger', 'trigger it at once')
    .option('--by <name>', 'who is asking')
    .action((opts: { target: string; question?: string; instruction: string; trigger?: boolean; by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const request = { targetItemId: opts.target, targetQuestionId: opts.question, instruction: opts.instruction, actor: actor(opts.by) };
      const job = opts.trigger ? service.createAndTrigger(request) : service.createJob(request);
      print(cmd, job, () => `Created job ${job.id} (${job.status}) for ${describeJobTarget(job)}.${job.status === 'PENDING' ? ` Trigger it with \`coursewright jobs trigger ${job.id}\`.` : ' A worker will run it: `coursewright worker`.'}`);
    });
  jobs
    .command('trigger')
    .description('trigger pending jobs (all named, or none if one is not pending)')
    .argument('<ids...>', 'job ids')
    .option('--by <name>', 'who is triggering')
    .action((ids: string[], opts: { by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const triggered = service.triggerJobs(ids, actor(opts.by));
      print(cmd, triggered, () => `Triggered ${triggered.length} job(s): ${triggered.map((j) => j.id).join(', ')}. A worker runs them: \`coursewright worker\`.`);
    });
  jobs
    .command('cancel')
    .description('cancel a pending, triggered or running job (it ends FAILED "cancelled")')
    .argument('<id>', 'job id')
    .option('--by <name>', 'who is cancelling')
    .action((id: string, opts: { by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const job = service.cancelJob(id, actor(opts.by));
      print(cmd, job, () => `Cancelled job ${job.id}: FAILED (${job.error}). Nothing it was writing is saved.`);
    });

  const intents = program.command('retry-intents').description('retry a failed job through a recorded human decision');
  intents
    .command('create')
    .description('ask for a failed job to run again, with a reason')
    .argument('<job>', 'the failed job')
    .addOption(new Option('--reason <code>', 'reason code').choices(RetryReasonCode.options).makeOptionMandatory())
    .requiredOption('--text <text>', 'the reason in words')
    .option('--instruction <text>', 'a changed instruction for the new job')
    .option('--by <name>', 'who is asking')
    .action((jobId: string, opts: { reason: RetryReasonCode; text: string; instruction?: string; by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const intent = service.createRetryIntent({ jobId, reasonCode: opts.reason, reasonText: opts.text, instruction: opts.instruction, actor: actor(opts.by) });
      print(cmd, intent, () => `Created retry intent ${intent.id} for job ${jobId}. Execute it with \`coursewright retry-intents execute ${intent.id}\`.`);
    });
  intents
    .command('execute')
    .description('consume a retry intent: a new triggered job retrying the failed one')
    .argument('<id>', 'retry intent id')
    .option('--by <name>', 'who is deciding')
    .action((id: string, opts: { by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const result = service.executeRetryIntent(id, actor(opts.by));
      print(cmd, result, () => `Retry intent ${id} consumed: job ${result.job.id} (TRIGGERED) retries job ${result.job.retryOfJobId}. A worker runs it: \`coursewright worker\`.`);
    });
  intents
    .command('reject')
    .description('reject a retry intent, with a reason')
    .argument('<id>', 'retry intent id')
    .requiredOption('--reason <text>', 'why not')
    .option('--by <name>', 'who is deciding')
    .action((id: string, opts: { reason: string; by?: string }, cmd: Command) => {
      const { service, actor } = serviceFor(cmd);
      const intent = service.rejectRetryIntent(id, actor(opts.by), opts.reason);
      print(cmd, intent, () => `Rejected retry intent ${intent.id}: ${intent.rejectionReason}`);
    });
  intents
    .command('list')
    .description('list retry intents')
    .option('--job <id>', 'only intents for this job')
    .action((opts: { job?: string }, cmd: Command) => {
      const { service } = serviceFor(cmd);
      const list = service.listRetryIntents({ jobId: opts.job });
      print(cmd, list, () => (list.length ? list.map(intentLine).join('\n') : 'No retry intents.'));
    });

  program
    .command('worker')
    .description('run triggered regeneration jobs (each exactly once) with the configured model')
    .option('--until-idle', 'exit once no triggered job is left')
    .option('--concurrency <n>', 'jobs at once', '4')
    .option('--lease-ms <ms>', 'how long a claim holds without a heartbeat', '30000')
    .option('--poll-ms <ms>', 'how often an idle worker looks for jobs', '1000')
    .addOption(new Option('--provider <name>', 'model provider').choices([...providerNames]))
    .option('--model <name>', 'model name for the OpenAI-compatible provider')
    .option('--fallback-model <name...>', 'models to try, in order, when the first fails')
    .option('--base-url <url>', 'OpenAI-compatible endpoint')
    .option('--cassette <file>', 'JSONL of recorded responses for --provider replay')
    .option('--record <file>', 'append every raw model response to this cassette')
    .option('--mock-latency-ms <ms>', 'latency of the mock model')
    .option('--mock-faults <list>', 'faults the mock injects, e.g. rate_limited,malformed')
    .action(async (opts: ModelOptions & { untilIdle?: boolean; concurrency: string; leaseMs: string; pollMs: string }, cmd: Command) => {
      const concurrency = wholeNumber(opts.concurrency, '--concurrency', 1, 32);
      const leaseMs = wholeNumber(opts.leaseMs, '--lease-ms', 100, 3_600_000);
      const pollMs = wholeNumber(opts.pollMs, '--poll-ms', 10, 600_000);
      const { service } = serviceFor(cmd);
      const models = modelChainFromOptions(opts);
      const stopHook = testStopHook(process.env);
      const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
      const worker = createRegenerationWorker({
        service,
        models: () => models,
        moderation: new BlocklistModeration(),
        workerId,
        concurrency,
        leaseMs,
        pollMs,
        ...(stopHook ? { checkpoint: stopHook } : {}),
        onEvent: (event) => {
          if (event.type === 'completed') context.progress(`completed ${event.job.id} → ${event.output.id}`);
          else if (event.type === 'failed') context.progress(`failed ${event.job.id}: ${event.error}`);
          else if (event.type === 'lost') context.progress(`dropped ${event.job.id}: it ended ${event.job.status} (${event.job.error ?? ''}) while it ran here; nothing saved`);
        },
      });
      const onSignal = () => worker.stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        context.progress(`worker ${workerId}: ${concurrency} at a time${opts.untilIdle ? ', until no triggered job is left' : '; Ctrl+C stops'}`);
        const summary = await worker.run({ untilIdle: opts.untilIdle === true });
        print(cmd, { workerId, ...summary }, () => `${summary.completed} completed, ${summary.failed} failed, ${summary.lost} dropped (ended elsewhere), ${summary.expired} expired leases recorded as FAILED.`);
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
