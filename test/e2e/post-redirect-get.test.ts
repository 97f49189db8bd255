/**
 * Issue 13 in real Chromium (axe and 320 px on every page checked): after "Signaal
 * afgeven" the address is the registration's and a reload posts nothing and shows the
 * result no more; recovery codes shown once; a used invitation link refused on opening,
 * naming its account, and a valid one naming it with a hidden username field; required
 * radio groups and the criterion checkbox do not look invalid before a submit; the check
 * page's bullets are no warnings.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { registrations } from '../../src/db/schema.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';
import { randomBsn } from '../support/bsn.ts';
import type { TestContext } from '../support/context.ts';

requireChromiumInCi();

/** The border of each control, then the same with `required` removed: equal means `:invalid` paints nothing. */
async function bordersWithAndWithoutRequired(page: Page, selector: string) {
  return page.evaluate((css) => {
    const inputs = Array.from(document.querySelectorAll<HTMLInputElement>(css));
    const look = () => inputs.map((i) => `${getComputedStyle(i).borderColor} ${getComputedStyle(i).borderWidth} ${getComputedStyle(i).outlineColor}`);
    const before = look();
    const invalid = inputs.some((i) => i.matches(':invalid'));
    for (const i of inputs) i.removeAttribute('required');
    const after = look();
    for (const i of inputs) i.setAttribute('required', '');
    return { before, after, invalid };
  }, selector);
}

describe.skipIf(!available)('Post/Redirect/Get, mailed links and error styling in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('prg');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  it('a signal: check page without warning bullets, then the registration page once; a reload posts and shows nothing again', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp PRG');
    const account = await bench.onboard(await bench.newContext(), await org.professional('Pim de Graaf'), 'professional');
    const page = account.page;
    await page.goto(`${bench.base}/registrations/new`);
    // The criterion checkbox is required, but not red before a submit.
    const box = await bordersWithAndWithoutRequired(page, 'input[name="criterion"]');
    expect(box.invalid).toBe(true);
    expect(box.before).toEqual(box.after);
    await page.getByLabel('BSN van de jeugdige').fill(randomBsn());
    await page.getByLabel('Geboortedatum').fill('2012-05-17');
    await page.getByLabel(/Ik heb een redelijk vermoeden/).check();
    await page.getByRole('button', { name: 'Controleren' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Controleer uw signaal' }));
    const markers = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.betrokken-plain-list > li')).map((li) => [getComputedStyle(li, '::marker').color, getComputedStyle(li).color]),
    );
    expect(markers.length).toBeGreaterThan(0);
    for (const [marker, text] of markers) expect(marker).toBe(text);
    await bench.check(page, 'check');

    await page.getByRole('button', { name: 'Signaal afgeven' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Signaal afgegeven' }));
    await visible(page.getByText('Uw betrokkenheid is geregistreerd tot en met'));
    expect(new URL(page.url()).pathname).toMatch(/^\/registrations\/[0-9a-f-]{36}$/);
    expect(await page.title()).toContain('Signaal afgegeven');
    await bench.check(page, 'given');
    const count = async () => (await t.deps.db.select({ id: registrations.id }).from(registrations)).length;
    const before = await count();
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: /Registratie van/ }));
    expect(await page.getByText('Signaal afgegeven').count()).toBe(0);
    expect(await page.getByText('Uw betrokkenheid is geregistreerd').count()).toBe(0);
    expect(await count()).toBe(before);

    // The end page: its required radio group is not red before a submit, marked after one.
    await page.getByRole('link', { name: 'Betrokkenheid beëindigen' }).click();
    const radios = await bordersWithAndWithoutRequired(page, 'input[name="reason"]');
    expect(radios.invalid).toBe(true);
    expect(radios.before).toEqual(radios.after);
    await bench.check(page, 'end');
    await page.getByRole('button', { name: 'Ja, beëindigen' }).click();
    await visible(page.getByText('Kies een reden.').first());
    expect(await page.locator('input[name="reason"][aria-invalid="true"].utrecht-radio-button--invalid').count()).toBeGreaterThan(1);
    await bench.check(page, 'end-errors');
    await page
      .getByLabel(/afgerond/i)
      .first()
      .check();
    await page.getByRole('button', { name: 'Ja, beëindigen' }).click();
    await visible(page.getByText('De registratie is beëindigd'));
    expect(new URL(page.url()).pathname).toBe('/registrations');
    await page.reload();
    expect(await page.getByText('De registratie is beëindigd').count()).toBe(0);

    // New recovery codes: shown once, a reload says so.
    await page.goto(`${bench.base}/account`);
    bench.clock.advance(30_000);
    const { generate } = await import('otplib');
    await page.getByLabel('Code uit de app').fill(await generate({ secret: account.secret, epoch: Math.floor(bench.clock.now().getTime() / 1000) }));
    await page.getByRole('button', { name: 'Nieuwe herstelcodes maken' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Uw herstelcodes' }));
    expect(await page.locator('.betrokken-codes li').count()).toBe(10);
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: 'Herstelcodes al getoond' }));
    expect(await page.locator('.betrokken-codes li').count()).toBe(0);
    await bench.check(page, 'codes-shown');
  }, 120_000);

  it('an invitation link names its account; once used it is refused on opening, naming the account', async () => {
    const org = await t.organisation('education', 'School Links');
    const person = await org.professional('Jet Jansen');
    await inviteProfessional(t.operator, { professionalId: person.id });
    const text = await bench.mailTo(person.email, '/account/activate');
    const link = /https?:\/\/\S+\/account\/activate\?token=\S+/.exec(text)![0];
    const context = await bench.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await visible(page.getByText(`U activeert het account ${person.email}`));
    const username = page.locator('input[name="username"]');
    expect(await username.getAttribute('autocomplete')).toBe('username');
    expect(await username.inputValue()).toBe(person.email);
    expect(await username.isVisible()).toBe(false);
    await bench.check(page, 'activate');
    const password = 'een lange zin als wachtwoord';
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await visible(page.getByText('Uw wachtwoord is ingesteld'));

    const again = await context.newPage();
    const answer = await again.goto(link);
    expect(answer?.status()).toBe(410);
    await visible(again.getByRole('heading', { level: 1, name: 'Deze link is al gebruikt' }));
    await visible(again.getByText(`Deze link voor ${person.email} is al gebruikt`));
    expect(await again.getByLabel('Nieuw wachtwoord', { exact: true }).count()).toBe(0);
    await visible(again.getByRole('link', { name: 'Log in' }));
    await bench.check(again, 'link-used');
  }, 60_000);
});
