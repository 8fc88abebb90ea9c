import { describe, expect, it } from 'vitest';
import { writeMockLesson, writeMockProject, writeMockQuiz } from '../../core/ai/mock-content.js';
import { createMockProvider, writeMockSyllabus } from '../../core/ai/mock-provider.js';
import type { ModelProvider, ModelRequest } from '../../core/ai/port.js';
import { contentPromptVersions, generateContentItem } from '../../core/content/generate.js';
import { crossCheckContent } from '../../core/content/validate.js';
import { LessonContent, Project, Quiz } from '../../schemas/content.js';
import { LearningIntent } from '../../schemas/intent.js';

const intent = LearningIntent.parse({ title: 'Intro to SQL for Analysts', audience: 'Marketing analysts', level: 'beginner', timeBudgetHours: 4, teachingStyle: 'worked examples', constraints: ['include a capstone project'] });
const syllabus = writeMockSyllabus(intent);
const versionId = 'syl_approved1';
const firstLesson = syllabus.modules[0]!.lessons[0]!;
const base = { syllabus, syllabusVersionId: versionId };

function scripted(answers: string[]) {
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    name: 'scripted',
    model: 'script',
    complete: async (request) => {
      requests.push(request);
      return { content: answers[requests.length - 1] ?? '{}', provider: 'scripted', model: 'script', usage: { promptTokens: 1, completionTokens: 1 } };
    },
  };
  return { provider, requests };
}

describe('content schemas', () => {
  const quiz = writeMockQuiz({ contentKind: 'quiz', ...base, targetId: firstLesson.id });
  const project = writeMockProject({ contentKind: 'project', ...base, targetId: syllabus.modules[0]!.id });
  const lesson = writeMockLesson({ contentKind: 'lesson', ...base, targetId: firstLesson.id });

  it('accept what the mock writes for every lesson and module, cross-references included', () => {
    for (const module of syllabus.modules) {
      const p = writeMockProject({ contentKind: 'project', ...base, targetId: module.id });
      expect(Project.safeParse(p).success).toBe(true);
      expect(crossCheckContent('project', p, syllabus, versionId, module.id)).toEqual([]);
      for (const l of module.lessons) {
        const lc = writeMockLesson({ contentKind: 'lesson', ...base, targetId: l.id });
        const q = writeMockQuiz({ contentKind: 'quiz', ...base, targetId: l.id });
        expect(LessonContent.safeParse(lc).success).toBe(true);
        expect(Quiz.safeParse(q).success).toBe(true);
        expect(crossCheckContent('lesson', lc, syllabus, versionId, l.id)).toEqual([]);
        expect(crossCheckContent('quiz', q, syllabus, versionId, l.id)).toEqual([]);
      }
    }
  });

  it('insist on exactly four distinct options and a correct index in range', () => {
    const q = quiz.questions[0]!;
    expect(Quiz.safeParse({ ...quiz, questions: [{ ...q, options: q.options.slice(0, 3) }, ...quiz.questions.slice(1)] }).success).toBe(false);
    expect(Quiz.safeParse({ ...quiz, questions: [{ ...q, options: ['A', 'a ', 'B', 'C'] }, ...quiz.questions.slice(1)] }).success).toBe(false);
    expect(Quiz.safeParse({ ...quiz, questions: [{ ...q, correctIndex: 4 }, ...quiz.questions.slice(1)] }).success).toBe(false);
  });

  it('insist that rubric totals add up', () => {
    expect(Project.safeParse({ ...project, rubric: { ...project.rubric, totalPoints: project.rubric.totalPoints + 1 } }).success).toBe(false);
  });

  it('insist on lesson minimums: title, takeaways, practice', () => {
    expect(LessonContent.safeParse({ ...lesson, title: 'SQL' }).success).toBe(false);
    expect(LessonContent.safeParse({ ...lesson, keyTakeaways: ['only one'] }).success).toBe(false);
    expect(LessonContent.safeParse({ ...lesson, practice: { prompt: 'too short', expectedOutcome: lesson.practice.expectedOutcome } }).success).toBe(false);
  });

  it('cross-checks objectives, ids and targets against the approved syllabus', () => {
    expect(crossCheckContent('lesson', { ...lesson, objectives: ['Understand SQL deeply'] }, syllabus, versionId, firstLesson.id)).toEqual([expect.stringContaining("exactly the syllabus lesson's objectives")]);
    expect(crossCheckContent('lesson', { ...lesson, metadata: { ...lesson.metadata, prerequisites: ['ghost-lesson'] } }, syllabus, versionId, firstLesson.id)).toEqual([expect.stringContaining('ghost-lesson')]);
    const offTopic = { ...quiz, questions: quiz.questions.map((q, i) => (i === 1 ? { ...q, objective: 'Design a distributed database' } : q)) };
    expect(crossCheckContent('quiz', offTopic, syllabus, versionId, firstLesson.id)).toEqual(['questions.1.objective must be one of the lesson\'s objectives, verbatim']);
    expect(crossCheckContent('project', { ...project, moduleId: 'm99-nowhere' }, syllabus, versionId, 'm99-nowhere')).toEqual([expect.stringContaining('not a module')]);
    expect(crossCheckContent('quiz', quiz, syllabus, 'syl_other', firstLesson.id)).toEqual(['syllabusVersionId must be "syl_other"']);
  });
});

describe('generating one content item', () => {
  it('writes each kind with the mock, recording its own prompt version', async () => {
    const provider = createMockProvider();
    const lesson = await generateContentItem('lesson', { ...base, targetId: firstLesson.id }, { provider });
    const quiz = await generateContentItem('quiz', { ...base, targetId: firstLesson.id }, { provider });
    const project = await generateContentItem('project', { ...base, targetId: syllabus.modules.at(-1)!.id }, { provider });
    expect(lesson.content.objectives).toEqual(firstLesson.objectives);
    expect(quiz.content.questions.every((q) => firstLesson.objectives.includes(q.objective))).toBe(true);
    expect(project.content.rubric.criteria.length).toBeGreaterThanOrEqual(2);
    expect(new Set(Object.values(contentPromptVersions)).size).toBe(3);
    expect(lesson.promptVersion).toBe(contentPromptVersions.lesson);
  });

  it('sends content that strays from the syllabus back for repair, like invalid JSON', async () => {
    const good = writeMockLesson({ contentKind: 'lesson', ...base, targetId: firstLesson.id });
    const strayed = { ...good, objectives: ['Learn about everything'], moduleId: 'm-invented' };
    const { provider, requests } = scripted([JSON.stringify(strayed), JSON.stringify(good)]);
    const result = await generateContentItem('lesson', { ...base, targetId: firstLesson.id }, { provider });
    expect(result.attempts).toBe(2);
    expect(requests[1]!.purpose).toBe('content.lesson.repair');
    expect(requests[1]!.messages.at(-1)!.content).toContain('objectives must be exactly');
    expect(result.content).toEqual(good);
  });

  it('fails clearly when the content stays invalid, and refuses targets the syllabus lacks', async () => {
    const { provider } = scripted(['{"id": "x"}', 'nope', '{}']);
    await expect(generateContentItem('quiz', { ...base, targetId: firstLesson.id }, { provider })).rejects.toMatchObject({ code: 'MODEL_OUTPUT_INVALID', message: expect.stringContaining(`quiz for ${firstLesson.id}`) });
    await expect(generateContentItem('lesson', { ...base, targetId: 'not-a-lesson' }, { provider: createMockProvider() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('passes a regeneration instruction to the model', async () => {
    const result = await generateContentItem('lesson', { ...base, targetId: firstLesson.id, instruction: 'use a retail sales example' }, { provider: createMockProvider() });
    expect(result.content.explanation.overview).toContain('use a retail sales example');
  });
});
