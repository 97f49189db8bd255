/** The audit console for the auditor: the search form, the results a page at a time, one event in full. */
import { type AuditEventView, EXPORT_PART_ROWS } from '../../audit/search.ts';
import { ROLES } from '../../vocabulary.ts';
import { Button, ErrorSummary, type FormState, Heading, Link, P, Section, SelectField, Table, TextField } from '../components.tsx';
import { formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

const OUTCOME_LABELS: Record<string, string> = {
  success: 'Gelukt',
  denied: 'Geweigerd',
  not_found: 'Niet gevonden',
  invalid: 'Ongeldig',
  error: 'Fout',
};

export const FILTER_LABELS: Record<string, string> = {
  from: 'Vanaf datum',
  to: 'Tot en met datum',
  actor: 'Wie (actor)',
  organisation: 'Organisatie-id',
  role: 'Rol van de actor',
  action: 'Actie',
  outcome: 'Uitkomst',
  registration: 'Registratie-id',
  match: 'Match-id',
  person: 'Persoon-id (betreft)',
  request: 'Request-id',
  cursor: 'Vervolgpagina',
  limit: 'Aantal',
  _: 'Filter',
};

/** The search form (GET, so a search is a link); every field optional. */
export function AuditSearchForm({ state }: { state: FormState }) {
  const field = (name: string, hint?: string, type?: 'date') => (
    <TextField name={name} label={FILTER_LABELS[name]!} hint={hint} type={type} required={false} spellcheck={false} state={state} />
  );
  return (
    <form method="get" action="/audit/zoeken" novalidate>
      <ErrorSummary errors={state.errors} labels={FILTER_LABELS} />
      {field('from', undefined, 'date')}
      {field('to', undefined, 'date')}
      {field('actor', 'Het id van een persoon of koppeling, of de naam van een operator of taak.')}
      {field('organisation')}
      <SelectField
        name="role"
        label={`${FILTER_LABELS.role} (niet verplicht)`}
        options={Object.fromEntries(ROLES.map((r) => [r, r]))}
        empty="Alle"
        state={state}
      />
      {field('action', 'Bijvoorbeeld registration.create of audit.search.')}
      <SelectField name="outcome" label={`${FILTER_LABELS.outcome} (niet verplicht)`} options={OUTCOME_LABELS} empty="Alle" state={state} />
      {field('registration')}
      {field('match')}
      {field('person', 'Het id van de persoon (account) waar de gebeurtenis over gaat. Nooit een BSN: daarop zoekt u hier niet.')}
      {field('request')}
      <div class="betrokken-actions">
        <Button>Zoeken</Button>
      </div>
    </form>
  );
}

export interface AuditSearchProps {
  state: FormState;
  events: AuditEventView[] | null;
  /** Link to the next (older) page, or null. */
  nextHref: string | null;
  exportHref: string | null;
}

export const auditSearchFrame = (hasErrors = false): Frame => ({ title: 'Auditlogboek doorzoeken', section: 'audit', hasErrors });

export function AuditSearchPage({ state, events, nextHref, exportHref }: AuditSearchProps) {
  return (
    <>
      <Heading level={1}>Auditlogboek doorzoeken</Heading>
      <P>Alles wat u hier zoekt, bekijkt of exporteert, wordt zelf ook vastgelegd in het auditlogboek.</P>
      <AuditSearchForm state={state} />
      {events ? (
        <Section id="resultaten" title="Resultaten">
          {events.length === 0 ? (
            <P>Geen gebeurtenissen gevonden.</P>
          ) : (
            <Table caption="Gebeurtenissen, nieuwste eerst" columns={['Nr.', 'Tijd', 'Actie', 'Uitkomst', 'Actor', 'Rollen']}>
              {events.map((e) => (
                <tr class="utrecht-table__row">
                  <td class="utrecht-table__cell">
                    <Link href={`/audit/gebeurtenissen/${e.id}`}>{String(e.seq)}</Link>
                  </td>
                  <td class="utrecht-table__cell">{formatDateTime(e.at)}</td>
                  <td class="utrecht-table__cell">{e.action}</td>
                  <td class="utrecht-table__cell">{OUTCOME_LABELS[e.outcome] ?? e.outcome}</td>
                  <td class="utrecht-table__cell">{e.actorId ? `${e.actorType}: ${e.actorId}` : e.actorType}</td>
                  <td class="utrecht-table__cell">{e.actorRoles ?? '—'}</td>
                </tr>
              ))}
            </Table>
          )}
          <div class="betrokken-actions">
            {nextHref ? <Link href={nextHref}>Volgende (oudere) gebeurtenissen</Link> : null}
            {exportHref ? <Link href={exportHref}>Exporteren als CSV</Link> : null}
          </div>
          {exportHref ? (
            <P>
              Een CSV-bestand bevat hoogstens {EXPORT_PART_ROWS.toLocaleString('nl-NL')} gebeurtenissen, de nieuwste eerst. Zijn het er meer, kies dan een
              kortere periode (de Link-kop van het bestand wijst naar het volgende deel).
            </P>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}

export const auditEventFrame = (seq: number): Frame => ({ title: `Gebeurtenis ${seq}`, section: 'audit' });

const q = (key: string, value: string) => `/audit/zoeken?${new URLSearchParams({ [key]: value })}`;

/** One event; each id links to "everything about" it. */
export function AuditEventPage({ event }: { event: AuditEventView }) {
  const row = (term: string, value: string | null, about?: string) => (
    <>
      <dt>{term}</dt>
      <dd>
        {value ?? '—'}
        {value && about && (about === 'action' || about === 'actor' || /^[0-9a-f-]{36}$/i.test(value)) ? (
          <>
            {' '}
            (<Link href={q(about, value)}>alles hierover</Link>)
          </>
        ) : null}
      </dd>
    </>
  );
  return (
    <>
      <Heading level={1}>Gebeurtenis {String(event.seq)}</Heading>
      <dl class="betrokken-dl">
        {row('Volgnummer', String(event.seq))}
        {row('Id', event.id)}
        {row('Tijd', formatDateTime(event.at))}
        {row('Actie', event.action, 'action')}
        {row('Uitkomst', OUTCOME_LABELS[event.outcome] ?? event.outcome, undefined)}
        {row('Soort actor', event.actorType)}
        {row('Actor', event.actorId, 'actor')}
        {row('Rollen van de actor', event.actorRoles)}
        {row('Organisatie', event.organisationId, 'organisation')}
        {row('Registratie', event.registrationId, 'registration')}
        {row('Match', event.matchId, 'match')}
        {row('Betreft persoon', event.targetUserId, 'person')}
        {row('Request', event.requestId, 'request')}
        {row('Herkomst', event.origin)}
        {row('Details', event.detail ? JSON.stringify(event.detail) : null)}
      </dl>
      <P>
        <Link href="/audit/zoeken">Terug naar zoeken</Link>
      </P>
    </>
  );
}
