/**
 * The death report in real Chromium, checked with axe (WCAG 2.2 A/AA: zero violations) and at
 * 320 px: a professional reports it on the end page, one admin proposes the confirmation
 * with the date (first forgetting it), sees that they cannot confirm it themselves, and a
 * second admin confirms it. Also the match page with a deactivated member ("geen actieve
 * contactpersoon"). The bench: test/support/browser.ts.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionals, registrations } from '../../src/db/schema.ts';
import { randomBsn } from '../support/bsn.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('death reports in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('death');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('report, propose (with a missing date first), own proposal, second admin confirms; a deactivated member on the match page', async () => {
    const org = await t.organisation('youth_care', 'Jeugdhulp Overlijden');
    const other = await t.organisation('education', 'School Overlijden');
    const professional = await bench.onboard(await bench.newContext(), await org.professional('Pia Professional'), 'prof');
    const leaving = await other.professional('Vera Vertrokken');
    const bsn = randomBsn();
    const mine = await t.register(org, professional.professional.email, { bsn });
    const theirs = await t.register(other, leaving.email, { bsn });
    await t.deps.db.update(professionals).set({ active: false }).where(eq(professionals.id, leaving.id));

    const page = professional.page;
    await page.goto(`${bench.base}/matches/${theirs.body.matchId}`);
    await visible(page.getByText('Geen actieve contactpersoon'));
    await check(page, 'match-no-active-contact');

    await page.goto(`${bench.base}/registrations/${mine.body.id}/end`);
    await visible(page.getByRole('heading', { level: 2, name: 'Is de jeugdige overleden?' }));
    await check(page, 'end-page');
    await page.getByRole('button', { name: 'Overlijden melden bij de gemeente' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Overlijden gemeld' }));
    await check(page, 'reported');

    const first = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin1');
    const second = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin2');
    await first.page.goto(`${bench.base}/beheer/overlijden`);
    await visible(first.page.getByRole('heading', { level: 1, name: 'Meldingen van overlijden' }));
    await check(first.page, 'list');
    await first.page
      .getByRole('link', { name: /[0-9a-f-]{36}/ })
      .first()
      .click();
    await visible(first.page.getByRole('heading', { level: 2, name: 'Bevestiging voorstellen' }));
    await check(first.page, 'detail-reported');
    await first.page.getByRole('button', { name: 'Bevestiging voorstellen' }).click();
    await visible(first.page.getByText('Vul de datum van overlijden in').first());
    await check(first.page, 'date-missing');
    await first.page.getByLabel('Datum van overlijden').fill('2026-01-02');
    await first.page.getByRole('button', { name: 'Bevestiging voorstellen' }).click();
    await visible(first.page.getByText('Een andere functioneel beheerder moet haar bevestigen').first());
    await check(first.page, 'own-proposal');

    const url = first.page.url().replace(/\?.*$/, '');
    await second.page.goto(url);
    await check(second.page, 'detail-proposed');
    await second.page.getByRole('button', { name: 'Ja, overlijden bevestigen' }).click();
    await visible(second.page.getByText('Het overlijden is bevestigd'));
    await check(second.page, 'confirmed');
    expect(await t.deps.db.select().from(registrations).where(eq(registrations.id, mine.body.id))).toEqual([]);
  }, 180_000);
});
