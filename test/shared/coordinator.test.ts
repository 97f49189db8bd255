/**
 * The organisation coordinator's pages (/organisatie) on both runtimes: their own
 * organisation's people only (another organisation's people and the municipality's staff
 * are an audited 404), no municipal roles, no removing their own coordinator role,
 * deactivating a colleague (flagged while their registrations have no active contact), and
 * the organisation's registrations with the transfer of one or all of them.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { auditEvents, bulkJobs, personRoles, professionals, registrations } from '../../src/db/schema.ts';
import { changeRoles, getPerson, listPeople } from '../../src/directory/people.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let orgX: TestOrganisation;
let orgY: TestOrganisation;
let coordinator: Awaited<ReturnType<typeof loggedInPerson>>;
let coordinatorCtx: Ctx;

async function lastAudit(action: string) {
  const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq)).limit(1);
  return row;
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  orgX = await t.organisation('youth_care', 'Organisatie X');
  orgY = await t.organisation('education', 'Organisatie Y');
  coordinator = await loggedInPerson(t, ['professional', 'organisation_coordinator'], mailer, orgX.id);
  coordinatorCtx = {
    deps: t.deps,
    actor: { type: 'professional', id: coordinator.professional.id, organisationId: orgX.id, roles: ['professional', 'organisation_coordinator'] },
    requestId: null,
    origin: null,
  };
});
afterAll(() => t.close());

describe('own organisation only', () => {
  it("lists their own organisation's people on /organisatie, not another's", async () => {
    const colleague = await orgX.professional('Xander Collega');
    await orgY.professional('Yvonne Anders');
    const page = await coordinator.client.get('/organisatie');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Mijn organisatie: Organisatie X');
    expect(page.html).toContain('Xander Collega');
    expect(page.html).not.toContain('Yvonne Anders');
    expect(page.html).toContain(`/organisatie/mensen/${colleague.id}`);
    await expect(listPeople(coordinatorCtx, { organisationId: orgY.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listPeople(coordinatorCtx, {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it("gets 404 for a person of another organisation, and for the municipality's staff, audited", async () => {
    const other = await orgY.professional();
    const page = await coordinator.client.get(`/organisatie/mensen/${other.id}`);
    expect(page.status).toBe(404);
    expect(await lastAudit('professional.read')).toMatchObject({
      outcome: 'not_found',
      actorId: coordinator.professional.id,
      actorRoles: 'professional,organisation_coordinator',
    });
    for (const path of ['bewerken', 'rollen', 'deactiveren', 'tweede-factor', 'uitnodiging']) {
      expect((await coordinator.client.post(`/organisatie/mensen/${other.id}/${path}`, { name: 'x', email: 'x@example.org' })).status).toBe(404);
    }
    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.id, other.id));
    expect(row?.active).toBe(true);

    const admin = await t.person(['municipal_admin']);
    expect((await coordinator.client.get(`/organisatie/mensen/${admin.id}`)).status).toBe(404);
    await expect(getPerson(coordinatorCtx, { professionalId: admin.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cannot reach the admin console', async () => {
    expect((await coordinator.client.get('/beheer/mensen')).status).toBe(403);
  });
});

describe('people of the own organisation', () => {
  it('invites a colleague into their own organisation, whatever organisation the form names', async () => {
    const done = await coordinator.client.post('/organisatie/mensen/nieuw', {
      name: 'Nieuwe Collega',
      email: 'nieuwe.collega@example.org',
      organisationId: orgY.id,
      'role-professional': 'ja',
    });
    expect(done.status).toBe(303);
    expect(done.location).toMatch(/^\/organisatie\/mensen\/[^/?]+\?gedaan=uitgenodigd$/);
    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.email, 'nieuwe.collega@example.org'));
    expect(row?.organisationId).toBe(orgX.id);
  });

  it('cannot grant municipal roles (verb: 403, audited; page: refused)', async () => {
    const colleague = await orgX.professional();
    await expect(changeRoles(coordinatorCtx, { professionalId: colleague.id, roles: ['auditor'] })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await lastAudit('professional.roles')).toMatchObject({ outcome: 'denied', actorId: coordinator.professional.id });
    const page = await coordinator.client.post(`/organisatie/mensen/${colleague.id}/rollen`, { 'role-municipal_admin': 'ja' });
    expect(page.status).toBe(403);
    const invite = await coordinator.client.post('/organisatie/mensen/nieuw', { name: 'Stiekem', email: 'stiekem@example.org', 'role-auditor': 'ja' });
    expect(invite.status).toBe(403);
    const roles = await t.deps.db.select().from(personRoles).where(eq(personRoles.professionalId, colleague.id));
    expect(roles.map((r) => r.role)).toEqual(['professional']);
    const [sneaky] = await t.deps.db.select().from(professionals).where(eq(professionals.email, 'stiekem@example.org'));
    expect(sneaky).toBeUndefined();
  });

  it('makes a colleague coordinator too, but cannot remove their own coordinator role', async () => {
    const colleague = await orgX.professional();
    const done = await coordinator.client.post(`/organisatie/mensen/${colleague.id}/rollen`, {
      'role-professional': 'ja',
      'role-organisation_coordinator': 'ja',
    });
    expect(done.status).toBe(303);
    const own = await coordinator.client.post(`/organisatie/mensen/${coordinator.professional.id}/rollen`, { 'role-professional': 'ja' });
    expect(own.status).toBe(422);
    expect(own.html).toContain('U kunt deze rol niet bij uzelf intrekken');
    const roles = await t.deps.db.select().from(personRoles).where(eq(personRoles.professionalId, coordinator.professional.id));
    expect(roles.map((r) => r.role).sort()).toEqual(['organisation_coordinator', 'professional']);
  });

  it('deactivates a colleague with active registrations: they stay, and the colleague is flagged as no active contact', async () => {
    const leaver = await orgX.professional('Lena Vertrekt');
    expect((await t.register(orgX, leaver.email)).status).toBe(201);
    const done = await coordinator.client.post(`/organisatie/mensen/${leaver.id}/deactiveren`, {});
    expect(done.status).toBe(303);
    const [registration] = await t.deps.db.select().from(registrations).where(eq(registrations.professionalId, leaver.id));
    expect(registration?.status).toBe('active');
    const page = await coordinator.client.get('/organisatie');
    expect(page.html).toContain('geen actieve contactpersoon — draag de registraties over');
    expect(await lastAudit('professional.deactivate')).toMatchObject({
      outcome: 'success',
      targetUserId: leaver.id,
      actorRoles: 'professional,organisation_coordinator',
    });
  });
});

describe('registrations and transfer', () => {
  it("lists the organisation's registrations without subject data, filtered by professional", async () => {
    const p = await orgX.professional('Piet Registreert');
    const made = await t.register(orgX, p.email, { reference: 'DOS-2026-1' });
    expect(made.status).toBe(201);
    const page = await coordinator.client.get(`/organisatie/registraties?professional=${p.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('DOS-2026-1');
    expect(page.html).toContain('Piet Registreert');
    expect(page.html).toContain(made.body.id);
    expect(page.html).not.toMatch(/\b\d{9}\b/); // no BSN
    const other = await t.organisation();
    expect((await coordinator.client.get(`/organisatie/registraties?professional=${(await other.professional()).id}`)).status).toBe(200);
  });

  it('transfers one registration to an active colleague after a confirmation', async () => {
    const from = await orgX.professional('Van Een');
    const to = await orgX.professional('Naar Een');
    const made = await t.register(orgX, from.email);
    const confirm = await coordinator.client.get(`/organisatie/registraties/overdragen?van=${from.id}&registratie=${made.body.id}`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Naar Een');
    // Showing the colleagues to choose from is a read of people: audited.
    const listed = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'professional.list'));
    expect(listed.some((e) => e.detail?.purpose === 'colleagues' && e.detail?.organisationId === orgX.id)).toBe(true);
    const missing = await coordinator.client.post('/organisatie/registraties/overdragen', { van: from.id, registratie: made.body.id, naar: '' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('Kies een collega.');
    const done = await coordinator.client.post('/organisatie/registraties/overdragen', { van: from.id, registratie: made.body.id, naar: to.id });
    expect(done.status).toBe(303);
    const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, made.body.id));
    expect(row?.professionalId).toBe(to.id);
    const after = await coordinator.client.get(done.location!);
    expect(after.html).toContain('1 registratie(s) overgedragen.');
  });

  it("transfers all of a professional's registrations as a background job", async () => {
    const from = await orgX.professional('Van Alle');
    const to = await orgX.professional('Naar Alle');
    for (let i = 0; i < 3; i++) expect((await t.register(orgX, from.email)).status).toBe(201);
    const done = await coordinator.client.post('/organisatie/registraties/overdragen', { van: from.id, naar: to.id });
    expect(done.status).toBe(303);
    expect(done.location).toContain('taak=3');
    const page = await coordinator.client.get(done.location!);
    expect(page.html).toContain('De overdracht van 3 registratie(s) is gestart en loopt verder op de achtergrond');
    const jobs = await t.deps.db
      .select()
      .from(bulkJobs)
      .where(and(eq(bulkJobs.kind, 'transfer'), eq(bulkJobs.organisationId, orgX.id)));
    expect(jobs.length).toBeGreaterThan(0);
    const { runJobs } = await import('../../src/jobs/run-jobs.ts'); // after the app: the API's schemas extend zod first
    await runJobs(t.deps);
    const moved = await t.deps.db.select().from(registrations).where(eq(registrations.professionalId, to.id));
    expect(moved).toHaveLength(3);
  });

  it("refuses a colleague of another organisation, beside the choice; 404 for another organisation's professional", async () => {
    const from = await orgX.professional();
    await t.register(orgX, from.email);
    const stranger = await orgY.professional();
    const refused = await coordinator.client.post('/organisatie/registraties/overdragen', { van: from.id, naar: stranger.id });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Kies een collega uit deze organisatie.');
    const foreign = await coordinator.client.post('/organisatie/registraties/overdragen', { van: stranger.id, naar: from.id });
    expect(foreign.status).toBe(404);
  });
});
