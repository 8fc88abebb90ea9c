import { describe, expect, it } from 'vitest';
import { writeMockLesson, writeMockProject, writeMockQuiz } from '../../core/ai/mock-content.js';
import { crossCheckContent } from '../../core/content/validate.js';
import type { LessonContent, Project, Quiz } from '../../schemas/content.js';
import { Syllabus } from '../../schemas/syllabus.js';

/**
 * Each cross-check of content against the approved syllabus, one fault at a time: content with a
 * single fault gets exactly that one sentence back (so a check that vanished cannot hide behind
 * another), and the same content without the fault gets none.
 */

const lesson = (id: string, index: number, objectives: string[]) => ({ id, index, title: `Lesson ${id}`, objectives, estimatedMinutes: 30 });

const syllabus = Syllabus.parse({
  title: 'Joins for analysts',
  summary: 'Reading and writing SQL joins on real tables.',
  audience: 'Marketing analysts',
  level: 'beginner',
  language: 'en',
  totalEstimatedMinutes: 90,
  modules: [
    { id: 'm1', index: 0, title: 'Reading joins', estimatedMinutes: 60, lessons: [lesson('l1', 0, ['Explain what an inner join keeps', 'Write an inner join of two tables']), lesson('l2', 1, ['Explain what a left join keeps'])] },
    { id: 'm2', index: 1, title: 'Writing joins', estimatedMinutes: 30, lessons: [lesson('l3', 0, ['Choose the join a question needs'])] },
  ],
});

const VERSION = 'syl-approved';
const request = (targetId: string) => ({ syllabus, syllabusVersionId: VERSION, targetId });
const goodLesson = (id: string): LessonContent => writeMockLesson({ contentKind: 'lesson', ...request(id) });
const goodQuiz = (id: string): Quiz => writeMockQuiz({ contentKind: 'quiz', ...request(id) });
const goodProject = (id: string): Project => writeMockProject({ contentKind: 'project', ...request(id) });

const checkLesson = (content: LessonContent, targetId = content.id, against: Syllabus = syllabus) => crossCheckContent('lesson', content, against, VERSION, targetId);
const checkQuiz = (content: Quiz, targetId = content.lessonId, against: Syllabus = syllabus) => crossCheckContent('quiz', content, against, VERSION, targetId);
const checkProject = (content: Project, targetId = content.moduleId) => crossCheckContent('project', content, syllabus, VERSION, targetId);

describe('content that matches the approved syllabus', () => {
  it('passes every check, for each lesson, quiz and module project', () => {
    for (const id of ['l1', 'l2', 'l3']) {
      expect(checkLesson(goodLesson(id))).toEqual([]);
      expect(checkQuiz(goodQuiz(id))).toEqual([]);
    }
    expect(checkProject(goodProject('m1'))).toEqual([]);
    expect(checkProject(goodProject('m2'))).toEqual([]);
  });
});

describe('syllabus version', () => {
  it('refuses content that names another syllabus version, for every kind', () => {
    expect(checkLesson({ ...goodLesson('l1'), syllabusVersionId: 'syl-older' })).toEqual(['syllabusVersionId must be "syl-approved"']);
    expect(checkQuiz({ ...goodQuiz('l1'), syllabusVersionId: 'syl-older' })).toEqual(['syllabusVersionId must be "syl-approved"']);
    expect(checkProject({ ...goodProject('m1'), syllabusVersionId: 'syl-older' })).toEqual(['syllabusVersionId must be "syl-approved"']);
  });
});

describe('project checks', () => {
  it('refuses a project written for another real module than the one asked for', () => {
    expect(checkProject(goodProject('m1'), 'm2')).toEqual(['moduleId must be "m2"']);
  });

  it('refuses a project for a module the syllabus does not have', () => {
    expect(checkProject({ ...goodProject('m1'), moduleId: 'm9' })).toEqual(['moduleId "m9" is not a module of the approved syllabus']);
  });
});

describe('lesson checks', () => {
  it('refuses lesson content written for another real lesson than the one asked for', () => {
    expect(checkLesson(goodLesson('l1'), 'l2')).toEqual(['id must be "l2"']);
  });

  it('refuses a lesson the syllabus does not have, keeping the problems found before', () => {
    const ghost = { ...goodLesson('l1'), id: 'l9' };
    expect(checkLesson(ghost)).toEqual(['lesson "l9" is not in the approved syllabus']);
    expect(checkLesson({ ...ghost, syllabusVersionId: 'syl-older' }, 'l1')).toEqual(['syllabusVersionId must be "syl-approved"', 'id must be "l1"', 'lesson "l9" is not in the approved syllabus']);
  });

  it('refuses a lesson placed in a module that does not hold it', () => {
    expect(checkLesson({ ...goodLesson('l3'), moduleId: 'm1' })).toEqual(['moduleId must be "m2", the module that holds lesson l3']);
  });

  it('refuses a lesson at the wrong position in its module', () => {
    expect(checkLesson({ ...goodLesson('l2'), lessonIndex: 0 })).toEqual(['lessonIndex must be 1']);
  });

  describe('objectives must be exactly the syllabus lesson objectives', () => {
    const refusal = 'objectives must be exactly the syllabus lesson\'s objectives: ["Explain what an inner join keeps","Write an inner join of two tables"]';

    it('refuses one objective left out', () => {
      expect(checkLesson({ ...goodLesson('l1'), objectives: ['Explain what an inner join keeps'] })).toEqual([refusal]);
    });

    it('refuses one objective added', () => {
      expect(checkLesson({ ...goodLesson('l1'), objectives: ['Explain what an inner join keeps', 'Write an inner join of two tables', 'Tune a slow join'] })).toEqual([refusal]);
    });

    it('refuses one objective reworded while the count stays right', () => {
      expect(checkLesson({ ...goodLesson('l1'), objectives: ['Explain what an inner join keeps', 'Write any join of two tables'] })).toEqual([refusal]);
    });

    it('refuses the right objectives in another order', () => {
      expect(checkLesson({ ...goodLesson('l1'), objectives: ['Write an inner join of two tables', 'Explain what an inner join keeps'] })).toEqual([refusal]);
    });

    it('accepts objectives that differ only by surrounding spaces, on either side', () => {
      expect(checkLesson({ ...goodLesson('l1'), objectives: ['  Explain what an inner join keeps', 'Write an inner join of two tables \n'] })).toEqual([]);
      const padded = { ...syllabus, modules: syllabus.modules.map((m) => ({ ...m, lessons: m.lessons.map((l) => ({ ...l, objectives: l.objectives.map((o) => ` ${o} `) })) })) };
      expect(checkLesson(goodLesson('l1'), 'l1', padded)).toEqual([]);
    });
  });

  it('refuses a prerequisite that is not a lesson of the syllabus, and accepts one that is, in any module', () => {
    const withPrerequisites = (prerequisites: string[]) => ({ ...goodLesson('l3'), metadata: { ...goodLesson('l3').metadata, prerequisites } });
    expect(checkLesson(withPrerequisites(['l1', 'l2']))).toEqual([]);
    expect(checkLesson(withPrerequisites(['l1', 'm1', 'l7']))).toEqual([
      'metadata.prerequisites names "m1", which is not a lesson of the syllabus',
      'metadata.prerequisites names "l7", which is not a lesson of the syllabus',
    ]);
  });
});

describe('quiz checks', () => {
  it('refuses a quiz written for another real lesson than the one asked for', () => {
    expect(checkQuiz(goodQuiz('l1'), 'l3')).toEqual(['lessonId must be "l3"']);
  });

  it('refuses a quiz for a lesson the syllabus does not have', () => {
    expect(checkQuiz({ ...goodQuiz('l1'), lessonId: 'l9' })).toEqual(['lesson "l9" is not in the approved syllabus']);
  });

  it('refuses a question on an objective of another lesson, naming the question', () => {
    const quiz = goodQuiz('l1');
    const strayed = { ...quiz, questions: quiz.questions.map((q, i) => (i === 2 ? { ...q, objective: 'Explain what a left join keeps' } : q)) };
    expect(checkQuiz(strayed)).toEqual(["questions.2.objective must be one of the lesson's objectives, verbatim"]);
  });

  it('accepts question objectives that differ from the lesson objectives only by surrounding spaces, on either side', () => {
    const quiz = goodQuiz('l1');
    expect(checkQuiz({ ...quiz, questions: quiz.questions.map((q) => ({ ...q, objective: `  ${q.objective} ` })) })).toEqual([]);
    const padded = { ...syllabus, modules: syllabus.modules.map((m) => ({ ...m, lessons: m.lessons.map((l) => ({ ...l, objectives: l.objectives.map((o) => `${o}  `) })) })) };
    expect(checkQuiz(quiz, 'l1', padded)).toEqual([]);
  });

  it('refuses two questions with one id, and accepts distinct ids', () => {
    const quiz = goodQuiz('l1');
    expect(new Set(quiz.questions.map((q) => q.id)).size).toBe(3);
    expect(checkQuiz({ ...quiz, questions: quiz.questions.map((q, i) => (i === 1 ? { ...q, id: quiz.questions[0]!.id } : q)) })).toEqual(['question ids must be unique']);
  });
});
