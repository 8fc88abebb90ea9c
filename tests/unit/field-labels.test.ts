import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFieldIssues, fieldErrors, humanizeKey, intentFieldLabel, operationFieldLabel, syllabusFieldLabel } from '../../schemas/field-labels.js';
import { LearningIntent } from '../../schemas/intent.js';
import { api } from '../../schemas/api.js';
import { Syllabus } from '../../schemas/syllabus.js';

const validIntent = { title: 'Intro to SQL', audience: 'Analysts', level: 'beginner', timeBudgetHours: 6, teachingStyle: 'hands-on', constraints: [], language: 'en' };

function intentSentences(change: Record<string, unknown>): string[] {
  const parsed = LearningIntent.safeParse({ ...validIntent, ...change });
  if (parsed.success) return [];
  return describeFieldIssues(parsed.error, intentFieldLabel);
}

describe('validation problems in the words of the intent form', () => {
  it('names the time budget as the form labels it and says what it must be', () => {
    expect(intentSentences({ timeBudgetHours: 0 })).toEqual(['Time budget (hours) must be more than 0']);
    expect(intentSentences({ timeBudgetHours: -2 })).toEqual(['Time budget (hours) must be more than 0']);
    expect(intentSentences({ timeBudgetHours: Number.NaN })).toEqual(['Time budget (hours) must be a number']);
    expect(intentSentences({ timeBudgetHours: 5000 })).toEqual(['Time budget (hours) must be at most 1000']);
  });

  it('says the title limit in characters, never in zod words', () => {
    expect(intentSentences({ title: 'x'.repeat(200) })).toEqual(['Title must be at most 120 characters']);
    expect(intentSentences({ title: 'ab' })).toEqual(['Title must be at least 3 characters']);
  });

  it('keeps a message the schema wrote itself, after the label instead of the field key', () => {
    expect(intentSentences({ language: 'not a tag!' })).toEqual(['Language must be a BCP-47 tag such as "en", "ja" or "pt-BR"']);
    expect(intentSentences({ title: 'Intro\u0000SQL' })).toEqual(['Title contains a NUL character (U+0000) at position 5; remove it']);
  });

  it('names list entries by number and choices by their values', () => {
    expect(intentSentences({ constraints: [''] })).toEqual(['Constraint 1 is required']);
    expect(intentSentences({ level: 'expert' })).toEqual(['Level must be one of “beginner”, “intermediate”, “advanced”']);
    expect(intentSentences({ audience: undefined })).toEqual(['Audience is missing']);
  });

  it('finds nothing to say about a valid intent, including the edges of each limit', () => {
    expect(intentSentences({})).toEqual([]);
    expect(intentSentences({ title: 'x'.repeat(120), timeBudgetHours: 0.5 })).toEqual([]);
    expect(intentSentences({ timeBudgetHours: 1000 })).toEqual([]);
  });

  it('gives a form one message per field, the first problem of each', () => {
    const parsed = LearningIntent.safeParse({ ...validIntent, title: '', timeBudgetHours: 0 });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!, intentFieldLabel)).toEqual({ title: 'Title must be at least 3 characters', timeBudgetHours: 'Time budget (hours) must be more than 0' });
  });
});

describe('syllabus paths as the outline names them', () => {
  it('reads modules, lessons and their entries by number', () => {
    expect(syllabusFieldLabel(['modules', 1, 'lessons', 2, 'objectives', 0])).toBe('Module 2, lesson 3, objective 1');
    expect(syllabusFieldLabel(['modules', 0, 'lessons', 4, 'estimatedMinutes'])).toBe('Module 1, lesson 5, duration (minutes)');
    expect(syllabusFieldLabel(['modules', 3, 'title'])).toBe('Module 4, title');
    expect(syllabusFieldLabel(['summary'])).toBe('Course summary');
  });

  it('says an empty module needs a lesson and a lesson too long in minutes', () => {
    const lesson = { id: 'l1', index: 0, title: 'Joins', objectives: ['Write an inner join'], estimatedMinutes: 900 };
    const syllabus = { title: 'SQL', summary: 'A course about SQL.', audience: 'Analysts', level: 'beginner', language: 'en', totalEstimatedMinutes: 60, modules: [{ id: 'm1', index: 0, title: 'Basics', estimatedMinutes: 60, lessons: [lesson] }, { id: 'm2', index: 1, title: 'More', estimatedMinutes: 0, lessons: [] }] };
    const parsed = Syllabus.safeParse(syllabus);
    expect(parsed.success).toBe(false);
    expect(describeFieldIssues(parsed.error!, syllabusFieldLabel)).toEqual(['Module 1, lesson 1, duration (minutes) must be at most 600', 'Module 2, lessons needs at least one lesson']);
  });
});

describe('operation inputs as the host reports them', () => {
  it('routes intent and syllabus paths to their forms and names other keys in words', () => {
    expect(operationFieldLabel(['intent', 'timeBudgetHours'])).toBe('Time budget (hours)');
    expect(operationFieldLabel(['syllabus', 'modules', 0, 'title'])).toBe('Module 1, title');
    expect(operationFieldLabel(['apiKey'])).toBe('Model key');
    expect(humanizeKey('courseId')).toBe('Course');
    expect(humanizeKey('rejectionReason')).toBe('Rejection reason');
  });

  it('turns a refused courses.create input into one sentence per field', () => {
    const parsed = api['courses.create'].input.safeParse({ intent: { ...validIntent, timeBudgetHours: 0, title: 'x'.repeat(130) } });
    expect(parsed.success).toBe(false);
    expect(describeFieldIssues(parsed.error!, operationFieldLabel)).toEqual(['Title must be at most 120 characters', 'Time budget (hours) must be more than 0']);
  });

  it('caps a long list of problems and says how many more there are', () => {
    const many = z.object({ items: z.array(z.string().min(2)) });
    const parsed = many.safeParse({ items: Array.from({ length: 14 }, () => 'x') });
    const sentences = describeFieldIssues(parsed.error!, (path) => `Item ${Number(path[1]) + 1}`, 12);
    expect(sentences).toHaveLength(13);
    expect(sentences[0]).toBe('Item 1 must be at least 2 characters');
    expect(sentences.at(-1)).toBe('…and 2 more');
  });
});
