/**
 * Giving a signal: the form, the confirmation step that says plainly what Betrokken does
 * and does not store, and the result (with a match and earlier involvement, if any).
 */
import type { EarlierInvolvement } from '../../registry/register-involvement.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { Alert, Button, Checkbox, ErrorSummary, Heading, Link, P, TextField, type FormState, Section } from '../components.tsx';
import { formatDate, INFORM_WHOM_LABELS, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

const SIGNAL_LABELS = { bsn: 'BSN', birthDate: 'Geboortedatum', reference: 'Eigen kenmerk', criterion: 'Bevestiging' };

export interface SignalFormProps {
  state: FormState;
}

export const signalFormFrame = ({ state }: SignalFormProps): Frame => ({ title: 'Signaal afgeven', section: 'new', hasErrors: !!state.errors, narrow: true });

export function SignalFormPage({ state }: SignalFormProps) {
  return (
    <>
      <Heading level={1}>Signaal afgeven</Heading>
      <P lead>U meldt dat u betrokken bent bij een jeugdige. Betrokken legt niet vast waarom.</P>
      <ErrorSummary errors={state.errors} labels={SIGNAL_LABELS} />
      <form method="post" action="/registrations/new" novalidate>
        <TextField
          name="bsn"
          label="BSN van de jeugdige"
          hint="9 cijfers. Het BSN wordt direct omgezet in een code en niet bewaard."
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          maxlength={14}
          state={state}
        />
        <TextField
          name="birthDate"
          label="Geboortedatum"
          type="date"
          hint="Alleen om te controleren dat de jeugdige jonger is dan 23 en om de einddatum te bepalen. Wordt niet bewaard."
          autocomplete="off"
          state={state}
        />
        <TextField
          name="reference"
          label="Eigen kenmerk"
          required={false}
          hint="Uw dossiernummer, zodat u uw cliënt herkent: letters, cijfers en - _ . / met minstens één cijfer, zonder spaties (bijvoorbeeld DOS-2026-0042). Zo kan er geen naam, BSN, geboortedatum of iets over de zorg in staan."
          maxlength={40}
          autocomplete="off"
          state={state}
        />
        <Checkbox
          name="criterion"
          label="Ik heb een redelijk vermoeden dat deze jeugdige een ernstig risico loopt om veilig op te groeien, zoals de wet (Jeugdwet, artikel 7.1.3.1) vraagt."
          hint="Deze bevestiging wordt niet als inhoud bewaard."
          state={state}
        />
        <input type="hidden" name="step" value="check" />
        <div class="betrokken-actions">
          <Button>Controleren</Button>
        </div>
      </form>
    </>
  );
}

export interface ConfirmSignalProps {
  /** The checked form: the BSN as 9 digits, the birth date as YYYY-MM-DD. */
  signal: { bsn: string; birthDate: string; reference?: string | undefined };
  /** The logged-in professional's name, as it will be registered. */
  name: string;
}

export const confirmSignalFrame = (): Frame => ({ title: 'Controleer uw signaal', section: 'new', narrow: true });

export function ConfirmSignalPage({ signal, name }: ConfirmSignalProps) {
  return (
    <>
      <Heading level={1}>Controleer uw signaal</Heading>
      <dl class="betrokken-dl">
        <dt>BSN</dt>
        <dd>{signal.bsn}</dd>
        <dt>Geboortedatum</dt>
        <dd>{formatDate(signal.birthDate)}</dd>
        <dt>Eigen kenmerk</dt>
        <dd>{signal.reference || 'geen'}</dd>
      </dl>
      <Heading level={2}>Wat Betrokken vastlegt</Heading>
      <ul class="utrecht-unordered-list betrokken-plain-list">
        <li class="utrecht-unordered-list__item">Dát u ({name}) en uw organisatie betrokken zijn bij deze jeugdige, met uw contactgegevens.</li>
        <li class="utrecht-unordered-list__item">De datum van vandaag en de einddatum: na twee jaar, of eerder als de jeugdige 23 wordt.</li>
        <li class="utrecht-unordered-list__item">Uw eigen kenmerk, als u dat invulde.</li>
        <li class="utrecht-unordered-list__item">Een code die uit het BSN is berekend, zodat andere betrokkenen u kunnen vinden.</li>
      </ul>
      <Heading level={2}>Wat Betrokken niet vastlegt</Heading>
      <ul class="utrecht-unordered-list betrokken-plain-list">
        <li class="utrecht-unordered-list__item">Het BSN zelf en de geboortedatum.</li>
        <li class="utrecht-unordered-list__item">De reden van uw zorg, het risico, een diagnose of een notitie: niets over de inhoud.</li>
      </ul>
      <P>Is een professional van een andere organisatie ook betrokken, dan krijgt u allebei een e-mail en ziet u elkaars contactgegevens.</P>
      <form method="post" action="/registrations/new">
        <input type="hidden" name="bsn" value={signal.bsn} />
        <input type="hidden" name="birthDate" value={signal.birthDate} />
        <input type="hidden" name="reference" value={signal.reference ?? ''} />
        <input type="hidden" name="criterion" value="ja" />
        <div class="betrokken-actions">
          <Button name="step" value="confirm">
            Signaal afgeven
          </Button>
          <Button name="step" value="edit" variant="secondary">
            Wijzigen
          </Button>
        </div>
      </form>
    </>
  );
}

/** What "Signaal afgeven" found, carried once to the registration's page (Post/Redirect/Get). */
export interface SignalGiven {
  created: boolean;
  earlierInvolvement: EarlierInvolvement[];
}

export const signalGivenTitle = (given: SignalGiven) => (given.created ? 'Signaal afgegeven' : 'U was al geregistreerd');

/**
 * The one-time part of the registration's page right after the signal: registered or
 * already registered, the match, and earlier involvement from the archive (shown this once).
 */
export function SignalGivenNotice({ given, registration: r }: { given: SignalGiven; registration: RegistrationView }) {
  return (
    <>
      {given.created ? (
        <Alert type="ok" live>
          Uw betrokkenheid is geregistreerd tot en met {formatDate(r.endsAt)}.
        </Alert>
      ) : (
        <Alert type="info" live>
          U had al een actieve registratie bij deze jeugdige. Er is niets veranderd.
        </Alert>
      )}
      {r.matchId ? (
        <Alert type="warning" live>
          Er is een match: ook een professional van een andere organisatie is betrokken.{' '}
          <Link href={`/matches/${r.matchId}`}>Bekijk de match en neem contact op</Link>.
        </Alert>
      ) : null}
      {given.earlierInvolvement.length > 0 ? (
        <Section id="eerder" title="Eerdere betrokkenheid">
          <P>Deze professionals waren eerder betrokken bij deze jeugdige. U ziet dit alleen nu, één keer: noteer wat u nodig hebt.</P>
          <ul class="betrokken-card-list">
            {given.earlierInvolvement.map((e) => (
              <li class="betrokken-card">
                <strong>{e.professionalName}</strong>, {e.organisationName} ({SECTOR_LABELS[e.sector]})
                <br />
                {e.email}
                {e.phone ? `, ${e.phone}` : ''}
                <br />
                Betrokken van {formatDate(e.registeredAt)}
                {e.endedAt ? ` tot ${formatDate(e.endedAt)}` : ''}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {given.created ? <P>Vergeet niet de jeugdige of de ouders te informeren: {INFORM_WHOM_LABELS[r.informWhom]}. Hieronder legt u vast wanneer.</P> : null}
    </>
  );
}
