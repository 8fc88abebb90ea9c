import { describe, expect, it } from 'vitest';
import { analyseQuizFirstAttempts, median, percentile, topScoringThird, type QuizToAnalyse } from '../../../core/analytics/item-analysis.js';
import { ItemStatistics, QuizStatistics } from '../../../schemas/analytics.js';

const hash = 'c'.repeat(64);

/** A quiz whose questions all key option 0 (A), with `optionCount` options each. */
function quizOf(questionCount: number, optionCount = 3, passThreshold = 0.7): QuizToAnalyse {
  return {
    packageVersion: 3,
    lessonId: 'les_intro',
    quizItemId: 'qiz_intro',
    quizContentHash: hash,
    passThreshold,
    questions: Array.from({ length: questionCount }, (_, index) => ({ questionId: `q${index + 1}`, keyIndex: 0, optionCount })),
  };
}

const attempts = (...rows: number[][]) => rows.map((chosen) => ({ chosen }));

describe('item analysis on a small hand-computed fixture', () => {
  // Four learners, three questions, key A (0) everywhere. 1 = correct:
  //   L1 [A A A] → 1 1 1, total 3      L2 [A A B] → 1 1 0, total 2
  //   L3 [A B B] → 1 0 0, total 1      L4 [B B B] → 0 0 0, total 0
  const result = analyseQuizFirstAttempts(quizOf(3), attempts([0, 0, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]));
  const [q1, q2, q3] = result.items;

  it('facility p is the share answering correctly: 3/4, 2/4, 1/4', () => {
    expect(result.items.map((item) => item.facility)).toEqual([0.75, 0.5, 0.25]);
    expect(result.items.map((item) => item.n)).toEqual([4, 4, 4]);
  });

  it('discrimination is the point-biserial against the rest of the quiz (total minus the item)', () => {
    // Q1: x = [1,1,1,0], rest = [2,1,0,0]; means 0.75 and 0.75.
    //   cov = ((.25)(1.25) + (.25)(.25) + (.25)(-.75) + (-.75)(-.75)) / 4 = 0.75 / 4 = 0.1875
    //   var x = 0.1875, var rest = (1.5625 + .0625 + .5625 + .5625) / 4 = 0.6875
    //   r = 0.1875 / sqrt(0.1875 · 0.6875) = sqrt(3/11) = 0.5222329678670935
    expect(q1!.discrimination).toBeCloseTo(0.5222329678670935, 12);
    // Q2: x = [1,1,0,0], rest = [2,1,1,0]; means 0.5 and 1.
    //   cov = ((.5)(1) + (.5)(0) + (-.5)(0) + (-.5)(-1)) / 4 = 0.25; var x = 0.25; var rest = 2/4 = 0.5
    //   r = 0.25 / sqrt(0.125) = 1/√2 = 0.7071067811865476
    expect(q2!.discrimination).toBeCloseTo(0.7071067811865476, 12);
    // Q3: x = [1,0,0,0], rest = [2,2,1,0]: the mirror image of Q1, sqrt(3/11) again.
    expect(q3!.discrimination).toBeCloseTo(0.5222329678670935, 12);
  });

  it('the uncorrected correlation (item vs total including itself) is NOT what is reported', () => {
    // Q2 against the full total [3,2,1,0]: cov = ((.5)(1.5)+(.5)(.5)+(-.5)(-.5)+(-.5)(-1.5))/4 = 0.5,
    // var total = 1.25, r = 0.5 / sqrt(0.25 · 1.25) = 0.894427191 — higher, because the item correlates with itself.
    expect(q2!.discrimination).not.toBeCloseTo(0.894427191, 3);
  });

  it('KR-20 uses population variances: 3/2 · (1 − 0.625 / 1.25) = 0.75', () => {
    // Σpq = .75·.25 + .5·.5 + .25·.75 = 0.625; totals [3,2,1,0], mean 1.5, σ² = (2.25+.25+.25+2.25)/4 = 1.25.
    // (With the sample variance 5/3 it would be 1.5 · (1 − 0.375) = 0.9375.)
    expect(result.quiz.kr20).toBeCloseTo(0.75, 12);
  });

  it('option shares per question, in option order', () => {
    expect(q1!.optionShares).toEqual([0.75, 0.25, 0]);
    expect(q2!.optionShares).toEqual([0.5, 0.5, 0]);
    expect(q3!.optionShares).toEqual([0.25, 0.75, 0]);
  });

  it('an option nobody chose is a non-functional distractor; one chosen by a quarter is not', () => {
    expect(result.items.map((item) => item.nonFunctionalDistractors)).toEqual([[2], [2], [2]]);
  });

  it('first-attempt pass rate follows the server: passed when correct ÷ questions ≥ the pass mark', () => {
    // Scores 3/3, 2/3, 1/3, 0/3: against 0.7 only L1 passes (2/3 = 0.667 < 0.7).
    expect(result.quiz.firstAttemptPassRate).toBe(0.25);
    // With a pass mark of exactly 2/3, L2's 2/3 passes too: the boundary counts as a pass.
    const atTwoThirds = analyseQuizFirstAttempts(quizOf(3, 3, 2 / 3), attempts([0, 0, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]));
    expect(atTwoThirds.quiz.firstAttemptPassRate).toBe(0.5);
  });

  it('the quiz record names the quiz version and counts', () => {
    expect(result.quiz).toEqual({ packageVersion: 3, lessonId: 'les_intro', quizItemId: 'qiz_intro', quizContentHash: hash, questionCount: 3, n: 4, firstAttemptPassRate: 0.25, kr20: expect.any(Number) });
    expect(q3).toMatchObject({ packageVersion: 3, lessonId: 'les_intro', quizItemId: 'qiz_intro', quizContentHash: hash, questionId: 'q3', questionIndex: 2, keyIndex: 0 });
  });

  it('every record satisfies the shared schema', () => {
    expect(() => QuizStatistics.parse(result.quiz)).not.toThrow();
    for (const item of result.items) expect(() => ItemStatistics.parse(item)).not.toThrow();
  });
});

describe('item analysis: degenerate cases', () => {
  it('everyone right: facility 1, discrimination and KR-20 undefined (null), pass rate 1', () => {
    const result = analyseQuizFirstAttempts(quizOf(3), attempts([0, 0, 0], [0, 0, 0], [0, 0, 0]));
    expect(result.items.map((item) => [item.facility, item.discrimination])).toEqual([[1, null], [1, null], [1, null]]);
    expect(result.quiz.kr20).toBeNull();
    expect(result.quiz.firstAttemptPassRate).toBe(1);
  });

  it('nobody answered (n = 0): zeros and nulls, no findings', () => {
    const result = analyseQuizFirstAttempts(quizOf(3), []);
    expect(result.quiz).toMatchObject({ n: 0, firstAttemptPassRate: 0, kr20: null });
    expect(result.items[0]).toMatchObject({ n: 0, facility: 0, discrimination: null, optionShares: [0, 0, 0], nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: false });
  });

  it('one question: no rest of the quiz, so no discrimination and no KR-20, even with variance', () => {
    const result = analyseQuizFirstAttempts(quizOf(1), attempts([0], [1], [0], [2]));
    expect(result.items[0]!.facility).toBe(0.5);
    expect(result.items[0]!.discrimination).toBeNull();
    expect(result.quiz.kr20).toBeNull();
  });

  it('two questions: discrimination exists (here −1: each item is the other\'s rest), KR-20 does not', () => {
    // Q1 x = [1,1,0,0], Q2 x = [0,0,1,1]; Q1's rest is Q2: cov = −0.25, both variances 0.25 → r = −1.
    const result = analyseQuizFirstAttempts(quizOf(2), attempts([0, 1], [0, 1], [1, 0], [1, 0]));
    expect(result.items.map((item) => item.discrimination)).toEqual([-1, -1]);
    expect(result.quiz.kr20).toBeNull();
  });

  it('a rest score with no variance leaves discrimination undefined on both sides', () => {
    // Q2 always right: Q2's own variance is 0 and it is Q1's (constant) rest score.
    const result = analyseQuizFirstAttempts(quizOf(2), attempts([0, 0], [1, 0], [0, 0], [1, 0]));
    expect(result.items.map((item) => item.discrimination)).toEqual([null, null]);
  });

  it('KR-20 is null when every total is the same, though items vary', () => {
    // Totals 2 and 2; σ² = 0.
    const result = analyseQuizFirstAttempts(quizOf(3), attempts([0, 0, 1], [1, 0, 0]));
    expect(result.quiz.kr20).toBeNull();
    expect(result.items[0]!.facility).toBe(0.5);
  });

  it('KR-20 can be computed with three questions and is negative for items that contradict each other', () => {
    // x rows: [1,1,0], [0,0,1], [1,1,0], [0,0,1] → totals 2,1,2,1: σ² = 0.25; every p = 0.5, Σpq = 0.75.
    // KR-20 = 3/2 · (1 − 0.75 / 0.25) = 1.5 · (−2) = −3.
    const result = analyseQuizFirstAttempts(quizOf(3), attempts([0, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 0]));
    expect(result.quiz.kr20).toBeCloseTo(-3, 12);
  });
});

describe('non-functional distractors: fewer than 5% of first attempts, never the key', () => {
  it('exactly 5% (1 of 20) is functional; 0 of 20 is not', () => {
    // 18 × A (key), 1 × B, 0 × C, 1 × D.
    const rows = [...Array.from({ length: 18 }, () => [0]), [1], [3]];
    const result = analyseQuizFirstAttempts(quizOf(1, 4), attempts(...rows));
    expect(result.items[0]!.optionShares).toEqual([0.9, 0.05, 0, 0.05]);
    expect(result.items[0]!.nonFunctionalDistractors).toEqual([2]);
  });

  it('just under 5% (1 of 21) is non-functional', () => {
    const rows = [...Array.from({ length: 19 }, () => [0]), [1], [3]];
    const result = analyseQuizFirstAttempts(quizOf(1, 4), attempts(...rows));
    expect(result.items[0]!.nonFunctionalDistractors).toEqual([1, 2, 3]);
  });

  it('the key is never listed, even when nobody chose it', () => {
    const result = analyseQuizFirstAttempts(quizOf(1, 4), attempts([1], [1], [1], [2]));
    expect(result.items[0]!.nonFunctionalDistractors).toEqual([3]);
  });
});

describe('a distractor outdrawing the key among the top-scoring third', () => {
  it('ties on total score are broken by input order, and one distractor pick beats zero key picks', () => {
    // Three learners, all total 1; ceil(3/3) = 1, so the top third is the FIRST learner only.
    //   L1 [B A]  L2 [A B]  L3 [A B]
    // Q1: in the top third B 1 vs key 0 → outdraws. Q2: the top learner chose the key → no.
    const result = analyseQuizFirstAttempts(quizOf(2), attempts([1, 0], [0, 1], [0, 1]));
    expect(result.items.map((item) => item.distractorOutdrawsKeyInTopThird)).toEqual([true, false]);
  });

  it('the top third rounds up (4 learners → 2) and a tie with the key is not outdrawing', () => {
    //   L1 [B A] total 1   L2 [A B] total 1   L3 [B B] total 0   L4 [B B] total 0
    // Top third = ceil(4/3) = 2 = L1, L2. Q1 there: B 1 vs key 1 → tie, no (with only L1 it would be yes).
    // Overall 3 of 4 chose B on Q1: only the top third counts.
    const result = analyseQuizFirstAttempts(quizOf(2), attempts([1, 0], [0, 1], [1, 1], [1, 1]));
    expect(result.items[0]!.optionShares).toEqual([0.25, 0.75, 0]);
    expect(result.items.map((item) => item.distractorOutdrawsKeyInTopThird)).toEqual([false, false]);
  });

  it('the strongest learners choosing a distractor flags it although most learners choose the key', () => {
    //   L1 [A A B] total 2   L2 [A A B] total 2   L3..L6 [B B A] total 1
    // Top third = ceil(6/3) = 2 = L1, L2: Q3 B 2 vs key 0 → outdraws; Q1, Q2 → no.
    const result = analyseQuizFirstAttempts(quizOf(3), attempts([0, 0, 1], [0, 0, 1], [1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 1, 0]));
    expect(result.items.map((item) => item.distractorOutdrawsKeyInTopThird)).toEqual([false, false, true]);
    expect(result.items[2]!.facility).toBeCloseTo(4 / 6, 12);
  });

  it('topScoringThird sorts by total, highest first, stable on ties', () => {
    expect(topScoringThird([1, 3, 3, 0, 2, 3, 1])).toEqual([1, 2, 5]);
    expect(topScoringThird([2, 2, 2, 2])).toEqual([0, 1]);
    expect(topScoringThird([])).toEqual([]);
  });
});

describe('refusing answers that do not fit the quiz', () => {
  it('a first attempt with the wrong number of answers', () => {
    expect(() => analyseQuizFirstAttempts(quizOf(3), attempts([0, 0]))).toThrow('First attempt 1 on quiz qiz_intro has 2 answers but the quiz has 3 questions');
  });

  it('a chosen option the question does not have', () => {
    expect(() => analyseQuizFirstAttempts(quizOf(2), attempts([0, 0], [0, 3]))).toThrow('First attempt 2 on quiz qiz_intro chose option 3 for question 2, which has options 0 to 2.');
    expect(() => analyseQuizFirstAttempts(quizOf(2), attempts([-1, 0]))).toThrow('chose option -1 for question 1');
    expect(() => analyseQuizFirstAttempts(quizOf(2), attempts([0.5, 0]))).toThrow('chose option 0.5 for question 1');
  });

  it('the last valid option is accepted', () => {
    expect(analyseQuizFirstAttempts(quizOf(2), attempts([2, 2])).items[0]!.optionShares).toEqual([0, 0, 1]);
  });

  it('a quiz without questions', () => {
    expect(() => analyseQuizFirstAttempts(quizOf(0), [])).toThrow('Quiz qiz_intro has no questions');
  });
});

describe('percentile (type 7: linear interpolation between closest ranks) and median', () => {
  it('interpolates between ranks: h = (n − 1)·p', () => {
    // [1,2,3,4], p = 0.9: h = 2.7 → 3 + 0.7 · (4 − 3) = 3.7
    expect(percentile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    // p = 0.25: h = 0.75 → 1 + 0.75 · 1 = 1.75
    expect(percentile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
    // [10, 20, 40], p = 0.9: h = 1.8 → 20 + 0.8 · 20 = 36
    expect(percentile([40, 10, 20], 0.9)).toBeCloseTo(36, 12);
  });

  it('ends at the minimum and the maximum', () => {
    expect(percentile([5, 9, 7], 0)).toBe(5);
    expect(percentile([5, 9, 7], 1)).toBe(9);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it('median: the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([-2, 10])).toBe(4);
  });

  it('no values → null; the input is not reordered', () => {
    expect(median([])).toBeNull();
    expect(percentile([], 0.9)).toBeNull();
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });

  it('a share outside 0..1 is refused with the expected form', () => {
    expect(() => percentile([1, 2], 90)).toThrow('A percentile is asked for as a share between 0 and 1 (0.9 for p90); got 90.');
    expect(() => percentile([1, 2], -0.1)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});
