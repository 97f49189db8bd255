/** "Mijn account": the own details, changing the password, new recovery codes, and the own sessions. */
import type { Sector } from '../../vocabulary.ts';
import {
  Button,
  Cell,
  ErrorSummary,
  Heading,
  Notice,
  P,
  Row,
  TextField,
  type FormState,
  Section,
  Table,
  CodeField,
  NewPasswordFields,
} from '../components.tsx';
import { deviceName } from '../device-name.ts';
import { formatDate, formatDateTime, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

/** What was just done (the `gedaan` query after a redirect), said once. */
const NOTICES: Record<string, string> = {
  wachtwoord: 'Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.',
  sessie: 'De sessie is beëindigd.',
  'geen-sessie': 'Die sessie was al beëindigd.',
};

export interface AccountProps {
  /** organisationName null: one of the municipality's own staff. */
  me: { name: string; email: string; phone: string | null; organisationName: string | null; sector: Sector; totpConfirmedAt: Date | null };
  /** Unused recovery codes left. */
  codesLeft: number;
  /** The live sessions; `handle` names one without giving away its id. */
  sessions: { handle: string; userAgent: string | null; createdAt: Date; lastSeenAt: Date }[];
  /** The handle of the session this page is shown in: it cannot end itself here. */
  currentHandle: string;
  /** The two forms, as posted (at most one at a time). */
  forms: { password?: FormState; codes?: FormState };
  done: string | undefined;
}

export const accountFrame = ({ forms }: AccountProps): Frame => ({
  title: 'Mijn account',
  section: 'account',
  hasErrors: !!(forms.password?.errors ?? forms.codes?.errors),
});

export function AccountPage({ me, codesLeft, sessions, currentHandle, forms, done }: AccountProps) {
  return (
    <>
      <Heading level={1}>Mijn account</Heading>
      <Notice text={NOTICES[done ?? '']} />
      <dl class="betrokken-dl">
        <dt>Naam</dt>
        <dd>{me.name}</dd>
        <dt>E-mailadres</dt>
        <dd>{me.email}</dd>
        <dt>Telefoon</dt>
        <dd>{me.phone ?? 'niet bekend'}</dd>
        <dt>Organisatie</dt>
        <dd>{me.organisationName === null ? 'Gemeente (eigen medewerker)' : `${me.organisationName} (${SECTOR_LABELS[me.sector]})`}</dd>
      </dl>
      <P>Kloppen uw gegevens niet? Vraag de contactpersoon van uw organisatie (of, als u voor de gemeente werkt, de functioneel beheerder) ze aan te passen.</P>

      <Section id="wachtwoord" title="Wachtwoord wijzigen">
        <ErrorSummary
          errors={forms.password?.errors}
          labels={{ current: 'Huidig wachtwoord', password: 'Nieuw wachtwoord', confirm: 'Herhaal het nieuwe wachtwoord' }}
        />
        <form method="post" action="/account/password" novalidate>
          <TextField name="current" label="Huidig wachtwoord" type="password" autocomplete="current-password" secret state={forms.password} />
          <NewPasswordFields
            hint="12 tot 128 tekens; een zin van een paar woorden is sterk. Een wachtwoord dat makkelijk te raden is, wordt geweigerd."
            state={forms.password}
          />
          <div class="betrokken-actions">
            <Button variant="secondary">Wachtwoord wijzigen</Button>
          </div>
        </form>
      </Section>

      <Section id="tweede-stap" title="Tweede stap">
        <P>
          Uw authenticator-app is gekoppeld{me.totpConfirmedAt ? ` sinds ${formatDate(me.totpConfirmedAt)}` : ''}. U hebt nog {codesLeft} ongebruikte
          herstelcode{codesLeft === 1 ? '' : 's'}.
        </P>
        <P>
          Nieuwe herstelcodes maken de oude ongeldig. Telefoon kwijt of een nieuwe? Vraag de contactpersoon van uw organisatie of de functioneel beheerder van
          de gemeente de tweede stap opnieuw in te stellen; bij de volgende keer inloggen koppelt u dan de app opnieuw.
        </P>
        <ErrorSummary errors={forms.codes?.errors} labels={{ code: 'Code uit de app' }} />
        <form method="post" action="/account/recovery-codes" novalidate>
          <CodeField label="Code uit de app" hint="6 cijfers, ter bevestiging." state={forms.codes} />
          <div class="betrokken-actions">
            <Button variant="secondary">Nieuwe herstelcodes maken</Button>
          </div>
        </form>
      </Section>

      <Section id="sessies" title="Waar u bent ingelogd">
        <Table layout="stack" caption="Uw actieve sessies" hiddenCaption columns={['Apparaat', 'Ingelogd', 'Laatst actief', 'Actie']}>
          {sessions.map((s) => (
            <Row>
              <Cell label="Apparaat">{deviceName(s.userAgent)}</Cell>
              <Cell label="Ingelogd">{formatDateTime(s.createdAt)}</Cell>
              <Cell label="Laatst actief">{formatDateTime(s.lastSeenAt)}</Cell>
              <Cell label="Actie">
                {s.handle === currentHandle ? (
                  'Deze sessie'
                ) : (
                  <form method="post" action="/account/sessions/end">
                    <input type="hidden" name="handle" value={s.handle} />
                    <Button variant="secondary">
                      Beëindigen<span class="betrokken-visually-hidden"> (sessie van {formatDateTime(s.createdAt)})</span>
                    </Button>
                  </form>
                )}
              </Cell>
            </Row>
          ))}
        </Table>
      </Section>
    </>
  );
}
