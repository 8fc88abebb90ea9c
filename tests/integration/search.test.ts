import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearchHandlers } from '../../core/studio/search-handlers.js';
import { openDatabase, type OpenedDatabase } from '../../db/open.js';
import type { SearchHit } from '../../schemas/search.js';
import { tempDataDir } from '../helpers.js';
import { lessonContent, quizContent, seedCourse, writeContent } from '../search-fixtures.js';

let opened: OpenedDatabase;
let file: string;
let search: ReturnType<typeof createSearchHandlers>['search.query'];

beforeEach(() => {
  file = path.join(tempDataDir('search'), 'coursewright.db');
  opened = openDatabase(file);
  search = createSearchHandlers({ store: opened.store })['search.query'];
  seedCourse(opened.store, {
    courseId: 'crs-weather',
    title: 'Charting the Weather',
    modules: 2,
    lessonsPerModule: 3,
    lessonWords: { 'lesson-2-2': 'Humidity readings drift after sunset.' },
    questionWords: { 'lesson-1-3': 'Which chart shows rainfall per month best?' },
    lessonTitles: { 'lesson-1-2': 'Cleaning barometer logs' },
  });
  seedCourse(opened.store, { courseId: 'crs-sales', title: 'Reading Sales Figures', modules: 1, lessonsPerModule: 2, lessonWords: { 'lesson-1-1': 'Humidity has nothing to do with sales.' } });
});
afterEach(() => opened.close());

const run = (query: string, more: { courseId?: string; kinds?: SearchHit['kind'][]; limit?: number } = {}) => Promise.resolve().then(() => search({ query, ...more }) as { query: string; hits: SearchHit[] });
const marked = (hit: SearchHit) => hit.snippet.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

describe('search finds things where they are', () => {
  it('finds a word in a lesson’s prose, names its course, module and lesson, and jumps to the content item', async () => {
    const { hits } = await run('humidity', { courseId: 'crs-weather' });
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit).toMatchObject({
      kind: 'lesson',
      id: 'les-crs-weather-lesson-2-2',
      title: 'Lesson 2.2 shaping data',
      where: { courseId: 'crs-weather', courseTitle: 'Charting the Weather', moduleTitle: '2. Module 2 charts', lessonTitle: '2.2 Lesson 2.2 shaping data', label: 'Charting the Weather › 2. Module 2 charts › 2.2 Lesson 2.2 shaping data' },
      target: { screen: 'content', courseId: 'crs-weather', itemId: 'les-crs-weather-lesson-2-2' },
    });
    expect(marked(hit!)).toContain('[Humidity] readings drift after sunset');
  });

  it('finds a quiz question by its prompt, numbered, and jumps to the quiz with the question', async () => {
    const { hits } = await run('rainfall');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      kind: 'question',
      id: 'qz-crs-weather-lesson-1-3',
      title: 'Question 2: Which chart shows rainfall per month best?',
      where: { label: 'Charting the Weather › 1. Module 1 charts › 1.3 Lesson 1.3 shaping data › Quiz' },
      target: { screen: 'content', courseId: 'crs-weather', itemId: 'qz-crs-weather-lesson-1-3', questionId: 'q2' },
    });
    expect(marked(hits[0]!)).toBe('Which chart shows [rainfall] per month best?');
  });

  it('finds quiz options too', async () => {
    const { hits } = await run('scatter plot', { courseId: 'crs-sales', kinds: ['question'] });
    expect(hits).toHaveLength(2 * 3);
    expect(hits.every((h) => h.kind === 'question')).toBe(true);
  });

  it('finds syllabus lessons and jumps to the syllabus editor on that lesson', async () => {
    const { hits } = await run('barometer');
    const syllabusHit = hits.find((h) => h.kind === 'syllabus_lesson');
    expect(syllabusHit).toMatchObject({
      id: 'lesson-1-2',
      title: 'Cleaning barometer logs',
      where: { label: 'Charting the Weather › Syllabus › 1. Module 1 charts' },
      target: { screen: 'syllabus', courseId: 'crs-weather', versionId: 'syl-crs-weather', moduleId: 'module-1', lessonId: 'lesson-1-2' },
    });
    // The lesson written for it carries the same title, so the content item is found as well.
    expect(hits.map((h) => h.kind).sort()).toEqual(['lesson', 'quiz', 'syllabus_lesson']);
  });

  it('finds courses, modules and projects', async () => {
    expect((await run('Sales Figures', { kinds: ['course'] })).hits).toEqual([expect.objectContaining({ kind: 'course', id: 'crs-sales', target: { screen: 'course', courseId: 'crs-sales' } })]);
    const modules = (await run('Module 2 charts', { courseId: 'crs-weather', kinds: ['module'] })).hits;
    expect(modules.map((h) => h.id)).toEqual(['module-2']);
    expect(modules[0]!.target).toEqual({ screen: 'syllabus', courseId: 'crs-weather', versionId: 'syl-crs-weather', moduleId: 'module-2' });
    const projects = (await run('barometer weather readings report', { kinds: ['project'] })).hits;
    expect(projects).toEqual([]);
    const reports = (await run('city weather readings', { kinds: ['project'], courseId: 'crs-weather' })).hits;
    expect(reports.map((h) => h.id).sort()).toEqual(['prj-crs-weather-module-1', 'prj-crs-weather-module-2']);
    expect(reports.find((h) => h.id === 'prj-crs-weather-module-1')!.where.label).toBe('Charting the Weather › 1. Module 1 charts');
  });

  it('matches the last word as a prefix while it is being typed, and only whole words once a space follows', async () => {
    expect((await run('humid')).hits).toHaveLength(2);
    expect((await run('humid ')).hits).toHaveLength(0);
    expect((await run('humidity readings dri')).hits.map((h) => h.id)).toEqual(['les-crs-weather-lesson-2-2']);
  });
});

describe('the course filter', () => {
  it('keeps hits to one course, and without it every course is searched', async () => {
    expect((await run('humidity')).hits.map((h) => h.where.courseId).sort()).toEqual(['crs-sales', 'crs-weather']);
    expect((await run('humidity', { courseId: 'crs-sales' })).hits.map((h) => h.id)).toEqual(['les-crs-sales-lesson-1-1']);
  });

  it('refuses a course that does not exist, naming it', async () => {
    await expect(async () => run('humidity', { courseId: 'crs-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('crs-nope') });
  });
});

describe('only the latest version of each item is a hit', () => {
  it('a new version of a lesson replaces the old one in the results', async () => {
    const store = opened.store;
    store.content.changeStatus('les-crs-weather-lesson-2-2', { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    const content = lessonContent('syl-crs-weather', 'module-2', 'lesson-2-2', 1, 'Lesson 2.2 shaping data', 'Dew point replaces the old wording.');
    const version = writeContent(store, { id: 'les-v2', courseId: 'crs-weather', syllabusVersionId: 'syl-crs-weather', kind: 'lesson', targetId: 'lesson-2-2', content, basedOnId: 'les-crs-weather-lesson-2-2' });
    expect(version).toBe(2);
    expect((await run('humidity', { courseId: 'crs-weather' })).hits).toEqual([]);
    expect((await run('dew point')).hits.map((h) => [h.kind, h.id])).toEqual([['lesson', 'les-v2']]);
    // The unchanged words of the lesson are found once, in the new version.
    expect((await run('weather readings sample', { courseId: 'crs-weather', kinds: ['lesson'] })).hits.filter((h) => h.where.lessonTitle?.startsWith('2.2'))).toEqual([expect.objectContaining({ id: 'les-v2' })]);
  });

  it('a new quiz version replaces every question of the old one', async () => {
    const store = opened.store;
    store.content.changeStatus('qz-crs-weather-lesson-1-3', { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    writeContent(store, { id: 'qz-v2', courseId: 'crs-weather', syllabusVersionId: 'syl-crs-weather', kind: 'quiz', targetId: 'lesson-1-3', content: quizContent('syl-crs-weather', 'lesson-1-3', 'Quiz: weather', 'Which chart shows snowfall per month best?') });
    expect((await run('rainfall')).hits).toEqual([]);
    expect((await run('snowfall')).hits).toEqual([expect.objectContaining({ kind: 'question', id: 'qz-v2', title: 'Question 2: Which chart shows snowfall per month best?' })]);
    expect((await run('trend over time', { courseId: 'crs-weather', kinds: ['question'] })).hits.filter((h) => h.where.lessonTitle?.startsWith('1.3')).map((h) => h.id)).toEqual(['qz-v2']);
  });

  it('a new syllabus version replaces the old outline', async () => {
    const store = opened.store;
    const v1 = store.syllabi.get('syl-crs-weather')!;
    const renamed = structuredClone(v1.syllabus);
    renamed.modules[0]!.lessons[1]!.title = 'Cleaning anemometer logs';
    store.syllabi.changeStatus(v1.id, { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    store.syllabi.insert({ ...v1, id: 'syl-v2', version: 2, status: 'DRAFT', syllabus: renamed, basedOnId: v1.id, contentHash: 'x', createdAt: '2026-01-06T10:00:00.000Z', warnings: [] });
    expect((await run('barometer', { kinds: ['syllabus_lesson'] })).hits).toEqual([]);
    expect((await run('anemometer')).hits).toEqual([expect.objectContaining({ kind: 'syllabus_lesson', target: expect.objectContaining({ versionId: 'syl-v2', lessonId: 'lesson-1-2' }) })]);
  });
});

describe('the audit log', () => {
  it('finds audit entries by action, actor and details, placed in their course', async () => {
    opened.store.audit.append({ actor: 'Rui Okafor', action: 'content.rejected', entityType: 'content_item', entityId: 'les-crs-weather-lesson-1-1', metadata: { courseId: 'crs-weather', reason: 'The overview skips the anemometer entirely' } });
    const entryId = opened.store.audit.list({ limit: 1 })[0]!.id;
    const { hits } = await run('anemometer', { kinds: ['audit'] });
    expect(hits).toEqual([
      expect.objectContaining({ kind: 'audit', id: String(entryId), title: 'content.rejected', where: expect.objectContaining({ courseTitle: 'Charting the Weather', label: 'Charting the Weather › Audit log' }), target: { screen: 'audit', entityId: 'les-crs-weather-lesson-1-1', entryId } }),
    ]);
    expect((await run('Okafor')).hits.map((h) => h.kind)).toEqual(['audit']);
    expect((await run('rejected', { courseId: 'crs-weather', kinds: ['audit'] })).hits).toHaveLength(1);
    expect((await run('rejected', { courseId: 'crs-sales', kinds: ['audit'] })).hits).toHaveLength(0);
  });
});

describe('what people type is never query syntax', () => {
  it.each([
    ['a quote before a word', '"rainfall'],
    ['a quote inside a word', 'rain"fall'],
    ['a star after a word', 'rain*'],
    ['a star between words', 'rainfall * month'],
    ['AND between words', 'rainfall AND'],
    ['OR and NOT', 'OR NOT rainfall'],
    ['a leading minus', '-rainfall'],
    ['a colon as in a column filter', 'title:rainfall'],
    ['unbalanced parentheses', '(rainfall'],
    ['a closing parenthesis', 'rainfall)'],
    ['NEAR', 'NEAR(rainfall month)'],
    ['a caret', '^rainfall'],
    ['a plus', 'rainfall + month'],
  ])('%s searches for the text and raises no error', async (_name, query) => {
    await expect(run(query)).resolves.toMatchObject({ query });
  });

  it('finds the words around the punctuation', async () => {
    expect((await run('(rainfall')).hits.map((h) => h.kind)).toEqual(['question']);
    expect((await run('"rainfall" month')).hits.map((h) => h.kind)).toEqual(['question']);
    expect((await run('-rainfall')).hits.map((h) => h.kind)).toEqual(['question']);
    // AND is a word to find, not an operator: no text says "and" after rainfall here.
    expect((await run('rainfall AND')).hits).toEqual([]);
  });

  it('refuses an empty search and one with no letters or digits, saying what to do', async () => {
    await expect(async () => run('')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Type a word to search for; the search is empty.' });
    await expect(async () => run('   ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(async () => run('"')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: '""" has no letters or digits to search for; type a word.' });
    await expect(async () => run('*')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: '"*" has no letters or digits to search for; type a word.' });
    await expect(async () => run('"*" - ( )')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: '""*" - ( )" has no letters or digits to search for; type a word.' });
  });
});

describe('the index survives reopening and deletion', () => {
  it('is the same after the file is closed and opened again', async () => {
    opened.close();
    opened = openDatabase(file);
    search = createSearchHandlers({ store: opened.store })['search.query'];
    expect((await run('rainfall')).hits).toHaveLength(1);
  });

  it('forgets a deleted draft and finds the version before it again', async () => {
    const store = opened.store;
    store.content.changeStatus('les-crs-weather-lesson-2-2', { status: 'SUPERSEDED', at: '2026-01-06T10:00:00.000Z' });
    writeContent(store, { id: 'les-v2', courseId: 'crs-weather', syllabusVersionId: 'syl-crs-weather', kind: 'lesson', targetId: 'lesson-2-2', content: lessonContent('syl-crs-weather', 'module-2', 'lesson-2-2', 1, 'Lesson 2.2 shaping data', 'Dew point.') });
    opened.db.prepare('DELETE FROM content_items WHERE id = ?').run('les-v2');
    expect((await run('dew point')).hits).toEqual([]);
    expect((await run('humidity', { courseId: 'crs-weather' })).hits.map((h) => h.id)).toEqual(['les-crs-weather-lesson-2-2']);
  });
});
