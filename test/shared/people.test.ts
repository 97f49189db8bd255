/**
 * The municipal admin's people console (src/directory/people.ts, /beheer/mensen) on both
 * runtimes: list and search, invite (organisation people and the municipality's staff),
 * edit, roles with lock-out protection, deactivate (sessions end at once) and reactivate,
 * reset of the second factor (mailed; the next login enrols again), resend the invitation,
 * and the audit rows with the actor's roles.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { accountTokens, auditEvents, outbox, professionals, recoveryCodes, sessions } from '../../src/db/schema.ts';
import {
  changeRoles,
  deactivatePerson,
  getPerson,
  listPeople,
  reactivatePerson,
  reinvitePerson,
  resetSecondFactor,
  updatePerson,
} from '../../src/directory/people.ts';
import { MUNICIPALITY_ID } from '../../src/directory/roles.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import type { Role } from '../../src/vocabulary.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, logIn, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let admin: Awaited<ReturnType<typeof loggedInPerson>>;
let adminCtx: Ctx;

function ctxAs(id: string, roles: Role[], organisationId: string | null): Ctx {
  return { deps: t.deps, actor: { type: 'professional', id, organisationId, roles }, requestId: null, origin: null };
}

async function lastAudit(action: string) {
  const [row] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq)).limit(1);
  return row;
}

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  admin = await loggedInPerson(t, ['municipal_admin'], mailer);
  adminCtx = ctxAs(admin.professional.id, ['municipal_admin'], null);
});
afterAll(() => t.close());

describe('list and search', () => {
  it('lists people by name with organisation (or none), roles and status; filters and search; audited with the actor roles', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Zoekstad');
    const anna = await createNamed(org.id, 'Anna Zoekmans', ['professional']);
    await createNamed(org.id, 'Bert Zoekmans', ['professional', 'organisation_coordinator']);
    const auditor = await t.person(['auditor']);

    const all = await listPeople(adminCtx, { search: 'zoekmans' });
    expect(all.items.map((p) => p.name)).toEqual(['Anna Zoekmans', 'Bert Zoekmans']);
    expect(all.items[0]).toMatchObject({ organisationId: org.id, organisationName: 'Jeugdhulp Zoekstad', roles: ['professional'], active: true });
    expect(all.items[1]!.roles).toEqual(['professional', 'organisation_coordinator']);

    const coordinators = await listPeople(adminCtx, { organisationId: org.id, role: 'organisation_coordinator' });
    expect(coordinators.items.map((p) => p.name)).toEqual(['Bert Zoekmans']);
    // Logging in (here: the first time, through enrolment) is the "last login".
    expect((await getPerson(adminCtx, { professionalId: admin.professional.id })).lastLoginAt).toBeInstanceOf(Date);
    expect(all.items[0]!.lastLoginAt).toBeNull();

    const staff = await listPeople(adminCtx, { organisationId: MUNICIPALITY_ID });
    const asListed = staff.items.find((p) => p.id === auditor.id)!;
    expect(asListed).toMatchObject({ organisationId: null, organisationName: null, roles: ['auditor'] });

    await deactivatePerson(adminCtx, { professionalId: anna.id });
    expect((await listPeople(adminCtx, { search: 'zoekmans', active: true })).items.map((p) => p.name)).toEqual(['Bert Zoekmans']);
    expect((await listPeople(adminCtx, { search: 'zoekmans', active: false })).items.map((p) => p.name)).toEqual(['Anna Zoekmans']);

    // A search pattern's wildcards are literal.
    expect((await listPeople(adminCtx, { search: '%' })).items).toEqual([]);

    const audit = await lastAudit('professional.list');
    expect(audit).toMatchObject({ outcome: 'success', actorId: admin.professional.id, actorRoles: 'municipal_admin' });
    expect(JSON.stringify(audit?.detail)).not.toContain('zoekmans');
  });

  it('pages through the list with a cursor', async () => {
    const org = await t.organisation();
    for (let i = 0; i < 5; i++) await createNamed(org.id, `Pagina ${i}`, ['professional']);
    const first = await listPeople(adminCtx, { organisationId: org.id, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.total).toBe(5);
    const second = await listPeople(adminCtx, { organisationId: org.id, limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((p) => p.name)).toEqual(['Pagina 3', 'Pagina 4']);
    expect(second.nextCursor).toBeNull();
  });

  it('shows the list page with Dutch role labels, and refuses it to a professional', async () => {
    const org = await t.organisation('youth_care', 'Lijst Organisatie');
    await createNamed(org.id, 'Carla Lijstmans', ['organisation_coordinator']);
    const page = await admin.client.get('/beheer/mensen?zoek=lijstmans');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Carla Lijstmans');
    expect(page.html).toContain('Contactpersoon organisatie');
    expect(page.html).toContain('Lijst Organisatie');
    expect(page.html).toContain('<caption');

    const professional = await loggedInPerson(t, ['professional'], mailer, org.id);
    expect((await professional.client.get('/beheer/mensen')).status).toBe(403);
  });
});

describe('invite', () => {
  it('invites an organisation professional from the page: 303 to the detail, the invitation mail queued, audited', async () => {
    const org = await t.organisation('district_team', 'Wijkteam Uitnodig');
    const done = await admin.client.post('/beheer/mensen/nieuw', {
      name: 'Dirk Nieuw',
      email: 'Dirk.Nieuw@example.org',
      phone: '',
      organisationId: org.id,
      'role-professional': 'ja',
    });
    expect(done.status).toBe(303);
    const id = /\/beheer\/mensen\/([^?]+)\?gedaan=uitgenodigd/.exec(done.location ?? '')![1]!;
    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.id, id));
    expect(row).toMatchObject({ email: 'dirk.nieuw@example.org', organisationId: org.id });
    const mail = await t.deps.db.select().from(outbox).where(eq(outbox.recipientProfessionalId, id));
    expect(mail.map((m) => m.template)).toEqual(['invitation']);
    const detail = await admin.client.get(done.location!);
    expect(detail.html).toContain('Dirk Nieuw');
    expect(detail.html).toContain('uitnodiging per e-mail');
    expect(await lastAudit('professional.create')).toMatchObject({ targetUserId: id, actorRoles: 'municipal_admin' });
  });

  it("invites the municipality's staff without an organisation", async () => {
    const done = await admin.client.post('/beheer/mensen/nieuw', { name: 'Els Auditor', email: 'els@example.org', organisationId: '', 'role-auditor': 'ja' });
    expect(done.status).toBe(303);
    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.email, 'els@example.org'));
    expect(row?.organisationId).toBe(MUNICIPALITY_ID);
  });

  it('shows errors beside the fields: missing name, no role, a taken address, mixed roles', async () => {
    const org = await t.organisation();
    const empty = await admin.client.post('/beheer/mensen/nieuw', { name: '', email: 'x@example.org', organisationId: org.id });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('Vul de naam in.');
    expect(empty.html).toContain('Kies ten minste één rol.');
    expect(empty.html).toContain('value="x@example.org"');
    expect(await lastAudit('professional.create')).toMatchObject({ outcome: 'invalid', actorId: admin.professional.id });

    const taken = await admin.client.post('/beheer/mensen/nieuw', {
      name: 'Dubbel',
      email: admin.professional.email,
      organisationId: org.id,
      'role-professional': 'ja',
    });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('Dit e-mailadres is al in gebruik.');

    const mixed = await admin.client.post('/beheer/mensen/nieuw', {
      name: 'Gemengd',
      email: 'gemengd@example.org',
      organisationId: org.id,
      'role-professional': 'ja',
      'role-auditor': 'ja',
    });
    expect(mixed.status).toBe(422);
    expect(mixed.html).toContain('Combineer geen rollen');
  });
});

describe('edit and roles', () => {
  it('edits name, email and phone; a taken email is refused; audited with the changed fields only', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const page = await admin.client.post(`/beheer/mensen/${p.id}/bewerken`, { name: 'Nieuwe Naam', email: 'nieuwe.naam@example.org', phone: '06-12345678' });
    expect(page.status).toBe(303);
    const view = await getPerson(adminCtx, { professionalId: p.id });
    expect(view).toMatchObject({ name: 'Nieuwe Naam', email: 'nieuwe.naam@example.org', phone: '06-12345678' });
    const audit = await lastAudit('professional.update');
    expect(audit?.detail).toMatchObject({ changed: 'name,email,phone' });
    expect(JSON.stringify(audit)).not.toContain('Nieuwe Naam');

    const taken = await admin.client.post(`/beheer/mensen/${p.id}/bewerken`, { name: 'Nieuwe Naam', email: admin.professional.email, phone: '' });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('Dit e-mailadres is al in gebruik.');
    await expect(updatePerson(adminCtx, { professionalId: p.id, email: admin.professional.email })).rejects.toMatchObject({ code: 'conflict' });
  });

  it("changes roles within a side; municipal roles not for an organisation's people", async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const done = await admin.client.post(`/beheer/mensen/${p.id}/rollen`, { 'role-professional': 'ja', 'role-organisation_coordinator': 'ja' });
    expect(done.status).toBe(303);
    expect((await getPerson(adminCtx, { professionalId: p.id })).roles).toEqual(['professional', 'organisation_coordinator']);
    expect(await lastAudit('professional.roles')).toMatchObject({
      outcome: 'success',
      detail: { from: 'professional', to: 'professional,organisation_coordinator' },
    });

    await expect(changeRoles(adminCtx, { professionalId: p.id, roles: ['auditor'] })).rejects.toMatchObject({ code: 'invalid_input' });
    const monitor = await t.person(['match_monitor']);
    await changeRoles(adminCtx, { professionalId: monitor.id, roles: ['match_monitor', 'auditor'] });
    expect((await getPerson(adminCtx, { professionalId: monitor.id })).roles).toEqual(['match_monitor', 'auditor']);
  });

  it('an admin cannot remove their own municipal_admin role (lock-out), shown beside the field', async () => {
    const page = await admin.client.post(`/beheer/mensen/${admin.professional.id}/rollen`, { 'role-auditor': 'ja' });
    expect(page.status).toBe(422);
    expect(page.html).toContain('U kunt deze rol niet bij uzelf intrekken');
    expect((await getPerson(adminCtx, { professionalId: admin.professional.id })).roles).toEqual(['municipal_admin']);
    expect(await lastAudit('professional.roles')).toMatchObject({ outcome: 'invalid', detail: { reason: 'self_lockout' } });
  });
});

describe('deactivate and reactivate', () => {
  it('ends an existing web session at once: the next page request goes to the login page; login is refused', async () => {
    const org = await t.organisation();
    const person = await loggedInPerson(t, ['professional'], mailer, org.id);
    expect((await person.client.get('/registrations')).status).toBe(200);

    const confirm = await admin.client.get(`/beheer/mensen/${person.professional.id}/deactiveren`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Ja, deactiveren');
    const done = await admin.client.post(`/beheer/mensen/${person.professional.id}/deactiveren`, {});
    expect(done.status).toBe(303);

    const next = await person.client.get('/registrations');
    expect(next.status).toBe(303);
    expect(next.location).toMatch(/^\/login/);
    const open = await t.deps.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.professionalId, person.professional.id)));
    expect(open.every((s) => s.endedAt !== null)).toBe(true);
    const refused = await new WebClient(t).post('/login', { email: person.professional.email, password: person.password });
    expect(refused.status).not.toBe(303);

    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.id, person.professional.id));
    expect(row).toMatchObject({ active: false });
    expect(row?.deactivatedAt).toBeInstanceOf(Date);
    expect(await lastAudit('professional.deactivate')).toMatchObject({
      outcome: 'success',
      targetUserId: person.professional.id,
      actorRoles: 'municipal_admin',
    });

    await reactivatePerson(adminCtx, { professionalId: person.professional.id });
    clock.advance(60_000);
    expect((await logIn(t, person)).cookies.size).toBeGreaterThan(0);
  });

  it('an admin cannot deactivate themselves', async () => {
    await expect(deactivatePerson(adminCtx, { professionalId: admin.professional.id })).rejects.toMatchObject({ code: 'conflict' });
    const page = await admin.client.post(`/beheer/mensen/${admin.professional.id}/deactiveren`, {});
    expect(page.status).toBe(409);
  });
});

describe('second factor and invitation', () => {
  it('reset: the authenticator and recovery codes are forgotten, sessions end, the person is mailed (no token), the next login enrols again', async () => {
    const org = await t.organisation();
    const person = await loggedInPerson(t, ['professional'], mailer, org.id);
    const done = await admin.client.post(`/beheer/mensen/${person.professional.id}/tweede-factor`, {});
    expect(done.status).toBe(303);
    expect((await person.client.get('/registrations')).status).toBe(303);

    const [row] = await t.deps.db.select().from(professionals).where(eq(professionals.id, person.professional.id));
    expect(row).toMatchObject({ totpSecret: null, totpConfirmedAt: null });
    expect(await t.deps.db.select().from(recoveryCodes).where(eq(recoveryCodes.professionalId, person.professional.id))).toEqual([]);

    await drainOutbox(t.deps);
    const mail = mailer.sent.findLast((m) => m.to === person.professional.email)!;
    expect(mail.subject).toBe('Betrokken: tweede stap van het inloggen opnieuw ingesteld');
    expect(mail.text).not.toContain('token=');

    const client = new WebClient(t);
    const login = await client.post('/login', { email: person.professional.email, password: person.password });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/login/enrol');
    expect(await lastAudit('professional.reset_second_factor')).toMatchObject({ outcome: 'success', targetUserId: person.professional.id });
  });

  it('resends the invitation only before activation: a new link, the old one void', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    await reinvitePerson(adminCtx, { professionalId: p.id });
    const first = await t.deps.db.select().from(accountTokens).where(eq(accountTokens.professionalId, p.id));
    expect(first).toHaveLength(1);
    const page = await admin.client.post(`/beheer/mensen/${p.id}/uitnodiging`, {});
    expect(page.status).toBe(303);
    const tokens = await t.deps.db.select().from(accountTokens).where(eq(accountTokens.professionalId, p.id));
    expect(tokens).toHaveLength(2);
    expect(tokens.filter((token) => token.usedAt === null)).toHaveLength(1);
    expect(tokens.find((token) => token.id === first[0]!.id)?.usedAt).not.toBeNull();

    await expect(reinvitePerson(adminCtx, { professionalId: admin.professional.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a professional may not use these verbs at all (audited denial)', async () => {
    const org = await t.organisation();
    const p = await org.professional();
    const ctx = ctxAs(p.id, ['professional'], org.id);
    await expect(listPeople(ctx, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(resetSecondFactor(ctx, { professionalId: p.id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await lastAudit('professional.reset_second_factor')).toMatchObject({ outcome: 'denied', actorId: p.id, actorRoles: 'professional' });
  });
});

async function createNamed(organisationId: string, name: string, roles: Role[]) {
  const { createPerson } = await import('../../src/directory/directory.ts');
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Math.random().toString(36).slice(2, 8)}@example.org`;
  return createPerson(t.operator, { organisationId, name, email, roles, invite: false });
}

describe('no one takes over or widens their own reach', () => {
  it('a new login address ends the sessions, voids open links and tells the old address', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Adres');
    const account = await loggedInPerson(t, ['professional'], mailer, org.id);
    const coordinatorCtx = ctxAs((await t.person(['organisation_coordinator'], org.id)).id, ['organisation_coordinator'], org.id);
    const { inviteProfessional } = await import('../../src/auth/account-tokens.ts');
    await inviteProfessional(t.operator, { professionalId: account.professional.id }); // an open link sent to the old address
    await updatePerson(coordinatorCtx, { professionalId: account.professional.id, email: 'nieuw.adres@example.org' });
    expect((await account.client.get('/')).location).toMatch(/^\/login/);
    const open = await t.deps.db.select().from(accountTokens).where(eq(accountTokens.professionalId, account.professional.id));
    expect(open.every((token) => token.usedAt !== null)).toBe(true);
    await drainOutbox(t.deps);
    const told = mailer.sent.findLast((m) => m.to === account.professional.email);
    expect(told?.subject).toBe('Betrokken: uw e-mailadres is gewijzigd');
  });

  it('nobody gives themselves a role; municipal_admin and auditor are never one person', async () => {
    await expect(changeRoles(adminCtx, { professionalId: admin.professional.id, roles: ['municipal_admin', 'match_monitor'] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const other = await t.person(['municipal_admin']);
    await expect(changeRoles(adminCtx, { professionalId: other.id, roles: ['municipal_admin', 'auditor'] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await changeRoles(adminCtx, { professionalId: other.id, roles: ['municipal_admin', 'match_monitor'] })).toEqual({
      roles: ['match_monitor', 'municipal_admin'],
    });
  });

  it('only the admin reactivates: a coordinator cannot undo a deactivation', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Terug');
    const person = await t.person(['professional'], org.id);
    const coordinatorCtx = ctxAs((await t.person(['organisation_coordinator'], org.id)).id, ['organisation_coordinator'], org.id);
    await deactivatePerson(adminCtx, { professionalId: person.id });
    await expect(reactivatePerson(coordinatorCtx, { professionalId: person.id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await reactivatePerson(adminCtx, { professionalId: person.id })).toEqual({ changed: true });
  });

  it('an API client cannot register in the name of someone without the professional role', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Rol');
    const coordinatorOnly = await t.person(['organisation_coordinator'], org.id);
    const refused = await t.register(org, coordinatorOnly.email);
    expect(refused.status).toBe(403);
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'registration.create'), eq(auditEvents.outcome, 'denied')))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(row!.detail).toMatchObject({ reason: 'professional_not_in_organisation' });
  });
});
