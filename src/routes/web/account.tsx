/** "Mijn account": change the password, the second factor's recovery codes, and the own sessions. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { changePassword, regenerateRecoveryCodes, unusedRecoveryCodes } from '../../auth/account-settings.ts';
import { PASSWORD_MAX } from '../../auth/password-policy.ts';
import { endSessionByHandle, listSessions } from '../../auth/sessions.ts';
import { getProfessionalProfile } from '../../directory/directory.ts';
import { ServiceError, type FieldErrors } from '../../lib/errors.ts';
import { Button, Notice, ErrorSummary, Heading, P, TextField, type FormState } from '../../views/components.tsx';
import { formatDate, formatDateTime, SECTOR_LABELS } from '../../views/labels.ts';
import type { AppEnv } from '../app-env.ts';
import { ctxOf } from '../http/ctx.ts';
import { recoveryCodesPage } from './auth.tsx';
import { readForm } from './forms.ts';
import { render } from './render.tsx';

export const accountPages = new Hono<AppEnv>();

const NOTICES: Record<string, string> = {
  wachtwoord: 'Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.',
  sessie: 'De sessie is beëindigd.',
  'geen-sessie': 'Die sessie was al beëindigd.',
};

type Forms = { password?: FormState; codes?: FormState };

async function accountPage(c: Context<AppEnv>, forms: Forms = {}, status: 200 | 422 = 200) {
  const ctx = ctxOf(c);
  const session = c.get('session');
  const [me, codesLeft, sessions] = [
    await getProfessionalProfile(ctx, session.professionalId),
    await unusedRecoveryCodes(ctx, session.professionalId),
    await listSessions(ctx, session.professionalId),
  ];
  const notice = NOTICES[c.req.query('gedaan') ?? ''];
  const errors: FieldErrors | undefined = forms.password?.errors ?? forms.codes?.errors;
  return render(
    c,
    { title: 'Mijn account', section: 'account', hasErrors: !!errors },
    <>
      <Heading level={1}>Mijn account</Heading>
      <Notice text={notice} />
      <dl class="betrokken-dl">
        <dt>Naam</dt>
        <dd>{me.name}</dd>
        <dt>E-mailadres</dt>
        <dd>{me.email}</dd>
        <dt>Telefoon</dt>
        <dd>{me.phone ?? 'niet bekend'}</dd>
        <dt>Organisatie</dt>
        <dd>
          {me.organisationName} ({SECTOR_LABELS[me.sector]})
        </dd>
      </dl>
      <P>Kloppen uw gegevens niet? Vraag de beheerder van uw organisatie ze aan te passen.</P>

      <section aria-labelledby="wachtwoord-titel">
        <Heading level={2} id="wachtwoord-titel">
          Wachtwoord wijzigen
        </Heading>
        <ErrorSummary
          errors={forms.password?.errors}
          labels={{ current: 'Huidig wachtwoord', password: 'Nieuw wachtwoord', confirm: 'Herhaal het nieuwe wachtwoord' }}
        />
        <form method="post" action="/account/password" novalidate>
          <TextField name="current" label="Huidig wachtwoord" type="password" autocomplete="current-password" secret state={forms.password} />
          <TextField
            name="password"
            label="Nieuw wachtwoord"
            hint="12 tot 128 tekens; een zin van een paar woorden is sterk."
            type="password"
            autocomplete="new-password"
            secret
            maxlength={PASSWORD_MAX}
            state={forms.password}
          />
          <TextField
            name="confirm"
            label="Herhaal het nieuwe wachtwoord"
            type="password"
            autocomplete="new-password"
            secret
            maxlength={PASSWORD_MAX}
            state={forms.password}
          />
          <div class="betrokken-actions">
            <Button variant="secondary">Wachtwoord wijzigen</Button>
          </div>
        </form>
      </section>

      <section aria-labelledby="tweede-stap-titel">
        <Heading level={2} id="tweede-stap-titel">
          Tweede stap
        </Heading>
        <P>
          Uw authenticator-app is gekoppeld{me.totpConfirmedAt ? ` sinds ${formatDate(me.totpConfirmedAt)}` : ''}. U hebt nog {codesLeft} ongebruikte
          herstelcode{codesLeft === 1 ? '' : 's'}.
        </P>
        <P>Nieuwe herstelcodes maken de oude ongeldig. Nieuwe telefoon? Vraag de beheerder van uw organisatie de koppeling te herstellen.</P>
        <ErrorSummary errors={forms.codes?.errors} labels={{ code: 'Code uit de app' }} />
        <form method="post" action="/account/recovery-codes" novalidate>
          <TextField
            name="code"
            label="Code uit de app"
            hint="6 cijfers, ter bevestiging."
            inputmode="numeric"
            autocomplete="one-time-code"
            secret
            state={forms.codes}
          />
          <div class="betrokken-actions">
            <Button variant="secondary">Nieuwe herstelcodes maken</Button>
          </div>
        </form>
      </section>

      <section aria-labelledby="sessies-titel">
        <Heading level={2} id="sessies-titel">
          Waar u bent ingelogd
        </Heading>
        <div class="betrokken-table-wrap">
          <table class="utrecht-table">
            <caption class="utrecht-table__caption betrokken-visually-hidden">Uw actieve sessies</caption>
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">
                  Browser
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Ingelogd
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Laatst actief
                </th>
                <th class="utrecht-table__header-cell" scope="col">
                  Actie
                </th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {sessions.map((s) => (
                <tr class="utrecht-table__row">
                  <td class="utrecht-table__cell">{s.userAgent ? s.userAgent.slice(0, 80) : 'Onbekend'}</td>
                  <td class="utrecht-table__cell">{formatDateTime(s.createdAt)}</td>
                  <td class="utrecht-table__cell">{formatDateTime(s.lastSeenAt)}</td>
                  <td class="utrecht-table__cell">
                    {s.handle === session.handle ? (
                      'Deze sessie'
                    ) : (
                      <form method="post" action="/account/sessions/end">
                        <input type="hidden" name="handle" value={s.handle} />
                        <Button variant="secondary">
                          Beëindigen<span class="betrokken-visually-hidden"> (sessie van {formatDateTime(s.createdAt)})</span>
                        </Button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>,
    status,
  );
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
  try {
    await changePassword(ctxOf(c), session.professionalId, form.data.current, form.data.password, session.id);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid_input') return accountPage(c, { password: { errors: error.fields ?? {} } }, 422);
    throw error;
  }
  return c.redirect('/account?gedaan=wachtwoord', 303);
});

accountPages.post('/account/recovery-codes', async (c) => {
  const form = await readForm(c, z.object({ code: z.string().trim().min(1, 'Vul de code uit uw app in.').max(20) }));
  if (!form.ok) return accountPage(c, { codes: form }, 422);
  let codes: string[];
  try {
    codes = await regenerateRecoveryCodes(ctxOf(c), c.get('session').professionalId, form.data.code);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid_input') return accountPage(c, { codes: { errors: error.fields ?? {} } }, 422);
    throw error;
  }
  return recoveryCodesPage(c, codes, { href: '/account', label: 'Ik heb de codes bewaard: terug naar mijn account' });
});

accountPages.post('/account/sessions/end', async (c) => {
  const form = await readForm(c, z.object({ handle: z.string().max(64) }));
  // endSessionByHandle audits both outcomes; a handle that names no live session of this
  // account (already ended, or not this account's) says so instead of claiming success.
  const ended = form.ok && (await endSessionByHandle(ctxOf(c), c.get('session').professionalId, form.data.handle));
  return c.redirect(`/account?gedaan=${ended ? 'sessie' : 'geen-sessie'}`, 303);
});
