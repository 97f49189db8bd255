/**
 * Every route × every role (docs/domain.md, "Roles and what each may see"), on both
 * runtimes. The table below is written out by hand, independently of the declarations in
 * src/routes: it is what each role is expected to reach. A route the app registers without
 * an entry here fails this suite, and so does an entry for a route that no longer exists.
 *
 * Outcomes: a role in the list is let through (whatever the handler then says about the
 * made-up id or empty form: 404, 422, a redirect — anything but 401/403 or the login page);
 * every other role gets 403 (the Dutch "no access" page), audited as `access.denied`.
 * Without a session the pages redirect to the login page; the API answers 401 without a
 * token, also to a browser with a session cookie (the API accepts tokens only).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.ts';
import { registeredRoutes } from '../../src/routes/http/access.ts';
import { ROLES, type Role } from '../../src/vocabulary.ts';
import { createTestContext, memoryMailer, type TestContext, type TestOrganisation } from '../support/context.ts';
import { loggedInPerson, WebClient } from '../support/web-client.ts';

const P: Role = 'professional';
const C: Role = 'organisation_coordinator';
const M: Role = 'match_monitor';
const A: Role = 'municipal_admin';
const U: Role = 'auditor';
const EVERYONE: Role[] = [...ROLES];

/** `public`: no login needed; `api`: an API token (the pages' roles do not apply). */
type Expected = Role[] | 'public' | 'api';

const TABLE: Record<string, Expected> = {
  'GET /healthz': 'public',
  'GET /assets/:file': 'public',
  // The footer's statements and the icon (issue 13): readable before login.
  'GET /favicon.ico': 'public',
  'GET /toegankelijkheid': 'public',
  'GET /privacy': 'public',
  // Login, logout, the mailed links.
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /login/code': 'public',
  'POST /login/code': 'public',
  'GET /login/enrol': 'public',
  'POST /login/enrol/start': 'public',
  'POST /login/enrol': 'public',
  'POST /logout': 'public',
  'GET /password/forgot': 'public',
  'POST /password/forgot': 'public',
  'GET /account/activate': 'public',
  'POST /account/activate': 'public',
  'GET /account/reset': 'public',
  'POST /account/reset': 'public',
  // Everyone logged in: the start page, the session, their own account.
  'GET /': EVERYONE,
  'POST /session/extend': EVERYONE,
  'GET /account': EVERYONE,
  'POST /account/password': EVERYONE,
  'POST /account/recovery-codes': EVERYONE,
  'POST /account/sessions/end': EVERYONE,
  // The professional's work.
  'GET /registrations/new': [P],
  'POST /registrations/new': [P],
  'GET /registrations': [P],
  'GET /registrations/:id': [P],
  'POST /registrations/:id/informed': [P],
  'GET /registrations/:id/letter': [P],
  'GET /registrations/:id/end': [P],
  'POST /registrations/:id/end': [P],
  'POST /registrations/:id/death-report': [P],
  'GET /registrations/:id/death-report': [P],
  'GET /matches/:id': [P],
  'POST /matches/:id/coordinator': [P],
  'POST /matches/:id/contact': [P],
  // The municipal admin's console.
  'GET /beheer': [A],
  // Organisations, API clients and mail.
  'GET /beheer/organisaties': [A],
  'GET /beheer/organisaties/nieuw': [A],
  'POST /beheer/organisaties/nieuw': [A],
  'GET /beheer/organisaties/:id': [A],
  'GET /beheer/organisaties/:id/bewerken': [A],
  'POST /beheer/organisaties/:id/bewerken': [A],
  'GET /beheer/organisaties/:id/deactiveren': [A],
  'POST /beheer/organisaties/:id/deactiveren': [A],
  'GET /beheer/api-koppelingen': [A],
  'GET /beheer/api-koppelingen/nieuw': [A],
  'POST /beheer/api-koppelingen/nieuw': [A],
  'GET /beheer/api-koppelingen/:id/intrekken': [A],
  'POST /beheer/api-koppelingen/:id/intrekken': [A],
  'GET /beheer/mail': [A],
  'POST /beheer/mail/:id/opnieuw': [A],
  // Bulk jobs: the list and progress for the admin, the decision for the second admin (four eyes).
  'GET /beheer/taken': [A],
  'GET /beheer/taken/:id': [A],
  'POST /beheer/taken/:id/goedkeuren': [A],
  'POST /beheer/taken/:id/afwijzen': [A],
  // Death reports: proposed by one admin, confirmed by another (four eyes).
  'GET /beheer/overlijden': [A],
  'GET /beheer/overlijden/:id': [A],
  'POST /beheer/overlijden/:id/voorstellen': [A],
  'POST /beheer/overlijden/:id/bevestigen': [A],
  'POST /beheer/overlijden/:id/afwijzen': [A],
  // The audit console: the trail for the auditor, the chain's status also for the admin.
  'GET /audit': [A, U],
  'GET /audit/zoeken': [U],
  'GET /audit/gebeurtenissen/:id': [U],
  'GET /audit/export.csv': [U],
  'GET /audit/keten': [A, U],
  'POST /audit/keten': [A, U],
  'POST /audit/keten/:id/gezien': [U],
  // The municipal admin: everyone's accounts and roles.
  'GET /beheer/mensen': [A],
  'GET /beheer/mensen/nieuw': [A],
  'POST /beheer/mensen/nieuw': [A],
  'GET /beheer/mensen/:id': [A],
  'GET /beheer/mensen/:id/bewerken': [A],
  'POST /beheer/mensen/:id/bewerken': [A],
  'GET /beheer/mensen/:id/rollen': [A],
  'POST /beheer/mensen/:id/rollen': [A],
  'GET /beheer/mensen/:id/deactiveren': [A],
  'POST /beheer/mensen/:id/deactiveren': [A],
  'GET /beheer/mensen/:id/activeren': [A],
  'POST /beheer/mensen/:id/activeren': [A],
  'GET /beheer/mensen/:id/tweede-factor': [A],
  'POST /beheer/mensen/:id/tweede-factor': [A],
  'GET /beheer/mensen/:id/uitnodiging': [A],
  'POST /beheer/mensen/:id/uitnodiging': [A],
  // The organisation coordinator: their own organisation's people and registrations.
  'GET /organisatie': [C],
  'GET /organisatie/mensen/nieuw': [C],
  'POST /organisatie/mensen/nieuw': [C],
  'GET /organisatie/mensen/:id': [C],
  'GET /organisatie/mensen/:id/bewerken': [C],
  'POST /organisatie/mensen/:id/bewerken': [C],
  'GET /organisatie/mensen/:id/rollen': [C],
  'POST /organisatie/mensen/:id/rollen': [C],
  'GET /organisatie/mensen/:id/deactiveren': [C],
  'POST /organisatie/mensen/:id/deactiveren': [C],
  'GET /organisatie/mensen/:id/tweede-factor': [C],
  'POST /organisatie/mensen/:id/tweede-factor': [C],
  'GET /organisatie/mensen/:id/uitnodiging': [C],
  'POST /organisatie/mensen/:id/uitnodiging': [C],
  'GET /organisatie/registraties': [C],
  'GET /organisatie/registraties/overdragen': [C],
  'POST /organisatie/registraties/overdragen': [C],
  // The API: tokens of organisations only.
  'GET /api/v1/openapi.json': 'public',
  'POST /api/v1/registrations': 'api',
  'GET /api/v1/registrations': 'api',
  'GET /api/v1/registrations/:id': 'api',
  'POST /api/v1/registrations/:id/end': 'api',
  'POST /api/v1/registrations/:id/informed': 'api',
  'POST /api/v1/registrations/:id/death-report': 'api',
  'GET /api/v1/matches/:id': 'api',
  'POST /api/v1/matches/:id/coordinator': 'api',
  'POST /api/v1/matches/:id/contact': 'api',
  // Coordination rules, hand back, proposals (member side), extend, settings (helper A).
  'POST /matches/:id/regie/teruggeven': [P],
  'POST /matches/:id/voorstel/afwijzen': [P],
  'POST /api/v1/matches/:id/coordination/return': 'api',
  'POST /api/v1/matches/:id/proposal/decline': 'api',
  'GET /beheer/instellingen': [A],
  'POST /beheer/instellingen': [A],
  'POST /beheer/instellingen/standaard': [A],
  'POST /registrations/:id/extend': [P],
  'POST /api/v1/registrations/:id/extend': 'api',
  // The rights desk (municipal admin; approving is four eyes), the professional's advice, the auditor's trail by request (helper C).
  'GET /loket': [A],
  'GET /loket/inzage': [A],
  'POST /loket/inzage': [A],
  'GET /loket/verzoek': [A],
  'POST /loket/verzoek': [A],
  'GET /loket/:id': [A],
  'GET /loket/:id/brief': [A],
  'POST /loket/:id/verlengen': [A],
  'POST /loket/:id/besluit/:itemId': [A],
  'POST /loket/:id/goedkeuren': [A],
  'POST /loket/:id/terugsturen': [A],
  'GET /advies/:itemId': [P],
  'POST /advies/:itemId': [P],
  'GET /audit/verzoeken': [U],
  'GET /audit/verzoeken/:id': [U],
  // The match monitor's queue: escalated matches, actions, proposing a coordinator (helper B).
  'GET /opvolging': [M],
  'GET /opvolging/:id': [M],
  'POST /opvolging/:id/actie': [M],
  'POST /opvolging/:id/voorstel': [M],
  // Statistics: the municipal admin's alone, the page and its CSV (helper D).
  'GET /statistieken': [A],
  'GET /statistieken.csv': [A],
  // Operators: Prometheus' /metrics, guarded by its own METRICS_TOKEN, not by a role (helper E; unset here, so 404).
  'GET /metrics': 'public',
  // Post/Redirect/Get (issue 13, helper C): the one-time pages after a POST (recovery codes, a new API token).
  'GET /account/recovery-codes': EVERYONE,
  'GET /beheer/api-koppelingen/aangemaakt': [A],
  // Developers (issue 13, helper F): the API viewer and its script, public like the document.
  // The mail preview (/dev/mail…) exists in development only, so not in this test-mode app:
  // test/shared/dev-mail.test.ts checks it is public there and absent (404) in production and test.
  'GET /api/v1/docs': 'public',
  'GET /api/v1/docs/:file': 'public',
};

const mailer = memoryMailer();
let t: TestContext;
let org: TestOrganisation;
const clients = new Map<Role, WebClient>();

beforeAll(async () => {
  t = await createTestContext({ mailer, env: { LOGIN_LIMIT_PER_IP: '100' } });
  org = await t.organisation();
  for (const role of ROLES) {
    const municipal = role === M || role === A || role === U;
    const { client } = await loggedInPerson(t, [role], mailer, municipal ? undefined : org.id);
    clients.set(role, client);
  }
}, 120_000);
afterAll(() => t.close());

/** The route with a made-up id in each parameter (a real UUID shape: ids are checked later). */
function concrete(path: string): string {
  return path.replace(/:file/, 'nope.css').replace(/:[A-Za-z]+/g, crypto.randomUUID());
}

async function send(client: WebClient, method: string, path: string) {
  return method === 'GET' ? client.get(path) : client.post(path, {});
}

const refusedByRole = (status: number) => status === 403;
const sentToLogin = (response: { status: number; location: string | null }) => response.status === 303 && (response.location ?? '').startsWith('/login');

describe('the role × route table', () => {
  it('has exactly one entry for every route the app registers', () => {
    const routes = registeredRoutes(t.app);
    expect(routes.filter((route) => !(route in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((route) => !routes.includes(route))).toEqual([]);
  });

  for (const [route, expected] of Object.entries(TABLE)) {
    const [method, path] = route.split(' ') as [string, string];

    if (expected === 'public') {
      it(`${route}: open without login`, async () => {
        // (The second-factor steps send a browser without a half-login back to the login
        // page themselves: that is their own answer, not the role check.)
        const response = await send(new WebClient(t), method, concrete(path));
        expect(refusedByRole(response.status)).toBe(false);
        expect(response.status).not.toBe(401);
      });
      continue;
    }

    if (expected === 'api') {
      it(`${route}: an API token passes, a session cookie of any role does not`, async () => {
        const withToken = await t.app.request(concrete(path), {
          method,
          headers: org.authHeaders,
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect([401, 403]).not.toContain(withToken.status);
        for (const role of ROLES) {
          const response = await send(clients.get(role)!, method, concrete(path));
          expect(response.status, role).toBe(401);
        }
      });
      continue;
    }

    it(`${route}: ${expected.join(', ')} only`, async () => {
      const anonymous = await send(new WebClient(t), method, concrete(path));
      expect(sentToLogin(anonymous), 'without login').toBe(true);
      for (const role of ROLES) {
        const response = await send(clients.get(role)!, method, concrete(path));
        if (expected.includes(role)) {
          expect(refusedByRole(response.status), `${role} may`).toBe(false);
          expect(sentToLogin(response), `${role} stays logged in`).toBe(false);
        } else {
          expect(response.status, `${role} may not`).toBe(403);
          expect(response.html).toContain('geen toegang');
        }
      }
    });
  }

  it('audits every refusal by role with the route and the permission, never with the path ids', async () => {
    const auditor = clients.get(U)!;
    const id = crypto.randomUUID();
    await auditor.get(`/registrations/${id}`);
    const denied = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorRoles, 'auditor')));
    const row = denied.find((e) => e.detail?.route === 'GET /registrations/:id');
    expect(row).toMatchObject({ outcome: 'denied', actorType: 'professional', organisationId: null, detail: { permission: 'register' } });
    expect(JSON.stringify(denied)).not.toContain(id);
  });
});

describe('verbs check their role themselves', () => {
  it('refuses a registration by an auditor or an admin calling the verb directly, audited', async () => {
    const { registerInvolvement } = await import('../../src/registry/register-involvement.ts');
    const { randomBsn } = await import('../support/bsn.ts');
    const auditor = await t.person([U]);
    const ctx = { ...t.operator, actor: { type: 'professional' as const, id: auditor.id, organisationId: null, roles: [U] } };
    await expect(
      registerInvolvement(ctx, { bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail: auditor.email, reference: null }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const [row] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'registration.create'), eq(auditEvents.actorId, auditor.id)));
    expect(row).toMatchObject({ outcome: 'denied', actorRoles: 'auditor', detail: { permission: 'register' } });
  });

  it('refuses the console verbs to an API client and to a professional', async () => {
    const { createOrganisation } = await import('../../src/directory/directory.ts');
    const asClient = { ...t.operator, actor: { type: 'api_client' as const, id: crypto.randomUUID(), organisationId: org.id } };
    await expect(createOrganisation(asClient, { name: 'Nieuw', sector: 'education' })).rejects.toMatchObject({ code: 'forbidden' });
    const p = await org.professional();
    const asProfessional = { ...t.operator, actor: { type: 'professional' as const, id: p.id, organisationId: org.id, roles: [P] } };
    await expect(createOrganisation(asProfessional, { name: 'Nieuw', sector: 'education' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives a person with two roles both: a coordinator who also registers', async () => {
    const { client } = await loggedInPerson(t, [P, C], mailer, org.id);
    expect((await client.get('/registrations/new')).status).toBe(200);
    const start = await client.get('/');
    expect(start.html).toContain('href="/organisatie"');
    expect(start.html).toContain('href="/registrations/new"');
    expect(start.html).not.toContain('href="/beheer"');
  });

  it('opens the start page and the own account page for every role (staff without organisation too)', async () => {
    for (const role of ROLES) {
      expect((await clients.get(role)!.get('/')).status, role).toBe(200);
      const account = await clients.get(role)!.get('/account');
      expect(account.status, role).toBe(200);
      expect(account.html.includes('Gemeente (eigen medewerker)'), role).toBe(role === M || role === A || role === U);
    }
  });

  it('shows each role only the menu it may use', async () => {
    const admin = await clients.get(A)!.get('/');
    expect(admin.html).toContain('href="/beheer"');
    expect(admin.html).not.toContain('href="/registrations/new"');
    const auditor = await clients.get(U)!.get('/');
    expect(auditor.html).toContain('href="/audit"');
    expect(auditor.html).not.toContain('href="/beheer"');
  });
});
