/**
 * The mailed links (accepting an invitation, the password reset) and asking for a reset
 * link. A link is checked when it is opened: a used, replaced or expired one is refused
 * there, naming the account it was for, before anyone types a password. The pages are in
 * views/pages/password.tsx.
 */
import { Hono, type Context } from 'hono';
import { checkAccountLink, requestPasswordReset, setPasswordWithToken } from '../../auth/account-tokens.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState } from '../../views/components.tsx';
import { DeadLinkPage, deadLinkFrame, ForgotPasswordPage, forgotPasswordFrame, SetPasswordPage, setPasswordFrame } from '../../views/pages/password.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { ForgotForm, PasswordForm } from './auth-forms.ts';
import { readForm, submitForm } from './forms.ts';
import { errorPage, render } from './render.tsx';
import { ANONYMOUS } from './session.ts';
import { throttled } from './throttle.ts';

export const accountLinkRoutes = new Hono<AppEnv>();

/** The mailed links work without a session (src/routes/http/access.ts). */
export const accountLinkAccess: AccessTable = {
  'GET /password/forgot': 'public',
  'POST /password/forgot': 'public',
  'GET /account/activate': 'public',
  'POST /account/activate': 'public',
  'GET /account/reset': 'public',
  'POST /account/reset': 'public',
};

type Purpose = 'invitation' | 'password_reset';

const anonymous = (c: Context<AppEnv>) => ctxOf(c, ANONYMOUS);

const incomplete = (c: Context<AppEnv>) =>
  errorPage(c, 400, 'Link onvolledig', 'Deze link is onvolledig. Open de link uit de e-mail opnieuw, of vraag een nieuwe aan.');

/**
 * Opens the link: its account's email when it still works, otherwise the refusal page
 * (410 for a used, replaced or expired link, 404 for one that names nothing).
 */
async function openLink(c: Context<AppEnv>, purpose: Purpose, token: string): Promise<{ email: string } | Response> {
  const link = await checkAccountLink(anonymous(c), { purpose, token });
  if (link.status === 'valid') return { email: link.email };
  const props = { purpose, reason: link.status, email: link.status === 'unknown' ? null : link.email };
  return render(c, deadLinkFrame(props), <DeadLinkPage {...props} />, link.status === 'unknown' ? 404 : 410);
}

function passwordRoutes(app: Hono<AppEnv>, purpose: Purpose) {
  const path = purpose === 'invitation' ? '/account/activate' : '/account/reset';
  const page = (c: Context<AppEnv>, token: string, email: string, state: FormState, status: 200 | 422 = 200) => {
    const props = { purpose, token, email, state };
    return render(c, setPasswordFrame(props), <SetPasswordPage {...props} />, status);
  };
  app.get(path, async (c) => {
    const token = c.req.query('token');
    if (!token || token.length > 100) return incomplete(c);
    const link = await openLink(c, purpose, token);
    return link instanceof Response ? link : page(c, token, link.email, {});
  });
  app.post(path, async (c) => {
    const form = await readForm(c, PasswordForm);
    const token = form.values.token ?? '';
    if (!token || token.length > 100) return incomplete(c);
    const link = await openLink(c, purpose, token);
    if (link instanceof Response) return link;
    if (!form.ok) return page(c, token, link.email, form, 422);
    const done = await submitForm(c, form.values, () =>
      setPasswordWithToken(anonymous(c), { purpose, token: form.data.token, password: form.data.password }),
    ).catch((error: unknown) => {
      // Used by another request between the check and now.
      if (error instanceof ServiceError && error.code === 'forbidden') {
        return render(
          c,
          deadLinkFrame({ purpose, reason: 'used', email: link.email }),
          <DeadLinkPage purpose={purpose} reason="used" email={link.email} />,
          410,
        );
      }
      throw error;
    });
    if (done instanceof Response) return done;
    if (!done.ok) return page(c, token, link.email, done, done.status);
    // Before login there is no session to hold a one-time message: a fixed notice by flag.
    return c.redirect(purpose === 'invitation' ? '/login?geactiveerd=1' : '/login?wachtwoord=gezet', 303);
  });
}

passwordRoutes(accountLinkRoutes, 'invitation');
passwordRoutes(accountLinkRoutes, 'password_reset');

function forgotPage(c: Context<AppEnv>, state: FormState, status: 200 | 422 = 200) {
  const props = { state, sent: c.req.method === 'GET' && c.req.query('verstuurd') !== undefined };
  return render(c, forgotPasswordFrame(props), <ForgotPasswordPage {...props} />, status);
}

accountLinkRoutes.get('/password/forgot', (c) => forgotPage(c, {}));
accountLinkRoutes.post('/password/forgot', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const form = await readForm(c, ForgotForm);
  if (!form.ok) return forgotPage(c, form, 422);
  await requestPasswordReset(anonymous(c), { email: form.data.email });
  // The same answer whether or not the address is known; a refresh does not ask again.
  return c.redirect('/password/forgot?verstuurd=1', 303);
});
