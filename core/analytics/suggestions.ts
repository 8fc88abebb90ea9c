import { sha256Hex } from '../hash.js';
import { signalTypes, type AnalyticsSignal, type AnalyticsTarget, type ContentSuggestion, type SignalType, type SuggestionKind } from '../../schemas/analytics.js';

/**
 * The insight engine: one registry from signal type to the content suggestions it calls for.
 * Suggestions only propose; a person accepts or dismisses them, and only an accepted one may
 * start a regeneration job. Same signal → same suggestions (ids, wording, order).
 */

/** What a mapping decides; suggestionsForSignal adds the ids, target, status and time. */
export interface SuggestionDraft {
  kind: SuggestionKind;
  /** Why, in a designer's words, from the evidence. */
  rationale: string;
  /** What a generator is asked to do, naming the lesson, question or option. */
  draftInstruction: string;
}

export type SignalOfType<T extends SignalType> = AnalyticsSignal & { type: T };

/** Exhaustive over signal types: a new type in the schema fails to compile until it is mapped here. */
export type SuggestionMappings = { readonly [T in SignalType]: (signal: SignalOfType<T>) => SuggestionDraft[] };

export const suggestionMappings: SuggestionMappings = {
  item_suspect_key: (signal) => {
    const question = questionName(signal);
    const key = optionLetter(evidence(signal, 'keyIndex'));
    const keyShare = evidence(signal, 'keyShare');
    const strongestIndex = signal.evidence.strongestDistractorIndex;
    const strongestShare = signal.evidence.strongestDistractorShare;
    const discrimination = signal.evidence.discrimination;
    const reasons: string[] = [];
    if (strongestIndex !== undefined && strongestShare !== undefined) {
      reasons.push(`${percent(strongestShare)} of ${learners(signal.evidence.n)} chose option ${optionLetter(strongestIndex)}, the key is ${key} (chosen by ${percent(keyShare)})`);
    } else {
      reasons.push(`${percent(keyShare)} of ${learners(signal.evidence.n)} chose the key, option ${key}`);
    }
    if (signal.evidence.distractorOutdrawsKeyInTopThird === 1) reasons.push('among the strongest third of learners a distractor is chosen more often than the key');
    if (discrimination !== undefined && discrimination < evidence(signal, 'threshold')) reasons.push(`learners who do well on the rest of the quiz do worse on this question (r = ${fixed(discrimination)})`);
    const suspect = strongestIndex === undefined ? 'another option' : `option ${optionLetter(strongestIndex)}`;
    return [
      {
        kind: 'check_answer_key',
        rationale: `${sentence(reasons.join('; '))} The key of ${question} may be wrong.`,
        draftInstruction: `Check the answer key of ${question} in ${lessonName(signal.target)}: the key is option ${key}. Decide whether ${suspect} is in fact correct or arguably correct, and fix the key or the options so that exactly one option is correct.`,
      },
      {
        kind: 'rewrite_question',
        rationale: `${sentence(reasons.join('; '))} Even with the right key, ${question} may be ambiguous.`,
        draftInstruction: `Rewrite ${question} in ${lessonName(signal.target)} so that exactly one option is defensibly correct and ${suspect} is clearly wrong to a learner who has mastered the lesson; keep the learning objective it tests.`,
      },
    ];
  },
  item_too_hard: (signal) => [
    {
      kind: 'rewrite_question',
      rationale: `Only ${percent(evidence(signal, 'facility'))} of ${learners(signal.evidence.n)} answered ${questionName(signal)} correctly on their first attempt (the rule flags below ${percent(evidence(signal, 'threshold'))}).`,
      draftInstruction: `Rewrite ${questionName(signal)} in ${lessonName(signal.target)} so that a learner who studied the lesson can answer it: check the wording for ambiguity, make sure the lesson teaches what it asks, and keep option ${optionLetter(evidence(signal, 'keyIndex'))} as the correct answer only if it still is.`,
    },
  ],
  item_too_easy: (signal) => [
    {
      kind: 'rewrite_question',
      rationale: `${percent(evidence(signal, 'facility'))} of ${learners(signal.evidence.n)} answered ${questionName(signal)} correctly on their first attempt (the rule flags above ${percent(evidence(signal, 'threshold'))}), so it tells almost no one apart.`,
      draftInstruction: `Rewrite ${questionName(signal)} in ${lessonName(signal.target)} so that it asks learners to apply the lesson rather than recognise it, with distractors based on common misconceptions; keep the learning objective it tests.`,
    },
  ],
  item_poor_discrimination: (signal) => [
    {
      kind: 'rewrite_question',
      rationale: `${capitalise(questionName(signal))} hardly separates learners who know the material from those who do not: over ${learners(signal.evidence.n)} it correlates ${fixed(evidence(signal, 'discrimination'))} with the rest of the quiz (the rule flags below ${fixed(evidence(signal, 'threshold'))}).`,
      draftInstruction: `Rewrite ${questionName(signal)} in ${lessonName(signal.target)} so that answering it correctly depends on understanding the lesson, not on test-taking cues or reading the stem a particular way; keep the learning objective it tests.`,
    },
  ],
  nonfunctional_distractor: (signal) => {
    const option = optionLetter(evidence(signal, 'optionIndex'));
    return [
      {
        kind: 'replace_distractor',
        rationale: `Only ${percent(evidence(signal, 'share'))} of ${learners(signal.evidence.n)} chose option ${option} of ${questionName(signal)} (the rule flags below ${percent(evidence(signal, 'threshold'))}), so it distracts almost no one.`,
        draftInstruction: `Replace option ${option} of ${questionName(signal)} in ${lessonName(signal.target)} with a plausible wrong answer built on a common misconception about the lesson; keep the key, option ${optionLetter(evidence(signal, 'keyIndex'))}, and the other options unchanged.`,
      },
    ];
  },
  low_pass_rate: (signal) => [
    {
      kind: 'add_worked_example',
      rationale: `Only ${percent(evidence(signal, 'firstAttemptPassRate'))} of ${learners(signal.evidence.n)} passed the quiz of ${lessonName(signal.target)} on their first attempt (the rule flags below ${percent(evidence(signal, 'threshold'))}).`,
      draftInstruction: `Add a worked example to ${lessonName(signal.target)}, before its quiz, that solves a problem like the quiz's questions step by step and explains each step; leave the quiz as it is.`,
    },
  ],
  high_dropoff: (signal) => {
    const lesson = lessonName(signal.target);
    const rationale = `${percent(evidence(signal, 'dropOffRate'))} of the ${learners(signal.evidence.n)} who reached ${lesson} stopped there, against a course median of ${percent(evidence(signal, 'courseMedianDropOffRate'))} per lesson.`;
    return [
      {
        kind: 'split_lesson',
        rationale,
        draftInstruction: `Split ${lesson} into two shorter lessons at a natural break, each with its own objective, keeping all of its content and its place in the course.`,
      },
      {
        kind: 'add_worked_example',
        rationale,
        draftInstruction: `Add a worked example to ${lesson} at the point where the material becomes hardest, solving one representative problem step by step.`,
      },
    ];
  },
  time_over_estimate: (signal) => {
    const lesson = lessonName(signal.target);
    const medianMinutes = evidence(signal, 'medianMinutes');
    const estimate = evidence(signal, 'estimatedMinutes');
    const p90 = signal.evidence.p90Minutes;
    const rationale = `Learners who completed ${lesson} took a median of ${minutes(medianMinutes)}${p90 === undefined ? '' : ` (90th percentile ${minutes(p90)})`} against an estimate of ${minutes(estimate)}, more than ${evidence(signal, 'threshold')}× the estimate, over ${learners(signal.evidence.n)}.`;
    return [
      {
        kind: 'shorten_lesson',
        rationale,
        draftInstruction: `Shorten ${lesson} so that it fits its estimate of ${minutes(estimate)}: keep its objective and key points, cut repetition and side material, or move an optional part into a further-reading note.`,
      },
      {
        kind: 'adjust_estimate',
        rationale,
        draftInstruction: `If the content of ${lesson} should stay as it is, change its estimated time from ${minutes(estimate)} to ${minutes(Math.ceil(medianMinutes))}, the median learners took.`,
      },
    ];
  },
  low_completion: (signal) => [
    {
      kind: 'review_course_structure',
      rationale: `Only ${percent(evidence(signal, 'completionRate'))} of the ${learners(signal.evidence.n)} who started the course completed it (the rule flags below ${percent(evidence(signal, 'threshold'))}).`,
      draftInstruction: 'Review the structure of the course: find the lessons where learners stop (drop-off per lesson on the Analytics page), and consider shorter lessons, fewer prerequisites between modules or a different order so that more learners reach the end.',
    },
  ],
};

/**
 * The suggestions a signal calls for, OPEN and undecided. Ids are `sug_` + 32 hex characters of
 * SHA-256 over the signal id and the kind, so storing them again creates no duplicates.
 */
export function suggestionsForSignal(signal: AnalyticsSignal, now: string): ContentSuggestion[] {
  if (!(signalTypes as readonly string[]).includes(signal.type) || !Object.hasOwn(suggestionMappings, signal.type)) {
    throw new Error(`No suggestion mapping for signal type "${String(signal.type)}" (signal ${signal.id}); known types: ${signalTypes.join(', ')}.`);
  }
  const mapping = suggestionMappings[signal.type] as (signal: AnalyticsSignal) => SuggestionDraft[];
  const drafts = mapping(signal);
  return drafts.map((draft) => ({
    id: suggestionId(signal.id, draft.kind),
    signalId: signal.id,
    signalType: signal.type,
    kind: draft.kind,
    target: signal.target,
    rationale: draft.rationale,
    draftInstruction: draft.draftInstruction,
    status: 'OPEN',
    decidedBy: null,
    decidedAt: null,
    dismissReason: null,
    createdAt: now,
  }));
}

export function suggestionId(signalId: string, kind: SuggestionKind): string {
  return `sug_${sha256Hex(`${signalId}\n${kind}`).slice(0, 32)}`;
}

function evidence(signal: AnalyticsSignal, name: string): number {
  const value = signal.evidence[name];
  if (value === undefined) throw new Error(`Signal ${signal.id} (${signal.type}) has no "${name}" in its evidence, which its suggestions are built from; recompute the signal with the current rules.`);
  return value;
}

/** Options as learners see them: A, B, C… (past Z, the option's number). */
export function optionLetter(optionIndex: number): string {
  return optionIndex < 26 ? String.fromCharCode(65 + optionIndex) : String(optionIndex + 1);
}

function lessonName(target: AnalyticsTarget): string {
  return target.lessonIndex === null ? `lesson ${target.lessonId}` : `lesson ${target.lessonIndex + 1} (${target.lessonId})`;
}

function questionName(signal: AnalyticsSignal): string {
  return `question ${evidence(signal, 'questionIndex') + 1} (${signal.target.questionId})`;
}

function learners(n: number): string {
  return n === 1 ? '1 learner' : `${n} learners`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function fixed(value: number): string {
  return value.toFixed(2);
}

function minutes(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded === 1 ? '1 minute' : `${rounded} minutes`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(text: string): string {
  return `${capitalise(text)}.`;
}
