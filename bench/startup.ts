/**
 * Start-up (`npm run bench:startup`; issue 12, docs/benchmarks.md): what the build step
 * (scripts/build.mjs) buys.
 *
 * - server: `node dist/entry/node.mjs` (what `npm start` runs after building) from spawn to
 *   the first 200 on /healthz, polled every 5 ms; median of BENCH_RUNS; its resident memory
 *   once idle (VmRSS a second after that 200) and its peak (VmHWM);
 * - CLI: `node bin/betrokken.mjs org list --json` (the package bin, run directly) wall time
 *   against `node -e 0`, runs interleaved, medians, as a ratio.
 *
 * A warm-up run of each comes first (creates and migrates the database, fills V8's code
 * cache). BENCH_STARTUP_TSX=1 measures the same through tsx from the sources too (the way
 * they ran before the build step). Figures only: nothing here asserts a timing.
 * `measureStartup()` is exported for the combined benchmark.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.mjs';
import { freePort } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface StartupFigures {
  runs: number;
  /** Spawn to the first 200 on /healthz, median, ms. */
  serverStartMs: number;
  /** VmRSS of the idle server one second after its first 200, median, bytes (null without /proc). */
  serverIdleRssBytes: number | null;
  /** VmHWM (peak resident) of the server by then, median, bytes. */
  serverPeakRssBytes: number | null;
  /** `node bin/betrokken.mjs org list --json`, median, ms. */
  cliMs: number;
  /** `node -e 0`, median, ms. */
  nodeMs: number;
  /** cliMs ÷ nodeMs (target ≤ 5). */
  cliRatio: number;
  /** CPU time (user + system) of the same runs, medians, ms (null without /proc): steadier than wall time on a busy machine. */
  cliCpuMs: number | null;
  nodeCpuMs: number | null;
  /** The same through tsx from the sources (BENCH_STARTUP_TSX=1), for before/after. */
  tsx?: { serverStartMs: number; serverIdleRssBytes: number | null; serverPeakRssBytes: number | null; cliMs: number; cliRatio: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function memory(pid: number): { rss: number | null; peak: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : null;
    };
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: null, peak: null };
  }
}

/** One server start: spawn → first 200 on /healthz; then its memory once idle; then SIGTERM. */
async function serverStart(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rss: number | null; peak: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited before its first 200: ${stderr}`);
      if (performance.now() - started > 60_000) throw new Error(`no 200 on /healthz within 60 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((wait) => setTimeout(wait, 5));
    }
    const ms = performance.now() - started;
    await new Promise((wait) => setTimeout(wait, 1000));
    const { rss, peak } = memory(child.pid!);
    return { ms, rss, peak };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** CPU time of this process's waited-for children so far (cutime + cstime), ms; null without /proc. */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17, in 1/100 s
  } catch {
    return null;
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): { ms: number; cpuMs: number | null } {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (${child.status}): ${child.stderr}`);
  const cpuAfter = childrenCpuMs();
  return { ms, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

async function measure(server: string[], cli: string[], runs: number, env: NodeJS.ProcessEnv) {
  await serverStart(server, env); // warm-up: creates and migrates the database, fills the code cache
  const starts = [];
  for (let i = 0; i < runs; i++) starts.push(await serverStart(server, env));
  run(cli, env);
  const cliRuns = [];
  const nodeRuns = [];
  for (let i = 0; i < runs; i++) {
    nodeRuns.push(run(['-e', '0'], env));
    cliRuns.push(run(cli, env));
  }
  const nullable = (values: (number | null)[]) => (values.every((v) => v !== null) ? median(values as number[]) : null);
  return {
    serverStartMs: median(starts.map((s) => s.ms)),
    serverIdleRssBytes: nullable(starts.map((s) => s.rss)),
    serverPeakRssBytes: nullable(starts.map((s) => s.peak)),
    cliMs: median(cliRuns.map((r) => r.ms)),
    nodeMs: median(nodeRuns.map((r) => r.ms)),
    cliCpuMs: nullable(cliRuns.map((r) => r.cpuMs)),
    nodeCpuMs: nullable(nodeRuns.map((r) => r.cpuMs)),
  };
}

export async function measureStartup(options: { runs?: number; tsx?: boolean } = {}): Promise<StartupFigures> {
  const runs = options.runs ?? Number(process.env.BENCH_RUNS ?? 5);
  await build();
  const dir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-startup-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_PATH: join(dir, 'startup.db'),
    MAIL_DIR: join(dir, 'mail'),
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    PSEUDONYM_KEY: randomBytes(32).toString('hex'),
    AUDIT_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'https://betrokken.example',
    BETROKKEN_OPERATOR: 'bench',
    LOG_LEVEL: 'silent',
    JOB_INTERVAL_SECONDS: '3600',
  };
  try {
    const built = await measure(['dist/entry/node.mjs'], ['bin/betrokken.mjs', 'org', 'list', '--json'], runs, env);
    const figures: StartupFigures = { runs, ...built, cliRatio: built.cliMs / built.nodeMs };
    if (options.tsx ?? process.env.BENCH_STARTUP_TSX === '1') {
      const tsx = await measure(['--import', 'tsx', 'src/entry/node.ts'], ['--import', 'tsx', 'src/cli/main.ts', 'org', 'list', '--json'], runs, env);
      figures.tsx = { ...tsx, cliRatio: tsx.cliMs / tsx.nodeMs };
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const f = await measureStartup();
  const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
  const rows: [string, string, string][] = [
    ['server start → first 200 on /healthz', `${f.serverStartMs.toFixed(0)} ms`, '< 1000 ms'],
    ['server RSS, idle after start', mb(f.serverIdleRssBytes), ''],
    ['server peak RSS by then', mb(f.serverPeakRssBytes), ''],
    ['CLI bin `org list --json`', `${f.cliMs.toFixed(0)} ms`, ''],
    ['`node -e 0`', `${f.nodeMs.toFixed(0)} ms`, ''],
    ['CLI ÷ node -e 0', f.cliRatio.toFixed(1), '≤ 5'],
    ['CPU time: CLI / node -e 0', f.cliCpuMs === null ? 'n/a' : `${f.cliCpuMs} / ${f.nodeCpuMs} ms`, ''],
  ];
  if (f.tsx) {
    rows.push(
      ['tsx: server start → first 200', `${f.tsx.serverStartMs.toFixed(0)} ms`, ''],
      ['tsx: server RSS idle / peak', `${mb(f.tsx.serverIdleRssBytes)} / ${mb(f.tsx.serverPeakRssBytes)}`, ''],
      ['tsx: CLI ÷ node -e 0', `${f.tsx.cliRatio.toFixed(1)} (${f.tsx.cliMs.toFixed(0)} ms)`, ''],
    );
  }
  console.log(`Start-up, median of ${f.runs} runs (Node ${process.version}, ${os.availableParallelism()} cores)`);
  for (const [name, value, target] of rows) console.log(`  ${name.padEnd(40)} ${value.padStart(16)}  ${target}`);
}
