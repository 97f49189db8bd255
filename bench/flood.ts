/**
 * Bad-token flood against the JSON API (`npm run bench:flood`; ADR 0010, issue 9): the Node
 * server as a child process, autocannon sending `Authorization: Bearer <wrong>` as fast as it
 * can from one client address, while a valid API client (another token, another address)
 * reads its registrations at a steady rate. Prints the flood's 401 and 429 counts, the audit
 * rows it added (bounded: per address and minute a first row, powers of ten and a final
 * count), the database growth, and the valid client's latency alone and during the flood.
 * Figures are printed, never asserted.
 *
 * All load comes from 127.0.0.1, so the server runs with TRUST_PROXY=true and each client
 * sends its own X-Forwarded-For, as a reverse proxy would set it.
 *
 * Environment: FLOOD_SECONDS (60), FLOOD_CONNECTIONS (50), FLOOD_VALID_RATE (5 requests/s,
 * under the default 600 per minute), FLOOD_SETTLE=0 skips waiting for the last window to close
 * (its final count is written by the first request after it); API_LIMIT_PER_MINUTE and
 * API_LIMIT_PER_IP_PER_MINUTE pass through to the server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import type { Ctx } from '../src/context.ts';
import { createApiClient, createOrganisation } from '../src/directory/directory.ts';
import { createNodeDeps } from '../src/entry/node-deps.ts';
import { parseEnv } from '../src/env.ts';
import { freePort, serverArgs, startNode, stopNode } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
const SECONDS = num('FLOOD_SECONDS', 60);
const CONNECTIONS = num('FLOOD_CONNECTIONS', 50);
const VALID_RATE = num('FLOOD_VALID_RATE', 5);
const SETTLE = process.env.FLOOD_SETTLE !== '0';
const KEY = 'c3'.repeat(32);
/** The same audit key for the set-up and the server, so the server's sealer accepts the set-up's rows. */
const AUDIT_KEY = 'd4'.repeat(32);
const FLOOD_ADDRESS = '203.0.113.66';
const VALID_ADDRESS = '198.51.100.10';
const PATH = '/api/v1/registrations';

async function prepare(databasePath: string, anchorDir: string): Promise<string> {
  const config = parseEnv({ DATABASE_PATH: databasePath, PSEUDONYM_KEY: KEY, AUDIT_KEY, AUDIT_ANCHOR_DIR: anchorDir, LOG_LEVEL: 'silent' });
  const deps = createNodeDeps(config, { log: () => {} });
  try {
    const operator: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: null };
    const { id } = await createOrganisation(operator, { name: 'Wijkteam', sector: 'district_team' });
    return (await createApiClient(operator, { organisationId: id, name: 'valid client' })).token;
  } finally {
    deps.close();
  }
}

function auditRows(databasePath: string): { action: string; detail: string | null }[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare('SELECT action, detail FROM audit_events ORDER BY rowid').all() as { action: string; detail: string | null }[];
  } finally {
    db.close();
  }
}

/** The database file's size once the WAL is folded in (the WAL also holds the valid client's audited reads). */
function databaseBytes(path: string): number {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return statSync(path).size;
}

const run = promisify(execFile);
const REFUSALS = new Set(['api.authenticate', 'api.rate_limit']);

function valid(port: number, token: string, seconds: number) {
  return autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    connections: 1,
    overallRate: VALID_RATE,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': VALID_ADDRESS },
  });
}

/** The bad-token flood from a child process: autocannon's CLI, its JSON result on stdout. */
async function floodProcess(port: number, seconds: number): Promise<autocannon.Result> {
  const args = ['-c', String(CONNECTIONS), '-d', String(seconds), '--json'];
  for (const header of [`authorization=Bearer btk_${'x'.repeat(43)}`, `x-forwarded-for=${FLOOD_ADDRESS}`]) args.push('-H', header);
  const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/autocannon/autocannon.js'), ...args, `http://127.0.0.1:${port}${PATH}`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as autocannon.Result;
}

const statuses = (result: autocannon.Result) =>
  Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ') || 'none';

const dir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-flood-'));
try {
  const databasePath = join(dir, 'flood.db');
  const anchorDir = join(dir, 'anchors');
  const token = await prepare(databasePath, anchorDir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_PATH: databasePath,
    PSEUDONYM_KEY: KEY,
    AUDIT_KEY,
    AUDIT_ANCHOR_DIR: anchorDir,
    LOG_LEVEL: 'warn',
    MAIL_DIR: join(dir, 'mail'),
    JOB_INTERVAL_SECONDS: '3600',
    TRUST_PROXY: 'true',
  };
  delete env.NODE_ENV;
  delete env.SMTP_URL;
  const server = await startNode(await serverArgs(), { cwd: ROOT, env, ready: /ready on/ });
  try {
    const alone = await valid(port, token, Math.min(5, SECONDS));
    const rowsBefore = auditRows(databasePath).length;
    const bytesBefore = databaseBytes(databasePath);

    // The flood comes from its own process (autocannon's CLI): generating ~10,000 requests/s
    // saturates an event loop, and the valid client's latencies must be the server's, not
    // the time its answers waited in a busy load generator.
    const [flood, during] = await Promise.all([floodProcess(port, SECONDS), valid(port, token, SECONDS)]);

    if (SETTLE) {
      // The last window's final counts are written by the first request after it ends.
      await sleep(60_000 - (Date.now() % 60_000) + 200);
      await fetch(`http://127.0.0.1:${port}${PATH}`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': VALID_ADDRESS } });
    }
    const all = auditRows(databasePath).slice(rowsBefore);
    const added = all.filter((row) => REFUSALS.has(row.action));
    const bytesAfter = databaseBytes(databasePath);

    const count = (code: string) => flood.statusCodeStats?.[code as keyof typeof flood.statusCodeStats]?.count ?? 0;
    // Each window's total for an action is the largest count any of its rows carries.
    const totals = new Map<string, number>();
    const kinds = new Map<string, number>();
    for (const row of added) {
      const detail = row.detail ? (JSON.parse(row.detail) as { count?: number; windowStart?: string; summary?: string }) : {};
      kinds.set(`${row.action} ${detail.summary ?? '-'}`, (kinds.get(`${row.action} ${detail.summary ?? '-'}`) ?? 0) + 1);
      if (typeof detail.count === 'number') {
        const key = `${row.action}@${detail.windowStart}`;
        totals.set(key, Math.max(totals.get(key) ?? 0, detail.count));
      }
    }
    const accounted = (action: string) => [...totals].filter(([k]) => k.startsWith(`${action}@`)).reduce((sum, [, n]) => sum + n, 0);

    console.log(`\nBad-token flood, ${SECONDS} s, ${CONNECTIONS} connections, ${os.cpus().length} cores (server and load on one machine)`);
    console.log(
      `  flood:   ${flood.requests.total.toLocaleString('en')} requests (${statuses(flood)}), ${Math.round(flood.requests.total / flood.duration)} req/s`,
    );
    console.log(`           401: ${count('401').toLocaleString('en')}   429: ${count('429').toLocaleString('en')}`);
    console.log(
      `  audit:   +${added.length} rows for refusals (${[...kinds].map(([k, n]) => `${k} ×${n}`).join(', ')})${SETTLE ? '' : ' — last window not closed (FLOOD_SETTLE=0)'}`,
    );
    console.log(
      `           counts in those rows: api.authenticate ${accounted('api.authenticate')}, api.rate_limit ${accounted('api.rate_limit')}` +
        ' (a few more than above: autocannon drops the responses in flight when it stops)',
    );
    console.log(`           (+${all.length - added.length} rows for the valid client's audited reads)`);
    console.log(`  disk:    database file ${((bytesAfter - bytesBefore) / 1024).toFixed(1)} KiB larger (after a WAL checkpoint)`);
    console.log(`  valid client alone:       p50 ${alone.latency.p50} ms, p99 ${alone.latency.p99} ms (${statuses(alone)})`);
    console.log(`  valid client, flood on:   p50 ${during.latency.p50} ms, p99 ${during.latency.p99} ms (${statuses(during)})`);
    const errors = server.stderr
      .join('')
      .split('\n')
      .filter((line) => line.includes('"level":"error"'));
    if (errors.length > 0) console.log(`  !!! the server logged ${errors.length} error line(s), first: ${errors[0]}`);
  } finally {
    await stopNode(server);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
