/**
 * The match page: every involved professional with their contact details, who coordinates
 * (or whom the municipality's rules suggest, or who is proposed), "Ik neem de regie" with a
 * confirmation, "Regie teruggeven", answering a proposal, and "Contact opgenomen" with a
 * date. Nothing about the content: the professionals talk outside Betrokken.
 */
import type { MatchMemberView, MatchView } from '../../matching/read-match.ts';
import { Alert, Button, Cell, Checkbox, ErrorSummary, Heading, Notice, P, Row, TextField, type FormState, Section, Table } from '../components.tsx';
import { formatDate, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';

/** What was just done (the `gedaan` query after a redirect), said once. */
const NOTICES: Record<string, string> = {
  regie: 'U hebt de regie genomen. De andere betrokkenen krijgen daarvan een e-mail.',
  teruggegeven: 'U hebt de regie teruggegeven. De andere betrokkenen krijgen daarvan een e-mail.',
  afgewezen: 'U hebt het voorstel afgewezen. Spreek met de andere betrokkenen af wie de regie neemt.',
  contact: 'Vastgelegd dat u contact hebt opgenomen.',
};

export interface MatchPageProps {
  match: MatchView;
  /** The contact form, as posted (empty when the page is opened). */
  state: FormState;
  done: string | undefined;
  /** Today (YYYY-MM-DD): the contact date until one is recorded. */
  today: string;
}

export const matchFrame = ({ state }: MatchPageProps): Frame => ({ title: 'Match', hasErrors: !!state.errors });

export function MatchPage({ match, state, done, today }: MatchPageProps) {
  const me = match.members.find((m) => m.me);
  const coordinator = match.members.find((m) => m.coordinator);
  const open = match.status === 'open';
  return (
    <>
      <Heading level={1}>Match van {formatDate(match.createdAt)}</Heading>
      <Notice text={NOTICES[done ?? '']} />
      {!open ? <Alert type="info">Deze match is gesloten: er zijn niet langer twee organisaties betrokken.</Alert> : null}
      {me ? (
        <P>
          {match.myReference ? (
            <>
              Uw eigen kenmerk: <strong class="betrokken-reference">{match.myReference}</strong>
            </>
          ) : (
            'U hebt bij uw registratie geen eigen kenmerk opgegeven.'
          )}
        </P>
      ) : null}
      <P>
        Deze professionals zijn betrokken bij dezelfde jeugdige. Neem contact met elkaar op en spreek af wie de regie neemt. Betrokken bewaart niets over de
        inhoud: overleg buiten dit systeem.
      </P>

      <ErrorSummary errors={state.errors} labels={{ on: 'Datum', confirm: 'Bevestiging' }} />

      <Section id="regie" title="Regie">
        {coordinator ? (
          <P>
            <strong>{coordinator.me ? 'U' : (coordinator.professionalName ?? 'Geen actieve contactpersoon')}</strong> ({coordinator.organisationName}){' '}
            {coordinator.me ? 'hebt' : 'heeft'} de regie
            {match.coordinatorSince ? ` sinds ${formatDate(match.coordinatorSince)}` : ''}.
          </P>
        ) : (
          <Alert type="warning">Er is nog niet afgesproken wie de regie neemt.</Alert>
        )}
        {open && !coordinator ? <Advice match={match} /> : null}
        {open && me && !me.coordinator ? <TakeForm match={match} me={me} state={state} /> : null}
        {open && me?.coordinator ? (
          <form method="post" action={`/matches/${match.id}/regie/teruggeven`}>
            <P>Kunt u de regie niet langer voeren? Geef haar dan terug; de anderen krijgen een e-mail en spreken opnieuw af wie de regie neemt.</P>
            <Button variant="secondary">Regie teruggeven</Button>
          </form>
        ) : null}
      </Section>

      <Section id="leden" title="Betrokken professionals">
        <Table
          layout="stack"
          caption="Betrokken professionals met contactgegevens"
          hiddenCaption
          columns={['Naam', 'Organisatie', 'Contact', 'Betrokken sinds', 'Contact opgenomen']}
        >
          {match.members.map((m) => (
            <Row>
              <Cell label="Naam" header>
                {m.professionalName ?? <em>Geen actieve contactpersoon</em>}
                {m.me ? ' (u)' : ''}
                {m.coordinator ? (
                  <>
                    {' '}
                    <span class="betrokken-badge betrokken-badge--ok">Regie</span>
                  </>
                ) : null}
              </Cell>
              <Cell label="Organisatie">
                {m.organisationName}
                <br />
                {SECTOR_LABELS[m.sector]}
              </Cell>
              <Cell label="Contact">
                {m.email ? (
                  <a class="utrecht-link" href={`mailto:${m.email}`}>
                    {m.email}
                  </a>
                ) : (
                  'Geen actieve contactpersoon: de organisatie draagt de registratie over aan een collega.'
                )}
                {m.phone ? (
                  <>
                    <br />
                    <a class="utrecht-link" href={`tel:${m.phone.replace(/[^\d+]/g, '')}`}>
                      {m.phone}
                    </a>
                  </>
                ) : null}
              </Cell>
              <Cell label="Betrokken sinds">{formatDate(m.since)}</Cell>
              <Cell label="Contact opgenomen">{m.contactOn ? formatDate(m.contactOn) : 'Nog niet'}</Cell>
            </Row>
          ))}
        </Table>
      </Section>

      {open && me ? (
        <Section id="contact" title="Contact opgenomen">
          <form method="post" action={`/matches/${match.id}/contact`} novalidate>
            <TextField name="on" label="Datum waarop u contact hebt gehad met de andere betrokkenen" type="date" value={me.contactOn ?? today} state={state} />
            <div class="betrokken-actions">
              <Button variant="secondary">Contact opgenomen</Button>
            </div>
          </form>
        </Section>
      ) : null}
    </>
  );
}

const who = (m: MatchMemberView) => `${m.professionalName ?? 'Geen actieve contactpersoon'} (${m.organisationName}, ${SECTOR_LABELS[m.sector]})`;

/** Without a coordinator: the proposal if there is one, else whom the municipality's rules suggest. */
function Advice({ match }: { match: MatchView }) {
  const proposed = match.members.find((m) => m.proposed);
  const by = match.proposedBy === 'match_monitor' ? 'door de matchmonitor van de gemeente' : 'volgens de regels van de gemeente';
  if (proposed?.me) {
    return (
      <Alert type="info">
        <strong>U bent voorgesteld als regievoerder</strong> ({by}
        {match.proposedAt ? `, op ${formatDate(match.proposedAt)}` : ''}). Bevestig de regie hieronder, of wijs het voorstel af.
      </Alert>
    );
  }
  if (proposed) {
    return (
      <P>
        Voorgesteld als regievoerder ({by}): <strong>{who(proposed)}</strong>. Die professional bevestigt de regie of wijst het voorstel af.
      </P>
    );
  }
  const suggested = match.members.find((m) => m.suggested);
  if (!suggested) return <P>Volgens de regels van de gemeente mag geen van de betrokken sectoren de regie voeren. Neem contact op met de gemeente.</P>;
  return (
    <P>
      Volgens de regels van de gemeente ligt de regie het meest voor de hand bij <strong>{suggested.me ? 'u' : who(suggested)}</strong>. Spreek samen af wie de
      regie neemt.
    </P>
  );
}

/** "Ik neem de regie" (or confirming a proposal) with its confirmation; "Voorstel afwijzen" for the proposed member. */
function TakeForm({ match, me, state }: { match: MatchView; me: MatchMemberView; state: FormState }) {
  if (!me.mayCoordinate) {
    return <P>Volgens de regels van de gemeente mag uw sector ({SECTOR_LABELS[me.sector]}) signaleren, maar geen regie voeren.</P>;
  }
  return (
    <>
      <form method="post" action={`/matches/${match.id}/coordinator`} novalidate>
        {me.proposed ? null : <P>Hebt u met de anderen afgesproken dat u de hulp coördineert? Leg dat dan vast; de anderen krijgen een e-mail.</P>}
        <Checkbox
          name="confirm"
          label={me.proposed ? 'Ik neem de regie zoals voorgesteld' : 'Ik heb met de andere betrokkenen afgesproken dat ik de regie neem'}
          state={state}
        />
        <div class="betrokken-actions">
          <Button>{me.proposed ? 'Regie bevestigen' : 'Ik neem de regie'}</Button>
        </div>
      </form>
      {me.proposed ? (
        <form method="post" action={`/matches/${match.id}/voorstel/afwijzen`}>
          <div class="betrokken-actions">
            <Button variant="secondary">Voorstel afwijzen</Button>
          </div>
        </form>
      ) : null}
    </>
  );
}
