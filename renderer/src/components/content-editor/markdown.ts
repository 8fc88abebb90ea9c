import MarkdownIt from 'markdown-it';

/**
 * Markdown as the studio previews it. Raw HTML in the text is shown as text, never run or
 * rendered (`html: false`), and markdown-it's link check drops javascript:, vbscript: and most
 * data: links, so a preview of anyone's text cannot reach outside the page.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

export const renderMarkdown = (text: string): string => markdown.render(text);

/** A change the toolbar makes to a textarea: the new text and the selection to restore. */
export interface TextEdit {
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

export type MarkdownAction = 'heading' | 'bold' | 'italic' | 'bulleted' | 'numbered' | 'link' | 'code' | 'table';

function wrap(text: string, start: number, end: number, before: string, after: string, placeholder: string): TextEdit {
  const selected = text.slice(start, end) || placeholder;
  const next = `${text.slice(0, start)}${before}${selected}${after}${text.slice(end)}`;
  return { text: next, selectionStart: start + before.length, selectionEnd: start + before.length + selected.length };
}

/** Puts `prefix(i)` at the start of every line the selection touches. */
function prefixLines(text: string, start: number, end: number, prefix: (index: number) => string): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEndIndex = text.indexOf('\n', end);
  const lineEnd = lineEndIndex === -1 ? text.length : lineEndIndex;
  const lines = text.slice(lineStart, lineEnd).split('\n');
  const replaced = lines.map((line, i) => `${prefix(i)}${line}`).join('\n');
  const next = `${text.slice(0, lineStart)}${replaced}${text.slice(lineEnd)}`;
  return { text: next, selectionStart: lineStart, selectionEnd: lineStart + replaced.length };
}

const tableTemplate = '| Column | Column |\n| --- | --- |\n| Cell | Cell |\n';

/** What each toolbar button does to the text and the selection. */
export function applyMarkdown(action: MarkdownAction, text: string, start: number, end: number): TextEdit {
  switch (action) {
    case 'heading':
      return prefixLines(text, start, end, () => '## ');
    case 'bold':
      return wrap(text, start, end, '**', '**', 'bold text');
    case 'italic':
      return wrap(text, start, end, '_', '_', 'emphasised text');
    case 'bulleted':
      return prefixLines(text, start, end, () => '- ');
    case 'numbered':
      return prefixLines(text, start, end, (i) => `${i + 1}. `);
    case 'link': {
      const label = text.slice(start, end) || 'link text';
      const next = `${text.slice(0, start)}[${label}](https://)${text.slice(end)}`;
      const urlStart = start + label.length + 3;
      return { text: next, selectionStart: urlStart, selectionEnd: urlStart + 'https://'.length };
    }
    case 'code':
      return text.slice(start, end).includes('\n') ? wrap(text, start, end, '```\n', '\n```', 'code') : wrap(text, start, end, '`', '`', 'code');
    case 'table': {
      const before = start > 0 && text[start - 1] !== '\n' ? '\n\n' : '';
      const next = `${text.slice(0, start)}${before}${tableTemplate}${text.slice(end)}`;
      const at = start + before.length;
      return { text: next, selectionStart: at + 2, selectionEnd: at + 8 };
    }
  }
}
