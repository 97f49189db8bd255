import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, matches, outbox, registrations } from '../../src/db/schema.ts';
import { expireRegistrations } from '../../src/jobs/expire-registrations.ts';
import { purgeRetention } from '../../src/jobs/purge-retention.ts';
import { runJobs } from '../../src/jobs/run-jobs.ts';
import { addDays } from '../../src/lib/dates.ts';
import { confirmDeath, proposeDeathConfirmation } from '../../src/registry/death.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { createTestClock } from '../support/clock.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
let t: TestContext;
let system: Ctx;

beforeAll(async () => {
  t = await createTestContext({ clock });
  system = { deps: t.deps, actor: { type: 'system', id: 'test-job' }, requestId: null, origin: null };
});
afterAll(() => t.close());

describe('expiry', () => {
  it('deletes every registration of the subject at 23, closing the match and telling the others', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation('education');
    const b = await t.organisation('youth_care');
    const c = await t.organisation('police');
    const [pa, pb, pc] = [await a.professional(), await b.professional(), await c.professional()];
    const bsn = randomBsn();
    // Turns 23 on 2027-06-01: that registration ends on 2027-05-31, by age.
    const young = await t.register(a, pa.email, { bsn, birthDate: '2004-06-01' });
    const second = await t.register(b, pb.email, { bsn, birthDate: '2004-06-01' });
    expect(young.body.endsAt).toBe('2027-05-31');
    clock.set(new Date('2027-01-10T09:00:00Z'));
    const third = await t.register(c, pc.email, { bsn, birthDate: '2004-06-01' });
    const matchId = second.body.matchId;
    expect(third.body.matchId).toBe(matchId);

    clock.set(new Date('2027-05-31T21:30:00Z')); // 23:30 in Amsterdam on the last active day
    expect(await expireRegistrations(system)).toEqual({ expired: 0, turned23: 0 });
    clock.set(new Date('2027-05-31T22:30:00Z')); // 00:30 on the 23rd birthday
    // All three end by age on the same date: deleted, and the match closes.
    expect(await expireRegistrations(system)).toEqual({ expired: 0, turned23: 3 });
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, young.body.id))).toEqual([]);
    // At 23 every registration of the subject ends at once; the other registrants are told.
    const told = (await t.deps.db.select().from(outbox)).filter((r) => r.template === 'registration_ended');
    expect(new Set(told.map((r) => r.recipientEmail)).size).toBe(2);
    expect(told.every((r) => [pa.email, pb.email, pc.email].includes(r.recipientEmail))).toBe(true);
    expect(told).toHaveLength(2);
    expect(await t.deps.db.select().from(matches).where(eq(matches.id, matchId))).toEqual([]);
    expect(await expireRegistrations(system)).toEqual({ expired: 0, turned23: 0 }); // idempotent
  });

  it('a term expiry archives and leaves a match of two other organisations open', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const orgs = [await t.organisation(), await t.organisation(), await t.organisation()];
    const people = [await orgs[0]!.professional(), await orgs[1]!.professional(), await orgs[2]!.professional()];
    const bsn = randomBsn();
    const first = await t.register(orgs[0]!, people[0]!.email, { bsn });
    clock.set(new Date('2027-03-01T09:00:00Z'));
    const second = await t.register(orgs[1]!, people[1]!.email, { bsn });
    const third = await t.register(orgs[2]!, people[2]!.email, { bsn });
    clock.set(new Date(`${first.body.endsAt}T12:00:00Z`));
    expect(await expireRegistrations(system)).toMatchObject({ expired: 0 }); // still its last day
    clock.set(new Date(`${addDays(first.body.endsAt, 1)}T12:00:00Z`));
    expect(await expireRegistrations(system)).toMatchObject({ expired: 1 });
    const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, first.body.id));
    expect(row).toMatchObject({ status: 'archived', endReason: 'expired' });
    const [match] = await t.deps.db.select().from(matches).where(eq(matches.id, second.body.matchId));
    expect(match?.status).toBe('open');
    const left = (await t.deps.db.select().from(outbox)).filter((r) => r.idempotencyKey.startsWith(`match:${second.body.matchId}:left:${first.body.id}:`));
    expect(left.map((r) => r.template)).toEqual(['match_member_left', 'match_member_left']);
    expect(third.body.matchId).toBe(second.body.matchId);
  });
});

describe('retention', () => {
  it('destroys archive entries after ARCHIVE_YEARS, and audits that it happened', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation();
    const p = await org.professional();
    const { body } = await t.register(org, p.email, { bsn: randomBsn(), birthDate: '2020-01-01' });
    await t.app.request(`/api/v1/registrations/${body.id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason: 'resolved' }) });
    const [archived] = await t.deps.db.select().from(registrations).where(eq(registrations.id, body.id));
    expect(archived?.archiveUntil).toBe('2031-11-23');

    clock.set(new Date('2031-11-22T09:00:00Z'));
    await purgeRetention(system);
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, body.id))).toHaveLength(1);
    clock.set(new Date('2031-11-23T09:00:00Z'));
    expect((await purgeRetention(system)).archiveEntries).toBeGreaterThanOrEqual(1);
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, body.id))).toEqual([]);
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.registrationId, body.id));
    expect(events.map((e) => e.action)).toContain('archive.destroy');
  });

  it('destroys more archive entries in one run than one statement may bind parameters for (D1: 100)', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const org = await t.organisation();
    const p = await org.professional();
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const { body } = await t.register(org, p.email, { bsn: randomBsn(), birthDate: '2020-01-01' });
      await t.app.request(`/api/v1/registrations/${body.id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason: 'resolved' }) });
      ids.push(body.id);
    }
    clock.set(new Date('2032-01-01T09:00:00Z'));
    expect((await purgeRetention(system)).archiveEntries).toBeGreaterThanOrEqual(120);
    const left = (await t.deps.db.select({ id: registrations.id }).from(registrations)).filter((r) => ids.includes(r.id));
    expect(left).toEqual([]);
  });

  it('a confirmed death (reported, then proposed and confirmed by two admins) deletes every registration of the subject, of every organisation, and its archive entries', async () => {
    clock.set(new Date('2026-11-23T09:00:00Z'));
    const a = await t.organisation();
    const b = await t.organisation();
    const [pa, pb] = [await a.professional(), await b.professional()];
    const bsn = randomBsn();
    const old = await t.register(a, pa.email, { bsn });
    await t.app.request(`/api/v1/registrations/${old.body.id}/end`, { method: 'POST', headers: a.authHeaders, body: JSON.stringify({ reason: 'resolved' }) });
    const current = await t.register(b, pb.email, { bsn });
    const c = await t.organisation();
    const pc = await c.professional();
    const other = await t.register(c, pc.email, { bsn });
    // A professional may not end as "deceased": they report it, and the municipality confirms.
    const refused = await t.app.request(`/api/v1/registrations/${current.body.id}/end`, {
      method: 'POST',
      headers: b.authHeaders,
      body: JSON.stringify({ reason: 'deceased' }),
    });
    expect(refused.status).toBe(422);
    const reported = await t.app.request(`/api/v1/registrations/${current.body.id}/death-report`, { method: 'POST', headers: b.authHeaders });
    expect(reported.status).toBe(201);
    const { id: reportId } = (await reported.json()) as { id: string };
    const admin = async (): Promise<Ctx> => {
      const { id } = await t.person(['municipal_admin']);
      return { deps: t.deps, actor: { type: 'professional', id, organisationId: null, roles: ['municipal_admin'] }, requestId: null, origin: null };
    };
    await proposeDeathConfirmation(await admin(), { reportId, diedOn: '2026-11-22' });
    expect(await confirmDeath(await admin(), { reportId })).toEqual({ deleted: 3, matchClosed: true });
    for (const id of [old.body.id, current.body.id, other.body.id]) {
      expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, id))).toEqual([]);
    }
    expect(await t.deps.db.select().from(matches).where(eq(matches.id, other.body.matchId))).toEqual([]);
    const told = await t.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `registration:${other.body.id}:ended-with:${current.body.id}`));
    expect(told).toMatchObject([{ template: 'registration_ended', recipientEmail: pc.email }]);
  });

  it('runJobs audits a job run that did something, as the system actor', async () => {
    clock.set(new Date('2040-01-01T00:00:00Z'));
    await runJobs(t.deps);
    const runs = (await t.deps.db.select().from(auditEvents)).filter((e) => e.action.startsWith('job.'));
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((e) => e.actorType === 'system')).toBe(true);
  });
});
