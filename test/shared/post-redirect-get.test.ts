/**
 * Post/Redirect/Get on every page form (issue 13): a POST that succeeds answers 303 to a
 * page, so a refresh never posts again. The list of routes comes from the pages' access
 * tables (WEB_ACCESS): a new POST route without a case below fails this suite. Each case
 * sets up what makes its request succeed and returns the request; the suite posts it and
 * expects 303 with a local Location. The one-time content after the redirect (shown once,
 * not on reload) is tested beside each flow (web.test.ts, account-links.test.ts) and below.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import type { Ctx } from '../../src/context.ts';
import { auditChecks, outbox, rightsRequestItems } from '../../src/db/schema.ts';
import { deactivateOrganisation } from '../../src/directory/deactivate-organisation.ts';
import { createApiClient, createPerson } from '../../src/directory/directory.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { followUp } from '../../src/jobs/follow-up.ts';
import { proposeDeathConfirmation, reportDeath } from '../../src/registry/death.ts';
import { decideRightsItem } from '../../src/rights/decide.ts';
import { openRightsRequest } from '../../src/rights/requests.ts';
import { WEB_ACCESS } from '../../src/routes/web/index.ts';
import type { Role } from '../../src/vocabulary.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { activateAndLogIn, inputValue, loggedInPerson, totpCode, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
const TODAY = '2026-12-15';
const BIRTH = '2012-05-17';
let t: TestContext;

type Account = Awaited<ReturnType<typeof activateAndLogIn>>;
interface Request {
  client: WebClient;
  path: string;
  form?: Record<string, string>;
}

/** Everyone the cases act as, and the escalated matches the monitor's cases need. */
let orgP: TestOrganisation;
let orgQ: TestOrganisation;
let admin1: Account;
let admin2: Account;
let monitor: Account;
let auditor: Account;
let coordinator: Account;
let p: Account;
let q: Account;
let extendable: string;
const escalated: { matchId: string; pRegistration: string }[] = [];

const asAdmin = (account: Account): Ctx => ({
  deps: t.deps,
  actor: { type: 'professional', id: account.professional.id, organisationId: null, roles: ['municipal_admin'] },
  requestId: null,
  origin: null,
});
const asMember = (account: Account, org: TestOrganisation): Ctx => ({
  deps: t.deps,
  actor: { type: 'professional', id: account.professional.id, organisationId: org.id, roles: ['professional'] },
  requestId: null,
  origin: null,
});

async function registered(org: TestOrganisation, email: string, bsn = randomBsn()) {
  const { status, body } = await t.register(org, email, { bsn, birthDate: BIRTH });
  expect(status).toBe(201);
  return body as { id: string; matchId: string | null };
}

/** A match between P (orgP) and Q (orgQ), both youth care: either may coordinate. */
async function match() {
  const bsn = randomBsn();
  const mine = await registered(orgP, p.professional.email, bsn);
  const theirs = await registered(orgQ, q.professional.email, bsn);
  return { matchId: theirs.matchId!, pRegistration: mine.id };
}

/** A person who accepted the invitation but has not yet logged in: the next login enrols. */
async function activatedOnly(roles: Role[] = ['professional']) {
  const person = await t.person(roles, orgP.id);
  await inviteProfessional(t.operator, { professionalId: person.id });
  await drainOutbox(t.deps);
  const text = mailer.sent.findLast((m) => m.to === person.email)!.text;
  const link = new URL(/https?:\/\/\S+\/account\/activate\?token=\S+/.exec(text)![0]);
  const client = new WebClient(t);
  const password = 'een lange zin als wachtwoord';
  const token = inputValue((await client.get(`${link.pathname}${link.search}`)).html, 'token')!;
  return { client, person, password, token };
}

async function atEnrolment() {
  const { client, person, password, token } = await activatedOnly();
  await client.post('/account/activate', { token, password, confirm: password });
  expect((await client.post('/login', { email: person.email, password })).location).toBe('/login/enrol');
  return client;
}

/** The values a page's form would post as it is (text, hidden and checked inputs). */
function formAsShown(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)![1]!;
  const values: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (!name) continue;
    const type = /type="([^"]+)"/.exec(input)?.[1] ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(input)) continue;
    values[name] = (/value="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&');
  }
  return values;
}

async function person(roles: Role[] = ['professional'], organisationId: string | undefined = orgP.id) {
  return t.person(roles, organisationId);
}

async function deathReport() {
  const r = await registered(orgP, p.professional.email);
  return (await reportDeath(asMember(p, orgP), { registrationId: r.id })).id;
}

async function rightsRequest(kind: 'objection' | 'erasure' = 'objection') {
  const bsn = randomBsn();
  const r = await registered(orgP, p.professional.email, bsn);
  const n = String(Math.floor(Math.random() * 9000) + 1000);
  const opened = await openRightsRequest(asAdmin(admin1), { kind, bsn, birthDate: BIRTH, reference: `AVG-2026-${n}`, receivedOn: '2026-12-01' });
  const items = await t.deps.db.select().from(rightsRequestItems).where(eq(rightsRequestItems.requestId, opened.id));
  return { id: opened.id, items, registrationId: r.id };
}

/** An erasure request with its decisions made (one granted): it awaits a second admin. */
async function decided() {
  const request = await rightsRequest('erasure');
  for (const item of request.items) await decideRightsItem(asAdmin(admin1), { requestId: request.id, itemId: item.id, decision: 'grant' });
  return request;
}

const rolesForm = (...roles: Role[]) => Object.fromEntries(roles.map((r) => [`role-${r}`, 'ja']));
const people = (base: string, client: () => WebClient, organisationId: () => string | undefined) => ({
  [`${base}/nieuw`]: async () => ({
    client: client(),
    path: `${base}/nieuw`,
    form: {
      name: 'Nieuwe Collega',
      email: `nieuw.${crypto.randomUUID().slice(0, 8)}@example.org`,
      organisationId: organisationId() ?? '',
      ...rolesForm('professional'),
    },
  }),
  [`${base}/:id/bewerken`]: async () => {
    const x = await person();
    return { client: client(), path: `${base}/${x.id}/bewerken`, form: { name: 'Andere Naam', email: x.email, phone: '' } };
  },
  [`${base}/:id/rollen`]: async () => {
    const x = await person();
    return { client: client(), path: `${base}/${x.id}/rollen`, form: rolesForm('professional', 'organisation_coordinator') };
  },
  [`${base}/:id/deactiveren`]: async () => ({ client: client(), path: `${base}/${(await person()).id}/deactiveren` }),
  [`${base}/:id/tweede-factor`]: async () => ({ client: client(), path: `${base}/${(await person()).id}/tweede-factor` }),
  [`${base}/:id/uitnodiging`]: async () => ({ client: client(), path: `${base}/${(await person()).id}/uitnodiging` }),
});

/** How to make each page POST succeed. */
const CASES: Record<string, () => Promise<Request>> = {
  // Before login: the login steps, the mailed links.
  '/login': async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, orgP.id);
    return { client: new WebClient(t), path: '/login', form: { email: account.professional.email, password: account.password } };
  },
  '/login/code': async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, orgP.id);
    const client = new WebClient(t);
    await client.post('/login', { email: account.professional.email, password: account.password });
    clock.advance(30_000);
    return { client, path: '/login/code', form: { code: await totpCode(t, account.secret) } };
  },
  '/login/enrol/start': async () => ({ client: await atEnrolment(), path: '/login/enrol/start' }),
  '/login/enrol': async () => {
    const client = await atEnrolment();
    const page = await client.submit('/login/enrol/start', {});
    const secret = /class="betrokken-secret">([A-Z2-7 ]+)</.exec(page.html)![1]!.replace(/ /g, '');
    return { client, path: '/login/enrol', form: { code: await totpCode(t, secret) } };
  },
  '/logout': async () => ({ client: (await loggedInPerson(t, ['professional'], mailer, orgP.id)).client, path: '/logout' }),
  '/password/forgot': async () => ({ client: new WebClient(t), path: '/password/forgot', form: { email: p.professional.email } }),
  '/account/activate': async () => {
    const { client, password, token } = await activatedOnly();
    return { client, path: '/account/activate', form: { token, password, confirm: password } };
  },
  '/account/reset': async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, orgP.id);
    const client = new WebClient(t);
    await client.post('/password/forgot', { email: account.professional.email });
    await drainOutbox(t.deps);
    const text = mailer.sent.findLast((m) => m.to === account.professional.email)!.text;
    const link = new URL(/https?:\/\/\S+\/account\/reset\?token=\S+/.exec(text)![0]);
    const token = inputValue((await client.get(`${link.pathname}${link.search}`)).html, 'token')!;
    const password = 'een heel ander lang wachtwoord';
    return { client, path: '/account/reset', form: { token, password, confirm: password } };
  },
  // Everyone logged in.
  '/session/extend': async () => ({ client: p.client, path: '/session/extend', form: { terug: '/registrations' } }),
  '/account/password': async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, orgP.id);
    const password = 'een nieuw lang wachtwoord';
    return { client: account.client, path: '/account/password', form: { current: account.password, password, confirm: password } };
  },
  '/account/recovery-codes': async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, orgP.id);
    clock.advance(30_000);
    return { client: account.client, path: '/account/recovery-codes', form: { code: await totpCode(t, account.secret) } };
  },
  '/account/sessions/end': async () => {
    const page = await p.client.get('/account');
    return { client: p.client, path: '/account/sessions/end', form: { handle: inputValue(page.html, 'handle') ?? 'onbekend' } };
  },
  // The professional's work.
  '/registrations/new': async () => ({
    client: p.client,
    path: '/registrations/new',
    form: { bsn: randomBsn(), birthDate: BIRTH, reference: '', criterion: 'ja', step: 'confirm' },
  }),
  '/registrations/:id/informed': async () => ({
    client: p.client,
    path: `/registrations/${(await registered(orgP, p.professional.email)).id}/informed`,
    form: { on: TODAY, how: 'letter' },
  }),
  '/registrations/:id/extend': async () => ({ client: p.client, path: `/registrations/${extendable}/extend`, form: { criterion: 'ja' } }),
  '/registrations/:id/end': async () => ({
    client: p.client,
    path: `/registrations/${(await registered(orgP, p.professional.email)).id}/end`,
    form: { reason: 'resolved' },
  }),
  '/registrations/:id/death-report': async () => ({
    client: p.client,
    path: `/registrations/${(await registered(orgP, p.professional.email)).id}/death-report`,
  }),
  '/matches/:id/coordinator': async () => ({ client: p.client, path: `/matches/${(await match()).matchId}/coordinator`, form: { confirm: 'ja' } }),
  '/matches/:id/regie/teruggeven': async () => {
    const { matchId } = await match();
    expect((await p.client.post(`/matches/${matchId}/coordinator`, { confirm: 'ja' })).status).toBe(303);
    return { client: p.client, path: `/matches/${matchId}/regie/teruggeven` };
  },
  '/matches/:id/voorstel/afwijzen': async () => {
    const m = escalated[2]!;
    expect((await monitor.client.post(`/opvolging/${m.matchId}/voorstel`, { regievoerder: m.pRegistration })).status).toBe(303);
    return { client: p.client, path: `/matches/${m.matchId}/voorstel/afwijzen` };
  },
  '/matches/:id/contact': async () => ({ client: p.client, path: `/matches/${(await match()).matchId}/contact`, form: { on: TODAY } }),
  '/advies/:itemId': async () => {
    const request = await rightsRequest('erasure');
    const item = request.items.find((i) => i.registrationId === request.registrationId)!;
    return { client: p.client, path: `/advies/${item.id}`, form: { advice: 'grant' } };
  },
  // The municipal admin.
  '/beheer/organisaties/nieuw': async () => ({
    client: admin1.client,
    path: '/beheer/organisaties/nieuw',
    form: { name: `Organisatie ${crypto.randomUUID().slice(0, 8)}`, sector: 'youth_care' },
  }),
  '/beheer/organisaties/:id/bewerken': async () => ({
    client: admin1.client,
    path: `/beheer/organisaties/${(await t.organisation()).id}/bewerken`,
    form: { name: `Hernoemd ${crypto.randomUUID().slice(0, 8)}`, sector: 'education', convenantSignedOn: '2026-12-01', convenantStatus: 'signed' },
  }),
  '/beheer/organisaties/:id/deactiveren': async () => ({
    client: admin1.client,
    path: `/beheer/organisaties/${(await t.organisation()).id}/deactiveren`,
    form: { reason: 'resolved' },
  }),
  '/beheer/api-koppelingen/nieuw': async () => ({
    client: admin1.client,
    path: '/beheer/api-koppelingen/nieuw',
    form: { organisationId: orgP.id, name: 'Dossiersysteem', rateLimitPerMinute: '' },
  }),
  '/beheer/api-koppelingen/:id/intrekken': async () => {
    const { id } = await createApiClient(asAdmin(admin1), { organisationId: orgP.id, name: 'Oud systeem' });
    return { client: admin1.client, path: `/beheer/api-koppelingen/${id}/intrekken` };
  },
  '/beheer/mail/:id/opnieuw': async () => {
    const { id } = await createPerson(asAdmin(admin1), {
      organisationId: orgP.id,
      name: 'Post Bode',
      email: `post.${crypto.randomUUID().slice(0, 8)}@example.org`,
      roles: ['professional'],
    });
    await t.deps.db.update(outbox).set({ status: 'dead' }).where(eq(outbox.recipientProfessionalId, id));
    const [mail] = await t.deps.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.recipientProfessionalId, id));
    return { client: admin1.client, path: `/beheer/mail/${mail!.id}/opnieuw` };
  },
  '/beheer/taken/:id/goedkeuren': async () => {
    const org = await t.organisation();
    const x = await org.professional();
    for (let i = 0; i < 2; i++) await registered(org, x.email);
    const { jobId } = await deactivateOrganisation(asAdmin(admin1), { organisationId: org.id, reason: 'unjustified' });
    return { client: admin2.client, path: `/beheer/taken/${jobId}/goedkeuren`, form: { bevestigd: 'ja' } };
  },
  '/beheer/taken/:id/afwijzen': async () => {
    const org = await t.organisation();
    const x = await org.professional();
    for (let i = 0; i < 2; i++) await registered(org, x.email);
    const { jobId } = await deactivateOrganisation(asAdmin(admin1), { organisationId: org.id, reason: 'unjustified' });
    return { client: admin2.client, path: `/beheer/taken/${jobId}/afwijzen` };
  },
  '/beheer/overlijden/:id/voorstellen': async () => ({
    client: admin1.client,
    path: `/beheer/overlijden/${await deathReport()}/voorstellen`,
    form: { diedOn: '2026-12-01' },
  }),
  '/beheer/overlijden/:id/bevestigen': async () => {
    const reportId = await deathReport();
    await proposeDeathConfirmation(asAdmin(admin1), { reportId, diedOn: '2026-12-01' });
    return { client: admin2.client, path: `/beheer/overlijden/${reportId}/bevestigen` };
  },
  '/beheer/overlijden/:id/afwijzen': async () => ({ client: admin1.client, path: `/beheer/overlijden/${await deathReport()}/afwijzen` }),
  '/beheer/instellingen': async () => {
    const page = await admin1.client.get('/beheer/instellingen');
    return { client: admin1.client, path: '/beheer/instellingen', form: formAsShown(page.html, '/beheer/instellingen') };
  },
  '/beheer/instellingen/standaard': async () => ({ client: admin1.client, path: '/beheer/instellingen/standaard' }),
  ...people(
    '/beheer/mensen',
    () => admin1.client,
    () => orgP.id,
  ),
  '/beheer/mensen/:id/activeren': async () => {
    const x = await person();
    expect((await admin1.client.post(`/beheer/mensen/${x.id}/deactiveren`, {})).status).toBe(303);
    return { client: admin1.client, path: `/beheer/mensen/${x.id}/activeren` };
  },
  // The organisation's coordinator.
  ...people(
    '/organisatie/mensen',
    () => coordinator.client,
    () => undefined,
  ),
  '/organisatie/registraties/overdragen': async () => {
    const from = await person();
    const to = await person();
    await registered(orgP, from.email);
    return { client: coordinator.client, path: '/organisatie/registraties/overdragen', form: { van: from.id, naar: to.id } };
  },
  // The rights desk.
  '/loket/inzage': async () => {
    const bsn = randomBsn();
    await registered(orgP, p.professional.email, bsn);
    return { client: admin1.client, path: '/loket/inzage', form: { bsn, birthDate: BIRTH, reference: 'AVG-2026-0001', receivedOn: '2026-12-01' } };
  },
  '/loket/verzoek': async () => {
    const bsn = randomBsn();
    await registered(orgP, p.professional.email, bsn);
    return {
      client: admin1.client,
      path: '/loket/verzoek',
      form: { kind: 'objection', bsn, birthDate: BIRTH, reference: 'AVG-2026-0002', receivedOn: '2026-12-01' },
    };
  },
  '/loket/:id/verlengen': async () => ({ client: admin1.client, path: `/loket/${(await rightsRequest()).id}/verlengen` }),
  '/loket/:id/besluit/:itemId': async () => {
    const request = await rightsRequest();
    return { client: admin1.client, path: `/loket/${request.id}/besluit/${request.items[0]!.id}`, form: { decision: 'grant' } };
  },
  '/loket/:id/goedkeuren': async () => ({ client: admin2.client, path: `/loket/${(await decided()).id}/goedkeuren` }),
  '/loket/:id/terugsturen': async () => ({ client: admin2.client, path: `/loket/${(await decided()).id}/terugsturen` }),
  // Audit.
  '/audit/keten': async () => ({ client: auditor.client, path: '/audit/keten' }),
  '/audit/keten/:id/gezien': async () => {
    const id = crypto.randomUUID();
    await t.deps.db.insert(auditChecks).values({ id, at: clock.now(), ok: false, checked: 1, brokenAt: 1, reason: 'test' });
    return { client: auditor.client, path: `/audit/keten/${id}/gezien` };
  },
  // The match monitor.
  '/opvolging/:id/actie': async () => ({ client: monitor.client, path: `/opvolging/${escalated[0]!.matchId}/actie`, form: { soort: 'called', datum: TODAY } }),
  '/opvolging/:id/voorstel': async () => ({
    client: monitor.client,
    path: `/opvolging/${escalated[1]!.matchId}/voorstel`,
    form: { regievoerder: escalated[1]!.pRegistration },
  }),
};

const POST_ROUTES = Object.keys(WEB_ACCESS)
  .filter((key) => key.startsWith('POST '))
  .map((key) => key.slice('POST '.length));

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '1000' } });
  orgP = await t.organisation('youth_care');
  orgQ = await t.organisation('youth_care');
  // Registered on 23 November: escalated on 15 December, and extendable then.
  const pPerson = await orgP.professional();
  const qPerson = await orgQ.professional();
  extendable = (await registered(orgP, pPerson.email)).id;
  for (let i = 0; i < 3; i++) {
    const bsn = randomBsn();
    const mine = await registered(orgP, pPerson.email, bsn);
    const theirs = await registered(orgQ, qPerson.email, bsn);
    escalated.push({ matchId: theirs.matchId!, pRegistration: mine.id });
  }
  clock.set(new Date(`${TODAY}T09:00:00Z`));
  await followUp({ deps: t.deps, actor: { type: 'system', id: 'follow-up' }, requestId: null, origin: null });
  p = await activateAndLogIn(t, pPerson, mailer);
  q = await activateAndLogIn(t, qPerson, mailer);
  admin1 = await loggedInPerson(t, ['municipal_admin'], mailer);
  admin2 = await loggedInPerson(t, ['municipal_admin'], mailer);
  monitor = await loggedInPerson(t, ['match_monitor'], mailer);
  auditor = await loggedInPerson(t, ['auditor'], mailer);
  coordinator = await loggedInPerson(t, ['organisation_coordinator'], mailer, orgP.id);
}, 120_000);
afterAll(() => t.close());

describe('Post/Redirect/Get on every page POST', () => {
  it('has a case for every POST route the pages declare, and none for a route that is gone', () => {
    expect(POST_ROUTES.length).toBeGreaterThan(40);
    expect(POST_ROUTES.filter((route) => !(route in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((route) => !POST_ROUTES.includes(route))).toEqual([]);
  });

  for (const route of Object.keys(CASES)) {
    it(`POST ${route} answers 303 to a local page after a success`, async () => {
      const { client, path, form } = await CASES[route]!();
      const answer = await client.post(path, form ?? {});
      expect(
        answer.status,
        `${path}: ${answer.html
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 400)}`,
      ).toBe(303);
      expect(answer.location).toMatch(/^\/(?!\/)/);
      const next = await client.follow(answer);
      expect(next.status, `${answer.location}`).toBeLessThan(400);
    });
  }
});

describe('one-time content after the redirect', () => {
  it('a new API token is shown once; a reload says it was shown', async () => {
    const created = await admin1.client.submit('/beheer/api-koppelingen/nieuw', { organisationId: orgP.id, name: 'Eenmalig', rateLimitPerMinute: '' });
    expect(created.posted.status).toBe(303);
    expect(created.path).toBe('/beheer/api-koppelingen/aangemaakt');
    const token = /<code class="betrokken-secret">([^<]+)<\/code>/.exec(created.html)?.[1];
    expect(token).toBeTruthy();
    const reload = await admin1.client.get('/beheer/api-koppelingen/aangemaakt');
    expect(reload.status).toBe(200);
    expect(reload.html).toContain('Token al getoond');
    expect(reload.html).not.toContain(token!);
  });

  it('earlier involvement from the archive is shown once on the registration after the signal', async () => {
    const bsn = randomBsn();
    const earlier = await registered(orgQ, q.professional.email, bsn);
    const ended = await t.app.request(`/api/v1/registrations/${earlier.id}/end`, {
      method: 'POST',
      headers: orgQ.authHeaders,
      body: JSON.stringify({ reason: 'resolved' }),
    });
    expect(ended.status).toBeLessThan(300);
    const given = await p.client.submit('/registrations/new', { bsn, birthDate: BIRTH, reference: '', criterion: 'ja', step: 'confirm' });
    expect(given.posted.status).toBe(303);
    expect(given.html).toContain('Eerdere betrokkenheid');
    expect(given.html).toContain(q.professional.email);
    const reload = await p.client.get(given.path!);
    expect(reload.status).toBe(200);
    expect(reload.html).not.toContain('Eerdere betrokkenheid');
    expect(reload.html).not.toContain(q.professional.email);
    // Posting the same signal again (a resubmitted form) changes nothing and says so.
    const again = await p.client.submit('/registrations/new', { bsn, birthDate: BIRTH, reference: '', criterion: 'ja', step: 'confirm' });
    expect(again.path).toBe(given.path);
    expect(again.html).toContain('U had al een actieve registratie');
  });

  it('the message is sealed to the session: another session of the same person does not see it', async () => {
    const other = new WebClient(t);
    await other.post('/login', { email: p.professional.email, password: p.password });
    clock.advance(30_000);
    expect((await other.post('/login/code', { code: await totpCode(t, p.secret) })).status).toBe(303);
    const given = await p.client.post('/registrations/new', { bsn: randomBsn(), birthDate: BIRTH, reference: '', criterion: 'ja', step: 'confirm' });
    expect(given.status).toBe(303);
    const elsewhere = await other.get(given.location!);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.html).not.toContain('Signaal afgegeven');
    expect((await p.client.get(given.location!)).html).toContain('Signaal afgegeven');
  });
});
