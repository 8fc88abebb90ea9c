import MarkdownIt, { type Env, type Token } from 'markdown-it';
import { withoutForbiddenXmlCharacters } from './xml.js';

/**
 * Prose fields of lessons, quizzes and projects are stored as Markdown. Every learner-facing
 * export renders them through this module, so a lesson reads the same in the web player, a
 * Common Cartridge page and the PDF.
 *
 * What must stay true:
 * - Safe: raw HTML in the text is shown as text, never as markup; links go only to http, https
 *   or mailto addresses (a `javascript:` link is left as plain text); images never load (package
 *   exports carry no remote content), their description is shown instead.
 * - Deterministic: the same text always gives the same output (no linkify, no typographer, no ids).
 * - Text written before Markdown reads as before: single line breaks stay line breaks, blank
 *   lines separate paragraphs.
 */

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true, xhtmlOut: false });

/** The only link targets a learner may be sent to. */
export const isAllowedLinkTarget = (url: string): boolean => /^(https?:|mailto:)/i.test(url.trim());
markdown.validateLink = isAllowedLinkTarget;

/** Per render: `headingLevel` is what a Markdown `#` becomes, so headings in prose nest under the page's own. */
type RenderEnv = Env & { headingLevel: number };

const headingTag = (token: Token, env: Env | undefined) => `h${Math.min(6, (typeof env?.headingLevel === 'number' ? env.headingLevel : 3) + Number(token.tag.slice(1)) - 1)}`;
markdown.renderer.rules.heading_open = (tokens, idx, _options, env) => `<${headingTag(tokens[idx]!, env)}>`;
markdown.renderer.rules.heading_close = (tokens, idx, _options, env) => `</${headingTag(tokens[idx]!, env)}>\n`;
markdown.renderer.rules.image = (tokens, idx) => markdown.utils.escapeHtml(plainTextOf(tokens[idx]!.children ?? []));
markdown.renderer.rules.table_open = () => '<table class="prose-table">\n';
markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

export interface MarkdownHtmlOptions {
  /** The level a top-level Markdown heading (`#`) renders at; deeper ones follow, capped at h6. Default 3. */
  headingLevel?: number;
}

/** Markdown prose as an HTML fragment (block elements: paragraphs, lists, headings, tables, code). */
export function markdownToHtml(text: string, options: MarkdownHtmlOptions = {}): string {
  const env: RenderEnv = { headingLevel: options.headingLevel ?? 3 };
  return markdown.render(withoutForbiddenXmlCharacters(text), env).trimEnd();
}

/**
 * One paragraph of Markdown rendered as phrasing content (emphasis, code, links, line breaks), for
 * places only inline markup may go, such as a question's legend. Undefined when the text holds
 * more than one paragraph or any block (a list, a table, code): the caller then renders blocks.
 */
export function markdownInlineHtml(text: string): string | undefined {
  const tokens = markdown.parse(withoutForbiddenXmlCharacters(text), { headingLevel: 3 });
  const single = tokens.length === 3 && tokens[0]!.type === 'paragraph_open' && tokens[1]!.type === 'inline' && tokens[2]!.type === 'paragraph_close';
  if (!single) return tokens.length === 0 ? '' : undefined;
  return markdown.renderer.renderInline(tokens[1]!.children ?? [], markdown.options, { headingLevel: 3 });
}

/** A run of text and how it is emphasised, for writers that lay text out themselves (the PDF). */
export interface ProseRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
}

export type ProseBlock =
  | { kind: 'paragraph'; runs: ProseRun[]; depth: number }
  | { kind: 'heading'; runs: ProseRun[]; depth: number }
  | { kind: 'item'; marker: string; runs: ProseRun[]; depth: number }
  | { kind: 'code'; text: string; depth: number };

/**
 * Markdown prose as blocks of styled runs: paragraphs, headings, list items (with their bullet or
 * number and nesting depth) and code blocks. Table rows become one paragraph each, cells separated
 * by " | ", header cells bold; any other markup is dropped to its text, so no `**` or `#` ever
 * shows. A link keeps its text and shows its address after it when the two differ.
 */
export function markdownToBlocks(text: string): ProseBlock[] {
  const tokens = markdown.parse(withoutForbiddenXmlCharacters(text), { headingLevel: 3 });
  const blocks: ProseBlock[] = [];
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let quoteDepth = 0;
  let pendingMarker: string | undefined;
  let heading = false;
  let row: ProseRun[] | undefined;
  let headerCell = false;
  const depth = () => lists.length + quoteDepth;

  for (const token of tokens) {
    switch (token.type) {
      case 'bullet_list_open':
        lists.push({ ordered: false, next: 1 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists.at(-1)!;
        pendingMarker = list.ordered ? `${list.next++}.` : '•';
        break;
      }
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'heading_open':
        heading = true;
        break;
      case 'heading_close':
        heading = false;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'th_open':
      case 'td_open':
        headerCell = token.type === 'th_open';
        if (row && row.length) row.push({ text: ' | ' });
        break;
      case 'tr_close':
        if (row && row.some((r) => r.text.trim())) blocks.push({ kind: 'paragraph', runs: row, depth: depth() });
        row = undefined;
        break;
      case 'code_block':
      case 'fence':
        blocks.push({ kind: 'code', text: token.content.replace(/\n$/, ''), depth: depth() });
        break;
      case 'inline': {
        const runs = inlineRuns(token.children ?? []);
        if (row) {
          row.push(...runs.map((r) => (headerCell ? { ...r, bold: true } : r)));
          break;
        }
        if (!runs.length) break;
        if (heading) blocks.push({ kind: 'heading', runs: runs.map((r) => ({ ...r, bold: true })), depth: depth() });
        else if (pendingMarker !== undefined) blocks.push({ kind: 'item', marker: pendingMarker, runs, depth: depth() });
        else blocks.push({ kind: 'paragraph', runs, depth: depth() });
        pendingMarker = undefined;
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

function inlineRuns(children: Token[]): ProseRun[] {
  const runs: ProseRun[] = [];
  let bold = 0;
  let italic = 0;
  let linkTarget: string | undefined;
  let linkText = '';
  const push = (text: string, extra: Partial<ProseRun> = {}) => {
    if (!text) return;
    const run: ProseRun = { text, ...(bold ? { bold: true } : {}), ...(italic ? { italic: true } : {}), ...extra };
    const last = runs.at(-1);
    if (last && last.bold === run.bold && last.italic === run.italic && last.code === run.code) last.text += text;
    else runs.push(run);
    if (linkTarget !== undefined) linkText += text;
  };
  for (const child of children) {
    switch (child.type) {
      case 'text':
        push(child.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        push('\n');
        break;
      case 'code_inline':
        push(child.content, { code: true });
        break;
      case 'strong_open':
        bold++;
        break;
      case 'strong_close':
        bold--;
        break;
      case 'em_open':
        italic++;
        break;
      case 'em_close':
        italic--;
        break;
      case 'link_open':
        linkTarget = String(child.attrGet('href') ?? '');
        linkText = '';
        break;
      case 'link_close': {
        const target = linkTarget ?? '';
        linkTarget = undefined;
        const shown = target.replace(/^mailto:/i, '');
        if (shown && shown !== linkText.trim()) push(` (${shown})`);
        break;
      }
      case 'image':
        push(plainTextOf(child.children ?? []));
        break;
      default:
        push(child.content);
        break;
    }
  }
  return runs;
}

function plainTextOf(children: Token[]): string {
  return children.map((c) => (c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : c.type === 'image' ? plainTextOf(c.children ?? []) : c.content)).join('');
}

/** Markdown prose as one line of plain text, for places that hold no layout (an answer key entry). */
export function markdownToPlainText(text: string): string {
  return markdownToBlocks(text)
    .map((block) => (block.kind === 'code' ? block.text : `${block.kind === 'item' ? `${block.marker} ` : ''}${block.runs.map((r) => r.text).join('')}`))
    .join(' ')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
