/**
 * Login and account access: password, then the second factor (or its enrolment with a QR
 * code rendered here, no external service), logout, accepting an invitation, and the
 * password reset (which never touches the second factor). Every step behind a per-IP limit.
 */
import { Hono, type Context } from 'hono';
import { encode } from 'uqr';
import { z } from 'zod';
import { requestPasswordReset, setPasswordWithToken } from '../../auth/account-tokens.ts';
import { checkPassword, checkSecondFactor } from '../../auth/login.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password-policy.ts';
import { dropPendingSession, endSession, startSession } from '../../auth/sessions.ts';
import { allowLoginAttempt } from '../../auth/throttle.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, pendingEnrolment } from '../../auth/totp.ts';
import { ServiceError, type FieldErrors } from '../../lib/errors.ts';
import { Alert, Button, ErrorSummary, Heading, Link, P, TextField, type FormState } from '../../views/components.tsx';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { readForm } from './forms.ts';
import { errorPage, render } from './render.tsx';
import { ANONYMOUS, clearSessionCookie, pendingLogin, readSessionCookie, safeReturnPath, setSessionCookie } from './session.ts';

const anonymous = (c: Context<AppEnv>) => ctxOf(c, ANONYMOUS);

async function throttled(c: Context<AppEnv>): Promise<Response | null> {
  const ctx = anonymous(c);
  if (await allowLoginAttempt(ctx, ctx.origin)) return null;
  return errorPage(c, 429, 'Even wachten', 'Er zijn vanaf dit netwerk te veel inlogpogingen gedaan. Probeer het over een kwartier opnieuw.');
}

const LoginForm = z.object({
  email: z.string().trim().min(1, 'Vul uw e-mailadres in.').max(254, 'Dit e-mailadres is te lang.'),
  password: z
    .string()
    .min(1, 'Vul uw wachtwoord in.')
    .max(PASSWORD_MAX * 4, 'Dit wachtwoord is te lang.'),
  terug: z.string().optional(),
});

const CodeForm = z.object({
  code: z.string().trim().min(1, 'Vul de code in.').max(20, 'Deze code is te lang.'),
  terug: z.string().optional(),
});

const PasswordForm = z
  .object({
    token: z.string().min(1).max(100),
    password: z.string().min(1, 'Kies een wachtwoord.'),
    confirm: z.string().min(1, 'Herhaal het wachtwoord.'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'De twee wachtwoorden zijn niet gelijk.' });

const ForgotForm = z.object({ email: z.email('Vul een geldig e-mailadres in.').max(254) });

const LOGIN_LABELS = { email: 'E-mailadres', password: 'Wachtwoord' };
const CODE_LABELS = { code: 'Code' };
const PASSWORD_LABELS = { password: 'Nieuw wachtwoord', confirm: 'Herhaal het nieuwe wachtwoord' };

function loginPage(c: Context<AppEnv>, state: FormState, status: 200 | 401 | 422 = 200) {
  const notice = c.req.query('verlopen')
    ? 'Uw sessie is verlopen. Log opnieuw in.'
    : c.req.query('uitgelogd')
      ? 'U bent uitgelogd.'
      : c.req.query('geactiveerd')
        ? 'Uw wachtwoord is ingesteld. Log nu in.'
        : null;
  return render(
    c,
    { title: 'Inloggen', narrow: true, hasErrors: !!state.errors },
    <>
      <Heading level={1}>Inloggen bij Betrokken</Heading>
      {notice ? <Alert type="info">{notice}</Alert> : null}
      <ErrorSummary errors={state.errors} labels={LOGIN_LABELS} />
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="terug" value={state.values?.terug ?? c.req.query('terug') ?? '/'} />
        <TextField name="email" label="E-mailadres" type="email" autocomplete="username" spellcheck={false} state={state} />
        <TextField name="password" label="Wachtwoord" type="password" autocomplete="current-password" secret state={state} />
        <div class="betrokken-actions">
          <Button>Inloggen</Button>
          <Link href="/password/forgot">Wachtwoord vergeten?</Link>
        </div>
      </form>
    </>,
    status,
  );
}

function codePage(c: Context<AppEnv>, state: FormState, status: 200 | 401 | 422 = 200) {
  return render(
    c,
    { title: 'Code invoeren', narrow: true, hasErrors: !!state.errors },
    <>
      <Heading level={1}>Tweede stap: code</Heading>
      <ErrorSummary errors={state.errors} labels={CODE_LABELS} />
      <form method="post" action="/login/code" novalidate>
        <input type="hidden" name="terug" value={state.values?.terug ?? c.req.query('terug') ?? '/'} />
        <TextField
          name="code"
          label="Code"
          hint="De 6 cijfers uit uw authenticator-app. Kwijt? Gebruik dan een van uw herstelcodes."
          inputmode="numeric"
          autocomplete="one-time-code"
          spellcheck={false}
          secret
          state={state}
        />
        <div class="betrokken-actions">
          <Button>Inloggen</Button>
        </div>
      </form>
    </>,
    status,
  );
}

/** The QR code as SVG, drawn here from the module matrix (no image service, no raw HTML). */
function QrCode({ text }: { text: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  for (const [y, row] of data.entries()) {
    for (const [x, dark] of row.entries()) if (dark) d += `M${x},${y}h1v1h-1z`;
  }
  return (
    <div class="betrokken-qr">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label="QR-code om Betrokken aan uw authenticator-app toe te voegen"
        shape-rendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
    </div>
  );
}

function enrolPage(c: Context<AppEnv>, enrolment: { secret: string; uri: string }, state: FormState, status: 200 | 422 = 200) {
  const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return render(
    c,
    { title: 'Authenticator-app koppelen', narrow: true, hasErrors: !!state.errors },
    <>
      <Heading level={1}>Authenticator-app koppelen</Heading>
      <ErrorSummary errors={state.errors} labels={CODE_LABELS} />
      <ol class="utrecht-ordered-list">
        <li class="utrecht-ordered-list__item">Open een authenticator-app op uw telefoon (bijvoorbeeld die van uw organisatie).</li>
        <li class="utrecht-ordered-list__item">Scan deze QR-code, of typ de sleutel hieronder over.</li>
        <li class="utrecht-ordered-list__item">Vul de code in die de app daarna toont.</li>
      </ol>
      <QrCode text={enrolment.uri} />
      <P>
        Sleutel om over te typen: <span class="betrokken-secret">{grouped}</span>
      </P>
      <form method="post" action="/login/enrol" novalidate>
        <TextField
          name="code"
          label="Code uit de app"
          hint="6 cijfers."
          inputmode="numeric"
          autocomplete="one-time-code"
          spellcheck={false}
          secret
          state={state}
        />
        <div class="betrokken-actions">
          <Button>Koppelen</Button>
        </div>
      </form>
    </>,
    status,
  );
}

export function recoveryCodesPage(c: Context<AppEnv>, codes: string[], next: { href: string; label: string }) {
  return render(
    c,
    { title: 'Uw herstelcodes', narrow: true },
    <>
      <Heading level={1}>Uw herstelcodes</Heading>
      <Alert type="warning">
        Bewaar deze codes op een veilige plek, bijvoorbeeld in een wachtwoordkluis. U ziet ze maar één keer. Elke code werkt één keer, als u uw telefoon niet
        bij de hand hebt.
      </Alert>
      <ul class="betrokken-codes" aria-label="Herstelcodes">
        {codes.map((code) => (
          <li>{code}</li>
        ))}
      </ul>
      <P>
        <Link href={next.href}>{next.label}</Link>
      </P>
    </>,
  );
}

function passwordPage(c: Context<AppEnv>, purpose: 'invitation' | 'password_reset', token: string, state: FormState, status: 200 | 422 = 200) {
  const action = purpose === 'invitation' ? '/account/activate' : '/account/reset';
  return render(
    c,
    { title: purpose === 'invitation' ? 'Account activeren' : 'Nieuw wachtwoord', narrow: true, hasErrors: !!state.errors },
    <>
      <Heading level={1}>{purpose === 'invitation' ? 'Welkom bij Betrokken' : 'Nieuw wachtwoord kiezen'}</Heading>
      <P>
        Kies een wachtwoord van {PASSWORD_MIN} tot {PASSWORD_MAX} tekens. Een zin van een paar woorden is sterk en goed te onthouden. Veelgebruikte wachtwoorden
        worden geweigerd.
      </P>
      {purpose === 'password_reset' ? <P>Uw tweede stap (de authenticator-app) blijft zoals hij was.</P> : null}
      <ErrorSummary errors={state.errors} labels={PASSWORD_LABELS} />
      <form method="post" action={action} novalidate>
        <input type="hidden" name="token" value={token} />
        <TextField name="password" label="Nieuw wachtwoord" type="password" autocomplete="new-password" secret maxlength={PASSWORD_MAX} state={state} />
        <TextField
          name="confirm"
          label="Herhaal het nieuwe wachtwoord"
          type="password"
          autocomplete="new-password"
          secret
          maxlength={PASSWORD_MAX}
          state={state}
        />
        <div class="betrokken-actions">
          <Button>Wachtwoord instellen</Button>
        </div>
      </form>
    </>,
    status,
  );
}

function passwordRoutes(app: Hono<AppEnv>, purpose: 'invitation' | 'password_reset') {
  const path = purpose === 'invitation' ? '/account/activate' : '/account/reset';
  app.get(path, (c) => {
    const token = c.req.query('token');
    if (!token || token.length > 100)
      return errorPage(c, 400, 'Link onvolledig', 'Deze link is onvolledig. Open de link uit de e-mail opnieuw, of vraag een nieuwe aan.');
    return passwordPage(c, purpose, token, {});
  });
  app.post(path, async (c) => {
    const form = await readForm(c, PasswordForm);
    const token = form.values.token ?? '';
    if (!form.ok) return passwordPage(c, purpose, token, form, 422);
    try {
      await setPasswordWithToken(anonymous(c), purpose, form.data.token, form.data.password);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'invalid_input') return passwordPage(c, purpose, token, { errors: error.fields ?? {} }, 422);
      if (error instanceof ServiceError && error.code === 'forbidden') {
        return errorPage(c, 403, 'Link werkt niet meer', `${error.message} Via "Wachtwoord vergeten" op de inlogpagina vraagt u een nieuwe link aan.`);
      }
      throw error;
    }
    return c.redirect('/login?geactiveerd=1', 303);
  });
}

function refused(error: unknown): FieldErrors | null {
  return error instanceof ServiceError && error.code === 'unauthorized' ? { email: [error.message] } : null;
}

export const authRoutes = new Hono<AppEnv>();

authRoutes.get('/login', (c) => (c.get('session') ? c.redirect('/', 303) : loginPage(c, {})));

authRoutes.post('/login', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const form = await readForm(c, LoginForm);
  if (!form.ok) return loginPage(c, form, 422);
  const ctx = anonymous(c);
  let step: Awaited<ReturnType<typeof checkPassword>>;
  try {
    step = await checkPassword(ctx, form.data.email, form.data.password);
  } catch (error) {
    const errors = refused(error);
    if (errors) return loginPage(c, { values: form.values, errors }, 401);
    throw error;
  }
  const pending = await startSession(ctx, step.professionalId, c.req.header('user-agent') ?? null, step.hasSecondFactor ? 'second_factor' : 'enrol');
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
  await dropPendingSession(ctx, pending.id);
  const session = await startSession(ctx, pending.professionalId, c.req.header('user-agent') ?? null);
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
  try {
    await checkSecondFactor(anonymous(c), pending.professionalId, form.data.code);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'unauthorized')
      return codePage(c, { values: form.values, errors: { code: ['Deze code klopt niet, is al gebruikt of het account is tijdelijk geblokkeerd.'] } }, 401);
    throw error;
  }
  await completeLogin(c, pending);
  return c.redirect(safeReturnPath(form.data.terug), 303);
});

authRoutes.get('/login/enrol', async (c) => {
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  return render(
    c,
    { title: 'Tweede stap instellen', narrow: true },
    <>
      <Heading level={1}>Tweede stap instellen</Heading>
      <P>
        Betrokken bevat gegevens over kinderen en jongeren. Daarom logt iedereen in met een wachtwoord én een code uit een authenticator-app op de telefoon. Dat
        stelt u nu eenmalig in.
      </P>
      <form method="post" action="/login/enrol/start">
        <Button>Beginnen</Button>
      </form>
    </>,
  );
});

authRoutes.post('/login/enrol/start', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  return enrolPage(c, await beginTotpEnrolment(anonymous(c), pending.professionalId), {});
});

authRoutes.post('/login/enrol', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const pending = await pendingLogin(c, 'enrol');
  if (!pending) return c.redirect('/login?verlopen=1', 303);
  const ctx = anonymous(c);
  const enrolment = await pendingEnrolment(ctx, pending.professionalId);
  if (!enrolment) return c.redirect('/login/enrol', 303);
  const form = await readForm(c, CodeForm);
  if (!form.ok) return enrolPage(c, enrolment, form, 422);
  let codes: string[];
  try {
    codes = (await confirmTotpEnrolment(ctx, pending.professionalId, form.data.code)).recoveryCodes;
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid_input') return enrolPage(c, enrolment, { errors: error.fields ?? {} }, 422);
    throw error;
  }
  await completeLogin(c, pending);
  return recoveryCodesPage(c, codes, { href: '/', label: 'Ik heb de codes bewaard: naar het overzicht' });
});

authRoutes.post('/logout', async (c) => {
  const id = readSessionCookie(c, 'session');
  if (id) await endSession(ctxOf(c, c.get('actor') ?? ANONYMOUS), id);
  clearSessionCookie(c, 'session');
  return c.redirect('/login?uitgelogd=1', 303);
});

passwordRoutes(authRoutes, 'invitation');
passwordRoutes(authRoutes, 'password_reset');

function forgotPage(c: Context<AppEnv>, state: FormState, sent: boolean, status: 200 | 422 = 200) {
  return render(
    c,
    { title: 'Wachtwoord vergeten', narrow: true, hasErrors: !!state.errors },
    <>
      <Heading level={1}>Wachtwoord vergeten</Heading>
      {sent ? (
        <Alert type="ok" live>
          Als dit e-mailadres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link. De link werkt één keer en is een uur geldig.
        </Alert>
      ) : null}
      <ErrorSummary errors={state.errors} labels={{ email: 'E-mailadres' }} />
      <form method="post" action="/password/forgot" novalidate>
        <TextField name="email" label="E-mailadres" type="email" autocomplete="username" spellcheck={false} state={state} />
        <div class="betrokken-actions">
          <Button>Stuur mij een link</Button>
          <Link href="/login">Terug naar inloggen</Link>
        </div>
      </form>
    </>,
    status,
  );
}

authRoutes.get('/password/forgot', (c) => forgotPage(c, {}, false));
authRoutes.post('/password/forgot', async (c) => {
  const limited = await throttled(c);
  if (limited) return limited;
  const form = await readForm(c, ForgotForm);
  if (!form.ok) return forgotPage(c, form, false, 422);
  await requestPasswordReset(anonymous(c), form.data.email);
  return forgotPage(c, {}, true);
});
