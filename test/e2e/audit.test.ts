/**
 * The auditor and the admin at the audit console in real Chromium, every page checked with
 * axe (WCAG 2.2 A/AA: zero violations) and at 320 px: the auditor searches the trail (a
 * BSN typed into a filter is refused and not shown back), opens an event, verifies the
 * chain; after the trail is tampered with, a check fails and the alert is on every page of
 * the auditor and the admin until the auditor acknowledges it. The admin sees the chain, not the trail.
 * The bench: test/support/browser.ts.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAuditChain } from '../../src/audit/chain.ts';
import { available, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';
import type { TestContext } from '../support/context.ts';

requireChromiumInCi();

describe.skipIf(!available)('the audit console in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('audit');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const check = (page: Page, name: string) => bench.check(page, name);

  it('auditor: search, refused BSN, event detail, chain check; a failed check alerts auditor and admin until acknowledged', async () => {
    const auditor = await bench.onboard(await bench.newContext(), await t.person(['auditor']), 'auditor');
    const admin = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const org = await t.organisation('youth_care', 'Jeugdhulp Audit');
    const p = await org.professional();
    expect((await t.register(org, p.email)).status).toBe(201);

    // The auditor's start page: the chain's status and the search form.
    const page = auditor.page;
    await page.goto(`${bench.base}/audit`);
    await visible(page.getByRole('heading', { level: 1, name: 'Auditlogboek' }));
    await check(page, 'auditor-home');

    // A search by action finds the registration; a BSN in a filter is refused and not shown back.
    await page.goto(`${bench.base}/audit/zoeken`);
    await page.getByLabel('Actie').fill('registration.create');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await visible(page.getByRole('cell', { name: 'registration.create' }));
    await check(page, 'auditor-results');
    await page.getByLabel('Registratie-id').fill('123456782');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await visible(page.getByRole('alert'));
    expect(await page.content()).not.toContain('123456782');
    await check(page, 'auditor-refused-bsn');

    // One event in full, with links to everything about its ids.
    await page.goto(`${bench.base}/audit/zoeken?action=registration.create`);
    await page.getByRole('link', { name: /^\d+$/ }).first().click();
    await visible(page.getByRole('heading', { level: 1, name: /Gebeurtenis \d+/ }));
    await check(page, 'auditor-event');

    // The chain verifies.
    await page.goto(`${bench.base}/audit/keten`);
    await page.getByRole('button', { name: 'Keten nu controleren' }).click();
    await visible(page.getByRole('cell', { name: 'In orde' }));
    await check(page, 'auditor-chain-ok');

    // Someone changes a sealed row around the trigger: the next check fails, and every page says so.
    await sealAuditChain(t.deps.db, t.deps.atomic, t.deps.auditKeys);
    await t.deps.db.run(sql`DROP TRIGGER IF EXISTS audit_events_seal_only`);
    await t.deps.db.run(sql`UPDATE audit_events SET outcome = 'denied' WHERE action = 'registration.create'`);
    await page.getByRole('button', { name: 'Volledig controleren' }).click();
    await visible(page.locator('.betrokken-audit-alert'));
    await check(page, 'auditor-chain-failed');
    await admin.page.goto(`${bench.base}/beheer`);
    await visible(admin.page.locator('.betrokken-audit-alert'));
    await check(admin.page, 'admin-alert');

    // The admin sees the chain's status (no button to silence it), not the trail; the auditor acknowledges the alert.
    await admin.page.goto(`${bench.base}/audit/zoeken`);
    await visible(admin.page.getByRole('heading', { level: 1, name: 'Geweigerd' }));
    await check(admin.page, 'admin-search-refused');
    await admin.page.goto(`${bench.base}/audit/keten`);
    expect(await admin.page.getByRole('button', { name: /Gezien/ }).count()).toBe(0);
    await page.goto(`${bench.base}/audit/keten`);
    await page
      .getByRole('button', { name: /Gezien/ })
      .first()
      .click();
    await admin.page.goto(`${bench.base}/beheer`);
    expect(await admin.page.locator('.betrokken-audit-alert').count()).toBe(0);
    await page.goto(`${bench.base}/`);
    expect(await page.locator('.betrokken-audit-alert').count()).toBe(0);
  }, 180_000);
});
