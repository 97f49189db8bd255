/**
 * The professional's pages (server-rendered Hono JSX). Around them: a body limit, CSRF
 * protection by Origin (Hono csrf: a form posted from another site is refused; our cookies
 * are SameSite=Lax as a second line), no caching of pages that show personal data, and the
 * session loader. Assets are served with content-hashed names, cached for a year.
 */
import { Hono } from 'hono';
import { bodyLimitByLength } from '../http/body-limit.ts';
import { csrf } from 'hono/csrf';
import type { Env } from '../../env.ts';
import { ServiceError } from '../../lib/errors.ts';
import { SESSION_SCRIPT, STYLES, THEMES } from '../../views/assets.generated.ts';
import { siteOf } from '../../views/site.ts';
import { formatTime } from '../../views/labels.ts';
import type { AppEnv } from '../app-env.ts';
import { guard, type AccessTable } from '../http/access.ts';
import { accountAccess, accountPages } from './account.tsx';
import { auditAccess, auditAlert, auditPages } from './audit.tsx';
import { beheerAccess, beheerPages } from './beheer.tsx';
import { beheerApiClientAccess, beheerApiClientPages } from './beheer-api-clients.tsx';
import { beheerApprovalAccess, beheerApprovalPages } from './beheer-approvals.tsx';
import { beheerJobAccess, beheerJobPages } from './beheer-jobs.tsx';
import { beheerMailAccess, beheerMailPages } from './beheer-mail.tsx';
import { beheerOrganisationAccess, beheerOrganisationPages } from './beheer-organisations.tsx';
import { beheerPeopleAccess, beheerPeoplePages } from './beheer-people.tsx';
import { organisationAccess, organisationPages } from './organisation.tsx';
import { accountLinkAccess, accountLinkRoutes } from './account-links.tsx';
import { authAccess, authRoutes } from './auth.tsx';
import { adviceAccess, advicePages } from './advice.tsx';
import { beheerSettingsAccess, beheerSettingsPages } from './beheer-settings.tsx';
import { monitorAccess, monitorPages } from './monitor.tsx';
import { rightsAccess, rightsPages } from './rights.tsx';
import { statisticsAccess, statisticsPages } from './statistics.tsx';
import { dashboardAccess, dashboardRoutes } from './dashboard.tsx';
import { devMailboxEnabled } from '../../notify/dev-mailbox.ts';
import { devMailAccess, devMailPages } from './dev-mail.tsx';
import { matchAccess, matchPages } from './matches.tsx';
import { registrationAccess, registrationPages } from './registrations.tsx';
import { loadSession, redirectToLogin, safeReturnPath } from './session.ts';
import { statementAccess, statementPages } from './statements.tsx';

export const WEB_BODY_LIMIT = 16 * 1024;

interface Asset {
  type: string;
  /** Text is gzipped on request; binaries (fonts, images) are decoded from base64 once. */
  body?: string;
  base64?: string;
  bytes?: Uint8Array<ArrayBuffer>;
  gzip?: Promise<ArrayBuffer>;
}

const CSS = 'text/css; charset=utf-8';
let assets: Promise<Record<string, Asset>> | undefined;

/**
 * The served files by name, built at the first asset request: their contents are megabytes
 * (src/views/asset-bodies.generated.ts) that a process serving no asset never loads.
 */
function loadAssets(): Promise<Record<string, Asset>> {
  assets ??= import('../../views/asset-bodies.generated.ts').then(({ STYLES_BODY, THEME_BODIES, SESSION_SCRIPT_BODY, BINARIES }) => ({
    [`styles.${STYLES.hash}.css`]: { body: STYLES_BODY, type: CSS },
    [`session.${SESSION_SCRIPT.hash}.js`]: { body: SESSION_SCRIPT_BODY, type: 'text/javascript; charset=utf-8' },
    ...Object.fromEntries(Object.entries(THEMES).map(([name, theme]) => [`theme-${name}.${theme.hash}.css`, { body: THEME_BODIES[name]!, type: CSS }])),
    ...Object.fromEntries(
      Object.entries(BINARIES).map(([file, binary]) =>
        // An SVG is text (gzipped like the CSS); fonts and bitmaps are sent as they are.
        binary.type === 'image/svg+xml' ? [file, { body: atob(binary.base64), type: binary.type }] : [file, { base64: binary.base64, type: binary.type }],
      ),
    ),
  }));
  return assets;
}

/** Compressed once per process or isolate (CompressionStream, on both runtimes), then reused. */
function gzipped(text: string): Promise<ArrayBuffer> {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
}

/** What every page needs (src/routes/http/access.ts): declared beside each module's routes. */
export const WEB_ACCESS: AccessTable = {
  'GET /assets/:file': 'public',
  'GET /favicon.ico': 'public',
  ...statementAccess,
  'POST /session/extend': 'session',
  ...authAccess,
  ...accountLinkAccess,
  ...dashboardAccess,
  ...registrationAccess,
  ...matchAccess,
  ...accountAccess,
  ...organisationAccess,
  ...beheerAccess,
  ...beheerOrganisationAccess,
  ...beheerPeopleAccess,
  ...beheerApiClientAccess,
  ...beheerMailAccess,
  ...beheerApprovalAccess,
  ...beheerJobAccess,
  ...auditAccess,
  ...beheerSettingsAccess,
  ...monitorAccess,
  ...rightsAccess,
  ...adviceAccess,
  ...statisticsAccess,
  // Declared always; registered in development only (createWebRoutes).
  ...devMailAccess,
};

export function createWebRoutes(config: Env) {
  const web = new Hono<AppEnv>();

  web.get('/assets/:file', async (c) => {
    const asset = (await loadAssets())[c.req.param('file')];
    if (!asset) throw new ServiceError('not_found', 'Dit bestand bestaat niet.');
    const headers = { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable', vary: 'accept-encoding' };
    if (asset.body === undefined) {
      asset.bytes ??= Uint8Array.from(atob(asset.base64 ?? ''), (ch) => ch.charCodeAt(0));
      return c.body(asset.bytes, 200, headers);
    }
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(asset.body, 200, headers);
    asset.gzip ??= gzipped(asset.body);
    return c.body(await asset.gzip, 200, { ...headers, 'content-encoding': 'gzip' });
  });

  // Browsers ask for /favicon.ico whatever the page links: send them to the hashed icon.
  const site = siteOf(config); // also refuses an unknown THEME or a logo the build lacks, at start
  web.get('/favicon.ico', (c) => c.redirect(site.iconHref, 301));

  web.use('*', csrf({ origin: new URL(config.PUBLIC_URL).origin }));
  web.use(
    '*',
    bodyLimitByLength({
      maxSize: WEB_BODY_LIMIT,
      onError: () => {
        throw new ServiceError('payload_too_large', 'Het formulier is te groot.');
      },
    }),
  );
  web.use('*', async (c, next) => {
    await next();
    // On the answer's own headers: Hono's c.header() after the handler first copies the
    // answer into a new Response, which on Node turns a page's string into a stream that is
    // then read back to be sent: a fifth of a page's CPU (docs/benchmarks.md, "Round 3").
    c.res.headers.set('cache-control', 'no-store');
  });
  web.use('*', loadSession);
  web.use('*', guard(WEB_ACCESS, { unauthenticated: redirectToLogin }));
  web.use('*', auditAlert);
  web.route('/', authRoutes);
  web.route('/', statementPages);
  web.route('/', accountLinkRoutes);
  // The mail preview exists in development only: in production and test it is a 404 (src/routes/web/dev-mail.tsx).
  if (devMailboxEnabled(config)) web.route('/', devMailPages);

  const private_ = new Hono<AppEnv>();
  private_.post('/session/extend', async (c) => {
    // Loading the session already restarted its idle timer: say until when.
    const session = c.get('session');
    if ((c.req.header('accept') ?? '').includes('application/json')) {
      return c.json({
        idleExpiresAt: session.idleExpiresAt.toISOString(),
        remainingMs: session.idleExpiresAt.getTime() - session.now.getTime(),
        until: formatTime(session.idleExpiresAt),
      });
    }
    const body = await c.req.parseBody();
    return c.redirect(safeReturnPath(typeof body.terug === 'string' ? body.terug : undefined), 303);
  });
  private_.route('/', dashboardRoutes);
  private_.route('/', registrationPages);
  private_.route('/', matchPages);
  private_.route('/', accountPages);
  private_.route('/', organisationPages);
  private_.route('/', beheerPages);
  private_.route('/', beheerOrganisationPages);
  private_.route('/', beheerPeoplePages);
  private_.route('/', beheerApiClientPages);
  private_.route('/', beheerMailPages);
  private_.route('/', beheerApprovalPages);
  private_.route('/', beheerJobPages);
  private_.route('/', auditPages);
  private_.route('/', beheerSettingsPages);
  private_.route('/', monitorPages);
  private_.route('/', rightsPages);
  private_.route('/', advicePages);
  private_.route('/', statisticsPages);
  web.route('/', private_);
  return web;
}
