import { printTable, type BenchRow } from './measure.js';
import { benchContent } from './content.js';
import { benchStudio } from './studio.js';
import { benchSyllabus } from './syllabus.js';

/** `npm run bench`: every benchmark, one table. Figures are for comparing within one run. */
const suites: Array<[string, () => Promise<BenchRow[]>]> = [
  ['syllabus', benchSyllabus],
  ['studio', benchStudio],
  ['content', benchContent],
];

const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  process.stderr.write(`running ${name} benchmarks…\n`);
  rows.push(...(await suite()));
}
printTable(rows);
