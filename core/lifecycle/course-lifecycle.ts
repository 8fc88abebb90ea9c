import type { ContentItem } from '../../schemas/content.js';
import type { CourseStatus } from '../../schemas/course.js';
import type { Syllabus } from '../../schemas/syllabus.js';

/** Forward moves are guarded by rules; a step back (to rework) is always allowed, retired is final. */
export const courseTransitions: Record<CourseStatus, CourseStatus[]> = {
  draft: ['review'],
  review: ['ready', 'draft'],
  ready: ['published', 'review'],
  published: ['retired'],
  retired: [],
};

export interface LifecycleFacts {
  approvedSyllabus: { id: string; version: number; syllabus: Syllabus } | undefined;
  /** Approved content items of that syllabus version. */
  approvedContent: ContentItem[];
  /** Published packages built from the approved syllabus version. */
  packagesBuilt: number;
}

export interface UnmetRule {
  rule: string;
  message: string;
}

/** Modules whose projects the course needs: those whose lessons ask for one, else every module. */
export function requiredProjectModules(syllabus: Syllabus): string[] {
  const asked = syllabus.modules.filter((m) => m.lessons.some((l) => l.assessmentHooks.some((h) => h.kind === 'project'))).map((m) => m.id);
  return asked.length ? asked : syllabus.modules.map((m) => m.id);
}

/** "2 quizzes not approved yet: l1, l3": at most six ids named, so a large course's message stays readable. */
function missing(one: string, many: string, ids: string[]): string {
  return `${ids.length} ${ids.length === 1 ? one : many} not approved yet: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ` and ${ids.length - 6} more` : ''}`;
}

/** Every rule the move to `to` must meet, with each unmet one explained. */
export function evaluateTransition(from: CourseStatus, to: CourseStatus, facts: LifecycleFacts): { allowed: boolean; unmet: UnmetRule[] } {
  if (!courseTransitions[from].includes(to)) {
    const next = courseTransitions[from];
    return { allowed: false, unmet: [{ rule: 'legal-transition', message: `A ${from} course can move only to ${next.length ? next.join(' or ') : 'nothing: retired is final'}.` }] };
  }
  const unmet: UnmetRule[] = [];
  const approvedSyllabus = facts.approvedSyllabus;
  if (to === 'review' || to === 'ready') {
    if (!approvedSyllabus) unmet.push({ rule: 'approved-syllabus', message: 'The course needs an approved syllabus version: submit one and have it approved.' });
  }
  if (to === 'ready' && approvedSyllabus) {
    const approved = new Set(facts.approvedContent.map((c) => `${c.kind}:${c.targetId}`));
    const lessons = approvedSyllabus.syllabus.modules.flatMap((m) => m.lessons.map((l) => l.id));
    const lessonGaps = lessons.filter((id) => !approved.has(`lesson:${id}`));
    const quizGaps = lessons.filter((id) => !approved.has(`quiz:${id}`));
    const projectGaps = requiredProjectModules(approvedSyllabus.syllabus).filter((id) => !approved.has(`project:${id}`));
    if (lessonGaps.length) unmet.push({ rule: 'lessons-approved', message: `Every lesson needs approved lesson content; ${missing('lesson', 'lessons', lessonGaps)}.` });
    if (quizGaps.length) unmet.push({ rule: 'quizzes-approved', message: `Every lesson needs an approved quiz; ${missing('quiz', 'quizzes', quizGaps)}.` });
    if (projectGaps.length) unmet.push({ rule: 'projects-approved', message: `Every required project must be approved; ${missing('project', 'projects', projectGaps)}.` });
  }
  if (to === 'published' && facts.packagesBuilt === 0) {
    unmet.push({ rule: 'package-built', message: 'Publishing needs a course package built from the approved syllabus: build one on the Packages page or with `coursewright package build COURSE`.' });
  }
  return { allowed: unmet.length === 0, unmet };
}
