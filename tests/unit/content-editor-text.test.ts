import { describe, expect, it } from 'vitest';
import { contentFieldLabel } from '../../core/content/edit-check.js';
import { applyMarkdown, renderMarkdown } from '../../renderer/src/components/content-editor/markdown.js';

describe('the Markdown toolbar', () => {
  it('wraps the selection for emphasis, bold and code, and selects what it wrapped', () => {
    expect(applyMarkdown('bold', 'read joins aloud', 5, 10)).toEqual({ text: 'read **joins** aloud', selectionStart: 7, selectionEnd: 12 });
    expect(applyMarkdown('italic', 'read joins aloud', 5, 10).text).toBe('read _joins_ aloud');
    expect(applyMarkdown('code', 'run SELECT 1 now', 4, 12).text).toBe('run `SELECT 1` now');
    expect(applyMarkdown('code', 'a\nb', 0, 3).text).toBe('```\na\nb\n```');
  });

  it('puts a placeholder in when nothing is selected, so the button still shows what it does', () => {
    expect(applyMarkdown('bold', 'x', 1, 1)).toEqual({ text: 'x**bold text**', selectionStart: 3, selectionEnd: 12 });
  });

  it('prefixes every selected line for headings and lists, numbering a numbered list', () => {
    expect(applyMarkdown('bulleted', 'one\ntwo\nthree', 0, 7).text).toBe('- one\n- two\nthree');
    expect(applyMarkdown('numbered', 'one\ntwo', 1, 5).text).toBe('1. one\n2. two');
    expect(applyMarkdown('heading', 'intro\nTitle', 7, 7).text).toBe('intro\n## Title');
  });

  it('inserts a link with its address selected, and a table on a line of its own', () => {
    expect(applyMarkdown('link', 'see docs', 4, 8)).toEqual({ text: 'see [docs](https://)', selectionStart: 11, selectionEnd: 19 });
    expect(applyMarkdown('table', 'Before', 6, 6).text).toBe('Before\n\n| Column | Column |\n| --- | --- |\n| Cell | Cell |\n');
  });
});

describe('the Markdown preview', () => {
  it('renders headings, lists, emphasis, links, code and tables', () => {
    const html = renderMarkdown('## Joins\n\n- **inner** and _left_\n\n[docs](https://example.org) `ON`\n\n| a | b |\n| --- | --- |\n| 1 | 2 |');
    expect(html).toContain('<h2>Joins</h2>');
    expect(html).toContain('<li><strong>inner</strong> and <em>left</em></li>');
    expect(html).toContain('<a href="https://example.org">docs</a> <code>ON</code>');
    expect(html).toContain('<td>1</td>');
  });

  it('shows raw HTML as text and drops script links', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1))');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('href="javascript:');
  });
});

describe('field names in the form’s words', () => {
  it('names quiz, lesson and project fields as the editor labels them', () => {
    expect(contentFieldLabel('quiz', ['questions', 1, 'options', 2])).toBe('Question 2, option 3');
    expect(contentFieldLabel('quiz', ['questions', 0, 'correctIndex'])).toBe('Question 1, correct option');
    expect(contentFieldLabel('lesson', ['explanation', 'concepts', 2, 'example'])).toBe('Concept 3, example');
    expect(contentFieldLabel('lesson', ['keyTakeaways', 0])).toBe('Takeaway 1');
    expect(contentFieldLabel('project', ['rubric', 'criteria', 1, 'levels', 0, 'points'])).toBe('Criterion 2, level 1, points');
    expect(contentFieldLabel('project', ['rubric', 'totalPoints'])).toBe('Rubric total points');
  });
});
