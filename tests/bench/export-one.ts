import '../../host/native-hash.js';
import { exportPackage } from '../../core/export/index.js';
import { exportHost } from '../../host/export-assets.js';
import { ExportFormat } from '../../schemas/package.js';
import { samplePackage } from '../fixtures/sample-package.js';

/**
 * One exporter in a process of its own, so its peak memory is its own: prints JSON with the
 * median time of three runs and the process's peak RSS above what it held before exporting.
 */
const format = ExportFormat.parse(process.argv[2]);
const pkg = samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } });
const host = exportHost();
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const times: number[] = [];
let bytes = 0;
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  const file = await exportPackage(pkg, { format }, host);
  times.push(performance.now() - started);
  bytes = file.bytes.length;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
clearInterval(sampler);
times.sort((a, b) => a - b);
console.log(JSON.stringify({ format, ms: times[1], bytes, peakRssMiB: peakRss / 2 ** 20, baseRssMiB: baseRss / 2 ** 20 }));
