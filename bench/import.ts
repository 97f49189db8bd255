/**
 * Benchmark of the bulk import (`npm run bench:import`; ADR 0016, docs/benchmarks.md).
 *
 * On one machine, in one run, each into a fresh migrated database with the same directory
 * (20 organisations × 5 professionals):
 *   (a) the raw rate: prepared INSERT with node:crypto HMAC in 100,000-row transactions,
 *       exactly as bench/registrations.ts pre-fills (no validation, no matches, no audit);
 *   (b) `import registrations FILE.csv` (the CLI, in process) over a generated CSV of the
 *       same number of rows: parsing, checking, pseudonymising, writing, statistics, audit,
 *       the matches the rows imply, and the CLI's closing audit seal.
 * It prints both rates and their ratio (issue 12's target: ≥ 0.5). `runImportBench()` returns
 * the figures for a combined benchmark.
 *
 * Environment: BENCH_IMPORT_ROWS (1000000), BENCH_IMPORT_SHARED (0.05: the share of subjects
 * that a second organisation also registered, so matches occur), BENCH_IMPORT_BATCH (the
 * import's --batch-size; its default otherwise). The CSV is kept under .bench-data/ and
 * reused while its row count and share are unchanged; BENCH_FRESH=1 writes it anew;
 * BENCH_IMPORT_ONLY=1 runs (b) alone (for profiling).
 */
import { createHash, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealAuditChain } from '../src/audit/chain.ts';
import { runCli } from '../src/cli/cli.ts';
import type { Ctx } from '../src/context.ts';
import { createOrganisation, createPerson } from '../src/directory/directory.ts';
import { createNodeDeps } from '../src/entry/node-deps.ts';
import { parseEnv } from '../src/env.ts';
import { isoDate } from '../src/lib/dates.ts';
import { computeTerm } from '../src/registry/lifecycle.ts';
import { SECTORS } from '../src/vocabulary.ts';
import { bsnSource, machineBusySeconds } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = join(ROOT, '.bench-data'); // git-ignored

const ORGANISATIONS = 20;
const PROFESSIONALS_PER_ORGANISATION = 5;
const RAW_BATCH = 100_000; // as bench/registrations.ts pre-fills
const DAY_MS = 86_400_000;

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

export interface ImportBench {
  rows: number;
  shared: number;
  raw: { seconds: number; rowsPerSecond: number };
  import: {
    seconds: number;
    rowsPerSecond: number;
    imported: number;
    duplicates: number;
    rejected: number;
    matchesCreated: number;
    matchesJoined: number;
    /** Where the time went: reading + checking lines, writing batches, matches (the rest: opening, the audit seal). */
    timingsMs: { check: number; write: number; matches: number; matchesFind: number; matchesDecide: number; matchesWrite: number };
  };
  /** import rate ÷ raw rate (target ≥ 0.5). */
  ratio: number;
  /** Cores used by other processes during the import (a busy machine makes both rates low). */
  otherCpu: number | null;
}

const emailOf = (o: number, p: number) => `professional${p + 1}@org${o + 1}.bench.example`;

interface Fresh {
  path: string;
  env: Record<string, string>;
  professionals: { id: string; organisationId: string; email: string }[];
}

/** A fresh migrated database with the benchmark's directory, made through the CLI's verbs. */
async function freshDatabase(name: string, key: string): Promise<Fresh> {
  const dir = join(DATA_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = {
    DATABASE_PATH: join(dir, 'betrokken.db'),
    PSEUDONYM_KEY: key,
    AUDIT_KEY: createHash('sha256').update(`audit:${key}`).digest('hex'),
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    MAIL_DIR: join(dir, 'mail'),
    LOG_LEVEL: 'warn',
    BETROKKEN_OPERATOR: 'bench',
  };
  const deps = createNodeDeps(parseEnv(env), { log: () => {} });
  try {
    const ctx: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: 'bench' };
    const professionals: Fresh['professionals'] = [];
    for (let o = 0; o < ORGANISATIONS; o++) {
      const { id: organisationId } = await createOrganisation(ctx, { name: `Bench organisation ${o + 1}`, sector: SECTORS[o % SECTORS.length]! });
      for (let p = 0; p < PROFESSIONALS_PER_ORGANISATION; p++) {
        const email = emailOf(o, p);
        const { id } = await createPerson(ctx, { organisationId, name: `Professional ${p + 1} of org ${o + 1}`, email, invite: false });
        professionals.push({ id, organisationId, email });
      }
    }
    await sealAuditChain(deps.db, deps.atomic, deps.auditKeys);
    return { path: env.DATABASE_PATH, env, professionals };
  } finally {
    deps.close();
  }
}

/** (a) The pre-fill loop of bench/registrations.ts: prepared insert + HMAC, 100k rows a transaction. */
async function rawInsert(rows: number, key: string): Promise<{ seconds: number; rowsPerSecond: number }> {
  const fresh = await freshDatabase('import-raw', key);
  const config = parseEnv(fresh.env);
  const deps = createNodeDeps(config, { log: () => {} });
  try {
    const secret = createSecretKey(Buffer.from(key, 'hex'));
    const hmac = (bsn: string) => createHmac('sha256', secret).update(bsn).digest();
    deps.database.sqlite.pragma('cache_size = -262144');
    const insert = deps.database.sqlite.prepare(
      `INSERT OR IGNORE INTO registrations
         (id, subject_pseudonym, key_id, organisation_id, professional_id, reference, status, registered_at, ends_on, ends_because, age_limit_month)
       VALUES (?, ?, ?, ?, ?, NULL, 'active', ?, ?, ?, ?)`,
    );
    const { professionals } = fresh;
    const nextBsn = bsnSource(10_000_000, 100_000_000);
    const now = Date.now();
    const todayMs = Date.parse(isoDate(new Date(now)));
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
        ).changes;
      }
      return inserted;
    });
    const started = performance.now();
    let done = 0;
    while (done < rows) done += insertBatch(done, Math.min(RAW_BATCH, rows - done));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rowsPerSecond: rows / seconds };
  } finally {
    deps.close();
  }
}

/**
 * The CSV: `rows` lines registered over the past year in time order, subjects 0–18 years
 * old; a share of the subjects appears twice, at two organisations (a match each).
 */
async function writeCsv(rows: number, shared: number): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `import-${rows}-${shared}.csv`);
  const metaPath = `${path}.json`;
  if (process.env.BENCH_FRESH !== '1' && existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { rows: number; shared: number };
    if (meta.rows === rows && meta.shared === shared) {
      console.log(`  reusing ${path} (BENCH_FRESH=1 writes it anew)`);
      return path;
    }
  }
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('bsn;birth_date;professional_email;case_number;registered_at\n');
  const nextBsn = bsnSource(10_000_000, 100_000_000);
  const now = Date.now();
  const todayMs = Date.parse(isoDate(new Date(now)));
  const yearAgo = now - 365 * DAY_MS;
  const randomEmail = (notOrg = -1) => {
    let o = Math.floor(Math.random() * ORGANISATIONS);
    if (o === notOrg) o = (o + 1) % ORGANISATIONS;
    return { o, email: emailOf(o, Math.floor(Math.random() * PROFESSIONALS_PER_ORGANISATION)) };
  };
  let chunk = '';
  for (let i = 0; i < rows; ) {
    const bsn = nextBsn();
    // 1–18 years old today: born before the registration, which is at most a year ago.
    const birthDate = isoDate(new Date(todayMs - Math.floor((1 + Math.random() * 17) * 365) * DAY_MS));
    const first = randomEmail();
    const registered = (n: number) => new Date(Math.floor(yearAgo + (n / rows) * 365 * DAY_MS)).toISOString();
    chunk += `${bsn};${birthDate};${first.email};DOS-${i};${registered(i)}\n`;
    i++;
    if (i < rows && Math.random() < shared) {
      chunk += `${bsn};${birthDate};${randomEmail(first.o).email};;${registered(i)}\n`;
      i++;
    }
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  writeFileSync(metaPath, `${JSON.stringify({ rows, shared, createdAt: new Date().toISOString() })}\n`);
  return path;
}

/** (b) The import command over the CSV, as an operator runs it (in process: no start-up in the figure). */
async function runImport(file: string, key: string, batch: number | null) {
  const fresh = await freshDatabase('import-cli', key);
  let stdout = '';
  const args = ['import', 'registrations', file, '--json', ...(batch ? ['--batch-size', String(batch)] : [])];
  const busyBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const code = await runCli(args, {
    env: { ...process.env, ...fresh.env },
    async write(chunk) {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    },
    error: (line) => console.error(line),
  });
  const seconds = (performance.now() - started) / 1000;
  const busyAfter = machineBusySeconds();
  const own = process.cpuUsage(ownBefore);
  if (code !== 0) throw new Error(`import failed (${code}): ${stdout}`);
  const otherCpu = busyBefore !== null && busyAfter !== null ? Math.max(0, busyAfter - busyBefore - (own.user + own.system) / 1e6) / seconds : null;
  return { seconds, summary: JSON.parse(stdout), otherCpu };
}

export async function runImportBench(options: { rows?: number; shared?: number; batch?: number | null } = {}): Promise<ImportBench> {
  const rows = options.rows ?? numberEnv('BENCH_IMPORT_ROWS', 1_000_000);
  const shared = options.shared ?? numberEnv('BENCH_IMPORT_SHARED', 0.05);
  const batch = options.batch ?? (process.env.BENCH_IMPORT_BATCH ? numberEnv('BENCH_IMPORT_BATCH', 20_000) : null);
  const key = randomBytes(32).toString('hex');
  console.log(`Import benchmark: ${rows.toLocaleString('en')} rows, ${shared * 100}% of subjects at two organisations`);
  const file = await writeCsv(rows, shared);
  console.log('  (a) raw prepared insert with HMAC …');
  // BENCH_IMPORT_ONLY=1 skips it (to profile the import alone); the ratio is then meaningless.
  const raw = process.env.BENCH_IMPORT_ONLY === '1' ? { seconds: Number.NaN, rowsPerSecond: Number.NaN } : await rawInsert(rows, key);
  console.log(`      ${raw.rowsPerSecond.toFixed(0)} rows/s (${raw.seconds.toFixed(1)} s)`);
  console.log('  (b) import registrations …');
  const run = await runImport(file, key, batch);
  const rowsPerSecond = run.summary.read / run.seconds;
  console.log(`      ${rowsPerSecond.toFixed(0)} rows/s (${run.seconds.toFixed(1)} s)`);
  return {
    rows,
    shared,
    raw,
    import: {
      seconds: run.seconds,
      rowsPerSecond,
      imported: run.summary.imported,
      duplicates: run.summary.duplicates,
      rejected: run.summary.rejectedCount,
      matchesCreated: run.summary.matches.created,
      matchesJoined: run.summary.matches.joined,
      timingsMs: run.summary.timingsMs,
    },
    ratio: rowsPerSecond / raw.rowsPerSecond,
    otherCpu: run.otherCpu,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runImportBench();
  console.log('');
  console.log('| figure | value |');
  console.log('|---|---|');
  console.log(`| rows | ${result.rows.toLocaleString('en')} |`);
  console.log(`| raw prepared insert + HMAC | ${result.raw.rowsPerSecond.toFixed(0)} rows/s |`);
  console.log(`| import registrations | ${result.import.rowsPerSecond.toFixed(0)} rows/s |`);
  console.log(`| ratio (target ≥ 0.5) | ${result.ratio.toFixed(2)} |`);
  console.log(`| imported / duplicates / rejected | ${result.import.imported} / ${result.import.duplicates} / ${result.import.rejected} |`);
  console.log(`| matches created / joined | ${result.import.matchesCreated} / ${result.import.matchesJoined} |`);
  const t = result.import.timingsMs;
  console.log(
    `| import: check / write / matches / rest (open, seal) | ${t.check} / ${t.write} / ${t.matches} / ${Math.round(result.import.seconds * 1000 - t.check - t.write - t.matches)} ms |`,
  );
  console.log(`| matches: find / read + decide / write units | ${t.matchesFind} / ${t.matchesDecide} / ${t.matchesWrite} ms |`);
  if (result.otherCpu !== null) console.log(`| other processes during the import | ${result.otherCpu.toFixed(2)} cores |`);
  console.log(`\n${JSON.stringify(result)}`);
}
