/**
 * Matchopvolging (/opvolging) in real Chromium, checked with axe (WCAG 2.2 A/AA: zero
 * violations) and at 320 px: a match without contact or coordinator is escalated by the
 * follow-up job after ESCALATION_DAYS working days; the match monitor finds it in the
 * queue, opens it, records an action (first forgetting the kind) and proposes a
 * coordinator. The bench: test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUp } from '../../src/jobs/follow-up.ts';
import { randomBsn } from '../support/bsn.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';
import type { TestContext } from '../support/context.ts';

requireChromiumInCi();

describe.skipIf(!available)('match monitor in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('monitor');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('queue, one match, record an action, propose a coordinator', async () => {
    const school = await t.organisation('education', 'Basisschool De Esch');
    const care = await t.organisation('youth_care', 'Jeugdhulp Oost');
    const bsn = randomBsn();
    for (const org of [school, care]) {
      const p = await org.professional();
      expect((await t.register(org, p.email, { bsn, reference: 'DOS-2026-0042' })).status).toBe(201);
    }
    bench.clock.advance(30 * 86_400_000); // well past 15 working days
    const result = await followUp({ deps: t.deps, actor: { type: 'system', id: 'follow-up' }, requestId: null, origin: null });
    expect(result.escalations).toBe(1);

    const { page } = await bench.onboard(await bench.newContext(), await t.person(['match_monitor']), 'monitor');
    await page.goto(`${bench.base}/opvolging`);
    await visible(page.getByRole('heading', { level: 1, name: 'Matchopvolging' }));
    expect(await page.content()).not.toContain('DOS-2026-0042');
    await check(page, 'queue');

    await page
      .getByRole('link', { name: /^Match van/ })
      .first()
      .click();
    await visible(page.getByRole('heading', { level: 2, name: 'Betrokken professionals' }));
    expect(await page.content()).not.toContain('DOS-2026-0042');
    await check(page, 'match');

    await page.getByRole('button', { name: 'Actie vastleggen' }).click();
    await visible(page.getByText('Kies wat u hebt gedaan.'));
    await check(page, 'action-missing');
    await page.getByLabel('Wat hebt u gedaan').selectOption('called');
    await page.getByRole('button', { name: 'Actie vastleggen' }).click();
    await visible(page.getByText('De actie is vastgelegd.'));
    await check(page, 'action-recorded');

    await page.getByRole('button', { name: 'Regievoerder voorstellen' }).click();
    await visible(page.getByText('Het voorstel is gedaan.'));
    await check(page, 'proposed');

    await page.goto(`${bench.base}/opvolging?filter=afgehandeld`);
    await visible(page.getByRole('link', { name: 'Ook afgehandeld' }));
    await check(page, 'queue-all');
  }, 180_000);
});
