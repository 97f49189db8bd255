/**
 * Login: password, then the second factor (or its enrolment), and logout. Every step
 * behind a per-IP limit. The mailed links (invitation, password reset) are in
 * account-links.tsx; the pages are in views/pages.
 */
import { Hono, type Context } from 'hono';
import { setFlash } from '../../auth/flash.ts';
import { checkPassword, checkSecondFactor } from '../../auth/login.ts';
import { dropPendingSession, endSession, startSession } from '../../auth/sessions.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, pendingEnrolment } from '../../auth/totp.ts';
import type { FormState } from '../../views/components.tsx';
import { CodePage, codeFrame, LoginPage, loginFrame, type LoginNotice } from '../../views/pages/login.tsx';
import { EnrolIntroPage, enrolIntroFrame, EnrolPage, enrolFrame } from '../../views/pages/second-factor.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { CodeForm, LoginForm } from './auth-forms.ts';
import { readForm, submitForm } from './forms.ts';
import { render } from './render.tsx';
import { recoveryCodesFlash } from './one-time.ts';
import { throttled } from './throttle.ts';
import { ANONYMOUS, clearSessionCookie, pendingLogin, readSessionCookie, safeReturnPath, setSessionCookie } from './session.ts';

const anonymous = (c: Context<AppEnv>) => ctxOf(c, ANONYMOUS);

function loginNotice(c: Context<AppEnv>): LoginNotice | null {
  if (c.req.query('verlopen')) return 'expired';
  if (c.req.query('uitgelogd')) return 'logged_out';
  if (c.req.query('wachtwoord') === 'gezet') return 'password_set';
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
  return session.id;
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
  // Once started (POST /login/enrol/start), the page shows the app's key until it is confirmed.
  const enrolment = await pendingEnrolment(anonymous(c), { professionalId: pending.professionalId });
  return enrolment ? enrolPage(c, enrolment, {}) : render(c, enrolIntroFrame(), <EnrolIntroPage />);
});

authRoutes.post('/login/enrol/start', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  await beginTotpEnrolment(anonymous(c), { professionalId: pending.professionalId });
  return c.redirect('/login/enrol', 303);
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
  const sessionId = await completeLogin(c, pending);
  // The codes are shown once, on the page after the redirect (src/routes/web/one-time.ts).
  await setFlash(ctx, sessionId, recoveryCodesFlash(done.value.recoveryCodes, 'enrolment'));
  return c.redirect('/account/recovery-codes', 303);
});

authRoutes.post('/logout', async (c) => {
  const id = readSessionCookie(c, 'session');
  if (id) await endSession(ctxOf(c, c.get('actor') ?? ANONYMOUS), { sessionId: id });
  clearSessionCookie(c, 'session');
  return c.redirect('/login?uitgelogd=1', 303);
});
