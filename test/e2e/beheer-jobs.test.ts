/**
 * The bulk-job pages (/beheer/taken) in real Chromium, checked with axe (WCAG 2.2 A/AA: zero
 * violations) and at 320 px: one admin deactivates an organisation (the verb), a second one
 * approves the job on the page (with the confirmation, first forgetting it), the runner ends
 * the registrations, the progress shows. The bench: test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { deactivateOrganisation } from '../../src/directory/deactivate-organisation.ts';
import { runBulkJobs } from '../../src/jobs/bulk-jobs.ts';
import type { TestContext } from '../support/context.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';

requireChromiumInCi();

describe.skipIf(!available)('bulk jobs in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('jobs');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('list, own request (no approval), second admin: confirmation error, approve, progress', async () => {
    const first = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin1');
    const second = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin2');
    const org = await t.organisation('youth_care', 'Jeugdhulp Voorbeeld');
    const p = await org.professional();
    for (let i = 0; i < 3; i++) expect((await t.register(org, p.email)).status).toBe(201);
    const requester: Ctx = {
      deps: t.deps,
      actor: { type: 'professional', id: first.professional.id, organisationId: null, roles: ['municipal_admin'] },
      requestId: null,
      origin: null,
    };
    const { jobId } = await deactivateOrganisation(requester, { organisationId: org.id, reason: 'resolved' });

    await first.page.goto(`${bench.base}/beheer/taken`);
    await visible(first.page.getByRole('heading', { level: 1, name: 'Taken' }));
    await check(first.page, 'list');
    await first.page.getByRole('link', { name: 'Registraties van een organisatie beëindigen' }).first().click();
    await visible(first.page.getByText('U hebt deze taak zelf aangevraagd'));
    await check(first.page, 'own-request');

    const page = second.page;
    await page.goto(`${bench.base}/beheer/taken/${jobId}`);
    await check(page, 'awaiting-approval');
    await page.getByRole('button', { name: 'Goedkeuren en uitvoeren' }).click();
    await visible(page.getByText('Bevestig dat alle registraties zo moeten eindigen.').first());
    await check(page, 'confirmation-missing');
    await page.getByLabel(/Ik heb gecontroleerd/).check();
    await page.getByRole('button', { name: 'Goedkeuren en uitvoeren' }).click();
    await visible(page.getByText('De taak is goedgekeurd'));
    await check(page, 'approved');
    await runBulkJobs({ deps: t.deps, actor: { type: 'system', id: 'bulk-jobs' }, requestId: null, origin: null });
    await page.reload();
    await visible(page.getByText('3 van 3 verwerkt').first());
    await check(page, 'done');
  }, 180_000);
});
