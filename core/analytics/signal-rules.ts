import { canonicalJson, sha256Hex } from '../hash.js';
import type { AnalyticsSignal, AnalyticsTarget, ItemStatistics, LessonStatistics, QuizStatistics, SignalRule, SignalSeverity, SignalType } from '../../schemas/analytics.js';
import { median } from './item-analysis.js';

/**
 * Rule-based signals: the one thresholds table (an admin reads it as is) and the evaluation of
 * one course version's aggregates for one day against it. Observe only: a signal is a finding,
 * never a change. Deterministic: the same input gives the same signals, ids and order.
 */

/** The default minimum n: below it a rate is mostly noise, so no rule fires. */
export const DEFAULT_MINIMUM_N = 30;

/**
 * high_dropoff needs BOTH a drop-off rate of at least `threshold` × the course's median lesson
 * drop-off rate AND at least this absolute rate, so a course where almost nobody stops does not
 * flag a lesson for losing 2% against a median of 1%.
 */
export const HIGH_DROPOFF_MINIMUM_RATE = 0.2;

/**
 * Exactly one rule per signal type. The comparison each rule makes is spelled out in its
 * description; `threshold` is the number it compares against. "n" per rule:
 * item rules → first attempts answering the question; low_pass_rate → first attempts on the quiz;
 * time_over_estimate → learners who completed the lesson (the median is over them);
 * high_dropoff → learners who viewed the lesson; low_completion → learners who started the course.
 */
export const signalRules: readonly SignalRule[] = Object.freeze([
  { type: 'high_dropoff', minimumN: DEFAULT_MINIMUM_N, threshold: 2, severity: 'warning', description: `A lesson's drop-off rate is at least 2× the median lesson drop-off rate of the course and at least ${HIGH_DROPOFF_MINIMUM_RATE} (${HIGH_DROPOFF_MINIMUM_RATE * 100}%); the median is over the course's lessons that anyone viewed.` },
  { type: 'low_pass_rate', minimumN: DEFAULT_MINIMUM_N, threshold: 0.5, severity: 'warning', description: "A quiz's first-attempt pass rate is below 0.5 (50%)." },
  { type: 'item_too_hard', minimumN: DEFAULT_MINIMUM_N, threshold: 0.2, severity: 'warning', description: "A question's facility p (share answering correctly on first attempts) is below 0.2." },
  { type: 'item_too_easy', minimumN: DEFAULT_MINIMUM_N, threshold: 0.95, severity: 'info', description: "A question's facility p (share answering correctly on first attempts) is above 0.95." },
  { type: 'item_poor_discrimination', minimumN: DEFAULT_MINIMUM_N, threshold: 0.2, severity: 'warning', description: "A question's corrected point-biserial r (the question against the rest of the quiz) is below 0.2. A negative r also raises item_suspect_key: both are reported." },
  { type: 'item_suspect_key', minimumN: DEFAULT_MINIMUM_N, threshold: 0, severity: 'critical', description: "A question's corrected point-biserial r is below 0, or a distractor is chosen more often than the key among the top-scoring third of first attempts." },
  { type: 'nonfunctional_distractor', minimumN: DEFAULT_MINIMUM_N, threshold: 0.05, severity: 'info', description: 'A distractor (never the key) is chosen by fewer than 0.05 (5%) of first attempts; exactly 5% still counts as functional.' },
  { type: 'time_over_estimate', minimumN: DEFAULT_MINIMUM_N, threshold: 2, severity: 'warning', description: "The median time learners who completed a lesson spent on it is more than 2× the lesson's estimated minutes." },
  { type: 'low_completion', minimumN: DEFAULT_MINIMUM_N, threshold: 0.3, severity: 'warning', description: 'Fewer than 0.3 (30%) of the learners who started the course completed it.' },
] satisfies SignalRule[]);

export interface SignalInput {
  courseId: string;
  packageVersion: number;
  packageContentHash: string;
  /** The aggregation day (YYYY-MM-DD) the statistics come from. */
  day: string;
  lessons: readonly LessonStatistics[];
  quizzes: readonly QuizStatistics[];
  items: readonly ItemStatistics[];
  funnel: { started: number; completed: number };
}

type Evidence = AnalyticsSignal['evidence'];

interface Finding {
  type: SignalType;
  target: AnalyticsTarget;
  evidence: Evidence;
  /** Where the target sits in the course, so signals read in course order within a type. */
  position: number[];
}

const severityRank: Record<SignalSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Evaluates every rule in `rules` against one course version's statistics. A signal type with no
 * rule in the table is not evaluated (an admin switches a rule off by leaving it out); two rules
 * for one type are refused, because the table must read unambiguously. Output order: severity
 * (critical first), then the rule's place in the table, then course order (lesson, question,
 * option).
 */
export function evaluateSignals(input: SignalInput, rules: readonly SignalRule[] = signalRules, now: string): AnalyticsSignal[] {
  const ruleByType = new Map<SignalType, SignalRule>();
  for (const rule of rules) {
    if (ruleByType.has(rule.type)) throw new Error(`The signal rules table has more than one rule for ${rule.type}; keep exactly one rule per signal type.`);
    ruleByType.set(rule.type, rule);
  }

  const lessonIndexById = new Map(input.lessons.map((lesson) => [lesson.lessonId, lesson.lessonIndex]));
  const baseTarget = (kind: AnalyticsTarget['kind']): AnalyticsTarget => ({
    kind,
    courseId: input.courseId,
    packageVersion: input.packageVersion,
    packageContentHash: input.packageContentHash,
    lessonId: null,
    lessonIndex: null,
    quizItemId: null,
    quizContentHash: null,
    questionId: null,
    optionIndex: null,
  });
  const lessonTarget = (lesson: LessonStatistics): AnalyticsTarget => ({ ...baseTarget('lesson'), lessonId: lesson.lessonId, lessonIndex: lesson.lessonIndex });
  const quizTarget = (quiz: Pick<QuizStatistics, 'lessonId' | 'quizItemId' | 'quizContentHash'>, kind: AnalyticsTarget['kind']): AnalyticsTarget => ({
    ...baseTarget(kind),
    lessonId: quiz.lessonId,
    lessonIndex: lessonIndexById.get(quiz.lessonId) ?? null,
    quizItemId: quiz.quizItemId,
    quizContentHash: quiz.quizContentHash,
  });
  const itemTarget = (item: ItemStatistics, optionIndex: number | null = null): AnalyticsTarget => ({
    ...quizTarget(item, optionIndex === null ? 'question' : 'option'),
    questionId: item.questionId,
    optionIndex,
  });
  const lessonPosition = (lessonId: string) => lessonIndexById.get(lessonId) ?? Number.MAX_SAFE_INTEGER;

  const findings: Finding[] = [];
  const applies = (type: SignalType, n: number): SignalRule | undefined => {
    const rule = ruleByType.get(type);
    return rule !== undefined && n >= rule.minimumN ? rule : undefined;
  };

  for (const item of input.items) {
    const position = [lessonPosition(item.lessonId), item.questionIndex];
    const itemEvidence = { n: item.n, questionIndex: item.questionIndex, keyIndex: item.keyIndex, facility: item.facility };
    const tooHard = applies('item_too_hard', item.n);
    if (tooHard && item.facility < tooHard.threshold) findings.push({ type: 'item_too_hard', target: itemTarget(item), evidence: { ...itemEvidence, threshold: tooHard.threshold }, position });
    const tooEasy = applies('item_too_easy', item.n);
    if (tooEasy && item.facility > tooEasy.threshold) findings.push({ type: 'item_too_easy', target: itemTarget(item), evidence: { ...itemEvidence, threshold: tooEasy.threshold }, position });
    const poor = applies('item_poor_discrimination', item.n);
    if (poor && item.discrimination !== null && item.discrimination < poor.threshold) {
      findings.push({ type: 'item_poor_discrimination', target: itemTarget(item), evidence: { ...itemEvidence, discrimination: item.discrimination, threshold: poor.threshold }, position });
    }
    const suspect = applies('item_suspect_key', item.n);
    const negative = item.discrimination !== null && suspect !== undefined && item.discrimination < suspect.threshold;
    if (suspect && (negative || item.distractorOutdrawsKeyInTopThird)) {
      const strongest = strongestDistractor(item);
      findings.push({
        type: 'item_suspect_key',
        target: itemTarget(item),
        evidence: {
          ...itemEvidence,
          ...(item.discrimination === null ? {} : { discrimination: item.discrimination }),
          keyShare: item.optionShares[item.keyIndex] ?? 0,
          ...(strongest === null ? {} : { strongestDistractorIndex: strongest.optionIndex, strongestDistractorShare: strongest.share }),
          distractorOutdrawsKeyInTopThird: item.distractorOutdrawsKeyInTopThird ? 1 : 0,
          threshold: suspect.threshold,
        },
        position,
      });
    }
    const distractor = applies('nonfunctional_distractor', item.n);
    if (distractor) {
      item.optionShares.forEach((share, optionIndex) => {
        if (optionIndex === item.keyIndex || !(share < distractor.threshold)) return;
        findings.push({ type: 'nonfunctional_distractor', target: itemTarget(item, optionIndex), evidence: { ...itemEvidence, optionIndex, share, threshold: distractor.threshold }, position: [...position, optionIndex] });
      });
    }
  }

  for (const quiz of input.quizzes) {
    const lowPass = applies('low_pass_rate', quiz.n);
    if (lowPass && quiz.firstAttemptPassRate < lowPass.threshold) {
      findings.push({ type: 'low_pass_rate', target: quizTarget(quiz, 'quiz'), evidence: { n: quiz.n, firstAttemptPassRate: quiz.firstAttemptPassRate, questionCount: quiz.questionCount, threshold: lowPass.threshold }, position: [lessonPosition(quiz.lessonId)] });
    }
  }

  const viewedRates = input.lessons.filter((lesson) => lesson.views > 0).map((lesson) => lesson.dropOffRate);
  const courseMedianDropOff = median(viewedRates) ?? 0;
  for (const lesson of input.lessons) {
    const dropoff = applies('high_dropoff', lesson.views);
    if (dropoff && lesson.dropOffRate >= dropoff.threshold * courseMedianDropOff && lesson.dropOffRate >= HIGH_DROPOFF_MINIMUM_RATE) {
      findings.push({
        type: 'high_dropoff',
        target: lessonTarget(lesson),
        evidence: { n: lesson.views, lessonIndex: lesson.lessonIndex, dropOff: lesson.dropOff, dropOffRate: lesson.dropOffRate, courseMedianDropOffRate: courseMedianDropOff, threshold: dropoff.threshold, minimumRate: HIGH_DROPOFF_MINIMUM_RATE },
        position: [lesson.lessonIndex],
      });
    }
    const overTime = applies('time_over_estimate', lesson.completions);
    // A lesson without an estimate (0 minutes) cannot run over it.
    if (overTime && lesson.medianMinutes !== null && lesson.estimatedMinutes > 0 && lesson.medianMinutes > overTime.threshold * lesson.estimatedMinutes) {
      findings.push({
        type: 'time_over_estimate',
        target: lessonTarget(lesson),
        evidence: {
          n: lesson.completions,
          lessonIndex: lesson.lessonIndex,
          medianMinutes: lesson.medianMinutes,
          ...(lesson.p90Minutes === null ? {} : { p90Minutes: lesson.p90Minutes }),
          estimatedMinutes: lesson.estimatedMinutes,
          threshold: overTime.threshold,
        },
        position: [lesson.lessonIndex],
      });
    }
  }

  const completion = applies('low_completion', input.funnel.started);
  if (completion) {
    const completionRate = input.funnel.completed / input.funnel.started;
    if (completionRate < completion.threshold) {
      findings.push({ type: 'low_completion', target: baseTarget('course'), evidence: { n: input.funnel.started, completed: input.funnel.completed, completionRate, threshold: completion.threshold }, position: [] });
    }
  }

  const ruleOrder = new Map(rules.map((rule, index) => [rule.type, index]));
  const signals = findings.map((finding) => {
    const rule = ruleByType.get(finding.type)!;
    return {
      signal: {
        id: signalId(finding.type, finding.target, input.day),
        type: finding.type,
        severity: rule.severity,
        target: finding.target,
        evidence: finding.evidence,
        day: input.day,
        createdAt: now,
      } satisfies AnalyticsSignal,
      sortKey: [severityRank[rule.severity], ruleOrder.get(finding.type)!, ...finding.position],
    };
  });
  signals.sort((a, b) => compareKeys(a.sortKey, b.sortKey) || (a.signal.id < b.signal.id ? -1 : a.signal.id > b.signal.id ? 1 : 0));
  return signals.map(({ signal }) => signal);
}

/**
 * `sig_` + the first 32 hex characters of SHA-256 over type, target (which carries the package
 * version and content hash) and day: recomputing a day gives the same ids, so storage can upsert.
 */
export function signalId(type: SignalType, target: AnalyticsTarget, day: string): string {
  return `sig_${sha256Hex(canonicalJson({ type, target, day, packageContentHash: target.packageContentHash })).slice(0, 32)}`;
}

function strongestDistractor(item: ItemStatistics): { optionIndex: number; share: number } | null {
  let strongest: { optionIndex: number; share: number } | null = null;
  item.optionShares.forEach((share, optionIndex) => {
    if (optionIndex !== item.keyIndex && (strongest === null || share > strongest.share)) strongest = { optionIndex, share };
  });
  return strongest;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? -1) - (b[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}
