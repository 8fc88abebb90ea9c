import { z } from 'zod';
import { AnalyticsDay, AnalyticsSignal, ContentSuggestion, ItemStatistics, LessonStatistics, QuizStatistics, SignalType, SuggestionStatus } from './analytics.js';
import { RegenerationJob } from './regeneration.js';

/**
 * Learner analytics and content suggestions as the studio shows them, read from its own tables
 * (db/analytics-store.ts) after `coursewright sync` or the background sync pulled them from the
 * hosted server, so they are there offline. Shapes shared by the studio contract (schemas/api.ts),
 * the CLI's --json output and the Analytics and Suggestions screens.
 */

const CourseIdInput = z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/, 'ids contain only letters, digits, _ and -');
/** Suggestion ids are made by the server (stable per signal and kind); they stay short and printable. */
export const SuggestionIdInput = z.string().trim().min(1, 'a suggestion id (`coursewright suggestions list` shows them)').max(300).regex(/^[A-Za-z0-9_.:-]+$/, 'a suggestion id as `coursewright suggestions list` shows it');
export const DismissReasonInput = z.string().trim().min(1, 'a reason for dismissing, in a few words (what you checked, why it needs no change)').max(2000);

/** Where a finding lives in the course, so the UI can open it: the lesson, and for a question its quiz and question. */
export const AnalyticsLinkTarget = z.object({
  lessonId: z.string(),
  quizItemId: z.string().nullable(),
  questionId: z.string().nullable(),
});
export type AnalyticsLinkTarget = z.infer<typeof AnalyticsLinkTarget>;

/** One package version of the course that has analytics in this studio. */
export const AnalyticsVersionEntry = z.object({
  packageVersion: z.number().int(),
  packageContentHash: z.string(),
  /** The studio's own package with that content, when it is in this database. */
  localPackageId: z.string().nullable(),
  firstDay: AnalyticsDay,
  lastDay: AnalyticsDay,
  days: z.number().int(),
});
export type AnalyticsVersionEntry = z.infer<typeof AnalyticsVersionEntry>;

export const AnalyticsFunnelTotals = z.object({
  courseViewed: z.number().int(),
  enrolled: z.number().int(),
  purchased: z.number().int().nullable(),
  started: z.number().int(),
  completed: z.number().int(),
  completionRate: z.number().min(0).max(1),
});
export type AnalyticsFunnelTotals = z.infer<typeof AnalyticsFunnelTotals>;

export const FlaggedLesson = LessonStatistics.extend({
  /** Median minutes ÷ estimated minutes; null without completions or without an estimate. */
  timeVsEstimate: z.number().nullable(),
  flags: z.array(SignalType),
  link: AnalyticsLinkTarget,
});
export const FlaggedQuiz = QuizStatistics.extend({ flags: z.array(SignalType), link: AnalyticsLinkTarget });
export const FlaggedItem = ItemStatistics.extend({ flags: z.array(SignalType), link: AnalyticsLinkTarget });
export type FlaggedLesson = z.infer<typeof FlaggedLesson>;
export type FlaggedQuiz = z.infer<typeof FlaggedQuiz>;
export type FlaggedItem = z.infer<typeof FlaggedItem>;

/** `analytics.course`: one version of a course as the studio holds it. Empty (version null) until a sync brought something. */
export const StudioCourseAnalytics = z.object({
  courseId: z.string(),
  courseTitle: z.string(),
  versions: z.array(AnalyticsVersionEntry),
  /** The version shown: the one asked for, else the newest with analytics; null when there are none. */
  packageVersion: z.number().int().nullable(),
  packageContentHash: z.string().nullable(),
  from: AnalyticsDay.nullable(),
  to: AnalyticsDay.nullable(),
  funnel: AnalyticsFunnelTotals.nullable(),
  learnersOverTime: z.array(z.object({ day: AnalyticsDay, activeLearners: z.number().int() })),
  lessons: z.array(FlaggedLesson),
  quizzes: z.array(FlaggedQuiz),
  items: z.array(FlaggedItem),
  signals: z.array(AnalyticsSignal),
  openSuggestions: z.number().int(),
  /** When this studio last pulled analytics from the server; null when it never did. */
  syncedAt: z.string().nullable(),
});
export type StudioCourseAnalytics = z.infer<typeof StudioCourseAnalytics>;

const LessonNumbers = z.object({ views: z.number().int(), completions: z.number().int(), dropOff: z.number().int(), dropOffRate: z.number(), medianMinutes: z.number().nullable(), timeVsEstimate: z.number().nullable() });
const QuestionNumbers = z.object({ n: z.number().int(), facility: z.number(), discrimination: z.number().nullable(), flags: z.array(SignalType) });

/** `analytics.compare`: two versions side by side, lesson by lesson and question by question (only those present in both). */
export const AnalyticsComparison = z.object({
  courseId: z.string(),
  versionA: z.object({ packageVersion: z.number().int(), packageContentHash: z.string(), from: AnalyticsDay, to: AnalyticsDay, funnel: AnalyticsFunnelTotals }),
  versionB: z.object({ packageVersion: z.number().int(), packageContentHash: z.string(), from: AnalyticsDay, to: AnalyticsDay, funnel: AnalyticsFunnelTotals }),
  lessons: z.array(z.object({ lessonId: z.string(), title: z.string(), a: LessonNumbers, b: LessonNumbers, link: AnalyticsLinkTarget })),
  questions: z.array(z.object({ lessonId: z.string(), quizItemId: z.string(), questionId: z.string(), questionIndex: z.number().int(), a: QuestionNumbers, b: QuestionNumbers, link: AnalyticsLinkTarget })),
});
export type AnalyticsComparison = z.infer<typeof AnalyticsComparison>;

/** Where a decision made in this studio stands on its way to the server. */
export const DecisionDelivery = z.object({
  decision: z.enum(['accept', 'dismiss']),
  reason: z.string().nullable(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  /** queued: waiting to be sent (offline, or the server did not answer); delivered: the server has it; refused: the server said no (e.g. decided elsewhere first). */
  state: z.enum(['queued', 'delivered', 'refused']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});
export type DecisionDelivery = z.infer<typeof DecisionDelivery>;

/** A suggestion as the studio lists it: the server's record, with this studio's own decision while it travels. */
export const StudioSuggestion = ContentSuggestion.extend({
  courseTitle: z.string().nullable(),
  link: AnalyticsLinkTarget.nullable(),
  delivery: DecisionDelivery.nullable(),
});
export type StudioSuggestion = z.infer<typeof StudioSuggestion>;

export const SuggestionDecisionResult = z.object({
  suggestion: StudioSuggestion,
  /** True when the server has the decision now; false when it waits in the outbox. */
  delivered: z.boolean(),
  message: z.string(),
  /** Accepting: the suggestion's regeneration job (PENDING until someone triggers it), or null when no job can make the change (the message says why). Absent for a dismissal. */
  job: RegenerationJob.nullable().optional(),
});
export type SuggestionDecisionResult = z.infer<typeof SuggestionDecisionResult>;

export const AnalyticsCourseInput = z.object({ courseId: CourseIdInput, packageVersion: z.number().int().min(0).optional() }).strict();
export const AnalyticsCompareInput = z.object({ courseId: CourseIdInput, versionA: z.number().int().min(0), versionB: z.number().int().min(0) }).strict();
export const SuggestionListInput = z.object({ courseId: CourseIdInput.optional(), status: SuggestionStatus.optional() }).strict();
