import { printTable, type BenchRow } from './measure.js';
import { benchCliStartup } from './cli-startup.js';
import { benchContent } from './content.js';
import { benchExports } from './exports.js';
import { benchFirstScreen } from './first-screen.js';
import { benchLessonTyping } from './lesson-typing.js';
import { benchPdfVsChromium } from './pdf-vs-chromium.js';
import { benchZipLibraries } from './zip-libraries.js';
import { benchSearch } from './search.js';
import { benchServedLatency } from './served-latency.js';
import { benchServerIngest } from './server-ingest.js';
import { benchServerLoad } from './server-load.js';
import { benchServerPublish } from './server-publish.js';
import { benchAnalyticsSync } from './analytics-sync.js';
import { benchAnalyticsAggregation } from './analytics-aggregation.js';
import { benchStudio } from './studio.js';
import { benchSyllabus } from './syllabus.js';
import { benchRegeneration } from './regeneration.js';

/** `npm run bench`: every benchmark, one table. Figures are for comparing within one run. */
const suites: Array<[string, () => Promise<BenchRow[]>]> = [
  ['syllabus', benchSyllabus],
  ['cli startup', benchCliStartup],
  ['studio', benchStudio],
  ['served latency', benchServedLatency],
  ['first screen', benchFirstScreen],
  ['lesson typing', benchLessonTyping],
  ['content', benchContent],
  ['regeneration', benchRegeneration],
  ['search', benchSearch],
  ['exports', benchExports],
  ['zip libraries', benchZipLibraries],
  ['pdf vs chromium', benchPdfVsChromium],
  ['server ingestion', benchServerIngest],
  ['server load', benchServerLoad],
  ['server publish', benchServerPublish],
  ['analytics sync', benchAnalyticsSync],
  ['analytics aggregation', benchAnalyticsAggregation],
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, suite] of suites.filter(([name]) => only.length === 0 || only.includes(name))) {
  process.stderr.write(`running ${name} benchmarks…\n`);
  rows.push(...(await suite()));
}
printTable(rows);
