import { Option, type Command } from 'commander';
import { createCourseManagement } from '../core/courses/manage.js';
import type { Store } from '../core/ports.js';
import type { CourseListEntry, CourseStatus } from '../schemas/course.js';
import { CoursewrightError } from '../schemas/errors.js';
import { readJsonFile } from './read-json-file.js';

export interface CourseCommandContext {
  session: (cmd: Command) => { store: Store; actor: (flag?: string) => string };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

function listLine(course: CourseListEntry): string {
  return `${course.id}  ${course.status.padEnd(9)}  ${course.title}${course.archivedAt ? `  (archived ${course.archivedAt.slice(0, 10)})` : ''}`;
}

/**
 * `course list|update|duplicate|archive|restore|delete`: the course list and course-wide changes.
 * Registered on the `course` group of cli/main.ts.
 */
export function registerCourseCommands(course: Command, context: CourseCommandContext): void {
  const { session, print } = context;
  const managerFor = (cmd: Command) => {
    const s = session(cmd);
    return { courses: createCourseManagement({ store: s.store }), actor: s.actor };
  };

  course
    .command('list')
    .description('list courses, newest first; archived courses only with --archived or --all')
    .option('--archived', 'only archived courses')
    .option('--all', 'archived courses too')
    .addOption(new Option('--status <status>', 'only courses in this lifecycle state').choices(['draft', 'review', 'ready', 'published', 'retired']))
    .addOption(new Option('--sort <order>', 'order of the list').choices(['newest', 'updated', 'title', 'status']).default('newest'))
    .action((opts: { archived?: boolean; all?: boolean; status?: CourseStatus; sort: 'newest' | 'updated' | 'title' | 'status' }, cmd: Command) => {
      if (opts.archived && opts.all) throw new CoursewrightError('USAGE', 'Use either --archived (only archived courses) or --all (every course), not both.');
      const { courses } = managerFor(cmd);
      const archived = opts.all ? 'include' : opts.archived ? 'only' : 'exclude';
      const entries = courses.list({ archived, sort: opts.sort, ...(opts.status ? { status: opts.status } : {}) });
      print(cmd, entries, () => {
        if (entries.length > 0) return entries.map(listLine).join('\n');
        if (archived === 'only') return 'No archived courses.';
        const hidden = courses.list({ archived: 'only' }).length;
        const none = opts.status ? `No ${opts.status} courses.` : 'No courses yet. Create one with `coursewright course create --intent FILE` (or try `coursewright demo`).';
        return hidden ? `${none} ${hidden} archived course${hidden === 1 ? ' is' : 's are'} hidden: \`coursewright course list --archived\`.` : none;
      });
    });

  course
    .command('update')
    .description("replace a course's learning intent; the next `syllabus generate` follows it")
    .argument('<course>', 'course id')
    .requiredOption('--intent <file>', 'learning intent JSON file')
    .option('--by <name>', 'who is changing it')
    .action((courseId: string, opts: { intent: string; by?: string }, cmd: Command) => {
      const { courses, actor } = managerFor(cmd);
      const updated = courses.updateIntent(courseId, readJsonFile(opts.intent, 'intent'), actor(opts.by));
      print(cmd, updated, () => `Updated the intent of ${updated.id}: ${updated.title}\nNext: coursewright syllabus generate ${updated.id}`);
    });

  course
    .command('duplicate')
    .description('copy a course: its intent, and with --with-syllabus its latest syllabus as a new draft (never approvals)')
    .argument('<course>', 'course id')
    .option('--with-syllabus', 'copy the latest syllabus version as the copy\'s first draft')
    .option('--by <name>', 'who is copying it')
    .action((courseId: string, opts: { withSyllabus?: boolean; by?: string }, cmd: Command) => {
      const { courses, actor } = managerFor(cmd);
      const copy = courses.duplicate(courseId, { includeSyllabus: opts.withSyllabus === true }, actor(opts.by));
      print(cmd, copy, () => `Created course ${copy.course.id}: ${copy.course.title}${copy.syllabusVersion ? `\nWith syllabus draft v1 (${copy.syllabusVersion.id}) copied from the original.` : ''}`);
    });

  course
    .command('archive')
    .description('hide a course from the course list (nothing is lost; restore brings it back)')
    .argument('<course>', 'course id')
    .option('--by <name>', 'who is archiving it')
    .action((courseId: string, opts: { by?: string }, cmd: Command) => {
      const { courses, actor } = managerFor(cmd);
      const archived = courses.archive(courseId, actor(opts.by));
      print(cmd, archived, () => `Archived ${archived.id}: ${archived.title}. Bring it back with \`coursewright course restore ${archived.id}\`.`);
    });

  course
    .command('restore')
    .description('show an archived course in the course list again')
    .argument('<course>', 'course id')
    .option('--by <name>', 'who is restoring it')
    .action((courseId: string, opts: { by?: string }, cmd: Command) => {
      const { courses, actor } = managerFor(cmd);
      const restored = courses.restore(courseId, actor(opts.by));
      print(cmd, restored, () => `Restored ${restored.id}: ${restored.title}.`);
    });

  course
    .command('delete')
    .description('delete a course that never had an approved version, content or package (its audit log stays)')
    .argument('<course>', 'course id')
    .option('--by <name>', 'who is deleting it')
    .action((courseId: string, opts: { by?: string }, cmd: Command) => {
      const { courses, actor } = managerFor(cmd);
      const deleted = courses.deleteCourse(courseId, actor(opts.by));
      const { syllabusVersions, contentItems } = deleted.removed;
      print(cmd, deleted, () => `Deleted ${deleted.courseId}: ${deleted.title} (${syllabusVersions} syllabus draft${syllabusVersions === 1 ? '' : 's'}, ${contentItems} content draft${contentItems === 1 ? '' : 's'}). Its audit log stays: \`coursewright audit ${deleted.courseId}\`.`);
    });
}
