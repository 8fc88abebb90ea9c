import type { LessonContent, Project, Quiz } from '../../schemas/content.js';
import { checkCancelled } from './guard.js';
import { formatMinutes, textDirection } from './html/render.js';
import { markdownToBlocks, markdownToPlainText, type ProseRun } from './markdown.js';
import type { ExportablePackage, ExportAssets, ExportProgress } from './types.js';

/**
 * The printable course book: cover, contents with page numbers, bookmarks, a section per lesson
 * with its quiz, module projects with rubric tables, and an answer key. Tagged (headings,
 * paragraphs, lists, tables in a structure tree) with the document language and title set.
 *
 * Deterministic: the only date is the package's build time, pdfkit derives the file id from the
 * document info, and font subsets are named from their registration order.
 */

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const page = { size: 'A4' as const, margin: 56 };
const colours = { ink: '#1b1f24', muted: '#4a5360', accent: '#0d3b66', rule: '#c9d1d9', band: '#f1f4f8', code: '#6b2d8a' };
const letter = (i: number) => String.fromCharCode(65 + i);

interface Face {
  key: string;
  hasGlyph: (codePoint: number) => boolean;
}

interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  indent?: number;
  gapAfter?: number;
  /** Structure type for the tagged PDF (P, H1, H2, LI, …). */
  tag?: string;
}

export async function exportPdf(pkg: ExportablePackage, assets: ExportAssets, options: { onProgress?: ((p: ExportProgress) => void) | undefined; signal?: AbortSignal | undefined } = {}): Promise<Uint8Array> {
  // Loaded on first use: pdfkit takes a noticeable part of a second to load, and most sessions never print.
  const { default: PDFDocument } = await import('pdfkit');
  const course = pkg.document.course;
  const built = new Date(pkg.createdAt);
  const doc: Doc = new PDFDocument({
    size: page.size,
    margin: page.margin,
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    tagged: true,
    lang: course.language,
    displayTitle: true,
    info: {
      Title: course.title,
      Author: 'Coursewright',
      Subject: course.summary.slice(0, 500),
      Keywords: `course package v${pkg.version}; sha256 ${pkg.contentHash}`,
      Creator: 'Coursewright',
      Producer: 'Coursewright (pdfkit)',
      CreationDate: built,
      ModDate: built,
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  doc.registerFont('regular', assets.fonts.regular);
  doc.registerFont('bold', assets.fonts.bold);
  const faces: Face[] = [];
  const faceOf = (key: string): Face => {
    doc.font(key);
    const font = (doc as unknown as { _font: { font: { hasGlyphForCodePoint: (cp: number) => boolean } } })._font.font;
    return { key, hasGlyph: (cp) => font.hasGlyphForCodePoint(cp) };
  };
  const latin = faceOf('regular');
  for (const fallback of assets.fonts.fallbacks) {
    doc.registerFont(fallback.name, fallback.bytes);
    faces.push(faceOf(fallback.name));
  }

  /** Splits text into runs, each in the first face that has its characters (the Latin face first). */
  function runs(text: string, bold: boolean): Array<{ font: string; text: string }> {
    const out: Array<{ font: string; text: string }> = [];
    const primary = bold ? 'bold' : 'regular';
    for (const char of text) {
      const cp = char.codePointAt(0)!;
      let font = primary;
      if (cp > 0x24f && !/\s/.test(char) && !latin.hasGlyph(cp)) font = faces.find((f) => f.hasGlyph(cp))?.key ?? primary;
      // Spaces and punctuation stay in the run they sit in, so words are not split between faces.
      if (out.length && (out.at(-1)!.font === font || (cp < 0x80 && !/[A-Za-z0-9]/.test(char)))) out.at(-1)!.text += char;
      else out.push({ font, text: char });
    }
    return out;
  }

  const contentWidth = () => doc.page.width - page.margin * 2;
  const bottom = () => doc.page.height - page.margin;
  const rtlCourse = textDirection(course.language) === 'rtl';
  const isRtlText = (text: string) => /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/.test(text) && (rtlCourse || !/[A-Za-z]/.test(text.replace(/[^A-Za-z\u0590-\u08ff]/g, '').slice(0, 1)));

  /**
   * Right-to-left paragraphs are laid out here, word by word: pdfkit wraps left to right. Each word
   * is shaped by the font engine; words are placed from the right, and runs of left-to-right words
   * (numbers, Latin names) keep their own order.
   */
  function writeRtl(text: string, style: TextStyle) {
    const words = text.split(/\s+/).filter(Boolean);
    const widthOf = (word: string) => runs(word, Boolean(style.bold)).reduce((w, r) => w + doc.font(r.font).fontSize(style.size).widthOfString(r.text), 0);
    const space = doc.font('regular').fontSize(style.size).widthOfString(' ');
    const lineHeight = style.size * 1.45;
    const available = contentWidth() - (style.indent ?? 0);
    const lines: string[][] = [];
    let current: string[] = [];
    let width = 0;
    for (const word of words) {
      const w = widthOf(word);
      if (current.length && width + space + w > available) {
        lines.push(current);
        current = [];
        width = 0;
      }
      width += (current.length ? space : 0) + w;
      current.push(word);
    }
    if (current.length) lines.push(current);
    for (const line of lines) {
      if (doc.y + lineHeight > bottom()) doc.addPage();
      const groups: Array<{ rtl: boolean; words: string[] }> = [];
      for (const word of line) {
        const rtl = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/.test(word) || !/[A-Za-z0-9]/.test(word);
        if (groups.length && groups.at(-1)!.rtl === rtl) groups.at(-1)!.words.push(word);
        else groups.push({ rtl, words: [word] });
      }
      const visual = groups.reverse().flatMap((g) => (g.rtl ? [...g.words].reverse() : g.words));
      const lineWidth = visual.reduce((w, word, i) => w + widthOf(word) + (i ? space : 0), 0);
      let x = page.margin + contentWidth() - (style.indent ?? 0) - lineWidth;
      const y = doc.y;
      for (const word of visual) {
        for (const run of runs(word, Boolean(style.bold))) {
          doc.font(run.font).fontSize(style.size).fillColor(style.color ?? colours.ink).text(run.text, x, y, { lineBreak: false });
          x += doc.widthOfString(run.text);
        }
        x += space;
      }
      doc.x = page.margin;
      doc.y = y + lineHeight;
    }
  }

  function writeLtr(text: string, style: TextStyle) {
    const parts = runs(text, Boolean(style.bold));
    const x = page.margin + (style.indent ?? 0);
    const width = contentWidth() - (style.indent ?? 0);
    parts.forEach((run, i) => {
      doc
        .font(run.font)
        .fontSize(style.size)
        .fillColor(style.color ?? colours.ink);
      const opts = { width, lineGap: style.size * 0.3, continued: i < parts.length - 1 };
      if (i === 0) doc.text(run.text, x, doc.y, opts);
      else doc.text(run.text, opts);
    });
  }

  /** One paragraph (or heading, or list item), tagged, moving to a new page when it would not fit a line. */
  function write(parent: Struct, text: string, style: TextStyle) {
    if (doc.y + style.size * 1.5 > bottom()) doc.addPage();
    const element = doc.struct(style.tag ?? 'P', {}, () => (isRtlText(text) ? writeRtl(text, style) : writeLtr(text, style)));
    parent.add(element);
    doc.moveDown(0);
    doc.y += style.gapAfter ?? style.size * 0.45;
  }

  /**
   * Styled runs as one left-to-right paragraph: bold in the bold face, italic slanted, inline code
   * in its own colour; each run still split into the faces that have its characters.
   */
  function writeStyledLtr(styled: ProseRun[], style: TextStyle) {
    const x = page.margin + (style.indent ?? 0);
    const width = contentWidth() - (style.indent ?? 0);
    const pieces = styled.flatMap((run) =>
      runs(run.text, Boolean(style.bold || run.bold)).map((part) => ({ ...part, italic: Boolean(run.italic), color: run.code ? colours.code : (style.color ?? colours.ink) })),
    );
    pieces.forEach((piece, i) => {
      doc.font(piece.font).fontSize(style.size).fillColor(piece.color);
      const opts = { width, lineGap: style.size * 0.3, continued: i < pieces.length - 1, oblique: piece.italic ? 12 : false };
      if (i === 0) doc.text(piece.text, x, doc.y, opts);
      else doc.text(piece.text, opts);
    });
  }

  /** One paragraph of styled runs, tagged; right-to-left text is laid out word by word without emphasis. */
  function writeRuns(parent: Struct, styled: ProseRun[], style: TextStyle) {
    const plain = styled.map((r) => r.text).join('');
    if (!plain.trim()) return;
    if (doc.y + style.size * 1.5 > bottom()) doc.addPage();
    const element = doc.struct(style.tag ?? 'P', {}, () => (isRtlText(plain) ? writeRtl(plain, style) : writeStyledLtr(styled.filter((r) => r.text), style)));
    parent.add(element);
    doc.moveDown(0);
    doc.y += style.gapAfter ?? style.size * 0.45;
  }

  /**
   * A prose field, stored as Markdown: paragraphs, headings (bold), bullet and numbered lists,
   * emphasis and inline code, code blocks indented; any other markup is dropped to its text, so
   * no `**` or `#` is ever printed. `lead` starts the first paragraph (a label such as "Example:").
   */
  function prose(parent: Struct, text: string, style: TextStyle, lead?: ProseRun) {
    const blocks = markdownToBlocks(text);
    if (lead) {
      const first = blocks[0];
      if (first && first.kind === 'paragraph') blocks[0] = { ...first, runs: [lead, { text: ' ' }, ...first.runs] };
      else blocks.unshift({ kind: 'paragraph', runs: [lead], depth: 0 });
    }
    let listElement: Struct | undefined;
    for (const block of blocks) {
      const indent = (style.indent ?? 0) + block.depth * 12;
      if (block.kind === 'item') {
        if (!listElement) {
          listElement = doc.struct('L');
          parent.add(listElement);
        }
        writeRuns(listElement, [{ text: `${block.marker} ` }, ...block.runs], { ...style, tag: 'LI', indent: indent - 2, gapAfter: 3 });
        continue;
      }
      if (listElement) doc.y += 4;
      listElement = undefined;
      if (block.kind === 'code') writeRuns(parent, [{ text: block.text, code: true }], { ...style, indent: indent + 12 });
      else if (block.kind === 'heading') writeRuns(parent, block.runs, { ...style, bold: true, gapAfter: 3 });
      else writeRuns(parent, block.runs, { ...style, indent });
    }
    if (listElement) doc.y += 4;
  }

  function list(parent: Struct, items: string[], style: TextStyle, ordered = false) {
    const element = doc.struct('L');
    parent.add(element);
    items.forEach((item, i) => write(element, `${ordered ? `${i + 1}.` : '•'} ${item}`, { ...style, tag: 'LI', indent: (style.indent ?? 0) + 10, gapAfter: 3 }));
    doc.y += 4;
  }

  function artifact(draw: () => void) {
    doc.markContent('Artifact', { type: 'Pagination' });
    draw();
    doc.endMarkedContent();
  }

  const root = doc.struct('Document');
  doc.addStructure(root);

  // Cover.
  doc.addPage();
  artifact(() => doc.rect(0, 0, doc.page.width, 200).fill(colours.accent));
  doc.y = 70;
  write(root, course.title, { size: 28, bold: true, color: '#ffffff', tag: 'Title', gapAfter: 80 });
  doc.y = 240;
  write(root, course.summary, { size: 12, gapAfter: 16 });
  const lessonCount = pkg.document.modules.reduce((n, m) => n + m.lessons.length, 0);
  for (const line of [
    `Audience: ${course.audience}`,
    `Level: ${course.level}`,
    `Time: ${formatMinutes(course.totalEstimatedMinutes)}`,
    `Contents: ${pkg.document.modules.length} modules, ${lessonCount} lessons`,
    `Package v${pkg.version}, built ${pkg.createdAt.slice(0, 10)}`,
    `Content SHA-256: ${pkg.contentHash}`,
  ])
    write(root, line, { size: 10, color: colours.muted, gapAfter: 4 });

  // Contents pages are reserved now and filled in once every section's page is known.
  interface TocEntry {
    level: 0 | 1;
    title: string;
    destination: string;
    page: number;
  }
  const toc: TocEntry[] = [];
  const tocEntryCount = pkg.document.modules.reduce((n, m) => n + 1 + m.lessons.length + (m.project ? 1 : 0), 1);
  const tocLinesPerPage = Math.floor((doc.page.height - page.margin * 2 - 40) / 17);
  const tocPages = Math.ceil(tocEntryCount / tocLinesPerPage);
  const tocStart = 1;
  for (let i = 0; i < tocPages; i++) doc.addPage();

  let destinationCount = 0;
  const mark = (level: 0 | 1, title: string) => {
    const destination = `d${++destinationCount}`;
    doc.addNamedDestination(destination);
    toc.push({ level, title, destination, page: doc.bufferedPageRange().count - 1 });
  };

  const total = lessonCount;
  let done = 0;
  pkg.document.modules.forEach((module, mi) => {
    doc.addPage();
    const moduleOutline = doc.outline.addItem(`Module ${mi + 1}: ${module.title}`);
    mark(0, `Module ${mi + 1}: ${module.title}`);
    const section = doc.struct('Sect');
    root.add(section);
    write(section, `Module ${mi + 1}: ${module.title}`, { size: 20, bold: true, color: colours.accent, tag: 'H1', gapAfter: 6 });
    if (module.summary) write(section, module.summary, { size: 11, color: colours.muted, gapAfter: 14 });
    module.lessons.forEach((lesson, li) => {
      checkCancelled(options.signal);
      if (li > 0) doc.addPage();
      moduleOutline.addItem(lesson.lesson.content.title);
      mark(1, lesson.lesson.content.title);
      lessonSection(section, lesson.lesson.content, lesson.quiz.content);
      options.onProgress?.({ phase: 'Laying out lessons', done: ++done, total });
    });
    if (module.project) {
      doc.addPage();
      moduleOutline.addItem(module.project.content.title);
      mark(1, module.project.content.title);
      projectPages(section, module.project.content);
    }
  });

  // Answer key.
  doc.addPage();
  doc.outline.addItem('Answer key');
  mark(0, 'Answer key');
  const key = doc.struct('Sect');
  root.add(key);
  write(key, 'Answer key', { size: 20, bold: true, color: colours.accent, tag: 'H1', gapAfter: 10 });
  for (const module of pkg.document.modules) {
    for (const lesson of module.lessons) {
      write(key, lesson.quiz.content.title, { size: 12, bold: true, tag: 'H2', gapAfter: 4 });
      list(
        key,
        lesson.quiz.content.questions.map((q) => `${letter(q.correctIndex)}: ${q.options[q.correctIndex]} (${markdownToPlainText(q.explanation)})`),
        { size: 9.5 },
        true,
      );
    }
  }

  // Contents, with page numbers now that they are known, each line a link to its section.
  const range = doc.bufferedPageRange();
  doc.switchToPage(tocStart);
  doc.y = page.margin;
  const contents = doc.struct('TOC');
  root.add(contents);
  write(contents, 'Contents', { size: 20, bold: true, color: colours.accent, tag: 'H1', gapAfter: 10 });
  let tocPage = tocStart;
  for (const entry of toc) {
    if (doc.y + 17 > bottom()) {
      doc.switchToPage(++tocPage);
      doc.y = page.margin;
    }
    const y = doc.y;
    const indent = entry.level === 0 ? 0 : 14;
    const numberText = String(entry.page + 1);
    const element = doc.struct('TOCI', {}, () => {
      const face = runs(entry.title, entry.level === 0)[0]!.font;
      doc.font(face).fontSize(entry.level === 0 ? 11 : 10).fillColor(colours.ink);
      const numberWidth = doc.font('regular').widthOfString(numberText);
      doc.font(face).text(entry.title, page.margin + indent, y, { width: contentWidth() - indent - numberWidth - 16, height: 14, ellipsis: true, lineBreak: false, goTo: entry.destination });
      doc.font('regular').text(numberText, page.margin + contentWidth() - numberWidth, y, { lineBreak: false, goTo: entry.destination });
    });
    contents.add(element);
    doc.y = y + 17;
  }

  // Page numbers on every page but the cover.
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(i);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(() =>
      doc
        .font('regular')
        .fontSize(8)
        .fillColor(colours.muted)
        .text(`${i + 1} / ${range.count}`, page.margin, doc.page.height - page.margin / 2 - 4, { width: contentWidth(), align: 'center', lineBreak: false }),
    );
    doc.page.margins.bottom = savedBottom;
  }

  doc.end();
  await finished;
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;

  function lessonSection(parent: Struct, lesson: LessonContent, quiz: Quiz) {
    const section = doc.struct('Sect');
    parent.add(section);
    write(section, lesson.title, { size: 17, bold: true, tag: 'H2', gapAfter: 2 });
    write(section, formatMinutes(lesson.durationMinutes), { size: 9.5, color: colours.muted, gapAfter: 10 });
    write(section, 'What you will be able to do', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    list(section, lesson.objectives, { size: 10.5 });
    write(section, 'Explanation', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    prose(section, lesson.explanation.overview, { size: 10.5 });
    for (const concept of lesson.explanation.concepts) {
      write(section, concept.title, { size: 11, bold: true, tag: 'H4', gapAfter: 2 });
      prose(section, concept.explanation, { size: 10.5 });
      if (concept.example) prose(section, concept.example, { size: 10, color: colours.muted, indent: 12 }, { text: 'Example:' });
    }
    write(section, 'Key takeaways', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    list(section, lesson.keyTakeaways, { size: 10.5 });
    write(section, 'Practice', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    prose(section, lesson.practice.prompt, { size: 10.5 });
    prose(section, lesson.practice.expectedOutcome, { size: 10.5, color: colours.muted }, { text: 'What a good result looks like:' });
    write(section, quiz.title, { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    quiz.questions.forEach((question, qi) => {
      prose(section, question.prompt, { size: 10.5, bold: true, gapAfter: 3 }, { text: `${qi + 1}.` });
      const options = doc.struct('L');
      section.add(options);
      question.options.forEach((option, oi) => write(options, `${letter(oi)}. ${option}`, { size: 10, indent: 14, tag: 'LI', gapAfter: 2 }));
      doc.y += 4;
    });
  }

  function projectPages(parent: Struct, project: Project) {
    const section = doc.struct('Sect');
    parent.add(section);
    write(section, project.title, { size: 17, bold: true, tag: 'H2', gapAfter: 8 });
    write(section, 'The problem', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    prose(section, project.problemStatement, { size: 10.5 });
    if (project.constraints.length) {
      write(section, 'Constraints', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
      list(section, project.constraints, { size: 10.5 });
    }
    write(section, 'Deliverables', { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 4 });
    list(section, project.deliverables, { size: 10.5 });
    write(section, `Rubric (${project.rubric.totalPoints} points)`, { size: 12.5, bold: true, color: colours.accent, tag: 'H3', gapAfter: 6 });
    rubricTable(section, project);
  }

  /** Criteria down the side, levels across; each cell holds the level's label, points and descriptor. */
  function rubricTable(parent: Struct, project: Project) {
    const levelCount = Math.max(...project.rubric.criteria.map((c) => c.levels.length));
    const firstColumn = 110;
    const cellWidth = (contentWidth() - firstColumn) / levelCount;
    const pad = 4;
    const table = doc.struct('Table');
    parent.add(table);
    const cellText = (text: string, x: number, y: number, width: number, size: number, bold = false) => {
      doc.font(runs(text, bold)[0]!.font).fontSize(size).fillColor(colours.ink).text(text, x + pad, y + pad, { width: width - pad * 2 });
    };
    const heightOf = (text: string, width: number, size: number, bold = false) => doc.font(runs(text, bold)[0]!.font).fontSize(size).heightOfString(text, { width: width - pad * 2 }) + pad * 2;
    const drawRow = (cells: Array<{ text: string; bold?: boolean; header?: boolean }>, size: number, band: boolean) => {
      const widths = [firstColumn, ...Array.from({ length: levelCount }, () => cellWidth)];
      const height = Math.max(...cells.map((c, i) => heightOf(c.text, widths[i]!, size, c.bold)));
      if (doc.y + height > bottom()) doc.addPage();
      const y = doc.y;
      const row = doc.struct('TR');
      table.add(row);
      let x = page.margin;
      cells.forEach((cell, i) => {
        const width = widths[i]!;
        artifact(() => {
          if (band) doc.rect(x, y, width, height).fill(colours.band);
          doc.rect(x, y, width, height).lineWidth(0.5).stroke(colours.rule);
        });
        row.add(doc.struct(cell.header ? 'TH' : 'TD', {}, () => cellText(cell.text, x, y, width, size, cell.bold)));
        x += width;
      });
      doc.x = page.margin;
      doc.y = y + height;
    };
    drawRow([{ text: 'Criterion', bold: true, header: true }, ...Array.from({ length: levelCount }, (_, i) => ({ text: `Level ${i + 1}`, bold: true, header: true }))], 9.5, true);
    for (const criterion of project.rubric.criteria) {
      drawRow(
        [{ text: criterion.title, bold: true, header: true }, ...Array.from({ length: levelCount }, (_, i) => {
          const level = criterion.levels[i];
          return { text: level ? `${level.label} (${level.points} pts): ${level.descriptor}` : '' };
        })],
        9,
        false,
      );
    }
    doc.y += 8;
  }
}
