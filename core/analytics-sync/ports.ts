import type { AnalyticsChanges, AnalyticsSignal, ContentSuggestion, FunnelDay, ItemStatistics, LessonStatistics, QuizStatistics, SuggestionStatus } from '../../schemas/analytics.js';

/** One day of one course as the studio keeps it: what the server computed, replaced whole when it arrives again. */
export interface SyncedAnalyticsDay {
  serverUrl: string;
  courseId: string;
  packageVersion: number;
  packageContentHash: string;
  day: string;
  funnel: FunnelDay;
  lessons: LessonStatistics[];
  quizzes: QuizStatistics[];
  items: ItemStatistics[];
  syncedAt: string;
}

/** What one pull changed locally; rows for courses this studio does not have are skipped, not stored. */
export interface AppliedPull {
  days: number;
  signals: number;
  /** Suggestions stored for the first time or moved from OPEN to a decision. */
  suggestions: number;
  /** Days, signals and suggestions of courses that are not in this studio's database. */
  skipped: number;
}

export type DecisionKind = 'accept' | 'dismiss';
export type DecisionState = 'queued' | 'delivered' | 'refused';

/** A decision made in this studio, on its way to the server (the decisions outbox). */
export interface SuggestionDecision {
  id: number;
  serverUrl: string;
  suggestionId: string;
  decision: DecisionKind;
  reason: string | null;
  decidedBy: string;
  decidedAt: string;
  state: DecisionState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastErrorCode: string | null;
  deliveredAt: string | null;
}

export interface AnalyticsRepository {
  /**
   * Stores one answer of the change feed and moves the server's cursor, all or nothing: a day
   * replaces whatever the course had for that day (any version) together with that day's
   * signals; a suggestion is inserted, or its status moves from OPEN to the server's decision
   * (a decided suggestion never changes again). Only courses in this studio's database are kept.
   */
  applyPull(serverUrl: string, changes: AnalyticsChanges, at: string): AppliedPull;
  cursor(serverUrl: string): { cursor: string; syncedAt: string } | undefined;
  /** Servers this studio has pulled analytics from, the most recently synced first. */
  syncedServers(): string[];
  days(serverUrl: string, courseId: string): SyncedAnalyticsDay[];
  signals(serverUrl: string, courseId: string): AnalyticsSignal[];
  suggestions(filter: { serverUrl: string; courseId?: string; status?: SuggestionStatus }): Array<ContentSuggestion & { courseId: string }>;
  suggestion(serverUrl: string, suggestionId: string): (ContentSuggestion & { courseId: string }) | undefined;

  /** Queues a decision; a second decision on the same suggestion is refused (CONFLICT). */
  recordDecision(decision: { serverUrl: string; suggestionId: string; decision: DecisionKind; reason: string | null; decidedBy: string; decidedAt: string }): SuggestionDecision;
  decision(serverUrl: string, suggestionId: string): SuggestionDecision | undefined;
  decisions(serverUrl: string): SuggestionDecision[];
  /** Takes queued decisions for sending, atomically (the background loop and a `coursewright sync` never send one twice). */
  claimDecisions(filter: { serverUrl: string; id?: number; dueBy: string | null; now: string; claimedUntil: string; limit: number }): SuggestionDecision[];
  markDelivered(id: number, at: string): SuggestionDecision;
  retryDecisionLater(id: number, outcome: { error: string; code: string; nextAttemptAt: string }): SuggestionDecision;
  refuseDecision(id: number, outcome: { error: string; code: string }): SuggestionDecision;
}
