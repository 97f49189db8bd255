/**
 * Benchmark of `POST /api/v1/registrations` (`npm run bench`; docs/benchmarks.md).
 *
 * On one machine, in one run:
 *   1. a Hono hello-world JSON POST baseline (bench/hello-server.ts),
 *   2. registrations against a database pre-filled with BENCH_ROWS registrations,
 *   3. the same against BENCH_SMALL_ROWS registrations (growth with data size),
 *   4. the bulk pre-fill rate and each server's peak RSS.
 * Servers run as child processes so autocannon (in this process) does not share their
 * event loop. Pre-filled databases are kept under .bench-data/ and reused while their
 * row count and the migrations are unchanged; each run works on a fresh copy.
 *
 * Environment: BENCH_ROWS (1000000), BENCH_SMALL_ROWS (10000), BENCH_SECONDS (10),
 * BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50), BENCH_FRESH=1 rebuilds the databases.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { anchorAuditChain, sealAuditChain } from '../src/audit/chain.ts';
import type { Ctx } from '../src/context.ts';
import { MIGRATIONS_DIR } from '../src/db/node.ts';
import { createApiClient, createOrganisation, createPerson } from '../src/directory/directory.ts';
import { createNodeDeps } from '../src/entry/node-deps.ts';
import { parseEnv } from '../src/env.ts';
import { validateBsn } from '../src/identity/bsn.ts';
import { computeTerm } from '../src/registry/lifecycle.ts';
import { isoDate } from '../src/lib/dates.ts';
import { bsnSource, cpuSeconds, freePort, machineBusySeconds, peakRssBytes, serverArgs, startNode, stopNode, type NodeChild } from './support.ts';
import { SECTORS } from '../src/vocabulary.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = join(ROOT, '.bench-data'); // git-ignored

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}

const BIG_ROWS = intEnv('BENCH_ROWS', 1_000_000);
const SMALL_ROWS = intEnv('BENCH_SMALL_ROWS', 10_000);
const SECONDS = intEnv('BENCH_SECONDS', 10);
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 50);
const FRESH = process.env.BENCH_FRESH === '1';
/** Subjects of a second organisation written into the match-path run's copy (one per request). */
const MATCH_SUBJECTS = intEnv('BENCH_MATCH_SUBJECTS', 60_000);

const ORGANISATIONS = 20;
const PROFESSIONALS_PER_ORGANISATION = 5;
// Rows per transaction. Every row lands at random places in three indexes (the random id
// and the two on the pseudonym), so a commit rewrites nearly every index page it touched:
// larger transactions amortise that.
const PREFILL_BATCH = 100_000;
/** Raise when the pre-fill writes different rows (2: registrations are informed; 3: each database keeps its own audit anchors; 4: the pre-fill anchors its sealed rows). */
const PREFILL_VERSION = 4;
const BIRTH_DATE = '2012-05-17'; // every benchmark request: a 14-year-old
const DAY_MS = 86_400_000;

// Pre-filled subjects have BSNs starting 1–4, benchmark requests 5–9: every request is a new subject.
/** The pre-fill and the server seal one audit trail: the audit key follows the kept pseudonym key. */
const auditKeyFor = (pseudonymKey: string) => createHash('sha256').update(`audit:${pseudonymKey}`).digest('hex');

const prefillBsn = () => bsnSource(10_000_000, 50_000_000);
const loadBsn = () => bsnSource(50_000_000, 100_000_000);

// ---------------------------------------------------------------------------------------
// Pre-filled databases

interface Prepared {
  path: string;
  rows: number;
  /** Hex, as PSEUDONYM_KEY: the server must use the key the pre-fill was pseudonymised with. */
  key: string;
  token: string;
  /** Professionals of the API client's organisation. */
  emails: string[];
  /** otherCpu: cores used by other processes meanwhile (a busy machine makes the rate low). */
  prefill: { seconds: number; rowsPerSecond: number; otherCpu: number | null; createdAt: string };
  migrations: string;
  /** PREFILL_VERSION when built: a change in what the pre-fill writes rebuilds it. */
  version?: number;
  reused?: boolean;
}

/** Changes when a migration is added or edited, so a stale pre-filled database is rebuilt. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  rmSync(anchorsOf(path), { recursive: true, force: true });
}

/**
 * A database's audit anchors (ADR 0009) live beside it: the server's sealing job checks the
 * chain against the latest anchor, and sealed rows older than the anchoring interval without
 * one are an error it logs. Each run gets a copy with its copy of the database.
 */
const anchorsOf = (path: string) => `${path}.anchors`;

function countRegistrations(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM registrations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The run's mail: rows queued in the outbox and those sent before the server stopped. The
 * match path's figure counts matches per second; the drain sends their mail on the same core,
 * so what it could not send in the run is work the figure leaves out.
 */
function countMails(path: string): { queued: number; sent: number } {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS queued, count(*) FILTER (WHERE status = 'sent') AS sent FROM outbox").get() as { queued: number; sent: number };
  } finally {
    db.close();
  }
}

async function prepareDatabase(rows: number): Promise<Prepared> {
  const path = join(DATA_DIR, `prefilled-${rows}.db`);
  const metaPath = `${path}.json`;
  const migrations = migrationsFingerprint();
  if (!FRESH && existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Prepared;
    if (meta.rows === rows && meta.migrations === migrations && meta.version === PREFILL_VERSION && countRegistrations(path) === rows) {
      console.log(`  reusing ${path} (${rows.toLocaleString('en')} rows; BENCH_FRESH=1 rebuilds it)`);
      return { ...meta, path, reused: true };
    }
  }
  removeDatabase(path);
  mkdirSync(DATA_DIR, { recursive: true });

  const key = randomBytes(32).toString('hex');
  const config = parseEnv({
    DATABASE_PATH: path,
    PSEUDONYM_KEY: key,
    AUDIT_KEY: auditKeyFor(key),
    AUDIT_ANCHOR_DIR: anchorsOf(path),
    MAIL_DIR: join(DATA_DIR, 'mail'),
    LOG_LEVEL: 'warn',
  });
  const deps = createNodeDeps(config, { log: () => {} });
  try {
    // The directory, through the same verbs the operator CLI uses (and so audited the same way).
    const ctx: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: 'bench' };
    const professionals: { id: string; organisationId: string; email: string }[] = [];
    let token = '';
    for (let o = 0; o < ORGANISATIONS; o++) {
      const { id: organisationId } = await createOrganisation(ctx, { name: `Bench organisation ${o + 1}`, sector: SECTORS[o % SECTORS.length]! });
      for (let p = 0; p < PROFESSIONALS_PER_ORGANISATION; p++) {
        const email = `professional${p + 1}@org${o + 1}.bench.example`;
        const { id } = await createPerson(ctx, { organisationId, name: `Professional ${p + 1} of org ${o + 1}`, email, invite: false });
        professionals.push({ id, organisationId, email });
      }
      if (o === 0) token = (await createApiClient(ctx, { organisationId, name: 'bench client' })).token;
    }
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys); // as the CLI does after every command
    // …and anchored, as the server's jobs do: a run that starts more than the anchoring
    // interval after the pre-fill otherwise finds sealed rows without an anchor and logs an error.
    await anchorAuditChain(deps.db, deps.auditKeys, deps.auditAnchors, new Date());
    const emails = professionals.slice(0, PROFESSIONALS_PER_ORGANISATION).map((p) => p.email);

    // node:crypto's HMAC is synchronous and much faster for bulk work than the app's Web
    // Crypto pseudonymizer; check once that both give the same bytes. The key is made a
    // KeyObject once: given a raw Buffer, Node 24 re-imports it per call (~5x slower here).
    const secret = createSecretKey(Buffer.from(key, 'hex'));
    const hmac = (bsn: string) => createHmac('sha256', secret).update(bsn).digest();
    const sample = await deps.pseudonymizer.pseudonymize('123456782');
    if (!hmac('123456782').equals(Buffer.from(sample.bytes))) throw new Error('bench HMAC differs from the app pseudonymizer');

    // A bulk loader's cache (256 MiB) on this connection only: a 100k-row transaction must
    // keep its dirty pages in memory. The server opens the file with the app's own settings.
    deps.database.sqlite.pragma('cache_size = -262144');
    const insert = deps.database.sqlite.prepare(
      // Informed on the day of registration, as an index in use would be: otherwise the
      // follow-up job would send a year of "nog niet geïnformeerd" reminders during the run.
      `INSERT OR IGNORE INTO registrations
         (id, subject_pseudonym, key_id, organisation_id, professional_id, reference, status, registered_at, ends_on, ends_because, age_limit_month, informed_on, informed_how)
       VALUES (?, ?, ?, ?, ?, NULL, 'active', ?, ?, ?, ?, ?, 'in_person')`,
    );
    const nextBsn = prefillBsn();
    const now = Date.now();
    const todayMs = Date.parse(isoDate(new Date(now)));
    // Registered over the past year in time order, as they would have arrived; subjects 0–18
    // years old. With the 24-month term every row ends in the future and by term, so the
    // server's expiry job finds nothing to do.
    const yearAgo = now - 365 * DAY_MS;
    const insertBatch = deps.database.sqlite.transaction((first: number, count: number) => {
      let inserted = 0;
      for (let i = 0; i < count; i++) {
        const professional = professionals[Math.floor(Math.random() * professionals.length)]!;
        const registeredAt = Math.floor(yearAgo + ((first + i) / rows) * 365 * DAY_MS);
        const birthDate = isoDate(new Date(todayMs - Math.floor(Math.random() * 18 * 365) * DAY_MS));
        const term = computeTerm(birthDate, isoDate(new Date(registeredAt)), config.REGISTRATION_TERM_MONTHS)!;
        inserted += insert.run(
          crypto.randomUUID(),
          hmac(nextBsn()),
          config.PSEUDONYM_KEY_ID,
          professional.organisationId,
          professional.id,
          registeredAt,
          term.endsOn,
          term.endsBecause,
          term.ageLimitMonth,
          isoDate(new Date(registeredAt)),
        ).changes;
      }
      return inserted;
    });

    const started = performance.now();
    const busyBefore = machineBusySeconds();
    const ownBefore = process.cpuUsage();
    let done = 0;
    let reported = 0;
    while (done < rows) {
      const inserted = insertBatch(done, Math.min(PREFILL_BATCH, rows - done));
      if (inserted === 0) throw new Error('pre-fill inserted nothing in a whole batch');
      done += inserted; // OR IGNORE skips a collision; the loop makes up for it
      if (done - reported >= 100_000) {
        reported = done;
        console.log(`  … ${done.toLocaleString('en')} rows`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const busyAfter = machineBusySeconds();
    const own = process.cpuUsage(ownBefore);
    const otherCpu = busyBefore !== null && busyAfter !== null ? Math.max(0, busyAfter - busyBefore - (own.user + own.system) / 1e6) / seconds : null;
    deps.database.sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the copy must not need the -wal file
    const prepared: Prepared = {
      path,
      rows,
      key,
      token,
      emails,
      prefill: { seconds, rowsPerSecond: rows / seconds, otherCpu, createdAt: new Date().toISOString() },
      migrations,
      version: PREFILL_VERSION,
    };
    writeFileSync(metaPath, `${JSON.stringify(prepared, null, 2)}\n`, { mode: 0o600 });
    return prepared;
  } finally {
    deps.close();
  }
}

// ---------------------------------------------------------------------------------------
// Load runs

interface Measured {
  name: string;
  rowsBefore: number | null;
  rowsAfter: number | null;
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: string;
  peakRss: number | null;
  /** Share of one core the server used during the measured run (1 = one core busy). */
  serverCpu: number | null;
  /** CPU (in cores) used by processes other than the server and this load generator. */
  otherCpu: number | null;
  /** Mails queued during the run, and how many of them were sent before the server stopped. */
  mails?: { queued: number; sent: number };
}

/** POSTs JSON: `body` is a string (the same every time) or makes a fresh one per request. */
function load(port: number, path: string, headers: Record<string, string>, body: string | (() => string), seconds: number) {
  const request: autocannon.Request = { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers } };
  if (typeof body === 'string') request.body = body;
  else
    request.setupRequest = (r) => {
      r.body = body();
      return r;
    };
  return autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests: [request] });
}

async function measure(
  name: string,
  server: NodeChild,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string | (() => string),
): Promise<Omit<Measured, 'rowsBefore' | 'rowsAfter'>> {
  // A short warm-up so the JIT and SQLite's page cache are not part of the figures.
  if (WARMUP_SECONDS > 0) await load(port, path, headers, body, WARMUP_SECONDS);
  // CPU accounting, to tell a saturated server from a busy machine: other processes on
  // this machine (a test run, say) take cores away from both server and load generator.
  const cpuBefore = cpuSeconds(server.pid);
  const busyBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const result = await load(port, path, headers, body, SECONDS);
  const cpuAfter = cpuSeconds(server.pid);
  const busyAfter = machineBusySeconds();
  const own = process.cpuUsage(ownBefore);
  const peakRss = peakRssBytes(server.pid); // before the server stops, so /proc still has it
  const statusCodes = Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  const measured = {
    name,
    // Completed requests over the measured time. (autocannon's own "Req/Sec avg" averages
    // one-second samples and counts a partial last second as a whole one.)
    reqPerSec: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    peakRss,
    serverCpu: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / result.duration : null,
    otherCpu:
      cpuBefore !== null && cpuAfter !== null && busyBefore !== null && busyAfter !== null
        ? Math.max(0, busyAfter - busyBefore - (cpuAfter - cpuBefore) - (own.user + own.system) / 1e6) / result.duration
        : null,
  };
  console.log(
    `  ${fmt(measured.reqPerSec)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, ${measured.total.toLocaleString('en')} requests` +
      ` (status ${statusCodes || 'none'}; non-2xx ${measured.non2xx}, errors ${measured.errors}, timeouts ${measured.timeouts}), server CPU ${pct(measured.serverCpu)} of a core, peak RSS ${mb(peakRss)}`,
  );
  if (measured.non2xx > 0 || measured.errors > 0 || measured.timeouts > 0) {
    console.log('  !!! this run had failed requests: its figures do not describe a working server');
  }
  if (measured.otherCpu !== null && measured.otherCpu > 0.1) {
    console.log(`  !!! other processes used ${pct(measured.otherCpu)} of a core during this run: the machine was not quiet`);
  }
  return measured;
}

function bodyMaker(emails: string[]): () => string {
  const nextBsn = loadBsn();
  let i = 0;
  return () => JSON.stringify({ bsn: nextBsn(), birthDate: BIRTH_DATE, professionalEmail: emails[i++ % emails.length], criterionConfirmed: true });
}

/** Each of the other organisation's subjects once; a second use would answer 200, not make a match. */
function matchBodyMaker(emails: string[], bsns: string[]): () => string {
  let i = 0;
  return () => {
    if (i >= bsns.length) throw new Error('BENCH_MATCH_SUBJECTS is too small for this run: raise it');
    const bsn = bsns[i]!;
    return JSON.stringify({ bsn, birthDate: BIRTH_DATE, professionalEmail: emails[i++ % emails.length], criterionConfirmed: true });
  };
}

async function runBaseline(): Promise<Measured> {
  console.log('\n[1] Baseline: Hono hello-world JSON POST (bench/hello-server.ts)');
  const port = await freePort();
  const env = { ...process.env, PORT: String(port) };
  const server = await startNode(['--import', 'tsx', 'bench/hello-server.ts'], { cwd: ROOT, env, ready: /ready/ });
  try {
    // A fixed body of the same shape and size as a registration. Not a fresh one per
    // request: rebuilding every request costs autocannon more than this server spends on
    // it, and the baseline should measure the server, not the load generator.
    const body = JSON.stringify({ bsn: '512345674', birthDate: BIRTH_DATE, professionalEmail: 'professional1@org1.bench.example', criterionConfirmed: true });
    const measured = await measure('Hono hello-world JSON POST', server, port, '/echo', { authorization: 'Bearer btk_baseline' }, body);
    return { ...measured, rowsBefore: null, rowsAfter: null };
  } finally {
    await stopNode(server);
  }
}

/**
 * The match path: subjects another organisation registered already, so every request makes
 * a match (the match, its two members, the outbox rows and the mails the kick then sends
 * as .eml files). Written into the run's copy directly, as the pre-fill is.
 */
function addOtherOrganisationsSubjects(path: string, prepared: Prepared, count: number): string[] {
  const db = new Database(path);
  try {
    const others = db
      .prepare(
        "SELECT p.id, p.organisation_id AS organisationId FROM professionals p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = 'Bench organisation 2'",
      )
      .all() as { id: string; organisationId: string }[];
    if (others.length === 0) throw new Error('the pre-filled database has no second organisation');
    const secret = createSecretKey(Buffer.from(prepared.key, 'hex'));
    const insert = db.prepare(
      `INSERT INTO registrations (id, subject_pseudonym, key_id, organisation_id, professional_id, reference, status, registered_at, ends_on, ends_because, age_limit_month, informed_on, informed_how)
       VALUES (?, ?, 'k1', ?, ?, NULL, 'active', ?, ?, ?, ?, ?, 'in_person')`,
    );
    const nextBsn = loadBsn();
    const bsns = Array.from({ length: count }, () => nextBsn());
    const now = Date.now();
    const term = computeTerm(BIRTH_DATE, isoDate(new Date(now)), 24)!;
    db.transaction(() => {
      bsns.forEach((bsn, i) => {
        const professional = others[i % others.length]!;
        insert.run(
          crypto.randomUUID(),
          createHmac('sha256', secret).update(bsn).digest(),
          professional.organisationId,
          professional.id,
          now - DAY_MS,
          term.endsOn,
          term.endsBecause,
          term.ageLimitMonth,
          isoDate(new Date(now - DAY_MS)),
        );
      });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return bsns;
  } finally {
    db.close();
  }
}

async function runRegistrations(step: string, prepared: Prepared, options: { matchPath?: boolean } = {}): Promise<Measured> {
  const name = options.matchPath
    ? `POST /api/v1/registrations, match path @ ${prepared.rows.toLocaleString('en')} rows`
    : `POST /api/v1/registrations @ ${prepared.rows.toLocaleString('en')} rows`;
  console.log(`\n[${step}] ${name}`);
  // A fresh copy per run: every run starts from exactly the pre-filled state.
  const path = join(DATA_DIR, `run-${prepared.rows}.db`);
  removeDatabase(path);
  copyFileSync(prepared.path, path);
  if (existsSync(anchorsOf(prepared.path))) cpSync(anchorsOf(prepared.path), anchorsOf(path), { recursive: true });
  const matchBsns = options.matchPath ? addOtherOrganisationsSubjects(path, prepared, MATCH_SUBJECTS) : null;
  // Write the copy to disk now, not during the measured run.
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const mailDir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-mail-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: path,
    PORT: String(port),
    PSEUDONYM_KEY: prepared.key,
    AUDIT_KEY: auditKeyFor(prepared.key),
    AUDIT_ANCHOR_DIR: anchorsOf(path),
    MAIL_DIR: mailDir,
    LOG_LEVEL: 'warn',
    JOB_INTERVAL_SECONDS: '3600', // jobs run once at start-up, then not during the load
    // One token from one address at full speed: this measures throughput, not the limits (ADR 0010).
    API_LIMIT_PER_MINUTE: '1000000',
    API_LIMIT_PER_IP_PER_MINUTE: '1000000',
  };
  delete env.NODE_ENV; // the app's default; production would only add an HSTS header
  delete env.SMTP_URL;
  // BENCH_SERVER_ARGS adds Node flags to the server, e.g. `--cpu-prof --cpu-prof-dir=prof` for a profile.
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startNode([...extra, ...(await serverArgs())], { cwd: ROOT, env, ready: /ready on/ });
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    const body = matchBsns ? matchBodyMaker(prepared.emails, matchBsns) : bodyMaker(prepared.emails);
    measured = await measure(name, server, port, '/api/v1/registrations', { authorization: `Bearer ${prepared.token}` }, body);
  } finally {
    await stopNode(server);
    rmSync(mailDir, { recursive: true, force: true });
  }
  const errors = server.stderr
    .join('')
    .split('\n')
    .filter((line) => line.includes('"level":"error"'));
  if (errors.length > 0) console.log(`  !!! the server logged ${errors.length} error line(s), first: ${errors[0]}`);
  const rowsAfter = countRegistrations(path);
  console.log(`  registrations: ${prepared.rows.toLocaleString('en')} before, ${rowsAfter.toLocaleString('en')} after (warm-up + measured run)`);
  if (!matchBsns) return { ...measured, rowsBefore: prepared.rows, rowsAfter };
  const mails = countMails(path);
  console.log(
    `  mails: ${mails.sent.toLocaleString('en')} of the ${mails.queued.toLocaleString('en')} queued were sent before the server stopped (the drain shares the core with the load)`,
  );
  return { ...measured, rowsBefore: prepared.rows, rowsAfter, mails };
}

// ---------------------------------------------------------------------------------------
// Report

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (share: number | null) => (share === null ? 'n/a' : `${Math.round(share * 100)} %`);
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);

function reportPrefill(p: Prepared): void {
  const when = p.reused ? `, measured when built on ${p.prefill.createdAt}` : '';
  console.log(
    `  ${fmt(p.prefill.rowsPerSecond)} rows/s (${p.prefill.seconds.toFixed(1)} s${when}); file ${mb(statSync(p.path).size)}; other CPU ${pct(p.prefill.otherCpu ?? null)}`,
  );
  if ((p.prefill.otherCpu ?? 0) > 0.1) console.log('  !!! other processes were busy during the pre-fill: the rate is too low');
}

/** The commit measured, so figures in docs can be traced to the code they describe. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src', 'migrations') ? ' + uncommitted changes in src/ or migrations/' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

function machine(): string[] {
  const sqlite = new Database(':memory:');
  const sqliteVersion = (sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  sqlite.close();
  return [
    `CPU:     ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} (logical cores)`,
    `Memory:  ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `OS:      ${os.type()} ${os.release()} (${os.arch()})`,
    `Node:    ${process.version}, SQLite ${sqliteVersion}`,
    `Code:    ${revision()}`,
    `Load:    autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured, load generator and server on the same machine`,
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join(
    '\n',
  );
}

async function main() {
  // The request bodies must be valid BSNs, or we would be measuring 422s.
  const probe = loadBsn();
  for (let i = 0; i < 1000; i++) if (!validateBsn(probe()).ok) throw new Error('bench BSN generator made an invalid BSN');

  console.log('Betrokken registration benchmark');
  for (const line of machine()) console.log(`  ${line}`);

  const baseline = await runBaseline();

  console.log(`\n[prefill] ${BIG_ROWS.toLocaleString('en')} registrations`);
  const big = await prepareDatabase(BIG_ROWS);
  reportPrefill(big);
  const atBig = await runRegistrations('2', big);
  const matchPath = await runRegistrations('2b', big, { matchPath: true });

  console.log(`\n[prefill] ${SMALL_ROWS.toLocaleString('en')} registrations`);
  const small = await prepareDatabase(SMALL_ROWS);
  reportPrefill(small);
  const atSmall = await runRegistrations('3', small);

  const runs = [baseline, atBig, matchPath, atSmall];
  console.log('\nSummary');
  for (const line of machine()) console.log(`  ${line}`);
  console.log();
  console.log(
    table([
      ['Scenario', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'server CPU', 'other CPU', 'server peak RSS', 'vs baseline'],
      ...runs.map((r) => [
        r.name,
        fmt(r.reqPerSec),
        String(r.p50),
        String(r.p99),
        r.total.toLocaleString('en'),
        String(r.non2xx),
        String(r.errors + r.timeouts),
        pct(r.serverCpu),
        pct(r.otherCpu),
        mb(r.peakRss),
        `${((r.reqPerSec / baseline.reqPerSec) * 100).toFixed(1)} %`,
      ]),
    ]),
  );
  console.log();
  console.log(`Registrations at ${BIG_ROWS.toLocaleString('en')} rows ÷ baseline: ${(atBig.reqPerSec / baseline.reqPerSec).toFixed(3)}`);
  console.log(
    `Registrations at ${BIG_ROWS.toLocaleString('en')} ÷ at ${SMALL_ROWS.toLocaleString('en')} rows: ${(atBig.reqPerSec / atSmall.reqPerSec).toFixed(3)}`,
  );
  console.log(`Match path at ${BIG_ROWS.toLocaleString('en')} rows ÷ baseline: ${(matchPath.reqPerSec / baseline.reqPerSec).toFixed(3)}`);
  // For bench/all.ts: the figures as JSON.
  if (process.env.BENCH_SUMMARY) {
    writeFileSync(process.env.BENCH_SUMMARY, JSON.stringify({ baseline, atBig, atSmall, matchPath, rows: BIG_ROWS, smallRows: SMALL_ROWS }, null, 2));
  }
  console.log(
    `Bulk pre-fill: ${fmt(big.prefill.rowsPerSecond)} rows/s at ${BIG_ROWS.toLocaleString('en')} rows, ${fmt(small.prefill.rowsPerSecond)} rows/s at ${SMALL_ROWS.toLocaleString('en')} rows`,
  );
  if (runs.some((r) => r.otherCpu !== null && r.otherCpu > 0.1)) {
    console.log('!!! Other processes were busy during some runs (other CPU): repeat on a quiet machine before comparing.');
  }
  if (runs.some((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0)) {
    console.log('!!! Some runs had failed requests (see above): do not publish these figures.');
    process.exitCode = 1;
  }
}

await main();
