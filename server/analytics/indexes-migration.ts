/**
 * Indexes for the aggregation's reads (server migration 5). Added after the analytics tables
 * (migration 4), which stays as released.
 *
 * attempts_first_per_learner: a learner's first attempt at a quiz of one package version is the
 * first entry of (quiz, learner) in this order, so `DISTINCT ON (quiz_item_id, user_id)` reads the
 * index in order (an index-only scan on a vacuumed table) instead of sorting every attempt of the
 * course. Its column order must match that query's ORDER BY (server/analytics/gather.ts).
 */
export const analyticsIndexesMigrationSql = `
CREATE INDEX attempts_first_per_learner ON attempts (tenant_id, course_id, package_version, quiz_item_id, user_id, created_at, id);
`;
