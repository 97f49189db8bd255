/**
 * The beheer console's organisations and API clients (municipal admin), in process on both
 * runtimes: search, filters and pages; create and edit with the one-name rule; the
 * deactivation confirmation with its count; API tokens shown once and refused at once after
 * revoking; other roles refused; every read and change audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../src/directory/directory.ts';
import { listOrganisations, updateOrganisation } from '../../src/directory/organisations.ts';
import { listApiClients, revokeApiClient } from '../../src/directory/api-clients.ts';
import { MUNICIPALITY_ID } from '../../src/directory/roles.ts';
import { apiClients, auditEvents, organisations } from '../../src/db/schema.ts';
import type { Ctx } from '../../src/context.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { loggedInPerson, loggedInProfessional, type WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;
let admin: { client: WebClient; professional: { id: string } };

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  admin = await loggedInPerson(t, ['municipal_admin'], mailer);
});
afterAll(() => t.close());

const auditRows = (action: string) =>
  t.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action)));

const adminCtx = (): Ctx => ({
  deps: t.deps,
  actor: { type: 'professional', id: admin.professional.id, organisationId: null, roles: ['municipal_admin'] },
  requestId: null,
  origin: 'test',
});

/** The names in the list page's table, in order. */
function listedNames(html: string): string[] {
  return [...html.matchAll(/<a class="utrecht-link" href="\/beheer\/organisaties\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

describe('organisations: list, search, filters, pages', () => {
  beforeAll(async () => {
    await createOrganisation(t.operator, { name: 'Jeugdhulp Noord', sector: 'youth_care' });
    await createOrganisation(t.operator, { name: 'Stichting JEUGDHULP Zuid', sector: 'youth_care' });
    await createOrganisation(t.operator, { name: 'Basisschool De Linde', sector: 'education' });
  });

  it('searches by part of the name, case-insensitively, and never lists the municipality', async () => {
    const page = await admin.client.get('/beheer/organisaties?q=jeugdhulp');
    expect(page.status).toBe(200);
    expect(listedNames(page.html)).toEqual(['Jeugdhulp Noord', 'Stichting JEUGDHULP Zuid']);
    const all = await admin.client.get('/beheer/organisaties');
    expect(all.html).not.toContain('Gemeente (eigen medewerkers)');
    expect(all.html).not.toContain(MUNICIPALITY_ID);
    const everything = await listOrganisations(t.operator, { pageSize: 1000 });
    expect(everything.items.map((o) => o.id)).not.toContain(MUNICIPALITY_ID);
  });

  it('filters by sector and by active', async () => {
    const education = await admin.client.get('/beheer/organisaties?sector=education');
    expect(listedNames(education.html)).toEqual(['Basisschool De Linde']);
    const [linde] = (await listOrganisations(t.operator, { search: 'Linde' })).items;
    await t.deps.db.update(organisations).set({ active: false }).where(eq(organisations.id, linde!.id));
    const inactive = await admin.client.get('/beheer/organisaties?actief=nee');
    expect(listedNames(inactive.html)).toEqual(['Basisschool De Linde']);
    const active = await admin.client.get('/beheer/organisaties?actief=ja&sector=education');
    expect(listedNames(active.html)).toEqual([]);
    expect(active.html).toContain('Geen organisaties gevonden.');
    // A value outside the lists is ignored, not an error.
    const odd = await admin.client.get('/beheer/organisaties?sector=bakery&actief=misschien&pagina=-3');
    expect(odd.status).toBe(200);
  });

  it('shows 25 a page, with a link to the next', async () => {
    for (let i = 1; i <= 26; i++) await createOrganisation(t.operator, { name: `Paginatest ${String(i).padStart(2, '0')}`, sector: 'other' });
    const first = await admin.client.get('/beheer/organisaties?q=paginatest');
    expect(listedNames(first.html)).toHaveLength(25);
    expect(listedNames(first.html)[0]).toBe('Paginatest 01');
    expect(first.html).toContain('pagina 1 van 2');
    expect(first.html).toContain('href="/beheer/organisaties?q=paginatest&amp;pagina=2"');
    const second = await admin.client.get('/beheer/organisaties?q=paginatest&pagina=2');
    expect(listedNames(second.html)).toEqual(['Paginatest 26']);
    expect(second.html).toContain('Vorige pagina');
  });

  it('audits every list with its filter as facts (not the search text)', async () => {
    const rows = await auditRows('organisation.list');
    const mine = rows.filter((r) => r.actorId === admin.professional.id);
    expect(mine.length).toBeGreaterThanOrEqual(6);
    expect(mine.every((r) => r.outcome === 'success' && r.actorRoles === 'municipal_admin')).toBe(true);
    expect(mine.some((r) => r.detail?.searched === true && r.detail?.sector === null)).toBe(true);
    expect(JSON.stringify(mine.map((r) => r.detail))).not.toContain('jeugdhulp');
  });
});

describe('organisations: create, detail, edit', () => {
  let id: string;

  it('creates one and shows it (Post/Redirect/Get)', async () => {
    const form = await admin.client.get('/beheer/organisaties/nieuw');
    expect(form.html).toContain('<label class="utrecht-form-label" for="veld-name">');
    const created = await admin.client.post('/beheer/organisaties/nieuw', { name: 'GGZ Rijnmond', sector: 'mental_health' });
    expect(created.status).toBe(303);
    const match = /^\/beheer\/organisaties\/([0-9a-f-]{36})\?toegevoegd=1$/.exec(created.location!);
    expect(match).not.toBeNull();
    id = match![1]!;
    const detail = await admin.client.get(created.location!);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('<h1 class="utrecht-heading-1">GGZ Rijnmond</h1>');
    expect(detail.html).toContain('De organisatie is toegevoegd.');
    expect(detail.html).toContain('GGZ');
    const [row] = await auditRows('organisation.create').then((rows) => rows.filter((r) => r.detail?.organisationId === id));
    expect(row).toMatchObject({ outcome: 'success', actorId: admin.professional.id });
    expect((await auditRows('organisation.read')).some((r) => r.detail?.organisationId === id)).toBe(true);
  });

  it('refuses the same name in other letters beside the name field, audited', async () => {
    const again = await admin.client.post('/beheer/organisaties/nieuw', { name: '  ggz rijnmond ', sector: 'hospital' });
    expect(again.status).toBe(409);
    expect(again.html).toMatch(/id="veld-name-fout"[^>]*>.*Er is al een organisatie met deze naam/s);
    expect(again.html).toContain('aria-invalid="true"');
    const refused = (await auditRows('organisation.create')).filter((r) => r.outcome === 'invalid');
    expect(refused).toHaveLength(1);
    expect(await t.deps.db.select().from(organisations).where(eq(organisations.sector, 'hospital'))).toHaveLength(0);
  });

  it('refuses an empty name and a missing sector beside their fields', async () => {
    const bad = await admin.client.post('/beheer/organisaties/nieuw', { name: ' ', sector: '' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('id="veld-name-fout"');
    expect(bad.html).toContain('id="veld-sector-fout"');
    expect(bad.html).toContain('Kies een sector.');
  });

  it('edits name, sector and convenant; the same name rule applies', async () => {
    const form = await admin.client.get(`/beheer/organisaties/${id}/bewerken`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="GGZ Rijnmond"');
    const saved = await admin.client.post(`/beheer/organisaties/${id}/bewerken`, {
      name: 'GGZ Rijnmond-Zuid',
      sector: 'mental_health',
      convenantSignedOn: '2026-03-01',
      convenantStatus: 'pending',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/beheer/organisaties/${id}?gewijzigd=1`);
    const [row] = await t.deps.db.select().from(organisations).where(eq(organisations.id, id));
    expect(row).toMatchObject({ name: 'GGZ Rijnmond-Zuid', convenantSignedOn: '2026-03-01', convenantStatus: 'pending' });
    const detail = await admin.client.get(saved.location!);
    expect(detail.html).toContain('In voorbereiding, ondertekend op 1 maart 2026');
    const update = (await auditRows('organisation.update')).find((r) => r.detail?.organisationId === id && r.outcome === 'success');
    expect(update?.detail).toMatchObject({ fields: 'name,convenantSignedOn,convenantStatus' });

    const taken = await admin.client.post(`/beheer/organisaties/${id}/bewerken`, {
      name: 'JEUGDHULP NOORD',
      sector: 'mental_health',
      convenantSignedOn: '',
      convenantStatus: 'signed',
    });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('id="veld-name-fout"');
    const badDate = await admin.client.post(`/beheer/organisaties/${id}/bewerken`, {
      name: 'GGZ Rijnmond-Zuid',
      sector: 'mental_health',
      convenantSignedOn: '2026-02-30',
      convenantStatus: 'ended',
    });
    expect(badDate.status).toBe(422);
    expect(badDate.html).toContain('id="veld-convenantSignedOn-fout"');
    const [unchanged] = await t.deps.db.select().from(organisations).where(eq(organisations.id, id));
    expect(unchanged).toMatchObject({ name: 'GGZ Rijnmond-Zuid', convenantStatus: 'pending' });
    // Keeping its own name (in other letters) is not a clash with itself.
    await expect(updateOrganisation(t.operator, { organisationId: id, name: 'ggz rijnmond-zuid' })).resolves.toMatchObject({ name: 'ggz rijnmond-zuid' });
  });

  it('answers 404 for a malformed id, an unknown id and the municipality', async () => {
    for (const path of [
      '/beheer/organisaties/not-a-uuid',
      `/beheer/organisaties/${crypto.randomUUID()}`,
      `/beheer/organisaties/${MUNICIPALITY_ID}`,
      `/beheer/organisaties/${MUNICIPALITY_ID}/bewerken`,
      `/beheer/organisaties/${MUNICIPALITY_ID}/deactiveren`,
    ]) {
      expect((await admin.client.get(path)).status, path).toBe(404);
    }
    const edit = await admin.client.post(`/beheer/organisaties/${MUNICIPALITY_ID}/bewerken`, {
      name: 'Gemeente',
      sector: 'other',
      convenantSignedOn: '',
      convenantStatus: 'signed',
    });
    expect(edit.status).toBe(404);
  });
});

describe('organisations: deactivating', () => {
  it('confirms with the number of active registrations and the choice of reason, then waits for a second admin', async () => {
    const org = await t.organisation('district_team', 'Wijkteam Oost');
    const prof = await org.professional();
    for (let i = 0; i < 3; i++) expect((await t.register(org, prof.email, { bsn: randomBsn() })).status).toBe(201);
    const confirm = await admin.client.get(`/beheer/organisaties/${org.id}/deactiveren`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('3 actieve registraties');
    expect(confirm.html).toContain('name="reason" value="resolved"');
    expect(confirm.html).toContain('name="reason" value="unjustified"');

    const noReason = await admin.client.post(`/beheer/organisaties/${org.id}/deactiveren`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('3 actieve registraties');
    expect((await t.deps.db.select().from(organisations).where(eq(organisations.id, org.id)))[0]!.active).toBe(true);

    const done = await admin.client.post(`/beheer/organisaties/${org.id}/deactiveren`, { reason: 'resolved' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/beheer/organisaties/${org.id}?gedeactiveerd=taak`);
    const detail = await admin.client.get(done.location!);
    expect(detail.html).toContain('wacht op de goedkeuring van een tweede beheerder');
    expect(detail.html).toContain('href="/beheer/taken"');
    expect(detail.html).not.toContain('Organisatie deactiveren');
    // Deactivated: the confirmation page is gone.
    expect((await admin.client.get(`/beheer/organisaties/${org.id}/deactiveren`)).status).toBe(303);
    const inactive = await admin.client.get('/beheer/organisaties?actief=nee&q=wijkteam');
    expect(listedNames(inactive.html)).toEqual(['Wijkteam Oost']);
  });
});

describe('API clients', () => {
  it('lists clients without tokens or hashes', async () => {
    const org = await t.organisation('police', 'Politie Eenheid');
    const [client] = await t.deps.db.select().from(apiClients).where(eq(apiClients.organisationId, org.id));
    const page = await admin.client.get(`/beheer/api-koppelingen?organisatie=${org.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('API-koppelingen van Politie Eenheid');
    expect(page.html).toContain('Test CMS');
    expect(page.html).not.toContain(org.token);
    expect(page.html).not.toContain(client!.tokenHash);
    expect(JSON.stringify(await listApiClients(t.operator, { organisationId: org.id }))).not.toContain(client!.tokenHash);
    expect((await auditRows('api_client.list')).some((r) => r.actorId === admin.professional.id)).toBe(true);
  });

  it('creates a client, shows its token once, and a revoked token is refused at once', async () => {
    const org = await t.organisation('hospital', 'Ziekenhuis Centrum');
    const prof = await org.professional();
    const form = await admin.client.get(`/beheer/api-koppelingen/nieuw?organisatie=${org.id}`);
    expect(form.html).toMatch(new RegExp(`<option value="${org.id}" selected`));
    const bad = await admin.client.post('/beheer/api-koppelingen/nieuw', { organisationId: org.id, name: 'EPD', rateLimitPerMinute: 'veel' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('id="veld-rateLimitPerMinute-fout"');
    // Post/Redirect/Get: the token is on the page after the redirect, once.
    const created = await admin.client.submit('/beheer/api-koppelingen/nieuw', { organisationId: org.id, name: 'EPD', rateLimitPerMinute: '' });
    expect(created.posted.status).toBe(303);
    expect(created.response.headers.get('cache-control')).toBe('no-store');
    const token = /<code class="betrokken-secret">(btk_[A-Za-z0-9_-]{43})<\/code>/.exec(created.html)![1]!;
    expect((await admin.client.get('/beheer/api-koppelingen/aangemaakt')).html).not.toContain(token);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const register = () =>
      t.app.request('/api/v1/registrations', {
        method: 'POST',
        headers,
        body: JSON.stringify({ bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: prof.email, criterionConfirmed: true }),
      });
    expect((await register()).status).toBe(201);

    const [client] = await t.deps.db
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.organisationId, org.id), eq(apiClients.name, 'EPD')));
    const list = await admin.client.get('/beheer/api-koppelingen');
    expect(list.html).not.toContain(token);
    expect(list.html).toContain(`/beheer/api-koppelingen/${client!.id}/intrekken`);
    const confirm = await admin.client.get(`/beheer/api-koppelingen/${client!.id}/intrekken`);
    expect(confirm.html).toContain('Ja, intrekken');
    const revoked = await admin.client.post(`/beheer/api-koppelingen/${client!.id}/intrekken`, {});
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe('/beheer/api-koppelingen?ingetrokken=1');
    expect((await register()).status).toBe(401);
    expect((await auditRows('api_client.revoke')).filter((r) => r.detail?.apiClientId === client!.id && r.outcome === 'success')).toHaveLength(1);
    // Revoking again changes nothing.
    await expect(revokeApiClient(adminCtx(), { apiClientId: client!.id })).resolves.toEqual({ id: client!.id, alreadyRevoked: true });
    // The organisation's other client still works.
    expect((await t.register(org, prof.email)).status).toBe(201);
  });

  it('refuses a deactivated organisation beside the field, and 404 for unknown clients', async () => {
    const org = await t.organisation('other', 'Opgeheven');
    await t.deps.db.update(organisations).set({ active: false }).where(eq(organisations.id, org.id));
    const refused = await admin.client.post('/beheer/api-koppelingen/nieuw', { organisationId: org.id, name: 'X', rateLimitPerMinute: '' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Kies een actieve organisatie.');
    expect((await admin.client.get(`/beheer/api-koppelingen/${crypto.randomUUID()}/intrekken`)).status).toBe(404);
    expect((await admin.client.post('/beheer/api-koppelingen/nope/intrekken', {})).status).toBe(404);
  });
});

describe('other roles', () => {
  it('are refused (403) on every organisation and API client page, audited', async () => {
    const org = await t.organisation('education', 'School Rolcheck');
    const people = [
      (await loggedInProfessional(t, org, mailer)).client,
      (await loggedInPerson(t, ['organisation_coordinator'], mailer, org.id)).client,
      (await loggedInPerson(t, ['auditor'], mailer)).client,
      (await loggedInPerson(t, ['match_monitor'], mailer)).client,
    ];
    const [client] = await t.deps.db.select().from(apiClients).where(eq(apiClients.organisationId, org.id));
    const before = (await auditRows('access.denied')).length;
    for (const person of people) {
      expect((await person.get('/beheer/organisaties')).status).toBe(403);
      expect((await person.get(`/beheer/organisaties/${org.id}`)).status).toBe(403);
      expect((await person.post('/beheer/organisaties/nieuw', { name: 'Inbraak', sector: 'other' })).status).toBe(403);
      expect((await person.post(`/beheer/organisaties/${org.id}/bewerken`, { name: 'X', sector: 'other' })).status).toBe(403);
      expect((await person.post(`/beheer/organisaties/${org.id}/deactiveren`, { reason: 'unjustified' })).status).toBe(403);
      expect((await person.get('/beheer/api-koppelingen')).status).toBe(403);
      expect((await person.post(`/beheer/api-koppelingen/${client!.id}/intrekken`, {})).status).toBe(403);
    }
    expect((await auditRows('access.denied')).length - before).toBe(people.length * 7);
    const [still] = await t.deps.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(still).toMatchObject({ name: 'School Rolcheck', active: true });
    expect((await t.deps.db.select().from(apiClients).where(eq(apiClients.id, client!.id)))[0]!.active).toBe(true);
  });

  it('the verbs refuse them too, audited', async () => {
    const org = await t.organisation();
    const coordinator: Ctx = {
      ...adminCtx(),
      actor: { type: 'professional', id: crypto.randomUUID(), organisationId: org.id, roles: ['organisation_coordinator'] },
    };
    await expect(listOrganisations(coordinator)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateOrganisation(coordinator, { organisationId: org.id, name: 'Overgenomen' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listApiClients(coordinator, { organisationId: org.id })).rejects.toMatchObject({ code: 'forbidden' });
    const denied = (await auditRows('organisation.update')).filter((r) => r.outcome === 'denied');
    expect(denied).toHaveLength(1);
  });
});
