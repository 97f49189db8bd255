/**
 * The coordination rules in real Chromium, each page checked with axe (WCAG 2.2 A/AA: zero
 * violations) and at 320 px: the municipal admin sets the rules on /beheer/instellingen
 * (first with errors beside the fields); a teacher (education) may not take coordination;
 * the youth-care member confirms it and hands it back. The bench: test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/settings/settings.ts';
import { randomBsn } from '../support/bsn.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('coordination rules in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('coordination');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  }, 60_000);

  const check = (page: Page, name: string) => bench.check(page, name);

  it('admin sets the rules; the teacher cannot take coordination; the youth-care member confirms and hands it back', async () => {
    const admin = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const page = admin.page;
    await page.goto(`${bench.base}/beheer`);
    await page.getByRole('link', { name: 'Instellingen' }).first().click();
    await visible(page.getByRole('heading', { level: 1, name: 'Instellingen' }));
    await check(page, 'settings');

    // Errors beside their fields: a number used twice, then a deadline out of order.
    await page.getByLabel('Volgorde voor Wijkteam').fill('1');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('Nummer 1 is al gebruikt').first());
    expect(await page.getByLabel('Volgorde voor Wijkteam').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'settings-error-order');
    await page.getByLabel('Volgorde voor Wijkteam').fill('3');
    await page.getByLabel('Contact opgenomen binnen (werkdagen)').fill('12');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('De termijn voor de regie is minstens zo lang als die voor het contact.').first());
    expect(await page.getByLabel('Regie afgesproken binnen (werkdagen)').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'settings-errors');

    // Youth care first, then the district team; education and police only signal.
    await page.getByLabel('Contact opgenomen binnen (werkdagen)').fill('5');
    const orders = page.locator('input[name^="volgorde_"]');
    for (let i = 0; i < (await orders.count()); i++) await orders.nth(i).fill('');
    await page.getByLabel('Volgorde voor Jeugdhulp').fill('1');
    await page.getByLabel('Volgorde voor Wijkteam').fill('2');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await visible(page.getByText('De instellingen zijn opgeslagen.'));
    await check(page, 'settings-saved');
    const rules = await readSettings(t.deps.db, t.deps.config);
    expect(rules.coordinatorSectors).toEqual(['youth_care', 'district_team']);
    expect(rules.signalOnlySectors).toEqual(['education', 'police']);

    // A teacher and a youth-care professional register the same young person.
    const school = await t.organisation('education', 'Basisschool De Esdoorn');
    const care = await t.organisation('youth_care', 'Jeugdhulp Maas');
    const teacher = await bench.onboard(await bench.newContext(), await school.professional('Tom Leraar'), 'teacher');
    const carer = await bench.onboard(await bench.newContext(), await care.professional('Yara Zorg'), 'carer');
    const bsn = randomBsn();
    await t.register(school, teacher.professional.email, { bsn });
    const { body } = await t.register(care, carer.professional.email, { bsn });
    const link = `${bench.base}/matches/${body.matchId}`;

    await teacher.page.goto(link);
    await visible(teacher.page.getByText(/mag uw sector \(Onderwijs\) signaleren, maar geen regie voeren/));
    await visible(teacher.page.getByText(/ligt de regie het meest voor de hand bij/));
    expect(await teacher.page.getByRole('button', { name: 'Ik neem de regie' }).count()).toBe(0);
    await check(teacher.page, 'teacher-match');

    // The youth-care member must confirm: without the box, the error is beside it.
    await carer.page.goto(link);
    await carer.page.getByRole('button', { name: 'Ik neem de regie' }).click();
    await visible(carer.page.getByText(/Bevestig dat u met de andere betrokkenen hebt afgesproken/).first());
    await check(carer.page, 'carer-match-unconfirmed');
    await carer.page.getByLabel(/afgesproken dat ik de regie neem/).check();
    await carer.page.getByRole('button', { name: 'Ik neem de regie' }).click();
    await visible(carer.page.getByText('U hebt de regie genomen'));
    await check(carer.page, 'carer-match-regie');

    await bench.mailTo(teacher.professional.email, 'regie');
    await teacher.page.goto(link);
    expect(await teacher.page.getByText(/heeft de regie/).innerText()).toContain('Jeugdhulp Maas');

    await carer.page.getByRole('button', { name: 'Regie teruggeven' }).click();
    await visible(carer.page.getByText('U hebt de regie teruggegeven'));
    await check(carer.page, 'carer-match-returned');
    await bench.mailTo(teacher.professional.email, 'teruggegeven');
  }, 180_000);
});
