/**
 * What deactivation does elsewhere (docs/domain.md, "People and organisations leave"), on
 * both runtimes. The deactivation itself is set directly in the database here.
 * - A deactivated professional: no contact on match pages and in the API, no mail (it goes
 *   to their organisation's active coordinators, at queue time and at send time), no login;
 *   their registrations stay and still match.
 * - A deactivated organisation: does not register (403, audited), does not match.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, organisations, outbox, professionals, registrations } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { registerInvolvement } from '../../src/registry/register-involvement.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInProfessional, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
});
afterAll(() => t.close());

const deactivateProfessional = (id: string) =>
  t.deps.db.update(professionals).set({ active: false, deactivatedAt: clock.now() }).where(eq(professionals.id, id));
const deactivateOrganisation = (id: string) =>
  t.deps.db.update(organisations).set({ active: false, deactivatedAt: clock.now() }).where(eq(organisations.id, id));
const outboxFor = (email: string) => t.deps.db.select().from(outbox).where(eq(outbox.recipientEmail, email));
const sentTo = (email: string) => mailer.sent.filter((m) => m.to === email);

/** An organisation with a professional and an active coordinator. */
async function organisationWithCoordinator() {
  const org = await t.organisation();
  const professional = await org.professional('Piet Vertrekt');
  const coordinator = await t.person(['professional', 'organisation_coordinator'], org.id);
  return { org, professional, coordinator };
}

describe('a deactivated professional', () => {
  it('is no contact on the match page or in the API; their organisation shows "geen actieve contactpersoon"; the registration stays', async () => {
    const y = await organisationWithCoordinator();
    const x = await t.organisation();
    const { client, professional: px } = await loggedInProfessional(t, x, mailer);
    const bsn = randomBsn();
    const yReg = await t.register(y.org, y.professional.email, { bsn });
    const xReg = await t.register(x, px.email, { bsn });
    const matchId = xReg.body.matchId as string;
    expect(matchId).toBeTruthy();
    await deactivateProfessional(y.professional.id);

    const page = await client.get(`/matches/${matchId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(y.org.name);
    expect(page.html).toContain('Geen actieve contactpersoon');
    expect(page.html).not.toContain('Piet Vertrekt');
    expect(page.html).not.toContain(y.professional.email);

    const api = await t.app.request(`/api/v1/matches/${matchId}`, { headers: x.authHeaders });
    const view = (await api.json()) as {
      members: { organisationName: string; activeContact: boolean; professionalName: string | null; email: string | null }[];
    };
    expect(view.members.find((m) => m.organisationName === y.org.name)).toMatchObject({ activeContact: false, professionalName: null, email: null });
    expect(view.members.find((m) => m.organisationName === x.name)).toMatchObject({ activeContact: true, email: px.email });
    expect(JSON.stringify(view)).not.toContain(y.professional.email);

    const [row] = await t.deps.db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, yReg.body.id));
    expect(row?.status).toBe('active');
  });

  it('cannot log in', async () => {
    const org = await t.organisation();
    const account = await loggedInProfessional(t, org, mailer);
    await deactivateProfessional(account.professional.id);
    const client = new WebClient(t);
    const login = await client.post('/login', { email: account.professional.email, password: account.password });
    expect(login.status).not.toBe(303);
    // The session of before is no longer valid either.
    expect((await account.client.get('/registrations')).status).not.toBe(200);
  });

  it('still matches (the organisation is involved), and their mail goes to the coordinator at queue time, never to them', async () => {
    const y = await organisationWithCoordinator();
    const z = await t.organisation();
    const pz = await z.professional();
    const bsn = randomBsn();
    const yReg = await t.register(y.org, y.professional.email, { bsn });
    await deactivateProfessional(y.professional.id);
    const zReg = await t.register(z, pz.email, { bsn });
    expect(zReg.body.matchId).toBeTruthy();

    expect(await outboxFor(y.professional.email)).toEqual([]);
    const [redirected] = await outboxFor(y.coordinator.email);
    expect(redirected).toMatchObject({
      template: 'match_created',
      recipientProfessionalId: y.coordinator.id,
      idempotencyKey: `match:${zReg.body.matchId}:created:${yReg.body.id}:via:${y.coordinator.id}`,
      payload: { registrationId: yReg.body.id, noActiveContact: true },
    });
    expect(await outboxFor(pz.email)).toHaveLength(1);

    await drainOutbox(t.deps);
    expect(sentTo(y.professional.email)).toEqual([]);
    const [mail] = sentTo(y.coordinator.email);
    expect(mail?.text).toContain('geen actieve contactpersoon');
    expect(mail?.text).toContain('https://betrokken.test/organisatie');
    expect(mail?.text).toContain(yReg.body.id);
    expect(mail?.text).not.toContain('/matches/');
    expect(sentTo(pz.email)).toHaveLength(1);

    // Later mails (a member leaving) go the same way.
    const w = await t.organisation();
    const pw = await w.professional();
    const wReg = await t.register(w, pw.email, { bsn });
    await t.app.request(`/api/v1/registrations/${wReg.body.id}/end`, { method: 'POST', headers: w.authHeaders, body: JSON.stringify({ reason: 'resolved' }) });
    const rows = await outboxFor(y.coordinator.email);
    expect(rows.map((r) => r.template).sort()).toEqual(['match_created', 'match_member_added', 'match_member_left']);
    expect(await outboxFor(y.professional.email)).toEqual([]);
  });

  it('a coordinator chosen in the match: the deactivated member’s coordinators are told instead', async () => {
    const y = await organisationWithCoordinator();
    const z = await t.organisation();
    const pz = await z.professional();
    const bsn = randomBsn();
    await t.register(y.org, y.professional.email, { bsn });
    const zReg = await t.register(z, pz.email, { bsn });
    await deactivateProfessional(y.professional.id);
    const taken = await t.app.request(`/api/v1/matches/${zReg.body.matchId}/coordinator`, {
      method: 'POST',
      headers: z.authHeaders,
      body: JSON.stringify({ professionalEmail: pz.email }),
    });
    expect(taken.status).toBe(200);
    const rows = (await outboxFor(y.coordinator.email)).filter((r) => r.template === 'coordinator_chosen');
    expect(rows).toHaveLength(1);
    expect((await outboxFor(y.professional.email)).filter((r) => r.template === 'coordinator_chosen')).toEqual([]);
  });

  it('deactivated after the mail was queued: the drainer marks it dead ("ontvanger gedeactiveerd") and redirects it to the coordinator', async () => {
    const y = await organisationWithCoordinator();
    const second = await t.person(['organisation_coordinator'], y.org.id);
    const z = await t.organisation();
    const pz = await z.professional();
    const bsn = randomBsn();
    await t.register(y.org, y.professional.email, { bsn });
    await t.register(z, pz.email, { bsn });
    const [queued] = await outboxFor(y.professional.email);
    expect(queued?.status).toBe('pending');
    await deactivateProfessional(y.professional.id);

    const first = await drainOutbox(t.deps);
    expect(first.redirected).toBeGreaterThanOrEqual(1);
    const [dead] = await t.deps.db.select().from(outbox).where(eq(outbox.id, queued!.id));
    expect(dead).toMatchObject({ status: 'dead', lastError: 'ontvanger gedeactiveerd' });
    // (D1 refuses a LIKE pattern this long: filtered here.)
    const redirected = (await t.deps.db.select().from(outbox)).filter((r) => r.idempotencyKey.startsWith(`${queued!.idempotencyKey}:via:`));
    expect(redirected.map((r) => r.recipientEmail).sort()).toEqual([y.coordinator.email, second.email].sort());
    const audit = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'notification.send'), eq(auditEvents.targetUserId, y.professional.id)))
      .orderBy(desc(auditEvents.seq));
    expect(audit[0]).toMatchObject({ outcome: 'error' });

    await drainOutbox(t.deps);
    expect(sentTo(y.professional.email)).toEqual([]);
    expect(sentTo(y.coordinator.email)).toHaveLength(1);
    expect(sentTo(second.email)).toHaveLength(1);
    // Draining again sends nothing twice.
    await drainOutbox(t.deps);
    expect(sentTo(y.coordinator.email)).toHaveLength(1);
  });

  it('without an active coordinator, nobody receives it', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const z = await t.organisation();
    const pz = await z.professional();
    const bsn = randomBsn();
    await t.register(org, p.email, { bsn });
    await deactivateProfessional(p.id);
    const zReg = await t.register(z, pz.email, { bsn });
    expect(zReg.body.matchId).toBeTruthy();
    expect(await outboxFor(p.email)).toEqual([]);
    await drainOutbox(t.deps);
    expect(sentTo(p.email)).toEqual([]);
  });
});

describe('a deactivated organisation', () => {
  it('does not register: its API client gets 403 with a clear message, audited', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    await deactivateOrganisation(org.id);
    const response = await t.register(org, p.email);
    expect(response.status).toBe(403);
    expect(JSON.stringify(response.body)).toContain('gedeactiveerd');
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorType, 'api_client'), eq(auditEvents.organisationId, org.id), eq(auditEvents.outcome, 'denied')))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(row).toBeTruthy();
  });

  it('does not register: its professionals are refused (403), audited', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    await deactivateOrganisation(org.id);
    const ctx: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: p.id, organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    await expect(registerInvolvement(ctx, { bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: p.email })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('gedeactiveerd'),
    });
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'registration.create'), eq(auditEvents.actorId, p.id)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(row).toMatchObject({ outcome: 'denied', detail: { reason: 'organisation_deactivated' } });
  });

  it('does not match: its active registrations neither make nor join a match and get no mail', async () => {
    const y: TestOrganisation = await t.organisation();
    const py = await y.professional();
    const bsn = randomBsn();
    const yReg = await t.register(y, py.email, { bsn });
    await deactivateOrganisation(y.id);

    const z = await t.organisation();
    const pz = await z.professional();
    const zReg = await t.register(z, pz.email, { bsn });
    expect(zReg.status).toBe(201);
    expect(zReg.body.matchId).toBeNull();

    const w = await t.organisation();
    const pw = await w.professional();
    const wReg = await t.register(w, pw.email, { bsn });
    expect(wReg.body.matchId).toBeTruthy();
    const api = await t.app.request(`/api/v1/matches/${wReg.body.matchId}`, { headers: w.authHeaders });
    const view = (await api.json()) as { members: { organisationName: string }[] };
    expect(view.members.map((m) => m.organisationName).sort()).toEqual([z.name, w.name].sort());
    expect(await outboxFor(py.email)).toEqual([]);
    // Its registration is untouched (ending it is the deactivation job's choice).
    const [row] = await t.deps.db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, yReg.body.id));
    expect(row?.status).toBe('active');
  });

  it('in an open match: a member leaving closes the match when fewer than two active organisations remain', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    await t.register(a, pa.email, { bsn });
    await t.register(b, pb.email, { bsn });
    const cReg = await t.register(c, pc.email, { bsn });
    await deactivateOrganisation(a.id);
    const ended = await t.app.request(`/api/v1/registrations/${cReg.body.id}/end`, {
      method: 'POST',
      headers: c.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(await ended.json()).toMatchObject({ matchClosed: true });
    expect((await outboxFor(pa.email)).filter((r) => r.template === 'match_closed')).toEqual([]);
    expect((await outboxFor(pb.email)).filter((r) => r.template === 'match_closed')).toHaveLength(1);
  });
});
