/**
 * The professional's journey in real Chromium (Debian's package, driven by playwright-core)
 * against the real Node server with real SMTP: invite → set password → enrol TOTP → log in
 * → register a signal → a professional of another organisation registers the same BSN →
 * both get the email → open the match → one takes the coordination → the other sees it.
 * It runs under every shipped theme (docs/theming.md): every page is checked with axe-core
 * (WCAG 2.2 A/AA: zero violations) at 1280 and at 320 px width, must not scroll sideways at
 * 320 px, and is captured at both widths in test/e2e/screenshots/ (pro-<theme>-NN-<page>-<width>.png).
 * The bench (server, SMTP, browser, onboarding) is test/support/browser.ts.
 *
 * Without Chromium the suite is skipped with a loud notice; with CI=true that is a failure.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/bsn.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

/** The shipped themes: the journey must hold, and pass axe, under each. */
const THEMES = ['voorbeeld', 'denhaag'];

describe.skipIf(!available).each(THEMES)('the professional in Chromium, theme %s', (theme) => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench(`pro-${theme}`, { env: { THEME: theme }, everyWidth: true });
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);
  const onboard = async (context: Parameters<Bench['onboard']>[0], org: Awaited<ReturnType<TestContext['organisation']>>, label: string) =>
    bench.onboard(context, await org.professional(), label);

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
    const ctxA = await bench.newContext();
    const ctxB = await bench.newContext();
    const a = await onboard(ctxA, school, 'a');
    const b = await onboard(ctxB, care, 'b');

    // A logs out and in again: the full login with the second factor.
    await a.page.getByRole('link', { name: /Ik heb de codes bewaard/ }).click();
    await check(a.page, 'a-dashboard-empty');
    await a.page.getByRole('button', { name: 'Uitloggen' }).first().click();
    await visible(a.page.getByText('U bent uitgelogd.'));
    await bench.login(a.page, a, 'a');

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

    // (The bench onboarded B in process: B's page is the dashboard already.)
    await signal(b.page, bsn, 'b');
    await visible(b.page.getByText('Er is een match'));

    // Both are mailed a link to the match, and nothing about the child.
    const matchUrl = /https?:\/\/\S+\/matches\/[0-9a-f-]{36}/;
    const mailA = await bench.mailTo(a.professional.email, '/matches/');
    const mailB = await bench.mailTo(b.professional.email, '/matches/');
    expect(mailA).not.toContain(bsn);
    expect(mailB).not.toContain(bsn);
    const link = matchUrl.exec(mailA)![0];
    expect(matchUrl.exec(mailB)![0]).toBe(link);

    // A sees the new match on the dashboard and opens it from the mail. A school may signal
    // but not coordinate (the municipality's default rules): A records contact.
    await a.page.goto(`${bench.base}/`);
    await visible(a.page.getByText('1 nieuw'));
    await check(a.page, 'a-dashboard-new-match');
    await a.page.goto(link);
    await visible(a.page.getByRole('cell', { name: /Jeugdhulp Rijnmond/ }));
    await visible(a.page.getByText(/mag uw sector \(Onderwijs\) signaleren/));
    await check(a.page, 'a-match');
    await a.page.getByRole('button', { name: 'Contact opgenomen' }).click();
    await visible(a.page.getByText('Vastgelegd dat u contact hebt opgenomen'));
    await check(a.page, 'a-match-contact');

    // B, whom the rules suggest, confirms and takes the coordination; A is told by mail and sees it.
    await b.page.goto(link);
    await b.page.getByLabel(/afgesproken dat ik de regie neem/).check();
    await b.page.getByRole('button', { name: 'Ik neem de regie' }).click();
    await visible(b.page.getByText('U hebt de regie genomen'));
    await check(b.page, 'b-match-regie');
    await bench.mailTo(a.professional.email, 'regie');
    await a.page.goto(link);
    expect(await a.page.getByText(/heeft de regie/).innerText()).toContain('Jeugdhulp Rijnmond');

    // The other pages A uses, each checked: list, detail, letter, end confirmation, account.
    await a.page.getByRole('link', { name: 'Mijn registraties' }).click();
    await check(a.page, 'a-registrations');
    await a.page
      .getByRole('link', { name: /november 2026/ })
      .first()
      .click();
    await visible(a.page.getByText(/de jeugdige én de wettelijk vertegenwoordiger/));
    await check(a.page, 'a-registration');
    await a.page.getByRole('link', { name: 'Brief voor de ouder of verzorger (afdrukken)' }).click();
    await visible(a.page.getByText('Geachte ouder of verzorger'));
    await check(a.page, 'a-letter');
    await a.page.getByRole('link', { name: 'Brief voor de jongere (12 jaar en ouder)' }).click();
    await visible(a.page.getByText('Onderwerp: je staat in de verwijsindex'));
    await check(a.page, 'a-letter-youth');
    await a.page.goBack();
    await a.page.goBack();
    await a.page.getByRole('link', { name: 'Betrokkenheid beëindigen' }).click();
    await check(a.page, 'a-end-confirm');
    await a.page.getByRole('link', { name: 'Mijn account' }).click();
    await visible(a.page.getByText('Deze sessie'));
    await check(a.page, 'a-account');

    // The footer's statements, from any page.
    await a.page.getByRole('link', { name: 'Toegankelijkheidsverklaring' }).click();
    await visible(a.page.getByRole('heading', { level: 1, name: 'Toegankelijkheidsverklaring' }));
    await check(a.page, 'accessibility-statement');
    await a.page.getByRole('link', { name: 'Privacyverklaring' }).click();
    await visible(a.page.getByRole('heading', { level: 1, name: 'Privacyverklaring Betrokken' }));
    await check(a.page, 'privacy-statement');

    // Without a session the pages send the browser to login.
    await a.page.getByRole('button', { name: 'Uitloggen' }).first().click();
    await a.page.goto(link);
    await a.page.waitForURL(/\/login\?terug=/);
    await a.page.goto(`${bench.base}/password/forgot`);
    await check(a.page, 'forgot-password');

    await ctxA.close();
    await ctxB.close();
  }, 240_000);

  it('warns before the idle timeout and extends the session from the dialog (WCAG 2.2.1)', async () => {
    const org = await t.organisation('district_team');
    const context = await bench.newContext();
    const account = await onboard(context, org, 'c');
    const page = account.page;
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
