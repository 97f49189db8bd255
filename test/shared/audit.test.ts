import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAuditChain, verifyAuditChain } from '../../src/audit/chain.ts';
import { auditStatement } from '../../src/audit/audit.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;

/** The trigger's refusal, whether the driver reports it directly or as the cause. */
async function expectRefused(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  expect(`${(error as Error).message} ${String((error as Error).cause ?? '')}`).toContain('append-only');
}
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('is hash-chained: sealing links every event to the one before, and verification passes', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    await t.register(org, p.email);
    const sealed = await sealAuditChain(t.deps.db, t.deps.atomic);
    expect(sealed).toBeGreaterThanOrEqual(4);
    const rows = await t.deps.db.select().from(auditEvents).orderBy(auditEvents.seq);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(t.deps.db)).toEqual({ checked: rows.length, brokenAt: null });
    expect(await sealAuditChain(t.deps.db, t.deps.atomic)).toBe(0); // idempotent
  });

  it('seals everything pending, however much, in one call', async () => {
    const ctx = { ...t.operator };
    await t.deps.atomic(Array.from({ length: 1200 }, () => auditStatement(ctx, { action: 'test.bulk', outcome: 'success' })));
    expect(await sealAuditChain(t.deps.db, t.deps.atomic)).toBe(1200);
    expect((await verifyAuditChain(t.deps.db)).brokenAt).toBeNull();
  });

  it('refuses UPDATE and DELETE (a trigger), and allows only the one-time seal', async () => {
    const [first] = await t.deps.db.select().from(auditEvents).orderBy(auditEvents.seq).limit(1);
    // async: better-sqlite3 throws synchronously, D1 rejects; both become a rejection here.
    const run = async (statement: SQL) => t.deps.db.run(statement);
    await expectRefused(run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${first!.seq}`));
    await expectRefused(run(sql`UPDATE audit_events SET hash = ${'0'.repeat(64)} WHERE seq = ${first!.seq}`));
    await expectRefused(run(sql`DELETE FROM audit_events WHERE seq = ${first!.seq}`));
    // An unsealed row may not be changed while being sealed either.
    await t.deps.atomic([
      t.deps.db.insert(auditEvents).values({ id: crypto.randomUUID(), at: new Date(), actorType: 'system', action: 'x.y', outcome: 'success' }),
    ]);
    await expectRefused(run(sql`UPDATE audit_events SET action = 'z', hash = 'h', prev_hash = 'p' WHERE hash IS NULL`));
  });

  it('detects a tampered row (written around the trigger)', async () => {
    await sealAuditChain(t.deps.db, t.deps.atomic);
    const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'registration.create'));
    await t.deps.db.run(sql`DROP TRIGGER audit_events_seal_only`);
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${row!.seq}`);
    expect((await verifyAuditChain(t.deps.db)).brokenAt).toBe(row!.seq);
  });
});
