/**
 * Meldingen van overlijden (municipal admin): the open reports, and one report with its
 * actions: propose the confirmation with the date of death, confirm it (a second, different
 * admin: four eyes), or reject it. Nothing about the young person is shown: the report and
 * registration ids, the organisation and the people involved.
 */
import type { DeathReportStatus, DeathReportView } from '../../registry/death.ts';
import { Alert, Button, ErrorSummary, Heading, Link, Notice, P, Section, Table, TextField, type FormState } from '../components.tsx';
import { formatDate } from '../labels.ts';
import type { Frame } from '../layout.tsx';

const STATUS_LABELS: Record<DeathReportStatus, string> = {
  reported: 'Gemeld, wacht op voorstel',
  proposed: 'Voorgesteld, wacht op bevestiging door een tweede beheerder',
  confirmed: 'Bevestigd',
  rejected: 'Afgewezen',
};

const NOTICES: Record<string, string> = {
  voorgesteld: 'U hebt voorgesteld het overlijden te bevestigen. Een andere functioneel beheerder moet het nu bevestigen.',
  bevestigd: 'Het overlijden is bevestigd. Alle registraties over deze jeugdige en het archief zijn verwijderd; de betrokkenen krijgen bericht.',
  afgewezen: 'De melding is afgewezen. De registraties blijven bestaan.',
};

function FourEyes() {
  return (
    <P>
      Een bevestigd overlijden verwijdert alle registraties over de jeugdige, van alle organisaties, en het archief. Dat kan niet ongedaan worden gemaakt.
      Daarom werkt het met vier ogen: een functioneel beheerder stelt de bevestiging voor, met de datum van overlijden, en een tweede, andere functioneel
      beheerder bevestigt haar. Beiden kunnen een melding afwijzen.
    </P>
  );
}

export const deathReportsFrame = (): Frame => ({ title: 'Meldingen van overlijden', section: 'beheer' });

export function DeathReportsPage({ reports, done }: { reports: DeathReportView[]; done: string | undefined }) {
  return (
    <>
      <Heading level={1}>Meldingen van overlijden</Heading>
      <Notice text={NOTICES[done ?? '']} />
      <FourEyes />
      {reports.length === 0 ? (
        <P>Er zijn geen openstaande meldingen.</P>
      ) : (
        <Table
          caption="Openstaande meldingen van overlijden"
          columns={['Melding', 'Registratie', 'Organisatie', 'Gemeld door', 'Gemeld op', 'Status', 'Voorgesteld door']}
        >
          {reports.map((r) => (
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                <Link href={`/beheer/overlijden/${r.id}`}>{r.id}</Link>
              </th>
              <td class="utrecht-table__cell">{r.registrationId}</td>
              <td class="utrecht-table__cell">{r.organisationName ?? 'Registratie bestaat niet meer'}</td>
              <td class="utrecht-table__cell">{r.reportedByName ?? 'API-koppeling'}</td>
              <td class="utrecht-table__cell">{formatDate(r.reportedAt)}</td>
              <td class="utrecht-table__cell">{STATUS_LABELS[r.status]}</td>
              <td class="utrecht-table__cell">{r.proposedBy ? (r.proposedByName ?? r.proposedBy) : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <P>
        <Link href="/beheer">Terug naar beheer</Link>
      </P>
    </>
  );
}

export interface DeathReportProps {
  report: DeathReportView;
  /** The reading admin's id: the proposer cannot confirm. */
  me: string;
  /** The propose form, as posted. */
  state: FormState;
  /** A refusal of the last action (four eyes, already settled). */
  problem?: string | undefined;
  done?: string | undefined;
  today: string;
}

export const deathReportFrame = ({ state }: DeathReportProps): Frame => ({ title: 'Melding van overlijden', section: 'beheer', hasErrors: !!state.errors });

export function DeathReportPage({ report: r, me, state, problem, done, today }: DeathReportProps) {
  const open = r.status === 'reported' || r.status === 'proposed';
  return (
    <>
      <Heading level={1}>Melding van overlijden</Heading>
      <Notice text={NOTICES[done ?? '']} />
      {problem ? <Alert type="error">{problem}</Alert> : null}
      <dl class="betrokken-dl">
        <dt>Melding</dt>
        <dd>{r.id}</dd>
        <dt>Registratie</dt>
        <dd>{r.registrationId}</dd>
        <dt>Organisatie</dt>
        <dd>{r.organisationName ?? 'De registratie bestaat niet meer'}</dd>
        <dt>Gemeld door</dt>
        <dd>
          {r.reportedByName ?? 'API-koppeling'} op {formatDate(r.reportedAt)}
        </dd>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[r.status]}</dd>
        {r.diedOn ? (
          <>
            <dt>Datum van overlijden</dt>
            <dd>{formatDate(r.diedOn)}</dd>
          </>
        ) : null}
        {r.proposedBy ? (
          <>
            <dt>Voorgesteld door</dt>
            <dd>
              {r.proposedBy === me ? 'U' : (r.proposedByName ?? r.proposedBy)}
              {r.proposedAt ? ` op ${formatDate(r.proposedAt)}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <FourEyes />

      {r.status === 'reported' ? (
        <Section id="voorstellen" title="Bevestiging voorstellen">
          <ErrorSummary errors={state.errors} labels={{ diedOn: 'Datum van overlijden' }} />
          <form method="post" action={`/beheer/overlijden/${r.id}/voorstellen`} novalidate>
            <TextField name="diedOn" label="Datum van overlijden" type="date" hint={`Niet later dan vandaag (${formatDate(today)}).`} state={state} />
            <div class="betrokken-actions">
              <Button>Bevestiging voorstellen</Button>
            </div>
          </form>
        </Section>
      ) : null}

      {r.status === 'proposed' ? (
        <Section id="bevestigen" title="Overlijden bevestigen">
          {r.proposedBy === me ? (
            <Alert type="info">U hebt deze bevestiging voorgesteld. Een andere functioneel beheerder moet haar bevestigen (vier ogen).</Alert>
          ) : (
            <form method="post" action={`/beheer/overlijden/${r.id}/bevestigen`}>
              <Alert type="warning">
                Na bevestiging worden alle registraties over deze jeugdige verwijderd, van alle organisaties, met het archief. Dit kan niet ongedaan worden
                gemaakt.
              </Alert>
              <div class="betrokken-actions">
                <Button variant="danger">Ja, overlijden bevestigen</Button>
              </div>
            </form>
          )}
        </Section>
      ) : null}

      {open ? (
        <Section id="afwijzen" title="Melding afwijzen">
          <P>Klopt de melding niet, of is niet na te gaan om welke jeugdige het gaat? Wijs haar dan af. De registraties blijven bestaan.</P>
          <form method="post" action={`/beheer/overlijden/${r.id}/afwijzen`}>
            <Button variant="secondary">Melding afwijzen</Button>
          </form>
        </Section>
      ) : null}
      <P>
        <Link href="/beheer/overlijden">Terug naar de meldingen</Link>
      </P>
    </>
  );
}
