/**
 * The professional's journey in real Chromium (Debian's package, driven by playwright-core)
 * against the real Node server with real SMTP: invite → set password → enrol TOTP → log in
 * → register a signal → a professional of another organisation registers the same BSN →
 * both get the email → open the match → one takes the coordination → the other sees it.
 * Every page is checked with axe-core (WCAG 2.1 A/AA: zero violations) and at 320 px
 * width; a screenshot of each step goes to test/e2e/screenshots/ (not committed).
 *
 * Without Chromium the suite is skipped with a loud notice; with CI=true that is a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, type ServerType } from '@hono/node-server';
import { generate } from 'otplib';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { randomBsn } from '../support/bsn.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

if (!available) {
  const notice = `\n${'!'.repeat(78)}\n!!! E2E TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n!!! Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).\n${'!'.repeat(78)}\n`;
  console.error(notice);
  if (process.env.CI === 'true') {
    it('has Chromium for the browser tests (required in CI)', () => {
      throw new Error(`Chromium is missing at ${CHROMIUM}: the e2e tests cannot run in CI without it.`);
    });
  }
}

/** Real time plus an offset the test moves: the browser's timers stay sensible, and TOTP
 * codes of "the next 30 seconds" can be used without waiting. */
function offsetClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

/** Waits until the locator's first match is visible (playwright-core has no expect of its own). */
function visible(locator: Locator) {
  return locator.first().waitFor({ state: 'visible', timeout: 10_000 });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!available)('the professional in Chromium', () => {
  const clock = offsetClock();
  let t: TestContext;
  let smtp: TestSmtp;
  let server: ServerType;
  let browser: Browser;
  let base: string;
  let step = 0;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtp();
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await createTestContext({ clock, mailer: 'configured', env: { PUBLIC_URL: base, SMTP_URL: smtp.url, NODE_ENV: 'development', LOG_LEVEL: 'silent' } });
    server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await smtp?.close();
    t?.close();
  });

  /** axe (WCAG 2.1 A and AA) must find nothing; the page must also fit 320 px without sideways scrolling. */
  async function check(page: Page, name: string) {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(violations, `axe on ${name}`).toEqual([]);
    await page.screenshot({ path: `${SHOTS}${String(++step).padStart(2, '0')}-${name}.png`, fullPage: true });
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal scrolling at 320 px on ${name}`).toBeLessThanOrEqual(0);
    await page.setViewportSize(size);
  }

  async function newContext(): Promise<BrowserContext> {
    return browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  }

  async function mailTo(email: string, contains: string) {
    await drainOutbox(t.deps);
    const mail = smtp.messages.findLast((m) => m.to.includes(email) && (m.parsed.text ?? '').includes(contains));
    expect(mail, `mail to ${email} containing ${contains}`).toBeDefined();
    return mail!.parsed.text ?? '';
  }

  /** From the invitation mail to the dashboard: password, authenticator app, recovery codes. */
  async function onboard(context: BrowserContext, org: Awaited<ReturnType<TestContext['organisation']>>, label: string) {
    const professional = await org.professional();
    await inviteProfessional(t.operator, { professionalId: professional.id });
    const text = await mailTo(professional.email, '/account/activate');
    const link = /https?:\/\/\S+\/account\/activate\?token=\S+/.exec(text)![0];
    const page = await context.newPage();
    await page.goto(link);
    await check(page, `${label}-activate`);
    const password = 'een lange zin als wachtwoord';
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await visible(page.getByText('Uw wachtwoord is ingesteld'));
    await check(page, `${label}-login`);
    await page.getByLabel('E-mailadres').fill(professional.email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await check(page, `${label}-enrol-start`);
    await page.getByRole('button', { name: 'Beginnen' }).click();
    await visible(page.getByRole('img', { name: /QR-code/ }));
    await check(page, `${label}-enrol-qr`);
    const secret = (await page.locator('.betrokken-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code uit de app').fill(await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) }));
    await page.getByRole('button', { name: 'Koppelen' }).click();
    await visible(page.getByRole('heading', { name: 'Uw herstelcodes' }));
    expect(await page.locator('.betrokken-codes li').count()).toBe(10);
    await check(page, `${label}-recovery-codes`);
    return { page, professional, password, secret };
  }

  async function login(page: Page, account: { professional: { email: string }; password: string; secret: string }, label: string) {
    clock.advance(30_000); // a later TOTP step than the one used at enrolment
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mailadres').fill(account.professional.email);
    await page.getByLabel('Wachtwoord').fill(account.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await check(page, `${label}-code`);
    await page.getByLabel('Code').fill(await generate({ secret: account.secret, epoch: Math.floor(clock.now().getTime() / 1000) }));
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /Goedendag/ }));
  }

  async function signal(page: Page, bsn: string, label: string, reference = '') {
    await page.getByRole('link', { name: 'Signaal afgeven' }).first().click();
    await check(page, `${label}-signal-form`);
    await page.getByLabel('BSN van de jeugdige').fill(bsn);
    await page.getByLabel('Geboortedatum').fill('2012-05-17');
    if (reference) await page.getByLabel('Eigen kenmerk').fill(reference);
    await page.getByLabel(/redelijk vermoeden/).check();
    await page.getByRole('button', { name: 'Controleren' }).click();
    await visible(page.getByRole('heading', { name: 'Wat Betrokken niet vastlegt' }));
    await check(page, `${label}-signal-confirm`);
    await page.getByRole('button', { name: 'Signaal afgeven' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Signaal afgegeven' }));
    await check(page, `${label}-signal-done`);
  }

  it('invite → password → TOTP → login → signal → second organisation → both mailed → match → regie seen by the other', async () => {
    const school = await t.organisation('education', 'Basisschool De Klimop');
    const care = await t.organisation('youth_care', 'Jeugdhulp Rijnmond');
    const ctxA = await newContext();
    const ctxB = await newContext();
    const a = await onboard(ctxA, school, 'a');
    const b = await onboard(ctxB, care, 'b');

    // A logs out and in again: the full login with the second factor.
    await a.page.getByRole('link', { name: /Ik heb de codes bewaard/ }).click();
    await check(a.page, 'a-dashboard-empty');
    await a.page.getByRole('button', { name: 'Uitloggen' }).first().click();
    await visible(a.page.getByText('U bent uitgelogd.'));
    await login(a.page, a, 'a');

    // A's first attempt has an invalid BSN: the error is next to the field and in the summary.
    const bsn = randomBsn();
    await a.page.getByRole('link', { name: 'Signaal afgeven' }).first().click();
    await a.page.getByLabel('BSN van de jeugdige').fill('123456789');
    await a.page.getByLabel('Geboortedatum').fill('2012-05-17');
    await a.page.getByLabel(/redelijk vermoeden/).check();
    await a.page.getByRole('button', { name: 'Controleren' }).click();
    await visible(a.page.getByRole('alert').getByRole('link', { name: /elfproef/ }));
    expect(await a.page.getByLabel('BSN van de jeugdige').getAttribute('aria-invalid')).toBe('true');
    await check(a.page, 'a-signal-error');
    await a.page.getByRole('link', { name: 'Mijn registraties' }).click();
    await signal(a.page, bsn, 'a', 'DOS-2026-0042');
    expect(await a.page.getByText('Er is een match').count()).toBe(0);

    await b.page.getByRole('link', { name: /Ik heb de codes bewaard/ }).click();
    await signal(b.page, bsn, 'b');
    await visible(b.page.getByText('Er is een match'));

    // Both are mailed a link to the match, and nothing about the child.
    const matchUrl = /https?:\/\/\S+\/matches\/[0-9a-f-]{36}/;
    const mailA = await mailTo(a.professional.email, '/matches/');
    const mailB = await mailTo(b.professional.email, '/matches/');
    expect(mailA).not.toContain(bsn);
    expect(mailB).not.toContain(bsn);
    const link = matchUrl.exec(mailA)![0];
    expect(matchUrl.exec(mailB)![0]).toBe(link);

    // A sees the new match on the dashboard, opens it from the mail and takes the coordination.
    await a.page.goto(`${base}/`);
    await visible(a.page.getByText('1 nieuw'));
    await check(a.page, 'a-dashboard-new-match');
    await a.page.goto(link);
    await visible(a.page.getByRole('cell', { name: /Jeugdhulp Rijnmond/ }));
    await check(a.page, 'a-match');
    await a.page.getByRole('button', { name: 'Ik neem de regie' }).click();
    await visible(a.page.getByText('U hebt de regie genomen'));
    await check(a.page, 'a-match-regie');

    // B is told by mail, and sees it on the match page; B records contact.
    await mailTo(b.professional.email, 'regie');
    await b.page.goto(link);
    expect(await b.page.getByText(/heeft de regie/).innerText()).toContain('Basisschool De Klimop');
    await b.page.getByRole('button', { name: 'Contact opgenomen' }).click();
    await visible(b.page.getByText('Vastgelegd dat u contact hebt opgenomen'));
    await check(b.page, 'b-match-contact');

    // The other pages A uses, each checked: list, detail, letter, end confirmation, account.
    await a.page.getByRole('link', { name: 'Mijn registraties' }).click();
    await check(a.page, 'a-registrations');
    await a.page
      .getByRole('link', { name: /november 2026/ })
      .first()
      .click();
    await visible(a.page.getByText(/de jeugdige én de wettelijk vertegenwoordiger/));
    await check(a.page, 'a-registration');
    await a.page.getByRole('link', { name: 'Brief om af te drukken' }).click();
    await visible(a.page.getByText('Beste jongere, beste ouder of verzorger'));
    await check(a.page, 'a-letter');
    await a.page.goBack();
    await a.page.getByRole('link', { name: 'Betrokkenheid beëindigen' }).click();
    await check(a.page, 'a-end-confirm');
    await a.page.getByRole('link', { name: 'Mijn account' }).click();
    await visible(a.page.getByText('Deze sessie'));
    await check(a.page, 'a-account');

    // Without a session the pages send the browser to login.
    await a.page.getByRole('button', { name: 'Uitloggen' }).first().click();
    await a.page.goto(link);
    await a.page.waitForURL(/\/login\?terug=/);
    await a.page.goto(`${base}/password/forgot`);
    await check(a.page, 'forgot-password');

    await ctxA.close();
    await ctxB.close();
  }, 120_000);

  it('warns before the idle timeout and extends the session from the dialog (WCAG 2.2.1)', async () => {
    const org = await t.organisation('district_team');
    const context = await newContext();
    const account = await onboard(context, org, 'c');
    const page = account.page;
    await page.getByRole('link', { name: /Ik heb de codes bewaard/ }).click();
    // The browser's clock runs 28 minutes ahead: two minutes before the idle timeout, the dialog opens.
    await page.clock.install();
    await page.reload();
    await page.clock.fastForward('28:01');
    const dialog = page.getByRole('dialog', { name: 'Uw sessie verloopt bijna' });
    await visible(dialog);
    await check(page, 'c-session-warning');
    await dialog.getByRole('button', { name: 'Doorgaan' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Extended: the next warning comes 28 minutes later, and Escape also counts as "Doorgaan".
    await page.clock.fastForward('27:00');
    expect(await dialog.isVisible()).toBe(false);
    await page.clock.fastForward('01:01');
    await visible(dialog);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.clock.fastForward('27:00');
    expect(await dialog.isVisible()).toBe(false);
    expect(page.url()).not.toContain('/login');
    await visible(page.getByRole('heading', { level: 1, name: /Goedendag/ }));
    await context.close();
  }, 60_000);
});
