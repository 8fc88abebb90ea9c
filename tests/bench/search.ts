import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../host/native-hash.js';
import { createMockProvider } from '../../core/ai/mock-provider.js';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { createSearch } from '../../core/search/search.js';
import { openDatabase } from '../../db/open.js';
import type { LessonContent } from '../../schemas/content.js';
import { median, timeRuns, type BenchRow } from './measure.js';

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)]!;

/**
 * Search in the engine (the `search.query` operation minus the transport) across a 40 × 12
 * course with all its content written by the mock model: 480 lessons, 480 quizzes, 40 projects,
 * the syllabus outline and the audit log of writing them. Each kind of query a person types is
 * run 60 times; the target is 50 ms.
 */
export async function benchSearch(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-bench-search-'));
  const opened = openDatabase(path.join(dir, 'coursewright.db'));
  try {
    const engine = createEngine({ store: opened.store });
    const content = createContentEngine({ store: opened.store });
    const course = engine.createCourse({ title: 'Distributed Systems Engineering', audience: 'Backend engineers', level: 'advanced', timeBudgetHours: 240, teachingStyle: 'labs', constraints: [] }, 'bench');
    const draft = await engine.generateSyllabusDraft(course.id, { actor: 'bench', models: [createMockProvider({ shape: { modules: 40, lessonsPerModule: 12 } })] });
    engine.submitSyllabus(draft.id, 'bench');
    engine.approveSyllabus(draft.id, { by: 'bench' });
    const written = await content.generateContent(course.id, { actor: 'bench', models: [createMockProvider()], concurrency: 8 });
    const lessons = written.generated.filter((i) => i.kind === 'lesson').map((i) => i.content as LessonContent);
    const entries = (opened.db.prepare('SELECT count(*) FROM search_entries').pluck().get() as number) ?? 0;

    // Words taken from what was written, so the queries hit whatever the mock's wording is.
    const words = lessons[0]!.explanation.overview.split(/[^\p{L}]+/u).filter((w) => w.length >= 6);
    const common = words[0]!;
    // A person looks a lesson up by a few words of its title, not all of them.
    const rareTitle = lessons[Math.floor(lessons.length / 2)]!.title.split(/\s+/u).slice(0, 4).join(' ');
    const search = createSearch({ store: opened.store });
    const queries: Array<[string, Parameters<typeof search.search>[0]]> = [
      [`one common word ("${common}")`, { query: `${common} ` }],
      [`a 3-letter prefix being typed ("${common.slice(0, 3)}")`, { query: common.slice(0, 3) }],
      [`words of a lesson title ("${rareTitle}")`, { query: rareTitle }],
      [`two words, one course, 50 hits`, { query: `${words[1] ?? common} ${common}`, courseId: course.id, limit: 50 }],
    ];
    const rows: BenchRow[] = [];
    const all: number[] = [];
    for (const [name, input] of queries) {
      const hits = search.search(input).hits.length;
      // CPU time beside wall time: on a shared machine the wall clock also counts waiting for a core.
      const cpu: number[] = [];
      const times = await timeRuns(60, () => {
        const before = process.cpuUsage();
        search.search(input);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
      }, 5);
      all.push(...times);
      rows.push({ name: `search 480-lesson course: ${name}`, value: median(times), unit: 'ms', target: '< 50 ms', note: `p95 ${p95(times).toFixed(2)} ms; CPU median ${median(cpu.slice(-60)).toFixed(2)} ms, p95 ${p95(cpu.slice(-60)).toFixed(2)} ms; ${hits} hits of ${entries} indexed entries` });
    }
    rows.push({ name: 'search 480-lesson course: all queries', value: median(all), unit: 'ms', target: '< 50 ms', note: `p95 ${p95(all).toFixed(2)} ms over ${all.length} searches` });
    return rows;
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
