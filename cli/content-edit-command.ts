import type { Command } from 'commander';
import { createContentEditor } from '../core/content/edit.js';
import type { CommandContext } from './content-commands.js';
import { readJsonFile } from './read-json-file.js';

/**
 * `content edit ID --file FILE`: a lesson, quiz or project edited in a text editor becomes the
 * next draft version, checked exactly as model output is (exit 3 naming each field when it is not
 * valid, 5 when it changes nothing or the version cannot be edited).
 */
export function registerContentEditCommand(content: Command, context: Pick<CommandContext, 'session' | 'print'>): void {
  content
    .command('edit')
    .description('save an edited lesson, quiz or project as a new draft version (the old one stays)')
    .argument('<id>', 'content item id to edit')
    .requiredOption('--file <file>', 'the edited content JSON (or the output of `content show ID --json`)')
    .option('--by <name>', 'who is editing')
    .action((id: string, opts: { file: string; by?: string }, cmd: Command) => {
      const session = context.session(cmd);
      const input = readJsonFile(opts.file, 'content');
      // `show --json` prints the whole item; accept it so show → edit round-trips.
      const edited = input && typeof input === 'object' && 'content' in input && 'metadata' in input ? (input as { content: unknown }).content : input;
      const item = createContentEditor({ store: session.store }).editContent(id, edited, session.actor(opts.by));
      context.print(cmd, item, () => `Saved ${item.kind} ${item.targetId} v${item.version} (${item.id}) as a draft, based on ${id}.`);
    });
}
