import { describe, expect, it } from 'vitest';
import { optionLetter, suggestionMappings, suggestionsForSignal, type SuggestionMappings } from '../../../core/analytics/suggestions.js';
import { ContentSuggestion, signalTypes, type AnalyticsSignal, type AnalyticsTarget, type SignalType } from '../../../schemas/analytics.js';

const packageHash = 'a'.repeat(64);
const quizHash = 'b'.repeat(64);
const now = '2025-03-02T03:00:00.000Z';

const courseTarget: AnalyticsTarget = { kind: 'course', courseId: 'crs_1', packageVersion: 2, packageContentHash: packageHash, lessonId: null, lessonIndex: null, quizItemId: null, quizContentHash: null, questionId: null, optionIndex: null };
const lessonTarget: AnalyticsTarget = { ...courseTarget, kind: 'lesson', lessonId: 'les_loops', lessonIndex: 3 };
const quizTarget: AnalyticsTarget = { ...lessonTarget, kind: 'quiz', quizItemId: 'qiz_loops', quizContentHash: quizHash };
const questionTarget: AnalyticsTarget = { ...quizTarget, kind: 'question', questionId: 'q_while' };

function signal(type: SignalType, target: AnalyticsTarget, evidence: AnalyticsSignal['evidence']): AnalyticsSignal {
  return { id: `sig_${type}`, type, severity: 'warning', target, evidence, day: '2025-03-01', createdAt: '2025-03-02T02:00:00.000Z' };
}

/** One signal of every type, with evidence as signal-rules writes it. */
const signals: Record<SignalType, AnalyticsSignal> = {
  item_suspect_key: signal('item_suspect_key', questionTarget, { n: 120, questionIndex: 2, keyIndex: 1, facility: 0.3, discrimination: -0.15, keyShare: 0.3, strongestDistractorIndex: 2, strongestDistractorShare: 0.62, distractorOutdrawsKeyInTopThird: 1, threshold: 0 }),
  item_too_hard: signal('item_too_hard', questionTarget, { n: 80, questionIndex: 0, keyIndex: 0, facility: 0.15, threshold: 0.2 }),
  item_too_easy: signal('item_too_easy', questionTarget, { n: 80, questionIndex: 0, keyIndex: 0, facility: 0.97, threshold: 0.95 }),
  item_poor_discrimination: signal('item_poor_discrimination', questionTarget, { n: 80, questionIndex: 4, keyIndex: 0, facility: 0.5, discrimination: 0.123, threshold: 0.2 }),
  nonfunctional_distractor: signal('nonfunctional_distractor', { ...questionTarget, kind: 'option', optionIndex: 3 }, { n: 200, questionIndex: 1, keyIndex: 0, facility: 0.7, optionIndex: 3, share: 0.02, threshold: 0.05 }),
  low_pass_rate: signal('low_pass_rate', quizTarget, { n: 90, firstAttemptPassRate: 0.4, questionCount: 5, threshold: 0.5 }),
  high_dropoff: signal('high_dropoff', lessonTarget, { n: 90, lessonIndex: 3, dropOff: 32, dropOffRate: 0.35, courseMedianDropOffRate: 0.1, threshold: 2, minimumRate: 0.2 }),
  time_over_estimate: signal('time_over_estimate', lessonTarget, { n: 50, lessonIndex: 3, medianMinutes: 44.5, p90Minutes: 70, estimatedMinutes: 20, threshold: 2 }),
  low_completion: signal('low_completion', courseTarget, { n: 200, completed: 40, completionRate: 0.2, threshold: 0.3 }),
};

describe('the suggestion registry', () => {
  it('maps every signal type, and nothing else', () => {
    expect(Object.keys(suggestionMappings).sort()).toEqual([...signalTypes].sort());
  });

  it('is exhaustive at compile time (a missing type does not typecheck)', () => {
    // @ts-expect-error every signal type needs a mapping
    const incomplete: SuggestionMappings = { item_too_hard: () => [] };
    expect(Object.keys(incomplete)).toEqual(['item_too_hard']);
  });

  it('an unknown signal type is an error naming it, not an empty list', () => {
    const unknown = { ...signals.item_too_hard, type: 'item_confusing' as SignalType };
    expect(() => suggestionsForSignal(unknown, now)).toThrow('No suggestion mapping for signal type "item_confusing" (signal sig_item_too_hard); known types: high_dropoff, low_pass_rate,');
    expect(() => suggestionsForSignal({ ...unknown, type: 'toString' as SignalType }, now)).toThrow('No suggestion mapping for signal type "toString"');
    expect(() => suggestionsForSignal({ ...unknown, type: '__proto__' as SignalType }, now)).toThrow('No suggestion mapping for signal type "__proto__"');
  });

  it.each([
    ['item_suspect_key', ['check_answer_key', 'rewrite_question']],
    ['item_too_hard', ['rewrite_question']],
    ['item_too_easy', ['rewrite_question']],
    ['item_poor_discrimination', ['rewrite_question']],
    ['nonfunctional_distractor', ['replace_distractor']],
    ['low_pass_rate', ['add_worked_example']],
    ['high_dropoff', ['split_lesson', 'add_worked_example']],
    ['time_over_estimate', ['shorten_lesson', 'adjust_estimate']],
    ['low_completion', ['review_course_structure']],
  ] as const)('%s → %j', (type, kinds) => {
    expect(suggestionsForSignal(signals[type], now).map((suggestion) => suggestion.kind)).toEqual(kinds);
  });
});

describe('suggestions as stored', () => {
  it('are OPEN, undecided, on the signal\'s target, valid against the shared schema', () => {
    for (const type of signalTypes) {
      for (const suggestion of suggestionsForSignal(signals[type], now)) {
        expect(() => ContentSuggestion.parse(suggestion)).not.toThrow();
        expect(suggestion).toMatchObject({ signalId: `sig_${type}`, signalType: type, target: signals[type].target, status: 'OPEN', decidedBy: null, decidedAt: null, dismissReason: null, createdAt: now });
      }
    }
  });

  it('ids are stable per signal and kind: the same signal twice gives the same suggestions', () => {
    const first = suggestionsForSignal(signals.high_dropoff, now);
    expect(suggestionsForSignal(structuredClone(signals.high_dropoff), now)).toEqual(first);
    expect(first.map((suggestion) => suggestion.id)).toEqual([expect.stringMatching(/^sug_[0-9a-f]{32}$/), expect.stringMatching(/^sug_[0-9a-f]{32}$/)]);
    expect(first[0]!.id).not.toBe(first[1]!.id);
    const later = suggestionsForSignal(signals.high_dropoff, '2030-01-01T00:00:00.000Z');
    expect(later.map((suggestion) => suggestion.id)).toEqual(first.map((suggestion) => suggestion.id));
    const otherSignal = suggestionsForSignal({ ...signals.high_dropoff, id: 'sig_other' }, now);
    expect(otherSignal[0]!.id).not.toBe(first[0]!.id);
  });

  it('a signal missing the evidence its wording needs is refused by name', () => {
    const { facility: _dropped, ...evidence } = signals.item_too_hard.evidence;
    expect(() => suggestionsForSignal({ ...signals.item_too_hard, evidence }, now)).toThrow('Signal sig_item_too_hard (item_too_hard) has no "facility" in its evidence');
  });
});

describe('rationales and draft instructions in plain words', () => {
  const [checkKey, rewrite] = suggestionsForSignal(signals.item_suspect_key, now);

  it('suspect key: who chose what, the key, the top third and the negative correlation', () => {
    expect(checkKey!.rationale).toBe('62% of 120 learners chose option C, the key is B (chosen by 30%); among the strongest third of learners a distractor is chosen more often than the key; learners who do well on the rest of the quiz do worse on this question (r = -0.15). The key of question 3 (q_while) may be wrong.');
    expect(checkKey!.draftInstruction).toBe('Check the answer key of question 3 (q_while) in lesson 4 (les_loops): the key is option B. Decide whether option C is in fact correct or arguably correct, and fix the key or the options so that exactly one option is correct.');
    expect(rewrite!.draftInstruction).toContain('Rewrite question 3 (q_while) in lesson 4 (les_loops) so that exactly one option is defensibly correct and option C is clearly wrong');
  });

  it('suspect key from the top third only: no sentence about a correlation it does not have', () => {
    const topThirdOnly = signal('item_suspect_key', questionTarget, { n: 60, questionIndex: 0, keyIndex: 0, facility: 0.7, discrimination: 0.35, keyShare: 0.7, strongestDistractorIndex: 1, strongestDistractorShare: 0.2, distractorOutdrawsKeyInTopThird: 1, threshold: 0 });
    expect(suggestionsForSignal(topThirdOnly, now)[0]!.rationale).toBe('20% of 60 learners chose option B, the key is A (chosen by 70%); among the strongest third of learners a distractor is chosen more often than the key. The key of question 1 (q_while) may be wrong.');
  });

  it('suspect key from a negative correlation only', () => {
    const negativeOnly = signal('item_suspect_key', questionTarget, { n: 45, questionIndex: 1, keyIndex: 2, facility: 0.4, discrimination: -0.05, keyShare: 0.4, strongestDistractorIndex: 0, strongestDistractorShare: 0.35, distractorOutdrawsKeyInTopThird: 0, threshold: 0 });
    const [suggestion] = suggestionsForSignal(negativeOnly, now);
    expect(suggestion!.rationale).toBe('35% of 45 learners chose option A, the key is C (chosen by 40%); learners who do well on the rest of the quiz do worse on this question (r = -0.05). The key of question 2 (q_while) may be wrong.');
  });

  it('too hard, too easy, poor discrimination', () => {
    const [hard] = suggestionsForSignal(signals.item_too_hard, now);
    expect(hard!.rationale).toBe('Only 15% of 80 learners answered question 1 (q_while) correctly on their first attempt (the rule flags below 20%).');
    expect(hard!.draftInstruction).toContain('Rewrite question 1 (q_while) in lesson 4 (les_loops)');
    expect(hard!.draftInstruction).toContain('option A');
    expect(suggestionsForSignal(signals.item_too_easy, now)[0]!.rationale).toBe('97% of 80 learners answered question 1 (q_while) correctly on their first attempt (the rule flags above 95%), so it tells almost no one apart.');
    expect(suggestionsForSignal(signals.item_poor_discrimination, now)[0]!.rationale).toBe('Question 5 (q_while) hardly separates learners who know the material from those who do not: over 80 learners it correlates 0.12 with the rest of the quiz (the rule flags below 0.20).');
  });

  it('non-functional distractor names the option to replace and the key to keep', () => {
    const [suggestion] = suggestionsForSignal(signals.nonfunctional_distractor, now);
    expect(suggestion!.rationale).toBe('Only 2% of 200 learners chose option D of question 2 (q_while) (the rule flags below 5%), so it distracts almost no one.');
    expect(suggestion!.draftInstruction).toBe('Replace option D of question 2 (q_while) in lesson 4 (les_loops) with a plausible wrong answer built on a common misconception about the lesson; keep the key, option A, and the other options unchanged.');
  });

  it('low pass rate, high drop-off, time over estimate, low completion', () => {
    expect(suggestionsForSignal(signals.low_pass_rate, now)[0]!.rationale).toBe('Only 40% of 90 learners passed the quiz of lesson 4 (les_loops) on their first attempt (the rule flags below 50%).');
    const dropoff = suggestionsForSignal(signals.high_dropoff, now);
    expect(dropoff[0]!.rationale).toBe('35% of the 90 learners who reached lesson 4 (les_loops) stopped there, against a course median of 10% per lesson.');
    expect(dropoff[0]!.draftInstruction).toContain('Split lesson 4 (les_loops) into two shorter lessons');
    expect(dropoff[1]!.draftInstruction).toContain('Add a worked example to lesson 4 (les_loops)');
    const time = suggestionsForSignal(signals.time_over_estimate, now);
    expect(time[0]!.rationale).toBe('Learners who completed lesson 4 (les_loops) took a median of 44.5 minutes (90th percentile 70 minutes) against an estimate of 20 minutes, more than 2× the estimate, over 50 learners.');
    expect(time[0]!.draftInstruction).toContain('Shorten lesson 4 (les_loops) so that it fits its estimate of 20 minutes');
    expect(time[1]!.draftInstruction).toBe('If the content of lesson 4 (les_loops) should stay as it is, change its estimated time from 20 minutes to 45 minutes, the median learners took.');
    expect(suggestionsForSignal(signals.low_completion, now)[0]!.rationale).toBe('Only 20% of the 200 learners who started the course completed it (the rule flags below 30%).');
  });

  it('a quiz whose lesson position is unknown is named by its lesson id', () => {
    const [suggestion] = suggestionsForSignal({ ...signals.low_pass_rate, target: { ...quizTarget, lessonIndex: null } }, now);
    expect(suggestion!.rationale).toContain('the quiz of lesson les_loops on their first attempt');
  });

  it('without a p90, the time rationale leaves it out; one learner is singular', () => {
    const single = signal('time_over_estimate', lessonTarget, { n: 1, lessonIndex: 3, medianMinutes: 3, estimatedMinutes: 1, threshold: 2 });
    expect(suggestionsForSignal(single, now)[0]!.rationale).toBe('Learners who completed lesson 4 (les_loops) took a median of 3 minutes against an estimate of 1 minute, more than 2× the estimate, over 1 learner.');
  });

  it('options past Z are numbered', () => {
    expect([optionLetter(0), optionLetter(25), optionLetter(26)]).toEqual(['A', 'Z', '27']);
  });
});
