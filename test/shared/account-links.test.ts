/**
 * The mailed links (issue 13): a used, replaced or expired invitation or reset link is
 * refused when it is opened (GET), naming the account it was for and what to do next,
 * instead of after the password is typed twice; a valid link's page names the account and
 * gives password managers a hidden username field. Refusals are audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional, requestPasswordReset } from '../../src/auth/account-tokens.ts';
import { auditEvents } from '../../src/db/schema.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { createTestClock } from '../support/clock.ts';
import { createTestContext, memoryMailer, type TestContext } from '../support/context.ts';
import { inputValue, loggedInPerson, WebClient } from '../support/web-client.ts';

const clock = createTestClock(new Date('2026-11-23T09:00:00Z'));
const mailer = memoryMailer();
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ clock, mailer, env: { LOGIN_LIMIT_PER_IP: '200' } });
});
afterAll(() => t.close());

/** The path of the newest link of the kind mailed to the address. */
async function mailedLink(email: string, kind: 'activate' | 'reset'): Promise<string> {
  await drainOutbox(t.deps);
  const text = mailer.sent.findLast((m) => m.to === email && m.text.includes(`/account/${kind}?token=`))!.text;
  const url = new URL(new RegExp(`https?://\\S+/account/${kind}\\?token=\\S+`).exec(text)![0]);
  return `${url.pathname}${url.search}`;
}

async function invited() {
  const person = await t.person(['professional'], (await t.organisation()).id);
  await inviteProfessional(t.operator, { professionalId: person.id });
  return { person, link: await mailedLink(person.email, 'activate') };
}

const PASSWORD = 'een lange zin als wachtwoord';

async function refusals(targetUserId: string) {
  return t.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetUserId, targetUserId), eq(auditEvents.outcome, 'denied')));
}

describe('opening an invitation link', () => {
  it('names the account it activates, with a hidden username field for password managers', async () => {
    const { person, link } = await invited();
    const page = await new WebClient(t).get(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`U activeert het account <strong class="betrokken-account">${person.email}</strong>`);
    const username = /<input[^>]*name="username"[^>]*>/.exec(page.html)![0];
    expect(username).toContain('autocomplete="username"');
    expect(username).toContain(`value="${person.email}"`);
    expect(username).toMatch(/\shidden/);
    expect(page.html).toContain('autocomplete="new-password"');
    expect(await refusals(person.id)).toHaveLength(0);
  });

  it('refuses a used link on GET, naming the account, with the way to log in; no password form', async () => {
    const { person, link } = await invited();
    const client = new WebClient(t);
    const token = inputValue((await client.get(link)).html, 'token')!;
    expect((await client.post('/account/activate', { token, password: PASSWORD, confirm: PASSWORD })).location).toBe('/login?geactiveerd=1');
    const again = await new WebClient(t).get(link);
    expect(again.status).toBe(410);
    expect(again.html).toContain('<title>Deze link is al gebruikt');
    expect(again.html).toContain(`Deze link voor <strong class="betrokken-account">${person.email}</strong> is al gebruikt`);
    expect(again.html).toContain('href="/login"');
    expect(again.html).not.toContain('name="password"');
    const [refused] = await refusals(person.id);
    expect(refused).toMatchObject({ action: 'account.activate', detail: { reason: 'used', step: 'open_link' } });
    // Posting the used link anyway is refused the same way, before the password is looked at.
    const posted = await new WebClient(t).post('/account/activate', { token, password: 'iets anders lang genoeg', confirm: 'iets anders lang genoeg' });
    expect(posted.status).toBe(410);
    expect(posted.html).toContain(person.email);
  });

  it('refuses a link replaced by a newer invitation, pointing to the newest mail', async () => {
    const { person, link } = await invited();
    clock.advance(60_000);
    await inviteProfessional(t.operator, { professionalId: person.id });
    const newer = await mailedLink(person.email, 'activate');
    expect(newer).not.toBe(link);
    const old = await new WebClient(t).get(link);
    expect(old.status).toBe(410);
    expect(old.html).toContain('<title>Er is een nieuwere link');
    expect(old.html).toContain(person.email);
    expect(old.html).toContain('de link uit de laatste e-mail');
    expect((await new WebClient(t).get(newer)).status).toBe(200);
  });

  it('refuses an expired invitation: ask for a new one (the reset link needs a password first)', async () => {
    const { person, link } = await invited();
    clock.advance(72 * 3_600_000 + 1000);
    const page = await new WebClient(t).get(link);
    expect(page.status).toBe(410);
    expect(page.html).toContain('<title>Deze link is verlopen');
    expect(page.html).toContain(person.email);
    expect(page.html).toContain('om een nieuwe uitnodiging');
    const [refused] = await refusals(person.id);
    expect(refused!.detail).toMatchObject({ reason: 'expired' });
  });

  it('refuses a link that names nothing without naming anyone (404)', async () => {
    const page = await new WebClient(t).get(`/account/activate?token=${'x'.repeat(43)}`);
    expect(page.status).toBe(404);
    expect(page.html).toContain('Deze link is ongeldig');
    expect(page.html).not.toContain('betrokken-account');
    expect((await new WebClient(t).get('/account/activate')).status).toBe(400);
  });
});

describe('opening a password-reset link', () => {
  it('names the account; once used or expired it is refused on GET with the way to a new link', async () => {
    const account = await loggedInPerson(t, ['professional'], mailer, (await t.organisation()).id);
    const email = account.professional.email;
    await requestPasswordReset(t.operator, { email });
    const link = await mailedLink(email, 'reset');
    const client = new WebClient(t);
    const page = await client.get(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`nieuw wachtwoord voor het account <strong class="betrokken-account">${email}</strong>`);
    expect(/<input[^>]*name="username"[^>]*>/.exec(page.html)![0]).toContain(`value="${email}"`);
    const token = inputValue(page.html, 'token')!;
    const next = 'een heel ander lang wachtwoord';
    const done = await client.submit('/account/reset', { token, password: next, confirm: next });
    expect(done.posted.location).toBe('/login?wachtwoord=gezet');
    expect(done.html).toContain('Uw nieuwe wachtwoord is ingesteld');
    const used = await new WebClient(t).get(link);
    expect(used.status).toBe(410);
    expect(used.html).toContain(`Deze link voor <strong class="betrokken-account">${email}</strong> is al gebruikt`);
    expect(used.html).toContain('href="/password/forgot"');

    clock.advance(10 * 60_000); // past the interval between two reset mails
    await requestPasswordReset(t.operator, { email });
    const second = await mailedLink(email, 'reset');
    clock.advance(3_600_000 + 1000);
    const expired = await new WebClient(t).get(second);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('is verlopen');
    expect(expired.html).toContain(email);
    expect(expired.html).toContain('href="/password/forgot"');
    const reasons = (await refusals(account.professional.id)).map((r) => [r.action, r.detail?.reason]);
    expect(reasons).toEqual([
      ['account.reset', 'used'],
      ['account.reset', 'expired'],
    ]);
  });

  it('asking for a link answers 303 to a page that says a mail is on its way; a refresh asks nothing again', async () => {
    const client = new WebClient(t);
    const asked = await client.submit('/password/forgot', { email: 'wie.dan.ook@example.org' });
    expect(asked.posted.status).toBe(303);
    expect(asked.path).toBe('/password/forgot?verstuurd=1');
    expect(asked.html).toContain('Als dit e-mailadres bij ons bekend is');
    const invalid = await client.post('/password/forgot', { email: 'geen adres' });
    expect(invalid.status).toBe(422);
    expect(invalid.html).not.toContain('Als dit e-mailadres bij ons bekend is');
  });
});
