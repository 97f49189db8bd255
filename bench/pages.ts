/**
 * Benchmark of the professional's pages (`npm run bench:pages`; docs/benchmarks.md): the
 * Node server as a child process, a professional with BENCH_PAGE_REGISTRATIONS own
 * registrations (a third of them in a match), and autocannon on
 *   - GET /login (anonymous, the JSX frame only),
 *   - GET / (the dashboard: session lookup, three reads, three audit writes),
 *   - GET /registrations (a page of 25),
 *   - GET /assets/styles.<hash>.css (≈500 KB, gzip),
 * with the Hono hello-world baseline from the same run for scale.
 *
 * Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (20), BENCH_PAGE_REGISTRATIONS (200).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startSession } from '../src/auth/sessions.ts';
import type { Ctx } from '../src/context.ts';
import { createOrganisation, createPerson } from '../src/directory/directory.ts';
import { createNodeDeps } from '../src/entry/node-deps.ts';
import { parseEnv } from '../src/env.ts';
import { registerInvolvement } from '../src/registry/register-involvement.ts';
import { STYLES } from '../src/views/assets.generated.ts';
import { bsnSource, freePort, helloServerArgs, peakRssBytes, serverArgs, startNode, stopNode } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
const SECONDS = num('BENCH_SECONDS', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
const REGISTRATIONS = num('BENCH_PAGE_REGISTRATIONS', 200);
const KEY = 'b7'.repeat(32);
/** The set-up and the server seal the same audit trail: the same key for both. */
const AUDIT_KEY = 'e5'.repeat(32);

async function prepare(databasePath: string) {
  const config = parseEnv({
    DATABASE_PATH: databasePath,
    PSEUDONYM_KEY: KEY,
    AUDIT_KEY,
    AUDIT_ANCHOR_DIR: join(dirname(databasePath), 'anchors'),
    LOG_LEVEL: 'silent',
  });
  const deps = createNodeDeps(config, { log: () => {} });
  const operator: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: null };
  const own = await createOrganisation(operator, { name: 'Basisschool', sector: 'education' });
  const other = await createOrganisation(operator, { name: 'Jeugdhulp', sector: 'youth_care' });
  const me = await createPerson(operator, { organisationId: own.id, name: 'Juf', email: 'juf@bench.example', invite: false });
  await createPerson(operator, { organisationId: other.id, name: 'Hulp', email: 'hulp@bench.example', invite: false });
  const asOwn: Ctx = { ...operator, actor: { type: 'professional', id: me.id, organisationId: own.id, roles: ['professional'] } };
  const asOther: Ctx = { ...operator, actor: { type: 'api_client', id: 'bench', organisationId: other.id } };
  const nextBsn = bsnSource(10_000_000, 99_999_999);
  for (let i = 0; i < REGISTRATIONS; i++) {
    const bsn = nextBsn();
    await registerInvolvement(asOwn, { bsn, birthDate: '2012-05-17', professionalEmail: 'juf@bench.example', reference: `DOS-${i}` });
    if (i % 3 === 0) await registerInvolvement(asOther, { bsn, birthDate: '2012-05-17', professionalEmail: 'hulp@bench.example' });
  }
  const session = await startSession(operator, { professionalId: me.id, userAgent: 'bench' });
  deps.close();
  return session.id;
}

async function run(port: number, path: string, headers: Record<string, string>) {
  const options = { url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, headers };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: SECONDS });
  return { path, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

const dir = mkdtempSync(join(os.tmpdir(), 'betrokken-bench-pages-'));
try {
  const databasePath = join(dir, 'pages.db');
  const sessionId = await prepare(databasePath);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_PATH: databasePath,
    PSEUDONYM_KEY: KEY,
    AUDIT_KEY,
    AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
    LOG_LEVEL: 'warn',
    MAIL_DIR: join(dir, 'mail'),
    JOB_INTERVAL_SECONDS: '3600',
  };
  delete env.NODE_ENV;
  delete env.SMTP_URL;
  // BENCH_SERVER_ARGS adds Node flags to the server, e.g. `--cpu-prof --cpu-prof-dir=prof` for a profile.
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startNode([...extra, ...(await serverArgs())], { cwd: ROOT, env, ready: /ready on/ });
  const rows: { path: string; rps: number; p50: number; p99: number; non2xx: number; errors: number }[] = [];
  try {
    const cookie = { cookie: `betrokken=${sessionId}` };
    rows.push(await run(port, '/login', {}));
    rows.push(await run(port, '/', cookie));
    rows.push(await run(port, '/registrations', cookie));
    rows.push(await run(port, `/assets/styles.${STYLES.hash}.css`, { 'accept-encoding': 'gzip' }));
    rows.push({ path: 'peak RSS (MB)', rps: Math.round((peakRssBytes(server.pid) ?? 0) / 1e6), p50: 0, p99: 0, non2xx: 0, errors: 0 });
  } finally {
    await stopNode(server);
  }
  const baselinePort = await freePort();
  const hello = await startNode(await helloServerArgs(), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(baselinePort) },
    ready: /ready/,
  });
  try {
    rows.push({ ...(await run(baselinePort, '/', {})), path: 'Hono hello-world GET (baseline)' });
  } finally {
    await stopNode(hello);
  }
  console.log(`\nPages, ${REGISTRATIONS} own registrations, ${CONNECTIONS} connections, ${SECONDS} s each, ${os.cpus().length} cores\n`);
  console.log('| what | requests/s | p50 ms | p99 ms | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.path} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
  // For bench/all.ts: the dashboard against the baseline, as JSON.
  if (process.env.BENCH_SUMMARY) {
    const find = (path: string) => rows.find((r) => r.path === path)!;
    writeFileSync(
      process.env.BENCH_SUMMARY,
      JSON.stringify({ dashboard: find('/'), baseline: find('Hono hello-world GET (baseline)'), failed: rows.some((r) => r.non2xx > 0 || r.errors > 0) }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
