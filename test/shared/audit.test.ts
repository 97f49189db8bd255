import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnchorStore, AuditAnchor } from '../../src/audit/anchor.ts';
import { auditStatement, recordAudit } from '../../src/audit/audit.ts';
import { anchorAuditChain, AuditIntegrityError, sealAuditChain, verifyAuditChain } from '../../src/audit/chain.ts';
import { createAuditKeyring } from '../../src/audit/key.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { runJobs } from '../../src/jobs/run-jobs.ts';
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

function memoryAnchors(): AnchorStore & { all: AuditAnchor[] } {
  const all: AuditAnchor[] = [];
  return { where: 'memory', all, append: async (a) => void all.push(a), latest: async () => all.at(-1) ?? null };
}

const GRACE_MS = 15 * 60_000;
const ANCHOR_MS = 60 * 60_000;
const seal = (c: TestContext, now = c.deps.clock.now()) => sealAuditChain(c.deps.db, c.deps.atomic, c.deps.auditKeys, { now, graceMs: GRACE_MS });
const anchorNow = (c: TestContext, anchors: AnchorStore, now = c.deps.clock.now()) =>
  anchorAuditChain(c.deps.db, c.deps.auditKeys, anchors, now, { anchorMs: ANCHOR_MS, graceMs: GRACE_MS });
/** The refusal an attempt rejects with. */
async function integrityError(attempt: Promise<unknown>): Promise<AuditIntegrityError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuditIntegrityError);
  return error as AuditIntegrityError;
}
const verify = (c: TestContext, anchors?: AnchorStore, now = c.deps.clock.now()) =>
  verifyAuditChain(c.deps.db, c.deps.auditKeys, { ...(anchors ? { anchors } : {}), now, graceMs: GRACE_MS, anchorMs: ANCHOR_MS });
/** async: better-sqlite3 throws synchronously, D1 rejects; both become a rejection here. */
const run = async (c: TestContext, statement: SQL) => c.deps.db.run(statement);
const dropTriggers = async (c: TestContext) => {
  await run(c, sql`DROP TRIGGER IF EXISTS audit_events_seal_only`);
  await run(c, sql`DROP TRIGGER IF EXISTS audit_events_no_delete`);
};
/** Seals `n` operator events; returns their seqs. */
async function events(c: TestContext, n: number): Promise<number[]> {
  await c.deps.atomic(Array.from({ length: n }, (_, i) => auditStatement(c.operator, { action: 'test.event', outcome: 'success', detail: { i } })));
  await seal(c);
  const rows = await c.deps.db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(auditEvents.seq);
  return rows.map((r) => r.seq);
}
const sealError = (c: TestContext) => integrityError(seal(c));

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('is MACed and chained: each row has its own MAC, sealing links it to the one before, and verification passes', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    await t.register(org, p.email);
    const sealed = await seal(t);
    expect(sealed).toBeGreaterThanOrEqual(4);
    const rows = await t.deps.db.select().from(auditEvents).orderBy(auditEvents.seq);
    const keyed = rows.filter((r) => r.mac !== null);
    expect(keyed.length).toBeGreaterThan(0);
    for (const row of keyed) expect(row.keyId).toBe(t.deps.auditKeys.currentId);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await verify(t)).toMatchObject({ ok: true, checked: rows.length, sealed: rows.length, brokenAt: null });
    expect(await seal(t)).toBe(0); // idempotent
  });

  it('seals everything pending, however much, in one call', async () => {
    const ctx = { ...t.operator };
    await t.deps.atomic(Array.from({ length: 1200 }, () => auditStatement(ctx, { action: 'test.bulk', outcome: 'success' })));
    expect(await seal(t)).toBe(1200);
    expect((await verify(t)).brokenAt).toBeNull();
  });

  it('an audit statement run outside deps.atomic refuses to insert a row without its MAC', async () => {
    // A keyring without a synchronous HMAC (Workers; Node's has one and MACs at once).
    const webOnly = createAuditKeyring({ id: t.deps.auditKeys.currentId, bytes: new Uint8Array(32).fill(0xa7) });
    const statement = auditStatement({ ...t.operator, deps: { ...t.deps, auditKeys: webOnly } }, { action: 'test.raw', outcome: 'success' });
    const error = await (async () => (statement as unknown as { run(): unknown }).run())().then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(error)).toContain('MAC not ready');
  });

  it('the runtime’s synchronous HMAC, where there is one, gives the Web Crypto MAC', async () => {
    const keys = t.deps.auditKeys;
    // The same key through Web Crypto alone (the keyring uses the synchronous HMAC for
    // `mac` too where the runtime has one).
    const webCrypto = createAuditKeyring({ id: keys.currentId, bytes: t.config.AUDIT_KEY! });
    const expected = await webCrypto.mac(keys.currentId, 'message');
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(await keys.mac(keys.currentId, 'message')).toBe(expected);
    if (keys.macSync) expect(keys.macSync(keys.currentId, 'message')).toBe(expected);
  });

  it('refuses UPDATE and DELETE (a trigger), and allows only the one-time seal', async () => {
    const [first] = await t.deps.db.select().from(auditEvents).orderBy(auditEvents.seq).limit(1);
    await expectRefused(run(t, sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${first!.seq}`));
    await expectRefused(run(t, sql`UPDATE audit_events SET hash = ${'0'.repeat(64)} WHERE seq = ${first!.seq}`));
    await expectRefused(run(t, sql`DELETE FROM audit_events WHERE seq = ${first!.seq}`));
    // An unsealed row may not be changed while being sealed either, nor its MAC.
    await recordAudit(t.operator, { action: 'x.y', outcome: 'success' });
    await expectRefused(run(t, sql`UPDATE audit_events SET action = 'z', hash = 'h', prev_hash = 'p' WHERE hash IS NULL`));
    await expectRefused(run(t, sql`UPDATE audit_events SET mac = 'm', hash = 'h', prev_hash = 'p' WHERE hash IS NULL`));
    await seal(t);
    expect((await verify(t)).ok).toBe(true);
  });

  it('anchors the head in the configured store, and verification checks against it', async () => {
    const anchor = await anchorAuditChain(t.deps.db, t.deps.auditKeys, t.deps.auditAnchors, t.deps.clock.now());
    const [head] = await t.deps.db.select().from(auditEvents).orderBy(sql`seq DESC`).limit(1);
    expect(anchor).toMatchObject({ seq: head!.seq, hash: head!.hash });
    expect(await t.deps.auditAnchors.latest()).toEqual(anchor);
    expect(await verify(t, t.deps.auditAnchors)).toMatchObject({ ok: true, anchor });
  });

  it('a verifier without the key (another AUDIT_KEY) fails at the first keyed row', async () => {
    const other = createAuditKeyring({ id: t.deps.auditKeys.currentId, bytes: new Uint8Array(32).fill(9) });
    const [firstKeyed] = await t.deps.db.select().from(auditEvents).where(sql`mac IS NOT NULL`).orderBy(auditEvents.seq).limit(1);
    const result = await verifyAuditChain(t.deps.db, other, { now: t.deps.clock.now() });
    expect(result).toMatchObject({ ok: false, brokenAt: firstKeyed!.seq });
  });
});

/** Attacks by someone with the database file but without AUDIT_KEY (ADR 0009): each on a fresh trail. */
describe('audit trail attacks (triggers dropped)', () => {
  let c: TestContext;
  let seqs: number[];
  let anchors: ReturnType<typeof memoryAnchors>;
  beforeEach(async () => {
    c = await createTestContext();
    seqs = await events(c, 20);
    anchors = memoryAnchors();
    await anchorNow(c, anchors);
    expect((await verify(c, anchors)).ok).toBe(true);
    await dropTriggers(c);
  });
  afterEach(() => c.close());

  it('updating a row’s content is detected at that row', async () => {
    const target = seqs[9]!;
    await run(c, sql`UPDATE audit_events SET outcome = 'denied' WHERE seq = ${target}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: target, reason: 'row content does not match its MAC' });
  });

  it('the actor’s roles are covered by the row MAC: changing or removing them is detected', async () => {
    const person = {
      ...c.operator,
      actor: { type: 'professional' as const, id: crypto.randomUUID(), organisationId: null, roles: ['municipal_admin' as const] },
    };
    await c.deps.atomic([auditStatement(person, { action: 'test.roles', outcome: 'success' })]);
    await seal(c);
    const [row] = await c.deps.db.select().from(auditEvents).where(sql`action = 'test.roles'`);
    expect(row).toMatchObject({ actorRoles: 'municipal_admin', organisationId: null });
    expect((await verify(c, anchors)).ok).toBe(true);
    await run(c, sql`UPDATE audit_events SET actor_roles = 'auditor' WHERE seq = ${row!.seq}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: row!.seq, reason: 'row content does not match its MAC' });
    await run(c, sql`UPDATE audit_events SET actor_roles = NULL WHERE seq = ${row!.seq}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: row!.seq, reason: 'row content does not match its MAC' });
  });

  it('nulling the seals from a row on and re-running the sealing job does not launder a forged row', async () => {
    const target = seqs[9]!;
    await run(c, sql`UPDATE audit_events SET action = 'test.forged', prev_hash = NULL, hash = NULL WHERE seq >= ${target}`);
    await run(c, sql`UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq >= ${target}`);
    expect((await sealError(c)).seq).toBe(target);
    const result = await verify(c, anchors);
    expect(result).toMatchObject({ ok: false, brokenAt: target });
  });

  it('nulling seals alone (no content change) fails verification once older than the sealing interval', async () => {
    const target = seqs[9]!;
    await run(c, sql`UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq >= ${target}`);
    const later = new Date(c.deps.clock.now().getTime() + 60 * 60_000);
    expect(await verify(c, undefined, later)).toMatchObject({ ok: false, brokenAt: target });
    // Against the anchor it fails at once: anchored rows must stay sealed.
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: target });
  });

  it('deleting a row is a gap: sealing refuses to close it and verification names the missing seq', async () => {
    const target = seqs[9]!;
    await run(c, sql`DELETE FROM audit_events WHERE seq = ${target}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: target });
    // Re-sealing everything after the hole (as the old sealer would have done) is refused.
    await run(c, sql`UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq > ${target}`);
    expect((await sealError(c)).seq).toBe(target);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: target });
  });

  it('deleting the tail after an anchor is detected: the first deleted seq is named', async () => {
    const firstGone = seqs[15]!;
    await run(c, sql`DELETE FROM audit_events WHERE seq >= ${firstGone}`);
    expect(await verify(c)).toMatchObject({ ok: true }); // without the anchor, a clean truncation is invisible
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: firstGone });
  });

  it('a row inserted without the key (no MAC, or a made-up one) is never sealed', async () => {
    await run(
      c,
      sql`INSERT INTO audit_events (id, at, actor_type, action, outcome) VALUES ('forged-1', ${c.deps.clock.now().getTime()}, 'system', 'x.forged', 'success')`,
    );
    const forged = seqs.at(-1)! + 1;
    expect((await sealError(c)).seq).toBe(forged);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: forged });
  });

  it('passing a keyed row off as a legacy one (MAC or key id removed) is detected', async () => {
    const [a, b] = [seqs[3]!, seqs[6]!];
    await run(c, sql`UPDATE audit_events SET key_id = NULL WHERE seq = ${a}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: a });
    await run(c, sql`UPDATE audit_events SET key_id = ${c.deps.auditKeys.currentId} WHERE seq = ${a}`);
    await run(c, sql`UPDATE audit_events SET key_id = NULL, mac = NULL WHERE seq = ${b}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: b });
  });

  it('rewriting the chain after an anchor with made-up MACs is detected', async () => {
    const target = seqs[4]!;
    await run(c, sql`UPDATE audit_events SET hash = ${'f'.repeat(64)} WHERE seq = ${target}`);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: target });
  });

  it('passing the first keyed rows off as redacted legacy rows (MAC stripped, an id set to redacted) is detected', async () => {
    // The legacy prefix ends at migration 0008's audit.redact row (seq 1 on a fresh database).
    const [a, b] = [seqs[1]!, seqs[2]!];
    expect(a).toBe(2);
    await run(
      c,
      sql`UPDATE audit_events SET mac = NULL, key_id = NULL, registration_id = 'redacted', action = 'test.forged', actor_id = 'someone-else' WHERE seq IN (${a}, ${b})`,
    );
    expect(await verify(c)).toMatchObject({ ok: false, brokenAt: a });
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: a });
    await run(c, sql`UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq >= ${a}`);
    expect((await sealError(c)).seq).toBe(a);
  });

  it('a legacy row’s content may not be changed under cover of a redacted id at or after the migration’s row', async () => {
    await run(c, sql`UPDATE audit_events SET registration_id = 'redacted', detail = '{"redactedRows":99}' WHERE seq = 1`);
    expect(await verify(c)).toMatchObject({ ok: false, brokenAt: 1, reason: 'legacy row does not match its hash' });
  });

  it('after a cut below the last anchor, the anchoring job refuses to anchor the shortened head', async () => {
    const firstGone = seqs[15]!;
    await run(c, sql`DELETE FROM audit_events WHERE seq >= ${firstGone}`);
    c.clock.advance?.(2 * ANCHOR_MS);
    expect((await integrityError(anchorNow(c, anchors))).seq).toBe(firstGone);
    const deps = { ...c.deps, auditAnchors: anchors };
    expect(await runJobs(deps)).toContain('seal-audit');
    expect(c.logs.some((l) => l.message === 'audit sealing or anchoring failed' && l.fields?.seq === firstGone)).toBe(true);
    expect(anchors.all).toHaveLength(1);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: firstGone });
  });

  it('after the anchored row is rewritten, or a row between it and the head is, anchoring refuses', async () => {
    await events(c, 2);
    const anchored = anchors.all[0]!.seq;
    await run(c, sql`UPDATE audit_events SET hash = ${'f'.repeat(64)} WHERE seq = ${anchored}`);
    expect((await integrityError(anchorNow(c, anchors))).seq).toBe(anchored);
    expect(anchors.all).toHaveLength(1);
  });

  it('the sealer refuses to re-seal rows un-sealed long ago (seals removed, rows then deleted and renumbered)', async () => {
    const target = seqs[9]!;
    c.clock.advance?.(GRACE_MS + 60_000);
    await run(c, sql`UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE seq >= ${target}`);
    await run(c, sql`DELETE FROM audit_events WHERE seq = ${target}`);
    await run(c, sql`UPDATE audit_events SET seq = seq - 1 WHERE seq > ${target}`);
    expect((await sealError(c)).seq).toBe(target);
    const [row] = await c.deps.db.select().from(auditEvents).where(eq(auditEvents.seq, target));
    expect(row!.hash).toBeNull();
  });

  it('deleting every anchor fails verification once sealed rows are older than the anchoring bound, and anchoring refuses', async () => {
    anchors.all.length = 0;
    expect(await verify(c, anchors)).toMatchObject({ ok: true }); // young rows: the first anchor may still be due
    c.clock.advance?.(ANCHOR_MS + GRACE_MS + 60_000);
    expect(await verify(c, anchors)).toMatchObject({ ok: false, brokenAt: seqs[1]!, reason: expect.stringContaining('no anchor found') });
    expect((await integrityError(anchorNow(c, anchors))).seq).toBe(seqs[1]!);
    expect(await runJobs({ ...c.deps, auditAnchors: anchors })).toContain('seal-audit');
    expect(anchors.all).toHaveLength(0);
  });
});

describe('legacy rows (before migration 0008)', () => {
  it('rows without a MAC at the start are sealed with the old hash; the keyed chain continues after them', async () => {
    const c = await createTestContext();
    try {
      // Only the migration's own row is legacy on a fresh database: it is the first.
      const [first] = await c.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.redact'));
      expect(first).toMatchObject({ seq: 1, mac: null, detail: { redactedRows: 0 } });
      await events(c, 3);
      const [sealedFirst] = await c.deps.db.select().from(auditEvents).where(eq(auditEvents.seq, 1));
      expect(sealedFirst!.hash).not.toBeNull();
      expect((await verify(c)).ok).toBe(true);
    } finally {
      c.close();
    }
  });
});

describe('anchoring from the jobs, and key rotation', () => {
  let c: TestContext;
  beforeEach(async () => {
    c = await createTestContext();
  });
  afterEach(() => c.close());

  it('runJobs seals and anchors the head when due, not again within AUDIT_ANCHOR_SECONDS', async () => {
    await events(c, 3);
    await recordAudit(c.operator, { action: 'test.more', outcome: 'success' });
    const anchors = memoryAnchors();
    const deps = { ...c.deps, auditAnchors: anchors };
    expect(await runJobs(deps)).toEqual([]);
    expect(anchors.all).toHaveLength(1);
    const [head] = await c.deps.db.select().from(auditEvents).orderBy(sql`seq DESC`).limit(1);
    expect(anchors.all[0]).toMatchObject({ seq: head!.seq, hash: head!.hash });
    await recordAudit(c.operator, { action: 'test.more', outcome: 'success' });
    await runJobs(deps);
    expect(anchors.all).toHaveLength(1);
    expect((await verify(c, anchors)).ok).toBe(true);
    // Normal operation: the next anchor, an interval later, passes the check against the first.
    for (let i = 0; i < 5; i++) {
      c.clock.advance?.(ANCHOR_MS / 4);
      await recordAudit(c.operator, { action: 'test.more', outcome: 'success' });
      expect(await runJobs(deps)).toEqual([]);
    }
    expect(anchors.all).toHaveLength(2);
    expect((await verify(c, anchors)).ok).toBe(true);
  });

  it('a refused seal fails the run as `seal-audit` and logs the seq', async () => {
    const [seq] = (await events(c, 2)).slice(-1);
    await dropTriggers(c);
    await run(
      c,
      sql`INSERT INTO audit_events (id, at, actor_type, action, outcome) VALUES ('forged-2', ${c.deps.clock.now().getTime()}, 'system', 'x', 'success')`,
    );
    expect(await runJobs(c.deps)).toContain('seal-audit');
    expect(c.logs.some((l) => l.message === 'audit sealing or anchoring failed' && l.fields?.seq === seq! + 1)).toBe(true);
  });

  it('after rotating AUDIT_KEY, old rows verify with the retired key and the chain runs on', async () => {
    await events(c, 3);
    const oldBytes = new Uint8Array(32).fill(0xa7);
    const rotated = createAuditKeyring({ id: 'a2', bytes: new Uint8Array(32).fill(0x5c) }, [{ id: c.deps.auditKeys.currentId, bytes: oldBytes }]);
    const deps = { ...c.deps, auditKeys: rotated };
    await recordAudit({ ...c.operator, deps }, { action: 'test.rotated', outcome: 'success' });
    await sealAuditChain(deps.db, deps.atomic, rotated, { now: c.deps.clock.now() });
    const [last] = await c.deps.db.select().from(auditEvents).orderBy(sql`seq DESC`).limit(1);
    expect(last!.keyId).toBe('a2');
    expect(await verifyAuditChain(c.deps.db, rotated, { now: c.deps.clock.now() })).toMatchObject({ ok: true });
    // Without the new key, the old keyring cannot vouch for the new rows.
    expect(await verify(c)).toMatchObject({ ok: false, brokenAt: last!.seq });
  });
});
