import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAuditChain, verifyAuditChain } from '../../src/audit/chain.ts';
import { auditStatement } from '../../src/audit/audit.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
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
    const sqlite = t.deps.database.sqlite;
    expect(() => sqlite.prepare("UPDATE audit_events SET outcome = 'denied' WHERE seq = ?").run(first!.seq)).toThrow(/append-only/);
    expect(() => sqlite.prepare('UPDATE audit_events SET hash = ? WHERE seq = ?').run('0'.repeat(64), first!.seq)).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_events WHERE seq = ?').run(first!.seq)).toThrow(/append-only/);
    // An unsealed row may not be changed while being sealed either.
    await t.deps.atomic([t.deps.db.insert(auditEvents).values({ id: crypto.randomUUID(), at: new Date(), actorType: 'system', action: 'x.y', outcome: 'success' })]);
    expect(() => sqlite.prepare("UPDATE audit_events SET action = 'z', hash = 'h', prev_hash = 'p' WHERE hash IS NULL").run()).toThrow(/append-only/);
  });

  it('detects a tampered row (written around the trigger)', async () => {
    await sealAuditChain(t.deps.db, t.deps.atomic);
    const sqlite = t.deps.database.sqlite;
    const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'registration.create'));
    sqlite.exec('DROP TRIGGER audit_events_seal_only');
    sqlite.prepare("UPDATE audit_events SET outcome = 'denied' WHERE seq = ?").run(row!.seq);
    expect((await verifyAuditChain(t.deps.db)).brokenAt).toBe(row!.seq);
  });
});
