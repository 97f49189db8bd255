/**
 * The professional's pages, in process (both runtimes): login with the second factor,
 * cookies, CSRF, the per-IP limit, timeouts, the signal form, informing, ending, the match
 * page with coordination and contact, and the account page. The browser journey with axe
 * is in test/e2e.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_TIMEOUT_MS } from '../../src/auth/sessions.ts';
import { auditEvents, outbox, registrations } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { inputValue, loggedInProfessional, logIn, totpCode, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '40' } });
});
afterAll(() => t.close());

async function register(client: WebClient, bsn: string, extra: Record<string, string> = {}) {
  clock.advance(1000);
  const form = { bsn, birthDate: '2012-05-17', reference: '', criterion: 'ja', ...extra };
  const check = await client.post('/registrations/new', { ...form, step: 'check' });
  expect(check.status).toBe(200);
  // Post/Redirect/Get: the POST answers 303 and the registration's page shows the result once.
  const given = await client.submit('/registrations/new', { ...form, step: 'confirm' });
  expect(given.posted.status).toBe(303);
  expect(given.path).toMatch(/^\/registrations\/[0-9a-f-]{36}$/);
  return given;
}

describe('pages and headers', () => {
  it('serves the login page in Dutch with a doctype, a skip link and strict headers', async () => {
    const page = await new WebClient(t).get('/login');
    expect(page.status).toBe(200);
    expect(page.html.startsWith('<!doctype html><html lang="nl">')).toBe(true);
    expect(page.html).toContain('href="#inhoud"');
    const csp = page.response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the NL Design System stylesheet itself, immutable under its content hash', async () => {
    const page = await new WebClient(t).get('/login');
    const href = /href="(\/assets\/styles\.[0-9a-f]{12}\.css)"/.exec(page.html)![1]!;
    const css = await t.app.request(href);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toContain('immutable');
    const body = await css.text();
    expect(body).toContain('.utrecht-button');
    expect(body).toContain('.betrokken-theme');
    const gzipped = await t.app.request(href, { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const unzipped = await new Response(gzipped.body!.pipeThrough(new DecompressionStream('gzip'))).text();
    expect(unzipped).toBe(body);
    expect((await t.app.request('/assets/styles.000000000000.css')).status).toBe(404);
  });

  it('sends a visitor without a session to the login page, and back afterwards', async () => {
    const page = await new WebClient(t).get('/registrations?status=active');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login?terug=%2Fregistrations');
  });

  it('answers unknown API paths with problem JSON and unknown pages with HTML', async () => {
    const api = await t.app.request('/api/v1/nothing-here', { headers: (await t.organisation()).authHeaders });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const { client } = await loggedInProfessional(t, await t.organisation(), mailer);
    const page = await client.get('/nothing-here');
    expect(page.status).toBe(404);
    expect(page.html).toContain('Niet gevonden');
  });
});

describe('login', () => {
  it('invitation → password → TOTP enrolment → session cookie with __Host-, Secure, HttpOnly, SameSite=Lax', async () => {
    const org = await t.organisation();
    const { client, recoveryCodes } = await loggedInProfessional(t, org, mailer);
    expect(recoveryCodes).toHaveLength(10);
    expect(client.cookies.has('__Host-betrokken')).toBe(true);
    expect(client.cookies.has('__Host-betrokken-login')).toBe(false);
    const dashboard = await client.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain('Signaal afgeven');
  });

  it('sets the session cookie with the attributes the issue asks for, and a new id at every login', async () => {
    const org = await t.organisation();
    const { client, professional, password, secret } = await loggedInProfessional(t, org, mailer);
    const before = client.cookies.get('__Host-betrokken');
    const fresh = new WebClient(t);
    const step1 = await fresh.post('/login', { email: professional.email, password });
    expect(step1.status).toBe(303);
    expect(step1.location).toBe('/login/code?terug=%2F');
    // The half-login opens no page.
    expect((await fresh.get('/')).status).toBe(303);
    const step2 = await fresh.post('/login/code', { code: await totpCode(t, secret), terug: '/' });
    expect(step2.status).toBe(303);
    const cookie = step2.response.headers.getSetCookie().find((c) => c.startsWith('__Host-betrokken='))!;
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(fresh.cookies.get('__Host-betrokken')).not.toBe(before);
  });

  it('refuses a wrong password and a replayed code with the same message, next to the field', async () => {
    const org = await t.organisation();
    const { professional, password, secret } = await loggedInProfessional(t, org, mailer);
    const wrong = await new WebClient(t).post('/login', { email: professional.email, password: 'niet het goede wachtwoord' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('aria-invalid="true"');
    expect(wrong.html).toContain('id="veld-email-fout"');
    const unknown = await new WebClient(t).post('/login', { email: 'niemand@example.org', password });
    expect(unknown.status).toBe(401);
    expect(/<title>[^<]*<\/title>/.exec(unknown.html)![0]).toBe(/<title>[^<]*<\/title>/.exec(wrong.html)![0]);

    const code = await totpCode(t, secret);
    const first = new WebClient(t);
    await first.post('/login', { email: professional.email, password });
    expect((await first.post('/login/code', { code })).status).toBe(303);
    const second = new WebClient(t);
    await second.post('/login', { email: professional.email, password });
    const replay = await second.post('/login/code', { code });
    expect(replay.status).toBe(401);
    expect(replay.html).toContain('Deze code klopt niet');
  });

  it('logs in with a recovery code once', async () => {
    const org = await t.organisation();
    const { professional, password, recoveryCodes } = await loggedInProfessional(t, org, mailer);
    const a = new WebClient(t);
    await a.post('/login', { email: professional.email, password });
    expect((await a.post('/login/code', { code: recoveryCodes[0]! })).status).toBe(303);
    const b = new WebClient(t);
    await b.post('/login', { email: professional.email, password });
    expect((await b.post('/login/code', { code: recoveryCodes[0]! })).status).toBe(401);
  });

  it('refuses a form posted from another origin, or without an Origin, and changes nothing', async () => {
    const org = await t.organisation();
    const { client } = await loggedInProfessional(t, org, mailer);
    const count = async () => (await t.deps.db.select().from(registrations).where(eq(registrations.organisationId, org.id))).length;
    const form = { bsn: randomBsn(), birthDate: '2012-05-17', criterion: 'ja', step: 'confirm' };
    expect((await client.post('/registrations/new', form, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.post('/registrations/new', form, { origin: null })).status).toBe(403);
    expect(await count()).toBe(0);
    expect((await client.post('/logout', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.get('/')).status).toBe(200); // still logged in
  });

  it('limits login attempts per client address (audited), without touching other addresses', async () => {
    const limited = new WebClient(t, '198.51.100.77');
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++) statuses.push((await limited.post('/login', { email: `x${i}@example.org`, password: 'wat dan ook hier' })).status);
    expect(statuses.slice(0, 40).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    expect((await new WebClient(t, '198.51.100.78').post('/login', { email: 'y@example.org', password: 'wat dan ook hier' })).status).toBe(401);
    const throttled = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.login_throttle'));
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    clock.advance(15 * 60_000);
    expect((await limited.post('/login', { email: 'z@example.org', password: 'wat dan ook hier' })).status).toBe(401);
  });

  it('ends the session after 30 idle minutes, and lets the user extend it before then', async () => {
    const org = await t.organisation();
    const { client } = await loggedInProfessional(t, org, mailer);
    clock.advance(IDLE_TIMEOUT_MS - 60_000);
    const extended = await client.post('/session/extend', {}, { accept: 'application/json' });
    expect(extended.status).toBe(200);
    expect(Date.parse(JSON.parse(extended.html).idleExpiresAt)).toBe(clock.now().getTime() + IDLE_TIMEOUT_MS);
    clock.advance(IDLE_TIMEOUT_MS - 60_000);
    expect((await client.get('/')).status).toBe(200);
    clock.advance(IDLE_TIMEOUT_MS + 1000);
    const expired = await client.get('/');
    expect(expired.status).toBe(303);
    expect(expired.location).toContain('verlopen=1');
  });

  it('logout ends the session at once', async () => {
    const org = await t.organisation();
    const { client } = await loggedInProfessional(t, org, mailer);
    const cookie = client.cookies.get('__Host-betrokken')!;
    expect((await client.post('/logout', {})).location).toBe('/login?uitgelogd=1');
    const replay = new WebClient(t);
    replay.cookies.set('__Host-betrokken', cookie);
    expect((await replay.get('/')).status).toBe(303);
  });

  it('resets a forgotten password by mail, and still asks the second factor', async () => {
    const org = await t.organisation();
    const { professional, secret } = await loggedInProfessional(t, org, mailer);
    const anonymous = new WebClient(t);
    const asked = await anonymous.submit('/password/forgot', { email: professional.email });
    expect(asked.posted.location).toBe('/password/forgot?verstuurd=1');
    expect(asked.html).toContain('Als dit e-mailadres bij ons bekend is');
    // Asking again at once sends no second mail (no mailbox flooding), with the same answer.
    expect((await anonymous.submit('/password/forgot', { email: professional.email })).html).toContain('Als dit e-mailadres bij ons bekend is');
    expect(
      await t.deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.template, 'password_reset'), eq(outbox.recipientEmail, professional.email))),
    ).toHaveLength(1);
    const unknown = await anonymous.submit('/password/forgot', { email: 'onbekend@example.org' });
    expect(unknown.html).toContain('Als dit e-mailadres bij ons bekend is');
    const { drainOutbox } = await import('../../src/jobs/drain-outbox.ts');
    await drainOutbox(t.deps);
    const mail = mailer.sent.findLast((m) => m.to === professional.email)!;
    const link = new URL(/https?:\/\/\S+\/account\/reset\?token=\S+/.exec(mail.text)![0]);
    const form = await anonymous.get(`${link.pathname}${link.search}`);
    const token = inputValue(form.html, 'token')!;
    const weak = await anonymous.post('/account/reset', { token, password: 'password1234', confirm: 'password1234' });
    expect(weak.status).toBe(422);
    expect(weak.html).toContain('Dit wachtwoord is te voorspelbaar.');
    const next = 'een heel ander lang wachtwoord';
    const reset = await anonymous.submit('/account/reset', { token, password: next, confirm: next });
    expect(reset.posted.location).toBe('/login?wachtwoord=gezet');
    expect(reset.html).toContain('Uw nieuwe wachtwoord is ingesteld');
    const login = await anonymous.post('/login', { email: professional.email, password: next });
    expect(login.location).toContain('/login/code');
    clock.advance(30_000);
    expect((await anonymous.post('/login/code', { code: await totpCode(t, secret) })).status).toBe(303);
  });
});

describe('the signal form and registrations', () => {
  it('validates the BSN by elfproef and shows the error next to the field, keeping the other values', async () => {
    const { client } = await loggedInProfessional(t, await t.organisation(), mailer);
    const page = await client.post('/registrations/new', { bsn: '123456789', birthDate: '2012-05-17', reference: 'DOS-1', criterion: 'ja', step: 'check' });
    expect(page.status).toBe(422);
    expect(page.html).toContain('<title>Fout: Signaal afgeven');
    expect(page.html).toMatch(/id="veld-bsn"[^>]*aria-invalid="true"[^>]*aria-describedby="veld-bsn-hint veld-bsn-fout"/);
    expect(page.html).toContain('de elfproef klopt niet');
    expect(page.html).toContain('href="#veld-bsn"');
    expect(inputValue(page.html, 'reference')).toBe('DOS-1');
    const unconfirmed = await client.post('/registrations/new', { bsn: randomBsn(), birthDate: '2012-05-17', step: 'check' });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.html).toContain('id="veld-criterion-fout"');
  });

  it('confirms first, then registers; a second organisation on the same BSN gets the match, both are mailed', async () => {
    const orgA = await t.organisation('education');
    const orgB = await t.organisation('youth_care');
    const a = await loggedInProfessional(t, orgA, mailer);
    const b = await loggedInProfessional(t, orgB, mailer);
    const bsn = randomBsn();
    const check = await a.client.post('/registrations/new', { bsn, birthDate: '2012-05-17', criterion: 'ja', step: 'check' });
    expect(check.html).toContain('Wat Betrokken niet vastlegt');
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.organisationId, orgA.id))).toHaveLength(0);
    const first = await register(a.client, bsn, { reference: 'DOS-2026-1' });
    expect(first.html).toContain('<title>Signaal afgegeven');
    expect(first.html).not.toContain('/matches/');
    const second = await register(b.client, bsn);
    expect(second.html).toContain('Er is een match');
    // The result is shown once: a refresh shows the registration, posts nothing, says nothing again.
    const again = await b.client.get(second.path!);
    expect(again.html).not.toContain('Er is een match');
    expect(again.html).toContain('<title>Registratie');
    const matchId = /href="\/matches\/([^"]+)"/.exec(second.html)![1]!;
    const { drainOutbox } = await import('../../src/jobs/drain-outbox.ts');
    await drainOutbox(t.deps);
    // The BSN went through forms and pages, but never into a log line.
    expect(JSON.stringify(t.logs)).not.toContain(bsn);
    for (const p of [a.professional, b.professional]) {
      const mail = mailer.sent.findLast((m) => m.to === p.email && m.text.includes(`/matches/${matchId}`));
      expect(mail, p.email).toBeDefined();
      expect(mail!.text).not.toContain(bsn);
    }
    // A's dashboard shows the match as new until A opens it, with both organisations.
    const overview = (await a.client.get('/')).html;
    expect(overview).toContain('1 nieuw');
    expect(overview).toContain('2 organisaties betrokken.');
    const page = await a.client.get(`/matches/${matchId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(b.professional.email);
    // A school may signal but not coordinate (the municipality's default rules).
    expect(page.html).toContain('mag uw sector (Onderwijs) signaleren, maar geen regie voeren');
    expect((await a.client.get('/')).html).not.toContain('1 nieuw');

    // B confirms and takes the coordination; A sees it and is mailed.
    expect((await b.client.post(`/matches/${matchId}/coordinator`, { confirm: 'ja' })).location).toBe(`/matches/${matchId}?gedaan=regie`);
    const seenByA = await a.client.get(`/matches/${matchId}`);
    expect(seenByA.html).toMatch(/<strong>Professional \d+<\/strong> \(Organisatie \d+\) heeft de regie/);
    const queued = await t.deps.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.template, 'coordinator_chosen'), eq(outbox.recipientEmail, a.professional.email)));
    expect(queued).toHaveLength(1);

    // B records contact, with a date not in the future.
    const future = await b.client.post(`/matches/${matchId}/contact`, { on: '2099-01-01' });
    expect(future.status).toBe(422);
    expect((await b.client.post(`/matches/${matchId}/contact`, { on: '2026-11-23' })).status).toBe(303);
    expect((await a.client.get(`/matches/${matchId}`)).html).toContain('23 november 2026');

    // A colleague of A in the same organisation is not a member: 404 as well.
    const colleague = await loggedInProfessional(t, orgA, mailer);
    expect((await colleague.client.get(`/matches/${matchId}`)).status).toBe(404);
    // Another organisation gets 404, and the attempt is audited.
    const c = await loggedInProfessional(t, await t.organisation(), mailer);
    expect((await c.client.get(`/matches/${matchId}`)).status).toBe(404);
    const denied = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.matchId, matchId), eq(auditEvents.outcome, 'not_found')));
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied.every((e) => e.actorType === 'professional')).toBe(true);
  });

  it('shows who must be informed, prints the letter, records informing, and flags registrations not informed after 14 days', async () => {
    const account = await loggedInProfessional(t, await t.organisation(), mailer);
    let client = account.client;
    const created = await register(client, randomBsn(), { birthDate: '2012-05-17' }); // 14 years old: both
    const id = created.path!.split('/').pop()!;
    const detail = await client.get(`/registrations/${id}`);
    expect(detail.html).toContain('de jeugdige én de wettelijk vertegenwoordiger');
    const letter = await client.get(`/registrations/${id}/letter`);
    // Both must be informed: the parent's letter first, the young person's beside it (test/shared/informing-letters.test.ts).
    expect(letter.html).toContain('Geachte ouder of verzorger');
    expect(letter.html).toContain(`/registrations/${id}/letter?voor=jongere`);
    expect(letter.html).toContain('artikel 7.1.5.1');
    clock.advance(15 * 86_400_000);
    client = await logIn(t, account);
    expect((await client.get('/')).html).toMatch(/Nog niet geïnformeerd <span class="betrokken-badge">1</);
    const bad = await client.post(`/registrations/${id}/informed`, { on: '2026-11-23' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Kies hoe u hebt geïnformeerd');
    const ok = await client.post(`/registrations/${id}/informed`, { on: '2026-11-24', how: 'letter' });
    expect(ok.location).toBe(`/registrations/${id}?vastgelegd=1`);
    expect((await client.get(`/registrations/${id}`)).html).toContain('Geïnformeerd op 24 november 2026');
    expect((await client.get('/')).html).not.toMatch(/Nog niet geïnformeerd <span class="betrokken-badge">/);
  });

  it('ends a registration only after the confirmation step with a reason', async () => {
    const { client } = await loggedInProfessional(t, await t.organisation(), mailer);
    const created = await register(client, randomBsn());
    const id = created.path!.split('/').pop()!;
    const confirm = await client.get(`/registrations/${id}/end`);
    expect(confirm.html).toContain('Waarom eindigt uw betrokkenheid?');
    expect((await client.post(`/registrations/${id}/end`, {})).status).toBe(422);
    const ended = await client.submit(`/registrations/${id}/end`, { reason: 'resolved' });
    expect(ended.posted.status).toBe(303);
    expect(ended.path).toBe('/registrations');
    expect(ended.html).toContain('gearchiveerd');
    expect((await client.get('/registrations')).html).not.toContain('gearchiveerd');
    expect((await client.get(`/registrations/${id}`)).status).toBe(404);
  });

  it("shows a professional only their own registrations, not a colleague's", async () => {
    const org = await t.organisation();
    const a = await loggedInProfessional(t, org, mailer);
    const b = await loggedInProfessional(t, org, mailer);
    const created = await register(a.client, randomBsn(), { reference: 'EIGEN-A1' });
    const id = created.path!.split('/').pop()!;
    expect((await b.client.get(`/registrations/${id}`)).status).toBe(404);
    expect((await b.client.get('/registrations')).html).not.toContain('EIGEN-A');
    expect((await a.client.get('/registrations')).html).toContain('EIGEN-A');
  });

  it('answers a damaged page cursor with a page, never a server error', async () => {
    const { client } = await loggedInProfessional(t, await t.organisation(), mailer);
    expect((await client.get(`/registrations?cursor=${'x'.repeat(201)}`)).status).toBe(200);
    const garbled = await client.get('/registrations?cursor=bm90LWEtY3Vyc29y');
    expect(garbled.status).toBe(422);
    expect(garbled.html).toContain('Ongeldige cursor');
  });
});

describe('the account page', () => {
  it('changes the password (ending other sessions), makes new recovery codes, and ends a chosen session', async () => {
    const org = await t.organisation();
    const { client, professional, password, secret } = await loggedInProfessional(t, org, mailer);
    const other = new WebClient(t);
    await other.post('/login', { email: professional.email, password });
    await other.post('/login/code', { code: await totpCode(t, secret) });
    expect((await other.get('/')).status).toBe(200);

    const page = await client.get('/account');
    expect(page.html).toContain('10 ongebruikte herstelcodes');
    expect(page.html).toContain('Deze sessie');
    const handle = inputValue(page.html, 'handle')!;
    expect((await client.post('/account/sessions/end', { handle })).location).toBe('/account?gedaan=sessie');
    expect((await other.get('/')).status).toBe(303);

    const wrong = await client.post('/account/password', {
      current: 'niet mijn wachtwoord',
      password: 'een nieuw lang wachtwoord',
      confirm: 'een nieuw lang wachtwoord',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('Uw huidige wachtwoord klopt niet');
    const changed = await client.post('/account/password', { current: password, password: 'een nieuw lang wachtwoord', confirm: 'een nieuw lang wachtwoord' });
    expect(changed.location).toBe('/account?gedaan=wachtwoord');
    expect((await client.get('/')).status).toBe(200);

    clock.advance(30_000);
    const codes = await client.submit('/account/recovery-codes', { code: await totpCode(t, secret) });
    expect(codes.posted.status).toBe(303);
    expect(codes.path).toBe('/account/recovery-codes');
    expect([...codes.html.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)]).toHaveLength(10);
    // Shown once: a reload says so and how to make new ones.
    const reload = await client.get('/account/recovery-codes');
    expect(reload.status).toBe(200);
    expect(reload.html).not.toMatch(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/);
    expect(reload.html).toContain('Herstelcodes al getoond');
  });

  it('counts wrong current passwords like failed logins: a stolen session cannot guess its way in', async () => {
    const { client, professional, password } = await loggedInProfessional(t, await t.organisation(), mailer);
    for (let i = 0; i < 10; i++) {
      expect(
        (
          await client.post('/account/password', {
            current: `fout wachtwoord ${i}`,
            password: 'een nieuw lang wachtwoord',
            confirm: 'een nieuw lang wachtwoord',
          })
        ).status,
      ).toBe(422);
    }
    const right = await client.post('/account/password', { current: password, password: 'een nieuw lang wachtwoord', confirm: 'een nieuw lang wachtwoord' });
    expect(right.status).toBe(422); // locked for 15 minutes, even with the right password
    const locks = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'account.lock'), eq(auditEvents.targetUserId, professional.id)));
    expect(locks).toHaveLength(1);
    expect((await client.post('/account/sessions/end', { handle: '0123456789ab' })).location).toBe('/account?gedaan=geen-sessie');
  });

  it('audits a refused new password (policy) on the account page', async () => {
    const { client, professional, password } = await loggedInProfessional(t, await t.organisation(), mailer);
    const weak = await client.post('/account/password', { current: password, password: 'password1234', confirm: 'password1234' });
    expect(weak.status).toBe(422);
    const events = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'account.password_change'), eq(auditEvents.targetUserId, professional.id)));
    expect(events.map((e) => e.outcome)).toEqual(['invalid']);
  });
});
