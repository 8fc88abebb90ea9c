import { canonicalJson, contentHash } from '../../core/hash.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { median, type BenchRow } from './measure.js';
import { serverBenchUnavailable, startBenchServer } from './server-fixture.js';

const RUNS = 3;

/**
 * Publishing a 40 × 12 package (480 lessons and quizzes, 40 projects, written by the mock model
 * and assembled as `package build` freezes it) to a server on PostgreSQL: upload and release as
 * `coursewright publish --release` does, and the no-op re-publish of content already there.
 */
export async function benchServerPublish(): Promise<BenchRow[]> {
  if (serverBenchUnavailable) return [{ name: 'server publish', value: 0, unit: '', note: `skipped: ${serverBenchUnavailable}` }];
  const base = samplePackage({ shape: { modules: 40, lessonsPerModule: 12 } });
  const bench = await startBenchServer('Publish Bench Academy');
  const { client, authorKey } = bench;
  const url = bench.server.url;
  try {
    // Each run a course of its own, so each upload is new content. Sent as the studio sends it:
    // the studio keeps a frozen package as canonical JSON text and uploads that document, so the
    // bytes on the wire are the canonical ones (parsed from canonical text, keys stay sorted).
    const packages = Array.from({ length: RUNS + 1 }, (_, run) => {
      const document = structuredClone(base.document);
      document.course.id = `course-bench-${run}`;
      return { contentHash: contentHash(document), document: JSON.parse(canonicalJson(document)) as typeof document };
    });
    const publish = async (pkg: (typeof packages)[number]) => {
      const started = performance.now();
      const upload = await client.put(`${url}/api/packages/${pkg.contentHash}`, authorKey, pkg.document);
      const uploaded = performance.now();
      const release = await client.post(`${url}/api/courses/${pkg.document.course.id}/releases`, authorKey, { contentHash: pkg.contentHash, expectedCurrent: null });
      if (upload.status !== 201 || release.status !== 200) throw new Error(`publish answered ${upload.status}/${release.status}: ${JSON.stringify(upload.body).slice(0, 300)}`);
      return { uploadMs: uploaded - started, totalMs: performance.now() - started };
    };
    await publish(packages[RUNS]!);
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await publish(packages[run]!));
    const again: number[] = [];
    for (let run = 0; run < RUNS * 2; run++) {
      const pkg = packages[run % RUNS]!;
      const started = performance.now();
      const upload = await client.put(`${url}/api/packages/${pkg.contentHash}`, authorKey, pkg.document);
      again.push(performance.now() - started);
      if (upload.status !== 200) throw new Error(`re-publish answered ${upload.status}`);
    }
    const megabytes = (Buffer.byteLength(canonicalJson(base.document)) / 1024 / 1024).toFixed(2);
    return [
      { name: 'server publish 480-lesson package: upload + release', value: median(runs.map((run) => run.totalMs)), unit: 'ms', note: `median of ${RUNS}; upload alone ${median(runs.map((run) => run.uploadMs)).toFixed(0)} ms; ${megabytes} MB document` },
      { name: 'server publish 480-lesson package: no-op re-publish', value: median(again), unit: 'ms', note: `median of ${again.length}; answered 200, nothing stored` },
    ];
  } finally {
    await bench.stop();
  }
}
