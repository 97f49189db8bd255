/** Beheer, organisaties: one organisation (numbers, convenant, API clients) and deactivating it behind a confirmation. */
import type { OrganisationDetail } from '../../directory/organisations.ts';
import type { CHOOSABLE_END_REASONS } from '../../vocabulary.ts';
import { Alert, Button, ErrorSummary, Heading, Link, Notice, P, RadioGroup, Section, Table, type FormState } from '../components.tsx';
import { formatDate, formatDateTime, SECTOR_LABELS } from '../labels.ts';
import type { Frame } from '../layout.tsx';
import { CONVENANT_STATUS_LABELS } from './beheer-organisations.tsx';

export interface OrganisationDetailProps {
  organisation: OrganisationDetail;
  notice?: string | null;
  /** Deactivated just now with registrations to end: that waits for a second admin. */
  awaitingApproval?: boolean;
}

export const organisationDetailFrame = ({ organisation }: OrganisationDetailProps): Frame => ({ title: organisation.name, section: 'beheer' });

export function OrganisationDetailPage({ organisation: o, notice, awaitingApproval }: OrganisationDetailProps) {
  return (
    <>
      <Heading level={1}>{o.name}</Heading>
      <Notice text={notice} />
      {awaitingApproval ? (
        <Alert type="warning">
          Het beëindigen van de lopende registraties wacht op de goedkeuring van een tweede beheerder. <Link href="/beheer/taken">Naar de taken</Link>
        </Alert>
      ) : null}
      <dl class="betrokken-dl">
        <dt>Sector</dt>
        <dd>{SECTOR_LABELS[o.sector]}</dd>
        <dt>Convenant</dt>
        <dd>
          {CONVENANT_STATUS_LABELS[o.convenantStatus]}
          {o.convenantSignedOn ? `, ondertekend op ${formatDate(o.convenantSignedOn)}` : ', geen datum vastgelegd'}
        </dd>
        <dt>Status</dt>
        <dd>{o.active ? 'Actief' : `Gedeactiveerd${o.deactivatedAt ? ` op ${formatDateTime(o.deactivatedAt)}` : ''}`}</dd>
        <dt>Professionals</dt>
        <dd>
          {o.activeProfessionals} actief (van {o.professionals})
        </dd>
        <dt>Actieve registraties</dt>
        <dd>{o.activeRegistrations}</dd>
        <dt>Toegevoegd op</dt>
        <dd>{formatDate(o.createdAt)}</dd>
      </dl>
      <div class="betrokken-actions">
        <Link href={`/beheer/organisaties/${o.id}/bewerken`}>Gegevens en convenant wijzigen</Link>
        {o.active ? <Link href={`/beheer/organisaties/${o.id}/deactiveren`}>Organisatie deactiveren</Link> : null}
      </div>
      <Section id="koppelingen" title="API-koppelingen">
        {o.apiClients.length === 0 ? (
          <P>Deze organisatie heeft geen API-koppelingen.</P>
        ) : (
          <Table caption="API-koppelingen van deze organisatie" hiddenCaption columns={['Naam', 'Aangemaakt', 'Status']}>
            {o.apiClients.map((client) => (
              <tr class="utrecht-table__row">
                <td class="utrecht-table__cell">{client.name}</td>
                <td class="utrecht-table__cell">{formatDate(client.createdAt)}</td>
                <td class="utrecht-table__cell">{client.active ? 'Actief' : 'Ingetrokken'}</td>
              </tr>
            ))}
          </Table>
        )}
        <P>
          <Link href={`/beheer/api-koppelingen?organisatie=${o.id}`}>API-koppelingen beheren</Link>
        </P>
      </Section>
      <P>
        <Link href="/beheer/organisaties">Terug naar de organisaties</Link>
      </P>
    </>
  );
}

export interface DeactivateOrganisationProps {
  organisation: OrganisationDetail;
  activeRegistrations: number;
  state: FormState;
}

export const deactivateOrganisationFrame = ({ organisation, state }: DeactivateOrganisationProps): Frame => ({
  title: `${organisation.name} deactiveren`,
  section: 'beheer',
  hasErrors: !!state.errors,
  narrow: true,
});

const REASONS: Record<(typeof CHOOSABLE_END_REASONS)[number], string> = {
  resolved: 'Afgerond: de registraties worden beëindigd en vijf jaar gearchiveerd',
  unjustified: 'Onterecht: de registraties worden beëindigd en verwijderd',
};

export function DeactivateOrganisationPage({ organisation: o, activeRegistrations, state }: DeactivateOrganisationProps) {
  return (
    <>
      <Heading level={1}>{o.name} deactiveren</Heading>
      <Alert type="warning">
        Na het deactiveren kunnen de mensen van deze organisatie niet meer registreren en doet de organisatie niet meer mee in matches.
        {activeRegistrations > 0
          ? ` De organisatie heeft ${activeRegistrations === 1 ? '1 actieve registratie' : `${activeRegistrations} actieve registraties`}. Die worden allemaal beëindigd zodra een tweede beheerder dat goedkeurt. Dat kunt u niet ongedaan maken.`
          : ' De organisatie heeft geen actieve registraties.'}
      </Alert>
      <ErrorSummary errors={state.errors} labels={{ reason: 'Reden' }} />
      <form method="post" action={`/beheer/organisaties/${o.id}/deactiveren`} novalidate>
        <RadioGroup
          name="reason"
          legend="Wat gebeurt er met de lopende registraties?"
          hint={`Aantal actieve registraties: ${activeRegistrations}.`}
          options={REASONS}
          state={state}
        />
        <div class="betrokken-actions">
          <Button variant="danger">Ja, deactiveren</Button>
          <Link href={`/beheer/organisaties/${o.id}`}>Nee, terug</Link>
        </div>
      </form>
    </>
  );
}
