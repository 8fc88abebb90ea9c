import { describe, expect, it } from 'vitest';
import { suggestionsForSignal } from '../../../core/analytics/suggestions.js';
import type { AnalyticsSignal, AnalyticsTarget, SignalType } from '../../../schemas/analytics.js';

/**
 * Every suggestion's full wording, per signal type, as a designer reads it, and the suspect-key
 * wording for each mix of evidence a signal can carry. Suggestions are built inside each test:
 * work done while a describe block is collected happens before the mutation run switches a mutant
 * on, so it could not catch a planted bug.
 */

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

const wording = (of: AnalyticsSignal) => suggestionsForSignal(of, now).map((suggestion) => [suggestion.kind, suggestion.rationale, suggestion.draftInstruction]);

describe('each signal type\'s suggestions, word for word', () => {
  it('item_suspect_key: check the key, then rewrite the question', () => {
    const suspect = signal('item_suspect_key', questionTarget, { n: 120, questionIndex: 2, keyIndex: 1, facility: 0.3, discrimination: -0.15, keyShare: 0.3, strongestDistractorIndex: 2, strongestDistractorShare: 0.62, distractorOutdrawsKeyInTopThird: 1, threshold: 0 });
    const reasons = '62% of 120 learners chose option C, the key is B (chosen by 30%); among the strongest third of learners a distractor is chosen more often than the key; learners who do well on the rest of the quiz do worse on this question (r = -0.15).';
    expect(wording(suspect)).toEqual([
      ['check_answer_key', `${reasons} The key of question 3 (q_while) may be wrong.`, 'Check the answer key of question 3 (q_while) in lesson 4 (les_loops): the key is option B. Decide whether option C is in fact correct or arguably correct, and fix the key or the options so that exactly one option is correct.'],
      ['rewrite_question', `${reasons} Even with the right key, question 3 (q_while) may be ambiguous.`, 'Rewrite question 3 (q_while) in lesson 4 (les_loops) so that exactly one option is defensibly correct and option C is clearly wrong to a learner who has mastered the lesson; keep the learning objective it tests.'],
    ]);
  });

  it('item_too_hard', () => {
    expect(wording(signal('item_too_hard', questionTarget, { n: 80, questionIndex: 0, keyIndex: 0, facility: 0.15, threshold: 0.2 }))).toEqual([
      ['rewrite_question', 'Only 15% of 80 learners answered question 1 (q_while) correctly on their first attempt (the rule flags below 20%).', 'Rewrite question 1 (q_while) in lesson 4 (les_loops) so that a learner who studied the lesson can answer it: check the wording for ambiguity, make sure the lesson teaches what it asks, and keep option A as the correct answer only if it still is.'],
    ]);
  });

  it('item_too_easy', () => {
    expect(wording(signal('item_too_easy', questionTarget, { n: 80, questionIndex: 0, keyIndex: 0, facility: 0.97, threshold: 0.95 }))).toEqual([
      ['rewrite_question', '97% of 80 learners answered question 1 (q_while) correctly on their first attempt (the rule flags above 95%), so it tells almost no one apart.', 'Rewrite question 1 (q_while) in lesson 4 (les_loops) so that it asks learners to apply the lesson rather than recognise it, with distractors based on common misconceptions; keep the learning objective it tests.'],
    ]);
  });

  it('item_poor_discrimination', () => {
    expect(wording(signal('item_poor_discrimination', questionTarget, { n: 80, questionIndex: 4, keyIndex: 0, facility: 0.5, discrimination: 0.123, threshold: 0.2 }))).toEqual([
      ['rewrite_question', 'Question 5 (q_while) hardly separates learners who know the material from those who do not: over 80 learners it correlates 0.12 with the rest of the quiz (the rule flags below 0.20).', 'Rewrite question 5 (q_while) in lesson 4 (les_loops) so that answering it correctly depends on understanding the lesson, not on test-taking cues or reading the stem a particular way; keep the learning objective it tests.'],
    ]);
  });

  it('nonfunctional_distractor', () => {
    expect(wording(signal('nonfunctional_distractor', { ...questionTarget, kind: 'option', optionIndex: 3 }, { n: 200, questionIndex: 1, keyIndex: 0, facility: 0.7, optionIndex: 3, share: 0.02, threshold: 0.05 }))).toEqual([
      ['replace_distractor', 'Only 2% of 200 learners chose option D of question 2 (q_while) (the rule flags below 5%), so it distracts almost no one.', 'Replace option D of question 2 (q_while) in lesson 4 (les_loops) with a plausible wrong answer built on a common misconception about the lesson; keep the key, option A, and the other options unchanged.'],
    ]);
  });

  it('low_pass_rate', () => {
    expect(wording(signal('low_pass_rate', quizTarget, { n: 90, firstAttemptPassRate: 0.4, questionCount: 5, threshold: 0.5 }))).toEqual([
      ['add_worked_example', 'Only 40% of 90 learners passed the quiz of lesson 4 (les_loops) on their first attempt (the rule flags below 50%).', "Add a worked example to lesson 4 (les_loops), before its quiz, that solves a problem like the quiz's questions step by step and explains each step; leave the quiz as it is."],
    ]);
  });

  it('high_dropoff: split the lesson, or add a worked example, for the same reason', () => {
    const reason = '35% of the 90 learners who reached lesson 4 (les_loops) stopped there, against a course median of 10% per lesson.';
    expect(wording(signal('high_dropoff', lessonTarget, { n: 90, lessonIndex: 3, dropOff: 32, dropOffRate: 0.35, courseMedianDropOffRate: 0.1, threshold: 2, minimumRate: 0.2 }))).toEqual([
      ['split_lesson', reason, 'Split lesson 4 (les_loops) into two shorter lessons at a natural break, each with its own objective, keeping all of its content and its place in the course.'],
      ['add_worked_example', reason, 'Add a worked example to lesson 4 (les_loops) at the point where the material becomes hardest, solving one representative problem step by step.'],
    ]);
  });

  it('time_over_estimate: shorten the lesson, or adjust its estimate, for the same reason', () => {
    const reason = 'Learners who completed lesson 4 (les_loops) took a median of 44.5 minutes (90th percentile 70 minutes) against an estimate of 20 minutes, more than 2× the estimate, over 50 learners.';
    expect(wording(signal('time_over_estimate', lessonTarget, { n: 50, lessonIndex: 3, medianMinutes: 44.5, p90Minutes: 70, estimatedMinutes: 20, threshold: 2 }))).toEqual([
      ['shorten_lesson', reason, 'Shorten lesson 4 (les_loops) so that it fits its estimate of 20 minutes: keep its objective and key points, cut repetition and side material, or move an optional part into a further-reading note.'],
      ['adjust_estimate', reason, 'If the content of lesson 4 (les_loops) should stay as it is, change its estimated time from 20 minutes to 45 minutes, the median learners took.'],
    ]);
  });

  it('low_completion', () => {
    expect(wording(signal('low_completion', courseTarget, { n: 200, completed: 40, completionRate: 0.2, threshold: 0.3 }))).toEqual([
      ['review_course_structure', 'Only 20% of the 200 learners who started the course completed it (the rule flags below 30%).', 'Review the structure of the course: find the lessons where learners stop (drop-off per lesson on the Analytics page), and consider shorter lessons, fewer prerequisites between modules or a different order so that more learners reach the end.'],
    ]);
  });
});

describe('suspect-key wording for each mix of evidence', () => {
  it('no distractor to name (the key is the only option): the key\'s share, and "another option"', () => {
    const keyOnly = signal('item_suspect_key', questionTarget, { n: 40, questionIndex: 0, keyIndex: 0, facility: 1, discrimination: -0.1, keyShare: 1, distractorOutdrawsKeyInTopThird: 0, threshold: 0 });
    expect(wording(keyOnly)).toEqual([
      ['check_answer_key', '100% of 40 learners chose the key, option A; learners who do well on the rest of the quiz do worse on this question (r = -0.10). The key of question 1 (q_while) may be wrong.', 'Check the answer key of question 1 (q_while) in lesson 4 (les_loops): the key is option A. Decide whether another option is in fact correct or arguably correct, and fix the key or the options so that exactly one option is correct.'],
      ['rewrite_question', '100% of 40 learners chose the key, option A; learners who do well on the rest of the quiz do worse on this question (r = -0.10). Even with the right key, question 1 (q_while) may be ambiguous.', 'Rewrite question 1 (q_while) in lesson 4 (les_loops) so that exactly one option is defensibly correct and another option is clearly wrong to a learner who has mastered the lesson; keep the learning objective it tests.'],
    ]);
  });

  it('a distractor named without its share, or a share without its distractor, is worded from the key alone (never "NaN%")', () => {
    const base = { n: 50, questionIndex: 0, keyIndex: 1, facility: 0.3, keyShare: 0.3, distractorOutdrawsKeyInTopThird: 1, threshold: 0 };
    const indexOnly = suggestionsForSignal(signal('item_suspect_key', questionTarget, { ...base, strongestDistractorIndex: 2 }), now);
    expect(indexOnly[0]!.rationale).toBe('30% of 50 learners chose the key, option B; among the strongest third of learners a distractor is chosen more often than the key. The key of question 1 (q_while) may be wrong.');
    const shareOnly = suggestionsForSignal(signal('item_suspect_key', questionTarget, { ...base, strongestDistractorShare: 0.6 }), now);
    expect(shareOnly[0]!.rationale).toBe('30% of 50 learners chose the key, option B; among the strongest third of learners a distractor is chosen more often than the key. The key of question 1 (q_while) may be wrong.');
    expect(shareOnly[0]!.draftInstruction).toContain('Decide whether another option is in fact correct');
  });

  it('r exactly at the threshold (0) is no reason of its own; r just below is', () => {
    const at = { n: 60, questionIndex: 0, keyIndex: 0, facility: 0.7, keyShare: 0.7, strongestDistractorIndex: 1, strongestDistractorShare: 0.2, distractorOutdrawsKeyInTopThird: 1, threshold: 0 };
    expect(suggestionsForSignal(signal('item_suspect_key', questionTarget, { ...at, discrimination: 0 }), now)[0]!.rationale).toBe('20% of 60 learners chose option B, the key is A (chosen by 70%); among the strongest third of learners a distractor is chosen more often than the key. The key of question 1 (q_while) may be wrong.');
    expect(suggestionsForSignal(signal('item_suspect_key', questionTarget, { ...at, discrimination: -0.01 }), now)[0]!.rationale).toBe('20% of 60 learners chose option B, the key is A (chosen by 70%); among the strongest third of learners a distractor is chosen more often than the key; learners who do well on the rest of the quiz do worse on this question (r = -0.01). The key of question 1 (q_while) may be wrong.');
  });
});
