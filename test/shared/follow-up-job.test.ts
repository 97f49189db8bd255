import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, matches, matchMembers, organisations, outbox, registrations, statisticsCounters } from '../../src/db/schema.ts';
import { deactivatePerson } from '../../src/directory/people.ts';
import { escalationUnit, followUp } from '../../src/jobs/follow-up.ts';
import { AtomicConflict } from '../../src/db/types.ts';
import { addDays } from '../../src/lib/dates.ts';
import { addWorkingDays } from '../../src/lib/working-days.ts';
import { renderMail } from '../../src/notify/templates.ts';
import type { MailData } from '../../src/vocabulary.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, type TestContext, type TestOrganisation } from '../support/context.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
let t: TestContext;
let system: Ctx;

beforeAll(async () => {
  t = await createTestContext({ clock });
  system = { deps: t.deps, actor: { type: 'system', id: 'follow-up' }, requestId: null, origin: null };
});
afterAll(() => t.close());

/** 10:00 in Amsterdam on that day (winter and summer alike: 08:00 or 09:00 UTC is that day). */
function at(date: string, time = '09:00'): Date {
  return new Date(`${date}T${time}:00Z`);
}

/** A match of one professional from each organisation, made at the clock's time. */
async function matchOf(orgs: TestOrganisation[], bsn = randomBsn()) {
  const people = [];
  const regs = [];
  for (const org of orgs) {
    const p = await org.professional();
    people.push(p);
    regs.push((await t.register(org, p.email, { bsn })).body);
  }
  const matchId = regs.at(-1)!.matchId as string;
  const members = await t.deps.db.select().from(matchMembers).where(eq(matchMembers.matchId, matchId));
  const memberOf = (registrationId: string) => members.find((m) => m.registrationId === registrationId)!;
  return { bsn, people, regs, matchId, memberOf };
}

async function keys(prefix: string) {
  // Filtered here: D1 refuses LIKE patterns longer than 50 bytes.
  const rows = (await t.deps.db.select().from(outbox)).filter((r) => r.idempotencyKey.startsWith(prefix));
  return rows.map((r) => ({
    key: r.idempotencyKey,
    to: r.recipientEmail,
    template: r.template,
    payload: r.payload as MailData,
  }));
}

async function audits(action: string, matchId?: string) {
  const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action));
  return rows.filter((r) => matchId === undefined || r.matchId === matchId);
}

describe('contact reminder', () => {
  it('goes out the working day after CONTACT_DAYS, counting over Easter (a match made on the Thursday before)', async () => {
    // Easter 2027 is 28 March: Good Friday (26th) and Easter Monday (29th) do not count.
    expect(addWorkingDays('2027-03-25', 5)).toBe('2027-04-05');
    clock.set(at('2027-03-25'));
    const m = await matchOf([await t.organisation('youth_care'), await t.organisation('education')]);
    const [a, b] = m.regs.map((r) => m.memberOf(r.id));
    clock.set(at('2027-04-05', '21:30')); // 23:30 in Amsterdam on the deadline day: still in time
    await followUp(system);
    expect(await keys(`reminder:contact:${a!.id}`)).toEqual([]);
    clock.set(at('2027-04-05', '22:30')); // 00:30 on 6 April
    await followUp(system);
    expect(await keys(`reminder:contact:${a!.id}`)).toEqual([
      {
        key: `reminder:contact:${a!.id}`,
        to: m.people[0]!.email,
        template: 'contact_reminder',
        payload: { matchId: m.matchId, registrationId: a!.registrationId },
      },
    ]);
    expect(await keys(`reminder:contact:${b!.id}`)).toHaveLength(1);
    const [row] = await t.deps.db.select().from(matchMembers).where(eq(matchMembers.id, a!.id));
    expect(row?.contactRemindedAt).not.toBeNull();
    const events = await audits('match.remind_contact', m.matchId);
    expect(events.map((e) => [e.registrationId, e.actorType, e.outcome]).sort()).toEqual(
      [
        [a!.registrationId, 'system', 'success'],
        [b!.registrationId, 'system', 'success'],
      ].sort(),
    );
    // Once only.
    clock.set(at('2027-04-20'));
    await followUp(system);
    expect(await keys(`reminder:contact:${a!.id}`)).toHaveLength(1);
    expect(await audits('match.remind_contact', m.matchId)).toHaveLength(2);
  });

  it('skips weekends: a match made on a Friday is due the next Friday', async () => {
    expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11');
    clock.set(at('2026-12-04'));
    const m = await matchOf([await t.organisation(), await t.organisation()]);
    const member = m.memberOf(m.regs[0]!.id);
    clock.set(at('2026-12-11'));
    await followUp(system);
    expect(await keys(`reminder:contact:${member.id}`)).toEqual([]);
    clock.set(at('2026-12-12')); // Saturday: past the deadline
    await followUp(system);
    expect(await keys(`reminder:contact:${member.id}`)).toHaveLength(1);
  });

  it('not for a member who recorded contact; a later joiner counts from joining', async () => {
    clock.set(at('2026-12-07')); // Monday
    const orgs = [await t.organisation(), await t.organisation()];
    const m = await matchOf(orgs);
    const [a, b] = m.regs.map((r) => m.memberOf(r.id));
    await t.deps.db.update(matchMembers).set({ contactOn: '2026-12-08' }).where(eq(matchMembers.id, a!.id));
    clock.set(at('2026-12-10')); // Thursday: a third organisation joins
    const late = await t.organisation();
    const lp = await late.professional();
    const third = (await t.register(late, lp.email, { bsn: m.bsn })).body;
    expect(third.matchId).toBe(m.matchId);
    const [c] = await t.deps.db.select().from(matchMembers).where(eq(matchMembers.registrationId, third.id));
    clock.set(at('2026-12-15')); // the founders' deadline (Mon 14th) has passed
    await followUp(system);
    expect(await keys(`reminder:contact:${a!.id}`)).toEqual([]);
    expect(await keys(`reminder:contact:${b!.id}`)).toHaveLength(1);
    expect(await keys(`reminder:contact:${c!.id}`)).toEqual([]);
    clock.set(at('2026-12-17')); // the joiner's deadline is Thursday the 17th
    await followUp(system);
    expect(await keys(`reminder:contact:${c!.id}`)).toEqual([]);
    clock.set(at('2026-12-18'));
    await followUp(system);
    expect((await keys(`reminder:contact:${c!.id}`)).map((k) => k.to)).toEqual([lp.email]);
  });

  it("a deactivated professional's reminder goes to their organisation's coordinators", async () => {
    clock.set(at('2027-01-11'));
    const orgs = [await t.organisation(), await t.organisation()];
    const m = await matchOf(orgs);
    const coordinator = await t.person(['organisation_coordinator'], orgs[0]!.id);
    await deactivatePerson(t.operator, { professionalId: m.people[0]!.id });
    const member = m.memberOf(m.regs[0]!.id);
    clock.set(at('2027-01-19'));
    await followUp(system);
    expect(await keys(`reminder:contact:${member.id}`)).toEqual([
      {
        key: `reminder:contact:${member.id}:via:${coordinator.id}`,
        to: coordinator.email,
        template: 'contact_reminder',
        payload: { matchId: m.matchId, registrationId: m.regs[0]!.id, noActiveContact: true },
      },
    ]);
  });

  it('run twice, or twice at once, gives exactly one mail and one audit event per member', async () => {
    clock.set(at('2027-02-01'));
    const m = await matchOf([await t.organisation(), await t.organisation(), await t.organisation()]);
    const members = m.regs.map((r) => m.memberOf(r.id));
    clock.set(at('2027-02-10'));
    await Promise.all([followUp(system), followUp(system), followUp(system)]);
    await followUp(system);
    for (const member of members) expect(await keys(`reminder:contact:${member.id}`)).toHaveLength(1);
    expect(await audits('match.remind_contact', m.matchId)).toHaveLength(3);
  });
});

describe('batches', () => {
  it('works in batches and catches up over the following runs', async () => {
    clock.set(at('2027-02-15'));
    const m = await matchOf([await t.organisation(), await t.organisation(), await t.organisation()]);
    const members = m.regs.map((r) => m.memberOf(r.id));
    clock.set(at('2027-02-24'));
    expect((await followUp(system, 2)).contactReminders).toBe(2);
    expect((await followUp(system, 2)).contactReminders).toBe(1);
    expect((await followUp(system, 2)).contactReminders).toBe(0);
    for (const member of members) expect(await keys(`reminder:contact:${member.id}`)).toHaveLength(1);
  });
});

describe('coordinator reminder and proposal by the rules', () => {
  it('after COORDINATOR_DAYS proposes the rules’ first eligible member and reminds every member once', async () => {
    clock.set(at('2027-03-01')); // Monday; 10 working days → Monday 15 March
    const m = await matchOf([await t.organisation('education'), await t.organisation('youth_care'), await t.organisation('police')]);
    const members = m.regs.map((r) => m.memberOf(r.id));
    clock.set(at('2027-03-15'));
    await followUp(system);
    expect(await keys(`reminder:coordinator:${members[0]!.id}`)).toEqual([]);
    let [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match?.proposedRegistrationId).toBeNull();
    clock.set(at('2027-03-16'));
    await Promise.all([followUp(system), followUp(system)]);
    [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match).toMatchObject({ proposedRegistrationId: m.regs[1]!.id, proposedBy: null });
    expect(match?.proposedAt).not.toBeNull();
    const proposals = await audits('match.propose', m.matchId);
    expect(proposals.map((e) => [e.registrationId, e.actorType, e.detail])).toEqual([[m.regs[1]!.id, 'system', { by: 'rules' }]]);
    for (const member of members) expect((await keys(`reminder:coordinator:${member.id}`)).map((k) => k.template)).toEqual(['coordinator_reminder']);
    expect(await audits('match.remind_coordinator', m.matchId)).toHaveLength(3);
    // The proposed member declines (src/matching/follow-up.ts clears the proposal): the rules do not propose again.
    await t.deps.db.update(matches).set({ proposedRegistrationId: null, proposedAt: null, proposedBy: null }).where(eq(matches.id, m.matchId));
    clock.set(at('2027-04-01'));
    await followUp(system);
    for (const member of members) expect(await keys(`reminder:coordinator:${member.id}`)).toHaveLength(1);
    [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match?.proposedRegistrationId).toBeNull();
    expect(await audits('match.propose', m.matchId)).toHaveLength(1);
  });

  it('no reminder once a coordinator is agreed; no proposal when no member may coordinate', async () => {
    clock.set(at('2027-05-03'));
    const agreed = await matchOf([await t.organisation('youth_care'), await t.organisation('district_team')]);
    await t.deps.db.update(matches).set({ coordinatorRegistrationId: agreed.regs[0]!.id, coordinatorSince: clock.now() }).where(eq(matches.id, agreed.matchId));
    const signalOnly = await matchOf([await t.organisation('education'), await t.organisation('police')]);
    clock.set(at('2027-06-01'));
    await followUp(system);
    expect(await keys(`reminder:coordinator:${agreed.memberOf(agreed.regs[0]!.id).id}`)).toEqual([]);
    const [none] = await t.deps.db.select().from(matches).where(eq(matches.id, signalOnly.matchId));
    expect(none?.proposedRegistrationId).toBeNull();
    // The rules had their turn (once): nobody to propose, recorded and audited, not tried again.
    expect(none?.rulesProposedAt).not.toBeNull();
    await followUp(system);
    expect((await audits('match.propose', signalOnly.matchId)).map((e) => [e.outcome, e.detail])).toEqual([
      ['not_found', { by: 'rules', reason: 'no_eligible_member' }],
    ]);
    // Its members are still reminded, and the escalation catches it.
    expect(await keys(`reminder:coordinator:${signalOnly.memberOf(signalOnly.regs[0]!.id).id}`)).toHaveLength(1);
    expect(none?.escalatedAt).not.toBeNull();
  });
});

describe('escalation', () => {
  async function escalations(sector: string, month: string) {
    const [row] = await t.deps.db
      .select()
      .from(statisticsCounters)
      .where(and(eq(statisticsCounters.metric, 'escalations'), eq(statisticsCounters.sector, sector), eq(statisticsCounters.month, month)));
    return row?.count ?? 0;
  }

  it('after ESCALATION_DAYS only without contact by two organisations or without coordinator, counted once', async () => {
    // 15 working days after Thursday 1 April 2027 (Easter Monday was 29 March) → Thursday 22 April.
    expect(addWorkingDays('2027-04-01', 15)).toBe('2027-04-22');
    clock.set(at('2027-04-01'));
    const fine = await matchOf([await t.organisation('youth_care'), await t.organisation('education')]);
    const noCoordinator = await matchOf([await t.organisation('mental_health'), await t.organisation('education')]);
    const oneContact = await matchOf([await t.organisation('district_team'), await t.organisation('education')]);
    for (const m of [fine, noCoordinator, oneContact]) {
      await t.deps.db.update(matchMembers).set({ contactOn: '2027-04-02' }).where(eq(matchMembers.registrationId, m.regs[0]!.id));
    }
    for (const m of [fine, noCoordinator]) {
      await t.deps.db.update(matchMembers).set({ contactOn: '2027-04-02' }).where(eq(matchMembers.registrationId, m.regs[1]!.id));
    }
    for (const m of [fine, oneContact]) {
      await t.deps.db.update(matches).set({ coordinatorRegistrationId: m.regs[0]!.id, coordinatorSince: clock.now() }).where(eq(matches.id, m.matchId));
    }
    const before = await escalations('all', '2027-04');
    clock.set(at('2027-04-22'));
    await followUp(system);
    expect(await audits('match.escalate', noCoordinator.matchId)).toEqual([]);
    clock.set(at('2027-04-23'));
    await Promise.all([followUp(system), followUp(system)]);
    await followUp(system);
    const escalated = async (id: string) => (await t.deps.db.select().from(matches).where(eq(matches.id, id)))[0]?.escalatedAt ?? null;
    expect(await escalated(fine.matchId)).toBeNull();
    expect(await escalated(noCoordinator.matchId)).not.toBeNull();
    expect(await escalated(oneContact.matchId)).not.toBeNull();
    expect(await audits('match.escalate', noCoordinator.matchId)).toHaveLength(1);
    expect(await audits('match.escalate', oneContact.matchId)).toHaveLength(1);
    expect(await audits('match.escalate', fine.matchId)).toEqual([]);
    // Counted once each, in the month the match was made, per sector and in total.
    expect((await escalations('all', '2027-04')) - before).toBe(2);
    expect(await escalations('mental_health', '2027-04')).toBe(1);
  });
});

describe('registration reminders', () => {
  it('"not yet informed" after 14 days, once; not when informed', async () => {
    clock.set(at('2027-07-01'));
    const org = await t.organisation();
    const p = await org.professional();
    const open = (await t.register(org, p.email)).body;
    const informed = (await t.register(org, p.email)).body;
    await t.deps.db.update(registrations).set({ informedOn: '2027-07-02', informedHow: 'in_person' }).where(eq(registrations.id, informed.id));
    clock.set(at('2027-07-15'));
    await followUp(system);
    expect(await keys(`reminder:inform:${open.id}`)).toEqual([]);
    clock.set(at('2027-07-16'));
    await Promise.all([followUp(system), followUp(system)]);
    await followUp(system);
    expect(await keys(`reminder:inform:${open.id}`)).toEqual([
      { key: `reminder:inform:${open.id}`, to: p.email, template: 'inform_reminder', payload: { matchId: null, registrationId: open.id } },
    ]);
    expect(await keys(`reminder:inform:${informed.id}`)).toEqual([]);
    const events = (await audits('registration.remind_inform')).filter((e) => e.registrationId === open.id);
    expect(events).toHaveLength(1);
  });

  it('"ends within 30 days" once per end date: an extended term gets its own; an age-capped end offers no extending', async () => {
    clock.set(at('2027-08-02'));
    const org = await t.organisation();
    const p = await org.professional();
    const reg = (await t.register(org, p.email, { birthDate: '2015-03-03' })).body;
    const endsOn = reg.endsAt as string;
    clock.set(at(addDays(endsOn, -31)));
    await followUp(system);
    expect(await keys(`reminder:expiry:${reg.id}`)).toEqual([]);
    clock.set(at(addDays(endsOn, -30)));
    await Promise.all([followUp(system), followUp(system)]);
    await followUp(system);
    const first = await keys(`reminder:expiry:${reg.id}`);
    expect(first.map((k) => [k.key, k.template, k.payload.endsByAge])).toEqual([[`reminder:expiry:${reg.id}:${endsOn}`, 'expiry_reminder', undefined]]);
    // Extended: a new end date is reminded of again, 30 days before it.
    const later = addDays(endsOn, 365);
    await t.deps.db.update(registrations).set({ endsOn: later }).where(eq(registrations.id, reg.id));
    await followUp(system);
    expect(await keys(`reminder:expiry:${reg.id}`)).toHaveLength(1);
    clock.set(at(addDays(later, -30)));
    await followUp(system);
    expect((await keys(`reminder:expiry:${reg.id}`)).map((k) => k.key).sort()).toEqual([
      `reminder:expiry:${reg.id}:${endsOn}`,
      `reminder:expiry:${reg.id}:${later}`,
    ]);
    expect((await audits('registration.remind_expiry')).filter((e) => e.registrationId === reg.id)).toHaveLength(2);

    // Turns 23 in October 2028: capped by age, the mail says it cannot be extended.
    clock.set(at('2027-08-02'));
    const old = (await t.register(org, p.email, { birthDate: '2005-10-14' })).body;
    const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, old.id));
    expect(row?.endsBecause).toBe('age');
    clock.set(at(addDays(row!.endsOn, -10)));
    await followUp(system);
    const [aged] = await keys(`reminder:expiry:${old.id}`);
    expect(aged?.payload.endsByAge).toBe(true);
    const mail = renderMail('expiry_reminder', aged!.payload, 'https://betrokken.test', { municipality: 'Gemeente Voorbeeldstad', helpdesk: 'Servicedesk' });
    expect(mail.text).toContain('Verlengen is daarom niet mogelijk');
    expect(mail.text).not.toContain('kunt u de registratie verlengen');
  });
});

describe('the rules’ proposal (once per match, reachable members only, before the reminders)', () => {
  it('passes over a deactivated professional and a deactivated organisation', async () => {
    clock.set(at('2028-04-03'));
    const m = await matchOf([await t.organisation('youth_care'), await t.organisation('district_team'), await t.organisation('mental_health')]);
    const [reg0] = await t.deps.db.select().from(registrations).where(eq(registrations.id, m.regs[0]!.id));
    await t.deps.db.update(organisations).set({ active: false }).where(eq(organisations.id, reg0!.organisationId));
    await deactivatePerson(t.operator, { professionalId: m.people[1]!.id });
    clock.set(at('2028-04-25'));
    await followUp(system);
    const [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match).toMatchObject({ proposedRegistrationId: m.regs[2]!.id, proposedBy: null });
    expect(match?.rulesProposedAt).not.toBeNull();
  });

  it('a proposal lapses when the proposed member’s registration ends', async () => {
    clock.set(at('2028-05-01'));
    const orgs = [await t.organisation('youth_care'), await t.organisation('district_team'), await t.organisation('education')];
    const m = await matchOf(orgs);
    clock.set(at('2028-05-22'));
    await followUp(system);
    let [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match?.proposedRegistrationId).toBe(m.regs[0]!.id);
    const ended = await t.app.request(`/api/v1/registrations/${m.regs[0]!.id}/end`, {
      method: 'POST',
      headers: orgs[0]!.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(ended.status).toBe(200);
    [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match).toMatchObject({ status: 'open', proposedRegistrationId: null, proposedAt: null, proposedBy: null });
    // The rules do not propose again (once per match).
    await followUp(system);
    [match] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(match?.proposedRegistrationId).toBeNull();
  });

  it('keeps a monitor’s earlier proposal; reminders only for matches the rules have had their turn on', async () => {
    clock.set(at('2028-06-01'));
    const monitored = await matchOf([await t.organisation('youth_care'), await t.organisation('district_team')]);
    await t.deps.db
      .update(matches)
      .set({ proposedRegistrationId: monitored.regs[1]!.id, proposedAt: clock.now(), proposedBy: 'monitor' })
      .where(eq(matches.id, monitored.matchId));
    clock.set(at('2028-06-02'));
    const later = await matchOf([await t.organisation('youth_care'), await t.organisation('district_team')]);
    clock.set(at('2028-06-30'));
    // One at a time: the first run handles the older match only, and the later one's members wait for its proposal.
    await followUp(system, 1);
    const [m1] = await t.deps.db.select().from(matches).where(eq(matches.id, monitored.matchId));
    expect(m1).toMatchObject({ proposedRegistrationId: monitored.regs[1]!.id, proposedBy: 'monitor' });
    expect(m1?.rulesProposedAt).not.toBeNull();
    let [m2] = await t.deps.db.select().from(matches).where(eq(matches.id, later.matchId));
    expect(m2?.rulesProposedAt).toBeNull();
    for (const r of later.regs) expect(await keys(`reminder:coordinator:${later.memberOf(r.id).id}`)).toEqual([]);
    await followUp(system);
    [m2] = await t.deps.db.select().from(matches).where(eq(matches.id, later.matchId));
    expect(m2?.proposedRegistrationId).toBe(later.regs[0]!.id);
    for (const r of [...monitored.regs, ...later.regs]) {
      const memberId = (monitored.regs.includes(r) ? monitored : later).memberOf(r.id).id;
      expect(await keys(`reminder:coordinator:${memberId}`)).toHaveLength(1);
    }
  });
});

describe('follow-up figures under the founding sectors', () => {
  async function escalations(sector: string, month: string) {
    const [row] = await t.deps.db
      .select()
      .from(statisticsCounters)
      .where(and(eq(statisticsCounters.metric, 'escalations'), eq(statisticsCounters.sector, sector), eq(statisticsCounters.month, month)));
    return row?.count ?? 0;
  }

  it('a later joiner’s sector does not get the match’s escalation, also for a match without founding_sectors', async () => {
    clock.set(at('2028-02-01'));
    const a = await matchOf([await t.organisation('youth_care'), await t.organisation('education')]);
    const b = await matchOf([await t.organisation('mental_health'), await t.organisation('police')]);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, a.matchId));
    expect(row?.foundingSectors).toEqual(['education', 'youth_care']);
    // A match from before the column: its founders (joinedSeq 1) are used.
    await t.deps.db.update(matches).set({ foundingSectors: null }).where(eq(matches.id, b.matchId));
    clock.set(at('2028-02-04'));
    const justice = await t.organisation('justice');
    const j = await justice.professional();
    expect((await t.register(justice, j.email, { bsn: a.bsn })).body.matchId).toBe(a.matchId);
    const social = await t.organisation('social_support');
    const s = await social.professional();
    expect((await t.register(social, s.email, { bsn: b.bsn })).body.matchId).toBe(b.matchId);
    clock.set(at('2028-03-20'));
    await followUp(system);
    expect(await audits('match.escalate', a.matchId)).toHaveLength(1);
    expect(await audits('match.escalate', b.matchId)).toHaveLength(1);
    for (const sector of ['youth_care', 'education', 'mental_health', 'police']) expect(await escalations(sector, '2028-02')).toBe(1);
    expect(await escalations('justice', '2028-02')).toBe(0);
    expect(await escalations('social_support', '2028-02')).toBe(0);
  });
});

describe('the escalation unit re-checks the condition', () => {
  it('a coordinator agreed and a second contact recorded after the read stop the escalation', async () => {
    clock.set(at('2028-08-01'));
    const m = await matchOf([await t.organisation('youth_care'), await t.organisation('district_team')]);
    await t.deps.db.update(matches).set({ coordinatorRegistrationId: m.regs[0]!.id, coordinatorSince: clock.now() }).where(eq(matches.id, m.matchId));
    await t.deps.db.update(matchMembers).set({ contactOn: '2028-08-02' }).where(eq(matchMembers.registrationId, m.regs[0]!.id));
    const [read] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    // As the job read it: one organisation in touch, so due.
    const stale = {
      id: m.matchId,
      createdAt: read!.createdAt,
      coordinator: read!.coordinatorRegistrationId,
      contactOrganisations: 1,
      sectors: ['youth_care' as const],
    };
    // Meanwhile the second organisation records contact: the condition no longer holds.
    await t.deps.db.update(matchMembers).set({ contactOn: '2028-08-03' }).where(eq(matchMembers.registrationId, m.regs[1]!.id));
    await expect(t.deps.atomic(escalationUnit(system, stale, clock.now()))).rejects.toBeInstanceOf(AtomicConflict);
    let [row] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(row?.escalatedAt).toBeNull();
    expect(await audits('match.escalate', m.matchId)).toEqual([]);
    // The same unit goes through while the condition holds (the coordinator gone again).
    await t.deps.db.update(matches).set({ coordinatorRegistrationId: null, coordinatorSince: null }).where(eq(matches.id, m.matchId));
    await t.deps.atomic(escalationUnit(system, stale, clock.now()));
    [row] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(row?.escalatedAt).not.toBeNull();
  });
});
