/**
 * Death of the young person, on both runtimes: a professional reports it (their registration
 * stays), one municipal admin proposes the confirmation with the date, a second one confirms
 * it (four eyes) and only then is everything of the subject deleted; either may reject.
 * Also: a professional cannot end a registration as "deceased" (or any reason that is not
 * theirs) through the API or the web form.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, deathReports, matches, outbox, registrations } from '../../src/db/schema.ts';
import { confirmDeath, listDeathReports, proposeDeathConfirmation, rejectDeathReport, reportDeath } from '../../src/registry/death.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let admin1: Ctx;
let admin2: Ctx;

const asProfessional = (id: string, organisationId: string): Ctx => ({
  deps: t.deps,
  actor: { type: 'professional', id, organisationId, roles: ['professional'] },
  requestId: null,
  origin: null,
});

async function adminCtx(): Promise<Ctx> {
  const { id } = await t.person(['municipal_admin']);
  return { deps: t.deps, actor: { type: 'professional', id, organisationId: null, roles: ['municipal_admin'] }, requestId: null, origin: null };
}

async function audits(action: string) {
  return t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq));
}

/** Three organisations on one subject (a match), plus an archived registration of a fourth. */
async function subject() {
  const bsn = randomBsn();
  const archivedOrg = await t.organisation();
  const pa = await archivedOrg.professional();
  const old = await t.register(archivedOrg, pa.email, { bsn });
  await t.app.request(`/api/v1/registrations/${old.body.id}/end`, {
    method: 'POST',
    headers: archivedOrg.authHeaders,
    body: JSON.stringify({ reason: 'resolved' }),
  });
  const members: { org: TestOrganisation; id: string; email: string; registrationId: string }[] = [];
  let matchId = '';
  for (let i = 0; i < 3; i++) {
    const org = await t.organisation();
    const p = await org.professional();
    const { body } = await t.register(org, p.email, { bsn });
    members.push({ org, id: p.id, email: p.email, registrationId: body.id });
    matchId = body.matchId ?? matchId;
  }
  return { archivedId: old.body.id as string, members, matchId };
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  admin1 = await adminCtx();
  admin2 = await adminCtx();
});
afterAll(() => t.close());

describe('end reasons a professional may choose', () => {
  it.each(['deceased', 'turned_23', 'erasure', 'expired'])('the API refuses "%s" with 422 and the registration stays', async (reason) => {
    const org = await t.organisation();
    const p = await org.professional();
    const { body } = await t.register(org, p.email);
    const response = await t.app.request(`/api/v1/registrations/${body.id}/end`, {
      method: 'POST',
      headers: org.authHeaders,
      body: JSON.stringify({ reason }),
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors?: Record<string, string[]> };
    expect(problem.errors?.reason?.length).toBeGreaterThan(0);
    const [row] = await t.deps.db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, body.id));
    expect(row?.status).toBe('active');
  });

  it('the web form refuses "deceased" with 422 beside the field; it offers only "resolved" and "unjustified"', async () => {
    const org = await t.organisation();
    const { client, professional } = await loggedInProfessional(t, org, mailer);
    const id = (await t.register(org, professional.email)).body.id as string;
    const page = await client.get(`/registrations/${id}/end`);
    expect(page.html).toContain('value="resolved"');
    expect(page.html).toContain('value="unjustified"');
    expect(page.html).not.toContain('value="deceased"');
    const refused = await client.post(`/registrations/${id}/end`, { reason: 'deceased' });
    expect(refused.status).toBe(422);
    const [row] = await t.deps.db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, id));
    expect(row?.status).toBe('active');
  });
});

describe('reporting a death', () => {
  it('creates a "reported" report; the registration stays active; reporting twice is harmless; audited', async () => {
    const { members } = await subject();
    const m = members[0]!;
    const ctx = asProfessional(m.id, m.org.id);
    const first = await reportDeath(ctx, { registrationId: m.registrationId });
    expect(first).toMatchObject({ status: 'reported', created: true });
    const again = await reportDeath(ctx, { registrationId: m.registrationId });
    expect(again).toMatchObject({ id: first.id, created: false });
    const rows = await t.deps.db.select().from(deathReports).where(eq(deathReports.registrationId, m.registrationId));
    expect(rows).toMatchObject([{ status: 'reported', reportedBy: m.id }]);
    const [reg] = await t.deps.db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, m.registrationId));
    expect(reg?.status).toBe('active');
    const rows2 = (await audits('registration.death_report')).filter((a) => a.registrationId === m.registrationId);
    expect(rows2.map((a) => a.outcome)).toEqual(['success', 'success']);
  });

  it("is refused (404, audited) on someone else's registration, and for an admin (403)", async () => {
    const { members } = await subject();
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    await expect(reportDeath(asProfessional(b.id, b.org.id), { registrationId: a.registrationId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(reportDeath(admin1, { registrationId: a.registrationId })).rejects.toMatchObject({ code: 'forbidden' });
    const refused = (await audits('registration.death_report')).filter((r) => r.registrationId === a.registrationId);
    expect(refused.map((r) => r.outcome)).toContain('not_found');
  });

  it('through the API: POST /registrations/{id}/death-report (201, then 200 for the same report)', async () => {
    const { members } = await subject();
    const m = members[1]!;
    const first = await t.app.request(`/api/v1/registrations/${m.registrationId}/death-report`, { method: 'POST', headers: m.org.authHeaders });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { id: string; status: string };
    expect(body.status).toBe('reported');
    const again = await t.app.request(`/api/v1/registrations/${m.registrationId}/death-report`, { method: 'POST', headers: m.org.authHeaders });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(body.id);
  });
});

describe('four eyes', () => {
  it('a proposal by one admin and a confirmation by another delete every registration, the archive and the match; members are told', async () => {
    const { archivedId, members, matchId } = await subject();
    const reporter = members[0]!;
    const report = await reportDeath(asProfessional(reporter.id, reporter.org.id), { registrationId: reporter.registrationId });

    await expect(confirmDeath(admin2, { reportId: report.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(proposeDeathConfirmation(admin1, { reportId: report.id, diedOn: '2026-11-24' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { diedOn: [expect.stringContaining('toekomst')] },
    });
    await proposeDeathConfirmation(admin1, { reportId: report.id, diedOn: '2026-11-20' });
    const listed = await listDeathReports(admin2);
    expect(listed.find((r) => r.id === report.id)).toMatchObject({ status: 'proposed', diedOn: '2026-11-20', proposedBy: admin1.actor.id });

    // Still nothing deleted after the proposal.
    const ids = [archivedId, ...members.map((m) => m.registrationId)];
    expect(await t.deps.db.select().from(registrations).where(inArray(registrations.id, ids))).toHaveLength(4);

    // The same admin cannot confirm their own proposal.
    await expect(confirmDeath(admin1, { reportId: report.id })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Vier ogen') });
    expect((await audits('death_report.confirm'))[0]).toMatchObject({ outcome: 'denied', actorId: admin1.actor.id });

    const result = await confirmDeath(admin2, { reportId: report.id });
    expect(result).toEqual({ deleted: 4, matchClosed: true });
    expect(await t.deps.db.select().from(registrations).where(inArray(registrations.id, ids))).toEqual([]);
    expect(await t.deps.db.select().from(matches).where(eq(matches.id, matchId))).toEqual([]);
    const [row] = await t.deps.db.select().from(deathReports).where(eq(deathReports.id, report.id));
    expect(row).toMatchObject({ status: 'confirmed', proposedBy: admin1.actor.id, decidedBy: admin2.actor.id, deleted: 4 });

    const told = await t.deps.db.select().from(outbox).where(eq(outbox.template, 'registration_ended'));
    for (const m of members) {
      expect(told.filter((o) => o.recipientEmail === m.email)).toHaveLength(1);
    }
    const ends = (await audits('registration.end')).filter(
      (a) => ids.includes(a.registrationId ?? '') && (a.detail as Record<string, unknown>).reason === 'deceased',
    );
    expect(ends.map((a) => a.registrationId).sort()).toEqual(members.map((m) => m.registrationId).sort());
    expect(ends.every((a) => (a.detail as Record<string, unknown>).deathReportId === report.id)).toBe(true);
    expect((await audits('archive.destroy')).some((a) => a.registrationId === archivedId)).toBe(true);
    expect((await audits('death_report.confirm'))[0]).toMatchObject({ outcome: 'success', actorId: admin2.actor.id });
    // No pseudonym anywhere in the audit rows of this flow.
    for (const a of [...(await audits('death_report.confirm')), ...(await audits('death_report.propose'))]) {
      expect(JSON.stringify(a.detail ?? {})).not.toMatch(/pseudonym/i);
    }
    // Confirmed reports leave the list.
    expect((await listDeathReports(admin1)).some((r) => r.id === report.id)).toBe(false);
    // Confirming again says it is settled.
    await expect(confirmDeath(admin1, { reportId: report.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('either admin may reject; the registrations stay', async () => {
    const { members } = await subject();
    const m = members[2]!;
    const report = await reportDeath(asProfessional(m.id, m.org.id), { registrationId: m.registrationId });
    await proposeDeathConfirmation(admin1, { reportId: report.id, diedOn: '2026-11-01' });
    await rejectDeathReport(admin1, { reportId: report.id });
    const [row] = await t.deps.db.select().from(deathReports).where(eq(deathReports.id, report.id));
    expect(row).toMatchObject({ status: 'rejected', decidedBy: admin1.actor.id });
    expect(
      await t.deps.db
        .select()
        .from(registrations)
        .where(
          inArray(
            registrations.id,
            members.map((x) => x.registrationId),
          ),
        ),
    ).toHaveLength(3);
    await expect(confirmDeath(admin2, { reportId: report.id })).rejects.toMatchObject({ code: 'conflict' });
    // A new report on the same registration is possible after a rejection.
    expect(await reportDeath(asProfessional(m.id, m.org.id), { registrationId: m.registrationId })).toMatchObject({ created: true });
  });

  it('says so when the reported registration no longer exists', async () => {
    const { members } = await subject();
    const m = members[0]!;
    const report = await reportDeath(asProfessional(m.id, m.org.id), { registrationId: m.registrationId });
    await proposeDeathConfirmation(admin1, { reportId: report.id, diedOn: '2026-11-01' });
    const ended = await t.app.request(`/api/v1/registrations/${m.registrationId}/end`, {
      method: 'POST',
      headers: m.org.authHeaders,
      body: JSON.stringify({ reason: 'unjustified' }),
    });
    expect(ended.status).toBe(200);
    await expect(confirmDeath(admin2, { reportId: report.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('bestaat niet meer'),
    });
    // The other registrations are untouched.
    expect(
      await t.deps.db
        .select()
        .from(registrations)
        .where(
          inArray(
            registrations.id,
            members.slice(1).map((x) => x.registrationId),
          ),
        ),
    ).toHaveLength(2);
  });

  it('only municipal admins propose, confirm and reject (403 for a professional)', async () => {
    const { members } = await subject();
    const m = members[0]!;
    const ctx = asProfessional(m.id, m.org.id);
    const report = await reportDeath(ctx, { registrationId: m.registrationId });
    await expect(proposeDeathConfirmation(ctx, { reportId: report.id, diedOn: '2026-11-01' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(confirmDeath(ctx, { reportId: report.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rejectDeathReport(ctx, { reportId: report.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listDeathReports(ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('pages', () => {
  it('a professional reports on the end page; two admins propose and confirm at /beheer/overlijden (PRG)', async () => {
    const org = await t.organisation();
    const { client, professional } = await loggedInProfessional(t, org, mailer);
    const bsn = randomBsn();
    const id = (await t.register(org, professional.email, { bsn })).body.id as string;
    const other = await t.organisation();
    const op = await other.professional();
    await t.register(other, op.email, { bsn });

    const endPage = await client.get(`/registrations/${id}/end`);
    expect(endPage.html).toContain('Is de jeugdige overleden?');
    expect(endPage.html).toContain(`/registrations/${id}/death-report`);
    const reported = await client.post(`/registrations/${id}/death-report`, {});
    expect(reported.status).toBe(303);
    const confirmation = await client.get(reported.location!);
    expect(confirmation.status).toBe(200);
    expect(confirmation.html).toContain('gemeente');
    const endAgain = await client.get(`/registrations/${id}/end`);
    expect(endAgain.html).toContain('U hebt het overlijden al gemeld');
    expect(endAgain.html).not.toContain(`action="/registrations/${id}/death-report"`);

    const a1 = await loggedInPerson(t, ['municipal_admin'], mailer);
    const a2 = await loggedInPerson(t, ['municipal_admin'], mailer);
    const list = await a1.client.get('/beheer/overlijden');
    expect(list.status).toBe(200);
    expect(list.html).toContain(id);
    expect(list.html).toContain('vier ogen');
    const [report] = await t.deps.db.select().from(deathReports).where(eq(deathReports.registrationId, id));
    const proposed = await a1.client.post(`/beheer/overlijden/${report!.id}/voorstellen`, { diedOn: '2026-11-22' });
    expect(proposed.status).toBe(303);
    const invalid = await a1.client.post(`/beheer/overlijden/${report!.id}/voorstellen`, { diedOn: '' });
    expect(invalid.status).toBe(422);
    const own = await a1.client.post(`/beheer/overlijden/${report!.id}/bevestigen`, {});
    expect(own.status).toBe(403);
    expect(own.html).toContain('Vier ogen');
    const confirmed = await a2.client.post(`/beheer/overlijden/${report!.id}/bevestigen`, {});
    expect(confirmed.status).toBe(303);
    const after = await a2.client.get(confirmed.location!);
    expect(after.html).toContain('bevestigd');
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, id))).toEqual([]);

    // A professional has no access to the admins' page.
    expect((await client.get('/beheer/overlijden')).status).toBe(403);
  });
});
