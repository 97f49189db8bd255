/** Logging in: the password step, then the code from the authenticator app (or a recovery code). */
import { Alert, Button, ErrorSummary, Heading, Link, TextField, type FormState, CodeField } from '../components.tsx';
import type { Frame } from '../layout.tsx';

const LOGIN_LABELS = { email: 'E-mailadres', password: 'Wachtwoord' };
const CODE_LABELS = { code: 'Code' };

/** Why the visitor is on the login page, if a redirect said so. */
export type LoginNotice = 'expired' | 'logged_out' | 'activated' | 'password_set';

const NOTICES: Record<LoginNotice, string> = {
  expired: 'Uw sessie is verlopen. Log opnieuw in.',
  logged_out: 'U bent uitgelogd.',
  activated: 'Uw wachtwoord is ingesteld. Log nu in.',
  password_set: 'Uw nieuwe wachtwoord is ingesteld. Log nu in; de code uit uw authenticator-app blijft zoals hij was.',
};

export interface LoginProps {
  state: FormState;
  notice: LoginNotice | null;
  /** Where to go after login, as the link asked (the form's own value wins when posted back). */
  returnTo: string | undefined;
}

export const loginFrame = ({ state }: LoginProps): Frame => ({ title: 'Inloggen', narrow: true, hasErrors: !!state.errors });

export function LoginPage({ state, notice, returnTo }: LoginProps) {
  return (
    <>
      <Heading level={1}>Inloggen bij Betrokken</Heading>
      {notice ? <Alert type="info">{NOTICES[notice]}</Alert> : null}
      <ErrorSummary errors={state.errors} labels={LOGIN_LABELS} />
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="terug" value={state.values?.terug ?? returnTo ?? '/'} />
        <TextField name="email" label="E-mailadres" type="email" autocomplete="username" spellcheck={false} state={state} />
        <TextField name="password" label="Wachtwoord" type="password" autocomplete="current-password" secret state={state} />
        <div class="betrokken-actions">
          <Button>Inloggen</Button>
          <Link href="/password/forgot">Wachtwoord vergeten?</Link>
        </div>
      </form>
    </>
  );
}

export interface CodeProps {
  state: FormState;
  returnTo: string | undefined;
}

export const codeFrame = ({ state }: CodeProps): Frame => ({ title: 'Code invoeren', narrow: true, hasErrors: !!state.errors });

export function CodePage({ state, returnTo }: CodeProps) {
  return (
    <>
      <Heading level={1}>Tweede stap: code</Heading>
      <ErrorSummary errors={state.errors} labels={CODE_LABELS} />
      <form method="post" action="/login/code" novalidate>
        <input type="hidden" name="terug" value={state.values?.terug ?? returnTo ?? '/'} />
        <CodeField label="Code" hint="De 6 cijfers uit uw authenticator-app. Kwijt? Gebruik dan een van uw herstelcodes." state={state} />
        <div class="betrokken-actions">
          <Button>Inloggen</Button>
        </div>
      </form>
    </>
  );
}
