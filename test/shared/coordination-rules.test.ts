/**
 * The municipality's coordination rules on the match (issue 11, "Coordination rules"): the
 * suggestion, a sector that may only signal is refused, taking coordination is confirmed,
 * handing it back tells the others once, a proposal is confirmed or declined, and the
 * statistics count the first coordinator and the day two organisations were in touch once.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, matches, outbox, statisticsCounters } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { activateAndLogIn } from '../support/web-client.ts';
import type { Sector } from '../../src/vocabulary.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z')); // a Monday
const mailer = memoryMailer();
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
});
afterAll(() => t.close());

type Member = { org: TestOrganisation; email: string; id: string; registrationId: string };
type MatchBody = {
  proposedBy: string | null;
  members: { professionalName: string; sector: Sector; coordinator: boolean; mayCoordinate: boolean; suggested: boolean; proposed: boolean }[];
};

async function match(sectors: Sector[]) {
  const bsn = randomBsn();
  const members: Member[] = [];
  let matchId = '';
  for (const [i, sector] of sectors.entries()) {
    const org = await t.organisation(sector);
    const prof = await org.professional(`Prof ${i} ${sector}`);
    const { body } = await t.register(org, prof.email, { bsn });
    members.push({ org, email: prof.email, id: prof.id, registrationId: body.id });
    matchId = body.matchId ?? matchId;
  }
  return { matchId, members, bsn };
}

const post = (m: Member, path: string, body: unknown = { professionalEmail: m.email }) =>
  t.app.request(`/api/v1/matches/${path}`, { method: 'POST', headers: m.org.authHeaders, body: JSON.stringify(body) });
const read = async (m: Member, matchId: string) =>
  (await (await t.app.request(`/api/v1/matches/${matchId}`, { headers: m.org.authHeaders })).json()) as MatchBody;

async function counted(metric: string) {
  const rows = await t.deps.db
    .select()
    .from(statisticsCounters)
    .where(and(eq(statisticsCounters.metric, metric), eq(statisticsCounters.sector, 'all')));
  return rows.reduce((sum, r) => sum + r.count, 0);
}

async function audits(matchId: string, action: string) {
  return (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.matchId, matchId))).filter((e) => e.action === action);
}

describe('the suggestion and the signal-only sectors', () => {
  it('suggests the first eligible sector by the rules, never a signal-only one', async () => {
    const { matchId, members } = await match(['education', 'district_team', 'youth_care', 'police']);
    const view = await read(members[0]!, matchId);
    expect(view.members.filter((m) => m.suggested).map((m) => m.sector)).toEqual(['youth_care']);
    expect(view.members.filter((m) => !m.mayCoordinate).map((m) => m.sector)).toEqual(['education', 'police']);
  });

  it('suggests nobody when every sector may only signal', async () => {
    const { matchId, members } = await match(['education', 'police']);
    expect((await read(members[0]!, matchId)).members.some((m) => m.suggested)).toBe(false);
  });

  it('refuses coordination to a signal-only sector (422), audited as denied, nothing changed', async () => {
    const { matchId, members } = await match(['education', 'youth_care']);
    const school = members[0]!;
    const response = await post(school, `${matchId}/coordinator`);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: string }).detail).toContain('geen regie');
    expect((await read(school, matchId)).members.some((m) => m.coordinator)).toBe(false);
    expect((await audits(matchId, 'match.coordinate')).map((e) => e.outcome)).toEqual(['denied']);
  });
});

describe('the match page', () => {
  it('asks for confirmation, refuses the teacher beside the field, lets the youth-care member take it', async () => {
    const teacherOrg = await t.organisation('education', 'School De Linde');
    const careOrg = await t.organisation('youth_care', 'Jeugdhulp Noord');
    const teacher = await activateAndLogIn(t, await teacherOrg.professional('Tessa Leraar'), mailer);
    const carer = await activateAndLogIn(t, await careOrg.professional('Kees Zorg'), mailer);
    const bsn = randomBsn();
    await t.register(teacherOrg, teacher.professional.email, { bsn });
    const { body } = await t.register(careOrg, carer.professional.email, { bsn });
    const matchId = body.matchId as string;

    const teacherPage = await teacher.client.get(`/matches/${matchId}`);
    expect(teacherPage.html).toContain('ligt de regie het meest voor de hand bij');
    expect(teacherPage.html).toContain('Kees Zorg');
    expect(teacherPage.html).toContain('mag uw sector (Onderwijs) signaleren, maar geen regie voeren');
    expect(teacherPage.html).not.toContain('Ik neem de regie</button>');
    // Posted anyway: refused beside the confirmation.
    const refused = await teacher.client.post(`/matches/${matchId}/coordinator`, { confirm: 'ja' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('geen regie nemen');

    const carerPage = await carer.client.get(`/matches/${matchId}`);
    expect(carerPage.html).toContain('ligt de regie het meest voor de hand bij <strong>u</strong>');
    const unconfirmed = await carer.client.post(`/matches/${matchId}/coordinator`, {});
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.html).toContain('Bevestig dat u met de andere betrokkenen hebt afgesproken');
    expect((await t.deps.db.select().from(matches).where(eq(matches.id, matchId)))[0]?.coordinatorRegistrationId).toBeNull();

    const taken = await carer.client.post(`/matches/${matchId}/coordinator`, { confirm: 'ja' });
    expect(taken.status).toBe(303);
    expect(taken.location).toBe(`/matches/${matchId}?gedaan=regie`);
    const after = await carer.client.get(taken.location!);
    expect(after.html).toContain('Regie teruggeven');

    const back = await carer.client.post(`/matches/${matchId}/regie/teruggeven`, {});
    expect(back.status).toBe(303);
    expect((await carer.client.get(back.location!)).html).toContain('U hebt de regie teruggegeven');
    // Not the coordinator (any more): 409.
    expect((await carer.client.post(`/matches/${matchId}/regie/teruggeven`, {})).status).toBe(409);
  });
});

describe('handing coordination back', () => {
  it('only the coordinator; clears it; mails every other member exactly once; audited', async () => {
    const { matchId, members } = await match(['youth_care', 'district_team', 'education']);
    const [a, b, c] = members as [Member, Member, Member];
    expect((await post(a, `${matchId}/coordination/return`)).status).toBe(409);
    expect((await audits(matchId, 'match.coordinate_return')).map((e) => e.outcome)).toEqual(['denied']);

    expect((await post(a, `${matchId}/coordinator`)).status).toBe(200);
    const response = await post(a, `${matchId}/coordination/return`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as MatchBody).members.some((m) => m.coordinator)).toBe(false);
    const mails = (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'coordination_returned'))).filter((r) => r.payload.matchId === matchId);
    expect(mails.map((r) => r.recipientEmail).sort()).toEqual([b.email, c.email].sort());
    // Returned once: a second request is refused and tells nobody again.
    expect((await post(a, `${matchId}/coordination/return`)).status).toBe(409);
    expect(
      (await t.deps.db.select().from(outbox).where(eq(outbox.template, 'coordination_returned'))).filter((r) => r.payload.matchId === matchId),
    ).toHaveLength(2);
    expect((await audits(matchId, 'match.coordinate_return')).map((e) => e.outcome)).toEqual(['denied', 'success', 'denied']);
    // Another organisation's professional cannot act for the coordinator.
    expect((await post(b, `${matchId}/coordination/return`, { professionalEmail: a.email })).status).toBe(404);
  });
});

describe('a proposal, member side', () => {
  async function propose(matchId: string, m: Member, by: string | null = null) {
    await t.deps.db.update(matches).set({ proposedRegistrationId: m.registrationId, proposedAt: clock.now(), proposedBy: by }).where(eq(matches.id, matchId));
  }

  it('the proposed member sees it and declines; the others see who is proposed', async () => {
    const teacherOrg = await t.organisation('education');
    const careOrg = await t.organisation('district_team');
    const teacher = await activateAndLogIn(t, await teacherOrg.professional('Toon Leraar'), mailer);
    const carer = await activateAndLogIn(t, await careOrg.professional('Wijk Werker'), mailer);
    const bsn = randomBsn();
    await t.register(teacherOrg, teacher.professional.email, { bsn });
    const { body } = await t.register(careOrg, carer.professional.email, { bsn });
    const matchId = body.matchId as string;
    await propose(matchId, { org: careOrg, email: carer.professional.email, id: carer.professional.id, registrationId: body.id }, 'monitor-id');

    const mine = await carer.client.get(`/matches/${matchId}`);
    expect(mine.html).toContain('U bent voorgesteld als regievoerder');
    expect(mine.html).toContain('door de matchmonitor');
    expect(mine.html).toContain('Voorstel afwijzen');
    const theirs = await teacher.client.get(`/matches/${matchId}`);
    expect(theirs.html).toContain('Voorgesteld als regievoerder');
    expect(theirs.html).toContain('Wijk Werker');
    expect(theirs.html).not.toContain('Voorstel afwijzen');
    // Only the proposed member can decline.
    expect((await teacher.client.post(`/matches/${matchId}/voorstel/afwijzen`, {})).status).toBe(409);

    const declined = await carer.client.post(`/matches/${matchId}/voorstel/afwijzen`, {});
    expect(declined.status).toBe(303);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
    expect(row).toMatchObject({ proposedRegistrationId: null, proposedAt: null, proposedBy: null, coordinatorRegistrationId: null });
    expect((await audits(matchId, 'match.proposal_decline')).map((e) => e.outcome)).toEqual(['denied', 'success']);
  });

  it('taking coordination confirms the proposal and clears it', async () => {
    const { matchId, members } = await match(['youth_care', 'district_team']);
    const [a, b] = members as [Member, Member];
    await propose(matchId, b);
    expect((await read(a, matchId)).proposedBy).toBe('rules');
    expect((await read(a, matchId)).members.map((m) => m.proposed)).toEqual([false, true]);
    expect((await post(b, `${matchId}/coordinator`)).status).toBe(200);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
    expect(row).toMatchObject({ coordinatorRegistrationId: b.registrationId, proposedRegistrationId: null, proposedAt: null });
    expect((await audits(matchId, 'match.coordinate'))[0]?.detail).toMatchObject({ proposal: 'accepted' });
    expect((await post(b, `${matchId}/proposal/decline`)).status).toBe(409);
  });
});

describe('statistics counted once', () => {
  it('the first coordinator: counted once, not again after a hand back and a new take', async () => {
    const before = await counted('coordinator_days');
    const { matchId, members } = await match(['youth_care', 'district_team']);
    const [a, b] = members as [Member, Member];
    clock.advance(2 * 86_400_000); // Wednesday: 2 working days after the match
    await post(a, `${matchId}/coordinator`);
    await post(a, `${matchId}/coordination/return`);
    await post(b, `${matchId}/coordinator`);
    expect(await counted('coordinator_days')).toBe(before + 1);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
    expect(row?.coordinatorFirstOn).toBe('2026-11-25');
    const buckets = await t.deps.db
      .select()
      .from(statisticsCounters)
      .where(and(eq(statisticsCounters.metric, 'coordinator_days'), eq(statisticsCounters.sector, 'district_team')));
    expect(buckets.find((r) => r.bucket === 2)?.count).toBe(1);
  });

  it('concurrent takes: a racer that read the old state gets 409; counted once', async () => {
    for (let round = 0; round < 3; round++) {
      const before = await counted('coordinator_days');
      const { matchId, members } = await match(['youth_care', 'district_team', 'mental_health']);
      const statuses = (await Promise.all(members.map((m) => post(m, `${matchId}/coordinator`)))).map((r) => r.status);
      expect(statuses).toContain(200);
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      expect(await counted('coordinator_days')).toBe(before + 1);
      const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
      expect(row?.coordinatorFirstOn).not.toBeNull();
    }
  });

  it('contact: counted when the second organisation records it, on the second-earliest day, once', async () => {
    const before = await counted('contact_days');
    const { matchId, members } = await match(['youth_care', 'district_team', 'education']);
    const [a, b, c] = members as [Member, Member, Member];
    clock.advance(7 * 86_400_000);
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: today });
    expect(await counted('contact_days')).toBe(before);
    const earlier = new Date(clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    await post(b, `${matchId}/contact`, { professionalEmail: b.email, on: earlier });
    expect(await counted('contact_days')).toBe(before + 1);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
    expect(row?.contactReachedOn).toBe(today); // the second-earliest organisation's day
    await post(c, `${matchId}/contact`, { professionalEmail: c.email, on: today });
    await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: earlier });
    expect(await counted('contact_days')).toBe(before + 1);
  });

  it('contact: two organisations recording at the same time are counted exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const before = await counted('contact_days');
      const { matchId, members } = await match(['youth_care', 'district_team']);
      const [a, b] = members as [Member, Member];
      const today = new Date(clock.now()).toISOString().slice(0, 10);
      const statuses = await Promise.all([a, b].map((m) => post(m, `${matchId}/contact`, { professionalEmail: m.email, on: today })));
      expect(statuses.map((r) => r.status)).toEqual([200, 200]);
      expect(await counted('contact_days')).toBe(before + 1);
      const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, matchId));
      expect(row?.contactReachedOn).toBe(today);
    }
  });

  it('a later joiner’s sector gets neither the contact nor the coordinator figure: both count under the founding sectors', async () => {
    const inSector = async (metric: string, sector: string) =>
      (
        await t.deps.db
          .select()
          .from(statisticsCounters)
          .where(and(eq(statisticsCounters.metric, metric), eq(statisticsCounters.sector, sector)))
      ).reduce((sum, r) => sum + r.count, 0);
    const { matchId, members, bsn } = await match(['mental_health', 'education']);
    const [a] = members as [Member, Member];
    const org = await t.organisation('justice');
    const prof = await org.professional('Prof later justice');
    const joined = await t.register(org, prof.email, { bsn });
    expect(joined.body.matchId).toBe(matchId);
    const j: Member = { org, email: prof.email, id: prof.id, registrationId: joined.body.id };
    const before = {
      contact: await inSector('contact_days', 'justice'),
      coordinator: await inSector('coordinator_days', 'justice'),
      founderContact: await inSector('contact_days', 'mental_health'),
      founderCoordinator: await inSector('coordinator_days', 'mental_health'),
    };
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    expect((await post(a, `${matchId}/contact`, { professionalEmail: a.email, on: today })).status).toBe(200);
    expect((await post(j, `${matchId}/contact`, { professionalEmail: j.email, on: today })).status).toBe(200);
    expect((await post(j, `${matchId}/coordinator`)).status).toBe(200);
    expect(await inSector('contact_days', 'justice')).toBe(before.contact);
    expect(await inSector('coordinator_days', 'justice')).toBe(before.coordinator);
    expect(await inSector('contact_days', 'mental_health')).toBe(before.founderContact + 1);
    expect(await inSector('coordinator_days', 'mental_health')).toBe(before.founderCoordinator + 1);
  });
});
