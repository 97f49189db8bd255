/**
 * Migration 0008 (ADR 0009) on a database with audit rows from before it: BSN-shaped ids
 * are redacted (sealed rows too, around the append-only trigger), the redaction is
 * recorded, the trigger is back afterwards, and the old rows stay a verifiable prefix of
 * the keyed chain.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordAudit, withAuditMacs } from '../../src/audit/audit.ts';
import { sealAuditChain, verifyAuditChain } from '../../src/audit/chain.ts';
import { createAuditKeyring } from '../../src/audit/key.ts';
import type { Ctx } from '../../src/context.ts';
import { MIGRATIONS_DIR } from '../../src/db/node.ts';
import * as schema from '../../src/db/schema.ts';
import type { Atomic, Db, Statement } from '../../src/db/types.ts';

function apply(sqlite: Database.Database, file: string) {
  for (const part of readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint')) if (part.trim()) sqlite.exec(part);
}

describe('migration 0008', () => {
  it('redacts BSN-shaped ids in audit rows, records it, and keeps the old rows as a verifiable prefix', async () => {
    const sqlite = new Database(':memory:');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const at = files.findIndex((f) => f.startsWith('0008_'));
    for (const f of files.slice(0, at)) apply(sqlite, f);
    const insert = sqlite.prepare(
      "INSERT INTO audit_events (id, at, actor_type, action, outcome, registration_id, match_id, target_user_id) VALUES (?, 1700000000000, 'system', 'old.event', 'success', ?, ?, ?)",
    );
    insert.run('r1', '111222333', null, null); // a valid BSN
    insert.run('r2', 'e1f0c7a2-uuid', '1234.56.782', null); // a valid BSN with dots
    insert.run('r3', '123456789', null, '12345672'); // elfproef fails; 8 digits that pass (0-padded)
    insert.run('r4', '12 34 56 782', null, 'prof-1'); // spaces
    insert.run('r5', '1234567890', null, null); // ten digits: not a BSN
    // The old job sealed the first two (so redacting them needs the trigger out of the way).
    const db = drizzle({ client: sqlite, schema }) as unknown as Db;
    const run = sqlite.transaction((statements: Statement[]) => {
      for (const s of statements) (s as unknown as { run(): unknown }).run();
    });
    const atomic: Atomic = withAuditMacs(async (statements) => void run.immediate(statements));
    const keys = createAuditKeyring({ id: 'a1', bytes: new Uint8Array(32).fill(1) });
    // As the old sealer did: SHA-256 over the previous hash and the fields, unkeyed.
    let prev = '0'.repeat(64);
    for (const seq of [1, 2]) {
      const r = sqlite.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as Record<string, string | number | null>;
      const fields = [
        r.seq,
        r.id,
        r.at,
        r.actor_type,
        r.actor_id,
        r.organisation_id,
        r.action,
        r.outcome,
        r.registration_id,
        r.match_id,
        r.target_user_id,
        r.request_id,
        r.origin,
        r.detail,
      ];
      const hash = createHash('sha256')
        .update(`${prev}\n${JSON.stringify(fields)}`)
        .digest('hex');
      sqlite.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, seq);
      prev = hash;
    }

    for (const f of files.slice(at)) apply(sqlite, f);
    const rows = sqlite
      .prepare('SELECT id, registration_id AS r, match_id AS m, target_user_id AS t, action, detail, mac FROM audit_events ORDER BY seq')
      .all();
    expect(rows).toEqual([
      { id: 'r1', r: 'redacted', m: null, t: null, action: 'old.event', detail: null, mac: null },
      { id: 'r2', r: 'e1f0c7a2-uuid', m: 'redacted', t: null, action: 'old.event', detail: null, mac: null },
      { id: 'r3', r: '123456789', m: null, t: 'redacted', action: 'old.event', detail: null, mac: null },
      { id: 'r4', r: 'redacted', m: null, t: 'prof-1', action: 'old.event', detail: null, mac: null },
      { id: 'r5', r: '1234567890', m: null, t: null, action: 'old.event', detail: null, mac: null },
      { id: 'migration-0008-audit-redact', r: null, m: null, t: null, action: 'audit.redact', detail: '{"redactedRows":4}', mac: null },
    ]);
    expect(() => sqlite.exec("UPDATE audit_events SET action = 'x' WHERE seq = 1")).toThrow(/append-only/);

    // The legacy rows are sealed with the old hash, and the keyed chain continues after them.
    expect(await sealAuditChain(db, atomic, keys)).toBe(4);
    expect(await verifyAuditChain(db, keys)).toMatchObject({ ok: true, sealed: 6 });
    // Then new, keyed rows.
    const ctx = {
      deps: { db, atomic, auditKeys: keys, clock: { now: () => new Date() } },
      actor: { type: 'system', id: 't' },
      requestId: null,
      origin: null,
    } as unknown as Ctx;
    await recordAudit(ctx, { action: 'test.new', outcome: 'success' });
    expect(await sealAuditChain(db, atomic, keys)).toBe(1);
    expect(await verifyAuditChain(db, keys)).toMatchObject({ ok: true, sealed: 7 });
    // A legacy row that was not redacted is still protected by its hash.
    sqlite.exec('DROP TRIGGER audit_events_seal_only');
    sqlite.exec("UPDATE audit_events SET outcome = 'denied' WHERE seq = 5");
    expect(await verifyAuditChain(db, keys)).toMatchObject({ ok: false, brokenAt: 5 });
    sqlite.close();
  });
});
