import { describe, expect, it } from 'vitest';
import { markdownInlineHtml, markdownToBlocks, markdownToHtml, markdownToPlainText } from '../../core/export/markdown.js';

describe('Markdown prose for learners (HTML)', () => {
  it('renders headings one level below the page heading it sits under, capped at h6', () => {
    expect(markdownToHtml('# Setting up\n\n## Details', { headingLevel: 3 })).toBe('<h3>Setting up</h3>\n<h4>Details</h4>');
    expect(markdownToHtml('### Deep', { headingLevel: 5 })).toBe('<h6>Deep</h6>');
  });

  it('renders bullet and numbered lists, nested', () => {
    expect(markdownToHtml('- one\n- two\n  1. first\n  2. second')).toBe('<ul>\n<li>one</li>\n<li>two\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n</li>\n</ul>');
  });

  it('renders bold, italic and inline code', () => {
    expect(markdownToHtml('A **bold** claim, an *aside* and `npm test`.')).toBe('<p>A <strong>bold</strong> claim, an <em>aside</em> and <code>npm test</code>.</p>');
  });

  it('renders code blocks with their text escaped', () => {
    expect(markdownToHtml('```js\nif (a < b) run();\n```')).toBe('<pre><code class="language-js">if (a &lt; b) run();\n</code></pre>');
  });

  it('renders tables with a header row', () => {
    const html = markdownToHtml('| Term | Meaning |\n| --- | --- |\n| SLA | Service level agreement |');
    expect(html).toContain('<table class="prose-table">');
    expect(html).toContain('<th>Term</th>');
    expect(html).toContain('<td>Service level agreement</td>');
  });

  it('links to http, https and mailto addresses', () => {
    expect(markdownToHtml('[Docs](https://example.org/docs)')).toBe('<p><a href="https://example.org/docs" rel="noopener noreferrer">Docs</a></p>');
    expect(markdownToHtml('[Plain](http://example.org)')).toContain('<a href="http://example.org"');
    expect(markdownToHtml('[Write to us](mailto:team@example.org)')).toContain('<a href="mailto:team@example.org"');
  });

  it('refuses javascript:, data: and file: links: the text stays, no link is made', () => {
    for (const target of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'vbscript:msgbox(1)']) {
      const html = markdownToHtml(`[click me](${target})`);
      expect(html, target).not.toContain('<a ');
      expect(html, target).toContain('click me');
    }
  });

  it('shows raw HTML as text: a <script> is escaped, never run', () => {
    const html = markdownToHtml('Before <script>alert("x")</script> after\n\n<div onclick="steal()">block</div>');
    expect(html).not.toMatch(/<script|<div/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;div onclick=&quot;steal()&quot;&gt;block&lt;/div&gt;');
  });

  it('never loads an image: its description is shown instead', () => {
    expect(markdownToHtml('![A tracking pixel](https://example.org/p.gif)')).toBe('<p>A tracking pixel</p>');
  });

  it('keeps plain text as it was: single line breaks stay, blank lines make paragraphs, & and < escaped', () => {
    expect(markdownToHtml('Caching trades memory for speed & 3 < 4.\nSecond line.\n\nNext paragraph.')).toBe('<p>Caching trades memory for speed &amp; 3 &lt; 4.<br>\nSecond line.</p>\n<p>Next paragraph.</p>');
  });

  it('drops characters XML cannot carry', () => {
    expect(markdownToHtml('bell\u0007 and form feed\u000c gone')).toBe('<p>bell and form feed gone</p>');
  });

  it('gives the same output every time for the same text', () => {
    const text = '# T\n\n- **a** [b](https://example.org)\n\n| x |\n| - |\n| 1 |';
    expect(markdownToHtml(text)).toBe(markdownToHtml(text));
  });
});

describe('Markdown prose inline (a question in its legend)', () => {
  it('gives one paragraph as phrasing content', () => {
    expect(markdownInlineHtml('Which is **fastest**?')).toBe('Which is <strong>fastest</strong>?');
  });
  it('gives nothing for blocks, so the caller renders them below the legend', () => {
    expect(markdownInlineHtml('Which list is right?\n\n- a\n- b')).toBeUndefined();
    expect(markdownInlineHtml('```\ncode\n```')).toBeUndefined();
  });
});

describe('Markdown prose as styled runs (PDF)', () => {
  it('keeps bold, italic and code as styles, without the markup characters', () => {
    expect(markdownToBlocks('A **bold** and *soft* `x`')).toEqual([
      { kind: 'paragraph', depth: 0, runs: [{ text: 'A ' }, { text: 'bold', bold: true }, { text: ' and ' }, { text: 'soft', italic: true }, { text: ' ' }, { text: 'x', code: true }] },
    ]);
  });

  it('numbers ordered lists from their start and marks bullets, with nesting depth', () => {
    expect(markdownToBlocks('3. three\n4. four\n\n- dot\n  - inner').map((b) => (b.kind === 'item' ? `${b.depth}:${b.marker} ${b.runs.map((r) => r.text).join('')}` : b.kind))).toEqual(['1:3. three', '1:4. four', '1:• dot', '2:• inner']);
  });

  it('drops other markup to its text: headings bold, table rows joined, links with their address', () => {
    const blocks = markdownToBlocks('## Heading\n\n| A | B |\n| - | - |\n| 1 | 2 |\n\n[site](https://example.org)');
    expect(blocks[0]).toEqual({ kind: 'heading', depth: 0, runs: [{ text: 'Heading', bold: true }] });
    expect(blocks[1]!.kind === 'paragraph' && blocks[1]!.runs.map((r) => r.text).join('')).toBe('A | B');
    expect(blocks[2]!.kind === 'paragraph' && blocks[2]!.runs.map((r) => r.text).join('')).toBe('1 | 2');
    expect(blocks[3]!.kind === 'paragraph' && blocks[3]!.runs.map((r) => r.text).join('')).toBe('site (https://example.org)');
  });

  it('gives one line of plain text for places without layout', () => {
    expect(markdownToPlainText('Because **caching** helps:\n\n- less load\n- `ttl` matters')).toBe('Because caching helps: • less load • ttl matters');
  });

  it('leaves text without Markdown as it is', () => {
    expect(markdownToPlainText('Plain text, nothing special (really).')).toBe('Plain text, nothing special (really).');
  });
});
