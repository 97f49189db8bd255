/**
 * `npm run bench`: every benchmark of the fast path in one run (docs/benchmarks.md), then
 * one table of ratios beside issue 12's targets. Figures are printed, never asserted:
 * compare ratios from one run on one quiet machine.
 *
 * The load benchmarks (registrations, pages, mail latency) run as child processes, each
 * with its own servers, and hand their figures over as JSON (BENCH_SUMMARY); start-up and
 * the bulk import are measured in this process. Every benchmark's own environment
 * variables apply (BENCH_ROWS, BENCH_SECONDS, BENCH_IMPORT_ROWS, …).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImportBench } from './import.ts';
import { measureStartup } from './startup.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  reqPerSec: number;
  p99: number;
  peakRss: number | null;
  mails?: { queued: number; sent: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Runs `tsx bench/<script>` with its output shown; resolves to the JSON it wrote. */
function child<T>(script: string, dir: string): Promise<T> {
  const summary = join(dir, `${script}.json`);
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join('bench', script)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SUMMARY: summary },
      stdio: 'inherit',
    });
    proc.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`bench/${script} exited with ${code}`);
        done(JSON.parse(readFileSync(summary, 'utf8')) as T);
      } catch (error) {
        fail(error);
      }
    });
  });
}

const ratio = (n: number) => n.toFixed(3);
const ms = (n: number) => `${Math.round(n)} ms`;
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-all-'));
  try {
    const registrations = await child<{ baseline: Run; atBig: Run; atSmall: Run; matchPath: Run; rows: number; smallRows: number }>('registrations.ts', dir);
    const pages = await child<{ dashboard: { rps: number }; baseline: { rps: number }; failed: boolean }>('pages.ts', dir);
    const mail = await child<{ p50: number; p99: number; matches: number }>('mail-latency.ts', dir);
    console.log('\n[start-up and CLI] (bench/startup.ts)');
    const startup = await measureStartup();
    console.log('\n[bulk import] (bench/import.ts)');
    const bulk = await runImportBench();

    const { baseline, atBig, atSmall, matchPath, rows } = registrations;
    const at = `${rows.toLocaleString('en')} rows`;
    const lines: [string, string, string, boolean | null][] = [
      [
        `POST /api/v1/registrations at ${at} ÷ Hono JSON-POST echo`,
        ratio(atBig.reqPerSec / baseline.reqPerSec),
        '≥ 0.25',
        atBig.reqPerSec / baseline.reqPerSec >= 0.25,
      ],
      [`p99 at 50 connections, ${at}`, ms(atBig.p99), '< 25 ms', atBig.p99 < 25],
      [
        `req/s at ${at} ÷ at ${registrations.smallRows.toLocaleString('en')} rows`,
        ratio(atBig.reqPerSec / atSmall.reqPerSec),
        '≥ 0.9',
        atBig.reqPerSec / atSmall.reqPerSec >= 0.9,
      ],
      ['the match path ÷ echo', ratio(matchPath.reqPerSec / baseline.reqPerSec), '≥ 0.15', matchPath.reqPerSec / baseline.reqPerSec >= 0.15],
      // Not a target: how much of the match path's mail was sent while the load ran.
      ['the match path: its mails sent during the run', matchPath.mails ? `${matchPath.mails.sent} of ${matchPath.mails.queued}` : 'n/a', '–', null],
      ['match created → mail accepted by SMTP, p99', ms(mail.p99), '< 2 s', mail.p99 < 2000],
      ['dashboard views/s ÷ Hono hello GET', ratio(pages.dashboard.rps / pages.baseline.rps), '≥ 0.05', pages.dashboard.rps / pages.baseline.rps >= 0.05],
      [`server peak RSS at ${at}`, mb(atBig.peakRss), '< 200 MB', atBig.peakRss !== null && atBig.peakRss < 200 * 1024 * 1024],
      ['the CLI bin (`org list --json`) ÷ `node -e 0`', `${startup.cliRatio.toFixed(1)}×`, '≤ 5×', startup.cliRatio <= 5],
      ['server start to first 200 on /healthz', ms(startup.serverStartMs), '< 1 s', startup.serverStartMs < 1000],
      ['commits durable before the answer', 'yes (WAL fdatasync, ADR 0015)', 'yes', true],
      [`bulk import at ${bulk.rows.toLocaleString('en')} rows ÷ raw prepared insert with HMAC`, ratio(bulk.ratio), '≥ 0.5', bulk.ratio >= 0.5],
    ];
    const width = (i: 0 | 1 | 2) => Math.max(...lines.map((l) => l[i].length));
    console.log(`\nIssue 12's figures, one run, ${os.cpus().length} cores (docs/benchmarks.md)\n`);
    console.log(`| ${'figure'.padEnd(width(0))} | ${'measured'.padStart(width(1))} | ${'target'.padEnd(width(2))} | met |`);
    console.log(`|${'-'.repeat(width(0) + 2)}|${'-'.repeat(width(1) + 1)}:|${'-'.repeat(width(2) + 2)}|-----|`);
    for (const [figure, measured, target, met] of lines) {
      console.log(
        `| ${figure.padEnd(width(0))} | ${measured.padStart(width(1))} | ${target.padEnd(width(2))} | ${met === null ? '   ' : met ? 'yes' : 'no '} |`,
      );
    }
    const failed = [baseline, atBig, atSmall, matchPath].some((r) => r.non2xx + r.errors + r.timeouts > 0) || pages.failed;
    if (failed) {
      console.log('\n!!! Some load runs had failed requests (see above): these figures do not describe a working server.');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
