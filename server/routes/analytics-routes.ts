import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AnalyticsChanges, ContentSuggestion, CourseAnalytics, DismissSuggestion, FunnelAnalytics, ItemAnalytics, SignalRule, AnalyticsSignal } from '../../schemas/analytics.js';
import { AnalyticsChangesQuery, AnalyticsCourseParams, AnalyticsRangeQuery, AnalyticsRun, AnalyticsRunRequest, SignalsQuery, SuggestionList, SuggestionParams, SuggestionsQuery } from '../analytics-contract.js';
import { aggregateDay, checkDay, defaultAggregationSettings, utcDay, type AggregationSettings } from '../analytics/aggregate.js';
import { rowsOf } from '../analytics/gather.js';
import { analyticsChanges, chooseVersion, courseAnalytics, currentSignals, funnelAnalytics, itemAnalytics, listSuggestions, suggestionById, suggestionColumns, suggestionOf } from '../analytics/reads.js';
import { analyticsSignalRules } from '../analytics/signals.js';
import { lockTenantChanges } from '../analytics/storage.js';
import type { ServerDb } from '../db/connection.js';
import { ApiError, notFound } from '../http/errors.js';
import { actorOf, defineRoute, type Principal, type RouteDefinition } from '../http/routes.js';
import { recordAudit } from '../store/audit.js';

/**
 * Who reads and decides what:
 * - running the aggregation now is an operator's act: admin keys only;
 * - the aggregate read models (course, funnel, items) are for analysts and admins, as the
 *   contract says;
 * - signals, the rule thresholds, suggestions and the change feed are also for authors: the
 *   studio syncs with its author key, and designers are the ones who act on suggestions;
 * - accepting or dismissing a suggestion decides what content to rework, which is a designer's
 *   call: authors and admins. Analysts observe; learners reach none of these routes.
 */
const readers = ['analyst', 'admin'] as const;
const studio = ['author', 'analyst', 'admin'] as const;
const deciders = ['author', 'admin'] as const;

export function analyticsRoutes(db: ServerDb, settings: AggregationSettings = defaultAggregationSettings): RouteDefinition[] {
  const decide = async (principal: Principal, id: string, decision: { status: 'ACCEPTED' | 'DISMISSED'; reason: string | null }, log: Parameters<typeof recordAudit>[2]): Promise<ContentSuggestion> => {
    const tenantId = principal.tenantId;
    const actor = actorOf(principal);
    return db.transaction(async (txn) => {
      const tx = txn as unknown as ServerDb;
      await lockTenantChanges(tx, tenantId);
      const [updated] = await rowsOf<Record<string, unknown>>(
        tx,
        sql`UPDATE analytics_suggestions SET status = ${decision.status}, decided_by = ${actor}, decided_at = now(), dismiss_reason = ${decision.reason}, change_seq = nextval('analytics_change_seq')
            WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'OPEN'
            RETURNING ${suggestionColumns}`,
      );
      if (!updated) {
        const earlier = await suggestionById(tx, tenantId, id);
        if (!earlier) throw notFound(`Suggestion "${id}"`);
        const when = earlier.decidedAt ?? 'an earlier time';
        throw new ApiError(
          'CONFLICT',
          `Suggestion "${id}" was already ${earlier.status === 'ACCEPTED' ? 'accepted' : 'dismissed'} by ${earlier.decidedBy} at ${when}${earlier.dismissReason ? ` (reason: ${earlier.dismissReason})` : ''}; a decision is final.`,
          { status: earlier.status, decidedBy: earlier.decidedBy, decidedAt: earlier.decidedAt, dismissReason: earlier.dismissReason },
        );
      }
      const suggestion = suggestionOf(updated);
      await recordAudit(
        tx,
        { tenantId, actor, action: decision.status === 'ACCEPTED' ? 'suggestion.accepted' : 'suggestion.dismissed', entityType: 'suggestion', entityId: id, metadata: { courseId: suggestion.target.courseId, kind: suggestion.kind, signalType: suggestion.signalType, packageVersion: suggestion.target.packageVersion, ...(decision.reason ? { reason: decision.reason } : {}) } },
        log,
      );
      return suggestion;
    });
  };

  return [
    defineRoute({
      method: 'POST',
      url: '/api/admin/analytics/run',
      access: 'admin',
      tag: 'analytics',
      summary: "Compute a day's aggregates, signals and suggestions now, for one course or every live course of the tenant (idempotent: the same data gives the same rows)",
      body: AnalyticsRunRequest,
      success: { status: 200, schema: AnalyticsRun },
      errors: ['NOT_FOUND'],
      handler: async ({ body, principal, request }) => {
        const day = body.date ?? utcDay(new Date());
        const problem = checkDay(day);
        if (problem) throw new ApiError('INVALID_INPUT', `date: ${problem}.`);
        if (body.courseId) await chooseVersion(db, principal.tenantId, body.courseId, undefined);
        const outcomes = await aggregateDay({ db }, { tenantId: principal.tenantId, courseId: body.courseId }, day, settings);
        await recordAudit(db, { tenantId: principal.tenantId, actor: actorOf(principal), action: 'analytics.aggregated', entityType: 'analytics', entityId: body.courseId ?? '*', metadata: { day, courses: outcomes.length, written: outcomes.filter((o) => o.written).length } }, request.log);
        return { day, inactiveAfterDays: settings.inactiveAfterDays, runs: outcomes.map(({ tenantId: _tenant, day: _day, ...run }) => run) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/analytics/course/:courseId',
      access: readers,
      tag: 'analytics',
      summary: 'One course version (default: live) over a date range: funnel totals, active learners by day, and per-lesson views, completions, drop-off and time against the estimate',
      params: AnalyticsCourseParams,
      query: AnalyticsRangeQuery,
      success: { status: 200, schema: CourseAnalytics },
      errors: ['NOT_FOUND'],
      handler: async ({ params, query, principal }) => courseAnalytics(db, principal.tenantId, params.courseId, await chooseVersion(db, principal.tenantId, params.courseId, query.version), query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/analytics/funnel/:courseId',
      access: readers,
      tag: 'analytics',
      summary: 'The daily funnel course_viewed → enrolled → started → completed (and purchased for paid courses) of one course version',
      params: AnalyticsCourseParams,
      query: AnalyticsRangeQuery,
      success: { status: 200, schema: FunnelAnalytics },
      errors: ['NOT_FOUND'],
      handler: async ({ params, query, principal }) => funnelAnalytics(db, principal.tenantId, params.courseId, await chooseVersion(db, principal.tenantId, params.courseId, query.version), query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/analytics/items/:courseId',
      access: readers,
      tag: 'analytics',
      summary: "Item analysis of one course version's quizzes over learners' first attempts, as of the range's last computed day",
      params: AnalyticsCourseParams,
      query: AnalyticsRangeQuery,
      success: { status: 200, schema: ItemAnalytics },
      errors: ['NOT_FOUND'],
      handler: async ({ params, query, principal }) => itemAnalytics(db, principal.tenantId, params.courseId, await chooseVersion(db, principal.tenantId, params.courseId, query.version), query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/signals',
      access: studio,
      tag: 'analytics',
      summary: "The current signals (each course's latest computed day), for one course or all",
      query: SignalsQuery,
      success: { status: 200, schema: z.array(AnalyticsSignal) },
      handler: ({ query, principal }) => currentSignals(db, principal.tenantId, query.courseId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/signal-rules',
      access: studio,
      tag: 'analytics',
      summary: 'The signal rules: for each signal type its minimum n, threshold and severity',
      success: { status: 200, schema: z.array(SignalRule) },
      handler: () => analyticsSignalRules(),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/suggestions',
      access: studio,
      tag: 'analytics',
      summary: 'Content suggestions, oldest first, by course and status',
      query: SuggestionsQuery,
      success: { status: 200, schema: SuggestionList },
      handler: ({ query, principal }) => listSuggestions(db, principal.tenantId, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/admin/suggestions/:id/accept',
      access: deciders,
      tag: 'analytics',
      summary: 'Accept a suggestion (OPEN → ACCEPTED, once; audited). A second decision is refused with 409 naming the first',
      params: SuggestionParams,
      success: { status: 200, schema: ContentSuggestion },
      errors: ['NOT_FOUND', 'CONFLICT'],
      handler: ({ params, principal, request }) => decide(principal, params.id, { status: 'ACCEPTED', reason: null }, request.log),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/admin/suggestions/:id/dismiss',
      access: deciders,
      tag: 'analytics',
      summary: 'Dismiss a suggestion with a reason (OPEN → DISMISSED, once; audited). A second decision is refused with 409 naming the first',
      params: SuggestionParams,
      body: DismissSuggestion,
      success: { status: 200, schema: ContentSuggestion },
      errors: ['NOT_FOUND', 'CONFLICT'],
      handler: ({ params, body, principal, request }) => decide(principal, params.id, { status: 'DISMISSED', reason: body.reason }, request.log),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/admin/analytics/changes',
      access: studio,
      tag: 'analytics',
      summary: 'Aggregates (whole days), signals and suggestions changed after the cursor, and the cursor to pass next time; the same cursor again returns nothing new',
      query: AnalyticsChangesQuery,
      success: { status: 200, schema: AnalyticsChanges },
      handler: ({ query, principal }) =>
        // One snapshot for the whole answer, so a day recomputed meanwhile never arrives half old, half new.
        db.transaction((tx) => analyticsChanges(tx as unknown as ServerDb, principal.tenantId, query.since), { isolationLevel: 'repeatable read', accessMode: 'read only' }),
    }),
  ];
}
