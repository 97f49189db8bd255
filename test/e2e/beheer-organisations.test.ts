/**
 * The admin's organisation, API-client and mail pages in real Chromium, each checked with
 * axe (WCAG 2.2 A/AA: zero violations) and at 320 px: search, add (first a taken name),
 * edit the convenant, deactivate behind the confirmation; create an API client (the token
 * once) and revoke it; the mail list and retrying a dead mail. The bench: test/support/browser.ts.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
import { createPerson } from '../../src/directory/directory.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('organisations, API clients and mail in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('beheer-org');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('search, add, edit, deactivate; API client create and revoke; mail retry', async () => {
    const { page } = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const org = await t.organisation('youth_care', 'Jeugdhulp Voorbeeld');
    const p = await org.professional();
    for (let i = 0; i < 2; i++) expect((await t.register(org, p.email)).status).toBe(201);
    await t.organisation('education', 'Basisschool De Klimop');

    await page.goto(`${bench.base}/beheer`);
    await page.getByRole('link', { name: 'Organisaties' }).first().click();
    await visible(page.getByRole('heading', { level: 1, name: 'Organisaties' }));
    await check(page, 'list');
    await page.getByLabel('Naam bevat').fill('klimop');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await visible(page.getByRole('link', { name: 'Basisschool De Klimop' }));
    await check(page, 'searched');

    await page.getByRole('link', { name: 'Organisatie toevoegen' }).click();
    await check(page, 'new');
    await page.getByLabel('Naam').fill('JEUGDHULP voorbeeld');
    await page.getByLabel('Sector').selectOption('hospital');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await visible(page.getByText('Er is al een organisatie met deze naam').first());
    await check(page, 'new-taken');
    await page.getByLabel('Naam').fill('Ziekenhuis Zuid');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await visible(page.getByText('De organisatie is toegevoegd.'));
    await check(page, 'added');

    await page.goto(`${bench.base}/beheer/organisaties/${org.id}`);
    await check(page, 'detail');
    await page.getByRole('link', { name: 'Gegevens en convenant wijzigen' }).click();
    await page.getByLabel('Naam').fill('');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('Vul de naam van de organisatie in.').first());
    await check(page, 'edit-error');
    await page.getByLabel('Naam').fill('Jeugdhulp Voorbeeld');
    await page.getByLabel('Convenant ondertekend op').fill('2026-03-01');
    await page.getByLabel('Status van het convenant').selectOption('signed');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('De wijzigingen zijn opgeslagen.'));

    await page.getByRole('link', { name: 'Organisatie deactiveren' }).click();
    await visible(page.getByText('2 actieve registraties').first());
    await check(page, 'deactivate');
    await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
    await visible(page.getByText('Kies wat er met de lopende registraties gebeurt.').first());
    await check(page, 'deactivate-error');
    await page.getByLabel(/Afgerond/).check();
    await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
    await visible(page.getByText('wacht op de goedkeuring van een tweede beheerder'));
    await check(page, 'deactivated');

    await page.goto(`${bench.base}/beheer/api-koppelingen`);
    await check(page, 'api-clients');
    await page.getByRole('link', { name: 'API-koppeling aanmaken' }).click();
    await page.getByLabel('Organisatie').selectOption({ label: 'Basisschool De Klimop' });
    await page.getByLabel('Naam van de koppeling').fill('Leerlingvolgsysteem');
    await page.getByLabel(/Limiet per minuut/).fill('veel');
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await visible(page.getByText('Vul een heel getal').first());
    await check(page, 'api-client-new-error');
    await page.getByLabel(/Limiet per minuut/).fill('');
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'API-koppeling aangemaakt' }));
    expect(await page.locator('code.betrokken-secret').innerText()).toMatch(/^btk_/);
    await check(page, 'api-client-created');
    await page.goto(`${bench.base}/beheer/api-koppelingen`);
    await page.getByRole('link', { name: /Intrekken: Leerlingvolgsysteem/ }).click();
    await check(page, 'api-client-revoke');
    await page.getByRole('button', { name: 'Ja, intrekken' }).click();
    await visible(page.getByText('De API-koppeling is ingetrokken'));
    await check(page, 'api-client-revoked');

    // A dead invitation, as the drainer leaves it (its link scrubbed).
    const klimop = await t.organisation('education', 'Basisschool Het Anker');
    const { id } = await createPerson(t.operator, { organisationId: klimop.id, name: 'Nog Niet Actief', email: 'nog.niet@example.org' });
    await t.deps.db
      .update(outbox)
      .set({ status: 'dead', lastError: 'Error 550 mailbox unavailable', payload: {} })
      .where(eq(outbox.recipientProfessionalId, id));
    await page.goto(`${bench.base}/beheer/mail`);
    await check(page, 'mail-pending');
    await page.getByRole('link', { name: /Mislukt/ }).click();
    await visible(page.getByText('Error 550 mailbox unavailable'));
    await check(page, 'mail-dead');
    await page.getByRole('button', { name: 'Nieuwe link sturen: Uitnodiging aan nog.niet@example.org' }).click();
    await visible(page.getByText('Er is een nieuwe link verstuurd'));
    await visible(page.getByText('Vervangen door een nieuwe link'));
    await check(page, 'mail-retried');
  }, 240_000);
});
