/**
 * Tables at 320 px in real Chromium (issue 13): nothing cut off. The professional's tables
 * (Mijn registraties, the match page's members with long e-mail addresses, the sessions on
 * Mijn account) stack their rows, each cell labelled with its column; a wide admin table
 * (the outbox on /beheer/mail) scrolls inside a focusable region named by its caption, with
 * a visible hint. axe (WCAG 2.2 A/AA) finds nothing at 320 px. The bench: test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/directory/directory.ts';
import { randomBsn } from '../support/bsn.ts';
import { available, axeViolations, type Bench, requireChromiumInCi, startBench, visible } from '../support/browser.ts';
import type { TestContext } from '../support/context.ts';

requireChromiumInCi();

const NARROW = { width: 320, height: 640 };
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/** axe at the current (narrow) size: zero violations; a full-page screenshot with E2E_SCREENSHOTS=1. */
async function axeClean(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${SHOTS}narrow-tables-320-${name.replace(/\W+/g, '-')}.png`, fullPage: true });
  expect(await axeViolations(page), `axe at 320 px on ${name}`).toEqual([]);
}

/** The page does not scroll sideways, and no cell of a stacked table clips its content or sticks out. */
async function stackedFits(page: Page, name: string) {
  const report = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const cells = Array.from(document.querySelectorAll<HTMLElement>('.betrokken-table--stack td, .betrokken-table--stack tbody th'));
    return {
      width,
      scrollWidth: document.documentElement.scrollWidth,
      cells: cells.length,
      clipped: cells
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 || el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.dataset.label}: ${el.textContent?.trim().slice(0, 40)}`),
      // Stacked: each cell starts below the one before it (no cell drawn over another).
      overlapping: cells
        .filter((el) => {
          const before = el.previousElementSibling;
          return before !== null && el.getBoundingClientRect().top + 0.5 < before.getBoundingClientRect().bottom;
        })
        .map((el) => `${el.dataset.label}: ${el.textContent?.trim().slice(0, 40)}`),
      unlabelled: cells.filter((el) => !el.dataset.label).length,
      // Each stacked cell shows its column's name before its value.
      labelsShown: cells.filter((el) => getComputedStyle(el, '::before').content.includes(el.dataset.label ?? '\u0000')).length,
      headerHidden: Array.from(document.querySelectorAll<HTMLElement>('.betrokken-table--stack thead')).every((el) => el.getBoundingClientRect().width <= 1),
      tableRoles: Array.from(document.querySelectorAll('.betrokken-table--stack')).every((el) => el.getAttribute('role') === 'table'),
    };
  });
  expect(report.scrollWidth, `sideways scrolling on ${name}`).toBeLessThanOrEqual(report.width);
  expect(report.cells, `stacked cells on ${name}`).toBeGreaterThan(0);
  expect(report.clipped, `cells cut off on ${name}`).toEqual([]);
  expect(report.overlapping, `cells drawn over each other on ${name}`).toEqual([]);
  expect(report.unlabelled, `cells without a column label on ${name}`).toBe(0);
  expect(report.labelsShown, `column labels shown on ${name}`).toBe(report.cells);
  expect(report.headerHidden, `column header row visually hidden on ${name}`).toBe(true);
  expect(report.tableRoles, `table semantics kept on ${name}`).toBe(true);
}

describe.skipIf(!available)('tables at 320 px in Chromium', () => {
  let bench: Bench;
  let t: TestContext;

  beforeAll(async () => {
    bench = await startBench('narrow-tables');
    t = bench.t;
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  it('stacks Mijn registraties, the match page and the sessions; nothing cut off, axe clean', async () => {
    const school = await t.organisation('education', 'Openbare Basisschool De Regenboog van Voorbeeldstad');
    const care = await t.organisation('youth_care', 'Stichting Jeugdhulp en Gezinsbegeleiding Voorbeeldstad-Oost');
    const me = await school.professional('Juf Jansen');
    // A long e-mail address on the other side of the match: it must wrap, not run off the screen.
    const otherEmail = 'alexandra.vanderheijden-vermeulen.gezinsbegeleiding@jeugdhulp-voorbeeldstad-oost.example.org';
    await createPerson(t.operator, {
      organisationId: care.id,
      name: 'Mr. drs. Alexandra van der Heijden-Vermeulen',
      email: otherEmail,
      phone: '+31 (0)10 123 45 67',
      invite: false,
    });
    const bsn = randomBsn();
    const mine = await t.register(school, me.email, { bsn, reference: 'LEERLINGDOSSIER-2026-ABCDEFGHIJ-7' });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const theirs = await t.register(care, otherEmail, { bsn, reference: 'JH-2026-0001' });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    for (let i = 0; i < 3; i++) await t.register(school, me.email, { reference: `DOS-2026-${String(i).padStart(4, '0')}` });

    const account = await bench.onboard(await bench.newContext(), me, 'prof');
    const page = account.page;
    await page.setViewportSize(NARROW);

    await page.goto(`${bench.base}/registrations`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mijn registraties' }));
    await stackedFits(page, 'Mijn registraties');
    await axeClean(page, 'Mijn registraties');

    await page.goto(`${bench.base}/matches/${theirs.body.matchId}`);
    await visible(page.getByRole('heading', { level: 2, name: 'Betrokken professionals' }));
    await visible(page.getByText('LEERLINGDOSSIER-2026-ABCDEFGHIJ-7'));
    const address = page.getByRole('link', { name: /alexandra\.vanderheijden/ });
    const box = (await address.boundingBox())!;
    expect(box.x + box.width, 'the e-mail address wraps inside the screen').toBeLessThanOrEqual(NARROW.width);
    await stackedFits(page, 'match');
    await axeClean(page, 'match');

    await page.goto(`${bench.base}/account`);
    await visible(page.getByText('Deze sessie'));
    // Chromium's own user agent, named (HeadlessChrome reports itself as Chrome on Linux).
    await visible(page.getByText('Chrome op Linux'));
    await stackedFits(page, 'Mijn account');
    await axeClean(page, 'Mijn account');

    // The "Toon" select shows its arrow (a background image the CSP allows: gradients).
    await page.goto(`${bench.base}/registrations`);
    const arrow = await page.locator('#status').evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(arrow).toContain('linear-gradient');

    // The criterion checkbox: at least 24 px, its label beside it (not under it), at 320 px and wide.
    await page.goto(`${bench.base}/registrations/new`);
    for (const width of [NARROW.width, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      if (process.env.E2E_SCREENSHOTS) await page.locator('.utrecht-form-field--checkbox').screenshot({ path: `${SHOTS}narrow-tables-checkbox-${width}.png` });
      const box = (await page.locator('#veld-criterion').boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
      const text = await page.locator('label[for="veld-criterion"]').evaluate((label) => {
        const range = document.createRange();
        range.selectNodeContents(label);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
        const input = label.querySelector('input')!.getBoundingClientRect();
        const words = rects.filter((r) => r.right > input.right + 1);
        return {
          left: Math.min(...words.map((r) => r.left)),
          inputRight: input.right,
          underInput: rects.some((r) => r.top >= input.bottom && r.left < input.right),
        };
      });
      expect(text.left, `label beside the checkbox at ${width} px`).toBeGreaterThan(text.inputRight);
      expect(text.underInput, `no label line under the checkbox at ${width} px`).toBe(false);
    }
    await page.setViewportSize(NARROW);
    await axeClean(page, 'Signaal afgeven');

    // Wide again: a normal table with its column headers.
    await page.goto(`${bench.base}/account`);
    await page.setViewportSize({ width: 1280, height: 900 });
    const header = await page.locator('.betrokken-table--stack thead').first().boundingBox();
    expect(header!.width).toBeGreaterThan(100);
  }, 120_000);

  it('puts a wide admin table in a focusable region named by its caption, with a hint', async () => {
    // Mail in the outbox (and the onboarding mails, sent), so the admin's mail table has rows.
    const org = await t.organisation('youth_care');
    const bsn = randomBsn();
    const a = await org.professional();
    const other = await t.organisation('education');
    const b = await other.professional();
    await t.register(org, a.email, { bsn });
    await t.register(other, b.email, { bsn });

    const admin = await bench.onboard(await bench.newContext(), await t.person(['municipal_admin']), 'admin');
    const page = admin.page;
    await page.setViewportSize(NARROW);
    await page.goto(`${bench.base}/beheer/mail?status=sent`);
    const region = page.locator('section.betrokken-table-scroll').first();
    await region.waitFor({ state: 'attached' });
    const info = await region.evaluate((el) => {
      const caption = document.getElementById(el.getAttribute('aria-labelledby') ?? '');
      const hint = document.getElementById(el.getAttribute('aria-describedby') ?? '');
      return {
        tabindex: el.getAttribute('tabindex'),
        caption: caption?.textContent?.trim() ?? null,
        captionInside: !!caption && el.contains(caption),
        hint: hint?.textContent?.trim() ?? null,
        hintShown: !!hint && hint.getBoundingClientRect().height > 0,
        scrollable: el.scrollWidth > el.clientWidth,
        width: el.getBoundingClientRect().width,
      };
    });
    expect(info.tabindex).toBe('0');
    expect(info.caption).toBeTruthy();
    expect(info.captionInside).toBe(true);
    expect(info.hint).toBe('Schuif opzij voor meer kolommen');
    expect(info.hintShown).toBe(true);
    expect(info.width).toBeLessThanOrEqual(NARROW.width);
    // A region, named by the caption, reachable by keyboard; the arrow keys scroll it.
    await visible(page.getByRole('region', { name: info.caption! }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    if (info.scrollable) {
      await region.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((el) => (el as HTMLElement).scrollLeft > 0, await region.elementHandle());
    }
    await axeClean(page, 'beheer mail');
    await bench.check(page, 'beheer-mail');

    // Wide: no hint.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.getByText('Schuif opzij voor meer kolommen').first().isVisible()).toBe(false);
  }, 120_000);
});
