import type { ReviewBlock, ReviewItemKind } from '../../schemas/review.js';

/**
 * Blocks of a reviewable item, addressed by path (`questions/2/options/1`): what a comment can
 * point at. Positions are 0-based in paths and 1-based in the words people read.
 */

const singular: Record<string, string> = {
  objectives: 'objective',
  questions: 'question',
  options: 'option',
  concepts: 'concept',
  keyTakeaways: 'key takeaway',
  constraints: 'constraint',
  deliverables: 'deliverable',
  criteria: 'criterion',
  levels: 'level',
  modules: 'module',
  lessons: 'lesson',
  prerequisites: 'prerequisite',
  assessmentHooks: 'assessment hook',
};

const words = (field: string) => field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** The block in words: `questions/2/options/1` → "question 3 · option 2"; no path → "whole item". */
export function describeBlock(path: string | null): string {
  if (!path) return 'whole item';
  const segments = path.split('/');
  const parts: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      parts.push(`${singular[segment] ?? words(segment)} ${Number(next) + 1}`);
      i++;
    } else if (/^\d+$/.test(segment)) {
      parts.push(`item ${Number(segment) + 1}`);
    } else {
      parts.push(words(segment));
    }
  }
  return parts.join(' · ');
}

export type BlockLookup = { found: true; value: unknown } | { found: false };

/** The value at a path inside an item's content, if the path leads somewhere. */
export function resolveBlock(content: unknown, path: string): BlockLookup {
  let here: unknown = content;
  for (const segment of path.split('/')) {
    if (/^\d+$/.test(segment)) {
      if (!Array.isArray(here) || Number(segment) >= here.length) return { found: false };
      here = here[Number(segment)];
    } else {
      if (here === null || typeof here !== 'object' || Array.isArray(here) || !Object.hasOwn(here, segment)) return { found: false };
      here = (here as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: here };
}

/** A short text standing for a block: its own text, or its title or prompt. */
export function excerptOf(value: unknown, max = 140): string | null {
  let text: string | null = null;
  if (typeof value === 'string') text = value;
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of ['title', 'prompt', 'label', 'description']) {
      if (typeof record[key] === 'string') {
        text = record[key] as string;
        break;
      }
    }
  }
  if (text === null) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Where a kind's commentable blocks are, in reading order: fields, and lists whose entries are blocks (with their own sub-blocks). */
type Shape = Array<string | { list: string; each?: Shape }>;

const shapes: Record<ReviewItemKind, Shape> = {
  lesson: ['title', { list: 'objectives' }, 'explanation/overview', { list: 'explanation/concepts' }, { list: 'keyTakeaways' }, 'practice/prompt', 'practice/expectedOutcome'],
  quiz: ['title', { list: 'questions', each: [{ list: 'options' }, 'explanation'] }],
  project: ['title', 'problemStatement', { list: 'constraints' }, { list: 'deliverables' }, { list: 'rubric/criteria', each: [{ list: 'levels' }] }],
  syllabus: ['title', 'summary', { list: 'modules', each: [{ list: 'lessons', each: [{ list: 'objectives' }] }] }],
};

function walk(content: unknown, prefix: string, shape: Shape, into: ReviewBlock[]): void {
  for (const part of shape) {
    const field = typeof part === 'string' ? part : part.list;
    const path = prefix ? `${prefix}/${field}` : field;
    const found = resolveBlock(content, path);
    if (!found.found) continue;
    if (typeof part === 'string') {
      into.push({ path, label: describeBlock(path), excerpt: excerptOf(found.value) });
      continue;
    }
    if (!Array.isArray(found.value)) continue;
    found.value.forEach((entry, index) => {
      const entryPath = `${path}/${index}`;
      into.push({ path: entryPath, label: describeBlock(entryPath), excerpt: excerptOf(entry) });
      if (part.each) walk(content, entryPath, part.each, into);
    });
  }
}

/** Every block of an item a reviewer can comment on, in reading order. */
export function listBlocks(kind: ReviewItemKind, content: unknown): ReviewBlock[] {
  const blocks: ReviewBlock[] = [];
  walk(content, '', shapes[kind], blocks);
  return blocks;
}
