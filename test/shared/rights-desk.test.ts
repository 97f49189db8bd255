/**
 * The rights desk, on both runtimes (docs/domain.md, "Rights of the subject"): an access
 * request lists every active and archived registration; a correction, erasure or objection
 * request asks each registering professional for advice, is decided per registration, and
 * a grant needs a second municipal admin before the registration is deleted for real
 * (closing a match that drops below two organisations). The BSN is never stored, shown or
 * audited; the request's reference refuses a BSN or a date; the auditor reaches the
 * subject's trail only through the request id. Every step is audited.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, matches, outbox, registrations, rightsRequestItems, rightsRequests } from '../../src/db/schema.ts';
import { deactivatePerson } from '../../src/directory/people.ts';
import { transferRegistrations } from '../../src/registry/transfer.ts';
import { renderMail } from '../../src/notify/templates.ts';
import { approveRightsRequest, decideRightsItem, sendBackRightsRequest } from '../../src/rights/decide.ts';
import { extendRightsDeadline, getRightsRequest, listRightsRequests, openAccessRequest, openRightsRequest } from '../../src/rights/requests.ts';
import { looksLikeDate, requestReferenceProblem } from '../../src/rights/subject.ts';
import { requestAuditTrail } from '../../src/rights/trail.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional, type WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let admin1: { ctx: Ctx; client: WebClient };
let admin2: { ctx: Ctx; client: WebClient };
let auditor: WebClient;

const RECEIVED = '2026-11-20';
const BIRTH = '2012-05-17';

async function admin() {
  const { client, professional } = await loggedInPerson(t, ['municipal_admin'], mailer);
  const ctx: Ctx = {
    deps: t.deps,
    actor: { type: 'professional', id: professional.id, organisationId: null, roles: ['municipal_admin'] },
    requestId: null,
    origin: null,
  };
  return { ctx, client };
}

async function audits(action: string) {
  return t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq));
}

interface Member {
  org: TestOrganisation;
  client: WebClient;
  professional: { id: string; email: string };
  registrationId: string;
}

/**
 * A subject: two organisations with active registrations (a match) whose professionals are
 * logged in, and an archived registration of a third organisation.
 */
async function subject() {
  const bsn = randomBsn();
  const archivedOrg = await t.organisation('education');
  const pc = await archivedOrg.professional('Archief Professional');
  const old = await t.register(archivedOrg, pc.email, { bsn, birthDate: BIRTH });
  await t.app.request(`/api/v1/registrations/${old.body.id}/end`, {
    method: 'POST',
    headers: archivedOrg.authHeaders,
    body: JSON.stringify({ reason: 'resolved' }),
  });
  const members: Member[] = [];
  let matchId = '';
  for (const sector of ['youth_care', 'police'] as const) {
    const org = await t.organisation(sector);
    const { client, professional } = await loggedInProfessional(t, org, mailer);
    const { body } = await t.register(org, professional.email, { bsn, birthDate: BIRTH });
    members.push({ org, client, professional, registrationId: body.id });
    matchId = body.matchId ?? matchId;
  }
  return { bsn, archivedId: old.body.id as string, archivedOrg, archivedProfessional: pc, members, matchId };
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '200', MUNICIPALITY_NAME: 'Gemeente Proefstad' } });
  admin1 = await admin();
  admin2 = await admin();
  auditor = (await loggedInPerson(t, ['auditor'], mailer)).client;
});
afterAll(() => t.close());

describe('the request reference', () => {
  it.each(['123456782', '1234.56.782', 'AVG-1234-56-782', '2012-05-17', '17-05-2012', 'AVG-17-5-2012', '20120517', 'V/17.05.12'])(
    'refuses "%s" (a BSN or a date)',
    async (reference) => {
      expect(requestReferenceProblem(reference, BIRTH)).not.toBeNull();
      await expect(openAccessRequest(admin1.ctx, { bsn: randomBsn(), birthDate: BIRTH, reference, receivedOn: RECEIVED })).rejects.toMatchObject({
        code: 'invalid_input',
        fields: { reference: [expect.stringContaining('BSN of een datum')] },
      });
    },
  );

  it.each(['AVG-2026-0042', 'AVG-2026-0106', 'AVG-2026-Z0106', 'Z/2026/117', 'verzoek-12'])('accepts the case number "%s"', (reference) => {
    expect(requestReferenceProblem(reference, BIRTH)).toBeNull();
    expect(looksLikeDate(reference)).toBe(false);
  });

  it('refuses spaces and names, a birth date in the future and a receipt in the future', async () => {
    await expect(openAccessRequest(admin1.ctx, { bsn: randomBsn(), birthDate: BIRTH, reference: 'Jan de Vries', receivedOn: RECEIVED })).rejects.toMatchObject({
      fields: { reference: expect.arrayContaining([expect.stringContaining('geen spaties')]) },
    });
    await expect(
      openAccessRequest(admin1.ctx, { bsn: randomBsn(), birthDate: '2030-01-01', reference: 'AVG-1', receivedOn: '2030-01-01' }),
    ).rejects.toMatchObject({ fields: { birthDate: [expect.any(String)], receivedOn: [expect.any(String)] } });
    await expect(openAccessRequest(admin1.ctx, { bsn: '123456789', birthDate: BIRTH, reference: 'AVG-1', receivedOn: RECEIVED })).rejects.toMatchObject({
      fields: { bsn: [expect.stringContaining('elfproef')] },
    });
  });

  it('the web form refuses it beside the field, with the BSN field empty again', async () => {
    const bsn = randomBsn();
    const refused = await admin1.client.post('/loket/inzage', { bsn, birthDate: BIRTH, reference: '17-05-2012', receivedOn: RECEIVED });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('lijkt op een BSN of een datum');
    expect(refused.html).not.toContain(bsn);
    expect(refused.html).toContain('name="reference"');
  });

  it('a non-admin cannot open a request (audited refusal)', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const ctx: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: p.id, organisationId: org.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    await expect(openAccessRequest(ctx, { bsn: randomBsn(), birthDate: BIRTH, reference: 'AVG-1', receivedOn: RECEIVED })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const [denied] = await audits('rights.access');
    expect(denied).toMatchObject({ outcome: 'denied', actorId: p.id });
  });
});

describe('an access request', () => {
  it('lists every active and archived registration with organisation, sector, contact, dates and informed; the letter answers it', async () => {
    const s = await subject();
    const posted = await admin1.client.post('/loket/inzage', { bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0001', receivedOn: RECEIVED });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/loket\/[0-9a-f-]{36}\?gedaan=inzage$/);
    expect(posted.location).not.toContain(s.bsn);
    const id = /\/loket\/([0-9a-f-]{36})/.exec(posted.location!)![1]!;

    const page = await admin1.client.get(posted.location!);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(s.bsn);
    for (const m of s.members) {
      expect(page.html).toContain(m.org.name);
      expect(page.html).toContain(m.professional.email);
    }
    expect(page.html).toContain(s.archivedOrg.name);
    expect(page.html).toContain(s.archivedProfessional.email);
    expect(page.html).toContain('Archief (beëindigd)');
    expect(page.html).toContain('Actief');
    expect(page.html).toContain('Politie');
    expect(page.html).toContain('010-1234567');
    expect(page.html).toMatch(/<td class="utrecht-table__cell">Nee<\/td>/);

    const view = await getRightsRequest(admin1.ctx, { requestId: id });
    expect(view).toMatchObject({ kind: 'access', status: 'answered', reference: 'AVG-2026-0001', receivedOn: RECEIVED });
    expect(view.items.map((i) => i.status).sort()).toEqual(['active', 'active', 'archived']);

    const [event] = await audits('rights.access');
    expect(event).toMatchObject({ outcome: 'success', actorId: admin1.ctx.actor.id });
    expect(event!.detail).toMatchObject({ rightsRequestId: id, found: 3, reference: 'AVG-2026-0001' });

    const letter = await admin1.client.get(`/loket/${id}/brief`);
    expect(letter.status).toBe(200);
    expect(letter.html).toContain('Gemeente Proefstad');
    expect(letter.html).toContain(t.config.MUNICIPALITY_EMAIL);
    expect(letter.html).toContain('AVG-2026-0001');
    expect(letter.html).toContain('Autoriteit Persoonsgegevens');
    expect(letter.html).toContain(s.members[0]!.org.name);
    expect(letter.html).toContain('betrokken-noprint');
  });

  it('without registrations the answer and the letter say so', async () => {
    const { id, found } = await openAccessRequest(admin1.ctx, { bsn: randomBsn(), birthDate: BIRTH, reference: 'AVG-2026-0002', receivedOn: RECEIVED });
    expect(found).toBe(0);
    const letter = await admin1.client.get(`/loket/${id}/brief`);
    expect(letter.html).toContain('Er zijn geen registraties');
  });
});

describe('an erasure request', () => {
  it('asks advice once per professional, decides per registration, needs a second admin, then deletes and closes the match', async () => {
    const s = await subject();
    const [a, b] = s.members as [Member, Member];
    // The first professional also has an archived registration on the same subject: still one mail.
    await a.client.get('/registrations');
    await t.app.request(`/api/v1/registrations/${a.registrationId}/end`, {
      method: 'POST',
      headers: a.org.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    const again = await t.register(a.org, a.professional.email, { bsn: s.bsn, birthDate: BIRTH });
    a.registrationId = again.body.id;
    const matchId = again.body.matchId as string;
    expect(matchId).toBeTruthy();

    const posted = await admin1.client.post('/loket/verzoek', {
      kind: 'erasure',
      bsn: s.bsn,
      birthDate: BIRTH,
      reference: 'AVG-2026-0100',
      receivedOn: RECEIVED,
    });
    expect(posted.status).toBe(303);
    const id = /\/loket\/([0-9a-f-]{36})/.exec(posted.location!)![1]!;
    const items = await t.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.requestId, id));
    expect(items).toHaveLength(4);
    expect(items.every((i) => i.adviceDueOn === '2026-11-30')).toBe(true); // 5 working days after Monday 23 November
    const [request] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, id));
    expect(request).toMatchObject({ kind: 'erasure', status: 'open', deadlineOn: '2026-12-20', deadlineExtended: false });

    const mails = (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'advice_requested'))).filter((m) =>
      m.idempotencyKey.startsWith(`rights:${id}:`),
    );
    expect(mails.map((m) => m.recipientEmail).sort()).toEqual([a.professional.email, b.professional.email, s.archivedProfessional.email].sort());
    const itemOf = (registrationId: string) => items.find((i) => i.registrationId === registrationId)!;
    const mailToA = mails.find((m) => m.recipientEmail === a.professional.email)!;
    expect(items.filter((i) => i.professionalId === a.professional.id).map((i) => i.id)).toContain(mailToA.payload.adviceItemId);

    // The advice page: its professional only; anyone else an audited 404.
    const itemA = itemOf(a.registrationId);
    const own = await a.client.get(`/advies/${itemA.id}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain('verzoek om verwijdering');
    expect(own.html).toContain('Uw andere registraties in dit verzoek');
    const other = await b.client.get(`/advies/${itemA.id}`);
    expect(other.status).toBe(404);
    const [refusedRead] = await audits('rights.advice_read');
    expect(refusedRead).toMatchObject({ outcome: 'not_found', actorId: b.professional.id });
    expect((await admin1.client.get(`/advies/${itemA.id}`)).status).toBe(403);
    const advised = await a.client.post(`/advies/${itemA.id}`, { advice: 'grant' });
    expect(advised.status).toBe(303);
    expect((await b.client.post(`/advies/${itemA.id}`, { advice: 'refuse' })).status).toBe(404);
    const [advice] = await t.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.id, itemA.id));
    expect(advice).toMatchObject({ advice: 'grant', adviceBy: a.professional.id });
    const shown = await admin1.client.get(`/loket/${id}`);
    expect(shown.html).toContain('Nog geen advies');
    expect(shown.html).toContain('Toekennen (');

    // Decisions: grant A's active registration, refuse the rest.
    for (const i of items) {
      const decision = i.registrationId === a.registrationId ? 'grant' : 'refuse';
      const done = await admin1.client.post(`/loket/${id}/besluit/${i.id}`, { decision });
      expect(done.status).toBe(303);
    }
    const [awaiting] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, id));
    expect(awaiting).toMatchObject({ status: 'awaiting_approval', decidedBy: admin1.ctx.actor.id });

    // Four eyes: not the deciding admin, not the CLI's operator.
    const self = await admin1.client.post(`/loket/${id}/goedkeuren`, {});
    expect(self.status).toBe(403);
    expect(self.html).toContain('Vier ogen');
    await expect(approveRightsRequest(t.operator, { requestId: id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await t.deps.db.select({ id: registrations.id }).from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(1);

    const approved = await admin2.client.post(`/loket/${id}/goedkeuren`, {});
    expect(approved.status).toBe(303);
    // Deleted for real, not archived; the other registrations stay.
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(0);
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, b.registrationId))).toHaveLength(1);
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, s.archivedId))).toHaveLength(1);
    const [match] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
    expect(match?.status ?? 'gone').not.toBe('open');
    const closeMails = await t.deps.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipientEmail, b.professional.email), sql`${outbox.idempotencyKey} LIKE ${`match:${matchId}:%`}`));
    expect(closeMails.some((m) => m.template === 'match_closed')).toBe(true);
    const [done] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, id));
    expect(done).toMatchObject({ status: 'done', approvedBy: admin2.ctx.actor.id });
    const executed = await t.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.requestId, id));
    expect(executed.filter((i) => i.executedAt).map((i) => i.registrationId)).toEqual([a.registrationId]);

    const [end] = (await audits('registration.end')).filter((e) => e.registrationId === a.registrationId);
    expect(end?.detail).toMatchObject({ reason: 'erasure', outcome: 'deleted' });
    expect((await audits('rights.execute'))[0]).toMatchObject({ outcome: 'success', registrationId: a.registrationId });
    expect((await audits('rights.approve'))[0]!.detail).toMatchObject({ rightsRequestId: id, deleted: 1, matchesClosed: 1 });

    const letter = await admin2.client.get(`/loket/${id}/brief`);
    expect(letter.html).toContain('toegekend. De registratie is verwijderd');
    expect(letter.html).toContain('afgewezen. De registratie blijft bestaan.');
    // Advice can no longer be given.
    expect((await a.client.post(`/advies/${itemA.id}`, { advice: 'refuse' })).status).toBe(409);
  });

  it('all refused: done at once, nothing deleted, no second admin', async () => {
    const s = await subject();
    const opened = await openRightsRequest(admin1.ctx, { kind: 'objection', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0101', receivedOn: RECEIVED });
    expect(opened).toMatchObject({ found: 3, status: 'open' });
    const { items } = await getRightsRequest(admin1.ctx, { requestId: opened.id });
    const early = await admin1.client.get(`/loket/${opened.id}/brief`);
    expect(early.html).toContain('nog niet afgehandeld');
    expect(early.html).toContain('nog niet beslist.');
    let status = '';
    for (const i of items) status = (await decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: i.id, decision: 'refuse' })).status;
    expect(status).toBe('done');
    const [request] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(request).toMatchObject({ status: 'done', decidedBy: admin1.ctx.actor.id, approvedBy: null });
    expect(request!.closedAt).not.toBeNull();
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, s.members[0]!.registrationId))).toHaveLength(1);
    await expect(decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: items[0]!.id, decision: 'grant' })).rejects.toMatchObject({ code: 'conflict' });
    const letter = await admin1.client.get(`/loket/${opened.id}/brief`);
    expect(letter.html).not.toContain('nog niet afgehandeld');
    expect(letter.html.match(/afgewezen\. De registratie blijft bestaan\./g)).toHaveLength(3);
  });

  it('a second admin may send it back (decisions kept); a registration gone by approval is marked and skipped', async () => {
    const s = await subject();
    const [a] = s.members as [Member, Member];
    const opened = await openRightsRequest(admin1.ctx, { kind: 'correction', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0102', receivedOn: RECEIVED });
    const { items } = await getRightsRequest(admin1.ctx, { requestId: opened.id });
    for (const i of items)
      await decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: i.id, decision: i.registrationId === a.registrationId ? 'grant' : 'refuse' });
    await sendBackRightsRequest(admin2.ctx, { requestId: opened.id });
    const [back] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(back).toMatchObject({ status: 'open', decidedBy: null });
    expect((await audits('rights.send_back'))[0]!.detail).toMatchObject({ rightsRequestId: opened.id });
    // Deciding again (admin2 this time) settles it; admin1 then approves.
    const itemA = items.find((i) => i.registrationId === a.registrationId)!;
    expect((await decideRightsItem(admin2.ctx, { requestId: opened.id, itemId: itemA.id, decision: 'grant' })).status).toBe('awaiting_approval');
    // The professional ends the registration as unjustified in the meantime.
    const ended = await t.app.request(`/api/v1/registrations/${a.registrationId}/end`, {
      method: 'POST',
      headers: a.org.authHeaders,
      body: JSON.stringify({ reason: 'unjustified' }),
    });
    expect(ended.status).toBe(200);
    const result = await approveRightsRequest(admin1.ctx, { requestId: opened.id });
    expect(result).toMatchObject({ deleted: 0, alreadyGone: 1 });
    expect((await audits('rights.execute'))[0]).toMatchObject({ outcome: 'not_found', registrationId: a.registrationId });
    const [done] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(done?.status).toBe('done');
  });

  it('four eyes per item: an admin who decided an earlier granted item may not approve, nor after a send-back; a third admin may', async () => {
    const s = await subject();
    const [a] = s.members as [Member, Member];
    const admin3 = await admin();
    const deniedFour = async () =>
      (await audits('rights.approve')).filter((e) => e.outcome === 'denied' && (e.detail as { reason?: string }).reason === 'four_eyes');

    // admin1 grants A's registration first; admin2 decides the rest (and so settles the request).
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0110', receivedOn: RECEIVED });
    const { items } = await getRightsRequest(admin1.ctx, { requestId: opened.id });
    const itemA = items.find((i) => i.registrationId === a.registrationId)!;
    await decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: itemA.id, decision: 'grant' });
    for (const i of items.filter((x) => x.id !== itemA.id)) await decideRightsItem(admin2.ctx, { requestId: opened.id, itemId: i.id, decision: 'refuse' });
    const [settled] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(settled).toMatchObject({ status: 'awaiting_approval', decidedBy: admin2.ctx.actor.id });
    const stored = await t.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.requestId, opened.id));
    expect(stored.find((i) => i.id === itemA.id)?.decidedBy).toBe(admin1.ctx.actor.id);
    expect(stored.filter((i) => i.id !== itemA.id).every((i) => i.decidedBy === admin2.ctx.actor.id)).toBe(true);

    // The page offers admin1 no approval button; admin3 gets one.
    expect((await admin1.client.get(`/loket/${opened.id}`)).html).not.toContain(`action="/loket/${opened.id}/goedkeuren"`);
    const before = (await deniedFour()).length;
    await expect(approveRightsRequest(admin1.ctx, { requestId: opened.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(approveRightsRequest(admin2.ctx, { requestId: opened.id })).rejects.toMatchObject({ code: 'forbidden' });
    const denied = await deniedFour();
    expect(denied.length).toBe(before + 2);
    expect(denied[1]).toMatchObject({ actorId: admin1.ctx.actor.id });
    expect(denied[1]!.detail).toMatchObject({ rightsRequestId: opened.id });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(1);
    expect((await admin3.client.get(`/loket/${opened.id}`)).html).toContain(`action="/loket/${opened.id}/goedkeuren"`);
    expect(await approveRightsRequest(admin3.ctx, { requestId: opened.id })).toMatchObject({ deleted: 1 });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(0);
  });

  it('four eyes after a send-back: the one who granted may not approve when another re-decides a different item', async () => {
    const s = await subject();
    const [a] = s.members as [Member, Member];
    const admin3 = await admin();
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0111', receivedOn: RECEIVED });
    const { items } = await getRightsRequest(admin1.ctx, { requestId: opened.id });
    const itemA = items.find((i) => i.registrationId === a.registrationId)!;
    for (const i of items) await decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: i.id, decision: i.id === itemA.id ? 'grant' : 'refuse' });
    await sendBackRightsRequest(admin1.ctx, { requestId: opened.id });
    // admin2 re-decides one refused item: admin2 now settled the request, admin1's grant stands.
    const other = items.find((i) => i.id !== itemA.id)!;
    expect((await decideRightsItem(admin2.ctx, { requestId: opened.id, itemId: other.id, decision: 'refuse' })).status).toBe('awaiting_approval');
    const [request] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(request?.decidedBy).toBe(admin2.ctx.actor.id);
    const refused = await admin1.client.post(`/loket/${opened.id}/goedkeuren`, {});
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Vier ogen');
    expect((await audits('rights.approve'))[0]).toMatchObject({ outcome: 'denied', actorId: admin1.ctx.actor.id });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(1);
    expect(await approveRightsRequest(admin3.ctx, { requestId: opened.id })).toMatchObject({ deleted: 1 });
    const [done] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(done).toMatchObject({ status: 'done', approvedBy: admin3.ctx.actor.id });
  });

  it('the advice mail names the due date and still nothing about the child', async () => {
    const s = await subject();
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0112', receivedOn: RECEIVED });
    const mails = (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'advice_requested'))).filter((m) =>
      m.idempotencyKey.startsWith(`rights:${opened.id}:`),
    );
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(m.payload.adviceDueOn).toBe('2026-11-30');
      const rendered = renderMail('advice_requested', m.payload, 'https://betrokken.test', { municipality: 'Gemeente Voorbeeldstad', helpdesk: 'Servicedesk' });
      expect(rendered.text).toContain('uiterlijk op 30 november 2026');
      expect(rendered.html).toContain('uiterlijk op 30 november 2026');
      expect(rendered.text).not.toContain('genoemde datum');
      for (const secret of [s.bsn, BIRTH, '17 mei 2012']) {
        expect(rendered.text).not.toContain(secret);
        expect(rendered.html).not.toContain(secret);
      }
    }
  });

  it('an extension counts three months from receipt, not from a clamped deadline (31 January → 30 April)', async () => {
    const s = await subject();
    const opened = await openRightsRequest(admin1.ctx, {
      kind: 'objection',
      bsn: s.bsn,
      birthDate: BIRTH,
      reference: 'AVG-2026-0113',
      receivedOn: '2026-01-31',
    });
    const [request] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(request?.deadlineOn).toBe('2026-02-28');
    expect(await extendRightsDeadline(admin1.ctx, { requestId: opened.id })).toEqual({ deadlineOn: '2026-04-30' });
    const [extended] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(extended).toMatchObject({ deadlineOn: '2026-04-30', deadlineExtended: true });
  });

  it('two second admins approving at once: the registration is deleted once, one approval succeeds', async () => {
    const s = await subject();
    const [a] = s.members as [Member, Member];
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0105', receivedOn: RECEIVED });
    const { items } = await getRightsRequest(admin1.ctx, { requestId: opened.id });
    for (const i of items) {
      await decideRightsItem(admin1.ctx, { requestId: opened.id, itemId: i.id, decision: i.registrationId === a.registrationId ? 'grant' : 'refuse' });
    }
    const admin3 = await admin();
    const results = await Promise.allSettled([
      approveRightsRequest(admin2.ctx, { requestId: opened.id }),
      approveRightsRequest(admin3.ctx, { requestId: opened.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, a.registrationId))).toHaveLength(0);
    const ends = (await audits('registration.end')).filter((e) => e.registrationId === a.registrationId && e.outcome === 'success');
    expect(ends).toHaveLength(1);
    const [done] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(done?.status).toBe('done');
  });

  it('a deactivated professional: the advice mail goes to their coordinator; after a transfer the new holder advises', async () => {
    const bsn = randomBsn();
    const org = await t.organisation();
    const leaving = await org.professional('Vertrokken');
    const { client: coordinator, professional: coordinatorPerson } = await loggedInPerson(t, ['organisation_coordinator', 'professional'], mailer, org.id);
    const { body } = await t.register(org, leaving.email, { bsn, birthDate: BIRTH });
    await deactivatePerson(t.operator, { professionalId: leaving.id });
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn, birthDate: BIRTH, reference: 'AVG-2026-0107', receivedOn: RECEIVED });
    const mails = (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'advice_requested'))).filter((m) =>
      m.idempotencyKey.startsWith(`rights:${opened.id}:`),
    );
    expect(mails.map((m) => m.recipientEmail)).toEqual([coordinatorPerson.email]);
    const itemId = mails[0]!.payload.adviceItemId!;
    // Not yet theirs: 404. After the transfer to the coordinator (who also registers), it is.
    expect((await coordinator.get(`/advies/${itemId}`)).status).toBe(404);
    expect(
      await transferRegistrations(t.operator, { fromProfessionalId: leaving.id, toProfessionalId: coordinatorPerson.id, registrationId: body.id }),
    ).toMatchObject({
      transferred: 1,
    });
    expect((await coordinator.get(`/advies/${itemId}`)).status).toBe(200);
  });

  it('without registrations the request is done at once', async () => {
    const opened = await openRightsRequest(admin1.ctx, {
      kind: 'erasure',
      bsn: randomBsn(),
      birthDate: BIRTH,
      reference: 'AVG-2026-0103',
      receivedOn: RECEIVED,
    });
    expect(opened).toMatchObject({ found: 0, status: 'done' });
  });

  it('extends the deadline by two months, once; the list marks it', async () => {
    const s = await subject();
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0104', receivedOn: '2026-10-01' });
    const { pending } = await listRightsRequests(admin1.ctx);
    expect(pending.find((r) => r.id === opened.id)).toMatchObject({ items: 3, status: 'open', kind: 'erasure' });
    const list = await admin1.client.get('/loket');
    expect(list.html).toContain('AVG-2026-0104');
    expect(list.html).toContain('Verlopen: 1 november 2026');
    const extended = await admin1.client.post(`/loket/${opened.id}/verlengen`, {});
    expect(extended.status).toBe(303);
    const [request] = await t.deps.db.select().from(rightsRequests).where(eq(rightsRequests.id, opened.id));
    expect(request).toMatchObject({ deadlineOn: '2027-01-01', deadlineExtended: true });
    expect((await audits('rights.extend'))[0]!.detail).toMatchObject({ rightsRequestId: opened.id, deadlineOn: '2027-01-01' });
    await expect(extendRightsDeadline(admin1.ctx, { requestId: opened.id })).rejects.toMatchObject({ code: 'conflict' });
    expect((await audits('rights.extend'))[0]).toMatchObject({ outcome: 'denied' });
    const after = await admin1.client.get('/loket');
    expect(after.html).toContain('(verlengd)');
  });
});

describe('the auditor', () => {
  it('reaches the trail of a request and its registrations only by the request id; a made-up id is a 404; a BSN is refused unechoed', async () => {
    const s = await subject();
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0200', receivedOn: RECEIVED });
    const form = await auditor.get('/audit/verzoeken');
    expect(form.status).toBe(200);
    const go = await auditor.get(`/audit/verzoeken?id=${opened.id}`);
    expect(go.status).toBe(303);
    const trail = await auditor.get(go.location!);
    expect(trail.status).toBe(200);
    expect(trail.html).toContain('rights.open');
    expect(trail.html).toContain('registration.create');
    expect(trail.html).toContain(s.members[0]!.registrationId);
    // Nothing of another young person.
    const stranger = await t.register(s.members[0]!.org, s.members[0]!.professional.email);
    const again = await auditor.get(go.location!);
    expect(again.html).toContain(s.members[0]!.registrationId);
    expect(again.html).not.toContain(stranger.body.id as string);
    const [read] = await audits('audit.request_trail');
    expect(read).toMatchObject({ outcome: 'success' });
    expect(read!.detail).toMatchObject({ rightsRequestId: opened.id });

    const madeUp = await auditor.get(`/audit/verzoeken/${crypto.randomUUID()}`);
    expect(madeUp.status).toBe(404);
    expect((await audits('audit.request_trail'))[0]).toMatchObject({ outcome: 'not_found' });
    const bsn = await auditor.get(`/audit/verzoeken?id=${s.bsn}`);
    expect(bsn.status).toBe(422);
    expect(bsn.html).not.toContain(s.bsn);
    // The admin's pages show no audit events; the admin cannot reach the trail.
    expect((await admin1.client.get(`/audit/verzoeken/${opened.id}`)).status).toBe(403);
  });
});

describe("the auditor's trail and matches", () => {
  it("includes events that carry only the match id of the request's matches, and none of another child's match", async () => {
    const s = await subject();
    const other = await subject();
    expect(s.matchId).toBeTruthy();
    expect(other.matchId).toBeTruthy();
    expect((await s.members[0]!.client.get(`/matches/${s.matchId}`)).status).toBe(200);
    expect((await other.members[0]!.client.get(`/matches/${other.matchId}`)).status).toBe(200);
    const reads = (await audits('match.read')).filter((e) => e.matchId === s.matchId || e.matchId === other.matchId);
    expect(reads).toHaveLength(2);
    expect(reads.every((e) => e.registrationId === null)).toBe(true); // only the match id: found through the match
    const opened = await openRightsRequest(admin1.ctx, { kind: 'erasure', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0210', receivedOn: RECEIVED });
    const { professional } = await loggedInPerson(t, ['auditor'], mailer);
    const auditorCtx: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: professional.id, organisationId: null, roles: ['auditor'] },
      requestId: null,
      origin: null,
    };
    const trail = await requestAuditTrail(auditorCtx, { requestId: opened.id });
    const ofMatch = trail.events.filter((e) => e.action === 'match.read');
    expect(ofMatch.map((e) => e.matchId)).toEqual([s.matchId]);
    expect(trail.events.some((e) => e.matchId === other.matchId)).toBe(false);
    expect(trail.events.some((e) => other.members.some((m) => m.registrationId === e.registrationId))).toBe(false);
  });
});

describe('privacy', () => {
  it('the BSN and the pseudonym are in no table of the desk, no audit row, no mail and no log line', async () => {
    const s = await subject();
    expect((await admin1.client.post('/loket/inzage', { bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0300', receivedOn: RECEIVED })).status).toBe(303);
    expect(
      (await admin1.client.post('/loket/verzoek', { kind: 'objection', bsn: s.bsn, birthDate: BIRTH, reference: 'AVG-2026-0302', receivedOn: RECEIVED }))
        .status,
    ).toBe(303);
    expect((await admin1.client.post('/loket/inzage', { bsn: s.bsn, birthDate: BIRTH, reference: '2012-05-17', receivedOn: RECEIVED })).status).toBe(422);
    const pseudonym = Buffer.from((await t.deps.pseudonymizer.pseudonymize(s.bsn)).bytes).toString('hex');
    const tables = await t.deps.db.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'`,
    );
    expect(tables.map((r) => r.name)).toContain('rights_requests');
    const hex = (v: unknown) =>
      v instanceof Uint8Array
        ? Buffer.from(v).toString('hex')
        : v instanceof ArrayBuffer
          ? Buffer.from(v).toString('hex')
          : Array.isArray(v)
            ? Buffer.from(v as number[]).toString('hex')
            : String(v);
    let seen = false;
    for (const { name } of tables) {
      const rows = await t.deps.db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM "${name}"`));
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null) continue;
          const text = hex(value);
          expect(text, `${name}.${column}`).not.toContain(s.bsn);
          // The pseudonym lives only in the registrations' and the open matches' own column.
          if (column !== 'subject_pseudonym') expect(text.toLowerCase(), `${name}.${column}`).not.toContain(pseudonym);
          else if (text.toLowerCase() === pseudonym) seen = true;
        }
      }
    }
    expect(seen, 'the scan reads the pseudonym where it belongs').toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(s.bsn);
    expect(JSON.stringify(mailer.sent)).not.toContain(s.bsn);
  });

  it('every step is audited', async () => {
    const actions = (await t.deps.db.selectDistinct({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    for (const action of [
      'rights.access',
      'rights.open',
      'rights.read',
      'rights.list',
      'rights.advice_read',
      'rights.advice',
      'rights.decide',
      'rights.approve',
      'rights.execute',
      'rights.extend',
      'rights.send_back',
      'audit.request_trail',
    ]) {
      expect(actions, action).toContain(action);
    }
  });
});
