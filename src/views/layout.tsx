/**
 * The page frame: lang="nl", a skip link, the header with navigation for a logged-in
 * professional, the session bar (when the session ends for lack of activity, with a plain
 * form to extend it) and the dialog the session script opens two minutes before that.
 */
import type { Child } from 'hono/jsx';
import { SESSION_SCRIPT, STYLES } from './assets.generated.ts';
import type { Site } from './site.ts';
import { Alert, Button } from './components.tsx';
import { formatDateTime, formatTime } from './labels.ts';
import { type Permission, type Role, rolesAllow } from '../vocabulary.ts';

export type Section = 'dashboard' | 'registrations' | 'new' | 'organisation' | 'monitor' | 'beheer' | 'rights' | 'statistics' | 'audit' | 'account' | null;

/** What the frame shows of the session: who is logged in and when the session idles out. */
export interface PageSession {
  name: string;
  /** Decides the menu: each person sees only the parts their roles may use. */
  roles: readonly Role[];
  idleExpiresAt: Date;
  /** The server's time: idleExpiresAt - now is the time left, whatever the browser's clock says. */
  now: Date;
}

export interface PageProps {
  title: string;
  /** The municipality and theme (src/views/site.ts). */
  site: Site;
  /** The current path: where "Sessie verlengen" without JavaScript returns to. */
  path?: string;
  session?: PageSession | null | undefined;
  section?: Section;
  /** The page shows form errors: the title says so first (announced on load). */
  hasErrors?: boolean;
  narrow?: boolean;
  /** A failed audit chain check nobody acknowledged yet: shown on every page (auditor, municipal admin). */
  auditAlert?: { id: string; at: Date; brokenAt: number | null } | undefined;
  /** A one-time confirmation after Post/Redirect/Get (src/auth/flash.ts): shown above the page, once. */
  notice?: string | undefined;
  children: Child;
}

/** What a page tells the frame: its title, menu item and width; the session comes from the request. */
export type Frame = Omit<PageProps, 'site' | 'session' | 'path' | 'children' | 'auditAlert' | 'notice'>;

export const stylesheetPath = `/assets/styles.${STYLES.hash}.css`;
export const sessionScriptPath = `/assets/session.${SESSION_SCRIPT.hash}.js`;

/** The menu; an item shows only to roles that hold its permission (src/vocabulary.ts). */
const NAV: { section: Exclude<Section, null>; href: string; label: string; permission: Permission | null }[] = [
  { section: 'dashboard', href: '/', label: 'Overzicht', permission: null },
  { section: 'registrations', href: '/registrations', label: 'Mijn registraties', permission: 'register' },
  { section: 'new', href: '/registrations/new', label: 'Signaal afgeven', permission: 'register' },
  { section: 'organisation', href: '/organisatie', label: 'Mijn organisatie', permission: 'organisation_people' },
  { section: 'monitor', href: '/opvolging', label: 'Matchopvolging', permission: 'match_monitoring' },
  { section: 'beheer', href: '/beheer', label: 'Beheer', permission: 'beheer' },
  { section: 'rights', href: '/loket', label: 'Verzoeken', permission: 'rights_desk' },
  { section: 'statistics', href: '/statistieken', label: 'Statistieken', permission: 'statistics' },
  { section: 'audit', href: '/audit', label: 'Audit', permission: 'audit_status' },
  { section: 'account', href: '/account', label: 'Mijn account', permission: null },
];

export function Page({ title, site, path, session, section = null, hasErrors, narrow, auditAlert, notice, children }: PageProps) {
  return (
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${hasErrors ? 'Fout: ' : ''}${title} — Betrokken`}</title>
        <link rel="icon" href={site.iconHref} type="image/svg+xml" />
        <link rel="stylesheet" href={stylesheetPath} />
        {/* After the shared styles: a theme's tokens win where both set a variable (docs/theming.md). */}
        <link rel="stylesheet" href={site.themeHref} />
        {session ? <script src={sessionScriptPath} defer /> : null}
      </head>
      <body
        class={`${site.themeClass} betrokken-theme utrecht-document utrecht-document--surface`}
        data-idle-ms={session ? String(session.idleExpiresAt.getTime() - session.now.getTime()) : undefined}
      >
        <a class="betrokken-skip-link utrecht-link" href="#inhoud">
          Direct naar de inhoud
        </a>
        <header class="betrokken-header">
          <div class="betrokken-header__bar">
            <a class="betrokken-header__brand" href="/">
              {site.municipality.logoHref ? (
                <img class="betrokken-header__logo" src={site.municipality.logoHref} alt={`Logo ${site.municipality.name}`} />
              ) : null}
              <span class="betrokken-header__name">
                Betrokken <span class="betrokken-visually-hidden">— verwijsindex, naar het overzicht</span>
                <span class="betrokken-header__municipality">{site.municipality.name}</span>
              </span>
            </a>
            {session ? (
              <nav class="betrokken-nav" aria-label="Hoofdmenu">
                <ul>
                  {NAV.filter((item) => item.permission === null || rolesAllow(session.roles, item.permission)).map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {session ? (
              <form method="post" action="/logout" id="logout-form">
                <Button variant="subtle">Uitloggen</Button>
              </form>
            ) : null}
          </div>
        </header>
        {session ? (
          <div class="betrokken-session betrokken-noprint">
            <span>
              Ingelogd als {session.name}. Zonder activiteit eindigt uw sessie om <span id="session-until">{formatTime(session.idleExpiresAt)}</span>.
            </span>
            <form method="post" action="/session/extend">
              <input type="hidden" name="terug" value={path ?? '/'} />
              <Button variant="subtle">Sessie verlengen</Button>
            </form>
          </div>
        ) : null}
        <main id="inhoud" class={`betrokken-main${narrow ? ' betrokken-narrow' : ''}`} tabindex={-1}>
          {session && auditAlert ? (
            <div class="utrecht-alert utrecht-alert--error betrokken-audit-alert" role="alert">
              <div class="utrecht-alert__content">
                <div class="utrecht-alert__message">
                  Het auditlogboek is bij de controle van {formatDateTime(auditAlert.at)} niet in orde bevonden
                  {auditAlert.brokenAt === null ? '' : ` (vanaf gebeurtenis ${auditAlert.brokenAt})`}.{' '}
                  <a class="utrecht-link" href="/audit/keten">
                    Bekijk de ketenstatus
                  </a>
                </div>
              </div>
            </div>
          ) : null}
          {notice ? <Alert type="ok">{notice}</Alert> : null}
          {children}
        </main>
        <Footer site={site} />
        {session ? (
          <dialog id="session-dialog" class="betrokken-dialog" aria-labelledby="session-dialog-titel" aria-describedby="session-dialog-tekst">
            <h2 class="utrecht-heading-2" id="session-dialog-titel">
              Uw sessie verloopt bijna
            </h2>
            <p class="utrecht-paragraph" id="session-dialog-tekst">
              U bent een tijd niet actief geweest. Over twee minuten wordt u voor uw veiligheid uitgelogd. Wilt u doorgaan?
            </p>
            <div class="betrokken-actions">
              <Button type="button" id="session-extend">
                Doorgaan
              </Button>
              <Button type="button" variant="secondary" id="session-logout">
                Uitloggen
              </Button>
            </div>
          </dialog>
        ) : null}
      </body>
    </html>
  );
}

/** Who runs this index and how to reach them, and the two statements every page links to. */
function Footer({ site }: { site: Site }) {
  const m = site.municipality;
  return (
    <footer class="betrokken-footer betrokken-noprint">
      <div class="betrokken-footer__content">
        <section aria-labelledby="footer-contact">
          <h2 class="utrecht-heading-2" id="footer-contact">
            Contact
          </h2>
          <p class="utrecht-paragraph">
            Betrokken is de verwijsindex van {m.name}.
            <br />
            Vragen over Betrokken: {m.helpdesk}.
            <br />
            E-mail:{' '}
            <a class="utrecht-link" href={`mailto:${m.email}`}>
              {m.email}
            </a>
            , telefoon {m.phone}.
          </p>
        </section>
        <nav aria-label="Verklaringen">
          <ul class="betrokken-footer__links">
            <li>
              <a class="utrecht-link" href={m.privacyHref}>
                Privacyverklaring
              </a>
            </li>
            <li>
              <a class="utrecht-link" href="/toegankelijkheid">
                Toegankelijkheidsverklaring
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
