/**
 * The developers' pages in real Chromium (issue 13): the API viewer at /api/v1/docs (Scalar,
 * its script from this origin) lists the operations under its own CSP, with no request to
 * another origin and no CSP error in the console, axe-clean and fitting 320 px; the mail preview at /dev/mail (the bench
 * runs in development) lists a sent mail, shows it, and its link opens the activation page.
 * The bench: test/support/browser.ts.
 */
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { drainOutbox } from '../../src/jobs/drain-outbox.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('the developers’ pages in Chromium', () => {
  let bench: Bench;

  beforeAll(async () => {
    bench = await startBench('developers');
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  /** Console errors and requests to any other origin, while the page is open. */
  function watch(page: Page) {
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(bench.base) && !/^(data|blob|about):/.test(url)) foreign.push(url);
    });
    return { errors, foreign };
  }

  it('the API viewer lists the operations, under its CSP, from this origin only', async () => {
    const page = await (await bench.newContext()).newPage();
    const seen = watch(page);
    const response = await page.goto(`${bench.base}/api/v1/docs`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    await visible(page.getByText('Register involvement with a young person (signaal afgeven)'));
    await visible(page.getByText('A match your organisation is a member of, with the members’ contact details'));
    // Let lazy parts settle, then nothing was blocked and nothing went elsewhere.
    await page.waitForTimeout(2000);
    expect(seen.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(seen.foreign).toEqual([]);
    // Scalar's page too: axe (with our contrast fixes and its language) and 320 px.
    await bench.check(page, 'api-docs');
    await page.close();
  }, 60_000);

  it('the mail preview lists a sent mail, shows it, and its link opens the activation page', async () => {
    const { t } = bench;
    const org = await t.organisation();
    const person = await org.professional('Dev Voorbeeld');
    await inviteProfessional(t.operator, { professionalId: person.id });
    await drainOutbox(t.deps);

    const page = await (await bench.newContext()).newPage();
    const seen = watch(page);
    await page.goto(`${bench.base}/dev/mail`);
    await visible(page.getByRole('cell', { name: person.email }));
    await bench.check(page, 'dev-mail');
    await page
      .getByRole('row', { name: new RegExp(person.email) })
      .getByRole('link')
      .click();
    await visible(page.getByRole('heading', { level: 2, name: 'Tekstversie' }));
    await bench.check(page, 'dev-mail-detail');
    await page.getByRole('link', { name: 'Open de HTML-versie' }).click();
    await visible(page.locator('a[href*="/account/activate?token="]'));
    await page.goBack();
    await page.locator('a[href*="/account/activate?token="]').first().click();
    await visible(page.getByLabel('Nieuw wachtwoord', { exact: false }));
    expect(new URL(page.url()).pathname).toBe('/account/activate');
    expect(seen.foreign).toEqual([]);
    await page.close();
  }, 60_000);
});
