/**
 * The rights desk in real Chromium, checked with axe (WCAG 2.2 A/AA: zero violations) and at
 * 320 px: an admin answers an access request (first with a date as reference, refused with
 * the BSN field empty again) and prints the letter; opens an erasure request; the
 * professional gives advice; the admin decides; a second admin approves, which deletes the
 * registration. The bench: test/support/browser.ts.
 */
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrations, rightsRequestItems } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('the rights desk in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('rights');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  async function fillLookup(page: Page, bsn: string, reference: string) {
    await page.getByLabel('BSN van de jeugdige').fill(bsn);
    await page.getByLabel('Geboortedatum van de jeugdige').fill('2012-05-17');
    await page.getByLabel('Kenmerk van het verzoek').fill(reference);
    await page.getByLabel('Ontvangen op').fill('2026-11-20');
  }

  it('access with its letter, an erasure request advised, decided and approved by a second admin', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Loket');
    const other = await t.organisation('education', 'School Loket');
    const professional = await bench.onboard(await bench.newContext(), await org.professional('Pia Professional'), 'prof');
    const teacher = await other.professional('Tom Leraar');
    const bsn = randomBsn();
    const mine = await t.register(org, professional.professional.email, { bsn, birthDate: '2012-05-17' });
    await t.register(other, teacher.email, { bsn, birthDate: '2012-05-17' });

    const first = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin1');
    const second = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin2');
    const a = first.page;

    // Access: a date as reference is refused, the BSN is not shown again.
    await a.goto(`${bench.base}/loket`);
    await visible(a.getByRole('heading', { level: 1, name: 'Verzoeken van betrokkenen' }));
    await check(a, 'desk-empty');
    await a.getByRole('link', { name: 'Inzageverzoek beantwoorden' }).click();
    await visible(a.getByRole('heading', { level: 1, name: 'Inzageverzoek beantwoorden' }));
    await check(a, 'access-form');
    await fillLookup(a, bsn, '17-05-2012');
    await a.getByRole('button', { name: 'Registraties opzoeken' }).click();
    await visible(a.getByText('lijkt op een BSN of een datum').first());
    expect(await a.getByLabel('BSN van de jeugdige').inputValue()).toBe('');
    expect(await a.content()).not.toContain(bsn);
    await check(a, 'access-refused');
    await fillLookup(a, bsn, 'AVG-2026-0001');
    await a.getByRole('button', { name: 'Registraties opzoeken' }).click();
    await visible(a.getByText('Het inzageverzoek is beantwoord'));
    await visible(a.getByRole('cell', { name: /Tom Leraar/ }));
    await check(a, 'access-answer');
    await a.getByRole('link', { name: 'Brief aan de aanvrager' }).click();
    await visible(a.getByText('Autoriteit Persoonsgegevens'));
    await check(a, 'access-letter');

    // Erasure: opened, advised by the professional, decided, approved by the second admin.
    await a.goto(`${bench.base}/loket/verzoek`);
    await a.getByLabel('Verwijdering').check();
    await fillLookup(a, bsn, 'AVG-2026-0002');
    await check(a, 'erasure-form');
    await a.getByRole('button', { name: 'Verzoek openen' }).click();
    await visible(a.getByText('Het verzoek is geopend'));
    await check(a, 'erasure-open');
    const requestUrl = a.url().replace(/\?.*$/, '');

    const p = professional.page;
    const [own] = await t.deps.db
      .select({ id: rightsRequestItems.id })
      .from(rightsRequestItems)
      .where(and(eq(rightsRequestItems.registrationId, mine.body.id), eq(rightsRequestItems.requestId, requestUrl.split('/').at(-1)!)));
    await p.goto(`${bench.base}/advies/${own!.id}`);
    await visible(p.getByRole('heading', { level: 1, name: 'Advies gevraagd' }));
    await check(p, 'advice');
    await p.getByRole('radio', { name: /Toekennen/ }).check();
    await p.getByRole('button', { name: 'Advies geven' }).click();
    await visible(p.getByText('Uw advies is vastgelegd'));
    await check(p, 'advice-given');

    await a.goto(requestUrl);
    await a.getByRole('button', { name: 'Toekennen voor Jeugdhulp Loket' }).click();
    await visible(a.getByText('Uw besluit is vastgelegd'));
    await a.getByRole('button', { name: 'Afwijzen voor School Loket' }).click();
    await visible(a.getByText('Een andere functioneel beheerder moet het goedkeuren').first());
    await check(a, 'awaiting-own');

    const b = second.page;
    await b.goto(requestUrl);
    await check(b, 'awaiting-second');
    await b.getByRole('button', { name: 'Goedkeuren en uitvoeren' }).click();
    await visible(b.getByText('Het verzoek is goedgekeurd en uitgevoerd'));
    await check(b, 'approved');
    await b.getByRole('link', { name: 'Brief aan de aanvrager' }).click();
    await visible(b.getByText('toegekend. De registratie is verwijderd'));
    await check(b, 'erasure-letter');
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, mine.body.id))).toEqual([]);

    // The auditor: the trail of this request, by its id only.
    const auditor = await bench.onboard(await bench.newContext(), await t.person(['auditor']), 'auditor');
    const u = auditor.page;
    await u.goto(`${bench.base}/audit/verzoeken`);
    await visible(u.getByRole('heading', { level: 1, name: 'Audittrail van een verzoek' }));
    await check(u, 'trail-form');
    await u.getByLabel('Id van het verzoek').fill(requestUrl.split('/').at(-1)!);
    await u.getByRole('button', { name: 'Trail bekijken' }).click();
    await visible(u.getByRole('cell', { name: 'rights.approve' }));
    await check(u, 'trail');
  }, 240_000);
});
