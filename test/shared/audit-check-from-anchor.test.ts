/**
 * The console's chain check from the latest anchor (src/audit/status.ts with `fromAnchor`
 * in src/audit/chain.ts), on both runtimes: it reads only the rows after the anchor, finds
 * a change there, and a change before the anchor is left to the full check.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnchorStore, AuditAnchor } from '../../src/audit/anchor.ts';
import { auditStatement } from '../../src/audit/audit.ts';
import { anchorAuditChain, sealAuditChain } from '../../src/audit/chain.ts';
import { runAuditCheck } from '../../src/audit/status.ts';
import type { Ctx } from '../../src/context.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let t: TestContext;
let ctx: Ctx;
const anchors: AnchorStore & { all: AuditAnchor[] } = (() => {
  const all: AuditAnchor[] = [];
  return { where: 'memory', all, append: async (a: AuditAnchor) => void all.push(a), latest: async () => all.at(-1) ?? null };
})();
const timing = () => ({ now: t.deps.clock.now(), graceMs: 15 * 60_000, anchorMs: 60 * 60_000 });

beforeAll(async () => {
  t = await createTestContext();
  const auditor = await t.person(['auditor']);
  ctx = {
    deps: { ...t.deps, auditAnchors: anchors },
    actor: { type: 'professional', id: auditor.id, organisationId: null, roles: ['auditor'] },
    requestId: null,
    origin: 'test',
  };
});
afterAll(() => t.close());

async function events(n: number) {
  await t.deps.atomic(Array.from({ length: n }, (_, i) => auditStatement(t.operator, { action: 'test.event', outcome: 'success', detail: { i } })));
  await sealAuditChain(t.deps.db, t.deps.atomic, t.deps.auditKeys, timing());
}
const total = async () => (await t.deps.db.select({ n: sql<number>`count(*)` }).from(auditEvents))[0]!.n;

describe('the chain check from the latest anchor', () => {
  it('reads only the anchored row and what came after it; a full check reads everything', async () => {
    await events(30);
    const anchor = (await anchorAuditChain(t.deps.db, t.deps.auditKeys, anchors, t.deps.clock.now(), timing()))!;
    await events(5);
    const since = await runAuditCheck(ctx);
    expect(since.check).toMatchObject({ ok: true, anchorSeq: anchor.seq });
    expect(since.check.checked).toBe(1 + 5);
    const full = await runAuditCheck(ctx, { full: true });
    expect(full.check.ok).toBe(true);
    expect(full.check.checked).toBe((await total()) - 1); // every row but its own audit row, written after it
  });

  it('a change before the anchor is found by the full check; a change after it by both', async () => {
    await t.deps.db.run(sql`DROP TRIGGER IF EXISTS audit_events_seal_only`);
    const anchor = anchors.all.at(-1)!;
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${anchor.seq - 3}`);
    expect((await runAuditCheck(ctx)).check.ok).toBe(true);
    expect((await runAuditCheck(ctx, { full: true })).check).toMatchObject({ ok: false, brokenAt: anchor.seq - 3 });
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${anchor.seq + 2}`);
    expect((await runAuditCheck(ctx)).check).toMatchObject({ ok: false, brokenAt: anchor.seq + 2, reason: 'row content does not match its MAC' });
  });

  it('the anchored row itself must still match the anchor', async () => {
    const anchor = anchors.all.at(-1)!;
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${anchor.seq}`);
    expect((await runAuditCheck(ctx)).check).toMatchObject({ ok: false, brokenAt: anchor.seq });
  });
});
