/**
 * The process's own counters for `/metrics` (Prometheus text format 0.0.4).
 *
 * Why not prom-client: it is Node-only (it imports perf_hooks, cluster, v8 and process), and
 * the app also runs on Workers. What we need is small: a few counters with fixed, bounded
 * labels and one histogram. So the shared part writes the text exposition itself (about a
 * hundred lines, no dependency); the Node entry adds the process metrics through
 * `addCollector` (src/entry/node.ts), where `process` may be read.
 *
 * The counters live in memory, in this module: one set per process on Node (reset by a
 * restart, which Prometheus' rate() handles), one per isolate on Workers (each isolate counts
 * only the requests it served, and isolates come and go: there they are a sample, not a
 * total). The gauges read from the database at scrape time (src/metrics/exposition.ts) are
 * exact on both runtimes.
 *
 * Labels are only ever values from a fixed set (a method, a declared route pattern such as
 * `/registrations/:id`, a status code, a job name, a reason): never a path with an id in it,
 * a BSN, a pseudonym or an address.
 */

/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Labels = Record<string, string>;

/** Prometheus label values escape backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** A number as the text format writes it (integers without a fraction, +Inf spelled out). */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** A metric family ready to print: HELP, TYPE and its samples. */
export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: { suffix?: string; labels?: Labels; value: number }[];
}

export function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ''}${formatLabels(sample.labels ?? {})} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A counter by a fixed list of label names; each combination is one sample. */
class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels: Object.fromEntries(this.labelNames.map((n) => [n, labels[n] ?? ''])), value: by });
  }

  family(): Family {
    return { name: this.name, help: this.help, type: 'counter', samples: [...this.values.values()].map((e) => ({ labels: e.labels, value: e.value })) };
  }
}

/** A histogram by one label (the route): cumulative buckets, sum and count. */
class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(labelValue: string, value: number): void {
    let entry = this.series.get(labelValue);
    if (!entry) {
      entry = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(labelValue, entry);
    }
    // Counted in the first bucket that holds it; made cumulative when printed.
    const index = this.bounds.findIndex((bound) => value <= bound);
    if (index >= 0) entry.buckets[index]! += 1;
    entry.sum += value;
    entry.count += 1;
  }

  family(): Family {
    const samples: Family['samples'] = [];
    for (const [labelValue, entry] of this.series) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += entry.buckets[i]!;
        samples.push({ suffix: '_bucket', labels: { [this.labelName]: labelValue, le: formatValue(bound) }, value: cumulative });
      });
      samples.push({ suffix: '_bucket', labels: { [this.labelName]: labelValue, le: '+Inf' }, value: entry.count });
      samples.push({ suffix: '_sum', labels: { [this.labelName]: labelValue }, value: entry.sum });
      samples.push({ suffix: '_count', labels: { [this.labelName]: labelValue }, value: entry.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}

const httpRequests = new Counter('betrokken_http_requests_total', 'HTTP requests answered, by method, route pattern and status.', [
  'method',
  'route',
  'status',
]);
const httpDuration = new Histogram(
  'betrokken_http_request_duration_seconds',
  'Time from receiving a request to its response, by route pattern.',
  'route',
  DURATION_BUCKETS,
);
const jobRuns = new Counter('betrokken_job_runs_total', 'Background job runs, by job and outcome (success or error).', ['job', 'outcome']);
const loginsRefused = new Counter(
  'betrokken_logins_refused_total',
  'Login attempts refused, by reason (unknown_account, wrong_password, wrong_code, locked, throttled).',
  ['reason'],
);
/** Why a login was refused (src/auth/login.ts, src/auth/throttle.ts). */
export const LOGIN_REFUSALS = ['unknown_account', 'wrong_password', 'wrong_code', 'locked', 'throttled'] as const;
// Present from the first scrape, so rate() and alerts see a zero rather than no series.
for (const reason of LOGIN_REFUSALS) loginsRefused.inc({ reason }, 0);

/** The counters the app moves; every method is a few map operations (it runs on every request). */
export const metrics = {
  request(method: string, route: string, status: number, seconds: number): void {
    httpRequests.inc({ method, route, status: String(status) });
    httpDuration.observe(route, seconds);
  },
  jobRun(job: string, outcome: 'success' | 'error'): void {
    jobRuns.inc({ job, outcome });
  },
  loginRefused(reason: (typeof LOGIN_REFUSALS)[number]): void {
    loginsRefused.inc({ reason });
  },
};

/** More families from the runtime (Node: process memory and start time). */
export type Collector = () => Family[];
const collectors: Collector[] = [];

/** Registers a runtime's collector once (the Node entry calls this at start). */
export function addCollector(collector: Collector): void {
  if (!collectors.includes(collector)) collectors.push(collector);
}

/** This process's (or isolate's) own families: the counters and the runtime's collectors. */
export function memoryFamilies(): Family[] {
  return [httpRequests.family(), httpDuration.family(), jobRuns.family(), loginsRefused.family(), ...collectors.flatMap((collect) => collect())];
}
