import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelProvider, ModelRequest } from '../core/ai/port.js';
import type { LearningIntentInput } from '../schemas/intent.js';

/** A fresh data folder per test; nothing touches the user's real data. */
export function tempDataDir(label = 'cw'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
}

export const sampleIntent: LearningIntentInput = {
  title: 'Practical Data Visualisation with Python',
  audience: 'Analysts who use spreadsheets daily',
  level: 'beginner',
  timeBudgetHours: 6,
  teachingStyle: 'hands-on exercises on real datasets',
  constraints: ['no prior programming experience assumed', 'include a capstone project'],
  language: 'en',
};

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** A course whose first syllabus draft (mock model) is submitted and approved: where content work starts. */
export async function createCourseWithApprovedSyllabus(engine: import('../core/engine.js').Engine) {
  const { createMockProvider } = await import('../core/ai/mock-provider.js');
  const course = engine.createCourse(sampleIntent, 'dana');
  const draft = await engine.generateSyllabusDraft(course.id, { actor: 'dana', models: [createMockProvider()] });
  engine.submitSyllabus(draft.id, 'dana');
  const approved = engine.approveSyllabus(draft.id, { by: 'rui' });
  return { course, approved, lessonId: approved.syllabus.modules[0]!.lessons[0]!.id };
}

/** A model that plays back raw answers in order and records every request it was sent. */
export function scriptedModel(answers: string[]) {
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    name: 'scripted',
    model: 'script-1',
    complete: async (request) => {
      requests.push(request);
      const content = answers[requests.length - 1];
      if (content === undefined) throw new Error('script ran out');
      return { content, provider: 'scripted', model: 'script-1', usage: { promptTokens: 10, completionTokens: 20 } };
    },
  };
  return { provider, requests };
}

/** Writes every lesson, quiz and project of a course with the mock model, then opens, submits and approves each: what packaging starts from. */
export async function approveAllContent(content: import('../core/content/engine.js').ContentEngine, courseId: string) {
  const { createMockProvider } = await import('../core/ai/mock-provider.js');
  const generated = (await content.generateContent(courseId, { actor: 'dana', models: [createMockProvider()] })).generated;
  const ids = generated.map((i) => i.id);
  for (const id of ids) content.openContent(id);
  content.submitContent(ids, 'dana');
  content.approveContent(ids, { by: 'rui', requireOpened: true });
  return generated;
}
