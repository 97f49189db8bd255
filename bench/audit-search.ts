/**
 * The audit console's search at scale: fills a fresh SQLite database (migrated, with the
 * indexes of migration 0010) with 1,000,000 audit events, then times the searches an
 * auditor makes through the real verb (`searchAudit`, which also writes its own
 * `audit.search` row) and one streamed CSV export part.
 *
 * The rows are bulk-inserted with one prepared statement in large transactions. Their
 * `mac`/`hash` columns hold placeholders, not real MACs or chain MACs: the search never
 * reads them, and computing a million HMACs would only slow the fill (the chain is not
 * verified here; `audit verify` has its own cost, about linear in the trail).
 *
 * Usage: npm run bench:audit [-- --events 1000000]. Prints a table: median ms of 5 runs,
 * rows returned. Figures go in reports, never in tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportAuditCsv, searchAudit, EXPORT_PART_ROWS } from '../src/audit/search.ts';
import type { Ctx } from '../src/context.ts';
import { createNodeDeps, loadNodeConfig } from '../src/entry/node-deps.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
const EVENTS = Number(values.events);

const dir = mkdtempSync(join(tmpdir(), 'betrokken-bench-audit-'));
const config = loadNodeConfig({
  NODE_ENV: 'test',
  DATABASE_PATH: join(dir, 'audit.db'),
  PSEUDONYM_KEY: 'a1'.repeat(32),
  AUDIT_KEY: 'b2'.repeat(32),
  AUDIT_ANCHOR_DIR: join(dir, 'anchors'),
  PUBLIC_URL: 'http://localhost',
  LOG_LEVEL: 'silent',
});
const deps = createNodeDeps(config, { log: () => {} });
const sqlite = deps.database.sqlite;

// ---- fill ----------------------------------------------------------------------------------

const ids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());
const organisations = ids(200);
const people = ids(3000);
const personOrg = people.map((_, i) => organisations[i % organisations.length]!);
const personRoles = people.map((_, i) => (i % 50 === 0 ? 'professional,organisation_coordinator' : i % 997 === 0 ? 'auditor' : 'professional'));
const ACTIONS = [
  ['registration.read', 30],
  ['registration.create', 12],
  ['registration.list', 15],
  ['match.read', 10],
  ['registration.end', 4],
  ['registration.inform', 5],
  ['match.contact', 3],
  ['match.coordinate', 2],
  ['notify.send', 8],
  ['session.login', 6],
  ['access.denied', 1],
  ['audit.search', 1],
  ['organisation.update', 1],
  ['person.deactivate', 1],
  ['death.confirm', 1],
] as const;
const actionTable = ACTIONS.flatMap(([action, weight]) => Array.from({ length: weight }, () => action));
const outcomeOf = (r: number) => (r < 0.95 ? 'success' : r < 0.97 ? 'denied' : r < 0.985 ? 'not_found' : r < 0.998 ? 'invalid' : 'error');

const insert = sqlite.prepare(
  `INSERT INTO audit_events (id, at, actor_type, actor_id, actor_roles, organisation_id, action, outcome, registration_id, match_id, target_user_id, request_id, origin, detail, mac, key_id, prev_hash, hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
// Left unsealed (prev_hash, hash null): sealing would chain a million MACs the search never reads.
const start = Date.UTC(2025, 10, 1);
const span = 365 * 86_400_000;
const registrations: string[] = [];
const matches: string[] = [];
const PLACEHOLDER = '0'.repeat(64);
const filled = performance.now();
const BATCH = 50_000;
let requestId = crypto.randomUUID();
const fillBatch = sqlite.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const r = Math.random();
    const person = Math.floor(Math.random() * people.length);
    const system = r < 0.08;
    const action = system ? 'notify.send' : actionTable[Math.floor(Math.random() * actionTable.length)]!;
    if (action === 'registration.create' || registrations.length === 0) registrations.push(crypto.randomUUID());
    const registration = action.startsWith('registration.')
      ? registrations[Math.floor(registrations.length - 1 - Math.random() * Math.min(registrations.length, 5000))]!
      : null;
    if (action === 'match.coordinate' || matches.length === 0) matches.push(crypto.randomUUID());
    const match =
      action.startsWith('match.') || (system && Math.random() < 0.5)
        ? matches[Math.floor(matches.length - 1 - Math.random() * Math.min(matches.length, 500))]!
        : null;
    const target = action === 'person.deactivate' ? people[Math.floor(Math.random() * people.length)]! : null;
    if (i % 3 === 0) requestId = crypto.randomUUID();
    insert.run(
      crypto.randomUUID(),
      Math.floor(start + (span * i) / EVENTS),
      system ? 'system' : 'professional',
      system ? 'drain-outbox' : people[person]!,
      system ? null : personRoles[person]!,
      system ? null : personOrg[person]!,
      action,
      outcomeOf(Math.random()),
      registration,
      match,
      target,
      system ? null : requestId,
      system ? null : '192.0.2.1',
      JSON.stringify({ n: i }),
      PLACEHOLDER,
      'bench',
      null,
      null,
    );
  }
});
for (let from = 0; from < EVENTS; from += BATCH) {
  fillBatch(from, Math.min(EVENTS, from + BATCH));
  process.stderr.write(`\rfilled ${Math.min(EVENTS, from + BATCH).toLocaleString('en')} events`);
}
sqlite.pragma('optimize');
sqlite.exec('ANALYZE');
const fillMs = performance.now() - filled;
process.stderr.write(`\n`);

// ---- searches ------------------------------------------------------------------------------

const ctx: Ctx = { deps, actor: { type: 'operator', id: 'bench' }, requestId: null, origin: 'bench' };
const someRegistration = registrations[Math.floor(registrations.length / 2)]!;
const someMatch = matches[Math.floor(matches.length / 2)]!;
const someTarget = (sqlite.prepare('SELECT target_user_id AS t FROM audit_events WHERE target_user_id IS NOT NULL LIMIT 1').get() as { t: string }).t;
const someRequest = (
  sqlite.prepare('SELECT request_id AS r FROM audit_events WHERE request_id IS NOT NULL AND seq > ? LIMIT 1').get(EVENTS / 2) as { r: string }
).r;
const deepCursor = (100).toString(36);
const middleCursor = Math.floor(EVENTS / 2).toString(36);

const CASES: [string, Record<string, string>][] = [
  ['newest page, no filter', {}],
  ['deep page (cursor near the oldest), no filter', { cursor: deepCursor }],
  ['by actor (one person)', { actor: people[7]! }],
  ['by actor, page from the middle', { actor: people[7]!, cursor: middleCursor }],
  ['by organisation', { organisation: organisations[3]! }],
  ['by action (common: registration.read)', { action: 'registration.read' }],
  ['by action (rare: death.confirm)', { action: 'death.confirm' }],
  ['by action, deep cursor', { action: 'registration.read', cursor: (5000).toString(36) }],
  ['by registration', { registration: someRegistration }],
  ['by match', { match: someMatch }],
  ['by person (target)', { person: someTarget }],
  ['by request', { request: someRequest }],
  ['by period (one day)', { from: '2026-05-01', to: '2026-05-01' }],
  ['by period (one month)', { from: '2026-03-01', to: '2026-03-31' }],
  ['by period (one day, a year ago end)', { from: '2025-11-02', to: '2025-11-02' }],
  ['by role (common: organisation_coordinator)', { role: 'organisation_coordinator' }],
  ['by role (rare: auditor)', { role: 'auditor' }],
  ['by outcome (denied)', { outcome: 'denied' }],
  ['by organisation + action + period', { organisation: organisations[3]!, action: 'registration.read', from: '2026-01-01', to: '2026-06-30' }],
];

async function time(run: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    rows = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2]!, rows };
}

const results: { query: string; ms: number; rows: number }[] = [];
for (const [name, filter] of CASES) {
  const { ms, rows } = await time(async () => (await searchAudit(ctx, filter)).events.length);
  results.push({ query: name, ms, rows });
}
const exportPart = await time(async () => {
  const { stream } = await exportAuditCsv(ctx, { action: 'registration.read' });
  const reader = stream.getReader();
  let lines = -1;
  for (let part = await reader.read(); !part.done; part = await reader.read()) for (const byte of part.value) if (byte === 10) lines++;
  return lines;
});
results.push({ query: `CSV export, one part (${EXPORT_PART_ROWS.toLocaleString('en')} rows of registration.read)`, ...exportPart });

const plan = (sql: string, ...args: unknown[]) =>
  (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');

console.log(
  `\nAudit search benchmark: ${EVENTS.toLocaleString('en')} events, filled in ${(fillMs / 1000).toFixed(1)} s (SQLite, better-sqlite3, Node ${process.version})`,
);
console.log(`Each figure: the median of 5 runs of searchAudit (one page of 50 + its own audit row).\n`);
const width = Math.max(...results.map((r) => r.query.length));
console.log(`${'query'.padEnd(width)}  ${'ms'.padStart(8)}  ${'rows'.padStart(6)}`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(8)}  ${'-'.repeat(6)}`);
for (const r of results) console.log(`${r.query.padEnd(width)}  ${r.ms.toFixed(2).padStart(8)}  ${String(r.rows).padStart(6)}`);
console.log('\nQuery plans (without the cursor):');
console.log(`  by actor:  ${plan('SELECT seq FROM audit_events WHERE actor_id = ? ORDER BY seq DESC LIMIT 51', people[7])}`);
console.log(`  by period, its seq range: ${plan('SELECT min(seq), max(seq) FROM audit_events WHERE at >= ? AND at < ?', 0, 1)}`);
console.log(
  `  by period, the page: ${plan('SELECT seq FROM audit_events WHERE seq >= ? AND seq <= ? AND +at >= ? AND +at < ? ORDER BY seq DESC LIMIT 51', 0, 1, 0, 1)}`,
);
console.log(`  by role:   ${plan("SELECT seq FROM audit_events WHERE (',' || actor_roles || ',') LIKE ? ORDER BY seq DESC LIMIT 51", '%,auditor,%')}`);

deps.close();
rmSync(dir, { recursive: true, force: true });
