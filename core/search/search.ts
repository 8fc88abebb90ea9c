import type { Course } from '../../schemas/course.js';
import { CoursewrightError } from '../../schemas/errors.js';
import type { SearchHit, SearchQueryInput, SearchResult } from '../../schemas/search.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';
import type { Store } from '../ports.js';
import type { SearchIndexHit } from './port.js';
import { parseSearchText } from './query.js';

const DEFAULT_LIMIT = 20;
/** Syllabi kept parsed between searches; a 480-lesson syllabus takes milliseconds to parse. */
const SYLLABUS_CACHE_SIZE = 8;

const moduleLabel = (m: SyllabusModule) => `${m.index + 1}. ${m.title}`;
const lessonLabel = (m: SyllabusModule, l: SyllabusLesson) => `${m.index + 1}.${l.index + 1} ${l.title}`;

/**
 * Search across courses, syllabus outlines, lessons, quizzes (question by question), projects
 * and the audit log, naming where each hit is and where the UI goes to show it.
 */
export function createSearch(deps: { store: Store }) {
  const { store } = deps;
  // A syllabus version's content is written once (a database trigger refuses changes), so a
  // parse cached by version id can never go stale.
  const syllabi = new Map<string, Syllabus | null>();

  function syllabusOf(versionId: string | null): Syllabus | null {
    if (!versionId) return null;
    if (syllabi.has(versionId)) return syllabi.get(versionId)!;
    const syllabus = store.syllabi.get(versionId)?.syllabus ?? null;
    if (syllabi.size >= SYLLABUS_CACHE_SIZE) syllabi.delete(syllabi.keys().next().value!);
    syllabi.set(versionId, syllabus);
    return syllabus;
  }

  function findLesson(syllabus: Syllabus | null, lessonId: string): { module: SyllabusModule; lesson: SyllabusLesson } | null {
    for (const module of syllabus?.modules ?? []) {
      const lesson = module.lessons.find((l) => l.id === lessonId);
      if (lesson) return { module, lesson };
    }
    return null;
  }

  function describe(hit: SearchIndexHit, course: Course | null): SearchHit {
    const courseTitle = course?.title ?? null;
    const syllabus = syllabusOf(hit.syllabusVersionId);
    const key = hit.itemKey.slice(hit.itemKey.indexOf(':') + 1);
    let moduleTitle: string | null = null;
    let lessonTitle: string | null = null;
    const place = (...parts: Array<string | null>) => parts.filter((p): p is string => Boolean(p)).join(' › ');
    const base = { kind: hit.kind, snippet: hit.snippet };

    switch (hit.kind) {
      case 'course':
        return { ...base, id: hit.sourceId, title: hit.title, where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: courseTitle ?? hit.title }, target: { screen: 'course', courseId: hit.sourceId } };
      case 'module': {
        const module = syllabus?.modules.find((m) => m.id === hit.targetId);
        moduleTitle = module ? moduleLabel(module) : hit.title;
        return {
          ...base,
          id: hit.targetId ?? key,
          title: hit.title,
          where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: place(courseTitle, 'Syllabus') },
          target: { screen: 'syllabus', courseId: hit.courseId ?? '', versionId: hit.sourceId, moduleId: hit.targetId ?? key },
        };
      }
      case 'syllabus_lesson': {
        const found = findLesson(syllabus, hit.targetId ?? key);
        moduleTitle = found ? moduleLabel(found.module) : null;
        lessonTitle = found ? lessonLabel(found.module, found.lesson) : hit.title;
        return {
          ...base,
          id: hit.targetId ?? key,
          title: hit.title,
          where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: place(courseTitle, 'Syllabus', moduleTitle) },
          target: { screen: 'syllabus', courseId: hit.courseId ?? '', versionId: hit.sourceId, moduleId: found?.module.id ?? '', lessonId: hit.targetId ?? key },
        };
      }
      case 'lesson':
      case 'quiz':
      case 'question': {
        const found = findLesson(syllabus, key);
        moduleTitle = found ? moduleLabel(found.module) : null;
        lessonTitle = found ? lessonLabel(found.module, found.lesson) : null;
        const question = hit.kind === 'question';
        return {
          ...base,
          id: hit.sourceId,
          title: question ? `Question ${(hit.position ?? 0) + 1}: ${hit.title}` : hit.title,
          where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: place(courseTitle, moduleTitle, lessonTitle, question ? 'Quiz' : null) },
          target: { screen: 'content', courseId: hit.courseId ?? '', itemId: hit.sourceId, ...(question && hit.targetId ? { questionId: hit.targetId } : {}) },
        };
      }
      case 'project': {
        const module = syllabus?.modules.find((m) => m.id === key);
        moduleTitle = module ? moduleLabel(module) : null;
        return {
          ...base,
          id: hit.sourceId,
          title: hit.title,
          where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: place(courseTitle, moduleTitle) },
          target: { screen: 'content', courseId: hit.courseId ?? '', itemId: hit.sourceId },
        };
      }
      case 'audit':
        return {
          ...base,
          id: hit.sourceId,
          title: hit.title,
          where: { courseId: hit.courseId, courseTitle, moduleTitle, lessonTitle, label: place(courseTitle, 'Audit log') },
          target: { screen: 'audit', entityId: hit.targetId ?? '', entryId: Number(hit.sourceId) },
        };
    }
  }

  function search(input: SearchQueryInput): SearchResult {
    const { terms, prefixLast } = parseSearchText(input.query);
    if (input.courseId && !store.courses.get(input.courseId)) {
      throw new CoursewrightError('NOT_FOUND', `No course "${input.courseId}" to search in. Search all courses, or pick one from the course list.`, { courseId: input.courseId });
    }
    const hits = store.search.query({ terms, prefixLast, courseId: input.courseId, kinds: input.kinds, limit: input.limit ?? DEFAULT_LIMIT });
    const courses = new Map<string, Course | null>();
    const courseOf = (id: string | null) => {
      if (!id) return null;
      if (!courses.has(id)) courses.set(id, store.courses.get(id) ?? null);
      return courses.get(id)!;
    };
    return { query: input.query, hits: hits.map((hit) => describe(hit, courseOf(hit.courseId))) };
  }

  return { search };
}
