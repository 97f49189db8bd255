/**
 * Login and account access: password, then the second factor (or its enrolment), logout,
 * accepting an invitation, and the password reset (which never touches the second
 * factor). Every step behind a per-IP limit. The pages are in views/pages.
 */
import { Hono, type Context } from 'hono';
import { requestPasswordReset, setPasswordWithToken } from '../../auth/account-tokens.ts';
import { checkPassword, checkSecondFactor } from '../../auth/login.ts';
import { dropPendingSession, endSession, startSession } from '../../auth/sessions.ts';
import { allowLoginAttempt } from '../../auth/throttle.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, pendingEnrolment } from '../../auth/totp.ts';
import { ServiceError } from '../../lib/errors.ts';
import type { FormState } from '../../views/components.tsx';
import { CodePage, codeFrame, LoginPage, loginFrame, type LoginNotice } from '../../views/pages/login.tsx';
import { ForgotPasswordPage, forgotPasswordFrame, SetPasswordPage, setPasswordFrame } from '../../views/pages/password.tsx';
import { EnrolIntroPage, enrolIntroFrame, EnrolPage, enrolFrame, RecoveryCodesPage, recoveryCodesFrame } from '../../views/pages/second-factor.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { CodeForm, ForgotForm, LoginForm, PasswordForm } from './auth-forms.ts';
import { readForm, submitForm } from './forms.ts';
import { errorPage, render } from './render.tsx';
import { ANONYMOUS, clearSessionCookie, pendingLogin, readSessionCookie, safeReturnPath, setSessionCookie } from './session.ts';

const anonymous = (c: Context<AppEnv>) => ctxOf(c, ANONYMOUS);

async function throttled(c: Context<AppEnv>): Promise<Response | null> {
  const ctx = anonymous(c);
  if (await allowLoginAttempt(ctx, { clientAddress: ctx.origin })) return null;
  return errorPage(c, 429, 'Even wachten', 'Er zijn vanaf dit netwerk te veel inlogpogingen gedaan. Probeer het over een kwartier opnieuw.');
}

function loginNotice(c: Context<AppEnv>): LoginNotice | null {
  if (c.req.query('verlopen')) return 'expired';
  if (c.req.query('uitgelogd')) return 'logged_out';
  return c.req.query('geactiveerd') ? 'activated' : null;
}

function loginPage(c: Context<AppEnv>, state: FormState, status: 200 | 401 | 422 = 200) {
  const props = { state, notice: loginNotice(c), returnTo: c.req.query('terug') };
  return render(c, loginFrame(props), <LoginPage {...props} />, status);
}

function codePage(c: Context<AppEnv>, state: FormState, status: 200 | 401 | 422 = 200) {
  const props = { state, returnTo: c.req.query('terug') };
  return render(c, codeFrame(props), <CodePage {...props} />, status);
}

function enrolPage(c: Context<AppEnv>, enrolment: { secret: string; uri: string }, state: FormState, status: 200 | 422 = 200) {
  return render(c, enrolFrame({ enrolment, state }), <EnrolPage enrolment={enrolment} state={state} />, status);
}

/** A used or expired link is no field error: the page says so, with the way to a new link. */
function deadLink(c: Context<AppEnv>, error: unknown) {
  if (error instanceof ServiceError && error.code === 'forbidden') {
    return errorPage(c, 403, 'Link werkt niet meer', `${error.message} Via "Wachtwoord vergeten" op de inlogpagina vraagt u een nieuwe link aan.`);
  }
  throw error;
}

function passwordRoutes(app: Hono<AppEnv>, purpose: 'invitation' | 'password_reset') {
  const path = purpose === 'invitation' ? '/account/activate' : '/account/reset';
  const page = (c: Context<AppEnv>, token: string, state: FormState, status: 200 | 422 = 200) =>
    render(c, setPasswordFrame({ purpose, token, state }), <SetPasswordPage purpose={purpose} token={token} state={state} />, status);
  app.get(path, (c) => {
    const token = c.req.query('token');
    if (!token || token.length > 100)
      return errorPage(c, 400, 'Link onvolledig', 'Deze link is onvolledig. Open de link uit de e-mail opnieuw, of vraag een nieuwe aan.');
    return page(c, token, {});
  });
  app.post(path, async (c) => {
    const form = await readForm(c, PasswordForm);
    const token = form.values.token ?? '';
    if (!form.ok) return page(c, token, form, 422);
    const done = await submitForm(c, form.values, () =>
      setPasswordWithToken(anonymous(c), { purpose, token: form.data.token, password: form.data.password }),
    ).catch((error: unknown) => deadLink(c, error));
    if (done instanceof Response) return done;
    if (!done.ok) return page(c, token, done, done.status);
    return c.redirect('/login?geactiveerd=1', 303);
  });
}

export const authRoutes = new Hono<AppEnv>();

/** Login, logout and the mailed links work without a session (src/routes/http/access.ts). */
export const authAccess: AccessTable = {
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /login/code': 'public',
  'POST /login/code': 'public',
  'GET /login/enrol': 'public',
  'POST /login/enrol/start': 'public',
  'POST /login/enrol': 'public',
  'POST /logout': 'public',
  'GET /password/forgot': 'public',
  'POST /password/forgot': 'public',
  'GET /account/activate': 'public',
  'POST /account/activate': 'public',
  'GET /account/reset': 'public',
  'POST /account/reset': 'public',
};

authRoutes.get('/login', (c) => (c.get('session') ? c.redirect('/', 303) : loginPage(c, {})));

authRoutes.post('/login', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const form = await readForm(c, LoginForm);
  if (!form.ok) return loginPage(c, form, 422);
  const ctx = anonymous(c);
  // A refused login says the same for every cause, beside the e-mail field.
  const done = await submitForm(c, form.values, () => checkPassword(ctx, { email: form.data.email, password: form.data.password }), {
    codes: ['unauthorized'],
    fields: (error) => ({ email: [error.message] }),
  });
  if (!done.ok) return loginPage(c, done, done.status);
  const step = done.value;
  const pending = await startSession(ctx, {
    professionalId: step.professionalId,
    userAgent: c.req.header('user-agent') ?? null,
    stage: step.hasSecondFactor ? 'second_factor' : 'enrol',
  });
  setSessionCookie(c, 'login', pending.id);
  const terug = safeReturnPath(form.data.terug);
  return c.redirect(step.hasSecondFactor ? `/login/code?${new URLSearchParams({ terug })}` : '/login/enrol', 303);
});

authRoutes.get('/login/code', async (c) => {
  if (!(await pendingLogin(c, 'second_factor'))) return c.redirect('/login?verlopen=1', 303);
  return codePage(c, {});
});

/** The half-login becomes a session: a new id (rotation), the half-login's cookie gone. */
async function completeLogin(c: Context<AppEnv>, pending: { id: string; professionalId: string }) {
  const ctx = ctxOf(c, ANONYMOUS);
  await dropPendingSession(ctx, { sessionId: pending.id });
  const session = await startSession(ctx, { professionalId: pending.professionalId, userAgent: c.req.header('user-agent') ?? null });
  clearSessionCookie(c, 'login');
  setSessionCookie(c, 'session', session.id);
}

authRoutes.post('/login/code', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'second_factor');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  const form = await readForm(c, CodeForm);
  if (!form.ok) return codePage(c, form, 422);
  const done = await submitForm(c, form.values, () => checkSecondFactor(anonymous(c), { professionalId: pending.professionalId, code: form.data.code }), {
    codes: ['unauthorized'],
    fields: () => ({ code: ['Deze code klopt niet, is al gebruikt of het account is tijdelijk geblokkeerd.'] }),
  });
  if (!done.ok) return codePage(c, done, done.status);
  await completeLogin(c, pending);
  return c.redirect(safeReturnPath(form.data.terug), 303);
});

authRoutes.get('/login/enrol', async (c) => {
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  return render(c, enrolIntroFrame(), <EnrolIntroPage />);
});

authRoutes.post('/login/enrol/start', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  return enrolPage(c, await beginTotpEnrolment(anonymous(c), { professionalId: pending.professionalId }), {});
});

authRoutes.post('/login/enrol', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  const ctx = anonymous(c);
  const enrolment = await pendingEnrolment(ctx, { professionalId: pending.professionalId });
  if (!enrolment) return c.redirect('/login/enrol', 303);
  const form = await readForm(c, CodeForm);
  if (!form.ok) return enrolPage(c, enrolment, form, 422);
  const done = await submitForm(c, form.values, () => confirmTotpEnrolment(ctx, { professionalId: pending.professionalId, code: form.data.code }));
  if (!done.ok) return enrolPage(c, enrolment, done, done.status);
  await completeLogin(c, pending);
  const next = { href: '/', label: 'Ik heb de codes bewaard: naar het overzicht' };
  return render(c, recoveryCodesFrame(), <RecoveryCodesPage codes={done.value.recoveryCodes} next={next} />);
});

authRoutes.post('/logout', async (c) => {
  const id = readSessionCookie(c, 'session');
  if (id) await endSession(ctxOf(c, c.get('actor') ?? ANONYMOUS), { sessionId: id });
  clearSessionCookie(c, 'session');
  return c.redirect('/login?uitgelogd=1', 303);
});

passwordRoutes(authRoutes, 'invitation');
passwordRoutes(authRoutes, 'password_reset');

function forgotPage(c: Context<AppEnv>, state: FormState, sent: boolean, status: 200 | 422 = 200) {
  return render(c, forgotPasswordFrame({ state, sent }), <ForgotPasswordPage state={state} sent={sent} />, status);
}

authRoutes.get('/password/forgot', (c) => forgotPage(c, {}, false));
authRoutes.post('/password/forgot', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const form = await readForm(c, ForgotForm);
  if (!form.ok) return forgotPage(c, form, false, 422);
  await requestPasswordReset(anonymous(c), { email: form.data.email });
  return forgotPage(c, {}, true);
});
