import type { Command } from 'commander';
import { createLineage } from '../core/lineage/lineage.js';
import type { Store } from '../core/ports.js';
import type { Lineage } from '../schemas/lineage.js';

export interface LineageCommandContext {
  session: (cmd: Command) => { store: Store };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

/** The headline, then one numbered line per step with its time; links as the id to follow. */
export function formatLineage(lineage: Lineage): string {
  const { subject } = lineage;
  const width = String(lineage.steps.length).length;
  return [
    lineage.headline,
    `${subject.id} · ${subject.status.toLowerCase().replace('_', ' ')} · course “${subject.courseTitle}” (${subject.courseId})`,
    '',
    ...lineage.steps.map((step, index) => {
      const when = step.at ? `${step.at.slice(0, 16).replace('T', ' ')}  ` : '';
      const follow = step.link && step.link.kind !== 'course' ? `  [${step.link.id}]` : '';
      return `${String(index + 1).padStart(width)}. ${when}${step.summary}${follow}`;
    }),
  ].join('\n');
}

/** `lineage ID`: where a lesson, quiz, project or syllabus version came from, and what followed it. */
export function registerLineageCommand(program: Command, context: LineageCommandContext): void {
  program
    .command('lineage')
    .description('where a lesson, quiz, project or syllabus version came from: intent, syllabus, model call or edit, review, packages, signals, suggestions, jobs, next version')
    .argument('<id>', 'a content item version id or a syllabus version id')
    .action((id: string, _opts, cmd: Command) => {
      const lineage = createLineage({ store: context.session(cmd).store }).show(id);
      context.print(cmd, lineage, () => formatLineage(lineage));
    });
}
