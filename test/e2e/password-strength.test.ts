/**
 * Passwords judged by strength (issue 13, part 5) in real Chromium: a predictable password
 * is refused beside the field, in Dutch, when an account is activated and when the password
 * is changed on /account; both pages with the error pass axe and fit 320 px.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteProfessional } from '../../src/auth/account-tokens.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

const STRONG = 'Kastanje-vijver-31-morgenrood';

/** The field's error is the one its input names in aria-describedby, inside the same form field. */
async function errorBeside(page: Page, input: Locator): Promise<string> {
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-fout'));
  expect(errorId, 'the input names its error').toBeDefined();
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  const error = page.locator(`[id="${errorId}"]`);
  // The error sits in the field's own wrapper, next to the input.
  const sameField = await error.evaluate(
    (node, inputId) => node.closest('.utrecht-form-field')?.querySelector(`[id="${inputId}"]`) !== null,
    await input.getAttribute('id'),
  );
  expect(sameField).toBe(true);
  return (await error.innerText()).replace(/^Fout:\s*/, '');
}

describe.skipIf(!available)('password strength in Chromium', () => {
  let bench: Bench;

  beforeAll(async () => {
    bench = await startBench('password');
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  it('refuses a predictable password at activation beside the field, then accepts a passphrase', async () => {
    const org = await bench.t.organisation('youth_care', 'Stichting Kinderhaven');
    const person = await org.professional('Marieke Zonneveld');
    await inviteProfessional(bench.t.operator, { professionalId: person.id });
    const link = /https?:\/\/\S+\/account\/activate\?token=\S+/.exec(await bench.mailTo(person.email, '/account/activate'))![0];
    const page = await (await bench.newContext()).newPage();
    await page.goto(link);
    await visible(page.getByText('Een wachtwoord dat makkelijk te raden is, wordt geweigerd'));

    const field = page.getByLabel('Nieuw wachtwoord', { exact: true });
    for (const weak of ['welkom123456', 'zonneveldkinderhaven']) {
      await field.fill(weak);
      await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(weak);
      await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
      await visible(page.locator('.utrecht-form-field-error-message'));
      expect(await errorBeside(page, field)).toMatch(/^Dit wachtwoord is te voorspelbaar\. /);
    }
    expect(await errorBeside(page, field)).toContain('Het bevat uw naam, uw e-mailadres, de naam van uw organisatie of van Betrokken.');
    expect(await field.inputValue()).toBe(''); // not kept in the form
    await bench.check(page, 'activate-weak');

    await field.fill(STRONG);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(STRONG);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await visible(page.getByText('Uw wachtwoord is ingesteld'));
  });

  it('refuses a predictable new password on /account beside the field', async () => {
    const org = await bench.t.organisation();
    const account = await bench.onboard(await bench.newContext(), await org.professional(), 'account');
    const page = account.page;
    await page.goto(`${bench.base}/account`);
    await page.getByLabel('Huidig wachtwoord').fill(account.password);
    const field = page.getByLabel('Nieuw wachtwoord', { exact: true });
    await field.fill('Wachtwoord123');
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('Wachtwoord123');
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await visible(page.locator('.utrecht-form-field-error-message'));
    expect(await errorBeside(page, field)).toMatch(/^Dit wachtwoord is te voorspelbaar\. Voeg meer woorden toe/);
    await bench.check(page, 'account-weak');
  });
});
