import { describe, expect, it } from 'vitest';
import { LearningIntent } from '../../schemas/intent.js';
import { describeZodIssues } from '../../schemas/errors.js';

const valid = {
  title: 'Intro to SQL',
  audience: 'Marketing analysts',
  level: 'beginner',
  timeBudgetHours: 4,
  teachingStyle: 'worked examples',
  constraints: ['use PostgreSQL'],
};

describe('LearningIntent', () => {
  it('defaults the language to en and accepts BCP-47 tags', () => {
    expect(LearningIntent.parse(valid).language).toBe('en');
    expect(LearningIntent.parse({ ...valid, language: 'pt-BR' }).language).toBe('pt-BR');
    expect(LearningIntent.parse({ ...valid, language: 'ja' }).language).toBe('ja');
  });

  it.each([
    [{ ...valid, level: 'expert' }, 'level'],
    [{ ...valid, timeBudgetHours: 0 }, 'timeBudgetHours'],
    [{ ...valid, timeBudgetHours: '4' }, 'timeBudgetHours'],
    [{ ...valid, language: 'english please' }, 'language'],
    [{ ...valid, constraints: 'use PostgreSQL' }, 'constraints'],
    [{ ...valid, title: '' }, 'title'],
    [{ ...valid, extra: 1 }, '(root)'],
  ])('names the offending field (%#)', (input, field) => {
    const result = LearningIntent.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeZodIssues(result.error).join('\n')).toContain(field);
  });

  it('requires every field but notes and language', () => {
    const { constraints: _omitted, ...withoutConstraints } = valid;
    expect(LearningIntent.safeParse(withoutConstraints).success).toBe(false);
    expect(LearningIntent.safeParse({ ...valid, notes: 'anything' }).success).toBe(true);
  });
});
