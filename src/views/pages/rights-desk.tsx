/**
 * Het verzoekenloket (municipal admin): the requests still to settle with their AVG
 * deadline, the latest settled ones, and the two forms that find the young person (access;
 * correction, erasure, objection). The BSN field is never filled in again (`secret`): a
 * refused form shows it empty.
 */
import type { RightsRequestSummary } from '../../rights/requests.ts';
import type { RightsRequestKind, RightsRequestStatus } from '../../vocabulary.ts';
import { Button, ErrorSummary, type FormState, Heading, Link, P, RadioGroup, Section, Table, TextField } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const KIND_LABELS: Record<RightsRequestKind, string> = {
  access: 'Inzage',
  correction: 'Correctie',
  erasure: 'Verwijdering',
  objection: 'Bezwaar',
};

export const STATUS_LABELS: Record<RightsRequestStatus, string> = {
  answered: 'Beantwoord',
  open: 'Open: advies en besluit',
  awaiting_approval: 'Wacht op goedkeuring door een tweede beheerder',
  done: 'Afgehandeld',
};

export const rightsDeskFrame = (): Frame => ({ title: 'Verzoeken van betrokkenen', section: 'rights' });

export function RightsDeskPage({ pending, settled, today }: { pending: RightsRequestSummary[]; settled: RightsRequestSummary[]; today: string }) {
  return (
    <>
      <Heading level={1}>Verzoeken van betrokkenen</Heading>
      <P lead>
        Een jeugdige of ouder mag weten welke organisaties een registratie over hem of haar hebben, en kan vragen die te corrigeren of te verwijderen, of
        bezwaar maken (AVG artikelen 15 tot en met 21, Jeugdwet artikel 7.1.5.2).
      </P>
      <div class="betrokken-actions">
        <Link href="/loket/inzage">Inzageverzoek beantwoorden</Link>
        <Link href="/loket/verzoek">Verzoek om correctie, verwijdering of bezwaar openen</Link>
      </div>
      <Section id="open" title="Openstaande verzoeken">
        {pending.length === 0 ? (
          <P>Er zijn geen openstaande verzoeken.</P>
        ) : (
          <Table
            caption="Openstaande verzoeken, eerste termijn eerst"
            hiddenCaption
            columns={['Kenmerk', 'Soort', 'Ontvangen', 'Termijn (AVG)', 'Registraties', 'Status']}
          >
            {pending.map((r) => {
              const overdue = r.deadlineOn < today;
              return (
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="row">
                    <Link href={`/loket/${r.id}`}>{r.reference}</Link>
                  </th>
                  <td class="utrecht-table__cell">{KIND_LABELS[r.kind]}</td>
                  <td class="utrecht-table__cell">{formatDate(r.receivedOn)}</td>
                  <td class="utrecht-table__cell">
                    {overdue ? <strong>Verlopen: {formatDate(r.deadlineOn)}</strong> : formatDate(r.deadlineOn)}
                    {r.deadlineExtended ? ' (verlengd)' : ''}
                  </td>
                  <td class="utrecht-table__cell">{String(r.items)}</td>
                  <td class="utrecht-table__cell">{STATUS_LABELS[r.status]}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </Section>
      <Section id="afgehandeld" title="Laatst afgehandelde verzoeken">
        {settled.length === 0 ? (
          <P>Nog geen afgehandelde verzoeken.</P>
        ) : (
          <Table caption="Laatst afgehandelde verzoeken, nieuwste eerst" hiddenCaption columns={['Kenmerk', 'Soort', 'Ontvangen', 'Registraties', 'Status']}>
            {settled.map((r) => (
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">
                  <Link href={`/loket/${r.id}`}>{r.reference}</Link>
                </th>
                <td class="utrecht-table__cell">{KIND_LABELS[r.kind]}</td>
                <td class="utrecht-table__cell">{formatDate(r.receivedOn)}</td>
                <td class="utrecht-table__cell">{String(r.items)}</td>
                <td class="utrecht-table__cell">{STATUS_LABELS[r.status]}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </>
  );
}

export const LOOKUP_LABELS: Record<string, string> = {
  kind: 'Soort verzoek',
  bsn: 'BSN van de jeugdige',
  birthDate: 'Geboortedatum van de jeugdige',
  reference: 'Kenmerk van het verzoek',
  receivedOn: 'Ontvangen op',
  _: 'Formulier',
};

export interface RightsLookupProps {
  /** 'access': the access form; otherwise the form that opens a correction, erasure or objection request. */
  mode: 'access' | 'objection';
  state: FormState;
}

export const rightsLookupFrame = ({ mode, state }: RightsLookupProps): Frame => ({
  title: mode === 'access' ? 'Inzageverzoek beantwoorden' : 'Verzoek openen',
  section: 'rights',
  hasErrors: !!state.errors,
  narrow: true,
});

export function RightsLookupPage({ mode, state }: RightsLookupProps) {
  return (
    <>
      <Heading level={1}>{mode === 'access' ? 'Inzageverzoek beantwoorden' : 'Verzoek om correctie, verwijdering of bezwaar openen'}</Heading>
      <P>
        Het BSN en de geboortedatum gebruikt Betrokken alleen om de registraties te vinden; ze worden niet bewaard. Controleer de identiteit van de aanvrager
        voordat u verder gaat.
      </P>
      {mode === 'objection' ? (
        <P>
          Elke professional die een registratie heeft, krijgt een mail met het verzoek om binnen 5 werkdagen advies te geven. Daarna beslist u per registratie.
        </P>
      ) : null}
      <ErrorSummary errors={state.errors} labels={LOOKUP_LABELS} />
      <form method="post" action={mode === 'access' ? '/loket/inzage' : '/loket/verzoek'} novalidate>
        {mode === 'objection' ? (
          <RadioGroup
            name="kind"
            legend={LOOKUP_LABELS.kind!}
            options={{ correction: 'Correctie', erasure: 'Verwijdering', objection: 'Bezwaar' }}
            state={state}
          />
        ) : null}
        <TextField name="bsn" label={LOOKUP_LABELS.bsn!} hint="9 cijfers." inputmode="numeric" autocomplete="off" spellcheck={false} secret state={state} />
        <TextField name="birthDate" label={LOOKUP_LABELS.birthDate!} type="date" hint="Om te controleren dat het BSN klopt." state={state} />
        <TextField
          name="reference"
          label={LOOKUP_LABELS.reference!}
          hint="Het zaaknummer van de gemeente, bijvoorbeeld AVG-2026-0042. Geen BSN, datum of naam."
          maxlength={40}
          spellcheck={false}
          state={state}
        />
        <TextField name="receivedOn" label={LOOKUP_LABELS.receivedOn!} type="date" hint="De termijn (één maand) loopt vanaf deze dag." state={state} />
        <div class="betrokken-actions">
          <Button>{mode === 'access' ? 'Registraties opzoeken' : 'Verzoek openen'}</Button>
          <Link href="/loket">Annuleren</Link>
        </div>
      </form>
    </>
  );
}
