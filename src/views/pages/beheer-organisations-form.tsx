/** Beheer, organisaties: adding one (name, sector) and editing one (also its convenant). */
import type { OrganisationSummary } from '../../directory/organisations.ts';
import { Button, ErrorSummary, Heading, Link, P, SelectField, TextField, type FormState } from '../components.tsx';
import type { Frame } from '../layout.tsx';
import { CONVENANT_STATUS_OPTIONS, SECTOR_OPTIONS } from './beheer-organisations.tsx';

const LABELS = { name: 'Naam', sector: 'Sector', convenantSignedOn: 'Convenant ondertekend op', convenantStatus: 'Status van het convenant' };

export interface OrganisationFormProps {
  /** Absent: a new organisation. */
  organisation?: OrganisationSummary;
  state: FormState;
}

export const organisationFormFrame = ({ organisation, state }: OrganisationFormProps): Frame => ({
  title: organisation ? `${organisation.name} wijzigen` : 'Organisatie toevoegen',
  section: 'beheer',
  hasErrors: !!state.errors,
  narrow: true,
});

export function OrganisationFormPage({ organisation, state }: OrganisationFormProps) {
  const action = organisation ? `/beheer/organisaties/${organisation.id}/bewerken` : '/beheer/organisaties/nieuw';
  const back = organisation ? `/beheer/organisaties/${organisation.id}` : '/beheer/organisaties';
  return (
    <>
      <Heading level={1}>{organisation ? `${organisation.name} wijzigen` : 'Organisatie toevoegen'}</Heading>
      {organisation ? null : (
        <P>Voeg alleen een organisatie toe die het convenant met de gemeente heeft ondertekend of gaat ondertekenen. Elke naam komt één keer voor.</P>
      )}
      <ErrorSummary errors={state.errors} labels={LABELS} />
      <form method="post" action={action} novalidate>
        <TextField name="name" label={LABELS.name} autocomplete="off" maxlength={200} value={organisation?.name} state={state} />
        <SelectField name="sector" label={LABELS.sector} options={SECTOR_OPTIONS} empty="Kies een sector" value={organisation?.sector} state={state} />
        {organisation ? (
          <>
            <TextField
              name="convenantSignedOn"
              label={LABELS.convenantSignedOn}
              type="date"
              required={false}
              value={organisation.convenantSignedOn ?? ''}
              state={state}
            />
            <SelectField
              name="convenantStatus"
              label={LABELS.convenantStatus}
              options={CONVENANT_STATUS_OPTIONS}
              value={organisation.convenantStatus}
              state={state}
            />
          </>
        ) : null}
        <div class="betrokken-actions">
          <Button>{organisation ? 'Opslaan' : 'Toevoegen'}</Button>
          <Link href={back}>Annuleren</Link>
        </div>
      </form>
    </>
  );
}
