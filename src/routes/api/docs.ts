/**
 * The API's interactive viewer at /api/v1/docs: Scalar (@scalar/hono-api-reference, MIT)
 * reading /api/v1/openapi.json. Public, like the document it shows; "Try it out" still needs
 * an API token for every call.
 *
 * No CDN: the viewer's script (@scalar/api-reference's standalone bundle) is built into
 * docs-assets.generated.ts (scripts/build-docs-assets.mjs) and served here under a
 * content-hashed URL. The page has its own Content-Security-Policy, still without any
 * external origin: scripts from this origin plus the one inline start-up script by a nonce
 * drawn per request; styles may be inline (Scalar injects its stylesheet and sets style
 * attributes at run time); fetches only to this origin (the document, and "Try it out"
 * against `servers`, /api/v1). Scalar's default fonts (fonts.scalar.com) and telemetry are
 * switched off. Without the script (an install without dev dependencies) the page links to
 * the document instead.
 */
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { base64url } from '../../auth/secrets.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { VIEWER_SCRIPT } from './docs-assets.generated.ts';

export const DOCS_PATH = '/docs';

/**
 * Scalar's grey text, green and blue (and Hono's dark code blocks' blue) are under the 4.5:1
 * contrast WCAG AA asks for: darker (light) and lighter (dark) shades. Doubled classes win
 * over the theme's own rules, which Scalar injects later.
 */
const CONTRAST_CSS = `
.light-mode.light-mode { --scalar-color-3: #666666; --scalar-color-green: #00744a; --scalar-color-blue: #3a50c2; }
.dark-mode.dark-mode { --scalar-color-blue: #8fa0f5; --scalar-color-green: #3dd68c; --scalar-color-3: rgba(255, 255, 245, 0.6); }
`;

/** The viewer page's policy; `nonce` admits its one inline script. */
export function docsPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function docsRoutes(prefix: string) {
  const docs = new Hono<AppEnv>();
  const scriptPath = VIEWER_SCRIPT ? `${prefix}${DOCS_PATH}/scalar.${VIEWER_SCRIPT.hash}.js` : null;

  docs.get(DOCS_PATH, async (c) => {
    if (!VIEWER_SCRIPT || !scriptPath) {
      return c.html(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Betrokken API</title></head><body><main><h1>Betrokken API</h1><p>The interactive viewer was not built (install the dev dependencies and build again). The OpenAPI document: <a href="${prefix}/openapi.json">${prefix}/openapi.json</a>.</p></main></body></html>`,
      );
    }
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(18)));
    const viewer = Scalar({
      url: `${prefix}/openapi.json`,
      cdn: scriptPath,
      nonce,
      pageTitle: 'Betrokken API',
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: 'never',
      hideClientButton: false,
      documentDownloadType: 'json',
      agent: { disabled: true },
      mcp: { disabled: true },
      customCss: CONTRAST_CSS,
    } as Parameters<typeof Scalar>[0]);
    const page = (await viewer(c as unknown as Parameters<typeof viewer>[0], async () => {})) as Response;
    // The page's language (axe: html-has-lang); this page's policy replaces the app's default.
    const html = (await page.text()).replace('<html>', '<html lang="en">');
    c.header('content-security-policy', docsPolicy(nonce));
    return c.html(html);
  });

  docs.get(`${DOCS_PATH}/:file`, async (c) => {
    if (!VIEWER_SCRIPT || c.req.path !== scriptPath) throw new ServiceError('not_found', 'Dit bestand bestaat niet.');
    // Immutable by its hash; the API's no-store (src/app.ts) still applies, so the browser
    // fetches it per visit (compressed by the client's accept-encoding where the runtime does).
    // Imported here, not at the top: megabytes that only this route needs.
    const { VIEWER_SCRIPT_BODY } = await import('./docs-script.generated.ts');
    return c.body(VIEWER_SCRIPT_BODY ?? '', 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  return docs;
}
