import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, matches, matchMembers, monitorActions, outbox } from '../../src/db/schema.ts';
import { deactivatePerson } from '../../src/directory/people.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { followUp } from '../../src/jobs/follow-up.ts';
import { proposeCoordinator, recordMonitorAction } from '../../src/monitor/actions.ts';
import { getMonitorMatch, listMonitorQueue } from '../../src/monitor/queue.ts';
import type { Role } from '../../src/vocabulary.ts';
import { MonitorQueuePage } from '../../src/views/pages/monitor-queue.tsx';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, type memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson } from '../support/web-client.ts';

type MemoryMailer = ReturnType<typeof memoryMailer>;

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
let t: TestContext;
let system: Ctx;
let monitor: Ctx;

function actor(id: string, roles: Role[], organisationId: string | null = null): Ctx {
  return { deps: t.deps, actor: { type: 'professional', id, organisationId, roles }, requestId: null, origin: null };
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  system = { deps: t.deps, actor: { type: 'system', id: 'follow-up' }, requestId: null, origin: null };
  const m = await t.person(['match_monitor']);
  monitor = actor(m.id, ['match_monitor']);
});
afterAll(() => t.close());

/** A match of these organisations made on Monday 23 November 2026, with case numbers. */
async function matchOf(orgs: TestOrganisation[]) {
  clock.set(new Date('2026-11-23T09:00:00Z'));
  const bsn = randomBsn();
  const people = [];
  const regs = [];
  for (const [i, org] of orgs.entries()) {
    const p = await org.professional();
    people.push(p);
    regs.push((await t.register(org, p.email, { bsn, reference: `ZK-7731-X${i}` })).body);
  }
  return { people, regs, matchId: regs.at(-1)!.matchId as string };
}

/** 15 working days after 23 November 2026 is 14 December: escalated on the 15th. */
async function escalateAll() {
  clock.set(new Date('2026-12-15T09:00:00Z'));
  await followUp(system);
}

async function audit(action: string, matchId?: string) {
  const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action));
  return rows.filter((r) => matchId === undefined || r.matchId === matchId);
}

describe('the match monitor’s queue', () => {
  it('lists escalated matches only, with what the check needs and no case number', async () => {
    const m = await matchOf([await t.organisation('youth_care', 'Jeugdhulp Noord'), await t.organisation('education', 'Basisschool De Linde')]);
    const fine = await matchOf([await t.organisation('district_team'), await t.organisation('mental_health')]);
    await t.deps.db.update(matchMembers).set({ contactOn: '2026-11-24' }).where(eq(matchMembers.matchId, fine.matchId));
    await t.deps.db.update(matches).set({ coordinatorRegistrationId: fine.regs[0]!.id }).where(eq(matches.id, fine.matchId));
    await t.deps.db.update(matchMembers).set({ contactOn: '2026-11-25' }).where(eq(matchMembers.registrationId, m.regs[0]!.id));
    await escalateAll();

    const queue = (await listMonitorQueue(monitor, {})).items;
    const item = queue.find((q) => q.matchId === m.matchId);
    expect(queue.find((q) => q.matchId === fine.matchId)).toBeUndefined();
    expect(item).toMatchObject({
      organisationCount: 2,
      contactOrganisations: 1,
      coordinator: false,
      proposed: true, // the rules proposed at COORDINATOR_DAYS
      lastAction: null,
      doneAt: null,
      workingDaysOpen: 16,
    });
    expect(item?.organisations).toEqual([
      { name: 'Jeugdhulp Noord', sector: 'youth_care' },
      { name: 'Basisschool De Linde', sector: 'education' },
    ]);
    const serialized = JSON.stringify(queue);
    for (const r of m.regs) expect(serialized).not.toContain(r.reference);
    expect(serialized).not.toContain('ZK-7731');
    expect((await audit('monitor.queue')).at(-1)).toMatchObject({ outcome: 'success', actorId: monitor.actor.id });

    const detail = await getMonitorMatch(monitor, { matchId: m.matchId });
    expect(detail.members.map((x) => [x.organisationName, x.contact?.email, x.contact?.phone, x.contactOn, x.mayCoordinate])).toEqual([
      ['Jeugdhulp Noord', m.people[0]!.email, '010-1234567', '2026-11-25', true],
      ['Basisschool De Linde', m.people[1]!.email, '010-1234567', null, false],
    ]);
    expect(detail.suggestedRegistrationId).toBe(m.regs[0]!.id);
    expect(detail.proposal).toMatchObject({ organisationName: 'Jeugdhulp Noord', byRules: true });
    expect(JSON.stringify(detail)).not.toContain('ZK-7731');
    expect(await audit('monitor.view', m.matchId)).toHaveLength(1);
  });

  it('a deactivated professional shows no contact but the organisation’s coordinators', async () => {
    const orgs = [await t.organisation(), await t.organisation()];
    const m = await matchOf(orgs);
    const coordinator = await t.person(['organisation_coordinator'], orgs[1]!.id);
    await deactivatePerson(t.operator, { professionalId: m.people[1]!.id });
    await escalateAll();
    const detail = await getMonitorMatch(monitor, { matchId: m.matchId });
    const member = detail.members[1]!;
    expect(member.contact).toBeNull();
    expect(member.organisationContacts.map((c) => c.email)).toEqual([coordinator.email]);
    // Nobody can be proposed who cannot take coordination.
    await expect(proposeCoordinator(monitor, { matchId: m.matchId, registrationId: m.regs[1]!.id })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses other roles (audited), and a match that is not escalated (audited 404)', async () => {
    const org = await t.organisation();
    const pro = await org.professional();
    const professional = actor(pro.id, ['professional'], org.id);
    const admin = actor((await t.person(['municipal_admin'])).id, ['municipal_admin']);
    await expect(listMonitorQueue(professional, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listMonitorQueue(admin, {})).rejects.toMatchObject({ code: 'forbidden' });
    const queue = (await listMonitorQueue(monitor, {})).items;
    const matchId = queue[0]!.matchId;
    await expect(getMonitorMatch(professional, { matchId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(recordMonitorAction(professional, { matchId, kind: 'called', on: '2026-12-15' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(proposeCoordinator(professional, { matchId, registrationId: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const denied = (await audit('monitor.queue')).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.actorId)).toEqual([pro.id, admin.actor.id]);
    expect((await audit('monitor.propose')).filter((e) => e.outcome === 'denied')).toHaveLength(1);

    clock.set(new Date('2026-12-01T09:00:00Z'));
    const fresh = await matchOf([await t.organisation(), await t.organisation()]);
    await expect(getMonitorMatch(monitor, { matchId: fresh.matchId })).rejects.toMatchObject({ code: 'not_found' });
    expect((await audit('monitor.view', fresh.matchId)).map((e) => e.outcome)).toEqual(['not_found']);
  });
});

describe('what the monitor does', () => {
  it('records actions with a day between escalation and today; followed up leaves the queue', async () => {
    const m = await matchOf([await t.organisation(), await t.organisation()]);
    await escalateAll();
    clock.set(new Date('2026-12-17T09:00:00Z'));
    await expect(recordMonitorAction(monitor, { matchId: m.matchId, kind: 'called', on: '2026-12-18' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { on: [expect.any(String)] },
    });
    await expect(recordMonitorAction(monitor, { matchId: m.matchId, kind: 'called', on: '2026-12-14' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(recordMonitorAction(monitor, { matchId: m.matchId, kind: 'shouted' as never, on: '2026-12-16' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await recordMonitorAction(monitor, { matchId: m.matchId, kind: 'called', on: '2026-12-16' });
    let item = (await listMonitorQueue(monitor, {})).items.find((q) => q.matchId === m.matchId);
    expect(item?.lastAction).toEqual({ kind: 'called', on: '2026-12-16' });
    await recordMonitorAction(monitor, { matchId: m.matchId, kind: 'followed_up', on: '2026-12-17' });
    expect((await listMonitorQueue(monitor, {})).items.find((q) => q.matchId === m.matchId)).toBeUndefined();
    item = (await listMonitorQueue(monitor, { filter: 'all' })).items.find((q) => q.matchId === m.matchId);
    expect(item?.doneAt).not.toBeNull();
    expect(item?.lastAction).toEqual({ kind: 'followed_up', on: '2026-12-17' });
    const detail = await getMonitorMatch(monitor, { matchId: m.matchId });
    expect(detail.actions.map((a) => [a.kind, a.on, a.by])).toEqual([
      ['followed_up', '2026-12-17', expect.stringMatching(/^Persoon/)],
      ['called', '2026-12-16', expect.stringMatching(/^Persoon/)],
    ]);
    const rows = await t.deps.db.select().from(monitorActions).where(eq(monitorActions.matchId, m.matchId));
    expect(rows).toHaveLength(2);
    expect((await audit('monitor.action', m.matchId)).map((e) => [e.outcome, e.detail])).toEqual([
      ['invalid', null],
      ['invalid', null],
      ['success', { kind: 'called' }],
      ['success', { kind: 'followed_up' }],
    ]);
  });

  it('proposes an eligible member and mails every member; refuses a signal-only sector and a non-member', async () => {
    const m = await matchOf([await t.organisation('police'), await t.organisation('district_team'), await t.organisation('youth_care')]);
    await escalateAll();
    await expect(proposeCoordinator(monitor, { matchId: m.matchId, registrationId: m.regs[0]!.id })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { registrationId: [expect.stringContaining('geen regie')] },
    });
    await expect(proposeCoordinator(monitor, { matchId: m.matchId, registrationId: 'not-a-member' })).rejects.toMatchObject({ code: 'invalid_input' });
    const [before] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(before?.proposedRegistrationId).toBe(m.regs[2]!.id); // the rules: youth care first
    await proposeCoordinator(monitor, { matchId: m.matchId, registrationId: m.regs[1]!.id });
    const [after] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(after).toMatchObject({ proposedRegistrationId: m.regs[1]!.id, proposedBy: monitor.actor.id });
    const mails = (await t.deps.db.select().from(outbox)).filter(
      (r) => r.template === 'coordinator_proposed' && r.idempotencyKey.startsWith(`match:${m.matchId}:`),
    );
    expect(mails.map((r) => r.recipientEmail).sort()).toEqual(m.people.map((p) => p.email).sort());
    expect((await audit('monitor.propose', m.matchId)).map((e) => [e.outcome, e.registrationId])).toEqual([
      ['invalid', null],
      ['invalid', null],
      ['success', m.regs[1]!.id],
    ]);
    const detail = await getMonitorMatch(monitor, { matchId: m.matchId });
    expect(detail.proposal).toMatchObject({ byRules: false });
    expect(detail.members.find((x) => x.proposed)?.registrationId).toBe(m.regs[1]!.id);

    // Once the members agreed on a coordinator, there is nothing to propose.
    await t.deps.db.update(matches).set({ coordinatorRegistrationId: m.regs[2]!.id }).where(eq(matches.id, m.matchId));
    await expect(proposeCoordinator(monitor, { matchId: m.matchId, registrationId: m.regs[1]!.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('the pages', () => {
  it('the queue, one match, recording an action and proposing, with errors beside their fields', async () => {
    const m = await matchOf([await t.organisation('education', 'School Zuid'), await t.organisation('youth_care', 'Jeugdzorg Zuid')]);
    await escalateAll();
    await drainOutbox(t.deps, { batchSize: 1000 }); // the reminders first: the invitations below must go out
    const org = await t.organisation();
    const { client } = await loggedInPerson(t, ['match_monitor'], t.mailer as MemoryMailer);
    const { client: professional } = await loggedInPerson(t, ['professional'], t.mailer as MemoryMailer, org.id);

    const queue = await client.get('/opvolging');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(`href="/opvolging/${m.matchId}"`);
    expect(queue.html).toContain('School Zuid');
    expect(queue.html).not.toContain('ZK-7731');
    expect((await professional.get('/opvolging')).status).toBe(403);
    expect((await professional.get(`/opvolging/${m.matchId}`)).status).toBe(403);

    const page = await client.get(`/opvolging/${m.matchId}`);
    expect(page.status).toBe(200);
    for (const p of m.people) expect(page.html).toContain(p.email);
    expect(page.html).not.toContain('ZK-7731');
    // Only the eligible member can be chosen, and the rules' choice is preselected.
    expect(page.html).toContain(`<option value="${m.regs[1]!.id}" selected`);
    expect(page.html).not.toContain(`<option value="${m.regs[0]!.id}"`);

    const empty = await client.post(`/opvolging/${m.matchId}/actie`, { soort: '', datum: '2026-12-15' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('id="veld-soort-fout"');
    const future = await client.post(`/opvolging/${m.matchId}/actie`, { soort: 'called', datum: '2026-12-16' });
    expect(future.status).toBe(422);
    expect(future.html).toMatch(/id="veld-datum-fout"[\s\S]*De datum ligt tussen de escalatie en vandaag/);
    const called = await client.post(`/opvolging/${m.matchId}/actie`, { soort: 'called', datum: '2026-12-15' });
    expect(called.status).toBe(303);
    expect(called.location).toBe(`/opvolging/${m.matchId}?gedaan=actie`);
    expect((await client.get(called.location!)).html).toContain('De actie is vastgelegd.');

    const refused = await client.post(`/opvolging/${m.matchId}/voorstel`, { regievoerder: m.regs[0]!.id });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="veld-regievoerder-fout"[\s\S]*geen regie voeren/);
    const proposed = await client.post(`/opvolging/${m.matchId}/voorstel`, { regievoerder: m.regs[1]!.id });
    expect(proposed.status).toBe(303);
    const [row] = await t.deps.db.select().from(matches).where(eq(matches.id, m.matchId));
    expect(row?.proposedBy).not.toBeNull();

    // A refused form is audited under the monitor's action, with the match.
    const refusedForms = (await audit('monitor.action', m.matchId)).filter((e) => e.outcome === 'invalid');
    expect(refusedForms.length).toBeGreaterThanOrEqual(2);
    // Anything but an id in the id's place (a BSN typed into the address bar) never reaches the verb or the trail.
    const typo = '111222333';
    expect((await client.get(`/opvolging/${typo}`)).status).toBe(404);
    expect(JSON.stringify(await t.deps.db.select().from(auditEvents))).not.toContain(typo);

    const done = await client.post(`/opvolging/${m.matchId}/actie`, { soort: 'followed_up', datum: '2026-12-15' });
    expect(done.location).toBe(`/opvolging/${m.matchId}?gedaan=opgevolgd`);
    expect((await client.get('/opvolging')).html).not.toContain(`href="/opvolging/${m.matchId}"`);
    expect((await client.get('/opvolging?filter=afgehandeld')).html).toContain(`href="/opvolging/${m.matchId}"`);
  });
});

describe('a long queue', () => {
  it('shows the most urgent open matches and the most recently followed up, each at most `limit`, and says when more exist', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await matchOf([await t.organisation(), await t.organisation()]));
    await escalateAll();
    const all = (await listMonitorQueue(monitor, {})).items;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await listMonitorQueue(monitor, { limit: 2 });
    expect(first.items.map((i) => i.matchId)).toEqual(all.slice(0, 2).map((i) => i.matchId));
    expect(first).toMatchObject({ limit: 2, moreOpen: true, moreDone: false });
    expect((await listMonitorQueue(monitor, { limit: all.length })).moreOpen).toBe(false);

    clock.set(new Date('2026-12-16T09:00:00Z'));
    await recordMonitorAction(monitor, { matchId: made[0]!.matchId, kind: 'followed_up', on: '2026-12-16' });
    // Later than any match followed up in the tests above.
    clock.set(new Date('2026-12-18T09:00:00Z'));
    await recordMonitorAction(monitor, { matchId: made[1]!.matchId, kind: 'followed_up', on: '2026-12-18' });
    const both = await listMonitorQueue(monitor, { filter: 'all', limit: 1 });
    // One still to follow up (the oldest escalation), then the one followed up last.
    expect(both.items).toHaveLength(2);
    expect(both.items[0]?.doneAt).toBeNull();
    expect(both.items[1]?.matchId).toBe(made[1]!.matchId);
    expect(both).toMatchObject({ moreOpen: true, moreDone: true });

    const html = String(await MonitorQueuePage({ ...both, filter: 'all' })?.toString());
    expect(html).toContain('Er zijn meer dan 1 matches die nog opgevolgd moeten worden');
    expect(html).toContain('Er zijn meer dan 1 afgehandelde matches');
    const short = String(await MonitorQueuePage({ ...(await listMonitorQueue(monitor, {})), filter: 'open' })?.toString());
    expect(short).not.toContain('Er zijn meer dan');
    await expect(listMonitorQueue(monitor, { limit: 101 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
