import type { ContentItem } from '../../schemas/content.js';
import type { CourseStatus } from '../../schemas/course.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { findMissingPieces, requiredProjectModules, type MissingPiece } from './readiness.js';

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

export { requiredProjectModules };

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const listed = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/**
 * "3 quizzes in module 2 are not approved yet", or over several modules "4 quizzes are not
 * approved yet: 3 in module 2 and 1 in module 4". Three modules are named at most, the rest
 * counted, so a large course's sentence stays readable.
 */
function lessonGapSentence(one: string, many: string, gaps: MissingPiece[]): string {
  const byModule: Array<{ moduleNumber: number; count: number }> = [];
  for (const gap of gaps) {
    const last = byModule.at(-1);
    if (last && last.moduleNumber === gap.moduleNumber) last.count += 1;
    else byModule.push({ moduleNumber: gap.moduleNumber, count: 1 });
  }
  const verb = gaps.length === 1 ? 'is' : 'are';
  if (byModule.length === 1) return `${count(gaps.length, one, many)} in module ${byModule[0]!.moduleNumber} ${verb} not approved yet.`;
  const named = byModule.slice(0, byModule.length > 3 ? 3 : byModule.length).map((m) => `${m.count} in module ${m.moduleNumber}`);
  const rest = byModule.slice(named.length);
  if (rest.length) named.push(`${rest.reduce((sum, m) => sum + m.count, 0)} in ${rest.length} other modules`);
  return `${count(gaps.length, one, many)} are not approved yet: ${listed(named)}.`;
}

/** "The project of module 2 is not approved yet"; six modules named at most. */
function projectGapSentence(gaps: MissingPiece[]): string {
  if (gaps.length === 1) return `The project of module ${gaps[0]!.moduleNumber} is not approved yet.`;
  const numbers = gaps.slice(0, 6).map((g) => String(g.moduleNumber));
  if (gaps.length > 6) numbers.push(`${gaps.length - 6} more`);
  return `The projects of modules ${listed(numbers)} are not approved yet.`;
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
    // The same rule the package build refuses by (core/lifecycle/readiness.ts), over approved items only.
    const { missing } = findMissingPieces(approvedSyllabus.syllabus, facts.approvedContent);
    const lessonGaps = missing.filter((m) => m.kind === 'lesson');
    const quizGaps = missing.filter((m) => m.kind === 'quiz');
    const projectGaps = missing.filter((m) => m.kind === 'project');
    if (lessonGaps.length) unmet.push({ rule: 'lessons-approved', message: lessonGapSentence('lesson', 'lessons', lessonGaps) });
    if (quizGaps.length) unmet.push({ rule: 'quizzes-approved', message: lessonGapSentence('quiz', 'quizzes', quizGaps) });
    if (projectGaps.length) unmet.push({ rule: 'projects-approved', message: projectGapSentence(projectGaps) });
  }
  if (to === 'published' && facts.packagesBuilt === 0) {
    unmet.push({ rule: 'package-built', message: 'Publishing needs a course package built from the approved syllabus: build one on the Packages screen.' });
  }
  return { allowed: unmet.length === 0, unmet };
}
