/** Choosing a password from an e-mailed link (invitation or reset), and asking for a reset link. */
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password-policy.ts';
import { Alert, Button, ErrorSummary, Heading, Link, P, TextField, type FormState, NewPasswordFields } from '../components.tsx';
import type { Frame } from '../layout.tsx';

const PASSWORD_LABELS = { password: 'Nieuw wachtwoord', confirm: 'Herhaal het nieuwe wachtwoord' };

export interface SetPasswordProps {
  purpose: 'invitation' | 'password_reset';
  /** The link's single-use token, posted back with the form. */
  token: string;
  /** The account the link is for: named on the page and given to password managers. */
  email: string;
  state: FormState;
}

export const setPasswordFrame = ({ purpose, state }: SetPasswordProps): Frame => ({
  title: purpose === 'invitation' ? 'Account activeren' : 'Nieuw wachtwoord',
  narrow: true,
  hasErrors: !!state.errors,
});

export function SetPasswordPage({ purpose, token, email, state }: SetPasswordProps) {
  return (
    <>
      <Heading level={1}>{purpose === 'invitation' ? 'Welkom bij Betrokken' : 'Nieuw wachtwoord kiezen'}</Heading>
      <P lead>
        {purpose === 'invitation' ? 'U activeert het account ' : 'U kiest een nieuw wachtwoord voor het account '}
        <strong class="betrokken-account">{email}</strong>.
      </P>
      <P>
        Kies een wachtwoord van {PASSWORD_MIN} tot {PASSWORD_MAX} tekens. Een zin van een paar gewone woorden is sterk en goed te onthouden. Een wachtwoord dat
        makkelijk te raden is, wordt geweigerd: een veelgebruikt wachtwoord (zoals welkom123456), één woord met cijfers, of uw naam of organisatie.
      </P>
      {purpose === 'password_reset' ? <P>Uw tweede stap (de authenticator-app) blijft zoals hij was.</P> : null}
      <ErrorSummary errors={state.errors} labels={PASSWORD_LABELS} />
      <form method="post" action={purpose === 'invitation' ? '/account/activate' : '/account/reset'} novalidate>
        <input type="hidden" name="token" value={token} />
        {/* For password managers: the account the new password belongs to (not shown, not submitted as input to the verb). */}
        <input type="email" name="username" autocomplete="username" value={email} hidden readonly />
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

/** Why a mailed link no longer works (src/auth/account-tokens.ts, checkAccountLink). */
export type DeadLinkReason = 'used' | 'superseded' | 'expired' | 'unknown';

export interface DeadLinkProps {
  purpose: 'invitation' | 'password_reset';
  reason: DeadLinkReason;
  /** The account the link was for; none for a link that names no (active) account. */
  email: string | null;
}

const DEAD_TITLES: Record<DeadLinkReason, string> = {
  used: 'Deze link is al gebruikt',
  superseded: 'Er is een nieuwere link',
  expired: 'Deze link is verlopen',
  unknown: 'Deze link werkt niet',
};

export const deadLinkFrame = ({ reason }: DeadLinkProps): Frame => ({ title: DEAD_TITLES[reason], narrow: true });

/** The refusal on opening the link: what happened, for which account, and what to do now. */
export function DeadLinkPage({ purpose, reason, email }: DeadLinkProps) {
  const invitation = purpose === 'invitation';
  const forWhom = email ? (
    <>
      {' '}
      voor <strong class="betrokken-account">{email}</strong>
    </>
  ) : null;
  const what = {
    used: <>Deze link{forWhom} is al gebruikt: het wachtwoord is ermee ingesteld. Een link werkt maar één keer.</>,
    superseded: <>Deze link{forWhom} is vervangen door een nieuwere. Gebruik de link uit de laatste e-mail die u kreeg.</>,
    expired: (
      <>
        Deze link{forWhom} is verlopen: {invitation ? 'een uitnodiging is 72 uur geldig' : 'een link om een nieuw wachtwoord te kiezen is een uur geldig'}.
      </>
    ),
    unknown: <>Deze link is ongeldig. Misschien is hij niet helemaal overgenomen uit de e-mail.</>,
  }[reason];
  return (
    <>
      <Heading level={1}>{DEAD_TITLES[reason]}</Heading>
      <Alert type="warning">{what}</Alert>
      <Heading level={2}>Wat kunt u doen?</Heading>
      <ul class="utrecht-unordered-list">
        {reason === 'used' ? (
          <li class="utrecht-unordered-list__item">
            <Link href="/login">Log in</Link> met het wachtwoord dat u hebt gekozen.
          </li>
        ) : null}
        {invitation && reason === 'expired' ? (
          <li class="utrecht-unordered-list__item">
            Vraag de coördinator van uw organisatie of de functioneel beheerder van de gemeente om een nieuwe uitnodiging.
          </li>
        ) : (
          <li class="utrecht-unordered-list__item">
            Wachtwoord kwijt of nog niet ingesteld? Vraag een nieuwe link aan via <Link href="/password/forgot">Wachtwoord vergeten</Link>.
          </li>
        )}
        {reason !== 'used' ? (
          <li class="utrecht-unordered-list__item">
            Hebt u al een wachtwoord? <Link href="/login">Log dan in</Link>.
          </li>
        ) : null}
      </ul>
    </>
  );
}
