import path from 'node:path';
import { contentHash } from '../../../core/hash.js';
import type { NewSyllabusVersion } from '../../../core/ports.js';
import type { Course } from '../../../schemas/course.js';
import { LearningIntent } from '../../../schemas/intent.js';
import type { Syllabus } from '../../../schemas/syllabus.js';
import { openDatabase } from '../../../db/open.js';
import { sampleIntent, tempDataDir } from '../../helpers.js';

export function freshDatabaseFile(label = 'cw-db'): string {
  return path.join(tempDataDir(label), 'coursewright.db');
}

export function openFresh(label?: string, opts?: Parameters<typeof openDatabase>[1]) {
  return openDatabase(freshDatabaseFile(label), opts);
}

export function courseFixture(id: string, overrides: Partial<Course> = {}): Course {
  return {
    id,
    title: 'Practical Data Visualisation with Python',
    status: 'draft',
    createdAt: '2025-03-01T09:00:00.000Z',
    createdBy: 'dana',
    intent: LearningIntent.parse(sampleIntent),
    ...overrides,
  };
}

/** A schema-valid syllabus of the given shape; 40×12 serialises to roughly 300 KB. */
export function syllabusFixture(modules = 3, lessonsPerModule = 4): Syllabus {
  return {
    title: 'Practical Data Visualisation with Python',
    summary: 'From spreadsheets to reproducible charts, one dataset at a time, with a capstone at the end.',
    audience: 'Analysts who use spreadsheets daily',
    level: 'beginner',
    language: 'en',
    totalEstimatedMinutes: modules * lessonsPerModule * 45,
    modules: Array.from({ length: modules }, (_, m) => ({
      id: `module-${m + 1}`,
      index: m,
      title: `Module ${m + 1}: working with a new kind of chart and the data behind it`,
      summary: 'Learners meet a dataset, ask a question of it, and answer it with a chart they can defend to a colleague. '.repeat(2),
      estimatedMinutes: lessonsPerModule * 45,
      lessons: Array.from({ length: lessonsPerModule }, (_, l) => ({
        id: `lesson-${m + 1}-${l + 1}`,
        index: l,
        title: `Lesson ${m + 1}.${l + 1}: reading, shaping and plotting the data`,
        summary: 'A guided walk through one dataset: load it, clean it, choose an encoding and explain what the chart shows and hides. '.repeat(2),
        objectives: [
          'Load a CSV file into a data frame and inspect its columns and types',
          'Choose a chart type that answers the question asked of the data',
          'Explain in two sentences what the finished chart shows and what it hides',
        ],
        prerequisites: l > 0 ? [`lesson-${m + 1}-${l}`] : [],
        estimatedMinutes: 45,
        assessmentHooks: [{ kind: 'quiz' as const, description: 'Five questions on choosing encodings for the dataset of the lesson' }],
      })),
    })),
  };
}

export function versionFixture(id: string, courseId: string, version: number, overrides: Partial<NewSyllabusVersion> = {}): NewSyllabusVersion {
  const syllabus = overrides.syllabus ?? syllabusFixture();
  const createdAt = overrides.createdAt ?? `2025-03-0${Math.min(version, 9)}T10:00:00.000Z`;
  return {
    id,
    courseId,
    version,
    status: 'DRAFT',
    syllabus,
    metadata: { version, createdBy: 'dana', createdAt, promptVersion: 'syllabus.v1', provider: 'mock', model: 'mock-1', params: { temperature: 0.2 } },
    warnings: [{ code: 'BUDGET_MISMATCH', severity: 'warning', message: 'Estimates exceed the time budget by 10%', moduleId: 'module-1' }],
    basedOnId: null,
    contentHash: contentHash(syllabus),
    createdAt,
    ...overrides,
  };
}
