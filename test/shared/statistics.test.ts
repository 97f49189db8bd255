/**
 * Statistics, on both runtimes: counters are added in the same unit as the change
 * (register, end, expiry, death, a created match), never twice under retries, never for a
 * refused or repeated registration; the page and the CSV show small cells as "< 5" and
 * never their value; only the municipal admin may see them; every view and export audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, statisticsCounters } from '../../src/db/schema.ts';
import { expireRegistrations } from '../../src/jobs/expire-registrations.ts';
import { confirmDeath, proposeDeathConfirmation, reportDeath } from '../../src/registry/death.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let system: Ctx;

async function counter(month: string, sector: string, metric: string): Promise<number> {
  const rows = await t.deps.db
    .select({ count: statisticsCounters.count })
    .from(statisticsCounters)
    .where(and(eq(statisticsCounters.month, month), eq(statisticsCounters.sector, sector), eq(statisticsCounters.metric, metric)));
  return rows.reduce((sum, r) => sum + r.count, 0);
}

/** The counters of these (sector, metric) pairs in a month, to compare before and after. */
async function snapshot(month: string, pairs: [string, string][]) {
  return Object.fromEntries(await Promise.all(pairs.map(async ([s, m]) => [`${s}/${m}`, await counter(month, s, m)] as const)));
}

async function adminCtx(): Promise<Ctx> {
  const { id } = await t.person(['municipal_admin']);
  return { deps: t.deps, actor: { type: 'professional', id, organisationId: null, roles: ['municipal_admin'] }, requestId: null, origin: null };
}

async function endVia(org: TestOrganisation, id: string, reason: string) {
  const response = await t.app.request(`/api/v1/registrations/${id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason }) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  system = { deps: t.deps, actor: { type: 'system', id: 'test-job' }, requestId: null, origin: null };
});
afterAll(() => t.close());

describe('counted when things happen', () => {
  it('a registration counts +1 in its month for its sector and the total', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('education');
    const p = await org.professional();
    const before = await snapshot('2026-11', [
      ['education', 'registrations'],
      ['all', 'registrations'],
      ['police', 'registrations'],
    ]);
    expect((await t.register(org, p.email)).status).toBe(201);
    expect(
      await snapshot('2026-11', [
        ['education', 'registrations'],
        ['all', 'registrations'],
        ['police', 'registrations'],
      ]),
    ).toEqual({
      'education/registrations': before['education/registrations']! + 1,
      'all/registrations': before['all/registrations']! + 1,
      'police/registrations': before['police/registrations'],
    });
  });

  it('the Dutch month: 23:30 UTC on 31 December is January in Amsterdam', async () => {
    clock.set(new Date('2026-12-31T23:30:00Z'));
    const org = await t.organisation('justice');
    const p = await org.professional();
    await t.register(org, p.email);
    expect(await counter('2027-01', 'justice', 'registrations')).toBe(1);
    expect(await counter('2026-12', 'justice', 'registrations')).toBe(0);
  });

  it('a repeated registration (same professional, same subject) and a refused one count nothing', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('social_support');
    const p = await org.professional();
    const bsn = randomBsn();
    expect((await t.register(org, p.email, { bsn })).status).toBe(201);
    const again = await t.register(org, p.email, { bsn });
    expect(again.status).toBe(200);
    const tooOld = await t.register(org, p.email, { birthDate: '1990-01-01' });
    expect(tooOld.status).toBe(422);
    expect(await counter('2026-11', 'social_support', 'registrations')).toBe(1);
  });

  it('a created match counts once, for each founding sector; joining adds no match', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('mental_health');
    const b = await t.organisation('general_practice');
    const c = await t.organisation('general_practice');
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    const allBefore = await counter('2026-11', 'all', 'matches');
    await t.register(a, pa.email, { bsn });
    expect(await counter('2026-11', 'all', 'matches')).toBe(allBefore);
    const second = await t.register(b, pb.email, { bsn });
    expect(second.body.matchId).toBeTruthy();
    const third = await t.register(c, pc.email, { bsn });
    expect(third.body.matchId).toBe(second.body.matchId);
    expect(await counter('2026-11', 'all', 'matches')).toBe(allBefore + 1);
    expect(await counter('2026-11', 'mental_health', 'matches')).toBe(1);
    expect(await counter('2026-11', 'general_practice', 'matches')).toBe(1);
  });

  it('concurrent registrations of one subject count each registration and the match exactly once (retries do not count twice)', async () => {
    clock.set(new Date('2026-10-05T09:00:00Z'));
    const orgs = await Promise.all(Array.from({ length: 6 }, () => t.organisation('district_team')));
    const people = await Promise.all(orgs.map((o) => o.professional()));
    const bsn = randomBsn();
    const results = await Promise.all(orgs.map((o, i) => t.register(o, people[i]!.email, { bsn })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(await counter('2026-10', 'district_team', 'registrations')).toBe(6);
    expect(await counter('2026-10', 'all', 'registrations')).toBe(6);
    expect(await counter('2026-10', 'all', 'matches')).toBe(1);
    expect(await counter('2026-10', 'district_team', 'matches')).toBe(1);
  });

  it('ending counts per reason, for the sector, at the end time (resolved archives, unjustified deletes)', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation('youth_health');
    const p = await org.professional();
    const one = await t.register(org, p.email);
    const two = await t.register(org, p.email);
    clock.set(new Date('2027-02-10T09:00:00Z'));
    await endVia(org, one.body.id, 'resolved');
    await endVia(org, two.body.id, 'unjustified');
    expect(await counter('2027-02', 'youth_health', 'ended:resolved')).toBe(1);
    expect(await counter('2027-02', 'youth_health', 'ended:unjustified')).toBe(1);
    expect(await counter('2027-02', 'all', 'ended:unjustified')).toBeGreaterThanOrEqual(1);
    // Ending an already ended registration is refused and counts nothing.
    const again = await t.app.request(`/api/v1/registrations/${one.body.id}/end`, {
      method: 'POST',
      headers: org.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(again.status).toBe(404);
    expect(await counter('2027-02', 'youth_health', 'ended:resolved')).toBe(1);
  });

  it('expiry by term counts "expired"; by age every active registration of the subject counts "turned_23"', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('safe_home');
    const b = await t.organisation('police');
    const [pa, pb] = [await a.professional(), await b.professional()];
    const bsn = randomBsn();
    // Turns 23 in June 2027: both registrations end by age on 2027-05-31.
    await t.register(a, pa.email, { bsn, birthDate: '2004-06-01' });
    await t.register(b, pb.email, { bsn, birthDate: '2004-06-01' });
    // One more, by term (24 months).
    await t.register(a, pa.email);
    clock.set(new Date('2027-06-02T09:00:00Z'));
    await expireRegistrations(system);
    expect(await counter('2027-06', 'safe_home', 'ended:turned_23')).toBe(1);
    expect(await counter('2027-06', 'police', 'ended:turned_23')).toBe(1);
    expect(await counter('2027-06', 'all', 'ended:turned_23')).toBe(2);
    await expireRegistrations(system); // run twice: nothing more
    expect(await counter('2027-06', 'all', 'ended:turned_23')).toBe(2);
    clock.set(new Date('2028-11-24T09:00:00Z'));
    await expireRegistrations(system);
    expect(await counter('2028-11', 'safe_home', 'ended:expired')).toBe(1);
  });

  it('a confirmed death counts "deceased" for every active registration of the subject (not its archived ones)', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('youth_care', 'Dood A');
    const b = await t.organisation('education', 'Dood B');
    const c = await t.organisation('youth_care', 'Dood C');
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    const archived = await t.register(c, pc.email, { bsn });
    await endVia(c, archived.body.id, 'resolved');
    const first = await t.register(a, pa.email, { bsn });
    await t.register(b, pb.email, { bsn });
    clock.set(new Date('2026-12-01T09:00:00Z'));
    const reporter: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: pa.id, organisationId: a.id, roles: ['professional'] },
      requestId: null,
      origin: null,
    };
    const report = await reportDeath(reporter, { registrationId: first.body.id });
    await proposeDeathConfirmation(await adminCtx(), { reportId: report.id, diedOn: '2026-11-30' });
    await confirmDeath(await adminCtx(), { reportId: report.id });
    expect(await counter('2026-12', 'youth_care', 'ended:deceased')).toBe(1);
    expect(await counter('2026-12', 'education', 'ended:deceased')).toBe(1);
    expect(await counter('2026-12', 'all', 'ended:deceased')).toBe(2);
  });

  it('counter rows hold no ids: only month, sector, metric, bucket and count', async () => {
    const rows = await t.deps.db.select().from(statisticsCounters);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['bucket', 'count', 'metric', 'month', 'sector']);
    const audits = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'statistics.view'));
    expect(audits).toEqual([]);
  });
});
