import { describe, expect, it } from 'vitest';
import { analyseQuizFirstAttempts, type QuizToAnalyse } from '../../../core/analytics/item-analysis.js';

/**
 * A second hand-computed fixture, with a different key per question and item means that are not
 * symmetric, so the corrected point-biserial and KR-20 are pinned by numbers worked out on paper.
 * Every analysis runs inside its test: work done while a describe block is collected happens
 * before the mutation run switches a mutant on, so it could not catch a planted bug.
 */

const hash = 'e'.repeat(64);

/** Three questions with three options each; the keys are A, B and C (0, 1, 2). */
const quiz: QuizToAnalyse = {
  packageVersion: 5,
  lessonId: 'les_loops',
  quizItemId: 'qiz_loops',
  quizContentHash: hash,
  passThreshold: 0.7,
  questions: [
    { questionId: 'q_for', keyIndex: 0, optionCount: 3 },
    { questionId: 'q_while', keyIndex: 1, optionCount: 3 },
    { questionId: 'q_break', keyIndex: 2, optionCount: 3 },
  ],
};

// Five learners. Chosen options → scored 1/0 against keys A, B, C:
//   L1 [A B C] → 1 1 1, total 3     L2 [A B A] → 1 1 0, total 2     L3 [A A C] → 1 0 1, total 2
//   L4 [B B B] → 0 1 0, total 1     L5 [C A A] → 0 0 0, total 0
const firstAttempts = [[0, 1, 2], [0, 1, 0], [0, 0, 2], [1, 1, 1], [2, 0, 0]].map((chosen) => ({ chosen }));

describe('item analysis with a different key per question', () => {
  it('facility counts a choice as correct only when it is that question\'s key: 3/5, 3/5, 2/5', () => {
    const { items } = analyseQuizFirstAttempts(quiz, firstAttempts);
    expect(items.map((item) => [item.questionId, item.keyIndex, item.facility])).toEqual([
      ['q_for', 0, 0.6],
      ['q_while', 1, 0.6],
      ['q_break', 2, 0.4],
    ]);
  });

  it('corrected point-biserial with means away from zero: √(5/12), 0 and √(3/28)', () => {
    const { items } = analyseQuizFirstAttempts(quiz, firstAttempts);
    // q_for: x = [1,1,1,0,0] (mean 0.6), rest = [2,1,1,1,0] (mean 1).
    //   cov = (0.4·1 + 0 + 0 + 0 + (−0.6)(−1)) / 5 = 0.2; var x = 0.24; var rest = 2/5 = 0.4
    //   r = 0.2 / √(0.24 · 0.4) = √(0.04 / 0.096) = √(5/12) = 0.6454972243679028
    expect(items[0]!.discrimination).toBeCloseTo(0.6454972243679028, 12);
    // q_while: x = [1,1,0,1,0] (mean 0.6), rest = [2,1,2,0,0] (mean 1).
    //   cov = (0.4·1 + 0.4·0 + (−0.6)·1 + 0.4·(−1) + (−0.6)(−1)) / 5 = 0 → r = 0
    expect(items[1]!.discrimination).toBeCloseTo(0, 12);
    // q_break: x = [1,0,1,0,0] (mean 0.4), rest = [2,2,1,1,0] (mean 1.2).
    //   cov = (0.6·0.8 − 0.4·0.8 + 0.6·(−0.2) − 0.4·(−0.2) − 0.4·(−1.2)) / 5 = 0.6 / 5 = 0.12
    //   var x = 0.24; var rest = (0.64 + 0.64 + 0.04 + 0.04 + 1.44) / 5 = 0.56
    //   r = 0.12 / √(0.24 · 0.56) = √(3/28) = 0.3273268353539886
    expect(items[2]!.discrimination).toBeCloseTo(0.3273268353539886, 12);
  });

  it('KR-20 over population variances: 3/2 · (1 − 0.72 / 1.04) = 6/13', () => {
    // Σpq = 0.24 + 0.24 + 0.24 = 0.72; totals [3,2,2,1,0], mean 1.6, σ² = 5.2 / 5 = 1.04.
    expect(analyseQuizFirstAttempts(quiz, firstAttempts).quiz.kr20).toBeCloseTo(0.46153846153846156, 12);
  });

  it('option shares, non-functional distractors and the pass rate', () => {
    const result = analyseQuizFirstAttempts(quiz, firstAttempts);
    expect(result.items.map((item) => item.optionShares)).toEqual([[0.6, 0.2, 0.2], [0.4, 0.6, 0], [0.4, 0.2, 0.4]]);
    // Only q_while's C went unchosen (0 of 5 < 5%); every other distractor was chosen by at least 1 of 5.
    expect(result.items.map((item) => item.nonFunctionalDistractors)).toEqual([[], [2], []]);
    // Only L1's 3/3 reaches 0.7; 2/3 does not.
    expect(result.quiz).toEqual({ packageVersion: 5, lessonId: 'les_loops', quizItemId: 'qiz_loops', quizContentHash: hash, questionCount: 3, n: 5, firstAttemptPassRate: 0.2, kr20: expect.closeTo(0.46153846153846156, 12) });
  });

  it('top third = L1 and L2 (ceil(5/3) = 2); on q_break a distractor ties the key there (1 each), which is not outdrawing', () => {
    const { items } = analyseQuizFirstAttempts(quiz, firstAttempts);
    expect(items.map((item) => item.distractorOutdrawsKeyInTopThird)).toEqual([false, false, false]);
    // L1 answering q_break A instead of C: totals 2, 2, 2, 1, 0, the top third is L1 and L2 (ties keep
    // input order) and both chose A there, so A leads the key 2 to 0 and q_break is flagged.
    const keyLost = analyseQuizFirstAttempts(quiz, [[0, 1, 0], [0, 1, 0], [0, 0, 2], [1, 1, 1], [2, 0, 0]].map((chosen) => ({ chosen })));
    expect(keyLost.items.map((item) => item.distractorOutdrawsKeyInTopThird)).toEqual([false, false, true]);
  });
});
