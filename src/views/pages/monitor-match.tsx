/**
 * One escalated match for the match monitor: the members with their contact details (to
 * call them), contact dates, who coordinates or is proposed, what was done; a form to
 * record an action and one to propose a coordinator. No case numbers, nothing about the
 * subject; the monitor cannot close a match nor coordinate.
 */
import type { MonitorContact, MonitorMatchView, MonitorMemberView } from '../../monitor/queue.ts';
import { MONITOR_ACTIONS } from '../../vocabulary.ts';
import { Alert, Button, ErrorSummary, type FormState, Heading, Link, Notice, P, Section, SelectField, Table, TextField } from '../components.tsx';
import { formatDate, formatDateTime, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { MONITOR_ACTION_LABELS, MONITOR_HOME } from './monitor-queue.tsx';

const NOTICES: Record<string, string> = {
  actie: 'De actie is vastgelegd.',
  opgevolgd: 'De actie is vastgelegd. De match is opgevolgd en staat niet meer in de wachtrij.',
  voorstel: 'Het voorstel is gedaan. Alle betrokken professionals krijgen een e-mail; de voorgestelde professional bevestigt de regie op de matchpagina.',
};

export interface MonitorMatchProps {
  match: MonitorMatchView;
  state: FormState;
  done: string | undefined;
  /** Today (YYYY-MM-DD): the default day of an action. */
  today: string;
}

export const monitorMatchFrame = ({ match, state }: MonitorMatchProps): Frame => ({
  title: `Matchopvolging: match van ${formatDate(match.createdAt)}`,
  section: 'monitor',
  hasErrors: !!state.errors,
});

function Contact({ contact }: { contact: MonitorContact }) {
  return (
    <>
      {contact.name}
      <br />
      <a class="utrecht-link" href={`mailto:${contact.email}`}>
        {contact.email}
      </a>
      {contact.phone ? (
        <>
          <br />
          <a class="utrecht-link" href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>
            {contact.phone}
          </a>
        </>
      ) : null}
    </>
  );
}

function MemberContact({ member }: { member: MonitorMemberView }) {
  if (member.contact) return <Contact contact={member.contact} />;
  return (
    <>
      <em>Geen actieve contactpersoon.</em>
      {member.organisationContacts.length > 0 ? (
        <>
          {' '}
          Contactpersoon van de organisatie:
          {member.organisationContacts.map((c) => (
            <div>
              <Contact contact={c} />
            </div>
          ))}
        </>
      ) : (
        ' De organisatie heeft geen actieve contactpersoon.'
      )}
    </>
  );
}

const memberLabel = (m: MonitorMemberView) => `${m.contact?.name ?? 'Geen actieve contactpersoon'} (${m.organisationName}, ${SECTOR_LABELS[m.sector]})`;

export function MonitorMatchPage({ match, state, done, today }: MonitorMatchProps) {
  const coordinator = match.members.find((m) => m.coordinator);
  // Only a member with an active contact can take coordination (src/monitor/actions.ts).
  const eligible = match.members.filter((m) => m.mayCoordinate && m.contact !== null);
  return (
    <>
      <Heading level={1}>Match van {formatDate(match.createdAt)}</Heading>
      <Notice text={NOTICES[done ?? '']} />
      <ErrorSummary errors={state.errors} labels={{ soort: 'Wat hebt u gedaan', datum: 'Datum', regievoerder: 'Regievoerder' }} />
      <P>
        Match {match.matchId}. Geëscaleerd op {formatDate(match.escalatedAt)}, {match.workingDaysOpen} werkdagen na het ontstaan van de match.
        {match.doneAt ? ` Opgevolgd op ${formatDate(match.doneAt)}.` : ''}
      </P>

      <Section id="stand" title="Stand van zaken">
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">
            Contact opgenomen: {match.contactOrganisations} van {match.organisationCount} organisaties.
          </li>
          <li class="utrecht-unordered-list__item">
            Regie:{' '}
            {coordinator ? `${memberLabel(coordinator)}${match.coordinatorSince ? ` sinds ${formatDate(match.coordinatorSince)}` : ''}.` : 'nog niemand.'}
          </li>
          {!coordinator && match.proposal ? (
            <li class="utrecht-unordered-list__item">
              Voorgesteld als regievoerder: {match.proposal.organisationName} (
              {match.proposal.byRules ? 'volgens de regels van de gemeente' : 'door de matchmonitor'}, {formatDate(match.proposal.at)}); wacht op bevestiging
              door die professional.
            </li>
          ) : null}
        </ul>
      </Section>

      <Section id="leden" title="Betrokken professionals">
        <Table
          caption="Betrokken professionals met contactgegevens"
          hiddenCaption
          columns={['Organisatie', 'Contact', 'Betrokken sinds', 'Contact opgenomen', 'Regie']}
        >
          {match.members.map((m) => (
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                {m.organisationName}
                <br />
                {SECTOR_LABELS[m.sector]}
              </th>
              <td class="utrecht-table__cell">
                <MemberContact member={m} />
              </td>
              <td class="utrecht-table__cell">{formatDate(m.joinedAt)}</td>
              <td class="utrecht-table__cell">{m.contactOn ? formatDate(m.contactOn) : 'Nog niet'}</td>
              <td class="utrecht-table__cell">
                {m.coordinator ? 'Heeft de regie' : m.proposed ? 'Voorgesteld' : m.mayCoordinate ? '—' : 'Mag geen regie voeren'}
              </td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section id="actie" title="Actie vastleggen">
        <form method="post" action={`${MONITOR_HOME}/${match.matchId}/actie`} novalidate>
          <SelectField
            name="soort"
            label="Wat hebt u gedaan"
            options={Object.fromEntries(MONITOR_ACTIONS.map((k) => [k, MONITOR_ACTION_LABELS[k]]))}
            empty="Kies …"
            hint="Kies 'Opgevolgd' als de match geen opvolging meer nodig heeft: zij verdwijnt dan uit de wachtrij."
            state={state}
          />
          <TextField name="datum" label="Datum" type="date" value={today} hint="Tussen de escalatie en vandaag." state={state} />
          <div class="betrokken-actions">
            <Button>Actie vastleggen</Button>
          </div>
        </form>
      </Section>

      {!coordinator ? (
        <Section id="voorstel" title="Regievoerder voorstellen">
          {eligible.length === 0 ? (
            <Alert type="warning">Geen van de betrokken organisaties mag volgens de regels van de gemeente de regie voeren.</Alert>
          ) : (
            <form method="post" action={`${MONITOR_HOME}/${match.matchId}/voorstel`} novalidate>
              <P>Alle betrokken professionals krijgen een e-mail. De voorgestelde professional bevestigt de regie zelf, of wijst het voorstel af.</P>
              <SelectField
                name="regievoerder"
                label="Regievoerder"
                options={Object.fromEntries(eligible.map((m) => [m.registrationId, memberLabel(m)]))}
                value={match.suggestedRegistrationId ?? undefined}
                hint="Vooraf gekozen: wie volgens de regels van de gemeente voor de hand ligt. Sectoren die alleen mogen signaleren, staan er niet bij."
                state={state}
              />
              <div class="betrokken-actions">
                <Button variant="secondary">Regievoerder voorstellen</Button>
              </div>
            </form>
          )}
        </Section>
      ) : null}

      <Section id="acties" title="Vastgelegde acties">
        {match.actions.length === 0 ? (
          <P>Er zijn nog geen acties vastgelegd.</P>
        ) : (
          <Table caption="Vastgelegde acties, nieuwste eerst" hiddenCaption columns={['Datum', 'Actie', 'Door', 'Vastgelegd op']}>
            {match.actions.map((a) => (
              <tr class="utrecht-table__row">
                <td class="utrecht-table__cell">{formatDate(a.on)}</td>
                <td class="utrecht-table__cell">{MONITOR_ACTION_LABELS[a.kind]}</td>
                <td class="utrecht-table__cell">{a.by ?? '—'}</td>
                <td class="utrecht-table__cell">{formatDateTime(a.createdAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <P>
        <Link href={MONITOR_HOME}>Terug naar de wachtrij</Link>
      </P>
    </>
  );
}
