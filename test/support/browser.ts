/**
 * The browser test bench shared by the e2e suites: the real Node server on a free port with
 * real SMTP, Debian's Chromium (playwright-core), and the steps every journey repeats —
 * onboarding from the invitation mail, logging in with the second factor, and `check`:
 * axe (WCAG 2.2 A/AA, zero violations), no sideways scrolling at 320 px, and (with
 * E2E_SCREENSHOTS=1) a screenshot in test/e2e/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { generate } from 'otplib';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { createTestContext, type TestContext } from './context.ts';
import { activateAndLogIn } from './web-client.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const available = existsSync(CHROMIUM);
const SHOTS = new URL('../e2e/screenshots/', import.meta.url).pathname;

/** What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on this page, as "rule: help (targets)". axe is injected once per
 * document and run directly: @axe-core/playwright's AxeBuilder took ~0.85 s per call here
 * against ~0.2 s (it re-injects into every frame each time), and the journey runs axe twice
 * on every page under every theme. Our pages have no frames.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> };
        }
      ).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))),
    AXE_TAGS,
  );
  return violations.map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

if (!available) {
  const notice = `\n${'!'.repeat(78)}\n!!! E2E TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n!!! Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).\n${'!'.repeat(78)}\n`;
  console.error(notice);
}

/** In CI a missing Chromium is a failure, not a skip: call once per e2e file. */
export function requireChromiumInCi() {
  if (!available && process.env.CI === 'true') {
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
export function visible(locator: Locator) {
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

export interface Account {
  page: Page;
  professional: { id: string; email: string };
  password: string;
  secret: string;
}

export interface BenchOptions {
  /** More configuration for the app, e.g. `{ THEME: 'denhaag' }`. */
  env?: Record<string, string>;
  /**
   * Every checked page is captured at 1280 and at 320 px, and axe runs at both widths (the
   * journey does this under every theme); otherwise only with E2E_SCREENSHOTS=1, at 1280.
   */
  everyWidth?: boolean;
}

/** Starts the bench; `prefix` names this suite's screenshots. */
export async function startBench(prefix: string, options: BenchOptions = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const clock = offsetClock();
  const smtp: TestSmtp = await startSmtp();
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const t: TestContext = await createTestContext({
    clock,
    mailer: 'configured',
    env: { PUBLIC_URL: base, SMTP_URL: smtp.url, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...options.env },
  });
  const server: ServerType = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });
  const browser: Browser = await chromium.launch({
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
  let step = 0;

  /** axe (WCAG 2.2 A and AA) must find nothing; the page must also fit 320 px without sideways scrolling. */
  async function axe(page: Page, name: string) {
    expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  }
  const shot = (page: Page, name: string, width: number) =>
    page.screenshot({ path: `${SHOTS}${prefix}-${String(step).padStart(2, '0')}-${name}-${width}.png`, fullPage: true });

  async function check(page: Page, name: string) {
    await axe(page, name);
    step++;
    // Screenshots: every page at both widths for the journey; elsewhere on request
    // (E2E_SCREENSHOTS=1), a full-page capture per step costs time the suite need not spend.
    if (options.everyWidth || process.env.E2E_SCREENSHOTS) await shot(page, name, 1280);
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal scrolling at 320 px on ${name}`).toBeLessThanOrEqual(0);
    if (options.everyWidth) {
      await axe(page, `${name} at 320 px`);
      await shot(page, name, 320);
    }
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

  let onboardingChecked = false;
  /** The onboarding pages are the same for everyone: checked (axe, 320 px) the first time per bench only. */
  const checkOnce = async (page: Page, name: string) => {
    if (!onboardingChecked) await check(page, name);
  };

  /**
   * From the invitation mail to the recovery codes: password, authenticator app. The first
   * person of a bench goes through the pages in the browser (checked); later ones through
   * the same app in process (test/support/web-client.ts), and the browser gets their
   * session cookie: the pages are the same, and a browser onboarding costs seconds.
   */
  async function onboard(context: BrowserContext, person: { id: string; email: string }, label: string): Promise<Account> {
    if (onboardingChecked) {
      const mail = {
        get sent() {
          return smtp.messages.map((m) => ({ to: m.to.includes(person.email) ? person.email : m.to, text: m.parsed.text ?? '' }));
        },
      };
      const done = await activateAndLogIn(t, person, mail);
      await context.addCookies([...done.client.cookies].map(([name, value]) => ({ name, value, url: base })));
      const page = await context.newPage();
      await page.goto(`${base}/`);
      return { page, professional: person, password: done.password, secret: done.secret };
    }
    await inviteProfessional(t.operator, { professionalId: person.id });
    const text = await mailTo(person.email, '/account/activate');
    const link = /https?:\/\/\S+\/account\/activate\?token=\S+/.exec(text)![0];
    const page = await context.newPage();
    await page.goto(link);
    await checkOnce(page, `${label}-activate`);
    const password = 'een lange zin als wachtwoord';
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await visible(page.getByText('Uw wachtwoord is ingesteld'));
    await checkOnce(page, `${label}-login`);
    await page.getByLabel('E-mailadres').fill(person.email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await checkOnce(page, `${label}-enrol-start`);
    await page.getByRole('button', { name: 'Beginnen' }).click();
    await visible(page.getByRole('img', { name: /QR-code/ }));
    await checkOnce(page, `${label}-enrol-qr`);
    const secret = (await page.locator('.betrokken-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code uit de app').fill(await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) }));
    await page.getByRole('button', { name: 'Koppelen' }).click();
    await visible(page.getByRole('heading', { name: 'Uw herstelcodes' }));
    expect(await page.locator('.betrokken-codes li').count()).toBe(10);
    await checkOnce(page, `${label}-recovery-codes`);
    onboardingChecked = true;
    return { page, professional: person, password, secret };
  }

  async function login(page: Page, account: Pick<Account, 'professional' | 'password' | 'secret'>, label: string) {
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

  async function close() {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // The app's mailer first: its pooled connections stay open until it closes, and the SMTP
    // server's close waits for them (up to 30 s, which every browser suite paid).
    t.close();
    await smtp.close();
  }

  return { t, clock, base, smtp, browser, check, newContext, mailTo, onboard, login, close };
}

export type Bench = Awaited<ReturnType<typeof startBench>>;
