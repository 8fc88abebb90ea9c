import { describe, expect, it } from 'vitest';
import { describeSyllabusChanges, diffContent, renderReadableChange, wordDiff } from '../../core/diff/readable.js';
import { diffSyllabi } from '../../core/syllabus/diff.js';
import type { Syllabus } from '../../schemas/syllabus.js';
import { lessonContent, projectContent, quizContent } from '../search-fixtures.js';

const lines = (changes: Parameters<typeof renderReadableChange>[0][]) => changes.map(renderReadableChange);

describe('word diffs', () => {
  it('marks removed and added words and keeps the rest', () => {
    expect(wordDiff('Load a CSV file and inspect it', 'Load an Excel file and inspect it')).toEqual([
      { text: 'Load ', change: 'same' },
      { text: 'a CSV', change: 'removed' },
      { text: 'an Excel', change: 'added' },
      { text: ' file and inspect it', change: 'same' },
    ]);
  });

  it('is all "same" for equal text', () => {
    expect(wordDiff('one two', 'one two')).toEqual([{ text: 'one two', change: 'same' }]);
  });
});

describe('quiz diffs, question by question', () => {
  const before = quizContent('syl-1', 'lesson-1-1', 'Quiz: charts');

  it('names a changed correct option by letter', () => {
    const after = structuredClone(before);
    after.questions[1]!.correctIndex = 2;
    expect(lines(diffContent('quiz', before, after))).toEqual(['Question 2: correct option changed from B to C']);
  });

  it('shows an option’s new text as a word diff, naming question and option', () => {
    const after = structuredClone(before);
    after.questions[0]!.options[3] = 'A stacked area chart';
    after.questions[2]!.prompt = 'Which chart shows how two measures move together?';
    expect(lines(diffContent('quiz', before, after))).toEqual([
      'Question 1, option D: text changed\n  A [-pie-]{+stacked area+} chart',
      'Question 3, prompt: text changed\n  Which chart shows how two measures [-relate-]{+move together+}?',
    ]);
  });

  it('matches questions by id: a removed question is not read as every later question changing', () => {
    const after = structuredClone(before);
    after.questions.splice(0, 1);
    expect(lines(diffContent('quiz', before, after))).toEqual([
      'Question 1: moved from position 2',
      'Question 2: moved from position 3',
      'Question 1: removed: “Which chart shows a trend over time best?”',
    ]);
  });

  it('says nothing for identical versions', () => {
    expect(diffContent('quiz', before, structuredClone(before))).toEqual([]);
  });
});

describe('lesson and project diffs', () => {
  it('names lesson fields in a reviewer’s words, with word diffs for prose', () => {
    const before = lessonContent('syl-1', 'module-1', 'lesson-1-1', 0, 'Reading charts');
    const after = structuredClone(before);
    after.title = 'Reading charts well';
    after.durationMinutes = 45;
    after.objectives[1] = 'Choose a chart type for the question';
    after.keyTakeaways.push('Label every axis');
    after.practice.prompt = after.practice.prompt.replace('weather readings', 'rainfall readings');
    expect(lines(diffContent('lesson', before, after))).toEqual([
      'Title: text changed\n  Reading charts {+well+}',
      'Duration (minutes): changed from 30 to 45',
      'Objective 2: text changed\n  Choose a chart type for the question[- asked-]',
      'Key takeaway 3: added: “Label every axis”',
      'Practice, prompt: text changed\n  Load the sample file of [-weather-]{+rainfall+} readings and list the type of every column you find in it.',
    ]);
  });

  it('walks a project’s rubric criterion by criterion', () => {
    const before = projectContent('syl-1', 'module-1', 'Project: report');
    const after = structuredClone(before);
    after.rubric.criteria[1]!.levels[1]!.points = 15;
    after.rubric.totalPoints = 25;
    expect(lines(diffContent('project', before, after))).toEqual(['Criterion 2, level 2, points: changed from 10 to 15', 'Total points: changed from 20 to 25']);
  });
});

describe('syllabus diffs by title', () => {
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

  it('names lessons and modules by number and title, never by id', () => {
    const next = structuredClone(base);
    const [select, where] = next.modules[0]!.lessons;
    next.modules[0]!.lessons = [select!];
    next.modules.push({ id: 'm-more', index: 1, title: 'More', summary: '', estimatedMinutes: 60, lessons: [{ ...where!, index: 0 }, { ...where!, id: 'l-join', title: 'JOIN', index: 1, prerequisites: [] }] });
    next.modules[0]!.lessons[0]!.objectives = ['Write a SELECT query with aliases'];
    const text = lines(describeSyllabusChanges(diffSyllabi(base, next), base, next));
    expect(text).toEqual([
      'Lesson 1.1 “SELECT”: objectives changed\n  Write a SELECT query {+with aliases+}',
      'Module 2 “More”: added',
      'Lesson 2.1 “WHERE”: moved from module 1 “Basics” to module 2 “More”',
      'Lesson 2.2 “JOIN”: added to module 2 “More”',
    ]);
    expect(text.join('\n')).not.toMatch(/l-where|m-more|l-join/);
    expect(lines(describeSyllabusChanges(diffSyllabi(next, base), next, base))).toContain('Lesson 2.2 “JOIN”: removed from module 2 “More”');
  });

  it('shows course text changes as word diffs and numbers as before and after', () => {
    const next = structuredClone(base);
    next.summary = 'Query relational data with care and confidence.';
    next.totalEstimatedMinutes = 150;
    next.modules[0]!.lessons[1]!.prerequisites = [];
    expect(lines(describeSyllabusChanges(diffSyllabi(base, next), base, next))).toEqual([
      'Course: summary changed\n  Query relational data with {+care and +}confidence.',
      'Course: total minutes changed from 120 to 150',
      'Lesson 1.2 “WHERE”: prerequisites changed\n  [-SELECT-]',
    ]);
  });
});
