/**
 * Rendering for the pages: the one place that puts a page (a pure component from
 * views/pages) in the frame with the session and path of this request, and error pages.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Page, type Frame } from '../../views/layout.tsx';
import { siteOf } from '../../views/site.ts';
import { ErrorPage, errorFrame } from '../../views/pages/error.tsx';
import { statusOf, type ErrorCode } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';

const utf8 = new TextEncoder();

export async function render(c: Context<AppEnv>, props: Frame, children: Child, status: ContentfulStatusCode = 200) {
  // The doctype keeps browsers out of quirks mode; JSX cannot express it.
  const page = await html`<!doctype html>${(
    <Page
      {...props}
      site={siteOf(c.get('deps').config)}
      session={c.get('session')}
      path={c.req.path}
      auditAlert={c.get('auditAlert')}
      notice={c.get('flash')?.notice}
    >
      {children}
    </Page>
  )}`;
  // Handed to Hono as UTF-8 bytes. The template gives an escaped String object, which
  // @hono/node-server cannot send as it is: it built a full web Response with a stream for
  // it at the first header set after the handler. A primitive string measured slower still
  // than that, bytes faster: the overview ≈ 15 %, the list and the login page 30–50 %
  // (docs/benchmarks.md). No page uses Hono's render callbacks (Suspense, css), so
  // toString() is the whole page.
  return c.body(utf8.encode(page.toString()), status, { 'content-type': 'text/html; charset=UTF-8' });
}

export function errorPage(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string) {
  const props = { title, message };
  return render(c, errorFrame(props), <ErrorPage {...props} />, status);
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  not_found: 'Niet gevonden',
  forbidden: 'Geweigerd',
  conflict: 'Zojuist gewijzigd',
  registration_not_active: 'Registratie niet meer actief',
  payload_too_large: 'Te groot',
  too_many_requests: 'Even wachten',
  internal: 'Er ging iets mis',
};

/** A failure on a page: not logged in goes to the login page, everything else gets a page. */
export function webFailure(c: Context<AppEnv>, code: ErrorCode, message: string) {
  if (code === 'unauthorized') return c.redirect('/login?verlopen=1', 303);
  const status = statusOf(code) as ContentfulStatusCode;
  return errorPage(c, status, TITLES[code] ?? 'Dat lukte niet', code === 'not_found' ? 'Deze pagina bestaat niet, of u hebt er geen toegang toe.' : message);
}
