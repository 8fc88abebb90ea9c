import { diffWords } from 'diff';
import type { ContentKind } from '../../schemas/content.js';
import type { ReadableChange, WordPart } from '../../schemas/diff.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';
import { canonicalJson } from '../hash.js';
import type { SyllabusChange } from '../syllabus/diff.js';

/** Word by word: what stayed, what the newer text added, what it removed. */
export function wordDiff(before: string, after: string): WordPart[] {
  return diffWords(before, after).map((part) => ({ text: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same' }));
}

/** A change as one plain-text line (and its word diff as `[-removed-]{+added+}` below it), for terminals and tests. */
export function renderReadableChange(change: ReadableChange): string {
  const head = `${change.subject}: ${change.summary}`;
  if (!change.words) return head;
  const words = change.words.map((w) => (w.change === 'added' ? `{+${w.text}+}` : w.change === 'removed' ? `[-${w.text}-]` : w.text)).join('');
  return `${head}\n  ${words}`;
}

const quote = (text: string) => `“${text}”`;
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const optionLetter = (index: number) => String.fromCharCode(65 + index);
const plain = (value: unknown): string => (Array.isArray(value) ? value.map(plain).join('; ') : value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));

/** Field names as a reviewer calls them. Fields not listed (ids, positions) are not shown. */
const fieldLabels: Record<string, string> = {
  title: 'title',
  summary: 'summary',
  audience: 'audience',
  level: 'level',
  language: 'language',
  totalEstimatedMinutes: 'total minutes',
  estimatedMinutes: 'minutes',
  durationMinutes: 'duration (minutes)',
  objectives: 'objectives',
  prerequisites: 'prerequisites',
  assessmentHooks: 'assessments',
  overview: 'overview',
  example: 'example',
  explanation: 'explanation',
  keyTakeaways: 'key takeaways',
  prompt: 'prompt',
  practice: 'practice',
  expectedOutcome: 'expected outcome',
  objective: 'objective',
  problemStatement: 'problem statement',
  constraints: 'constraints',
  deliverables: 'deliverables',
  label: 'label',
  descriptor: 'descriptor',
  points: 'points',
  totalPoints: 'total points',
};

/** What one item of a list is called, by the list's field name. */
const itemLabels: Record<string, string> = {
  objectives: 'Objective',
  concepts: 'Concept',
  keyTakeaways: 'Key takeaway',
  questions: 'Question',
  constraints: 'Constraint',
  deliverables: 'Deliverable',
  criteria: 'Criterion',
  levels: 'Level',
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const subjectOf = (path: string[]) => capitalised(path.join(', '));

function valueChange(path: string[], before: unknown, after: unknown): ReadableChange {
  if (typeof before === 'string' && typeof after === 'string') return { subject: subjectOf(path), summary: 'text changed', words: wordDiff(before, after) };
  return { subject: subjectOf(path), summary: `changed from ${plain(before) || 'nothing'} to ${plain(after) || 'nothing'}` };
}

/**
 * Walks two versions of a lesson, quiz or project side by side. Lists of things with ids (quiz
 * questions, rubric criteria) are matched by id, so editing question 2 never reads as question 2
 * removed and another added; other lists are compared position by position.
 */
function walk(path: string[], field: string, before: unknown, after: unknown, out: ReadableChange[]): void {
  if (same(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const itemLabel = itemLabels[field];
    if (field === 'options') {
      const length = Math.max(before.length, after.length);
      for (let i = 0; i < length; i++) walk([...path, `option ${optionLetter(i)}`], 'option', before[i], after[i], out);
      return;
    }
    if (!itemLabel) {
      out.push(valueChange([...path, fieldLabels[field] ?? field], before, after));
      return;
    }
    const keyed = [...before, ...after].every((x) => x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string');
    if (keyed) {
      const afterIds = new Set(after.map((x) => (x as { id: string }).id));
      after.forEach((item, i) => {
        const old = before.find((x) => (x as { id: string }).id === (item as { id: string }).id);
        const name = [...path, `${path.length ? itemLabel.toLowerCase() : itemLabel} ${i + 1}`];
        if (old === undefined) out.push({ subject: subjectOf(name), summary: `added: ${quote(headline(item))}` });
        else {
          const oldIndex = before.indexOf(old);
          if (oldIndex !== i) out.push({ subject: subjectOf(name), summary: `moved from position ${oldIndex + 1}` });
          walk(name, itemLabel, old, item, out);
        }
      });
      before.forEach((item, i) => {
        if (!afterIds.has((item as { id: string }).id)) out.push({ subject: subjectOf([...path, `${path.length ? itemLabel.toLowerCase() : itemLabel} ${i + 1}`]), summary: `removed: ${quote(headline(item))}` });
      });
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) walk([...path, `${path.length ? itemLabel.toLowerCase() : itemLabel} ${i + 1}`], itemLabel, before[i], after[i], out);
    return;
  }
  if (before !== undefined && after === undefined) {
    out.push({ subject: subjectOf(path), summary: `removed: ${quote(headline(before))}` });
    return;
  }
  if (before === undefined && after !== undefined) {
    out.push({ subject: subjectOf(path), summary: `added: ${quote(headline(after))}` });
    return;
  }
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
      if (key === 'correctIndex') {
        if (b[key] !== a[key]) out.push({ subject: subjectOf(path), summary: `correct option changed from ${optionLetter(Number(b[key]))} to ${optionLetter(Number(a[key]))}` });
        continue;
      }
      if (key === 'explanation' && a[key] && typeof a[key] === 'object') {
        // A lesson's explanation is only a grouping of its overview and concepts.
        walk(path, key, b[key], a[key], out);
        continue;
      }
      if (key === 'metadata' || key === 'rubric') {
        walk(path, key, b[key], a[key], out);
        continue;
      }
      if (!(key in fieldLabels) && !(key in itemLabels) && key !== 'options') continue;
      walk(key in itemLabels || key === 'options' ? path : [...path, fieldLabels[key]!], key, b[key], a[key], out);
    }
    return;
  }
  out.push(valueChange(path, before, after));
}

/** The words that name a list item in "added"/"removed": its title, prompt or text. */
function headline(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const key of ['title', 'prompt', 'label']) if (typeof o[key] === 'string') return o[key] as string;
  }
  return plain(item);
}

/** What changed between two versions of one lesson, quiz or project, in a reviewer's words. */
export function diffContent(kind: ContentKind, before: unknown, after: unknown): ReadableChange[] {
  const out: ReadableChange[] = [];
  walk([], kind, before, after, out);
  return out;
}

function locate(syllabus: Syllabus, lessonId: string): { module: SyllabusModule; lesson: SyllabusLesson } | undefined {
  for (const module of syllabus.modules) {
    const lesson = module.lessons.find((l) => l.id === lessonId);
    if (lesson) return { module, lesson };
  }
  return undefined;
}

const moduleName = (m: SyllabusModule) => `module ${m.index + 1} ${quote(m.title)}`;

/**
 * The syllabus diff with modules and lessons named by number and title ("Lesson 1.2 “WHERE”",
 * "moved from module 1 “Basics” to module 2 “More”"), never by id, and text as word diffs.
 */
export function describeSyllabusChanges(changes: SyllabusChange[], before: Syllabus, after: Syllabus): ReadableChange[] {
  return changes.map((change): ReadableChange => {
    const inAfter = change.kind !== 'removed';
    const syllabus = inAfter ? after : before;
    let subject: string;
    if (change.entity === 'course') subject = 'Course';
    else if (change.entity === 'module') {
      const module = syllabus.modules.find((m) => m.id === change.id);
      subject = module ? capitalised(moduleName(module)) : `Module ${quote(change.title)}`;
    } else {
      const found = locate(syllabus, change.id);
      subject = found ? `Lesson ${found.module.index + 1}.${found.lesson.index + 1} ${quote(found.lesson.title)}` : `Lesson ${quote(change.title)}`;
    }
    switch (change.kind) {
      case 'added':
      case 'removed': {
        if (change.entity !== 'lesson') return { subject, summary: change.kind };
        const module = syllabus.modules.find((m) => m.id === change.moduleId);
        return { subject, summary: module ? `${change.kind} ${change.kind === 'added' ? 'to' : 'from'} ${moduleName(module)}` : change.kind };
      }
      case 'moved': {
        if (change.entity === 'module') return { subject, summary: `moved from ${change.from} to ${change.to}` };
        const from = before.modules.find((m) => m.id === change.from);
        const to = after.modules.find((m) => m.id === change.to);
        return { subject, summary: `moved from ${from ? moduleName(from) : 'another module'} to ${to ? moduleName(to) : 'another module'}` };
      }
      case 'changed': {
        const label = fieldLabels[change.field] ?? change.field;
        if (typeof change.before === 'string' && typeof change.after === 'string') return { subject, summary: `${label} changed`, words: wordDiff(change.before, change.after) };
        if (change.field === 'objectives' || change.field === 'prerequisites') {
          const names = (ids: unknown) => (change.field === 'prerequisites' && Array.isArray(ids) ? ids.map((id) => locate(before, String(id))?.lesson.title ?? locate(after, String(id))?.lesson.title ?? String(id)) : ids);
          return { subject, summary: `${label} changed`, words: wordDiff(plain(names(change.before)), plain(names(change.after))) };
        }
        if (change.field === 'assessmentHooks') {
          const hooks = (v: unknown) => (Array.isArray(v) ? v.map((h) => `${(h as { kind: string }).kind}: ${(h as { description: string }).description}`) : v);
          return { subject, summary: `${label} changed`, words: wordDiff(plain(hooks(change.before)), plain(hooks(change.after))) };
        }
        return { subject, summary: `${label} changed from ${plain(change.before) || 'nothing'} to ${plain(change.after) || 'nothing'}` };
      }
    }
  });
}
