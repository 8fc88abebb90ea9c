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
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntityType = z.enum(['course', 'syllabus_version', 'settings', 'content_item', 'course_package', 'sync_outbox']);
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
