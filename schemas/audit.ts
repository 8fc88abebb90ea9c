import { z } from 'zod';

/** The audit taxonomy. Adding an action is fine; renaming one breaks old logs, so don't. */
export const AuditAction = z.enum([
  'course.created',
  'syllabus.generated',
  'syllabus.generation_failed',
  'syllabus.edited',
  'syllabus.revised',
  'syllabus.submitted',
  'syllabus.approved',
  'syllabus.rejected',
  'settings.changed',
  'content.generated',
  'content.generation_failed',
  'content.regenerated',
  'content.submitted',
  'content.opened',
  'content.approved',
  'content.rejected',
  /** A person saved a lesson, quiz or project by hand as a new draft version. */
  'content.edited',
  'course.transitioned',
  'package.built',
  'package.archived',
  'package.exported',
  /** Managing courses as a whole (core/courses/manage.ts). */
  'course.intent_updated',
  'course.duplicated',
  'course.archived',
  'course.restored',
  'course.deleted',
  /** Review comments: written on an item or one block of it, and threads resolved or reopened. */
  'review.commented',
  'review.comment_resolved',
  'review.comment_reopened',
  /** Publishing to a hosted learner server (core/sync): a package queued, sent, refused, and each outbox run with its counts. */
  'sync.queued',
  'sync.sent',
  'sync.failed',
  'sync.run',
  /** Learner analytics (core/analytics-sync): a pull from the server's change feed that changed something, suggestions decided here, and each decision's delivery to the server or its refusal there. */
  'analytics.synced',
  'suggestion.accepted',
  'suggestion.dismissed',
  'suggestion.delivered',
  'suggestion.delivery_refused',
  /** Regeneration jobs (core/regeneration): created, triggered, claimed by a worker (locked), started, and how each ended; retry intents and their decision. */
  'job.created',
  'job.triggered',
  'job.locked',
  'job.started',
  'job.completed',
  'job.failed',
  'retry_intent.created',
  'retry_intent.consumed',
  'retry_intent.rejected',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntityType = z.enum(['course', 'syllabus_version', 'settings', 'content_item', 'course_package', 'sync_outbox', 'content_suggestion', 'analytics_sync', 'regeneration_job', 'retry_intent']);
export type AuditEntityType = z.infer<typeof AuditEntityType>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: AuditAction,
  entityType: AuditEntityType,
  entityId: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at?: string };
