/**
 * One own registration: its dates and match, informing the young person or parents (who,
 * the printable letter, recording when and how) and the way to end it.
 */
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { Alert, Button, ErrorSummary, Heading, Link, Notice, P, RadioGroup, TextField, type FormState, Section } from '../components.tsx';
import { formatDate, INFORM_HOW_LABELS, INFORM_WHOM_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export interface RegistrationDetailProps {
  registration: RegistrationView;
  /** The informing form, as posted (empty when the page is opened). */
  state: FormState;
  /** Informing was just recorded: say so. */
  recorded: boolean;
  /** Today (YYYY-MM-DD): the informing date until one is recorded. */
  today: string;
  /** Informing is due within this many days of registering. */
  informWithinDays: number;
}

export const registrationDetailFrame = ({ state }: RegistrationDetailProps): Frame => ({
  title: 'Registratie',
  section: 'registrations',
  hasErrors: !!state.errors,
});

export function RegistrationDetailPage({ registration: r, state, recorded, today, informWithinDays }: RegistrationDetailProps) {
  return (
    <>
      <Heading level={1}>Registratie van {formatDate(r.registeredAt)}</Heading>
      <Notice text={recorded ? 'Vastgelegd dat u hebt geïnformeerd.' : null} />
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
          <Link href={`/registrations/${r.id}/letter`}>Brief om af te drukken</Link>
        </P>
        <ErrorSummary errors={state.errors} labels={{ on: 'Datum', how: 'Hoe' }} />
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
