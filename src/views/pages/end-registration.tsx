/** Ending a registration: the confirmation with a reason (it cannot be undone), and the outcome. */
import type { EndResult } from '../../registry/end-registration.ts';
import type { RegistrationView } from '../../registry/registration-dto.ts';
import { CHOOSABLE_END_REASONS } from '../../vocabulary.ts';
import { Alert, Button, ErrorSummary, Heading, Link, P, RadioGroup, Section, type FormState } from '../components.tsx';
import { END_REASON_LABELS, formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

const CHOOSABLE_LABELS = Object.fromEntries(CHOOSABLE_END_REASONS.map((r) => [r, END_REASON_LABELS[r]]));

export interface EndRegistrationProps {
  registration: RegistrationView;
  state: FormState;
  /** A death report on this registration awaits the municipality's confirmation. */
  deathReported?: boolean;
}

export const endRegistrationFrame = ({ state }: EndRegistrationProps): Frame => ({
  title: 'Betrokkenheid beëindigen',
  section: 'registrations',
  hasErrors: !!state.errors,
  narrow: true,
});

export function EndRegistrationPage({ registration: r, state, deathReported }: EndRegistrationProps) {
  return (
    <>
      <Heading level={1}>Betrokkenheid beëindigen</Heading>
      <P>
        Registratie van {formatDate(r.registeredAt)}
        {r.reference ? `, kenmerk ${r.reference}` : ''}.
      </P>
      <Alert type="warning">
        Dit kunt u niet ongedaan maken. Bij "afgerond" blijft de registratie vijf jaar in het archief, onzichtbaar voor iedereen. Bij de andere redenen wordt
        zij echt verwijderd.
        {r.matchId ? ' U verlaat ook de match; de andere leden krijgen daarvan bericht.' : ''}
      </Alert>
      <ErrorSummary errors={state.errors} labels={{ reason: 'Reden' }} />
      <form method="post" action={`/registrations/${r.id}/end`} novalidate>
        <RadioGroup name="reason" legend="Waarom eindigt uw betrokkenheid?" options={CHOOSABLE_LABELS} state={state} />
        <div class="betrokken-actions">
          <Button variant="danger">Ja, beëindigen</Button>
          <Link href={`/registrations/${r.id}`}>Nee, terug</Link>
        </div>
      </form>

      <Section id="overlijden" title="Is de jeugdige overleden?">
        <P>
          Kies dan hierboven geen reden, maar meld het overlijden hier. De gemeente controleert de melding en bevestigt het overlijden met de datum; twee
          functioneel beheerders kijken ernaar (vier ogen). Pas na die bevestiging worden alle registraties over deze jeugdige verwijderd, ook die van andere
          organisaties, en het archief. Tot dan blijft uw registratie actief.
        </P>
        {deathReported ? (
          <Alert type="info">U hebt het overlijden al gemeld. De gemeente bevestigt het; u hoeft niets meer te doen.</Alert>
        ) : (
          <form method="post" action={`/registrations/${r.id}/death-report`}>
            <Button variant="secondary">Overlijden melden bij de gemeente</Button>
          </form>
        )}
      </Section>
    </>
  );
}

export const deathReportedFrame = (): Frame => ({ title: 'Overlijden gemeld', section: 'registrations', narrow: true });

/** After reporting a death: the municipality confirms it; until then nothing changes. */
export function DeathReportedPage({ registration: r }: { registration: RegistrationView }) {
  return (
    <>
      <Heading level={1}>Overlijden gemeld</Heading>
      <Alert type="ok" live>
        Uw melding is ontvangen. De gemeente controleert haar en bevestigt het overlijden.
      </Alert>
      <P>
        Pas na de bevestiging door de gemeente worden alle registraties over deze jeugdige verwijderd, ook die van andere organisaties. U en de andere
        betrokkenen krijgen dan een e-mail. Tot die tijd blijft uw registratie actief; u hoeft niets meer te doen.
      </P>
      <P>
        <Link href={`/registrations/${r.id}`}>Terug naar de registratie</Link>
      </P>
    </>
  );
}

/** After ending (Post/Redirect/Get): the outcome, shown once as a notice on the list. */
export function endedNotice(result: EndResult): string {
  return [
    result.outcome === 'archived' ? 'De registratie is beëindigd en gearchiveerd.' : 'De registratie is beëindigd en verwijderd.',
    result.alsoEnded > 0 ? `Ook ${result.alsoEnded} registratie(s) van andere organisaties zijn beëindigd; zij krijgen bericht.` : '',
    result.matchClosed ? 'De match is gesloten.' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
