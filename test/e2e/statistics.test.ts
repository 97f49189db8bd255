/**
 * The municipal admin at the statistics in real Chromium, every page checked with axe (WCAG
 * 2.1 A/AA: zero violations) and at 320 px: the default period with its tables and charts,
 * a chosen (completed) month, the current month refused with the message beside the field, the CSV download.
 * The bench: test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/lib/dates.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';
import type { TestContext } from '../support/context.ts';

requireChromiumInCi();

describe.skipIf(!available)('the statistics in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('statistics');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('admin: the statistics page, a period, a refused period, the CSV', async () => {
    // Some figures: three youth-care organisations and two of education, a match between them.
    const orgs = [
      await t.organisation('youth_care', 'Jeugdhulp Noord'),
      await t.organisation('youth_care', 'Jeugdhulp Zuid'),
      await t.organisation('youth_care', 'Jeugdhulp West'),
      await t.organisation('education', 'School Oost'),
    ];
    for (const org of orgs) {
      const p = await org.professional();
      for (let i = 0; i < 3; i++) expect((await t.register(org, p.email, { bsn: ['123456782', '249566758', '111222333'][i] })).status).toBe(201);
    }
    // Only completed months are shown: look a month later (the admin logs in then).
    const month = isoDate(t.clock.now()).slice(0, 7);
    bench.clock.advance(35 * 86_400_000);
    const current = isoDate(t.clock.now()).slice(0, 7);
    const admin = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const page = admin.page;

    await page.goto(`${bench.base}/`);
    await page.getByRole('link', { name: 'Statistieken' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Statistieken' }));
    await visible(page.getByRole('img', { name: /Registraties en matches per maand/ }));
    await visible(page.getByRole('table', { name: /Nieuwe registraties per maand en sector/ }));
    await check(page, 'statistics-default');

    await page.getByLabel('Eerste maand').fill(month);
    await page.getByLabel('Laatste maand').fill(month);
    await page.getByRole('button', { name: 'Periode tonen' }).click();
    await visible(page.getByRole('table', { name: /Nieuwe matches per maand en sector/ }));
    expect(await page.getByRole('cell', { name: '12' }).count()).toBeGreaterThan(0);
    await check(page, 'statistics-month');

    // The current month still changes with every event: refused beside the field.
    await page.getByLabel('Eerste maand').fill(month);
    await page.getByLabel('Laatste maand').fill(current);
    await page.getByRole('button', { name: 'Periode tonen' }).click();
    await visible(page.getByRole('alert'));
    await visible(page.getByText(/Kies een afgesloten maand/).last());
    await check(page, 'statistics-refused');

    await page.goto(`${bench.base}/statistieken?from=${month}&to=${month}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /CSV-bestand/ }).click()]);
    expect(download.suggestedFilename()).toBe(`statistieken-${month}-${month}.csv`);
  });
});
