import { describe, expect, it } from 'vitest';
import { evaluateSignals, signalRules, type SignalInput } from '../../../core/analytics/signal-rules.js';
import { AnalyticsSignal, signalTypes, type ItemStatistics, type LessonStatistics, type QuizStatistics, type SignalRule, type SignalType } from '../../../schemas/analytics.js';

const packageHash = 'a'.repeat(64);
const quizHash = 'b'.repeat(64);
const now = '2025-03-02T03:00:00.000Z';

/** Statistics that trip no rule; each test changes one number. */
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

const typesOf = (signals: AnalyticsSignal[]) => signals.map((signal) => signal.type);

describe('the thresholds table', () => {
  it('has exactly one rule per signal type, each with a minimum n of 30 and a description', () => {
    expect(signalRules.map((rule) => rule.type).sort()).toEqual([...signalTypes].sort());
    expect(signalRules.map((rule) => rule.minimumN)).toEqual(signalTypes.map(() => 30));
    for (const rule of signalRules) expect(rule.description.length).toBeGreaterThan(20);
  });

  it('reads as the issue states the thresholds', () => {
    const byType = Object.fromEntries(signalRules.map((rule) => [rule.type, rule.threshold]));
    expect(byType).toEqual({ item_too_hard: 0.2, item_too_easy: 0.95, item_poor_discrimination: 0.2, item_suspect_key: 0, nonfunctional_distractor: 0.05, low_pass_rate: 0.5, time_over_estimate: 2, high_dropoff: 2, low_completion: 0.3 });
    expect(signalRules.find((rule) => rule.type === 'high_dropoff')!.description).toContain('at least 2× the median lesson drop-off rate of the course and at least 0.2');
  });

  it('clean statistics raise no signal', () => {
    expect(evaluateSignals(input(), undefined, now)).toEqual([]);
  });
});

/**
 * For each rule: statistics just past its threshold, just inside it, with n given. Every other
 * number stays clean, so exactly one signal of that type must appear, or none.
 */
const cases: Record<SignalType, { past: (n: number) => SignalInput; inside: (n: number) => SignalInput }> = {
  item_too_hard: { past: (n) => input({ items: [item({ n, facility: 0.19, optionShares: [0.41, 0.19, 0.4] })] }), inside: (n) => input({ items: [item({ n, facility: 0.2, optionShares: [0.4, 0.2, 0.4] })] }) },
  // The rule reads facility only; the distractors keep clean shares so no distractor rule joins in.
  item_too_easy: { past: (n) => input({ items: [item({ n, facility: 0.96, discrimination: 0.3 })] }), inside: (n) => input({ items: [item({ n, facility: 0.95, discrimination: 0.3 })] }) },
  item_poor_discrimination: { past: (n) => input({ items: [item({ n, discrimination: 0.19 })] }), inside: (n) => input({ items: [item({ n, discrimination: 0.2 })] }) },
  // r just below 0 also counts as poorly discriminating; the check below looks at this type only.
  item_suspect_key: { past: (n) => input({ items: [item({ n, discrimination: -0.01 })] }), inside: (n) => input({ items: [item({ n, discrimination: 0 })] }) },
  nonfunctional_distractor: { past: (n) => input({ items: [item({ n, optionShares: [0.049, 0.6, 0.351] })] }), inside: (n) => input({ items: [item({ n, optionShares: [0.05, 0.6, 0.35] })] }) },
  low_pass_rate: { past: (n) => input({ quizzes: [quiz({ n, firstAttemptPassRate: 0.49 })] }), inside: (n) => input({ quizzes: [quiz({ n, firstAttemptPassRate: 0.5 })] }) },
  time_over_estimate: { past: (n) => input({ lessons: [lesson({ completions: n, medianMinutes: 20.5 })] }), inside: (n) => input({ lessons: [lesson({ completions: n, medianMinutes: 20 })] }) },
  // Rates 0.15, 0.15, x: the median is 0.15, so x must reach 2 × 0.15 = 0.3.
  high_dropoff: {
    past: (n) => input({ lessons: [lesson({ dropOffRate: 0.15 }), lesson({ lessonIndex: 1, lessonId: 'les_1', dropOffRate: 0.15 }), lesson({ lessonIndex: 2, lessonId: 'les_2', views: n, dropOffRate: 0.3 })] }),
    inside: (n) => input({ lessons: [lesson({ dropOffRate: 0.15 }), lesson({ lessonIndex: 1, lessonId: 'les_1', dropOffRate: 0.15 }), lesson({ lessonIndex: 2, lessonId: 'les_2', views: n, dropOffRate: 0.29 })] }),
  },
  // 100 started: 29 completed (0.29) fires, 30 (0.3) does not; 30 started: 8 completed fires.
  low_completion: { past: (n) => input({ funnel: { started: n, completed: Math.round(n * 0.3) - 1 } }), inside: (n) => input({ funnel: { started: n, completed: Math.round(n * 0.3) } }) },
};

describe('each rule fires just past its threshold and not just inside it', () => {
  const ofType = (signals: AnalyticsSignal[], type: SignalType) => typesOf(signals).filter((found) => found === type);

  it.each(signalTypes)('%s', (type) => {
    expect(ofType(evaluateSignals(cases[type].past(100), signalRules, now), type)).toEqual([type]);
    expect(ofType(evaluateSignals(cases[type].inside(100), signalRules, now), type)).toEqual([]);
  });

  it.each(signalTypes.filter((type) => type !== 'item_suspect_key'))('%s is the only signal its case raises', (type) => {
    expect(typesOf(evaluateSignals(cases[type].past(100), signalRules, now))).toEqual([type]);
    expect(evaluateSignals(cases[type].inside(100), signalRules, now)).toEqual([]);
  });

  it.each(signalTypes)('%s fires at exactly the minimum n (30) and not at 29', (type) => {
    expect(ofType(evaluateSignals(cases[type].past(30), signalRules, now), type)).toEqual([type]);
    expect(evaluateSignals(cases[type].past(29), signalRules, now)).toEqual([]);
  });
});

describe('rule details', () => {
  it('item_suspect_key fires on a distractor outdrawing the key in the top third even with a healthy r', () => {
    const signals = evaluateSignals(input({ items: [item({ discrimination: 0.5, distractorOutdrawsKeyInTopThird: true })] }), signalRules, now);
    expect(typesOf(signals)).toEqual(['item_suspect_key']);
    expect(signals[0]!.evidence).toMatchObject({ n: 100, distractorOutdrawsKeyInTopThird: 1, discrimination: 0.5, keyShare: 0.6, strongestDistractorIndex: 0, strongestDistractorShare: 0.2 });
  });

  it('a negative r raises both item_suspect_key (critical, listed first) and item_poor_discrimination', () => {
    const signals = evaluateSignals(input({ items: [item({ discrimination: -0.3 })] }), signalRules, now);
    expect(signals.map((signal) => [signal.type, signal.severity])).toEqual([['item_suspect_key', 'critical'], ['item_poor_discrimination', 'warning']]);
  });

  it('an undefined discrimination (null) raises neither discrimination rule', () => {
    expect(evaluateSignals(input({ items: [item({ discrimination: null })] }), signalRules, now)).toEqual([]);
  });

  it('nonfunctional_distractor is one signal per option, never for the key', () => {
    const signals = evaluateSignals(input({ items: [item({ keyIndex: 1, optionShares: [0.02, 0.97, 0.01], facility: 0.97, discrimination: 0.3 })] }), signalRules, now);
    expect(signals.filter((signal) => signal.type === 'nonfunctional_distractor').map((signal) => [signal.target.kind, signal.target.optionIndex, signal.evidence.share])).toEqual([['option', 0, 0.02], ['option', 2, 0.01]]);
    // The key's 0.97 is too easy, not a distractor.
    expect(typesOf(signals)).toEqual(['item_too_easy', 'nonfunctional_distractor', 'nonfunctional_distractor']);
    const keyAlone = evaluateSignals(input({ items: [item({ keyIndex: 0, optionShares: [0.04, 0.5, 0.46], facility: 0.04, discrimination: 0.3 })] }), signalRules, now);
    expect(typesOf(keyAlone)).toEqual(['item_too_hard']);
  });

  it('high_dropoff also needs an absolute rate of at least 0.2', () => {
    // Rates 0.05, 0.05, x: twice the median is 0.1, so the absolute floor 0.2 decides.
    const withRate = (rate: number) => input({ lessons: [lesson({ dropOffRate: 0.05 }), lesson({ lessonIndex: 1, lessonId: 'les_1', dropOffRate: 0.05 }), lesson({ lessonIndex: 2, lessonId: 'les_2', dropOffRate: rate })] });
    expect(typesOf(evaluateSignals(withRate(0.19), signalRules, now))).toEqual([]);
    const signals = evaluateSignals(withRate(0.2), signalRules, now);
    expect(typesOf(signals)).toEqual(['high_dropoff']);
    expect(signals[0]!.evidence).toEqual({ n: 100, lessonIndex: 2, dropOff: 10, dropOffRate: 0.2, courseMedianDropOffRate: 0.05, threshold: 2, minimumRate: 0.2 });
  });

  it('the course median leaves out lessons nobody viewed', () => {
    // Viewed lessons 0.15, 0.15, 0.29 → median 0.15 → needs 0.3: no signal. Were the three unviewed
    // lessons (rate 0) counted, the median would be 0.075 and 0.29 would fire.
    const unviewed = [3, 4, 5].map((index) => lesson({ lessonIndex: index, lessonId: `les_${index}`, views: 0, completions: 0, dropOff: 0, dropOffRate: 0, medianMinutes: null, p90Minutes: null }));
    expect(evaluateSignals({ ...cases.high_dropoff.inside(100), lessons: [...cases.high_dropoff.inside(100).lessons, ...unviewed] }, signalRules, now)).toEqual([]);
  });

  it('time_over_estimate needs a median and an estimate', () => {
    expect(evaluateSignals(input({ lessons: [lesson({ medianMinutes: null, p90Minutes: null })] }), signalRules, now)).toEqual([]);
    expect(evaluateSignals(input({ lessons: [lesson({ estimatedMinutes: 0, medianMinutes: 30 })] }), signalRules, now)).toEqual([]);
  });

  it('low_completion: 29 of 100 fires, 30 of 100 does not; nobody started → nothing', () => {
    expect(typesOf(evaluateSignals(input({ funnel: { started: 100, completed: 29 } }), signalRules, now))).toEqual(['low_completion']);
    expect(evaluateSignals(input({ funnel: { started: 100, completed: 30 } }), signalRules, now)).toEqual([]);
    expect(evaluateSignals(input({ funnel: { started: 0, completed: 0 } }), signalRules, now)).toEqual([]);
  });
});

describe('signals as stored', () => {
  const busy = input({
    lessons: [lesson({ dropOffRate: 0.05 }), lesson({ lessonIndex: 1, lessonId: 'les_1', dropOffRate: 0.05, medianMinutes: 25 }), lesson({ lessonIndex: 2, lessonId: 'les_2', views: 80, dropOff: 40, dropOffRate: 0.5 })],
    quizzes: [quiz({ n: 90, firstAttemptPassRate: 0.3 })],
    // Given out of course order on purpose.
    items: [item({ questionId: 'q_2', questionIndex: 1, n: 90, facility: 0.1, optionShares: [0.45, 0.1, 0.45] }), item({ questionId: 'q_1', questionIndex: 0, n: 90, discrimination: -0.2 })],
    funnel: { started: 200, completed: 20 },
  });

  it('orders by severity, then the table, then course order; evidence always carries n', () => {
    const signals = evaluateSignals(busy, signalRules, now);
    expect(signals.map((signal) => [signal.type, signal.target.questionId ?? signal.target.lessonId, signal.evidence.n])).toEqual([
      ['item_suspect_key', 'q_1', 90],
      ['high_dropoff', 'les_2', 80],
      ['low_pass_rate', 'les_1', 90],
      ['item_too_hard', 'q_2', 90],
      ['item_poor_discrimination', 'q_1', 90],
      ['time_over_estimate', 'les_1', 100],
      ['low_completion', null, 200],
    ]);
  });

  it('targets name the package version and content hash, and the quiz version for questions', () => {
    const signals = evaluateSignals(busy, signalRules, now);
    const question = signals.find((signal) => signal.type === 'item_too_hard')!;
    expect(question.target).toEqual({ kind: 'question', courseId: 'crs_1', packageVersion: 2, packageContentHash: packageHash, lessonId: 'les_1', lessonIndex: 1, quizItemId: 'qiz_1', quizContentHash: quizHash, questionId: 'q_2', optionIndex: null });
    expect(signals.find((signal) => signal.type === 'low_pass_rate')!.target).toMatchObject({ kind: 'quiz', lessonIndex: 1, quizItemId: 'qiz_1', questionId: null });
    expect(signals.find((signal) => signal.type === 'low_completion')!.target).toEqual({ kind: 'course', courseId: 'crs_1', packageVersion: 2, packageContentHash: packageHash, lessonId: null, lessonIndex: null, quizItemId: null, quizContentHash: null, questionId: null, optionIndex: null });
    expect(question.evidence).toEqual({ n: 90, questionIndex: 1, keyIndex: 1, facility: 0.1, threshold: 0.2 });
    for (const signal of signals) {
      expect(() => AnalyticsSignal.parse(signal)).not.toThrow();
      expect(signal).toMatchObject({ day: '2025-03-01', createdAt: now });
    }
  });

  it('same input → deep-equal output, ids stable and independent of input order and of the time computed', () => {
    const first = evaluateSignals(busy, signalRules, now);
    expect(evaluateSignals(structuredClone(busy), signalRules, now)).toEqual(first);
    const reordered = evaluateSignals({ ...busy, items: [...busy.items].reverse(), lessons: [...busy.lessons].reverse() }, signalRules, '2030-01-01T00:00:00.000Z');
    expect(reordered.map((signal) => signal.id)).toEqual(first.map((signal) => signal.id));
    for (const signal of first) expect(signal.id).toMatch(/^sig_[0-9a-f]{32}$/);
    expect(new Set(first.map((signal) => signal.id)).size).toBe(first.length);
  });

  it('ids change with the day and with the package content', () => {
    const ids = (signals: AnalyticsSignal[]) => signals.map((signal) => signal.id);
    const first = ids(evaluateSignals(busy, signalRules, now));
    const nextDay = ids(evaluateSignals({ ...busy, day: '2025-03-02' }, signalRules, now));
    const otherPackage = ids(evaluateSignals({ ...busy, packageContentHash: 'd'.repeat(64) }, signalRules, now));
    expect(nextDay.filter((id) => first.includes(id))).toEqual([]);
    expect(otherPackage.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe('a rules table other than the default', () => {
  const custom = (changes: Partial<Record<SignalType, Partial<SignalRule>>>): SignalRule[] => signalRules.map((rule) => ({ ...rule, ...changes[rule.type] }));

  it('its thresholds, minimum n and severities are the ones applied', () => {
    const rules = custom({ item_too_hard: { threshold: 0.5, minimumN: 5, severity: 'critical' } });
    const signals = evaluateSignals(input({ items: [item({ n: 5, facility: 0.4, optionShares: [0.3, 0.4, 0.3] })] }), rules, now);
    expect(signals.map((signal) => [signal.type, signal.severity])).toEqual([['item_too_hard', 'critical']]);
    expect(signals[0]!.evidence.threshold).toBe(0.5);
  });

  it('a type left out of the table is not evaluated', () => {
    const rules = signalRules.filter((rule) => rule.type !== 'low_completion');
    expect(evaluateSignals(input({ funnel: { started: 100, completed: 0 } }), rules, now)).toEqual([]);
  });

  it('two rules for one type are refused', () => {
    expect(() => evaluateSignals(input(), [...signalRules, signalRules[0]!], now)).toThrow('The signal rules table has more than one rule for high_dropoff; keep exactly one rule per signal type.');
  });
});
