import { z } from 'zod';

/**
 * Learner analytics as both halves of the product see them: the hosted server computes these
 * aggregates, signals and suggestions (server/analytics), the studio pulls them into its own
 * tables (core/sync) and shows them. Aggregates only: nothing here names a learner.
 *
 * Every number is tied to the exact package version learners saw (`packageVersion` plus its
 * `packageContentHash`), so two versions can be compared side by side.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hexadecimal characters (SHA-256)');
/** A calendar day in UTC, the unit aggregation runs on. */
export const AnalyticsDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day written YYYY-MM-DD');
const Share = z.number().min(0).max(1);

// ── Aggregates ────────────────────────────────────────────────────────────────────────────────

/** One course version on one day: the funnel course_viewed → enrolled → started → completed. */
export const FunnelDay = z.strictObject({
  day: AnalyticsDay,
  packageVersion: z.number().int(),
  courseViewed: z.number().int(),
  enrolled: z.number().int(),
  /** Learners who bought the course that day; null for a free course. */
  purchased: z.number().int().nullable(),
  started: z.number().int(),
  completed: z.number().int(),
  /** completed ÷ started (0 when nobody started). */
  completionRate: Share,
  /** Learners with any activity that day. */
  activeLearners: z.number().int(),
});
export type FunnelDay = z.infer<typeof FunnelDay>;

export const LessonStatistics = z.strictObject({
  packageVersion: z.number().int(),
  lessonIndex: z.number().int(),
  lessonId: z.string(),
  title: z.string(),
  estimatedMinutes: z.number().int(),
  views: z.number().int(),
  completions: z.number().int(),
  /** Learners whose furthest lesson is this one and who have been inactive for the inactivity window. */
  dropOff: z.number().int(),
  /** dropOff ÷ learners who reached this lesson (0 when none did). */
  dropOffRate: Share,
  /** Time spent by learners who completed the lesson; null with no completions. */
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});
export type LessonStatistics = z.infer<typeof LessonStatistics>;

/** Item analysis of one quiz question over learners' first attempts. */
export const ItemStatistics = z.strictObject({
  packageVersion: z.number().int(),
  lessonId: z.string(),
  quizItemId: z.string(),
  quizContentHash: Sha256,
  questionId: z.string(),
  questionIndex: z.number().int(),
  /** The keyed (correct) option's index. */
  keyIndex: z.number().int(),
  /** First attempts that answered this question. */
  n: z.number().int(),
  /** Facility p: the share of first attempts answering correctly. */
  facility: Share,
  /** Corrected point-biserial: this item against the rest of the quiz; null when undefined (no variance, or a one-question quiz). */
  discrimination: z.number().min(-1).max(1).nullable(),
  /** Share choosing each option, in the question's option order. */
  optionShares: z.array(Share),
  /** Indexes of distractors (never the key) chosen by fewer than 5% of first attempts. */
  nonFunctionalDistractors: z.array(z.number().int()),
  /** A distractor chosen more often than the key among the top-scoring third of first attempts. */
  distractorOutdrawsKeyInTopThird: z.boolean(),
});
export type ItemStatistics = z.infer<typeof ItemStatistics>;

export const QuizStatistics = z.strictObject({
  packageVersion: z.number().int(),
  lessonId: z.string(),
  quizItemId: z.string(),
  quizContentHash: Sha256,
  questionCount: z.number().int(),
  /** First attempts. */
  n: z.number().int(),
  /** Share of first attempts that passed. */
  firstAttemptPassRate: Share,
  /** KR-20 internal consistency; null below three questions or with no score variance. */
  kr20: z.number().nullable(),
});
export type QuizStatistics = z.infer<typeof QuizStatistics>;

// ── Signals ───────────────────────────────────────────────────────────────────────────────────

export const signalTypes = [
  'high_dropoff',
  'low_pass_rate',
  'item_too_hard',
  'item_too_easy',
  'item_poor_discrimination',
  'item_suspect_key',
  'nonfunctional_distractor',
  'time_over_estimate',
  'low_completion',
] as const;
export const SignalType = z.enum(signalTypes);
export type SignalType = z.infer<typeof SignalType>;

export const SignalSeverity = z.enum(['info', 'warning', 'critical']);
export type SignalSeverity = z.infer<typeof SignalSeverity>;

/** What a signal or suggestion is about, down to the content item version learners saw. */
export const AnalyticsTarget = z.strictObject({
  kind: z.enum(['course', 'lesson', 'quiz', 'question', 'option']),
  courseId: z.string(),
  packageVersion: z.number().int(),
  packageContentHash: Sha256,
  lessonId: z.string().nullable(),
  lessonIndex: z.number().int().nullable(),
  /** The quiz content item and the hash of the version learners answered. */
  quizItemId: z.string().nullable(),
  quizContentHash: Sha256.nullable(),
  questionId: z.string().nullable(),
  /** For an option-level finding (a non-functional distractor). */
  optionIndex: z.number().int().nullable(),
});
export type AnalyticsTarget = z.infer<typeof AnalyticsTarget>;

/** One rule: its signal type, the minimum n below which it never fires, and its threshold. */
export const SignalRule = z.strictObject({
  type: SignalType,
  minimumN: z.number().int().min(1),
  threshold: z.number(),
  severity: SignalSeverity,
  /** The rule in words, as an admin reads it ("facility p below 0.2"). */
  description: z.string(),
});
export type SignalRule = z.infer<typeof SignalRule>;

export const AnalyticsSignal = z.strictObject({
  /** Stable for the same type, target and day: recomputing gives the same id. */
  id: z.string(),
  type: SignalType,
  severity: SignalSeverity,
  target: AnalyticsTarget,
  /** The numbers behind the signal, always including n. */
  evidence: z.record(z.string(), z.number()).and(z.object({ n: z.number() })),
  /** The aggregation day the evidence comes from. */
  day: AnalyticsDay,
  createdAt: z.string(),
});
export type AnalyticsSignal = z.infer<typeof AnalyticsSignal>;

// ── Suggestions ───────────────────────────────────────────────────────────────────────────────

export const suggestionKinds = [
  'rewrite_question',
  'check_answer_key',
  'replace_distractor',
  'split_lesson',
  'add_worked_example',
  'shorten_lesson',
  'adjust_estimate',
  'review_course_structure',
] as const;
export const SuggestionKind = z.enum(suggestionKinds);
export type SuggestionKind = z.infer<typeof SuggestionKind>;

export const SuggestionStatus = z.enum(['OPEN', 'ACCEPTED', 'DISMISSED']);
export type SuggestionStatus = z.infer<typeof SuggestionStatus>;

export const ContentSuggestion = z.strictObject({
  /** Stable per source signal and kind: running analytics again creates no duplicate. */
  id: z.string(),
  signalId: z.string(),
  signalType: SignalType,
  kind: SuggestionKind,
  target: AnalyticsTarget,
  /** Why, in a designer's words, built from the signal's evidence. */
  rationale: z.string(),
  /** The instruction a regeneration job starts from (editable before it is triggered). */
  draftInstruction: z.string(),
  status: SuggestionStatus,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Required when dismissed. */
  dismissReason: z.string().nullable(),
  createdAt: z.string(),
});
export type ContentSuggestion = z.infer<typeof ContentSuggestion>;

export const DismissSuggestion = z.strictObject({
  reason: z.string().trim().min(1, 'a reason for dismissing, in a few words').max(2000),
});

// ── Read models ───────────────────────────────────────────────────────────────────────────────

/** `GET /api/admin/analytics/course/:courseId`: one version's funnel totals, lessons and learners over time. */
export const CourseAnalytics = z.strictObject({
  courseId: z.string(),
  packageVersion: z.number().int(),
  packageContentHash: Sha256,
  from: AnalyticsDay,
  to: AnalyticsDay,
  funnel: z.strictObject({
    courseViewed: z.number().int(),
    enrolled: z.number().int(),
    purchased: z.number().int().nullable(),
    started: z.number().int(),
    completed: z.number().int(),
    completionRate: Share,
  }),
  activeLearnersByDay: z.array(z.strictObject({ day: AnalyticsDay, activeLearners: z.number().int() })),
  lessons: z.array(LessonStatistics),
});
export type CourseAnalytics = z.infer<typeof CourseAnalytics>;

/** `GET /api/admin/analytics/funnel/:courseId`. */
export const FunnelAnalytics = z.strictObject({
  courseId: z.string(),
  packageVersion: z.number().int(),
  from: AnalyticsDay,
  to: AnalyticsDay,
  days: z.array(FunnelDay),
});
export type FunnelAnalytics = z.infer<typeof FunnelAnalytics>;

/** `GET /api/admin/analytics/items/:courseId`. */
export const ItemAnalytics = z.strictObject({
  courseId: z.string(),
  packageVersion: z.number().int(),
  quizzes: z.array(QuizStatistics),
  items: z.array(ItemStatistics),
});
export type ItemAnalytics = z.infer<typeof ItemAnalytics>;

/**
 * `GET /api/admin/analytics/changes?since=CURSOR`: everything that changed after the cursor, for
 * the studio's incremental sync. Asking again with the returned cursor returns nothing new.
 * A recomputed day arrives whole (its funnel, lessons, quizzes and items replace the earlier ones);
 * a suggestion arrives again when its status changes.
 */
export const AnalyticsChanges = z.strictObject({
  /** Opaque; pass it back as `since`. Omit `since` for everything from the start. */
  cursor: z.string(),
  days: z.array(
    z.strictObject({
      courseId: z.string(),
      packageVersion: z.number().int(),
      packageContentHash: Sha256,
      day: AnalyticsDay,
      funnel: FunnelDay,
      lessons: z.array(LessonStatistics),
      quizzes: z.array(QuizStatistics),
      items: z.array(ItemStatistics),
    }),
  ),
  signals: z.array(AnalyticsSignal),
  suggestions: z.array(ContentSuggestion),
});
export type AnalyticsChanges = z.infer<typeof AnalyticsChanges>;
