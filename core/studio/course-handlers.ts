import { createCourseManagement } from '../courses/manage.js';
import type { Clock, Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

type CourseManagementOperations = 'courses.list' | 'courses.updateIntent' | 'courses.duplicate' | 'courses.archive' | 'courses.restore' | 'courses.delete';

/** The course list and course-wide changes, for every transport; the actor comes from settings. */
export function createCourseManagementHandlers(context: { store: Store; actor: () => string; clock?: Clock }): Pick<StudioHandlers, CourseManagementOperations> {
  const courses = createCourseManagement({ store: context.store, ...(context.clock ? { clock: context.clock } : {}) });
  return {
    'courses.list': (query) => courses.list(query),
    'courses.updateIntent': ({ courseId, intent }) => courses.updateIntent(courseId, intent, context.actor()),
    'courses.duplicate': ({ courseId, includeSyllabus }) => courses.duplicate(courseId, { includeSyllabus: includeSyllabus ?? false }, context.actor()),
    'courses.archive': ({ courseId }) => courses.archive(courseId, context.actor()),
    'courses.restore': ({ courseId }) => courses.restore(courseId, context.actor()),
    'courses.delete': ({ courseId }) => courses.deleteCourse(courseId, context.actor()),
  };
}
