/** Rendering helpers for the pages: the frame filled from the context, and error pages. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Heading, Link, P } from '../../views/components.tsx';
import { Page, type PageProps } from '../../views/layout.tsx';
import { statusOf, type ErrorCode } from '../../lib/errors.ts';
import type { AppEnv } from '../app-env.ts';

export function render(c: Context<AppEnv>, props: Omit<PageProps, 'session' | 'path' | 'children'>, children: Child, status: ContentfulStatusCode = 200) {
  // The doctype keeps browsers out of quirks mode; JSX cannot express it.
  return c.html(
    html`<!doctype html>${(
      <Page {...props} session={c.get('session')} path={c.req.path}>
        {children}
      </Page>
    )}`,
    status,
  );
}

export function errorPage(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string) {
  return render(
    c,
    { title, narrow: true },
    <>
      <Heading level={1}>{title}</Heading>
      <P>{message}</P>
      <P>
        <Link href="/">Naar het overzicht</Link>
      </P>
    </>,
    status,
  );
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
