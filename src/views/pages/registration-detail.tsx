/**
 * One own registration: its dates and match, informing the young person or parents (who,
 * the printable letter, recording when and how), extending it (the criterion confirmed
 * again; prominent when it ends within 30 days) and the way to end it.
 */
import { addDays } from '../../lib/dates.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { Alert, Button, Checkbox, ErrorSummary, Heading, Link, Notice, P, RadioGroup, TextField, type FormState, Section } from '../components.tsx';
import { formatDate, INFORM_HOW_LABELS, INFORM_WHOM_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { LETTER_NAMES, lettersFor } from './informing-letter.tsx';
import { type SignalGiven, SignalGivenNotice, signalGivenTitle } from './signal-form.tsx';

export interface RegistrationDetailProps {
  registration: RegistrationView;
  /** The informing form, as posted (empty when the page is opened). */
  state: FormState;
  /** Informing was just recorded: say so. */
  recorded: boolean;
  /** The registration was just extended: say so. */
  extended: boolean;
  /** Today (YYYY-MM-DD): the informing date until one is recorded. */
  today: string;
  /** Informing is due within this many days of registering. */
  informWithinDays: number;
  /** The signal was just given (Post/Redirect/Get): its result, shown this once. */
  given?: SignalGiven | undefined;
}

export const registrationDetailFrame = ({ state, given }: RegistrationDetailProps): Frame => ({
  title: given ? signalGivenTitle(given) : 'Registratie',
  section: 'registrations',
  hasErrors: !!state.errors,
});

/** The registration ends this soon: extending is offered at the top of the page. */
export const EXTEND_WITHIN_DAYS = 30;

export function RegistrationDetailPage({ registration: r, state, recorded, extended, today, informWithinDays, given }: RegistrationDetailProps) {
  const endsSoon = r.endsAt <= addDays(today, EXTEND_WITHIN_DAYS);
  return (
    <>
      <Heading level={1}>{given ? signalGivenTitle(given) : `Registratie van ${formatDate(r.registeredAt)}`}</Heading>
      {given ? <SignalGivenNotice given={given} registration={r} /> : null}
      <Notice
        text={recorded ? 'Vastgelegd dat u hebt geïnformeerd.' : extended ? `Verlengd: de registratie loopt nu tot en met ${formatDate(r.endsAt)}.` : null}
      />
      <ErrorSummary errors={state.errors} labels={{ on: 'Datum', how: 'Hoe', criterion: 'Bevestiging' }} />
      {endsSoon ? (
        <Alert type="warning">
          Deze registratie eindigt op {formatDate(r.endsAt)}. Is er nog steeds een redelijk vermoeden van een ernstig risico?{' '}
          <a class="utrecht-link" href="#verlengen">
            Verleng de registratie
          </a>
          ; anders eindigt zij vanzelf.
        </Alert>
      ) : null}
      <dl class="betrokken-dl">
        <dt>Eigen kenmerk</dt>
        <dd>{r.reference ?? 'geen'}</dd>
        <dt>Geregistreerd op</dt>
        <dd>{formatDate(r.registeredAt)}</dd>
        <dt>Loopt tot en met</dt>
        <dd>{formatDate(r.endsAt)}</dd>
        <dt>Match</dt>
        <dd>{r.matchId ? <Link href={`/matches/${r.matchId}`}>Bekijk de match</Link> : 'Nog geen: er is geen andere organisatie betrokken.'}</dd>
      </dl>

      <Section id="informeren" title="Informeren">
        <P>U moet informeren: {INFORM_WHOM_LABELS[r.informWhom]}.</P>
        {r.informedOn ? (
          <P>
            Geïnformeerd op {formatDate(r.informedOn)} ({r.informedHow ? INFORM_HOW_LABELS[r.informedHow].toLowerCase() : ''}).
          </P>
        ) : (
          <Alert type="warning">Nog niet vastgelegd dat u hebt geïnformeerd. Doe dit binnen {informWithinDays} dagen.</Alert>
        )}
        <P>
          {/* One letter per register: the young person's own from 12 (informing-letter.tsx). */}
          {lettersFor(r.informWhom).map((kind, i) => (
            <>
              {i > 0 ? ' · ' : ''}
              <Link href={`/registrations/${r.id}/letter?voor=${kind}`}>{LETTER_NAMES[kind]} (afdrukken)</Link>
            </>
          ))}
        </P>
        <form method="post" action={`/registrations/${r.id}/informed`} novalidate>
          <TextField name="on" label="Datum waarop u hebt geïnformeerd" type="date" value={r.informedOn ?? today} state={state} />
          <RadioGroup
            name="how"
            legend="Hoe hebt u geïnformeerd?"
            options={INFORM_HOW_LABELS}
            state={state.values ? state : { values: { how: r.informedHow ?? undefined } }}
          />
          <div class="betrokken-actions">
            <Button variant="secondary">Vastleggen</Button>
          </div>
        </form>
      </Section>

      <Section id="verlengen" title="Verlengen">
        <P>
          Bent u nog steeds betrokken en is er nog een redelijk vermoeden van een ernstig risico? Bevestig dat opnieuw: de registratie loopt dan vanaf vandaag
          een nieuwe termijn, hoogstens tot de jeugdige 23 wordt.
        </P>
        <form method="post" action={`/registrations/${r.id}/extend`} novalidate>
          <Checkbox
            name="criterion"
            label="Ik heb nog steeds een redelijk vermoeden dat deze jeugdige een ernstig risico loopt om veilig op te groeien, zoals de wet (Jeugdwet, artikel 7.1.3.1) vraagt."
            hint="Deze bevestiging wordt niet als inhoud bewaard."
            state={state}
          />
          <div class="betrokken-actions">
            <Button variant={endsSoon ? 'primary' : 'secondary'}>Verlengen</Button>
          </div>
        </form>
      </Section>

      <Section id="beeindigen" title="Beëindigen">
        <P>Is uw betrokkenheid voorbij, of was de registratie onterecht? Beëindig haar dan.</P>
        <P>
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={`/registrations/${r.id}/end`}>
            Betrokkenheid beëindigen
          </a>
        </P>
      </Section>
    </>
  );
}
