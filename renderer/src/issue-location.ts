/**
 * Host validation names places by path ("modules.1.lessons.0.title: …"); designers think in
 * the outline's numbers ("Lesson 2.1 title: …"). Paths that are not about a module or lesson
 * pass through unchanged.
 */
export function describeIssueLocation(issue: string): string {
  return issue
    .replace(/^modules\.(\d+)\.lessons\.(\d+)\.?([\w.]*)/, (_m, mod: string, lesson: string, rest: string) => `Lesson ${Number(mod) + 1}.${Number(lesson) + 1}${rest ? ` ${rest.replaceAll('.', ' ')}` : ''}`)
    .replace(/^modules\.(\d+)\.?([\w.]*)/, (_m, mod: string, rest: string) => `Module ${Number(mod) + 1}${rest ? ` ${rest.replaceAll('.', ' ')}` : ''}`);
}
