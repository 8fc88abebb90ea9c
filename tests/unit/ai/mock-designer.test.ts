import { describe, expect, it } from 'vitest';
import { writeMockContent } from '../../../core/ai/mock-content.js';
import { withArticle, writeMockSyllabus } from '../../../core/ai/mock-provider.js';
import { requiredProjectModules } from '../../../core/lifecycle/course-lifecycle.js';
import { lintSyllabus } from '../../../core/syllabus/lint.js';
import { normalizeSyllabus } from '../../../core/syllabus/normalize.js';
import { LearningIntent, type LearningIntentInput } from '../../../schemas/intent.js';
import { Syllabus } from '../../../schemas/syllabus.js';
import { sampleIntent } from '../../helpers.js';

const dataEngineering: LearningIntentInput = {
  title: 'Data Engineering from Zero to Production',
  audience: 'Backend developers moving into data work',
  level: 'intermediate',
  timeBudgetHours: 40,
  teachingStyle: 'projects on realistic pipelines',
  constraints: ['use open-source tools only', 'no cloud accounts required'],
  language: 'en',
};
const excel: LearningIntentInput = { title: 'Excel for Accountants', audience: 'Accountants', level: 'advanced', timeBudgetHours: 6, teachingStyle: 'worked examples', constraints: ['avoid macros'], language: 'en' };

/**
 * What a designer would draw for each budget: modules, lessons per module and lesson length,
 * as literal ranges. Short courses get fewer, shorter lessons; long ones stop growing at 20
 * modules of 8 and lengthen their sessions instead.
 */
const shapes = [
  { hours: 1, modules: [3, 3], lessonsPerModule: [3, 3], minutes: [5, 10] },
  { hours: 6, modules: [6, 6], lessonsPerModule: [3, 3], minutes: [15, 25] },
  { hours: 40, modules: [8, 12], lessonsPerModule: [3, 5], minutes: [45, 90] },
  { hours: 240, modules: [18, 20], lessonsPerModule: [7, 8], minutes: [60, 120] },
  { hours: 300, modules: [18, 20], lessonsPerModule: [7, 8], minutes: [75, 150] },
] as const;

const intents = { 'Data Engineering from Zero to Production': dataEngineering, 'the sample intent': sampleIntent, 'Excel for Accountants': excel };

/** Every field of a syllabus and its content that reaches learners through a package and its exports. */
function learnerFacingText(syllabus: Syllabus): string[] {
  const texts = [syllabus.title, syllabus.summary, syllabus.audience];
  for (const module of syllabus.modules) {
    texts.push(module.title, module.summary);
    for (const lesson of module.lessons) {
      texts.push(lesson.title, lesson.summary, ...lesson.objectives);
      for (const kind of ['lesson', 'quiz'] as const) texts.push(...allStrings(writeMockContent({ contentKind: kind, syllabus, syllabusVersionId: 'syl_1', targetId: lesson.id })));
    }
  }
  for (const moduleId of requiredProjectModules(syllabus)) texts.push(...allStrings(writeMockContent({ contentKind: 'project', syllabus, syllabusVersionId: 'syl_1', targetId: moduleId })));
  return texts;
}

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

describe('the mock model writes like a plausible designer', () => {
  describe.each(Object.entries(intents))('%s', (_name, input) => {
    it.each(shapes)('$hours h: $modules.0–$modules.1 modules of $lessonsPerModule.0–$lessonsPerModule.1 lessons, $minutes.0–$minutes.1 min each, summing to the budget', ({ hours, modules, lessonsPerModule, minutes }) => {
      const intent = LearningIntent.parse({ ...input, timeBudgetHours: hours });
      const syllabus = writeMockSyllabus(intent);
      expect(Syllabus.safeParse(syllabus).success).toBe(true);
      expect(syllabus.modules.length).toBeGreaterThanOrEqual(modules[0]);
      expect(syllabus.modules.length).toBeLessThanOrEqual(modules[1]);
      for (const module of syllabus.modules) {
        expect(module.lessons.length).toBeGreaterThanOrEqual(lessonsPerModule[0]);
        expect(module.lessons.length).toBeLessThanOrEqual(lessonsPerModule[1]);
        for (const lesson of module.lessons) {
          expect(lesson.estimatedMinutes).toBeGreaterThanOrEqual(minutes[0]);
          expect(lesson.estimatedMinutes).toBeLessThanOrEqual(minutes[1]);
        }
      }
      expect(syllabus.totalEstimatedMinutes).toBe(hours * 60);
      // Nothing for the normaliser to rescale, and nothing for the linter to flag.
      const { notes } = normalizeSyllabus(syllabus, intent);
      expect(notes).toEqual([]);
      expect(lintSyllabus(syllabus, intent)).toEqual([]);
    });
  });

  it('uses the right article for the level and for topics that start with a vowel', () => {
    expect(writeMockSyllabus(LearningIntent.parse(dataEngineering)).summary).toContain('is an intermediate course for backend developers moving into data work');
    expect(writeMockSyllabus(LearningIntent.parse({ ...dataEngineering, level: 'advanced' })).summary).toContain('is an advanced course');
    expect(writeMockSyllabus(LearningIntent.parse({ ...dataEngineering, level: 'beginner' })).summary).toContain('is a beginner course');
    for (const input of [dataEngineering, excel, sampleIntent]) {
      for (const text of learnerFacingText(writeMockSyllabus(LearningIntent.parse(input)))) expect(text).not.toMatch(/\b[Aa] (?:[aeiAEI]|[oO](?!ne)|[uU](?!s|n|t))/);
    }
    expect([withArticle('hour'), withArticle('user guide'), withArticle('Excel workflow'), withArticle('SQL task')]).toEqual(['an hour', 'a user guide', 'an Excel workflow', 'a SQL task']);
  });

  it('keeps the title phrase whole: the course summary quotes it, and no field drops a word of it', () => {
    const syllabus = writeMockSyllabus(LearningIntent.parse(dataEngineering));
    expect(syllabus.summary).toMatch(/^Data Engineering from Zero to Production is an intermediate course/);
    const texts = learnerFacingText(syllabus);
    expect(texts.filter((t) => /zero production|from zero(?! to production)/i.test(t))).toEqual([]);
    expect(syllabus.modules[0]!.title).toBe('Getting started with Data Engineering');
    // Tools named in the title keep their own casing, and get a module of their own.
    const python = writeMockSyllabus(LearningIntent.parse({ ...sampleIntent, timeBudgetHours: 40 }));
    expect(python.modules.map((m) => m.title)).toContain('Working with Python');
    expect(learnerFacingText(python).filter((t) => /\bpython\b/.test(t))).toEqual([]);
  });

  it.each(Object.entries(intents))("keeps the designer's constraints out of everything learners see (%s), yet the linter finds each one reflected", (_name, input) => {
    for (const hours of [1, 6, 40, 240]) {
      const intent = LearningIntent.parse({ ...input, timeBudgetHours: hours });
      const syllabus = writeMockSyllabus(intent);
      const texts = learnerFacingText(syllabus).map((t) => t.toLowerCase());
      for (const phrase of ['designed around', 'constraint', 'the brief asks', ...intent.constraints.map((c) => c.toLowerCase())]) {
        expect(texts.filter((t) => t.includes(phrase)), phrase).toEqual([]);
      }
      expect(lintSyllabus(syllabus, intent).filter((w) => w.code === 'constraint-ignored')).toEqual([]);
    }
  });

  it('is deterministic: the same intent gives the same bytes, a different one a different course', () => {
    const intent = LearningIntent.parse(dataEngineering);
    expect(JSON.stringify(writeMockSyllabus(intent))).toBe(JSON.stringify(writeMockSyllabus(LearningIntent.parse(dataEngineering))));
    expect(JSON.stringify(writeMockSyllabus(LearningIntent.parse({ ...dataEngineering, audience: 'Analysts' })))).not.toBe(JSON.stringify(writeMockSyllabus(intent)));
  });
});
