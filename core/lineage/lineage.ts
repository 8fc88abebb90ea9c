import type { AnalyticsSignal, ContentSuggestion } from '../../schemas/analytics.js';
import type { ContentItem, Quiz } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { Lineage, LineageLink, LineageStep, LineageSubject } from '../../schemas/lineage.js';
import type { RegenerationJob, RetryIntent } from '../../schemas/regeneration.js';
import type { SyllabusVersion } from '../../schemas/syllabus.js';
import { HUMAN_EDIT_PROVIDER } from '../content/edit.js';
import { contentPromptMessages } from '../content/generate.js';
import { questionPromptMessages } from '../content/question.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import type { Store } from '../ports.js';
import type { LedgerEntry } from './ports.js';

const kindLabel = { syllabus: 'Syllabus', lesson: 'Lesson', quiz: 'Quiz', project: 'Project' } as const;

type Made = { provider: string; model: string; promptVersion: string; params: Record<string, unknown>; createdBy: string; createdAt: string };

interface Usage {
  promptTokens: number;
  completionTokens: number;
}

function usageOf(params: Record<string, unknown>): Usage {
  const usage = params.usage as Partial<Usage> | undefined;
  return { promptTokens: Number(usage?.promptTokens ?? 0), completionTokens: Number(usage?.completionTokens ?? 0) };
}

/** Evidence numbers as people quote them: r for discrimination, p for facility, shares as given, n last. */
function describeEvidence(evidence: Record<string, number>): string {
  const parts: string[] = [];
  const round = (value: number) => String(Math.round(value * 100) / 100);
  if (evidence.discrimination !== undefined) parts.push(`r = ${round(evidence.discrimination)}`);
  if (evidence.facility !== undefined) parts.push(`p = ${round(evidence.facility)}`);
  if (evidence.firstAttemptPassRate !== undefined) parts.push(`pass rate ${round(evidence.firstAttemptPassRate)}`);
  if (evidence.dropOffRate !== undefined) parts.push(`drop-off ${round(evidence.dropOffRate)}`);
  if (evidence.share !== undefined) parts.push(`share ${round(evidence.share)}`);
  if (evidence.completionRate !== undefined) parts.push(`completion ${round(evidence.completionRate)}`);
  parts.push(`n = ${evidence.n}`);
  return parts.join(', ');
}

function signalWhere(signal: AnalyticsSignal): string {
  const { target } = signal;
  if (target.questionId) return ` on question ${target.questionId}${target.optionIndex !== null ? ` (option ${target.optionIndex + 1})` : ''}`;
  if (target.kind === 'quiz') return ' on the quiz';
  if (target.lessonId) return ` on lesson ${target.lessonId}`;
  return ' on the course';
}

const describeSignal = (signal: AnalyticsSignal) => `signal ${signal.type}${signalWhere(signal)} (${describeEvidence(signal.evidence as Record<string, number>)})`;

/**
 * Lineage of any lesson, quiz, project or syllabus version, read from what the studio already
 * records: the course intent, syllabus approvals, the usage ledger, review comments and
 * decisions, packages, synced learner signals and suggestions, regeneration jobs and retry
 * intents. It reads only; nothing here changes a row.
 */
export function createLineage(deps: { store: Store }) {
  const { store } = deps;

  function courseOf(courseId: string) {
    const course = store.courses.get(courseId);
    if (!course) throw new CoursewrightError('NOT_FOUND', `Course ${courseId} is missing; its versions cannot be traced.`);
    return course;
  }

  const link = (kind: LineageLink['kind'], id: string, courseId: string): LineageLink => ({ kind, id, courseId });

  function intentStep(courseId: string): LineageStep {
    const course = courseOf(courseId);
    return {
      kind: 'intent',
      at: course.createdAt,
      actor: course.createdBy,
      summary: `Learning intent “${course.intent.title}” for ${course.intent.audience}, written by ${course.createdBy}`,
      link: link('course', course.id, course.id),
      details: { courseId: course.id, title: course.intent.title, level: course.intent.level },
    };
  }

  function syllabusStep(version: SyllabusVersion): LineageStep {
    const approved = version.status === 'APPROVED' || (version.review.decidedBy !== null && version.review.rejectionReason === null);
    return {
      kind: 'syllabus',
      at: version.review.decidedAt ?? version.metadata.createdAt,
      actor: version.review.decidedBy,
      summary: approved && version.review.decidedBy ? `Syllabus v${version.version}, approved by ${version.review.decidedBy}` : `Syllabus v${version.version} (${version.status.toLowerCase().replace('_', ' ')})`,
      link: link('syllabus', version.id, version.courseId),
      details: { syllabusVersionId: version.id, version: version.version, status: version.status, approvedBy: approved ? version.review.decidedBy : null, approvedAt: approved ? version.review.decidedAt : null, contentHash: version.review.contentHash },
    };
  }

  /** The ledger rows of the call that wrote a version: the first call found by its prompt hash (or its time), then the repairs that followed. */
  function ledgerRows(courseId: string, purpose: string, made: Made, options: { promptHash?: string; after?: string }): LedgerEntry[] {
    const rows = store.lineage.modelCalls({ courseId, purposes: [`${purpose}.generate`, `${purpose}.repair`], until: made.createdAt });
    const firsts = rows.filter((row) => row.purpose === `${purpose}.generate` && (options.promptHash ? row.promptHash === options.promptHash : row.at >= (options.after ?? '')));
    const first = firsts.at(-1);
    if (!first) return [];
    const attempts = Number(made.params.attempts ?? 1);
    const repairs = rows.filter((row) => row.purpose === `${purpose}.repair` && row.id > first.id).slice(0, Math.max(0, attempts - 1));
    return [first, ...repairs];
  }

  function madeSteps(subject: { id: string; courseId: string; version: number }, made: Made, ledger: LedgerEntry[], basedOnVersion: number | null): LineageStep[] {
    if (made.provider === HUMAN_EDIT_PROVIDER) {
      return [
        {
          kind: 'edit',
          at: made.createdAt,
          actor: made.createdBy,
          summary: `Edited by hand by ${made.createdBy}${basedOnVersion !== null ? ` from v${basedOnVersion}` : ''}`,
          link: null,
          details: { editedBy: made.createdBy, editedFrom: basedOnVersion },
        },
      ];
    }
    const usage = usageOf(made.params);
    const answered = ledger.filter((row) => row.outcome === 'ok').at(-1) ?? ledger.at(-1);
    const ledgerIds = ledger.map((row) => row.id);
    const instruction = typeof made.params.instruction === 'string' ? made.params.instruction : null;
    return [
      {
        kind: 'model_call',
        at: answered?.at ?? made.createdAt,
        actor: made.createdBy,
        summary:
          `Written by the model ${made.provider}/${made.model} with prompt ${made.promptVersion.split('+')[0]}, ` +
          `${usage.promptTokens} + ${usage.completionTokens} tokens${ledgerIds.length ? `, ledger ${ledgerIds.map((id) => `#${id}`).join(', ')}` : ''}` +
          `${instruction ? `, instruction “${instruction}”` : ''}, for ${made.createdBy}`,
        link: null,
        details: {
          provider: made.provider,
          model: made.model,
          promptVersion: made.promptVersion,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          attempts: Number(made.params.attempts ?? 1),
          ledgerIds,
          instruction,
        },
      },
    ];
  }

  // ——— analytics ———

  function signalsOn(item: ContentItem, packageVersions: Set<number>): Array<{ serverUrl: string; signal: AnalyticsSignal }> {
    const found = new Map<string, { serverUrl: string; signal: AnalyticsSignal }>();
    for (const serverUrl of store.analytics.syncedServers()) {
      for (const signal of store.analytics.signals(serverUrl, item.courseId)) {
        const { target } = signal;
        const onThisQuiz = item.kind === 'quiz' && target.quizItemId === item.id && target.quizContentHash === item.review.contentHash;
        const onThisLesson = item.kind === 'lesson' && target.kind === 'lesson' && target.lessonId === item.targetId && packageVersions.has(target.packageVersion);
        if ((onThisQuiz || onThisLesson) && !found.has(signal.id)) found.set(signal.id, { serverUrl, signal });
      }
    }
    return [...found.values()].sort((a, b) => a.signal.day.localeCompare(b.signal.day) || a.signal.id.localeCompare(b.signal.id));
  }

  function findSuggestion(suggestionId: string): { serverUrl: string; suggestion: ContentSuggestion & { courseId: string } } | undefined {
    for (const serverUrl of store.analytics.syncedServers()) {
      const suggestion = store.analytics.suggestion(serverUrl, suggestionId);
      if (suggestion) return { serverUrl, suggestion };
    }
    return undefined;
  }

  function findSignal(courseId: string, signalId: string): AnalyticsSignal | undefined {
    for (const serverUrl of store.analytics.syncedServers()) {
      const signal = store.analytics.signals(serverUrl, courseId).find((s) => s.id === signalId);
      if (signal) return signal;
    }
    return undefined;
  }

  // ——— jobs ———

  function describeJobSource(job: RegenerationJob): string {
    const { source } = job;
    if (source.type === 'designer') return `at the request of ${job.createdBy}`;
    if (source.type === 'retry') return `retrying job ${source.retryOfJobId} (retry intent ${source.retryIntentId})`;
    const found = findSuggestion(source.suggestionId);
    const signal = source.signalId ? findSignal(job.courseId, source.signalId) : undefined;
    const kind = found ? ` (${found.suggestion.kind})` : '';
    const forSignal = signal ? ` for ${describeSignal(signal)}` : source.signalId ? ` for signal ${source.signalId}` : '';
    return `from suggestion ${source.suggestionId}${kind}${forSignal}`;
  }

  /** A retry's own source points at the retried job; the chain's first job says where the request came from. */
  function describeJobOrigin(job: RegenerationJob): string {
    if (job.source.type !== 'retry') return describeJobSource(job);
    const first = store.regeneration.getJob(job.originalJobId);
    return first && first.id !== job.id ? `${describeJobSource(job)}, first asked ${describeJobSource(first)}` : describeJobSource(job);
  }

  function jobStep(job: RegenerationJob, role: 'made' | 'asked'): LineageStep {
    const ended = job.status === 'COMPLETED' ? ` → new version ${job.outputItemId}` : job.status === 'FAILED' ? ` — failed: ${job.error}` : ` — ${job.status.toLowerCase()}`;
    return {
      kind: 'job',
      at: role === 'made' ? (job.finishedAt ?? job.createdAt) : job.createdAt,
      actor: job.createdBy,
      summary: role === 'made' ? `Regenerated by job ${job.id} ${describeJobOrigin(job)}` : `Job ${job.id}${job.targetKind === 'question' ? ` on question ${job.targetQuestionId}` : ''} ${describeJobOrigin(job)}: “${job.instruction}”${ended}`,
      link: link('job', job.id, job.courseId),
      details: {
        jobId: job.id,
        targetKind: job.targetKind,
        questionId: job.targetQuestionId,
        status: job.status,
        source: job.source.type,
        suggestionId: job.source.type === 'suggestion' ? job.source.suggestionId : null,
        signalId: job.source.type === 'suggestion' ? job.source.signalId : null,
        retryOfJobId: job.retryOfJobId,
        retryIntentId: job.retryIntentId,
        instruction: job.instruction,
        createdBy: job.createdBy,
        triggeredBy: job.triggeredBy,
        outputItemId: job.outputItemId,
        error: job.error,
      },
    };
  }

  function retryIntentStep(intent: RetryIntent, courseId: string): LineageStep {
    const decided = intent.status === 'CONSUMED' ? `, executed as job ${intent.newJobId}` : intent.status === 'REJECTED' ? `, rejected by ${intent.decidedBy}: ${intent.rejectionReason}` : ', waiting for a decision';
    return {
      kind: 'retry_intent',
      at: intent.createdAt,
      actor: intent.createdBy,
      summary: `Retry intent ${intent.id} for job ${intent.jobId} by ${intent.createdBy} (${intent.reasonCode}: ${intent.reasonText})${decided}`,
      link: link('retry_intent', intent.id, courseId),
      details: { intentId: intent.id, jobId: intent.jobId, reasonCode: intent.reasonCode, reasonText: intent.reasonText, status: intent.status, newJobId: intent.newJobId, instruction: intent.instruction },
    };
  }

  // ——— review ———

  function reviewSteps(subject: { id: string; courseId: string; kind: 'syllabus' | 'lesson' | 'quiz' | 'project'; targetId: string; status: string }, review: { submittedAt: string | null; decidedBy: string | null; decidedAt: string | null; note: string | null; rejectionReason: string | null }): LineageStep[] {
    const steps: LineageStep[] = [];
    const link0 = subject.kind === 'syllabus' ? link('syllabus', subject.id, subject.courseId) : link('content', subject.id, subject.courseId);
    if (review.submittedAt) steps.push({ kind: 'review', at: review.submittedAt, actor: null, summary: 'Submitted for review', link: link0, details: { decision: 'submitted' } });
    for (const comment of store.review.listComments(subject.courseId, subject.kind, subject.targetId).filter((c) => c.itemId === subject.id)) {
      const resolved = comment.resolvedAt ? ` (resolved by ${comment.resolvedBy})` : '';
      steps.push({
        kind: 'comment',
        at: comment.createdAt,
        actor: comment.author,
        summary: `${comment.replyTo ? 'Reply' : 'Comment'} by ${comment.author}${comment.blockPath ? ` on ${comment.blockPath}` : ''}: “${comment.text}”${resolved}`,
        link: link0,
        details: { commentId: comment.id, threadId: comment.threadId, blockPath: comment.blockPath, resolvedBy: comment.resolvedBy },
      });
    }
    if (review.decidedBy) {
      const rejected = review.rejectionReason !== null;
      steps.push({
        kind: 'review',
        at: review.decidedAt,
        actor: review.decidedBy,
        summary: rejected ? `Rejected by ${review.decidedBy}: ${review.rejectionReason}` : `Approved by ${review.decidedBy}${review.note ? ` (“${review.note}”)` : ''}`,
        link: link0,
        details: { decision: rejected ? 'rejected' : 'approved', decidedBy: review.decidedBy, note: review.note, rejectionReason: review.rejectionReason },
      });
    }
    return steps.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  }

  function packagesContaining(courseId: string, versionId: string) {
    return store.packages
      .list(courseId)
      .map((summary) => store.packages.get(summary.id)!)
      .filter((pkg) => pkg.itemHashes.some((entry) => entry.itemId === versionId))
      .sort((a, b) => a.version - b.version);
  }

  function packageSteps(courseId: string, versionId: string) {
    const packages = packagesContaining(courseId, versionId);
    const steps = packages.map(
      (pkg): LineageStep => ({
        kind: 'package',
        at: pkg.createdAt,
        actor: pkg.createdBy,
        summary: `In package v${pkg.version}, built by ${pkg.createdBy}${pkg.status === 'ARCHIVED' ? ' (archived)' : ''}`,
        link: link('package', pkg.id, courseId),
        details: { packageId: pkg.id, version: pkg.version, contentHash: pkg.contentHash, status: pkg.status },
      }),
    );
    return { packages, steps };
  }

  // ——— one content version ———

  function contentLineage(item: ContentItem): Lineage {
    const course = courseOf(item.courseId);
    const syllabus = store.syllabi.get(item.syllabusVersionId);
    const basedOn = item.review.basedOnId ? store.content.get(item.review.basedOnId) : undefined;
    const courseJobs = store.regeneration.listJobs({ courseId: item.courseId }).slice().reverse();
    const producedBy = courseJobs.find((job) => job.outputItemId === item.id);
    const steps: LineageStep[] = [intentStep(item.courseId)];
    if (syllabus) steps.push(syllabusStep(syllabus));
    if (basedOn) {
      steps.push({ kind: 'previous_version', at: basedOn.metadata.createdAt, actor: basedOn.metadata.createdBy, summary: `Based on v${basedOn.version} (${basedOn.status.toLowerCase().replace('_', ' ')})`, link: link('content', basedOn.id, item.courseId), details: { itemId: basedOn.id, version: basedOn.version, status: basedOn.status } });
    }
    if (producedBy) steps.push(jobStep(producedBy, 'made'));

    let ledger: LedgerEntry[] = [];
    if (item.metadata.provider !== HUMAN_EDIT_PROVIDER && syllabus) {
      const instruction = typeof item.metadata.params.instruction === 'string' ? item.metadata.params.instruction : undefined;
      const questionId = typeof item.metadata.params.questionId === 'string' ? item.metadata.params.questionId : undefined;
      if (questionId && basedOn?.kind === 'quiz') {
        // One question was rewritten: the call was asked with the previous version's quiz as context.
        const messages = questionPromptMessages({ syllabus: syllabus.syllabus, syllabusVersionId: syllabus.id, lessonId: item.targetId, quiz: basedOn.content as Quiz, questionId, instruction: instruction ?? '' });
        ledger = ledgerRows(item.courseId, 'content.question', item.metadata, { promptHash: sha256Hex(canonicalJson(messages)) });
      } else {
        const messages = contentPromptMessages(item.kind, { syllabus: syllabus.syllabus, syllabusVersionId: syllabus.id, targetId: item.targetId, ...(instruction ? { instruction } : {}) });
        ledger = ledgerRows(item.courseId, `content.${item.kind}`, item.metadata, { promptHash: sha256Hex(canonicalJson(messages)) });
      }
    }
    steps.push(...madeSteps(item, item.metadata, ledger, basedOn?.version ?? null));
    steps.push(...reviewSteps(item, item.review));

    const { packages, steps: inPackages } = packageSteps(item.courseId, item.id);
    steps.push(...inPackages);

    const signals = signalsOn(item, new Set(packages.map((p) => p.version)));
    for (const { signal } of signals) {
      steps.push({ kind: 'signal', at: signal.createdAt, actor: null, summary: `Learners showed ${describeSignal(signal)} in package v${signal.target.packageVersion}, ${signal.day}`, link: link('signal', signal.id, item.courseId), details: { signalId: signal.id, type: signal.type, severity: signal.severity, day: signal.day, packageVersion: signal.target.packageVersion, questionId: signal.target.questionId, ...(signal.evidence as Record<string, number>) } });
    }
    const signalIds = new Set(signals.map((s) => s.signal.id));
    for (const serverUrl of new Set(signals.map((s) => s.serverUrl))) {
      for (const suggestion of store.analytics.suggestions({ serverUrl, courseId: item.courseId }).filter((s) => signalIds.has(s.signalId))) {
        // The server records the key that sent a decision; the person who decided in this studio is in its own outbox.
        const decidedBy = store.analytics.decision(serverUrl, suggestion.id)?.decidedBy ?? suggestion.decidedBy;
        const decided = suggestion.status === 'OPEN' ? 'open' : suggestion.status === 'ACCEPTED' ? `accepted by ${decidedBy}` : `dismissed by ${decidedBy}: ${suggestion.dismissReason}`;
        steps.push({ kind: 'suggestion', at: suggestion.createdAt, actor: suggestion.status === 'OPEN' ? null : decidedBy, summary: `Suggestion ${suggestion.id} (${suggestion.kind}): ${suggestion.rationale} — ${decided}`, link: link('suggestion', suggestion.id, item.courseId), details: { suggestionId: suggestion.id, kind: suggestion.kind, signalId: suggestion.signalId, status: suggestion.status, draftInstruction: suggestion.draftInstruction } });
      }
    }

    // Jobs that started from this version, each followed by its retry intents; a retry is itself a job on this version, so it comes in its turn.
    for (const job of courseJobs.filter((j) => j.targetItemId === item.id)) {
      steps.push(jobStep(job, 'asked'));
      for (const intent of store.regeneration.listIntents({ jobId: job.id })) steps.push(retryIntentStep(intent, item.courseId));
    }

    for (const next of store.content.listByCourse(item.courseId).filter((c) => c.review.basedOnId === item.id).sort((a, b) => a.version - b.version)) {
      const by = courseJobs.find((job) => job.outputItemId === next.id);
      const how = by ? `regenerated by job ${by.id}` : next.metadata.provider === HUMAN_EDIT_PROVIDER ? `edited by ${next.metadata.createdBy}` : `written by the model for ${next.metadata.createdBy}`;
      steps.push({ kind: 'next_version', at: next.metadata.createdAt, actor: next.metadata.createdBy, summary: `Next version: v${next.version} (${next.status.toLowerCase().replace('_', ' ')}), ${how}`, link: link('content', next.id, item.courseId), details: { itemId: next.id, version: next.version, status: next.status, jobId: by?.id ?? null } });
    }

    const subject: LineageSubject = { kind: item.kind, id: item.id, courseId: item.courseId, courseTitle: course.title, version: item.version, title: (item.content as { title: string }).title, status: item.status };
    const how = producedBy
      ? `regenerated by job ${producedBy.id} ${describeJobOrigin(producedBy)}`
      : item.metadata.provider === HUMAN_EDIT_PROVIDER
        ? `edited by hand by ${item.metadata.createdBy}`
        : `written by the model ${item.metadata.provider}/${item.metadata.model} for ${item.metadata.createdBy}`;
    return { subject, headline: `v${item.version} of ${kindLabel[item.kind]}: ${subject.title} — ${how}`, steps };
  }

  // ——— one syllabus version ———

  function syllabusLineage(version: SyllabusVersion): Lineage {
    const course = courseOf(version.courseId);
    const all = store.syllabi.listByCourse(version.courseId);
    const basedOn = version.review.basedOnId ? all.find((v) => v.id === version.review.basedOnId) : undefined;
    const previous = all.filter((v) => v.version < version.version).sort((a, b) => a.version - b.version).at(-1);
    const courseJobs = store.regeneration.listJobs({ courseId: version.courseId }).slice().reverse();
    const producedBy = courseJobs.find((job) => job.targetKind === 'syllabus' && job.outputItemId === version.id);
    const steps: LineageStep[] = [intentStep(version.courseId)];
    if (basedOn) steps.push({ kind: 'previous_version', at: basedOn.metadata.createdAt, actor: basedOn.metadata.createdBy, summary: `Based on syllabus v${basedOn.version} (${basedOn.status.toLowerCase().replace('_', ' ')})`, link: link('syllabus', basedOn.id, version.courseId), details: { syllabusVersionId: basedOn.id, version: basedOn.version, status: basedOn.status } });
    if (producedBy) steps.push(jobStep(producedBy, 'made'));
    // Syllabus calls run one at a time per course, so the call that wrote this version is the last one after the previous version.
    const ledger = version.metadata.provider === HUMAN_EDIT_PROVIDER ? [] : ledgerRows(version.courseId, 'syllabus', version.metadata, { after: previous?.metadata.createdAt ?? '' });
    steps.push(...madeSteps(version, version.metadata, ledger, basedOn?.version ?? null));
    steps.push(...reviewSteps({ id: version.id, courseId: version.courseId, kind: 'syllabus', targetId: 'syllabus', status: version.status }, version.review));
    steps.push(...packageSteps(version.courseId, version.id).steps);
    // Syllabus jobs that started from this version, each followed by its retry intents.
    for (const job of courseJobs.filter((j) => j.targetKind === 'syllabus' && j.targetItemId === version.id)) {
      steps.push(jobStep(job, 'asked'));
      for (const intent of store.regeneration.listIntents({ jobId: job.id })) steps.push(retryIntentStep(intent, version.courseId));
    }
    for (const next of all.filter((v) => v.review.basedOnId === version.id).sort((a, b) => a.version - b.version)) {
      const by = courseJobs.find((job) => job.targetKind === 'syllabus' && job.outputItemId === next.id);
      const how = by ? `regenerated by job ${by.id}` : next.metadata.provider === HUMAN_EDIT_PROVIDER ? `edited by ${next.metadata.createdBy}` : `written by the model for ${next.metadata.createdBy}`;
      steps.push({ kind: 'next_version', at: next.metadata.createdAt, actor: next.metadata.createdBy, summary: `Next version: syllabus v${next.version} (${next.status.toLowerCase().replace('_', ' ')}), ${how}`, link: link('syllabus', next.id, version.courseId), details: { syllabusVersionId: next.id, version: next.version, status: next.status, jobId: by?.id ?? null } });
    }
    const how = producedBy
      ? `regenerated by job ${producedBy.id} ${describeJobOrigin(producedBy)}`
      : version.metadata.provider === HUMAN_EDIT_PROVIDER
        ? `edited by hand by ${version.metadata.createdBy}`
        : `written by the model ${version.metadata.provider}/${version.metadata.model} for ${version.metadata.createdBy}`;
    return {
      subject: { kind: 'syllabus', id: version.id, courseId: version.courseId, courseTitle: course.title, version: version.version, title: version.syllabus.title, status: version.status },
      headline: `v${version.version} of Syllabus: ${version.syllabus.title} — ${how}`,
      steps,
    };
  }

  /** The lineage of a lesson, quiz or project version, or of a syllabus version, by its id. */
  function show(id: string): Lineage {
    const item = store.content.get(id);
    if (item) return contentLineage(item);
    const version = store.syllabi.get(id);
    if (version) return syllabusLineage(version);
    throw new CoursewrightError('NOT_FOUND', `No lesson, quiz, project or syllabus version "${id}". Find version ids with \`coursewright content list COURSE\` or \`coursewright syllabus list COURSE\`.`, { id });
  }

  return { show };
}
