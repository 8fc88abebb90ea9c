import { Option, type Command } from 'commander';
import type { Store } from '../core/ports.js';
import { createSearch } from '../core/search/search.js';
import { CoursewrightError, describeZodIssues } from '../schemas/errors.js';
import { SearchKind, SearchQueryInput, searchKindLabel, type SearchHit, type SearchResult } from '../schemas/search.js';

export interface SearchCommandContext {
  session: (cmd: Command) => { store: Store };
  print: (cmd: Command, value: unknown, human: () => string) => void;
}

/** A snippet with the matched words in [brackets], on one line. */
export function snippetLine(hit: SearchHit): string {
  return hit.snippet
    .map((part) => (part.match ? `[${part.text}]` : part.text))
    .join('')
    .replace(/\s+/gu, ' ')
    .trim();
}

export function formatSearchResult(result: SearchResult): string {
  if (result.hits.length === 0) return `Nothing matches "${result.query}". Try fewer or shorter words.`;
  const width = Math.max(...result.hits.map((h) => searchKindLabel[h.kind].length));
  return result.hits
    .map((hit) => {
      const indent = ' '.repeat(width + 2);
      return [`${searchKindLabel[hit.kind].padEnd(width)}  ${hit.id}  ${hit.title}`, `${indent}in ${hit.where.label}`, `${indent}${snippetLine(hit)}`].join('\n');
    })
    .join('\n\n');
}

/** `search QUERY [--course C] [--kind K…] [--limit N]`: the studio's search from a terminal. */
export function registerSearchCommand(program: Command, context: SearchCommandContext): void {
  const { session, print } = context;
  program
    .command('search')
    .description('find courses, syllabus lessons, lessons, quiz questions, projects and audit entries (latest versions only)')
    .argument('<words...>', 'what to look for; every word must occur, the last one may be the start of a word')
    .option('--course <id>', 'search only this course')
    .addOption(new Option('--kind <kinds...>', 'only hits of these kinds').choices(SearchKind.options))
    .option('--limit <n>', 'at most this many hits (1–200, default 20)')
    .action((words: string[], opts: { course?: string; kind?: SearchKind[]; limit?: string }, cmd: Command) => {
      const limit = opts.limit === undefined ? undefined : Number(opts.limit);
      const parsed = SearchQueryInput.safeParse({ query: words.join(' '), ...(opts.course ? { courseId: opts.course } : {}), ...(opts.kind ? { kinds: opts.kind } : {}), ...(limit === undefined ? {} : { limit }) });
      if (!parsed.success) throw new CoursewrightError('INVALID_INPUT', `Cannot search: ${describeZodIssues(parsed.error).join('; ')}`);
      const result = createSearch({ store: session(cmd).store }).search(parsed.data);
      print(cmd, result, () => formatSearchResult(result));
    });
}
