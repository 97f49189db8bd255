/** "Mijn account" (views/pages/account.tsx): change the password, the second factor's recovery codes, and the own sessions. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { changePassword, regenerateRecoveryCodes, unusedRecoveryCodes } from '../../auth/account-settings.ts';
import { PASSWORD_MAX } from '../../auth/password-policy.ts';
import { endSessionByHandle, listSessions } from '../../auth/sessions.ts';
import { getProfessionalProfile } from '../../directory/directory.ts';
import { AccountPage, accountFrame, type AccountProps } from '../../views/pages/account.tsx';
import { RecoveryCodesPage, recoveryCodesFrame } from '../../views/pages/second-factor.tsx';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm, submitForm } from './forms.ts';
import { flashPart, recoveryCodesFlash } from './one-time.ts';
import { render } from './render.tsx';
import { redirectWithFlash } from './session.ts';

/** One's own account: every role has one. */
export const accountAccess: AccessTable = {
  'GET /account': 'account',
  'POST /account/password': 'account',
  'GET /account/recovery-codes': 'account',
  'POST /account/recovery-codes': 'account',
  'POST /account/sessions/end': 'account',
};

export const accountPages = new Hono<AppEnv>();

async function accountPage(c: Context<AppEnv>, forms: AccountProps['forms'] = {}, status: 200 | 422 = 200) {
  const ctx = ctxOf(c);
  const session = c.get('session');
  const [me, codesLeft, sessions] = [
    await getProfessionalProfile(ctx, { professionalId: session.professionalId }),
    await unusedRecoveryCodes(ctx, { professionalId: session.professionalId }),
    await listSessions(ctx, { professionalId: session.professionalId }),
  ];
  const props: AccountProps = { me, codesLeft, sessions, currentHandle: session.handle, forms, done: c.req.query('gedaan') };
  return render(c, accountFrame(props), <AccountPage {...props} />, status);
}

accountPages.get('/account', (c) => accountPage(c));

const ChangeForm = z
  .object({
    current: z
      .string()
      .min(1, 'Vul uw huidige wachtwoord in.')
      .max(PASSWORD_MAX * 4),
    password: z.string().min(1, 'Kies een nieuw wachtwoord.'),
    confirm: z.string().min(1, 'Herhaal het nieuwe wachtwoord.'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'De twee wachtwoorden zijn niet gelijk.' });

accountPages.post('/account/password', async (c) => {
  const form = await readForm(c, ChangeForm);
  if (!form.ok) return accountPage(c, { password: form }, 422);
  const session = c.get('session');
  const done = await submitForm(c, form.values, () =>
    changePassword(ctxOf(c), { professionalId: session.professionalId, current: form.data.current, password: form.data.password, keepSessionId: session.id }),
  );
  if (!done.ok) return accountPage(c, { password: done }, done.status);
  return c.redirect('/account?gedaan=wachtwoord', 303);
});

accountPages.post('/account/recovery-codes', async (c) => {
  const form = await readForm(c, z.object({ code: z.string().trim().min(1, 'Vul de code uit uw app in.').max(20) }));
  if (!form.ok) return accountPage(c, { codes: form }, 422);
  const done = await submitForm(c, form.values, () =>
    regenerateRecoveryCodes(ctxOf(c), { professionalId: c.get('session').professionalId, code: form.data.code }),
  );
  if (!done.ok) return accountPage(c, { codes: done }, done.status);
  return redirectWithFlash(c, '/account/recovery-codes', recoveryCodesFlash(done.value, 'renewal'));
});

/**
 * New recovery codes (renewed above, or at the end of enrolment in auth.tsx) arrive here in
 * the one-time message: shown once; a reload says they were shown and how to get new ones.
 */
accountPages.get('/account/recovery-codes', (c) => {
  const codes = flashPart(c, 'recoveryCodes');
  const next =
    codes?.after === 'enrolment'
      ? { href: '/', label: 'Ik heb de codes bewaard: naar het overzicht' }
      : { href: '/account', label: codes ? 'Ik heb de codes bewaard: terug naar mijn account' : 'Naar mijn account' };
  return render(c, recoveryCodesFrame({ shown: !codes }), <RecoveryCodesPage codes={codes?.codes ?? null} next={next} />);
});

accountPages.post('/account/sessions/end', async (c) => {
  const form = await readForm(c, z.object({ handle: z.string().max(64) }));
  // endSessionByHandle audits both outcomes; a handle that names no live session of this
  // account (already ended, or not this account's) says so instead of claiming success.
  const ended = form.ok && (await endSessionByHandle(ctxOf(c), { professionalId: c.get('session').professionalId, handle: form.data.handle }));
  return c.redirect(`/account?gedaan=${ended ? 'sessie' : 'geen-sessie'}`, 303);
});
