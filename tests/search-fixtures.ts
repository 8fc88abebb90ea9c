import { contentHash } from '../core/hash.js';
import type { Store } from '../core/ports.js';
import type { ContentItem, LessonContent, Project, Quiz } from '../schemas/content.js';
import { LearningIntent } from '../schemas/intent.js';
import type { Syllabus } from '../schemas/syllabus.js';
import { sampleIntent } from './helpers.js';

/*
 * Courses with known words in known places, written straight through the store (as generation
 * and hand edits do), so search tests can say exactly which lesson, question or module a word
 * must be found in.
 */

export interface SeedOptions {
  courseId: string;
  title: string;
  modules: number;
  lessonsPerModule: number;
  /** Extra words for one lesson's text, by lesson id (lesson-<m>-<l>). */
  lessonWords?: Record<string, string>;
  /** Extra words for one quiz question, by lesson id: the second question's prompt. */
  questionWords?: Record<string, string>;
  /** Title of one syllabus lesson, by lesson id. */
  lessonTitles?: Record<string, string>;
  /** Approve the syllabus, as the content screen shows content of the approved syllabus only. */
  approveSyllabus?: boolean;
}

const at = '2026-01-05T10:00:00.000Z';

export function seedSyllabus(options: SeedOptions): Syllabus {
  return {
    title: options.title,
    summary: 'From spreadsheets to reproducible charts, one dataset at a time.',
    audience: 'Analysts who use spreadsheets daily',
    level: 'beginner',
    language: 'en',
    totalEstimatedMinutes: options.modules * options.lessonsPerModule * 30,
    modules: Array.from({ length: options.modules }, (_, m) => ({
      id: `module-${m + 1}`,
      index: m,
      title: `Module ${m + 1} charts`,
      summary: 'Learners meet a dataset and answer a question with a chart.',
      estimatedMinutes: options.lessonsPerModule * 30,
      lessons: Array.from({ length: options.lessonsPerModule }, (_, l) => {
        const id = `lesson-${m + 1}-${l + 1}`;
        return {
          id,
          index: l,
          title: options.lessonTitles?.[id] ?? `Lesson ${m + 1}.${l + 1} shaping data`,
          summary: 'A guided walk through one dataset.',
          objectives: ['Load a CSV file and inspect its columns', 'Choose a chart type for the question asked'],
          prerequisites: [],
          estimatedMinutes: 30,
          assessmentHooks: [{ kind: 'quiz' as const, description: 'Questions on choosing encodings' }],
        };
      }),
    })),
  };
}

export function lessonContent(syllabusVersionId: string, moduleId: string, lessonId: string, lessonIndex: number, title: string, extra = ''): LessonContent {
  return {
    id: lessonId,
    syllabusVersionId,
    moduleId,
    lessonIndex,
    title,
    durationMinutes: 30,
    objectives: ['Load a CSV file and inspect its columns', 'Choose a chart type for the question asked'],
    explanation: {
      overview: `This lesson walks through loading a table of measurements, checking each column, and deciding which chart answers the question. ${extra}`.trim(),
      concepts: [
        {
          title: 'Columns and types',
          explanation: 'Every column holds one kind of value; numbers, dates and categories each suggest different encodings on a chart.',
          example: 'A column of dates belongs on a horizontal time axis.',
        },
      ],
    },
    keyTakeaways: ['Inspect columns before plotting', 'Pick the encoding from the question'],
    practice: {
      prompt: 'Load the sample file of weather readings and list the type of every column you find in it.',
      expectedOutcome: 'A short list naming each column of the file with its type and one example value from it.',
    },
    metadata: { level: 'beginner', prerequisites: [] },
  };
}

export function quizContent(syllabusVersionId: string, lessonId: string, title: string, secondPrompt?: string): Quiz {
  const question = (n: number, prompt: string) => ({
    id: `q${n}`,
    prompt,
    options: ['A bar chart', 'A line chart', 'A scatter plot', 'A pie chart'],
    correctIndex: 1,
    explanation: 'Time series read best along a line, left to right.',
    objective: 'Choose a chart type for the question asked',
  });
  return {
    id: `quiz-${lessonId}`,
    syllabusVersionId,
    lessonId,
    title,
    questions: [
      question(1, 'Which chart shows a trend over time best?'),
      question(2, secondPrompt ?? 'Which chart compares a few categories best?'),
      question(3, 'Which chart shows how two measures relate?'),
    ],
  };
}

export function projectContent(syllabusVersionId: string, moduleId: string, title: string): Project {
  return {
    id: `project-${moduleId}`,
    syllabusVersionId,
    moduleId,
    title,
    problemStatement: 'Build a small report of three charts from the city weather readings and explain what each chart shows.',
    constraints: ['Use only the provided file'],
    deliverables: ['Three charts with captions'],
    rubric: {
      criteria: [
        { id: 'c-clarity', title: 'Clarity', levels: [{ label: 'Weak', descriptor: 'Charts are hard to read.', points: 0 }, { label: 'Strong', descriptor: 'Every chart reads at a glance.', points: 10 }] },
        { id: 'c-fit', title: 'Fit', levels: [{ label: 'Weak', descriptor: 'Chart types do not fit.', points: 0 }, { label: 'Strong', descriptor: 'Every chart type fits its question.', points: 10 }] },
      ],
      totalPoints: 20,
    },
  };
}

/** Writes one version of a content item, as generation or a hand edit does. */
export function writeContent(store: Store, item: { id: string; courseId: string; syllabusVersionId: string; kind: ContentItem['kind']; targetId: string; content: ContentItem['content']; basedOnId?: string | null }) {
  const version = store.content.nextVersion(item.syllabusVersionId, item.kind, item.targetId);
  store.content.insert({
    id: item.id,
    courseId: item.courseId,
    syllabusVersionId: item.syllabusVersionId,
    kind: item.kind,
    targetId: item.targetId,
    version,
    status: 'DRAFT',
    content: item.content,
    metadata: { promptVersion: 'lesson.v1', provider: 'mock', model: 'mock-1', params: {}, createdBy: 'dana', createdAt: at },
    basedOnId: item.basedOnId ?? null,
    contentHash: contentHash(item.content),
  });
  return version;
}

/** A course with its syllabus and, for every lesson, a lesson and a quiz; a project per module. */
export function seedCourse(store: Store, options: SeedOptions) {
  const syllabus = seedSyllabus(options);
  const syllabusVersionId = `syl-${options.courseId}`;
  store.transaction(() => {
    store.courses.insert({ id: options.courseId, title: options.title, status: 'draft', createdAt: at, createdBy: 'dana', intent: LearningIntent.parse({ ...sampleIntent, title: options.title }) });
    store.syllabi.insert({
      id: syllabusVersionId,
      courseId: options.courseId,
      version: 1,
      status: 'DRAFT',
      syllabus,
      metadata: { version: 1, createdBy: 'dana', createdAt: at, promptVersion: 'syllabus.v1', provider: 'mock', model: 'mock-1', params: {} },
      warnings: [],
      basedOnId: null,
      contentHash: contentHash(syllabus),
      createdAt: at,
    });
    if (options.approveSyllabus) {
      store.syllabi.changeStatus(syllabusVersionId, { status: 'IN_REVIEW', at });
      store.syllabi.changeStatus(syllabusVersionId, { status: 'APPROVED', at, by: 'rui', note: null });
    }
    for (const module of syllabus.modules) {
      for (const lesson of module.lessons) {
        writeContent(store, {
          id: `les-${options.courseId}-${lesson.id}`,
          courseId: options.courseId,
          syllabusVersionId,
          kind: 'lesson',
          targetId: lesson.id,
          content: lessonContent(syllabusVersionId, module.id, lesson.id, lesson.index, lesson.title, options.lessonWords?.[lesson.id]),
        });
        writeContent(store, {
          id: `qz-${options.courseId}-${lesson.id}`,
          courseId: options.courseId,
          syllabusVersionId,
          kind: 'quiz',
          targetId: lesson.id,
          content: quizContent(syllabusVersionId, lesson.id, `Quiz: ${lesson.title}`, options.questionWords?.[lesson.id]),
        });
      }
      writeContent(store, {
        id: `prj-${options.courseId}-${module.id}`,
        courseId: options.courseId,
        syllabusVersionId,
        kind: 'project',
        targetId: module.id,
        content: projectContent(syllabusVersionId, module.id, `Project: ${module.title} report`),
      });
    }
  });
  return { syllabus, syllabusVersionId };
}
