/**
 * The people console (/beheer/mensen) and the coordinator's pages (/organisatie) in real
 * Chromium, checked with axe (WCAG 2.2 A/AA: zero violations) and at 320 px: the admin
 * searches, invites (first with errors), edits, changes roles, resets a second factor and
 * deactivates; the coordinator sees their organisation, its registrations and transfers one.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('people console in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('people');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('the admin: list, search, invite with errors, detail, edit, roles, reset second factor, deactivate', async () => {
    const admin = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const org = await t.organisation('youth_care', 'Jeugdhulp Mensen');
    await org.professional('Hanna de Vries');
    const page = admin.page;

    await page.goto(`${bench.base}/beheer/mensen`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mensen' }));
    await check(page, 'list');
    await page.getByLabel('Zoek op naam of e-mailadres').fill('hanna');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await visible(page.getByRole('link', { name: 'Hanna de Vries' }));
    await check(page, 'search');

    await page.getByRole('link', { name: 'Nieuwe persoon uitnodigen' }).click();
    await check(page, 'new');
    await page.getByLabel('Professional', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Uitnodigen' }).click();
    await visible(page.getByText('Kies ten minste één rol.').first());
    await check(page, 'new-errors');
    await page.getByLabel('Naam').fill('Iris Jansen');
    await page.getByLabel('E-mailadres').fill('iris@example.org');
    await page.getByLabel('Organisatie', { exact: true }).selectOption({ label: 'Jeugdhulp Mensen' });
    await page.getByLabel('Professional', { exact: true }).check();
    await page.getByRole('button', { name: 'Uitnodigen' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Iris Jansen' }));
    await check(page, 'detail');

    await page.getByRole('link', { name: 'Gegevens wijzigen' }).click();
    await page.getByLabel('Telefoon').fill('010-7654321');
    await check(page, 'edit');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('De gegevens zijn opgeslagen.'));

    await page.getByRole('link', { name: 'Rollen wijzigen' }).click();
    await check(page, 'roles');
    await page.getByLabel('Contactpersoon organisatie').check();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('De rollen zijn gewijzigd.'));

    await page.getByRole('link', { name: 'Tweede stap opnieuw instellen' }).click();
    await check(page, 'confirm-reset');
    await page.getByRole('button', { name: 'Ja, opnieuw instellen' }).click();
    await visible(page.getByText('De tweede stap is opnieuw ingesteld.'));

    await page.getByRole('link', { name: 'Deactiveren' }).click();
    await check(page, 'confirm-deactivate');
    await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
    await visible(page.getByText('Het account is gedeactiveerd'));
    await check(page, 'deactivated');
  }, 180_000);

  it('the coordinator: their organisation, a colleague without active contact, the registrations, a transfer', async () => {
    const org = await t.organisation('district_team', 'Wijkteam Overdracht');
    const coordinator = await bench.onboard(await bench.newContext(), await t.person(['professional', 'organisation_coordinator'], org.id), 'coordinator');
    const leaver = await org.professional('Karel Vertrekt');
    await org.professional('Lotte Blijft');
    expect((await t.register(org, leaver.email, { reference: 'WT-2026-7' })).status).toBe(201);
    const page = coordinator.page;

    await page.goto(`${bench.base}/organisatie/mensen/${leaver.id}/deactiveren`);
    await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
    await visible(page.getByText('Geen actieve contactpersoon').first());
    await check(page, 'deactivated-with-registrations');

    await page.goto(`${bench.base}/organisatie`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mijn organisatie: Wijkteam Overdracht' }));
    await check(page, 'organisation');

    await page.getByRole('link', { name: 'Registraties van Karel Vertrekt' }).click();
    await visible(page.getByText('WT-2026-7'));
    await check(page, 'registrations');

    await page.getByRole('link', { name: /Alle 1 registratie\(s\) van Karel Vertrekt overdragen/ }).click();
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
    await visible(page.getByText('Kies een collega.').first());
    await check(page, 'transfer-error');
    await page.getByLabel('Collega').selectOption({ label: 'Lotte Blijft' });
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
    await visible(page.getByText(/De overdracht van 1 registratie\(s\) is gestart/));
    await check(page, 'transfer-started');
  }, 180_000);
});
