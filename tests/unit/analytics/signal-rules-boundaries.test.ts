import { describe, expect, it } from 'vitest';
import { DEFAULT_MINIMUM_N, HIGH_DROPOFF_MINIMUM_RATE, evaluateSignals, signalRules, type SignalInput } from '../../../core/analytics/signal-rules.js';
import type { AnalyticsSignal, ItemStatistics, LessonStatistics, QuizStatistics, SignalRule, SignalType } from '../../../schemas/analytics.js';

/**
 * The thresholds table read literally, the evidence each rule writes, and the order signals come
 * out in when one rule fires for several places in the course. Statistics start clean (no rule
 * fires) and each test changes only the numbers it is about.
 */

const packageHash = 'a'.repeat(64);
const quizHash = 'b'.repeat(64);
const now = '2025-03-02T03:00:00.000Z';

function lesson(overrides: Partial<LessonStatistics> = {}): LessonStatistics {
  return { packageVersion: 2, lessonIndex: 0, lessonId: 'les_0', title: 'Lesson', estimatedMinutes: 10, views: 100, completions: 100, dropOff: 10, dropOffRate: 0.1, medianMinutes: 10, p90Minutes: 15, ...overrides };
}

function quiz(overrides: Partial<QuizStatistics> = {}): QuizStatistics {
  return { packageVersion: 2, lessonId: 'les_1', quizItemId: 'qiz_1', quizContentHash: quizHash, questionCount: 4, n: 100, firstAttemptPassRate: 0.8, kr20: 0.7, ...overrides };
}

function item(overrides: Partial<ItemStatistics> = {}): ItemStatistics {
  return {
    packageVersion: 2, lessonId: 'les_1', quizItemId: 'qiz_1', quizContentHash: quizHash, questionId: 'q_1', questionIndex: 0, keyIndex: 1,
    n: 100, facility: 0.6, discrimination: 0.4, optionShares: [0.2, 0.6, 0.2], nonFunctionalDistractors: [], distractorOutdrawsKeyInTopThird: false, ...overrides,
  };
}

function input(overrides: Partial<SignalInput> = {}): SignalInput {
  return {
    courseId: 'crs_1', packageVersion: 2, packageContentHash: packageHash, day: '2025-03-01',
    lessons: [lesson(), lesson({ lessonIndex: 1, lessonId: 'les_1' }), lesson({ lessonIndex: 2, lessonId: 'les_2' })],
    quizzes: [quiz()], items: [item()], funnel: { started: 100, completed: 80 }, ...overrides,
  };
}

const evaluate = (statistics: SignalInput, rules: readonly SignalRule[] = signalRules) => evaluateSignals(statistics, rules, now);
const ofType = (signals: AnalyticsSignal[], type: SignalType) => signals.filter((signal) => signal.type === type);

describe('the thresholds table, literally', () => {
  it('lists the rules in this order with these minimum n, thresholds and severities', () => {
    expect(DEFAULT_MINIMUM_N).toBe(30);
    expect(HIGH_DROPOFF_MINIMUM_RATE).toBe(0.2);
    expect(signalRules.map((rule) => [rule.type, rule.minimumN, rule.threshold, rule.severity])).toEqual([
      ['high_dropoff', 30, 2, 'warning'],
      ['low_pass_rate', 30, 0.5, 'warning'],
      ['item_too_hard', 30, 0.2, 'warning'],
      ['item_too_easy', 30, 0.95, 'info'],
      ['item_poor_discrimination', 30, 0.2, 'warning'],
      ['item_suspect_key', 30, 0, 'critical'],
      ['nonfunctional_distractor', 30, 0.05, 'info'],
      ['time_over_estimate', 30, 2, 'warning'],
      ['low_completion', 30, 0.3, 'warning'],
    ]);
  });

  it('describes each rule in the words an admin reads', () => {
    expect(signalRules.map((rule) => rule.description)).toEqual([
      "A lesson's drop-off rate is at least 2× the median lesson drop-off rate of the course and at least 0.2 (20%); the median is over the course's lessons that anyone viewed.",
      "A quiz's first-attempt pass rate is below 0.5 (50%).",
      "A question's facility p (share answering correctly on first attempts) is below 0.2.",
      "A question's facility p (share answering correctly on first attempts) is above 0.95.",
      "A question's corrected point-biserial r (the question against the rest of the quiz) is below 0.2. A negative r also raises item_suspect_key: both are reported.",
      "A question's corrected point-biserial r is below 0, or a distractor is chosen more often than the key among the top-scoring third of first attempts.",
      'A distractor (never the key) is chosen by fewer than 0.05 (5%) of first attempts; exactly 5% still counts as functional.',
      "The median time learners who completed a lesson spent on it is more than 2× the lesson's estimated minutes.",
      'Fewer than 0.3 (30%) of the learners who started the course completed it.',
    ]);
  });

  it('each signal carries its rule\'s severity', () => {
    const signals = evaluate(input({
      lessons: [lesson({ dropOffRate: 0.05 }), lesson({ lessonIndex: 1, lessonId: 'les_1', dropOffRate: 0.05, medianMinutes: 21 }), lesson({ lessonIndex: 2, lessonId: 'les_2', dropOffRate: 0.2 })],
      quizzes: [quiz({ firstAttemptPassRate: 0.49 })],
      items: [
        item({ questionId: 'q_hard', facility: 0.19, optionShares: [0.41, 0.19, 0.4] }),
        item({ questionId: 'q_easy', questionIndex: 1, facility: 0.96, optionShares: [0.02, 0.96, 0.02], discrimination: 0.3 }),
        item({ questionId: 'q_flat', questionIndex: 2, discrimination: -0.01 }),
      ],
      funnel: { started: 100, completed: 29 },
    }));
    expect(signals.map((signal) => [signal.type, signal.target.questionId ?? signal.target.lessonId, signal.target.optionIndex, signal.severity])).toEqual([
      ['item_suspect_key', 'q_flat', null, 'critical'],
      ['high_dropoff', 'les_2', null, 'warning'],
      ['low_pass_rate', 'les_1', null, 'warning'],
      ['item_too_hard', 'q_hard', null, 'warning'],
      ['item_poor_discrimination', 'q_flat', null, 'warning'],
      ['time_over_estimate', 'les_1', null, 'warning'],
      ['low_completion', null, null, 'warning'],
      ['item_too_easy', 'q_easy', null, 'info'],
      ['nonfunctional_distractor', 'q_easy', 0, 'info'],
      ['nonfunctional_distractor', 'q_easy', 2, 'info'],
    ]);
  });
});

describe('the evidence each rule writes', () => {
  it('item_too_easy: n, question, key, facility and the threshold', () => {
    const [signal] = evaluate(input({ items: [item({ questionIndex: 3, keyIndex: 1, facility: 0.96, optionShares: [0.2, 0.96, 0.2], discrimination: 0.3 })] }));
    expect(signal).toMatchObject({ type: 'item_too_easy', evidence: { n: 100, questionIndex: 3, keyIndex: 1, facility: 0.96, threshold: 0.95 } });
    expect(Object.keys(signal!.evidence).sort()).toEqual(['facility', 'keyIndex', 'n', 'questionIndex', 'threshold']);
  });

  it('time_over_estimate names the p90 when there is one and leaves it out when there is none', () => {
    const withP90 = evaluate(input({ lessons: [lesson({ lessonIndex: 1, lessonId: 'les_1', completions: 40, medianMinutes: 21, p90Minutes: 33 })] }));
    expect(withP90.map((signal) => signal.evidence)).toEqual([{ n: 40, lessonIndex: 1, medianMinutes: 21, p90Minutes: 33, estimatedMinutes: 10, threshold: 2 }]);
    const withoutP90 = evaluate(input({ lessons: [lesson({ lessonIndex: 1, lessonId: 'les_1', completions: 40, medianMinutes: 21, p90Minutes: null })] }));
    expect(withoutP90).toHaveLength(1);
    expect(Object.keys(withoutP90[0]!.evidence).sort()).toEqual(['estimatedMinutes', 'lessonIndex', 'medianMinutes', 'n', 'threshold']);
  });

  it('item_suspect_key names the most-chosen distractor, not the first one', () => {
    // Key B (0.3); distractors A 0.1 and C 0.6: C is the strongest.
    const [signal] = evaluate(input({ items: [item({ keyIndex: 1, facility: 0.3, optionShares: [0.1, 0.3, 0.6], distractorOutdrawsKeyInTopThird: true, discrimination: 0.25 })] }));
    expect(signal).toMatchObject({ type: 'item_suspect_key', evidence: { keyShare: 0.3, strongestDistractorIndex: 2, strongestDistractorShare: 0.6, distractorOutdrawsKeyInTopThird: 1, discrimination: 0.25 } });
  });

  it('item_suspect_key from the top third alone, with r undefined: no discrimination in the evidence', () => {
    const signals = evaluate(input({ items: [item({ discrimination: null, distractorOutdrawsKeyInTopThird: true })] }));
    expect(signals.map((signal) => signal.evidence)).toEqual([
      { n: 100, questionIndex: 0, keyIndex: 1, facility: 0.6, keyShare: 0.6, strongestDistractorIndex: 0, strongestDistractorShare: 0.2, distractorOutdrawsKeyInTopThird: 1, threshold: 0 },
    ]);
    expect(Object.keys(signals[0]!.evidence)).not.toContain('discrimination');
  });

  it('item_suspect_key on a question whose only option is the key: no strongest distractor to name', () => {
    const signals = evaluate(input({ items: [item({ keyIndex: 0, facility: 1, optionShares: [1], discrimination: -0.1 })] }));
    expect(ofType(signals, 'item_suspect_key').map((signal) => signal.evidence)).toEqual([
      { n: 100, questionIndex: 0, keyIndex: 0, facility: 1, discrimination: -0.1, keyShare: 1, distractorOutdrawsKeyInTopThird: 0, threshold: 0 },
    ]);
  });
});

describe('a suspect-key rule with a threshold above zero', () => {
  const rules = signalRules.map((rule) => (rule.type === 'item_suspect_key' ? { ...rule, threshold: 0.1 } : rule));

  it('r = 0.09 is flagged, r = 0.1 is not', () => {
    expect(ofType(evaluate(input({ items: [item({ discrimination: 0.09 })] }), rules), 'item_suspect_key')).toHaveLength(1);
    expect(ofType(evaluate(input({ items: [item({ discrimination: 0.1 })] }), rules), 'item_suspect_key')).toEqual([]);
  });

  it('an undefined r (null) is not read as 0 and flagged', () => {
    expect(evaluate(input({ items: [item({ discrimination: null })] }), rules)).toEqual([]);
  });
});

describe('one rule firing in several places reads in course order', () => {
  it('questions: by lesson position, then question; a lesson the course no longer lists comes last', () => {
    const tooHard = (lessonId: string, questionIndex: number) => item({ lessonId, questionId: `${lessonId}_q${questionIndex}`, questionIndex, facility: 0.1, optionShares: [0.45, 0.1, 0.45] });
    const signals = evaluate(input({ items: [tooHard('les_gone', 0), tooHard('les_2', 0), tooHard('les_1', 1), tooHard('les_0', 2), tooHard('les_1', 0)] }));
    expect(signals.map((signal) => [signal.type, signal.target.questionId, signal.target.lessonIndex])).toEqual([
      ['item_too_hard', 'les_0_q2', 0],
      ['item_too_hard', 'les_1_q0', 1],
      ['item_too_hard', 'les_1_q1', 1],
      ['item_too_hard', 'les_2_q0', 2],
      ['item_too_hard', 'les_gone_q0', null],
    ]);
  });

  it('quizzes: by lesson position', () => {
    const lowPass = (lessonId: string) => quiz({ lessonId, quizItemId: `qiz_${lessonId}`, firstAttemptPassRate: 0.3 });
    const signals = evaluate(input({ quizzes: [lowPass('les_2'), lowPass('les_0'), lowPass('les_1')] }));
    expect(signals.map((signal) => [signal.type, signal.target.quizItemId])).toEqual([
      ['low_pass_rate', 'qiz_les_0'],
      ['low_pass_rate', 'qiz_les_1'],
      ['low_pass_rate', 'qiz_les_2'],
    ]);
  });

  it('lessons: drop-off and time over estimate each by lesson position, whatever order the lessons arrive in', () => {
    // Seven lessons; four lose 5% (the median), three lose 30–50% and take 25 minutes against 10.
    // Named so that the signal ids do not sort in course order: only the lesson position orders them.
    const lessons = [0, 1, 2, 3, 4, 5, 6].map((index) => lesson({
      lessonIndex: index,
      lessonId: `lesson_${index}`,
      dropOffRate: [0.05, 0.05, 0.05, 0.05, 0.3, 0.4, 0.5][index]!,
      medianMinutes: index >= 4 ? 25 : 10,
    }));
    const signals = evaluate(input({ lessons: [...lessons].reverse() }));
    expect(signals.map((signal) => [signal.type, signal.target.lessonId])).toEqual([
      ['high_dropoff', 'lesson_4'],
      ['high_dropoff', 'lesson_5'],
      ['high_dropoff', 'lesson_6'],
      ['time_over_estimate', 'lesson_4'],
      ['time_over_estimate', 'lesson_5'],
      ['time_over_estimate', 'lesson_6'],
    ]);
    expect(signals.map((signal) => signal.evidence.courseMedianDropOffRate ?? null)).toEqual([0.05, 0.05, 0.05, null, null, null]);
  });

  it('two quizzes in one lesson (same place in the course) come out in the same order whichever is given first, by signal id', () => {
    const first = quiz({ quizItemId: 'qiz_warmup', firstAttemptPassRate: 0.3 });
    const second = quiz({ quizItemId: 'qiz_final', firstAttemptPassRate: 0.4 });
    const inOrder = evaluate(input({ quizzes: [first, second] }));
    const reversed = evaluate(input({ quizzes: [second, first] }));
    expect(inOrder).toHaveLength(2);
    expect(reversed.map((signal) => signal.target.quizItemId)).toEqual(inOrder.map((signal) => signal.target.quizItemId));
    // The tie is broken by ascending id, so storage and the studio list agree.
    expect(inOrder[0]!.id < inOrder[1]!.id).toBe(true);
  });
});
