import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { tempDataDir } from '../helpers.js';
import { seedCourse } from '../search-fixtures.js';
import { runCoursewright } from './run-cli.js';

let dataDir: string;

beforeAll(() => {
  dataDir = tempDataDir('cli-search');
  const opened = openDatabase(databaseFile(dataDir));
  seedCourse(opened.store, { courseId: 'crs-weather', title: 'Charting the Weather', modules: 2, lessonsPerModule: 2, questionWords: { 'lesson-2-1': 'Which chart shows rainfall per month best?' } });
  seedCourse(opened.store, { courseId: 'crs-sales', title: 'Reading Sales Figures', modules: 1, lessonsPerModule: 1, questionWords: { 'lesson-1-1': 'Which chart shows rainfall against sales best?' } });
  opened.close();
}, 30_000);

const cli = (...args: string[]) => runCoursewright(['--data', dataDir, ...args]);

describe('coursewright search', () => {
  it('prints each hit with its kind, id, title, place and the matched words', async () => {
    const result = await cli('search', 'rainfall', 'per', 'month');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Quiz question  qz-crs-weather-lesson-2-1  Question 2: Which chart shows rainfall per month best?',
        '               in Charting the Weather › 2. Module 2 charts › 2.1 Lesson 2.1 shaping data › Quiz',
        '               Which chart shows [rainfall] [per] [month] best?',
        '',
      ].join('\n'),
    );
  });

  it('keeps to one course with --course, and searches every course without it', async () => {
    const all = (await cli('--json', 'search', 'rainfall')).json();
    expect(all.hits.map((h: { where: { courseId: string } }) => h.where.courseId).sort()).toEqual(['crs-sales', 'crs-weather']);
    const one = await cli('--json', 'search', 'rainfall', '--course', 'crs-sales');
    expect(one.code).toBe(0);
    expect(one.json()).toMatchObject({ query: 'rainfall', hits: [{ kind: 'question', id: 'qz-crs-sales-lesson-1-1', title: 'Question 2: Which chart shows rainfall against sales best?', where: { courseTitle: 'Reading Sales Figures' } }] });
  });

  it('takes punctuation literally instead of failing on query syntax', async () => {
    const result = await cli('--json', 'search', '(rainfall', 'AND', 'sales"');
    expect(result.code).toBe(0);
    expect(result.json().hits.map((h: { id: string }) => h.id)).toEqual([]);
    // A word that starts with a dash comes after `--`, as with every command line tool.
    const found = await cli('--json', 'search', '--', '-rainfall:', '(sales');
    expect(found.json().hits.map((h: { id: string }) => h.id)).toEqual(['qz-crs-sales-lesson-1-1']);
  });

  it('says plainly when nothing matches, and refuses a search without words (exit 3) or an unknown course (exit 4)', async () => {
    const none = await cli('search', 'zeppelin');
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toBe('Nothing matches "zeppelin". Try fewer or shorter words.');
    const empty = await cli('search', '**');
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('"**" has no letters or digits to search for; type a word.');
    const unknown = await cli('search', 'rainfall', '--course', 'crs-nope');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No course "crs-nope"');
  });
});
