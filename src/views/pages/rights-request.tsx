/**
 * One request at the rights desk. An access request lists every registration found (live:
 * a registration deleted since says so). A correction, erasure or objection request lists
 * per registration the professional's advice and the admin's decision, with the forms to
 * decide, to extend the deadline, and (a second admin) to approve or send back. No audit
 * events here: the auditor reaches those through the request id.
 */
import type { RightsItemView, RightsRequestView } from '../../rights/requests.ts';
import type { RightsDecision } from '../../vocabulary.ts';
import { Alert, Button, Heading, Link, Notice, P, Section, Table } from '../components.tsx';
import { formatDate, INFORM_HOW_LABELS, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { KIND_LABELS, STATUS_LABELS } from './rights-desk.tsx';

const NOTICES: Record<string, string> = {
  inzage: 'Het inzageverzoek is beantwoord. Hieronder staan de registraties; de brief kunt u afdrukken.',
  geopend: 'Het verzoek is geopend. De professionals met een registratie krijgen een mail met het verzoek om advies.',
  besloten: 'Uw besluit is vastgelegd.',
  verlengd: 'De termijn is met twee maanden verlengd. Laat de aanvrager dat weten, met de reden.',
  goedgekeurd: 'Het verzoek is goedgekeurd en uitgevoerd: de toegekende registraties zijn verwijderd.',
  teruggestuurd: 'Het verzoek is teruggestuurd. Pas de besluiten aan en beslis opnieuw.',
};

const TITLES: Record<RightsRequestView['kind'], string> = {
  access: 'Inzageverzoek',
  correction: 'Verzoek om correctie',
  erasure: 'Verzoek om verwijdering',
  objection: 'Bezwaar',
};

export const DECISION_LABELS: Record<RightsDecision, string> = { grant: 'Toekennen', refuse: 'Afwijzen' };

export interface RightsRequestProps {
  request: RightsRequestView;
  /** The reading admin's id: the one who decided cannot approve. */
  me: string;
  today: string;
  done?: string | undefined;
  /** A refusal of the last action (four eyes, already settled). */
  problem?: string | undefined;
}

export const rightsRequestFrame = (p: RightsRequestProps): Frame => ({ title: `Verzoek ${p.request.reference}`, section: 'rights' });

function statusText(i: RightsItemView): string {
  if (i.status === null) return i.executedAt ? 'Verwijderd' : 'Bestaat niet meer';
  return i.status === 'active' ? 'Actief' : 'Archief (beëindigd)';
}

function Contact({ i }: { i: RightsItemView }) {
  return (
    <>
      {i.professionalName}
      {i.professionalActive ? '' : ' (niet meer actief)'}
      <br />
      <a class="utrecht-link" href={`mailto:${i.professionalEmail}`}>
        {i.professionalEmail}
      </a>
      {i.professionalPhone ? (
        <>
          <br />
          {i.professionalPhone}
        </>
      ) : null}
    </>
  );
}

function AccessTable({ items }: { items: RightsItemView[] }) {
  return (
    <Table
      caption="Registraties over de jeugdige (actief en archief)"
      columns={['Organisatie', 'Sector', 'Professional', 'Geregistreerd op', 'Einde', 'Status', 'Geïnformeerd']}
    >
      {items.map((i) => (
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">
            {i.organisationName}
          </th>
          <td class="utrecht-table__cell">{SECTOR_LABELS[i.sector]}</td>
          <td class="utrecht-table__cell">
            <Contact i={i} />
          </td>
          <td class="utrecht-table__cell">{i.registeredAt ? formatDate(i.registeredAt) : '—'}</td>
          <td class="utrecht-table__cell">{i.endedAt ? `Beëindigd op ${formatDate(i.endedAt)}` : i.endsOn ? `Uiterlijk ${formatDate(i.endsOn)}` : '—'}</td>
          <td class="utrecht-table__cell">{statusText(i)}</td>
          <td class="utrecht-table__cell">
            {i.informedOn ? `Ja, op ${formatDate(i.informedOn)}${i.informedHow ? ` (${INFORM_HOW_LABELS[i.informedHow].toLowerCase()})` : ''}` : 'Nee'}
          </td>
        </tr>
      ))}
    </Table>
  );
}

function DecisionForm({ request, item }: { request: RightsRequestView; item: RightsItemView }) {
  return (
    <form method="post" action={`/loket/${request.id}/besluit/${item.id}`} class="betrokken-actions">
      <Button name="decision" value="grant" variant={item.decision === 'grant' ? 'primary' : 'secondary'}>
        Toekennen<span class="betrokken-visually-hidden"> voor {item.organisationName}</span>
      </Button>
      <Button name="decision" value="refuse" variant={item.decision === 'refuse' ? 'primary' : 'secondary'}>
        Afwijzen<span class="betrokken-visually-hidden"> voor {item.organisationName}</span>
      </Button>
    </form>
  );
}

function ItemsTable({ request }: { request: RightsRequestView }) {
  const open = request.status === 'open';
  return (
    <Table caption="Registraties, advies en besluit" columns={['Organisatie', 'Professional', 'Status', 'Advies', 'Besluit', ...(open ? ['Beslissen'] : [])]}>
      {request.items.map((i) => (
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">
            {i.organisationName}
            <br />
            {SECTOR_LABELS[i.sector]}
          </th>
          <td class="utrecht-table__cell">
            <Contact i={i} />
          </td>
          <td class="utrecht-table__cell">{statusText(i)}</td>
          <td class="utrecht-table__cell">
            {i.advice
              ? `${DECISION_LABELS[i.advice]}${i.adviceAt ? ` (${formatDate(i.adviceAt)})` : ''}`
              : `Nog geen advies${i.adviceDueOn ? ` (uiterlijk ${formatDate(i.adviceDueOn)})` : ''}`}
          </td>
          <td class="utrecht-table__cell">
            {i.decision ? DECISION_LABELS[i.decision] : 'Nog niet beslist'}
            {i.executedAt ? ` — uitgevoerd ${formatDate(i.executedAt)}` : ''}
          </td>
          {open ? (
            <td class="utrecht-table__cell">
              <DecisionForm request={request} item={i} />
            </td>
          ) : null}
        </tr>
      ))}
    </Table>
  );
}

export function RightsRequestPage({ request: r, me, today, done, problem }: RightsRequestProps) {
  const settled = r.status === 'answered' || r.status === 'done';
  const overdue = !settled && r.deadlineOn < today;
  return (
    <>
      <Heading level={1}>
        {TITLES[r.kind]} {r.reference}
      </Heading>
      <Notice text={NOTICES[done ?? '']} />
      {problem ? <Alert type="error">{problem}</Alert> : null}
      <dl class="betrokken-dl">
        <dt>Kenmerk</dt>
        <dd>{r.reference}</dd>
        <dt>Soort</dt>
        <dd>{KIND_LABELS[r.kind]}</dd>
        <dt>Ontvangen op</dt>
        <dd>{formatDate(r.receivedOn)}</dd>
        {r.kind === 'access' ? null : (
          <>
            <dt>Termijn (AVG)</dt>
            <dd>
              {overdue ? <strong>Verlopen: {formatDate(r.deadlineOn)}</strong> : formatDate(r.deadlineOn)}
              {r.deadlineExtended ? ' (verlengd)' : ''}
            </dd>
          </>
        )}
        <dt>Status</dt>
        <dd>{STATUS_LABELS[r.status]}</dd>
        <dt>Verzoek-id</dt>
        <dd>{r.id}</dd>
      </dl>

      {r.items.length === 0 ? (
        <P>Er zijn geen registraties over deze jeugdige, actief of in het archief.</P>
      ) : r.kind === 'access' ? (
        <AccessTable items={r.items} />
      ) : (
        <ItemsTable request={r} />
      )}

      {r.status === 'open' ? (
        <P>
          Beslis per registratie. Zodra over elke registratie is beslist, is het verzoek klaar: zijn ze allemaal afgewezen, dan is het afgehandeld; wordt er één
          toegekend, dan moet een tweede functioneel beheerder het goedkeuren voordat de registratie wordt verwijderd (vier ogen).
        </P>
      ) : null}

      {r.status === 'awaiting_approval' ? (
        <Section id="goedkeuren" title="Goedkeuren (vier ogen)">
          {r.decidedBy === me || r.items.some((i) => i.decision === 'grant' && i.decidedBy === me) ? (
            <Alert type="info">U hebt over dit verzoek beslist. Een andere functioneel beheerder moet het goedkeuren (vier ogen).</Alert>
          ) : (
            <form method="post" action={`/loket/${r.id}/goedkeuren`}>
              <Alert type="warning">
                Na goedkeuring worden de toegekende registraties verwijderd (niet gearchiveerd). Dat kan niet ongedaan worden gemaakt.
              </Alert>
              <div class="betrokken-actions">
                <Button variant="danger">Goedkeuren en uitvoeren</Button>
              </div>
            </form>
          )}
          <form method="post" action={`/loket/${r.id}/terugsturen`}>
            <div class="betrokken-actions">
              <Button variant="secondary">Terugsturen om opnieuw te beslissen</Button>
            </div>
          </form>
        </Section>
      ) : null}

      {!settled && !r.deadlineExtended ? (
        <Section id="verlengen" title="Termijn verlengen">
          <P>
            Is het verzoek ingewikkeld of zijn er veel verzoeken, dan mag de termijn één keer met twee maanden worden verlengd (AVG artikel 12 lid 3). Laat de
            aanvrager dat binnen de eerste maand weten, met de reden.
          </P>
          <form method="post" action={`/loket/${r.id}/verlengen`}>
            <Button variant="secondary">Termijn met twee maanden verlengen</Button>
          </form>
        </Section>
      ) : null}

      <div class="betrokken-actions">
        {r.kind === 'access' || r.status === 'done' ? <Link href={`/loket/${r.id}/brief`}>Brief aan de aanvrager</Link> : null}
        <Link href="/loket">Terug naar de verzoeken</Link>
      </div>
    </>
  );
}
