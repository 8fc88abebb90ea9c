import { evaluateSignals, signalRules } from '../../core/analytics/signal-rules.js';
import { suggestionsForSignal } from '../../core/analytics/suggestions.js';
import type { AnalyticsSignal, ContentSuggestion, SignalRule } from '../../schemas/analytics.js';
import type { DayAggregate } from './storage.js';

/**
 * The server's use of the insight engine in core/analytics: one day's aggregates → signals (the
 * one thresholds table) → suggestions. The rules and the mapping live in core so the studio and
 * the server can never disagree about them.
 */
/** `learners`: who had started and who had completed the course by the day's end (completion is over everyone so far, not the day alone). */
export function signalsOfDay(aggregate: Omit<DayAggregate, 'signals'>, learners: { started: number; completed: number }, now: Date): AnalyticsSignal[] {
  return evaluateSignals(
    {
      courseId: aggregate.courseId,
      packageVersion: aggregate.packageVersion,
      packageContentHash: aggregate.packageContentHash,
      day: aggregate.day,
      lessons: aggregate.lessons,
      quizzes: aggregate.quizzes,
      items: aggregate.items,
      funnel: learners,
    },
    signalRules,
    now.toISOString(),
  );
}

export function suggestionsOfSignals(signals: readonly AnalyticsSignal[], now: Date): ContentSuggestion[] {
  return signals.flatMap((signal) => suggestionsForSignal(signal, now.toISOString()));
}

/** The thresholds table as an admin reads it. */
export function analyticsSignalRules(): SignalRule[] {
  return signalRules.map((rule) => ({ ...rule }));
}
