/**
 * /dev/mail: the mail preview, in development only (src/notify/dev-mailbox.ts). createWebRoutes
 * registers these routes only when NODE_ENV=development: in production and test they do not
 * exist (404). Public, like the mailed links it shows: a developer's machine, no login
 * needed to read the invitation that makes the first login possible.
 */
import { Hono } from 'hono';
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
};

export const devMailPages = new Hono<AppEnv>();

function mailbox(deps: AppEnv['Variables']['deps']) {
  const box = mailboxOf(deps);
  // createApp sets the mailbox up in development, the only mode these routes exist in.
  if (!box) throw new ServiceError('not_found', 'Er is geen e-mailvoorbeeld in deze omgeving.');
  return box;
}

devMailPages.get('/dev/mail', (c) => render(c, devMailListFrame(), <DevMailListPage mails={mailbox(c.get('deps')).list()} />));

devMailPages.get('/dev/mail/:id', (c) => {
  const mail = mailbox(c.get('deps')).get(c.req.param('id'));
  if (!mail) throw new ServiceError('not_found', 'Deze e-mail staat niet (meer) in de lijst.');
  return render(c, devMailFrame(mail), <DevMailPage mail={mail} />);
});
