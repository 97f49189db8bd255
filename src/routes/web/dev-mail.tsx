/**
 * /dev/mail: the mail preview, in development only (src/notify/dev-mailbox.ts). createWebRoutes
 * registers these routes only in development with a PUBLIC_URL on this machine
 * (devMailboxEnabled): in production and test, or under a real address, they do not exist (404). Public, like the mailed links it shows: a developer's machine, no login
 * needed to read the invitation that makes the first login possible.
 */
import { type Context, Hono } from 'hono';
import { ServiceError } from '../../lib/errors.ts';
import { mailboxOf } from '../../notify/dev-mailbox.ts';
import { DevMailListPage, devMailListFrame, DevMailPage, devMailFrame } from '../../views/pages/dev-mail.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { render } from './render.tsx';

/** What each route needs (src/routes/http/access.ts). Declared always, registered in development only. */
export const devMailAccess: AccessTable = {
  'GET /dev/mail': 'public',
  'GET /dev/mail/:id': 'public',
  'GET /dev/mail/:id/html': 'public',
};

/**
 * The HTML part alone: sandboxed (no scripts, a unique origin, no forms), nothing loaded
 * from anywhere but inline styles and images in the mail itself; links open in the browser
 * as links do (to PUBLIC_URL).
 */
const MAIL_HTML_POLICY =
  "sandbox allow-popups allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const devMailPages = new Hono<AppEnv>();

function mailbox(deps: AppEnv['Variables']['deps']) {
  const box = mailboxOf(deps);
  // createApp sets the mailbox up in development, the only mode these routes exist in.
  if (!box) throw new ServiceError('not_found', 'Er is geen e-mailvoorbeeld in deze omgeving.');
  return box;
}

devMailPages.get('/dev/mail', (c) => render(c, devMailListFrame(), <DevMailListPage mails={mailbox(c.get('deps')).list()} />));

function seen(c: Context<AppEnv>) {
  const mail = mailbox(c.get('deps')).get(c.req.param('id') ?? '');
  if (!mail) throw new ServiceError('not_found', 'Deze e-mail staat niet (meer) in de lijst.');
  return mail;
}

devMailPages.get('/dev/mail/:id', (c) => {
  const mail = seen(c);
  return render(c, devMailFrame(mail), <DevMailPage mail={mail} />);
});

devMailPages.get('/dev/mail/:id/html', (c) => {
  // The app's default policy stays away from an answer that sets its own (src/app.ts).
  c.header('content-security-policy', MAIL_HTML_POLICY);
  return c.html(seen(c).html);
});
