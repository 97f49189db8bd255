import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.ts';
import { backoffMs, drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { enqueueStatement } from '../../src/notify/outbox.ts';
import { createSmtpMailer } from '../../src/notify/transports/node.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { createTestClock } from '../support/clock.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let t: TestContext;
const clock = createTestClock();

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ mailer: createSmtpMailer(smtp.url), clock, env: { OUTBOX_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => {
  t.close();
  await smtp.close();
});

async function matchedPair() {
  const a = await t.organisation('education');
  const b = await t.organisation('youth_care');
  const pa = await a.professional('Juf Jansen');
  const pb = await b.professional('Sam de Vries');
  const bsn = randomBsn();
  const ra = await t.register(a, pa.email, { bsn, birthDate: '2013-02-03', reference: 'DOS-77' });
  const rb = await t.register(b, pb.email, { bsn, birthDate: '2013-02-03' });
  return { bsn, pa, pb, ra: ra.body, rb: rb.body };
}

describe('match notification over real SMTP', () => {
  it('emails every member in Dutch with a link, and nothing about the child (not even the registration id)', async () => {
    const { bsn, pa, pb, ra, rb } = await matchedPair();
    const before = smtp.messages.length;
    const result = await drainOutbox(t.deps);
    expect(result).toMatchObject({ sent: 2, failed: 0, dead: 0 });
    const received = smtp.messages.slice(before);
    expect(received.map((m) => m.to).sort()).toEqual([pa.email, pb.email].sort());

    for (const mail of received) {
      const own = mail.to === pa.email ? ra : rb;
      expect(mail.parsed.subject).toBe('Betrokken: er is een match op uw registratie');
      expect(mail.raw).not.toContain(own.id);
      expect(mail.parsed.text).toContain(`https://betrokken.test/matches/${rb.matchId}`);
      expect(mail.parsed.html).toContain(`href="https://betrokken.test/matches/${rb.matchId}"`);
      expect(mail.messageId).toMatch(/^<outbox-[0-9a-f-]+@betrokken\.test>$/);
      // No identity of the child: no BSN, no birth date, no own reference, no pseudonym.
      for (const secret of [bsn, '2013-02-03', '03-02-2013', 'DOS-77']) expect(mail.raw).not.toContain(secret);
    }
    const rows = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'sent'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('sends nothing twice: a second drain finds nothing due', async () => {
    await matchedPair();
    await drainOutbox(t.deps);
    const before = smtp.messages.length;
    expect(await drainOutbox(t.deps)).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.messages.length).toBe(before);
  });

  it('retries a temporary SMTP failure with exponential backoff, then delivers', async () => {
    await drainOutbox(t.deps);
    await matchedPair();
    smtp.failNext(1);
    const first = await drainOutbox(t.deps);
    expect(first).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    const [failed] = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringContaining('451') });
    expect(failed!.nextAttemptAt.getTime()).toBe(clock.now().getTime() + backoffMs(1));

    expect(await drainOutbox(t.deps)).toMatchObject({ claimed: 0 }); // not due yet
    clock.advance(backoffMs(1));
    const before = smtp.messages.length;
    expect(await drainOutbox(t.deps)).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.messages.slice(before).map((m) => m.to)).toHaveLength(1);
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
  });

  it('dead-letters a row after OUTBOX_MAX_ATTEMPTS failures', async () => {
    await drainOutbox(t.deps);
    await matchedPair();
    smtp.failNext(2 * 3);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await drainOutbox(t.deps);
      clock.advance(backoffMs(attempt));
    }
    const dead = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'dead'));
    expect(dead).toHaveLength(2);
    expect(dead.every((r) => r.attempts === 3)).toBe(true);
    expect(await drainOutbox(t.deps)).toMatchObject({ claimed: 0 });
  });

  it('never lets two drainers send the same row: a leased row is skipped until its lease runs out', async () => {
    await drainOutbox(t.deps);
    await matchedPair();
    const sends: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowDeps = {
      ...t.deps,
      mailer: {
        send: async (m: { to: string }) => {
          sends.push(m.to);
          await gate;
        },
      },
    };
    const first = drainOutbox(slowDeps, { owner: 'drainer-1' });
    await new Promise((r) => setTimeout(r, 20));
    const second = await drainOutbox(slowDeps, { owner: 'drainer-2' });
    expect(second.claimed).toBe(0);
    release();
    expect((await first).sent).toBe(2);
    expect(sends).toHaveLength(2);
  });

  it('a drainer whose lease ran out does not send the rows still queued behind its slow sends', async () => {
    await drainOutbox(t.deps);
    const orgs = [await t.organisation(), await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    for (const org of orgs) await t.register(org, (await org.professional()).email, { bsn });
    const due = (await t.deps.db.select().from(outbox)).filter((r) => r.status === 'pending');
    expect(due).toHaveLength(9); // 2 + (1 + 2) + (1 + 3)

    const slowSends: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = drainOutbox(
      {
        ...t.deps,
        mailer: {
          send: async (m) => {
            await gate;
            slowSends.push(m.messageId);
          },
        },
      },
      { owner: 'slow' },
    );
    await new Promise((r) => setTimeout(r, 50)); // five sends are now in flight, four queued
    clock.advance(2 * 60_000); // the slow drainer's leases run out
    const fastSends: string[] = [];
    const fast = await drainOutbox({ ...t.deps, mailer: { send: async (m) => void fastSends.push(m.messageId) } }, { owner: 'fast' });
    expect(fast.sent).toBe(9);
    release();
    await slow;
    // Only the sends already in flight happened twice (same Message-ID); the queued rows were skipped.
    expect(slowSends).toHaveLength(5);
    expect(slowSends.every((id) => fastSends.includes(id))).toBe(true);
    expect((await t.deps.db.select().from(outbox).where(eq(outbox.status, 'sent'))).filter((r) => due.some((d) => d.id === r.id))).toHaveLength(9);
  });

  it('sends no mail before the unit that queued it is committed and on disk, also when the drain starts while that unit is still open', async () => {
    await drainOutbox(t.deps);
    const org = await t.organisation();
    const professional = await org.professional();
    let durable = false;
    // Not awaited: the unit is in the group transaction, not yet committed, when the drain starts.
    const queued = t.deps
      .atomic([
        enqueueStatement(
          t.deps.db,
          {
            idempotencyKey: `durable-first:${crypto.randomUUID()}`,
            template: 'match_created',
            recipientProfessionalId: professional.id,
            recipientEmail: professional.email,
            payload: { matchId: crypto.randomUUID() },
          },
          clock.now(),
        ),
      ])
      .then(() => {
        durable = true;
      });
    const durableAtSend: boolean[] = [];
    const result = await drainOutbox({ ...t.deps, mailer: { send: async () => void durableAtSend.push(durable) } });
    await queued;
    expect(result.sent).toBe(1);
    expect(durableAtSend).toEqual([true]);
  });

  it('ends a drain only when every sender has finished, also when one of them failed', async () => {
    await drainOutbox(t.deps);
    await matchedPair(); // two rows: two senders
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let sends = 0;
    let markFailed!: () => void;
    const failedMark = new Promise<void>((resolve) => (markFailed = resolve));
    let units = 0;
    let settled = false;
    const drain = drainOutbox({
      ...t.deps,
      // The claim commits; the first mark fails, as a full disk would make it.
      atomic: async (statements) => {
        if (units++ === 1) {
          markFailed();
          throw new Error('disk full');
        }
        await t.deps.atomic(statements);
      },
      // The first send returns at once, the second waits at the gate.
      mailer: { send: async () => (sends++ === 0 ? undefined : gate) },
    }).finally(() => (settled = true));
    drain.catch(() => {}); // looked at below
    await failedMark;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false); // the second send is still under way
    openGate();
    await expect(drain).rejects.toThrow('disk full');
    expect(sends).toBe(2);
    // The row whose mark failed is sent again once its lease has run out (at least once).
    clock.advance(2 * 60_000);
    expect(await drainOutbox(t.deps)).toMatchObject({ claimed: 1, sent: 1 });
  });

  it('dead-letters a row whose earlier attempts ended without an outcome (the drainer kept dying)', async () => {
    await drainOutbox(t.deps);
    await matchedPair();
    const [row] = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'pending')).limit(1);
    t.deps.database.sqlite.prepare('UPDATE outbox SET attempts = ? WHERE id = ?').run(3, row!.id); // max is 3
    const before = smtp.messages.length;
    expect(await drainOutbox(t.deps)).toMatchObject({ sent: 1, dead: 1 });
    expect(smtp.messages.length).toBe(before + 1);
    const [dead] = await t.deps.db.select().from(outbox).where(eq(outbox.id, row!.id));
    expect(dead).toMatchObject({ status: 'dead', lastError: expect.stringContaining('gave up') });
  });

  it('audits every notification sent, with the recipient and the match', async () => {
    await drainOutbox(t.deps);
    const { pa, rb } = await matchedPair();
    await drainOutbox(t.deps);
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'notification.send'));
    const forMatch = events.filter((e) => e.matchId === rb.matchId);
    expect(forMatch).toHaveLength(2);
    expect(forMatch.every((e) => e.outcome === 'success' && e.actorType === 'system')).toBe(true);
    expect(forMatch.map((e) => e.targetUserId)).toContain(pa.id);
  });
});
