/** Choosing a password from an e-mailed link (invitation or reset), and asking for a reset link. */
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password-policy.ts';
import { Alert, Button, ErrorSummary, Heading, Link, P, TextField, type FormState, NewPasswordFields } from '../components.tsx';
import type { Frame } from '../layout.tsx';

const PASSWORD_LABELS = { password: 'Nieuw wachtwoord', confirm: 'Herhaal het nieuwe wachtwoord' };

export interface SetPasswordProps {
  purpose: 'invitation' | 'password_reset';
  /** The link's single-use token, posted back with the form. */
  token: string;
  state: FormState;
}

export const setPasswordFrame = ({ purpose, state }: SetPasswordProps): Frame => ({
  title: purpose === 'invitation' ? 'Account activeren' : 'Nieuw wachtwoord',
  narrow: true,
  hasErrors: !!state.errors,
});

export function SetPasswordPage({ purpose, token, state }: SetPasswordProps) {
  return (
    <>
      <Heading level={1}>{purpose === 'invitation' ? 'Welkom bij Betrokken' : 'Nieuw wachtwoord kiezen'}</Heading>
      <P>
        Kies een wachtwoord van {PASSWORD_MIN} tot {PASSWORD_MAX} tekens. Een zin van een paar woorden is sterk en goed te onthouden. Veelgebruikte wachtwoorden
        worden geweigerd.
      </P>
      {purpose === 'password_reset' ? <P>Uw tweede stap (de authenticator-app) blijft zoals hij was.</P> : null}
      <ErrorSummary errors={state.errors} labels={PASSWORD_LABELS} />
      <form method="post" action={purpose === 'invitation' ? '/account/activate' : '/account/reset'} novalidate>
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields state={state} />
        <div class="betrokken-actions">
          <Button>Wachtwoord instellen</Button>
        </div>
      </form>
    </>
  );
}

export interface ForgotPasswordProps {
  state: FormState;
  /** A link was asked for: say what happens next, whether or not the address is known. */
  sent: boolean;
}

export const forgotPasswordFrame = ({ state }: ForgotPasswordProps): Frame => ({ title: 'Wachtwoord vergeten', narrow: true, hasErrors: !!state.errors });

export function ForgotPasswordPage({ state, sent }: ForgotPasswordProps) {
  return (
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
    </>
  );
}
