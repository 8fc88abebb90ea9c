import { describe, expect, it } from 'vitest';
import { diffSyllabi } from '../../core/syllabus/diff.js';
import type { Syllabus } from '../../schemas/syllabus.js';

const base: Syllabus = {
  title: 'Intro to SQL',
  summary: 'Query relational data with confidence.',
  audience: 'Analysts',
  level: 'beginner',
  language: 'en',
  totalEstimatedMinutes: 120,
  modules: [
    {
      id: 'm-basics',
      index: 0,
      title: 'Basics',
      summary: '',
      estimatedMinutes: 120,
      lessons: [
        { id: 'l-select', index: 0, title: 'SELECT', summary: '', objectives: ['Write a SELECT query'], prerequisites: [], estimatedMinutes: 60, assessmentHooks: [] },
        { id: 'l-where', index: 1, title: 'WHERE', summary: '', objectives: ['Filter rows with WHERE'], prerequisites: ['l-select'], estimatedMinutes: 60, assessmentHooks: [] },
      ],
    },
  ],
};

describe('syllabus diff', () => {
  it('is empty for identical syllabi', () => {
    expect(diffSyllabi(base, structuredClone(base))).toEqual([]);
  });

  it('reports a renamed lesson as a title change, not a removal and an addition', () => {
    const next = structuredClone(base);
    next.modules[0]!.lessons[1]!.title = 'Filtering with WHERE';
    expect(diffSyllabi(base, next)).toEqual([
      { kind: 'changed', entity: 'lesson', id: 'l-where', title: 'Filtering with WHERE', field: 'title', before: 'WHERE', after: 'Filtering with WHERE' },
    ]);
  });

  it('reports added, removed and moved lessons by id', () => {
    const next = structuredClone(base);
    const [select, where] = next.modules[0]!.lessons;
    next.modules[0]!.lessons = [select!];
    next.modules.push({ id: 'm-more', index: 1, title: 'More', summary: '', estimatedMinutes: 60, lessons: [where!, { ...where!, id: 'l-join', title: 'JOIN', index: 1 }] });
    const changes = diffSyllabi(base, next);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'added', entity: 'module', id: 'm-more' }),
        expect.objectContaining({ kind: 'moved', entity: 'lesson', id: 'l-where', from: 'm-basics', to: 'm-more' }),
        expect.objectContaining({ kind: 'added', entity: 'lesson', id: 'l-join' }),
      ]),
    );
    const removed = diffSyllabi(next, base);
    expect(removed).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'removed', entity: 'lesson', id: 'l-join' }), expect.objectContaining({ kind: 'removed', entity: 'module', id: 'm-more' })]));
  });
});
