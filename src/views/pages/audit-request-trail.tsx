/**
 * The auditor's view of a young person's audit trail, reached only through a rights
 * request's id: the request's own events and every event of the registrations it covers,
 * newest first. Each event links to its full detail.
 */
import type { RequestTrail } from '../../rights/trail.ts';
import { Button, ErrorSummary, type FormState, Heading, Link, P, Section, Table, TextField } from '../components.tsx';
import { formatDate, formatDateTime } from '../labels.ts';
import type { Frame } from '../layout.tsx';

export const auditRequestFormFrame = (hasErrors: boolean): Frame => ({ title: 'Audittrail van een verzoek', section: 'audit', hasErrors, narrow: true });

export function AuditRequestFormPage({ state }: { state: FormState }) {
  return (
    <>
      <Heading level={1}>Audittrail van een verzoek</Heading>
      <P>
        Wat er over een jeugdige is vastgelegd, bekijkt u alleen via een verzoek van de betrokkene aan het loket (inzage, correctie, verwijdering of bezwaar).
        Vul het id van dat verzoek in; u vindt het op de pagina van het verzoek bij de functioneel beheerder.
      </P>
      <ErrorSummary errors={state.errors} labels={{ id: 'Id van het verzoek' }} />
      <form method="get" action="/audit/verzoeken" novalidate>
        <TextField
          name="id"
          label="Id van het verzoek"
          hint="Een UUID, zoals 0b8f…-…. Nooit een BSN."
          spellcheck={false}
          autocomplete="off"
          secret
          state={state}
        />
        <div class="betrokken-actions">
          <Button>Trail bekijken</Button>
        </div>
      </form>
    </>
  );
}

export const auditRequestTrailFrame = (): Frame => ({ title: 'Audittrail van een verzoek', section: 'audit' });

export function AuditRequestTrailPage({ trail }: { trail: RequestTrail }) {
  const r = trail.request;
  return (
    <>
      <Heading level={1}>Audittrail van verzoek {r.reference}</Heading>
      <dl class="betrokken-dl">
        <dt>Verzoek-id</dt>
        <dd>{r.id}</dd>
        <dt>Soort</dt>
        <dd>{r.kind}</dd>
        <dt>Ontvangen op</dt>
        <dd>{formatDate(r.receivedOn)}</dd>
        <dt>Registraties</dt>
        <dd>{trail.registrationIds.length === 0 ? 'Geen' : trail.registrationIds.join(', ')}</dd>
      </dl>
      <Section id="gebeurtenissen" title="Gebeurtenissen">
        {trail.events.length === 0 ? (
          <P>Geen gebeurtenissen gevonden.</P>
        ) : (
          <Table
            caption="Gebeurtenissen van het verzoek en zijn registraties, nieuwste eerst"
            hiddenCaption
            columns={['Nr.', 'Tijd', 'Actie', 'Uitkomst', 'Actor', 'Registratie']}
          >
            {trail.events.map((e) => (
              <tr class="utrecht-table__row">
                <td class="utrecht-table__cell">
                  <Link href={`/audit/gebeurtenissen/${e.id}`}>{String(e.seq)}</Link>
                </td>
                <td class="utrecht-table__cell">{formatDateTime(e.at)}</td>
                <td class="utrecht-table__cell">{e.action}</td>
                <td class="utrecht-table__cell">{e.outcome}</td>
                <td class="utrecht-table__cell">{e.actorId ? `${e.actorType}: ${e.actorId}` : e.actorType}</td>
                <td class="utrecht-table__cell">{e.registrationId ?? '—'}</td>
              </tr>
            ))}
          </Table>
        )}
        {trail.truncated ? <P>Er zijn meer gebeurtenissen; zoek verder in het auditlogboek op registratie-id.</P> : null}
      </Section>
      <P>
        <Link href="/audit/verzoeken">Ander verzoek</Link>
      </P>
    </>
  );
}
