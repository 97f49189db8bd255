/**
 * Themes and the municipality (issue 13): open design tokens, self-hosted fonts, one font
 * stack per theme, a theme chosen by configuration, the municipality in header and footer,
 * the two statements, the icon.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';
import { WebClient } from '../support/web-client.ts';

async function themeOf(t: TestContext) {
  const page = await new WebClient(t).get('/login');
  const themeHref = /href="(\/assets\/theme-[a-z]+\.[0-9a-f]{12}\.css)"/.exec(page.html)![1]!;
  const bodyClass = /<body class="([^"]+)"/.exec(page.html)![1]!;
  const css = await t.app.request(themeHref);
  return { page, themeHref, bodyClass, css, text: await css.text() };
}

/** The font families a stylesheet's @font-face rules declare. */
const fontFamilies = (css: string) => new Set([...css.matchAll(/@font-face\s*{[^}]*font-family:\s*['"]?([^;'"]+)/g)].map((m) => m[1]));

describe('the default theme', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it('is the NL Design System voorbeeld theme with Noto Sans served by the app itself', async () => {
    const { themeHref, bodyClass, css, text } = await themeOf(t);
    expect(themeHref).toMatch(/^\/assets\/theme-voorbeeld\./);
    expect(bodyClass.split(' ')).toContain('voorbeeld-theme');
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect(text).toContain('.voorbeeld-theme');
    // One family for everything, and nothing from another origin.
    expect(fontFamilies(text)).toEqual(new Set(['Noto Sans']));
    expect(text).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
    const fonts = [...text.matchAll(/url\((\/assets\/[^)]+\.woff2)\)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThanOrEqual(4); // latin and latin-ext, 400 and 700
    const font = await t.app.request(fonts[0]!);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(new Uint8Array(await font.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32])); // "wOF2"
  });

  it('shows the municipality in the header and footer, with the statements, on every page', async () => {
    const { page } = await themeOf(t);
    expect(page.html).toContain('Gemeente Voorbeeldstad');
    const footer = page.html.slice(page.html.indexOf('<footer'));
    expect(footer).toContain('Servicedesk Betrokken');
    expect(footer).toContain('href="mailto:privacy@voorbeeldstad.example"');
    expect(footer).toContain('href="/privacy"');
    expect(footer).toContain('href="/toegankelijkheid"');
    for (const path of ['/privacy', '/toegankelijkheid']) {
      const statement = await new WebClient(t).get(path);
      expect(statement.status).toBe(200);
      expect(statement.html).toContain('Gemeente Voorbeeldstad');
    }
  });

  it('has an accessibility statement after the Dutch model: status, date, contact', async () => {
    const { html } = await new WebClient(t).get('/toegankelijkheid');
    expect(html).toMatch(/status [A-E]\)/);
    expect(html).toMatch(/opgesteld op \d{1,2} [a-z]+ \d{4}/);
    expect(html).toContain('Contact en klachten');
    expect(html).toContain('Nationale ombudsman');
  });

  it('has an icon, also for browsers that ask for /favicon.ico', async () => {
    const { page } = await themeOf(t);
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page.html)![1]!;
    const svg = await t.app.request(icon);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toContain('<svg');
    const ico = await t.app.request('/favicon.ico');
    expect(ico.status).toBe(301);
    expect(ico.headers.get('location')).toBe(icon);
  });
});

describe('a municipality’s configuration', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({
      env: {
        THEME: 'denhaag',
        MUNICIPALITY_NAME: 'Gemeente Zuiderhaven',
        MUNICIPALITY_HELPDESK: 'Functioneel beheer, 0800 1234',
        MUNICIPALITY_PRIVACY_URL: 'https://www.zuiderhaven.example/privacy',
        MUNICIPALITY_LOGO: '/huisstijl/logo.svg',
      },
    });
  });
  afterAll(() => t.close());

  it('switches the theme: its own tokens and its own single font', async () => {
    const { themeHref, bodyClass, text } = await themeOf(t);
    expect(themeHref).toMatch(/^\/assets\/theme-denhaag\./);
    expect(bodyClass.split(' ')).toContain('denhaag-theme');
    expect(bodyClass.split(' ')).not.toContain('voorbeeld-theme');
    expect(text).toContain('.denhaag-theme');
    expect(fontFamilies(text)).toEqual(new Set(['Fira Sans']));
  });

  it('names the municipality, its helpdesk, its logo and its own privacy statement', async () => {
    const { page } = await themeOf(t);
    expect(page.html).toContain('Gemeente Zuiderhaven');
    expect(page.html).toContain('<img class="betrokken-header__logo" src="/huisstijl/logo.svg" alt="Logo Gemeente Zuiderhaven"');
    expect(page.html).toContain('Functioneel beheer, 0800 1234');
    expect(page.html).toContain('href="https://www.zuiderhaven.example/privacy"');
    expect(page.html).not.toContain('href="/privacy"');
  });

  it('refuses a theme this build does not have, and a logo file it did not embed, at start', async () => {
    await expect(createTestContext({ env: { THEME: 'rotterdam' } })).rejects.toThrow(/THEME: unknown theme "rotterdam"; this build has voorbeeld, denhaag/);
    await expect(createTestContext({ env: { MUNICIPALITY_LOGO: 'huisstijl/logo.svg' } })).rejects.toThrow(/MUNICIPALITY_LOGO/);
  });
});
