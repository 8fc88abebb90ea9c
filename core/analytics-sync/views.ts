import type { AnalyticsSignal, AnalyticsTarget, ContentSuggestion, SignalType, SuggestionStatus } from '../../schemas/analytics.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { AnalyticsComparison, AnalyticsFunnelTotals, AnalyticsLinkTarget, AnalyticsVersionEntry, StudioCourseAnalytics, StudioSuggestion } from '../../schemas/studio-analytics.js';
import type { Store } from '../ports.js';
import type { SuggestionDecision, SyncedAnalyticsDay } from './ports.js';
import { statusOfDecision } from './service.js';

/**
 * The studio's views of synced analytics, computed from its own tables only (so they work
 * offline). They read the days the way the server's own read models do: funnel counts add up
 * over the days, the completion rate is the last day's, and lessons, quizzes and items (counted
 * cumulatively by the server) are those of the version's last day.
 */

function versionsOf(store: Store, courseId: string, days: SyncedAnalyticsDay[]): AnalyticsVersionEntry[] {
  const packages = store.packages.list(courseId);
  const byVersion = new Map<number, SyncedAnalyticsDay[]>();
  for (const day of days) byVersion.set(day.packageVersion, [...(byVersion.get(day.packageVersion) ?? []), day]);
  return [...byVersion.entries()]
    .sort(([a], [b]) => b - a)
    .map(([packageVersion, versionDays]) => {
      const last = versionDays.at(-1)!;
      return {
        packageVersion,
        packageContentHash: last.packageContentHash,
        localPackageId: packages.find((p) => p.contentHash === last.packageContentHash)?.id ?? null,
        firstDay: versionDays[0]!.day,
        lastDay: last.day,
        days: versionDays.length,
      };
    });
}

function funnelTotals(days: SyncedAnalyticsDay[]): AnalyticsFunnelTotals {
  const total = (pick: (day: SyncedAnalyticsDay) => number) => days.reduce((sum, day) => sum + pick(day), 0);
  return {
    courseViewed: total((d) => d.funnel.courseViewed),
    enrolled: total((d) => d.funnel.enrolled),
    purchased: days.some((d) => d.funnel.purchased !== null) ? total((d) => d.funnel.purchased ?? 0) : null,
    started: total((d) => d.funnel.started),
    completed: total((d) => d.funnel.completed),
    completionRate: days.at(-1)?.funnel.completionRate ?? 0,
  };
}

const lessonLink = (lessonId: string): AnalyticsLinkTarget => ({ lessonId, quizItemId: null, questionId: null });
const timeVsEstimate = (median: number | null, estimate: number) => (median === null || estimate <= 0 ? null : median / estimate);

/** The signal types found for one place, each once, in a stable order. */
function flagsWhere(signals: AnalyticsSignal[], test: (target: AnalyticsTarget) => boolean): SignalType[] {
  return [...new Set(signals.filter((s) => test(s.target)).map((s) => s.type))].sort();
}

export function requireCourse(store: Store, courseId: string) {
  const course = store.courses.get(courseId);
  if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}" in this studio. \`coursewright course list\` shows the courses.`, { courseId });
  return course;
}

/** The server whose analytics the studio shows: the configured one, else the one last synced from. */
export function analyticsServer(store: Store, configuredUrl: string | null): string | null {
  return configuredUrl ?? store.analytics.syncedServers()[0] ?? null;
}

function versionDays(days: SyncedAnalyticsDay[], versions: AnalyticsVersionEntry[], courseId: string, packageVersion: number): SyncedAnalyticsDay[] {
  const chosen = days.filter((d) => d.packageVersion === packageVersion);
  if (chosen.length === 0) {
    const have = versions.map((v) => `v${v.packageVersion}`).join(', ');
    throw new CoursewrightError('NOT_FOUND', `No analytics for version ${packageVersion} of course "${courseId}" in this studio${have ? `; versions with analytics: ${have}` : ' yet; `coursewright sync` pulls them from the server'}.`, { courseId, packageVersion });
  }
  return chosen;
}

export function courseAnalyticsView(store: Store, serverUrl: string | null, input: { courseId: string; packageVersion?: number }): StudioCourseAnalytics {
  const course = requireCourse(store, input.courseId);
  const days = serverUrl ? store.analytics.days(serverUrl, course.id) : [];
  const versions = versionsOf(store, course.id, days);
  const openSuggestions = serverUrl ? suggestionViews(store, serverUrl, { courseId: course.id, status: 'OPEN' }).length : 0;
  const syncedAt = serverUrl ? (store.analytics.cursor(serverUrl)?.syncedAt ?? null) : null;
  const empty: StudioCourseAnalytics = {
    courseId: course.id,
    courseTitle: course.title,
    versions,
    packageVersion: null,
    packageContentHash: null,
    from: null,
    to: null,
    funnel: null,
    learnersOverTime: [],
    lessons: [],
    quizzes: [],
    items: [],
    signals: [],
    openSuggestions,
    syncedAt,
  };
  const packageVersion = input.packageVersion ?? versions[0]?.packageVersion;
  if (packageVersion === undefined) return empty;
  const chosen = versionDays(days, versions, course.id, packageVersion);
  const last = chosen.at(-1)!;
  const signals = serverUrl ? store.analytics.signals(serverUrl, course.id).filter((s) => s.target.packageVersion === packageVersion && s.day === last.day) : [];
  return {
    ...empty,
    packageVersion,
    packageContentHash: last.packageContentHash,
    from: chosen[0]!.day,
    to: last.day,
    funnel: funnelTotals(chosen),
    learnersOverTime: chosen.map((d) => ({ day: d.day, activeLearners: d.funnel.activeLearners })),
    lessons: last.lessons.map((lesson) => ({
      ...lesson,
      timeVsEstimate: timeVsEstimate(lesson.medianMinutes, lesson.estimatedMinutes),
      flags: flagsWhere(signals, (t) => t.kind === 'lesson' && t.lessonId === lesson.lessonId),
      link: lessonLink(lesson.lessonId),
    })),
    quizzes: last.quizzes.map((quiz) => ({
      ...quiz,
      flags: flagsWhere(signals, (t) => t.kind === 'quiz' && t.quizItemId === quiz.quizItemId),
      link: { lessonId: quiz.lessonId, quizItemId: quiz.quizItemId, questionId: null },
    })),
    items: last.items.map((item) => ({
      ...item,
      flags: flagsWhere(signals, (t) => (t.kind === 'question' || t.kind === 'option') && t.quizItemId === item.quizItemId && t.questionId === item.questionId),
      link: { lessonId: item.lessonId, quizItemId: item.quizItemId, questionId: item.questionId },
    })),
    signals,
  };
}

export function compareView(store: Store, serverUrl: string | null, input: { courseId: string; versionA: number; versionB: number }): AnalyticsComparison {
  const a = courseAnalyticsView(store, serverUrl, { courseId: input.courseId, packageVersion: input.versionA });
  const b = courseAnalyticsView(store, serverUrl, { courseId: input.courseId, packageVersion: input.versionB });
  const side = (view: StudioCourseAnalytics) => ({ packageVersion: view.packageVersion!, packageContentHash: view.packageContentHash!, from: view.from!, to: view.to!, funnel: view.funnel! });
  const lessonNumbers = (l: StudioCourseAnalytics['lessons'][number]) => ({ views: l.views, completions: l.completions, dropOff: l.dropOff, dropOffRate: l.dropOffRate, medianMinutes: l.medianMinutes, timeVsEstimate: l.timeVsEstimate });
  const questionNumbers = (q: StudioCourseAnalytics['items'][number]) => ({ n: q.n, facility: q.facility, discrimination: q.discrimination, flags: q.flags });
  const lessonsB = new Map(b.lessons.map((l) => [l.lessonId, l]));
  // A revised quiz is a new content item, so questions are matched by their lesson and question id.
  const questionKey = (q: { lessonId: string; questionId: string }) => `${q.lessonId}\u0000${q.questionId}`;
  const itemsB = new Map(b.items.map((q) => [questionKey(q), q]));
  return {
    courseId: a.courseId,
    versionA: side(a),
    versionB: side(b),
    lessons: a.lessons.flatMap((la) => {
      const lb = lessonsB.get(la.lessonId);
      return lb ? [{ lessonId: la.lessonId, title: lb.title, a: lessonNumbers(la), b: lessonNumbers(lb), link: lb.link }] : [];
    }),
    questions: a.items.flatMap((qa) => {
      const qb = itemsB.get(questionKey(qa));
      return qb ? [{ lessonId: qb.lessonId, quizItemId: qb.quizItemId, questionId: qb.questionId, questionIndex: qb.questionIndex, a: questionNumbers(qa), b: questionNumbers(qb), link: qb.link }] : [];
    }),
  };
}

const deliveryOf = (decision: SuggestionDecision): StudioSuggestion['delivery'] => ({
  decision: decision.decision,
  reason: decision.reason,
  decidedBy: decision.decidedBy,
  decidedAt: decision.decidedAt,
  state: decision.state,
  attempts: decision.attempts,
  lastError: decision.lastError,
});

/** A suggestion with this studio's decision applied while it travels (a refused one leaves the server's status). */
export function suggestionView(suggestion: ContentSuggestion & { courseId: string }, decision: SuggestionDecision | undefined, courseTitle: string | null): StudioSuggestion {
  const { courseId: _courseId, ...server } = suggestion;
  const local = decision && decision.state !== 'refused' && suggestion.status === 'OPEN' ? decision : undefined;
  const target = suggestion.target;
  return {
    ...server,
    ...(local ? { status: statusOfDecision(local.decision), decidedBy: local.decidedBy, decidedAt: local.decidedAt, dismissReason: local.reason } : {}),
    courseTitle,
    link: target.lessonId ? { lessonId: target.lessonId, quizItemId: target.quizItemId, questionId: target.questionId } : null,
    delivery: decision ? deliveryOf(decision) : null,
  };
}

const statusOrder: Record<SuggestionStatus, number> = { OPEN: 0, ACCEPTED: 1, DISMISSED: 2 };

export function suggestionViews(store: Store, serverUrl: string, filter: { courseId?: string; status?: SuggestionStatus }): StudioSuggestion[] {
  const decisions = new Map(store.analytics.decisions(serverUrl).map((d) => [d.suggestionId, d]));
  const titles = new Map<string, string | null>();
  const titleOf = (courseId: string) => {
    if (!titles.has(courseId)) titles.set(courseId, store.courses.get(courseId)?.title ?? null);
    return titles.get(courseId)!;
  };
  return store.analytics
    .suggestions({ serverUrl, ...(filter.courseId ? { courseId: filter.courseId } : {}) })
    .map((s) => suggestionView(s, decisions.get(s.id), titleOf(s.courseId)))
    .filter((s) => !filter.status || s.status === filter.status)
    .sort((x, y) => statusOrder[x.status] - statusOrder[y.status] || x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id));
}
