import type { ItemStatistics, QuizStatistics } from '../../schemas/analytics.js';

/**
 * Classical item analysis of one quiz version over learners' FIRST attempts (a retry after
 * seeing the explanations says little about the question). Pure arithmetic: the server feeds it
 * the answers it stored, the studio only ever sees the results.
 *
 * Conventions that must stay true, because signals and the studio read the numbers literally:
 * - Every variance is the POPULATION variance (divide by n, not n − 1), for items and totals
 *   alike, so KR-20's Σpq and σ² are on the same footing.
 * - A quiz nobody answered (n = 0) has facility 0, pass rate 0, shares 0, no non-functional
 *   distractors, no top-third finding and null discrimination/KR-20: there is no evidence yet.
 */

export interface QuizToAnalyse {
  packageVersion: number;
  lessonId: string;
  quizItemId: string;
  quizContentHash: string;
  /**
   * The share of questions a learner must answer correctly to pass, exactly as the server scores
   * an attempt: passed ⇔ correctCount ÷ questionCount ≥ passThreshold (server PASS_MARK, 0.7).
   */
  passThreshold: number;
  questions: { questionId: string; keyIndex: number; optionCount: number }[];
}

export interface FirstAttempt {
  /** The chosen option index for each question, in question order. */
  chosen: number[];
}

/** A distractor chosen by fewer than this share of first attempts does not distract anyone. */
export const NON_FUNCTIONAL_DISTRACTOR_SHARE = 0.05;

export function analyseQuizFirstAttempts(
  quiz: QuizToAnalyse,
  firstAttempts: readonly FirstAttempt[],
): { quiz: QuizStatistics; items: ItemStatistics[] } {
  const questionCount = quiz.questions.length;
  if (questionCount === 0) throw new Error(`Quiz ${quiz.quizItemId} has no questions; item analysis needs at least one question.`);
  firstAttempts.forEach((attempt, attemptIndex) => {
    if (attempt.chosen.length !== questionCount) {
      throw new Error(`First attempt ${attemptIndex + 1} on quiz ${quiz.quizItemId} has ${attempt.chosen.length} answers but the quiz has ${questionCount} questions; pass one chosen option per question, in order.`);
    }
    attempt.chosen.forEach((chosen, questionIndex) => {
      const { optionCount } = quiz.questions[questionIndex]!;
      if (!Number.isInteger(chosen) || chosen < 0 || chosen >= optionCount) {
        throw new Error(`First attempt ${attemptIndex + 1} on quiz ${quiz.quizItemId} chose option ${chosen} for question ${questionIndex + 1}, which has options 0 to ${optionCount - 1}.`);
      }
    });
  });

  const n = firstAttempts.length;
  // scores[attempt][question] is 1 for a correct answer, 0 otherwise.
  const scores = firstAttempts.map((attempt) => attempt.chosen.map((chosen, questionIndex) => (chosen === quiz.questions[questionIndex]!.keyIndex ? 1 : 0)));
  const totals = scores.map((row) => sum(row));
  const topThird = topScoringThird(totals);

  const items: ItemStatistics[] = quiz.questions.map((question, questionIndex) => {
    const itemScores = scores.map((row) => row[questionIndex]!);
    const restScores = totals.map((total, attemptIndex) => total - itemScores[attemptIndex]!);
    const optionCounts = countChoices(firstAttempts, questionIndex, question.optionCount);
    const topCounts = countChoices(topThird.map((attemptIndex) => firstAttempts[attemptIndex]!), questionIndex, question.optionCount);
    const keyTopCount = topCounts[question.keyIndex] ?? 0;
    return {
      packageVersion: quiz.packageVersion,
      lessonId: quiz.lessonId,
      quizItemId: quiz.quizItemId,
      quizContentHash: quiz.quizContentHash,
      questionId: question.questionId,
      questionIndex,
      keyIndex: question.keyIndex,
      n,
      facility: n === 0 ? 0 : sum(itemScores) / n,
      discrimination: questionCount < 2 ? null : pearson(itemScores, restScores),
      optionShares: optionCounts.map((count) => (n === 0 ? 0 : count / n)),
      // count ÷ n < 1/20 ⇔ 20·count < n: integer arithmetic, so exactly 5% stays functional.
      nonFunctionalDistractors: n === 0 ? [] : optionCounts.flatMap((count, optionIndex) => (optionIndex !== question.keyIndex && count * 20 < n ? [optionIndex] : [])),
      distractorOutdrawsKeyInTopThird: topCounts.some((count, optionIndex) => optionIndex !== question.keyIndex && count > keyTopCount),
    };
  });

  const passedCount = totals.filter((total) => total / questionCount >= quiz.passThreshold).length;
  return {
    quiz: {
      packageVersion: quiz.packageVersion,
      lessonId: quiz.lessonId,
      quizItemId: quiz.quizItemId,
      quizContentHash: quiz.quizContentHash,
      questionCount,
      n,
      firstAttemptPassRate: n === 0 ? 0 : passedCount / n,
      kr20: kuderRichardson20(items.map((item) => item.facility), totals),
    },
    items,
  };
}

/**
 * The top-scoring third: attempts sorted by total score, highest first, ties kept in input order
 * (a stable sort), then the first ceil(n ÷ 3). Deterministic for the same input order.
 */
export function topScoringThird(totals: readonly number[]): number[] {
  const order = totals.map((_, attemptIndex) => attemptIndex);
  order.sort((a, b) => totals[b]! - totals[a]! || a - b);
  return order.slice(0, Math.ceil(totals.length / 3));
}

function countChoices(attempts: readonly FirstAttempt[], questionIndex: number, optionCount: number): number[] {
  const counts = new Array<number>(optionCount).fill(0);
  for (const attempt of attempts) {
    const chosen = attempt.chosen[questionIndex]!;
    counts[chosen] = counts[chosen]! + 1;
  }
  return counts;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function populationVariance(values: readonly number[]): number {
  const mean = sum(values) / values.length;
  return sum(values.map((value) => (value - mean) ** 2)) / values.length;
}

/**
 * Pearson correlation of the item's 0/1 scores with the rest score (total minus this item): the
 * corrected point-biserial. Null when either side has no variance (it is undefined there).
 */
function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const varianceX = populationVariance(xs);
  const varianceY = populationVariance(ys);
  if (varianceX === 0 || varianceY === 0) return null;
  const meanX = sum(xs) / xs.length;
  const meanY = sum(ys) / ys.length;
  const covariance = sum(xs.map((x, index) => (x - meanX) * (ys[index]! - meanY))) / xs.length;
  // Rounding can push a perfect correlation a hair past ±1; the schema (and the meaning) stop there.
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
}

/**
 * KR-20 = k/(k−1) · (1 − Σ p(1−p) / σ²), σ² the population variance of total scores. Null below
 * three questions (too few to speak of consistency) and when every total is the same.
 */
function kuderRichardson20(facilities: readonly number[], totals: readonly number[]): number | null {
  const k = facilities.length;
  if (k < 3 || totals.length === 0) return null;
  const totalVariance = populationVariance(totals);
  if (totalVariance === 0) return null;
  const itemVariances = sum(facilities.map((p) => p * (1 - p)));
  return (k / (k - 1)) * (1 - itemVariances / totalVariance);
}

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks (Hyndman–Fan type 7,
 * the default of R and of spreadsheet PERCENTILE): h = (n − 1)·p over the sorted values,
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`A percentile is asked for as a share between 0 and 1 (0.9 for p90); got ${p}.`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

/** The middle value (the mean of the two middle values for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}
