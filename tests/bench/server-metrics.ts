import { runCoursewright } from '../cli/run-cli.js';

/** One Prometheus text exposition, parsed into samples (name, labels, value). */
export function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of match[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export interface ServerSideView {
  /** Requests of the route the server answered, and how many took longer than each bucket bound. */
  answered: number;
  overMs: Record<number, number>;
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
  gcSeconds: Record<string, number>;
}

/**
 * What the server itself measured for one route (from receiving the request to finishing the
 * answer), its event-loop lag and its garbage collection: set beside the latency the players
 * measured, it tells time spent in the server from time spent waiting for a core on this machine.
 */
export async function serverSideView(baseUrl: string, databaseUrl: string, tenantId: string, route: string): Promise<ServerSideView> {
  const key = await runCoursewright(['--json', 'server', 'key', 'create', '--tenant', tenantId, '--role', 'analyst', '--database', databaseUrl]);
  if (key.code !== 0) throw new Error(`server key create failed: ${key.stderr}`);
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${key.json().key as string}` } });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const samples = parsePrometheus(await response.text());
  const ofRoute = samples.filter((s) => s.labels.route === route && s.labels.status === '200');
  const answered = ofRoute.find((s) => s.name === 'coursewright_http_request_duration_seconds_count')?.value ?? 0;
  const overMs: Record<number, number> = {};
  for (const bucket of ofRoute.filter((s) => s.name === 'coursewright_http_request_duration_seconds_bucket' && s.labels.le !== '+Inf')) {
    overMs[Math.round(Number(bucket.labels.le) * 1000)] = answered - bucket.value;
  }
  const gauge = (name: string) => (samples.find((s) => s.name === name)?.value ?? 0) * 1000;
  const gcSeconds: Record<string, number> = {};
  for (const sample of samples.filter((s) => s.name === 'coursewright_nodejs_gc_duration_seconds_sum')) gcSeconds[sample.labels.kind!] = sample.value;
  return { answered, overMs, eventLoopLagP99Ms: gauge('coursewright_nodejs_eventloop_lag_p99_seconds'), eventLoopLagMaxMs: gauge('coursewright_nodejs_eventloop_lag_max_seconds'), gcSeconds };
}
