import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine, type ContentEngine } from '../../core/content/engine.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { describeZodIssues } from '../../schemas/errors.js';
import { LearningIntent } from '../../schemas/intent.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

/**
 * A course title is written into lesson titles, objectives and content titles, each limited to
 * 200 characters. The worst case is a title that is all subject (no filler words, no colon, no
 * "with …"): the mock designer then repeats the whole title inside its longest wordings.
 */
const allSubjectTitle = (length: number) => 'O'.repeat(length);

describe('the longest course title the generator can fit', () => {
  it('accepts a 120-character title and refuses 121 characters in the user\'s words', () => {
    expect(LearningIntent.parse({ ...sampleIntent, title: 'T'.repeat(120) }).title).toHaveLength(120);
    const refused = LearningIntent.safeParse({ ...sampleIntent, title: 'T'.repeat(121) });
    expect(refused.success).toBe(false);
    expect(describeZodIssues(refused.error!)).toEqual(['title: Title must be at most 120 characters']);
  });

  it('counts the title after trimming, so surrounding spaces do not push it over', () => {
    expect(LearningIntent.parse({ ...sampleIntent, title: `  ${'T'.repeat(120)}  ` }).title).toHaveLength(120);
  });

  describe('generation', () => {
    let opened: ReturnType<typeof openDatabase>;
    let engine: Engine;
    let content: ContentEngine;
    beforeEach(() => {
      opened = openDatabase(path.join(tempDataDir('title-limit'), 'coursewright.db'));
      engine = createEngine({ store: opened.store });
      content = createContentEngine({ store: opened.store });
    });
    afterEach(() => opened.close());

    async function generateEverything(title: string, level: 'beginner' | 'intermediate' | 'advanced') {
      // Written straight to the store: a title past the limit must still show what would happen.
      const course = engine.createCourse({ ...sampleIntent, title: 'placeholder', level, timeBudgetHours: 1 }, 'dana');
      opened.db.prepare('UPDATE courses SET intent_json = json_set(intent_json, \'$.title\', ?) WHERE id = ?').run(title, course.id);
      const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()], maxRepairs: 0 });
      engine.submitSyllabus(draft.id, 'dana');
      engine.approveSyllabus(draft.id, { by: 'rui' });
      return content.generateContent(course.id, { actor: 'dana', models: [createMockProvider()], maxRepairs: 0 });
    }

    it.each(['beginner', 'intermediate', 'advanced'] as const)('a %s course with a 120-character title gets every lesson, quiz and project written', async (level) => {
      const run = await generateEverything(allSubjectTitle(120), level);
      expect(run.failed).toEqual([]);
      expect(run.generated.length).toBe(run.planned);
      expect(run.planned).toBeGreaterThan(0);
    });

    it('past what the wordings leave room for (135 characters), lessons fail validation: the limit is real', async () => {
      const run = await generateEverything(allSubjectTitle(135), 'intermediate');
      expect(run.failed.length).toBeGreaterThan(0);
      expect(run.failed[0]!.error).toContain('expected string to have <=200 characters');
    });
  });
});
