/**
 * The beheer console's mail (municipal admin), in process on both runtimes: the outbox by
 * status, newest first, a page at a time, never a mail's content; retrying a dead mail; a
 * dead account mail replaced by a new link (once); other roles refused; all audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/directory/directory.ts';
import { auditEvents, outbox, professionals } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import type { OutgoingMail } from '../../src/notify/mailer.ts';
import { listOutbox, REISSUED_MARK, retryOutbox } from '../../src/notify/outbox-admin.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
/** Delivers, except to the addresses in `failing` (a 550 from the mail server). */
const failing = new Set<string>();
const sent: OutgoingMail[] = [];
const mailer = {
  sent,
  async send(mail: OutgoingMail) {
    if (failing.has(mail.to)) throw Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
    sent.push(mail);
  },
};
let t: TestContext;
let admin: WebClient;
let others: WebClient[];

const rowsFor = (email: string) => t.deps.db.select().from(outbox).where(eq(outbox.recipientEmail, email));
const auditRows = (action: string) => t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action));

beforeAll(async () => {
  // One attempt: a failure is dead at once.
  t = await createTestContext({ clock, mailer, env: { OUTBOX_MAX_ATTEMPTS: '1', LOGIN_LIMIT_PER_IP: '100' } });
  admin = (await loggedInPerson(t, ['municipal_admin'], mailer)).client;
  const org = await t.organisation();
  others = [
    (await loggedInProfessional(t, org, mailer)).client,
    (await loggedInPerson(t, ['organisation_coordinator'], mailer, org.id)).client,
    (await loggedInPerson(t, ['auditor'], mailer)).client,
  ];
});
afterAll(() => t.close());

describe('the outbox by status', () => {
  it('lists pending mail with template, address and dates, never its content or link', async () => {
    const org = await t.organisation();
    const email = 'nieuw.lid@example.org';
    await createPerson(t.operator, { organisationId: org.id, name: 'Nieuw Lid', email, roles: ['professional'] });
    const [row] = await rowsFor(email);
    const token = row!.payload.token!;
    expect(token).toBeTruthy();
    const page = await admin.get('/beheer/mail');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Wachtende e-mail, nieuwste eerst');
    expect(page.html).toContain(email);
    expect(page.html).toContain('Uitnodiging');
    expect(page.html).not.toContain(token);
    expect(page.html).not.toContain('/account/activate');
    expect(page.html).toContain('Volgende poging');
    const audit = (await auditRows('outbox.list')).at(-1);
    expect(audit).toMatchObject({ outcome: 'success', actorRoles: 'municipal_admin', detail: { status: 'pending' } });
    await drainOutbox(t.deps);
  });

  it('pages newest first with a cursor', async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOutbox(t.operator, { status: 'sent', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const rows = await t.deps.db.select().from(outbox).where(eq(outbox.status, 'sent'));
    expect(all).toHaveLength(rows.length);
    expect(new Set(all).size).toBe(rows.length);
    const order = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    expect(all).toEqual(order);
    // A broken cursor or status is ignored on the page, refused by the verb.
    expect((await admin.get('/beheer/mail?status=lost&cursor=%27%3B--')).status).toBe(200);
    await expect(listOutbox(t.operator, { cursor: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('retrying dead mail', () => {
  it('puts a dead match mail back in the queue (attempts reset), once, audited', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const pa = await a.professional();
    const pb = await b.professional();
    const bsn = randomBsn();
    await t.register(a, pa.email, { bsn });
    await t.register(b, pb.email, { bsn });
    failing.add(pa.email);
    await drainOutbox(t.deps);
    const [dead] = await rowsFor(pa.email);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });

    const page = await admin.get('/beheer/mail?status=dead');
    expect(page.html).toContain(pa.email);
    expect(page.html).toContain('mailbox unavailable');
    expect(page.html).toContain(`action="/beheer/mail/${dead!.id}/opnieuw"`);
    expect(page.html).not.toContain(pb.email); // sent, not dead

    const retried = await admin.post(`/beheer/mail/${dead!.id}/opnieuw`, {});
    expect(retried.status).toBe(303);
    expect(retried.location).toBe('/beheer/mail?status=dead&gedaan=opnieuw');
    const [queued] = await rowsFor(pa.email);
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    const audit = (await auditRows('outbox.retry')).filter((r) => r.detail?.outboxId === dead!.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'success', targetUserId: pa.id, detail: { outcome: 'queued' } });

    // Not dead any more: a second retry is refused.
    expect((await admin.post(`/beheer/mail/${dead!.id}/opnieuw`, {})).status).toBe(409);
    failing.delete(pa.email);
    await drainOutbox(t.deps);
    expect((await rowsFor(pa.email))[0]).toMatchObject({ status: 'sent' });
    expect(sent.some((m) => m.to === pa.email)).toBe(true);
  });

  it('replaces a dead invitation with a new link, and never retries the old row again', async () => {
    const org = await t.organisation();
    const email = 'onbereikbaar@example.org';
    const { id } = await createPerson(t.operator, { organisationId: org.id, name: 'Onbereikbaar', email, roles: ['professional'] });
    failing.add(email);
    await drainOutbox(t.deps);
    const [dead] = await rowsFor(email);
    expect(dead).toMatchObject({ status: 'dead', template: 'invitation' });
    expect(dead!.payload.token).toBeUndefined(); // scrubbed: this row can never be sent again

    const page = await admin.get('/beheer/mail?status=dead');
    expect(page.html).toContain('Nieuwe link sturen');
    failing.delete(email);
    const retried = await admin.post(`/beheer/mail/${dead!.id}/opnieuw`, {});
    expect(retried.status).toBe(303);
    expect(retried.location).toBe('/beheer/mail?status=dead&gedaan=nieuwelink');
    const rows = await rowsFor(email);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === dead!.id)).toMatchObject({ status: 'dead', lastError: REISSUED_MARK });
    const fresh = rows.find((r) => r.id !== dead!.id)!;
    expect(fresh).toMatchObject({ status: 'pending', template: 'invitation', recipientProfessionalId: id });
    expect((await auditRows('outbox.retry')).find((r) => r.detail?.outboxId === dead!.id)).toMatchObject({ detail: { outcome: 'reissued' } });

    const after = await admin.get('/beheer/mail?status=dead');
    expect(after.html).toContain('Vervangen door een nieuwe link');
    expect(after.html).not.toContain(`action="/beheer/mail/${dead!.id}/opnieuw"`);
    expect((await admin.post(`/beheer/mail/${dead!.id}/opnieuw`, {})).status).toBe(409);

    // The new link works.
    await drainOutbox(t.deps);
    const mail = sent.findLast((m) => m.to === email)!;
    const link = new URL(/https?:\/\/\S+\/account\/activate\?token=\S+/.exec(mail.text)![0]);
    const activation = await new WebClient(t).get(`${link.pathname}${link.search}`);
    expect(activation.status).toBe(200);
    expect(activation.html).toContain('name="token"');
  });

  it('refuses to retry mail to a deactivated person (their mail goes to their coordinators)', async () => {
    const org = await t.organisation();
    const email = 'vertrokken@example.org';
    const { id } = await createPerson(t.operator, { organisationId: org.id, name: 'Vertrokken', email, roles: ['professional'] });
    failing.add(email);
    await drainOutbox(t.deps);
    failing.delete(email);
    await t.deps.db.update(professionals).set({ active: false }).where(eq(professionals.id, id));
    const [dead] = await rowsFor(email);
    const page = await admin.get('/beheer/mail?status=dead');
    expect(page.html).not.toContain(`action="/beheer/mail/${dead!.id}/opnieuw"`);
    expect((await admin.post(`/beheer/mail/${dead!.id}/opnieuw`, {})).status).toBe(409);
    expect((await rowsFor(email)).length).toBe(1);
    expect(
      await t.deps.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'outbox.retry'), eq(auditEvents.outcome, 'invalid'), eq(auditEvents.targetUserId, id))),
    ).toHaveLength(1);
  });

  it('answers 404 for a malformed or unknown id', async () => {
    expect((await admin.post('/beheer/mail/1234/opnieuw', {})).status).toBe(404);
    expect((await admin.post(`/beheer/mail/${crypto.randomUUID()}/opnieuw`, {})).status).toBe(404);
    await expect(retryOutbox(t.operator, { outboxId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('other roles', () => {
  it('are refused (403) on the mail pages, audited, and nothing changes', async () => {
    const org = await t.organisation();
    const email = 'weigering@example.org';
    await createPerson(t.operator, { organisationId: org.id, name: 'Weigering', email, roles: ['professional'] });
    failing.add(email);
    await drainOutbox(t.deps);
    const [dead] = await rowsFor(email);
    const before = (await auditRows('access.denied')).length;
    for (const client of others) {
      expect((await client.get('/beheer/mail?status=dead')).status).toBe(403);
      expect((await client.post(`/beheer/mail/${dead!.id}/opnieuw`, {})).status).toBe(403);
    }
    expect((await auditRows('access.denied')).length - before).toBe(others.length * 2);
    expect((await rowsFor(email))[0]).toMatchObject({ status: 'dead', lastError: expect.stringContaining('mailbox unavailable') });
    const professional = {
      deps: t.deps,
      actor: { type: 'professional' as const, id: crypto.randomUUID(), organisationId: org.id, roles: ['professional' as const] },
      requestId: null,
      origin: null,
    };
    await expect(retryOutbox(professional, { outboxId: dead!.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listOutbox(professional)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
